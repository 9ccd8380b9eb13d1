//! The backup file: a zip archive (the zip crate the bot already uses for documents),
//! written as a stream, so the running bot sends it over its control socket as it goes.
//! A zip's table of contents comes last: a backup cut short (the bot stopped, the disk
//! filled) does not open at all, rather than restoring part of a store.
//!
//! Inside: `confidant-backup.json` (what and by whom), `store/next-id`, one file per
//! sled tree under `store/trees/` (its name in hex; entries as length-prefixed key and
//! value), the case key files under `keys/` (still wrapped by the master key, which is
//! never in a backup), and the Matrix client's databases under `matrix/`. Every record
//! in it is sealed as it is in the data folder: the file is no secret without the keys.

use std::io::{Read, Seek, Write};
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use zip::write::SimpleFileOptions;

use crate::store::{Dump, DumpedTree};

const MANIFEST: &str = "confidant-backup.json";
const NEXT_ID: &str = "store/next-id";
const TREES: &str = "store/trees/";
const KEYS: &str = "keys/";
const MATRIX: &str = "matrix/";
/// This layout; a reader refuses any other.
const FORMAT: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Manifest {
    pub backup_format: u32,
    /// The confidant version that wrote it.
    pub made_by: String,
    /// The data format of the store in it (see `store::format`).
    pub store_format: u32,
    pub made_at: String,
    /// Whether the case key files and the Matrix databases are in it (a copy for a report
    /// has neither).
    pub keys: bool,
    pub matrix: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ArchiveError {
    #[error("cannot write the backup: {0}")]
    Write(#[from] std::io::Error),
    #[error("{0}")]
    Zip(#[from] zip::result::ZipError),
    #[error(
        "this is not a whole confidant backup ({0}); it may have been cut short: take a new one"
    )]
    Malformed(String),
}

fn options() -> SimpleFileOptions {
    SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true)
}

/// Writes `dump` and the files `matrix` (name, path) as a backup to `out`.
pub fn write<W: Write>(
    out: W,
    manifest: &Manifest,
    dump: &Dump,
    matrix: &[(String, PathBuf)],
) -> Result<W, ArchiveError> {
    let mut zip = zip::ZipWriter::new_stream(out);
    zip.start_file(MANIFEST, options())?;
    zip.write_all(&serde_json::to_vec_pretty(manifest).expect("a manifest serialises"))?;
    zip.start_file(NEXT_ID, options())?;
    zip.write_all(&dump.next_id.to_be_bytes())?;
    for tree in &dump.trees {
        zip.start_file(format!("{TREES}{}", hex::encode(&tree.name)), options())?;
        for (key, value) in &tree.entries {
            for part in [key, value] {
                let len = u32::try_from(part.len()).map_err(|_| {
                    ArchiveError::Write(std::io::Error::other("a record over 4 GiB"))
                })?;
                zip.write_all(&len.to_be_bytes())?;
                zip.write_all(part)?;
            }
        }
    }
    for (name, bytes) in &dump.keys {
        zip.start_file(format!("{KEYS}{name}"), options())?;
        zip.write_all(bytes)?;
    }
    for (name, path) in matrix {
        zip.start_file(format!("{MATRIX}{name}"), options())?;
        std::io::copy(&mut std::fs::File::open(path)?, &mut zip)?;
    }
    Ok(zip.finish()?.into_inner())
}

/// A backup file, opened and read.
pub struct Backup<R: Read + Seek> {
    pub manifest: Manifest,
    pub dump: Dump,
    zip: zip::ZipArchive<R>,
}

