//! Files in a conversation (screenshots, photos, voice notes, documents): what the core
//! knows about one. The bytes only pass through the core on their way to the store; the
//! channel adapters fetch them and remove their metadata before the core sees them.

use std::sync::Arc;

use serde::{Deserialize, Serialize};

/// A file format the bot recognises by its bytes (never by a name or a claimed type).
/// Which of them are accepted is configured (`limits.file_types`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Jpeg,
    Png,
    Webp,
    Heic,
    Pdf,
    Docx,
    Xlsx,
    Pptx,
    Ogg,
    Mp3,
    M4a,
    /// Plain UTF-8 text: only made by the bot itself (`/mydata`), never taken in, so not
    /// in [`Format::ALL`] (the config cannot allow it).
    Txt,
}

impl Format {
    pub const ALL: [Format; 11] = [
        Format::Jpeg,
        Format::Png,
        Format::Webp,
        Format::Heic,
        Format::Pdf,
        Format::Docx,
        Format::Xlsx,
        Format::Pptx,
        Format::Ogg,
        Format::Mp3,
        Format::M4a,
    ];

    /// The name used in the config file and shown to people (`jpeg`, `pdf`...).
    pub fn name(self) -> &'static str {
        match self {
            Format::Jpeg => "jpeg",
            Format::Png => "png",
            Format::Webp => "webp",
            Format::Heic => "heic",
            Format::Pdf => "pdf",
            Format::Docx => "docx",
            Format::Xlsx => "xlsx",
            Format::Pptx => "pptx",
            Format::Ogg => "ogg",
            Format::Mp3 => "mp3",
            Format::M4a => "m4a",
            Format::Txt => "txt",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name.trim()))
    }

    /// The file name extension given to a file of this format.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Jpeg => "jpg",
            other => other.name(),
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            Format::Jpeg => "image/jpeg",
            Format::Png => "image/png",
            Format::Webp => "image/webp",
            Format::Heic => "image/heic",
            Format::Pdf => "application/pdf",
            Format::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            Format::Pptx => {
                "application/vnd.openxmlformats-officedocument.presentationml.presentation"
            }
            Format::Ogg => "audio/ogg",
            Format::Mp3 => "audio/mpeg",
            Format::M4a => "audio/mp4",
            Format::Txt => "text/plain; charset=utf-8",
        }
    }

    /// Shown as a picture by chat apps (Telegram `sendPhoto`, Matrix `m.image`).
    pub fn is_picture(self) -> bool {
        matches!(self, Format::Jpeg | Format::Png)
    }

    pub fn is_audio(self) -> bool {
        matches!(self, Format::Ogg | Format::Mp3 | Format::M4a)
    }
}

/// How the sender's app presented the file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum FileKind {
    /// A picture (Telegram photo, Matrix `m.image`).
    Photo,
    /// A recorded voice note (Telegram voice).
    Voice,
    /// An audio file (Telegram audio, Matrix `m.audio`).
    Audio,
    /// Anything sent as a file (Telegram document, Matrix `m.file`, videos...).
    Document,
}

/// What became of the file's metadata.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Cleaning {
    /// Every metadata field the format has was removed (or there was none).
    Clean,
    /// The document properties were removed, but names may remain in comments or
    /// tracked changes inside the document.
    Partial,
    /// The bot cannot remove this format's metadata (HEIC, MP3, M4A): passed on as is.
    NotRemovable,
    /// The file could not be read as its format (damaged, password-protected): passed on
    /// unchanged.
    Unreadable,
}

/// The bytes of a file, shared rather than copied, and never printed.
#[derive(Clone, PartialEq, Eq)]
pub struct FileBytes(pub Arc<Vec<u8>>);

impl FileBytes {
    pub fn new(bytes: Vec<u8>) -> FileBytes {
        FileBytes(Arc::new(bytes))
    }

    pub fn len(&self) -> u64 {
        self.0.len() as u64
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn bytes(&self) -> &[u8] {
        &self.0
    }
}

impl std::fmt::Debug for FileBytes {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "FileBytes({} bytes)", self.0.len())
    }
}

