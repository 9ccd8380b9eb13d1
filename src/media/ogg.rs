//! Voice notes in Ogg (Opus, as Telegram and Element record them, or Vorbis): the comment
//! header (artist, title, recording app, sometimes a location) is replaced by an empty
//! one. The pages are read and written by the `ogg` crate, which keeps granule positions
//! and checksums right; only the small comment packet is built here.

use std::io::Cursor;

use ogg::{PacketReader, PacketWriteEndInfo, PacketWriter};

const VENDOR: &[u8] = b"confidant";

/// `None` when the stream is not Ogg Opus or Vorbis, or does not read.
pub fn clean(bytes: &[u8]) -> Option<Vec<u8>> {
    let mut reader = PacketReader::new(Cursor::new(bytes));
    let mut writer = PacketWriter::new(Vec::new());
    let mut index = 0usize;
    let mut packets = 0usize;
    let mut codec = None;
    while let Some(packet) = reader.read_packet().ok()? {
        // A chained file starts a new stream, with headers of its own.
        if packet.first_in_stream() {
            index = 0;
        }
        let data = match (index, codec) {
            (0, _) => {
                codec = Some(if packet.data.starts_with(b"OpusHead") {
                    Codec::Opus
                } else if packet.data.starts_with(b"\x01vorbis") {
                    Codec::Vorbis
                } else {
                    return None;
                });
                packet.data.clone()
            }
            (1, Some(codec)) => codec.empty_comments(&packet.data)?,
            _ => packet.data.clone(),
        };
        let end = if packet.last_in_stream() {
            PacketWriteEndInfo::EndStream
        } else if packet.last_in_page() {
            PacketWriteEndInfo::EndPage
        } else {
            PacketWriteEndInfo::NormalPacket
        };
        writer
            .write_packet(data, packet.stream_serial(), end, packet.absgp_page())
            .ok()?;
        index += 1;
        packets += 1;
    }
    (packets > 1).then(|| writer.into_inner())
}

#[derive(Clone, Copy)]
enum Codec {
    Opus,
    Vorbis,
}

impl Codec {
    /// RFC 7845 §5.2 (OpusTags) and the Vorbis I spec §5 (comment header): a vendor
    /// string and no user comments.
    fn empty_comments(self, original: &[u8]) -> Option<Vec<u8>> {
        let magic: &[u8] = match self {
            Codec::Opus => b"OpusTags",
            Codec::Vorbis => b"\x03vorbis",
        };
        if !original.starts_with(magic) {
            return None;
        }
        let mut out = magic.to_vec();
        out.extend_from_slice(&(VENDOR.len() as u32).to_le_bytes());
        out.extend_from_slice(VENDOR);
        out.extend_from_slice(&0u32.to_le_bytes());
        if let Codec::Vorbis = self {
            // The framing bit.
            out.push(1);
        }
        Some(out)
    }
}
