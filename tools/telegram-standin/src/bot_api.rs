//! The HTTP side of the Bot API: `/bot<TOKEN>/<method>` with GET or POST, parameters in the
//! query string, a JSON body or an urlencoded form, and Telegram's response envelope.
//!
//! Every request is logged in the call log (method, parameters, outcome), which tests read to
//! check retries. Tracing output names only the method and the status: message texts and user
//! ids never go to logs.

use std::sync::Arc;
use std::time::Instant;

use axum::body::Bytes;
use axum::extract::State;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER};
use axum::http::{HeaderMap, HeaderValue, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::error::ApiError;
use super::files;
use super::handle::StandinHandle;
use super::methods;
use super::model::{AnswerLoss, CallOutcome};
use super::params::{Params, percent_decode};
use super::polling;
use super::shared::Shared;

/// Splits `/bot<token>/<method>` into token and method ("" when the method is missing).
fn split_path(path: &str) -> Option<(String, String)> {
    let rest = path.strip_prefix("/bot")?;
    let (token, method) = rest.split_once('/')?;
    Some((percent_decode(token, false), percent_decode(method, false)))
}

/// Adds the body's parameters according to its content type.
fn read_body(params: &mut Params, headers: &HeaderMap, body: &[u8]) -> Result<(), ApiError> {
    if body.is_empty() {
        return Ok(());
    }
    let content_type = headers
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let media_type = content_type.split(';').next().unwrap_or("").trim();
    match media_type {
        "application/json" => params.extend_json(body),
        "application/x-www-form-urlencoded" => {
            params.extend_urlencoded(body);
            Ok(())
        }
        // Read asynchronously by `files::read_multipart` before this is called.
        "multipart/form-data" => Ok(()),
        // Without a usable content type, guess the way lenient servers do.
        _ if body.first() == Some(&b'{') => params.extend_json(body),
        _ => {
            params.extend_urlencoded(body);
            Ok(())
        }
    }
}

fn respond(result: &Result<Value, ApiError>) -> Response {
    match result {
        Ok(value) => {
            let body = json!({ "ok": true, "result": value });
            (StatusCode::OK, axum::Json(body)).into_response()
        }
        Err(error) => {
            let status = StatusCode::from_u16(error.code).unwrap_or(StatusCode::BAD_REQUEST);
            let mut response = (status, axum::Json(error.to_json())).into_response();
            if let Some(retry_after) = error.retry_after {
                response
                    .headers_mut()
                    .insert(RETRY_AFTER, HeaderValue::from(retry_after));
            }
            response
        }
    }
}

/// Answers everything that is not the phone page or the control API: Bot API calls, and
/// "Not Found" for any other path.
pub(crate) async fn handle(
    State(handle): State<StandinHandle>,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let received_at = Instant::now();
    let shared = handle.shared;
    if let Some(rest) = uri.path().strip_prefix("/file/bot") {
        return download(&shared, rest);
    }
    let Some((token, path_method)) = split_path(uri.path()) else {
        return respond(&Err(ApiError::not_found()));
    };
    let mut params = Params::from_query(uri.query().unwrap_or(""));
    let mut body_result = read_body(&mut params, &headers, &body);
    if let Some(content_type) = multipart_type(&headers) {
        body_result = files::read_multipart(&mut params, &content_type, body).await;
    }
    // Like the real server, a POST to /bot<token>/ may name the method in a parameter.
    let requested = if path_method.is_empty() {
        params.get("method").to_owned()
    } else {
        path_method
    };
    let method = methods::canonical(&requested);
    let logged_name = method.map_or_else(|| requested.clone(), str::to_owned);
    let seq =
        shared.write(|state| state.log_call(logged_name.clone(), params.to_map(), received_at));

    let chat_id = params.get("chat_id").parse::<i64>().ok();
    let lost =
        method.and_then(|method| shared.write(|state| state.take_lost_answer(method, chat_id)));
    if lost == Some(AnswerLoss::Stall) {
        // Never carried out, never answered: the request is dropped when the bot hangs up.
        return std::future::pending().await;
    }
    let result = answer(&shared, &token, method, &requested, body_result, &params).await;
    let lost = lost.filter(|_| result.is_ok());

    let outcome = match &result {
        Ok(_) => CallOutcome {
            ok: true,
            status: 200,
            description: None,
        },
        Err(error) => CallOutcome {
            ok: false,
            status: error.code,
            description: Some(error.description.clone()),
        },
    };
    tracing::debug!(method = %logged_name, status = outcome.status, "telegram stand-in call");
    shared.write(|state| state.finish_call(seq, outcome));
    match lost {
        None => respond(&result),
        Some(how) => lose(how).await,
    }
}

/// An answer that never reaches the bot, for a call that was carried out.
async fn lose(how: AnswerLoss) -> Response {
    match how {
        // The request future is dropped when the bot hangs up (or dies).
        AnswerLoss::Hang | AnswerLoss::Stall => std::future::pending().await,
        // A body that fails at once: the server drops the connection mid-answer.
        AnswerLoss::Break => {
            let failing = futures_util::stream::once(async {
                Err::<Bytes, _>(std::io::Error::other("the answer was lost"))
            });
            (StatusCode::OK, axum::body::Body::from_stream(failing)).into_response()
        }
    }
}

async fn answer(
    shared: &Arc<Shared>,
    token: &str,
    method: Option<&'static str>,
    requested: &str,
    body_result: Result<(), ApiError>,
    params: &Params,
) -> Result<Value, ApiError> {
    if shared.read(|state| state.options.token != token) {
        return Err(ApiError::unauthorized());
    }
    body_result?;
    let Some(method) = method else {
        tracing::warn!(
            method = %requested,
            "the Telegram stand-in does not implement this Bot API method; answering 404"
        );
        return Err(ApiError::not_found());
    };
    if let Some(error) = shared.write(|state| state.take_rate_limit(method)) {
        return Err(error);
    }
    if method == "getUpdates" {
        polling::get_updates(Arc::clone(shared), params).await
    } else {
        shared.write(|state| state.call_method(method, params))
    }
}

/// The content type of a multipart body, if the request has one.
fn multipart_type(headers: &HeaderMap) -> Option<String> {
    let content_type = headers.get(CONTENT_TYPE)?.to_str().ok()?;
    content_type
        .trim()
        .to_ascii_lowercase()
        .starts_with("multipart/form-data")
        .then(|| content_type.to_owned())
}

/// `/file/bot<token>/<file_path>`: the bytes of a file getFile handed out.
fn download(shared: &Arc<Shared>, rest: &str) -> Response {
    let Some((token, path)) = rest.split_once('/') else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let token = percent_decode(token, false);
    let path = percent_decode(path, false);
    let found = shared.read(|state| {
        (state.options.token == token)
            .then(|| state.file_at(&path))
            .flatten()
    });
    match found {
        Some(bytes) => (StatusCode::OK, bytes.to_vec()).into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_token_and_method() {
        assert_eq!(
            split_path("/bot123:ABC/sendMessage"),
            Some(("123:ABC".to_owned(), "sendMessage".to_owned()))
        );
        assert_eq!(
            split_path("/bot123%3AABC/"),
            Some(("123:ABC".to_owned(), String::new()))
        );
        assert_eq!(split_path("/bot123:ABC"), None);
        assert_eq!(split_path("/control/x"), None);
    }
}
