//! The "employee's phone": a self-contained HTML page at `GET /` for the local demo, where a
//! person picks or creates an employee and chats with the bot through the control API.

use axum::response::Html;

const PAGE: &str = include_str!("phone.html");

pub(crate) async fn page() -> Html<&'static str> {
    Html(PAGE)
}
