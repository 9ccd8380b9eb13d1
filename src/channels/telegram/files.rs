//! Files from a Telegram chat: which file a message carries, and fetching it (getFile, then
//! the download path) with the size limit enforced while reading, so an oversized file is
//! never held whole. The bytes are cleaned (`crate::media`) before the core sees them.

use futures_util::StreamExt;
use teloxide::net::Download;
use teloxide::prelude::*;
use teloxide::types::{FileId, Message};
use teloxide::{DownloadError, RequestError};

use super::Telegram;
use crate::core::files::{FileKind, FileLimits, IncomingFile, Received};

/// A file a message refers to, not yet fetched.
#[derive(Debug, Clone, PartialEq)]
pub struct FileRef {
    pub id: FileId,
    /// What Telegram says the size is (`None` when it does not say).
    pub size: Option<u64>,
    pub kind: FileKind,
    pub name: Option<String>,
    pub caption: Option<String>,
}

/// The photo (largest size), document, voice note or audio file of a message.
pub fn file_of(message: &Message) -> Option<FileRef> {
    let caption = message.caption().map(str::to_owned);
    let (meta, kind, name) = if let Some(sizes) = message.photo() {
        (&sizes.last()?.file, FileKind::Photo, None)
    } else if let Some(document) = message.document() {
        (
            &document.file,
            FileKind::Document,
            document.file_name.clone(),
        )
    } else if let Some(voice) = message.voice() {
        (&voice.file, FileKind::Voice, None)
    } else if let Some(audio) = message.audio() {
        (&audio.file, FileKind::Audio, audio.file_name.clone())
    } else {
        return None;
    };
    // teloxide reads a missing size as u32::MAX.
    let size = (meta.size != u32::MAX).then_some(u64::from(meta.size));
    Some(FileRef {
        id: meta.id.clone(),
        size,
        kind,
        name,
        caption,
    })
}

/// The network failed; the update is not confirmed and will be fetched again.
#[derive(Debug, thiserror::Error)]
#[error("a file could not be fetched from Telegram: {0}")]
pub struct FetchError(String);

impl Telegram {
    /// Fetches and cleans a file. A file Telegram will not hand over (gone, too large for
    /// bots) is `Unavailable`; a network failure is an error, so nothing is lost.
    pub async fn fetch(
        &self,
        file: FileRef,
        limits: &FileLimits,
    ) -> Result<IncomingFile, FetchError> {
        let received = self.receive(&file, limits).await?;
        Ok(IncomingFile {
            kind: file.kind,
            received,
            caption: file.caption,
            name: file.name,
        })
    }

    async fn receive(&self, file: &FileRef, limits: &FileLimits) -> Result<Received, FetchError> {
        if let Some(size) = file.size.filter(|s| *s > limits.max_bytes) {
            return Ok(Received::TooLarge { size });
        }
        let located = match self.bot.get_file(file.id.clone()).await {
            Ok(located) => located,
            Err(RequestError::Api(e)) => {
                tracing::warn!(error = %e, "Telegram will not hand over a file");
                return Ok(Received::Unavailable);
            }
            Err(e) => return Err(FetchError(super::errors::describe(&e))),
        };
        let mut stream = self.bot.download_file_stream(&located.path);
        let mut bytes = Vec::new();
        while let Some(chunk) = stream.next().await {
            match chunk {
                Ok(chunk) => bytes.extend_from_slice(&chunk),
                Err(e) if e.is_status() => {
                    tracing::warn!("Telegram refused a file download");
                    return Ok(Received::Unavailable);
                }
                Err(e) => return Err(FetchError(DownloadError::from(e).to_string())),
            }
            if bytes.len() as u64 > limits.max_bytes {
                return Ok(Received::TooLarge {
                    size: bytes.len() as u64,
                });
            }
        }
        Ok(crate::media::clean(bytes, limits.max_bytes).await)
    }
}
