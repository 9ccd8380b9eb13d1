//! The part of a JPEG img-parts leaves whole: everything after the first scan header.
//!
//! A progressive JPEG has several scans, and between them marker segments, which may be
//! comments or APPn blocks; after the end-of-image marker, phones append further pictures
//! (MPF: a preview, a depth map), each with its own EXIF block and so its own location.
//! This walks the entropy-coded data by the JPEG rules (0xFF is followed by 0x00 stuffing,
//! a restart marker, or a real marker) and keeps only what draws the main picture.

const EOI: u8 = 0xD9;
const COM: u8 = 0xFE;

/// The data after the first scan header, up to and including the end-of-image marker,
/// without APPn and comment segments; whatever follows the marker is dropped. A truncated
/// picture is ended where it stops.
pub fn clean_after_first_scan(data: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(data.len());
    let mut i = 0;
    while let Some(&byte) = data.get(i) {
        if byte != 0xFF {
            out.push(byte);
            i += 1;
            continue;
        }
        let Some(&next) = data.get(i + 1) else {
            break;
        };
        match next {
            // Stuffing, restart markers and TEM carry no length: part of the scan.
            0x00 | 0x01 | 0xD0..=0xD7 => {
                out.extend_from_slice(&[0xFF, next]);
                i += 2;
            }
            // Fill byte before a marker.
            0xFF => i += 1,
            EOI => {
                out.extend_from_slice(&[0xFF, EOI]);
                return out;
            }
            marker => {
                let Some(len) = data
                    .get(i + 2..i + 4)
                    .map(|l| usize::from(u16::from_be_bytes([l[0], l[1]])))
                else {
                    break;
                };
                let end = i + 2 + len;
                let Some(segment) = data.get(i..end) else {
                    break;
                };
                let metadata = (0xE0..=0xEF).contains(&marker) || marker == COM;
                if !metadata {
                    out.extend_from_slice(segment);
                }
                i = end;
            }
        }
    }
    out.extend_from_slice(&[0xFF, EOI]);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stops_at_the_end_marker_and_drops_what_follows() {
        let data = [
            0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9, 0xFF, 0xD8, b'G', b'P', b'S',
        ];
        assert_eq!(
            clean_after_first_scan(&data),
            vec![0x12, 0xFF, 0x00, 0x34, 0xFF, 0xD0, 0x56, 0xFF, 0xD9]
        );
    }

    #[test]
    fn drops_comments_and_app_blocks_between_scans_but_keeps_tables() {
        let mut data = vec![0x11];
        data.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x05, b'a', b'b', b'c']); // COM
        data.extend_from_slice(&[0xFF, 0xC4, 0x00, 0x03, 0x99]); // DHT
        data.extend_from_slice(&[0xFF, 0xE1, 0x00, 0x04, b'x', b'y']); // APP1
        data.extend_from_slice(&[0xFF, 0xFF, 0xDA, 0x00, 0x02, 0x22]); // fill, SOS, data
        data.extend_from_slice(&[0xFF, 0xD9]);
        assert_eq!(
            clean_after_first_scan(&data),
            vec![
                0x11, 0xFF, 0xC4, 0x00, 0x03, 0x99, 0xFF, 0xDA, 0x00, 0x02, 0x22, 0xFF, 0xD9
            ]
        );
    }

    #[test]
    fn a_truncated_picture_is_ended_where_it_stops() {
        assert_eq!(
            clean_after_first_scan(&[0x01, 0x02, 0xFF]),
            vec![0x01, 0x02, 0xFF, 0xD9]
        );
        assert_eq!(
            clean_after_first_scan(&[0x01, 0xFF, 0xE1, 0x00, 0x40, 1]),
            vec![0x01, 0xFF, 0xD9]
        );
    }
}
