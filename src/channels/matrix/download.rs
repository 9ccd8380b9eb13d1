//! Downloading a file event's media with the size limit enforced while reading: the
//! size an event states is the sender's word, so the body is read in chunks and the
//! download ends as soon as it passes the limit (matrix-sdk's own download reads the
//! whole body first). Encrypted media is decrypted after, in memory (AES-CTR keeps the
//! size; the SHA-256 the event names is checked).

use std::io::{Cursor, Read};
use std::sync::OnceLock;
use std::time::Duration;

use matrix_sdk::Client;
use matrix_sdk::ruma::events::room::MediaSource;
use matrix_sdk_crypto::{AttachmentDecryptor, MediaEncryptionInfo};

use super::files::FetchError;

/// What a download brought.
#[derive(Debug)]
pub enum Downloaded {
    Bytes(Vec<u8>),
    /// Past the limit: read no further than `read` bytes.
    TooLarge {
        read: u64,
    },
    /// The homeserver refused it for good (gone, forbidden), or it does not decrypt.
    Refused,
}

fn http() -> &'static reqwest::Client {
    static CLIENT: OnceLock<reqwest::Client> = OnceLock::new();
    CLIENT.get_or_init(|| {
        reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(10))
            .timeout(Duration::from_secs(120))
            .build()
            .unwrap_or_default()
    })
}

/// Downloads `source` through the authenticated media API, reading at most `max`
/// bytes. Network trouble and server errors are a [`FetchError`] (tried again later).
pub async fn download(
    client: &Client,
    source: &MediaSource,
    max: u64,
) -> Result<Downloaded, FetchError> {
    let uri = match source {
        MediaSource::Plain(uri) => uri,
        MediaSource::Encrypted(file) => &file.url,
    };
    let Ok((server, media)) = uri.parts() else {
        return Ok(Downloaded::Refused);
    };
    let mut url = client.homeserver();
    let Ok(mut segments) = url.path_segments_mut() else {
        return Ok(Downloaded::Refused);
    };
    segments
        .pop_if_empty()
        .extend(["_matrix", "client", "v1", "media", "download"])
        .push(server.as_str())
        .push(media);
    drop(segments);
    let mut request = http().get(url);
    if let Some(token) = client.access_token() {
        request = request.bearer_auth(token);
    }
    let mut response = request.send().await.map_err(network)?;
    let status = response.status();
    if status.is_server_error() || status.as_u16() == 429 {
        return Err(FetchError::new(format!(
            "the homeserver answered {}",
            status.as_u16()
        )));
    }
    if !status.is_success() {
        return Ok(Downloaded::Refused);
    }
    let mut bytes = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(network)? {
        bytes.extend_from_slice(&chunk);
        if bytes.len() as u64 > max {
            return Ok(Downloaded::TooLarge {
                read: bytes.len() as u64,
            });
        }
    }
    match source {
        MediaSource::Plain(_) => Ok(Downloaded::Bytes(bytes)),
        MediaSource::Encrypted(file) => {
            Ok(decrypt(bytes, MediaEncryptionInfo::from((**file).clone())))
        }
    }
}

fn decrypt(bytes: Vec<u8>, info: MediaEncryptionInfo) -> Downloaded {
    let mut cursor = Cursor::new(bytes);
    let Ok(mut decryptor) = AttachmentDecryptor::new(&mut cursor, info) else {
        return Downloaded::Refused;
    };
    let mut plain = Vec::new();
    match decryptor.read_to_end(&mut plain) {
        Ok(_) => Downloaded::Bytes(plain),
        Err(_) => Downloaded::Refused,
    }
}

fn network(error: reqwest::Error) -> FetchError {
    FetchError::new(if error.is_timeout() {
        "the homeserver did not answer in time"
    } else if error.is_connect() {
        "cannot connect to the homeserver"
    } else {
        "network error talking to the homeserver"
    })
}
