//! The optional loopback HTTP listener for monitoring (`[health] listen`, off by
//! default): `/health` (JSON: ready, and how long ago Telegram and the homeserver last
//! answered; 503 until ready) and `/metrics` (Prometheus text). Read-only, and nothing
//! in it names a case, a person or a message.

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::Arc;

use http_body_util::Full;
use hyper::body::Bytes;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;
use tokio_util::sync::CancellationToken;

use super::{Engine, Snapshot};

/// Serves until `shutdown`. A failure to bind is returned (a monitor expects the port).
pub async fn serve(
    engine: Arc<Engine>,
    address: SocketAddr,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let listener = TcpListener::bind(address).await?;
    tracing::info!(%address, "health and metrics listening");
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                _ = shutdown.cancelled() => return,
                accepted = listener.accept() => accepted,
            };
            let Ok((stream, _)) = accepted else {
                continue;
            };
            let engine = engine.clone();
            tokio::spawn(async move {
                let service = service_fn(move |request| answer(engine.clone(), request));
                let _ = http1::Builder::new()
                    .serve_connection(TokioIo::new(stream), service)
                    .await;
            });
        }
    });
    Ok(())
}

async fn answer(
    engine: Arc<Engine>,
    request: Request<hyper::body::Incoming>,
) -> Result<Response<Full<Bytes>>, Infallible> {
    let path = request.uri().path().to_owned();
    if path != "/health" && path != "/metrics" {
        return Ok(reply(
            StatusCode::NOT_FOUND,
            "text/plain",
            "try /health or /metrics\n".into(),
        ));
    }
    // The snapshot reads the store (sled, the case keys): off the async threads.
    let snapshot = tokio::task::spawn_blocking(move || Snapshot::take(&engine)).await;
    let snapshot = match snapshot {
        Ok(Ok(snapshot)) => snapshot,
        _ => {
            return Ok(reply(
                StatusCode::INTERNAL_SERVER_ERROR,
                "text/plain",
                "cannot read the store\n".into(),
            ));
        }
    };
    Ok(match path.as_str() {
        "/health" => {
            let status = if snapshot.ready {
                StatusCode::OK
            } else {
                StatusCode::SERVICE_UNAVAILABLE
            };
            let body = serde_json::to_string_pretty(&snapshot).unwrap_or_default() + "\n";
            reply(status, "application/json", body)
        }
        // "/metrics"
        _ => reply(
            StatusCode::OK,
            "text/plain; version=0.0.4",
            snapshot.prometheus(),
        ),
    })
}

fn reply(status: StatusCode, content_type: &str, body: String) -> Response<Full<Bytes>> {
    let mut response = Response::new(Full::new(Bytes::from(body)));
    *response.status_mut() = status;
    if let Ok(value) = content_type.parse() {
        response
            .headers_mut()
            .insert(hyper::header::CONTENT_TYPE, value);
    }
    response
}
