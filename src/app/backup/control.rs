//! The bot's control socket, `<data folder>/control.sock`: a Unix socket only the
//! service's user and root may open (mode 0600 in a 0700 folder, and the peer's user is
//! checked too). `confidant backup` and `confidant report` ask the running bot through
//! it for a copy of its data taken at one moment, without stopping it; nothing but the
//! bot ever opens the data folder while it runs.
//!
//! One request per connection: a line naming what is wanted; the answer is a backup
//! archive, then the connection closes. A client that sends nothing is dropped after a
//! few seconds; one that stops reading is dropped after a minute.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio_util::sync::CancellationToken;

use super::{BackupError, Request};
use crate::app::Engine;

pub const SOCKET: &str = "control.sock";
const REQUEST_WAIT: Duration = Duration::from_secs(5);
const CLIENT_PATIENCE: Duration = Duration::from_secs(60);

/// Listens on the control socket of `data_dir` until `shutdown`.
pub async fn serve(
    engine: Arc<Engine>,
    data_dir: PathBuf,
    shutdown: CancellationToken,
) -> std::io::Result<()> {
    let path = data_dir.join(SOCKET);
    // A socket left by an earlier run: the bot holds the data folder's lock, so no other
    // bot is listening on it.
    match std::fs::remove_file(&path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => return Err(e),
        _ => {}
    }
    let listener = tokio::net::UnixListener::bind(&path)?;
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600))?;
    tokio::spawn(async move {
        loop {
            let stream = tokio::select! {
                _ = shutdown.cancelled() => break,
                accepted = listener.accept() => match accepted {
                    Ok((stream, _)) => stream,
                    Err(error) => {
                        tracing::warn!(%error, "control socket: accept failed");
                        tokio::time::sleep(Duration::from_millis(200)).await;
                        continue;
                    }
                },
            };
            tokio::spawn(answer(engine.clone(), data_dir.clone(), stream));
        }
    });
    Ok(())
}

async fn answer(engine: Arc<Engine>, data_dir: PathBuf, mut stream: tokio::net::UnixStream) {
    // The folder's mode already keeps others out; this holds if it is ever loosened.
    // The socket is the bot's own: its owner is the bot's user.
    use std::os::unix::fs::MetadataExt;
    let me = std::fs::metadata(data_dir.join(SOCKET)).map(|m| m.uid());
    match (stream.peer_cred(), me) {
        (Ok(cred), Ok(me)) if cred.uid() == 0 || cred.uid() == me => {}
        _ => {
            tracing::warn!("control socket: a connection from another user refused");
            return;
        }
    }
    let mut line = [0u8; 32];
    let read = tokio::time::timeout(REQUEST_WAIT, stream.read(&mut line)).await;
    let request = match read {
        Ok(Ok(n)) => std::str::from_utf8(&line[..n])
            .ok()
            .and_then(Request::parse),
        _ => None,
    };
    let Some(request) = request else {
        tracing::warn!("control socket: no request understood");
        return;
    };
    let sent = async {
        let stream = stream.into_std()?;
        stream.set_nonblocking(false)?;
        stream.set_write_timeout(Some(CLIENT_PATIENCE))?;
        tokio::task::spawn_blocking(move || {
            let out = std::io::BufWriter::new(stream);
            super::produce(&engine.store, &data_dir, request, out)?
                .flush()
                .map_err(|e| BackupError::Io {
                    path: PathBuf::from(SOCKET),
                    source: e,
                })
        })
        .await
        .map_err(std::io::Error::other)?
        .map_err(std::io::Error::other)
    };
    match sent.await {
        Ok(()) => tracing::info!(?request, "control socket: a copy of the data was sent"),
        Err(error) => tracing::warn!(%error, ?request, "control socket: the copy was not sent"),
    }
}

/// What became of a request.
pub enum Asked {
    /// The bot answered; its archive is in the file.
    Answered,
    /// No bot listens on the folder's socket.
    NotRunning,
}

/// Asks the bot running on `data_dir` for `request`, writing its answer into `into`.
pub fn ask(
    data_dir: &Path,
    request: Request,
    into: &mut std::fs::File,
) -> Result<Asked, BackupError> {
    let path = data_dir.join(SOCKET);
    let mut stream = match std::os::unix::net::UnixStream::connect(&path) {
        Ok(stream) => stream,
        Err(e)
            if matches!(
                e.kind(),
                std::io::ErrorKind::NotFound | std::io::ErrorKind::ConnectionRefused
            ) =>
        {
            return Ok(Asked::NotRunning);
        }
        Err(source) => return Err(BackupError::Socket { path, source }),
    };
    let socket_error = |source| BackupError::Socket {
        path: path.clone(),
        source,
    };
    stream
        .set_read_timeout(Some(CLIENT_PATIENCE))
        .map_err(socket_error)?;
    stream
        .write_all(request.line().as_bytes())
        .map_err(socket_error)?;
    std::io::copy(&mut stream, into).map_err(socket_error)?;
    Ok(Asked::Answered)
}