/// A file that arrived from a chat, as the channel adapter prepared it.
#[derive(Debug, Clone, PartialEq)]
pub struct IncomingFile {
    pub kind: FileKind,
    pub received: Received,
    /// Text sent along with the file (a caption).
    pub caption: Option<String>,
    /// The name the sender gave the file. Reporters' names are never passed on (they
    /// may name people or places); a counsellor's leaflet keeps its name.
    pub name: Option<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Received {
    /// Downloaded and cleaned; `format` is `None` when the bytes are of no known format.
    File {
        format: Option<Format>,
        bytes: FileBytes,
        cleaning: Cleaning,
    },
    /// Larger than the limit (the network said so before downloading).
    TooLarge { size: u64 },
    /// The network would not hand the file over.
    Unavailable,
    /// Cleaning it went past a hard cap (inflated size, entries, nesting, time, memory):
    /// a file built to exhaust the bot. Never stored.
    TooComplex,
}

/// What is kept about a stored file; its bytes live sealed in the file store under the
/// case and the transcript position `seq`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileMeta {
    pub kind: FileKind,
    pub format: Format,
    /// The name it is passed on with.
    pub name: String,
    pub size: u64,
    pub cleaning: Cleaning,
}

/// A stored file of a case: its transcript position and description.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseFile {
    pub seq: u64,
    pub meta: FileMeta,
}

/// A file to store, sealed with the case key, in the same commit as its transcript record.
#[derive(Debug, Clone, PartialEq)]
pub struct NewFile {
    pub seq: u64,
    pub bytes: FileBytes,
}

/// A file to post in a case room.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RoomFile {
    pub case: super::CaseId,
    pub file: CaseFile,
    /// Shown with the file (who sent it, under which name).
    pub caption: String,
}

/// A file to send to a reporter's chat.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReporterFile {
    pub to: super::ReporterAddress,
    pub case: super::CaseId,
    pub file: CaseFile,
    /// Shown with the file (who sent it).
    pub caption: String,
}

/// Which files are taken, from the config (`limits.max_file_bytes`, `limits.file_types`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FileLimits {
    pub max_bytes: u64,
    pub types: Vec<Format>,
    /// Files kept in one case, both ways (anyone can send files; the disk is finite).
    pub max_per_case: u32,
}

pub const DEFAULT_MAX_FILES_PER_CASE: u32 = 200;

/// Telegram's Bot API hands bots files up to 20 MB.
pub const DEFAULT_MAX_FILE_BYTES: u64 = 20 * 1024 * 1024;

impl Default for FileLimits {
    fn default() -> FileLimits {
        FileLimits {
            max_bytes: DEFAULT_MAX_FILE_BYTES,
            types: Format::ALL.to_vec(),
            max_per_case: DEFAULT_MAX_FILES_PER_CASE,
        }
    }
}

impl FileLimits {
    pub fn allows(&self, format: Format) -> bool {
        self.types.contains(&format)
    }

    /// The accepted types as people read them: `jpeg, png, pdf`.
    pub fn type_list(&self) -> String {
        let names: Vec<&str> = self.types.iter().map(|f| f.name()).collect();
        names.join(", ")
    }
}

/// A size in whole megabytes, rounded up (a file just over the limit must not read as
/// equal to it).
pub fn megabytes(bytes: u64) -> i64 {
    i64::try_from(bytes.div_ceil(1024 * 1024)).unwrap_or(i64::MAX)
}

/// Keeps the last path component of a name a counsellor gave, without control
/// characters, at most 100 characters, with the extension of the real format.
pub fn tidy_name(given: Option<&str>, format: Format, fallback: &str) -> String {
    let base = given
        .and_then(|n| n.rsplit(['/', '\\']).next())
        .map(|n| n.chars().filter(|c| !c.is_control()).collect::<String>())
        .unwrap_or_default();
    let stem = base
        .rsplit_once('.')
        .map_or(base.as_str(), |(stem, _)| stem)
        .trim();
    let stem: String = stem.chars().take(100).collect();
    let stem = if stem.is_empty() { fallback } else { &stem };
    format!("{stem}.{}", format.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_are_case_insensitive() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name(" PDF "), Some(Format::Pdf));
        assert_eq!(Format::from_name("exe"), None);
    }

    #[test]
    fn given_names_lose_paths_and_get_the_real_extension() {
        assert_eq!(
            tidy_name(Some("C:\\docs\\Klachtenregeling.PDF"), Format::Pdf, "x"),
            "Klachtenregeling.pdf"
        );
        assert_eq!(
            tidy_name(Some("../../etc/passwd"), Format::Pdf, "x"),
            "passwd.pdf"
        );
        assert_eq!(tidy_name(None, Format::Jpeg, "file-3"), "file-3.jpg");
        assert_eq!(tidy_name(Some(".pdf"), Format::Pdf, "file"), "file.pdf");
    }
}