/// Reads the backup in `from` (a file, or the bytes a bot sent).
pub fn read<R: Read + Seek>(from: R) -> Result<Backup<R>, ArchiveError> {
    let mut zip = zip::ZipArchive::new(from).map_err(|e| ArchiveError::Malformed(e.to_string()))?;
    let manifest: Manifest = serde_json::from_slice(&entry(&mut zip, MANIFEST)?)
        .map_err(|e| ArchiveError::Malformed(format!("{MANIFEST}: {e}")))?;
    if manifest.backup_format != FORMAT {
        return Err(ArchiveError::Malformed(format!(
            "backup format {}, this binary reads {FORMAT}",
            manifest.backup_format
        )));
    }
    let next_id = <[u8; 8]>::try_from(entry(&mut zip, NEXT_ID)?.as_slice())
        .map(u64::from_be_bytes)
        .map_err(|_| ArchiveError::Malformed(NEXT_ID.into()))?;
    let names = names(&zip)?;
    let mut trees = Vec::new();
    let mut keys = Vec::new();
    for name in &names {
        if let Some(hex_name) = name.strip_prefix(TREES) {
            let tree_name =
                hex::decode(hex_name).map_err(|_| ArchiveError::Malformed(name.clone()))?;
            let entries = unframe(&entry(&mut zip, name)?)
                .ok_or_else(|| ArchiveError::Malformed(name.clone()))?;
            trees.push(DumpedTree {
                name: tree_name,
                entries,
            });
        } else if let Some(key_name) = name.strip_prefix(KEYS) {
            keys.push((key_name.to_owned(), entry(&mut zip, name)?));
        }
    }
    Ok(Backup {
        manifest,
        dump: Dump {
            trees,
            keys,
            next_id,
        },
        zip,
    })
}

impl<R: Read + Seek> Backup<R> {
    /// How many Matrix files the backup holds.
    pub fn matrix_file_count(&self) -> Result<usize, ArchiveError> {
        Ok(names(&self.zip)?
            .iter()
            .filter(|n| n.starts_with(MATRIX))
            .count())
    }

    /// Writes the Matrix databases into `dir` (which exists), each as a plain file name:
    /// a name with a path in it is refused, never followed.
    pub fn write_matrix_files(&mut self, dir: &Path) -> Result<usize, ArchiveError> {
        let names: Vec<String> = names(&self.zip)?
            .into_iter()
            .filter(|n| n.starts_with(MATRIX))
            .collect();
        for name in &names {
            let file = &name[MATRIX.len()..];
            if file.is_empty() || file.starts_with('.') || file.contains(['/', '\\']) {
                return Err(ArchiveError::Malformed(format!("{name}: not a file name")));
            }
            let mut out = std::fs::File::create(dir.join(file))?;
            std::io::copy(&mut self.zip.by_name(name)?, &mut out)?;
            out.sync_all()?;
        }
        Ok(names.len())
    }
}

fn names<R: Read + Seek>(zip: &zip::ZipArchive<R>) -> Result<Vec<String>, ArchiveError> {
    zip.file_names()
        .map(|n| n.map(|n| n.into_owned()))
        .collect::<Result<_, _>>()
        .map_err(|e| ArchiveError::Malformed(e.to_string()))
}

fn entry<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    name: &str,
) -> Result<Vec<u8>, ArchiveError> {
    let mut file = zip
        .by_name(name)
        .map_err(|_| ArchiveError::Malformed(format!("{name} is missing")))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Length-prefixed keys and values back into pairs; `None` if they do not add up.
fn unframe(bytes: &[u8]) -> Option<Vec<(Vec<u8>, Vec<u8>)>> {
    fn part(bytes: &[u8], at: &mut usize) -> Option<Vec<u8>> {
        let len = u32::from_be_bytes(bytes.get(*at..*at + 4)?.try_into().ok()?) as usize;
        let start = *at + 4;
        let value = bytes.get(start..start.checked_add(len)?)?.to_vec();
        *at = start + len;
        Some(value)
    }
    let mut at = 0;
    let mut out = Vec::new();
    while at < bytes.len() {
        let key = part(bytes, &mut at)?;
        let value = part(bytes, &mut at)?;
        out.push((key, value));
    }
    Some(out)
}
