//! The WAL file format (SQLite's fileformat2 §4): a 32-byte header, then frames of a 24-byte
//! frame header followed by one page image. All header fields are big-endian.
//!
//! WAL header: magic (0x377f0682: checksums over little-endian words, 0x377f0683: big-endian),
//! format version 3007000, page size, checkpoint sequence, salt-1, salt-2, checksum-1/2 (over
//! the first 24 bytes).
//! Frame header: page number, db size in pages after commit (commit frames only, else 0),
//! salt-1, salt-2 (copied from the WAL header), checksum-1/2: cumulative over the first 8
//! bytes of this frame header and the page, starting from the previous frame's checksum (the
//! WAL header's for the first frame).
//!
//! Invariants:
//! 1. A frame is valid only if its salts equal the header's, its page number is not 0 and its
//!    checksum continues the chain; the WAL ends at the first invalid frame.
//! 2. Only frames up to the last valid commit frame are part of the database.

pub const WAL_MAGIC_LE: u32 = 0x377f_0682;
pub const WAL_MAGIC_BE: u32 = 0x377f_0683;
pub const WAL_VERSION: u32 = 3_007_000;
pub const WAL_HEADER_SIZE: usize = 32;
pub const FRAME_HEADER_SIZE: usize = 24;

/// SQLite's WAL checksum over `data` (a multiple of 8 bytes), continuing from `seed`.
/// `big_endian` chooses how the 32-bit words are read.
pub fn checksum(big_endian: bool, data: &[u8], seed: [u32; 2]) -> [u32; 2] {
    let (mut s0, mut s1) = (seed[0], seed[1]);
    for w in data.chunks_exact(8) {
        let (x0, x1) = if big_endian {
            (u32::from_be_bytes(w[0..4].try_into().expect("4")), u32::from_be_bytes(w[4..8].try_into().expect("4")))
        } else {
            (u32::from_le_bytes(w[0..4].try_into().expect("4")), u32::from_le_bytes(w[4..8].try_into().expect("4")))
        };
        s0 = s0.wrapping_add(x0).wrapping_add(s1);
        s1 = s1.wrapping_add(x1).wrapping_add(s0);
    }
    [s0, s1]
}

fn be(b: &[u8], off: usize) -> u32 {
    u32::from_be_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

/// The decoded WAL header.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct WalHeader {
    pub big_endian_cksum: bool,
    pub page_size: u32,
    pub ckpt_seq: u32,
    /// Salt-1 and salt-2 as the raw big-endian bytes of the header.
    pub salt: [u8; 8],
    pub cksum: [u32; 2],
}

impl WalHeader {
    /// A new header; checksums are computed (native order: little-endian words, as x86 SQLite).
    pub fn new(page_size: u32, ckpt_seq: u32, salt: [u8; 8]) -> WalHeader {
        let mut h = WalHeader { big_endian_cksum: cfg!(target_endian = "big"), page_size, ckpt_seq, salt, cksum: [0; 2] };
        let b = h.encode();
        h.cksum = checksum(h.big_endian_cksum, &b[..24], [0, 0]);
        h
    }

    pub fn encode(&self) -> [u8; WAL_HEADER_SIZE] {
        let mut b = [0u8; WAL_HEADER_SIZE];
        let magic = if self.big_endian_cksum { WAL_MAGIC_BE } else { WAL_MAGIC_LE };
        b[0..4].copy_from_slice(&magic.to_be_bytes());
        b[4..8].copy_from_slice(&WAL_VERSION.to_be_bytes());
        b[8..12].copy_from_slice(&self.page_size.to_be_bytes());
        b[12..16].copy_from_slice(&self.ckpt_seq.to_be_bytes());
        b[16..24].copy_from_slice(&self.salt);
        b[24..28].copy_from_slice(&self.cksum[0].to_be_bytes());
        b[28..32].copy_from_slice(&self.cksum[1].to_be_bytes());
        b
    }

    /// Decodes and validates a header; None when it is not a usable WAL header.
    pub fn decode(b: &[u8]) -> Option<WalHeader> {
        if b.len() < WAL_HEADER_SIZE {
            return None;
        }
        let magic = be(b, 0);
        if magic & !1 != WAL_MAGIC_LE || be(b, 4) != WAL_VERSION {
            return None;
        }
        let big = magic & 1 == 1;
        let page_size = be(b, 8);
        if !(512..=65536).contains(&page_size) || !page_size.is_power_of_two() {
            return None;
        }
        let cksum = [be(b, 24), be(b, 28)];
        if checksum(big, &b[..24], [0, 0]) != cksum {
            return None;
        }
        Some(WalHeader {
            big_endian_cksum: big,
            page_size,
            ckpt_seq: be(b, 12),
            salt: b[16..24].try_into().expect("8 bytes"),
            cksum,
        })
    }
}

/// Byte offset of frame `frame` (1-based) in a WAL with pages of `page_size` bytes.
pub fn frame_offset(frame: u32, page_size: u32) -> u64 {
    WAL_HEADER_SIZE as u64 + (frame as u64 - 1) * (FRAME_HEADER_SIZE as u64 + page_size as u64)
}

/// Builds a frame (header + page) continuing the checksum chain from `prev`; returns the bytes
/// and the new running checksum.
pub fn encode_frame(hdr: &WalHeader, pgno: u32, commit: u32, page: &[u8], prev: [u32; 2]) -> (Vec<u8>, [u32; 2]) {
    let mut f = Vec::with_capacity(FRAME_HEADER_SIZE + page.len());
    f.extend_from_slice(&pgno.to_be_bytes());
    f.extend_from_slice(&commit.to_be_bytes());
    f.extend_from_slice(&hdr.salt);
    let c = checksum(hdr.big_endian_cksum, &f[..8], prev);
    let c = checksum(hdr.big_endian_cksum, page, c);
    f.extend_from_slice(&c[0].to_be_bytes());
    f.extend_from_slice(&c[1].to_be_bytes());
    f.extend_from_slice(page);
    (f, c)
}

/// Checks a frame (header + page) against the WAL header and the running checksum `prev`.
/// Returns (page number, commit size, new checksum) when valid.
pub fn decode_frame(hdr: &WalHeader, frame: &[u8], prev: [u32; 2]) -> Option<(u32, u32, [u32; 2])> {
    let pgno = be(frame, 0);
    if pgno == 0 || frame[8..16] != hdr.salt {
        return None;
    }
    let c = checksum(hdr.big_endian_cksum, &frame[..8], prev);
    let c = checksum(hdr.big_endian_cksum, &frame[FRAME_HEADER_SIZE..], c);
    if c != [be(frame, 16), be(frame, 20)] {
        return None;
    }
    Some((pgno, be(frame, 4), c))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_round_trips_and_rejects_bad_checksum() {
        let h = WalHeader::new(4096, 3, [1, 2, 3, 4, 5, 6, 7, 8]);
        let mut b = h.encode();
        assert_eq!(WalHeader::decode(&b), Some(h));
        b[13] ^= 1;
        assert_eq!(WalHeader::decode(&b), None);
    }

    #[test]
    fn frame_chain_validates() {
        let h = WalHeader::new(512, 0, [9; 8]);
        let page = vec![7u8; 512];
        let (f1, c1) = encode_frame(&h, 1, 0, &page, h.cksum);
        let (f2, c2) = encode_frame(&h, 2, 2, &page, c1);
        assert_eq!(decode_frame(&h, &f1, h.cksum), Some((1, 0, c1)));
        assert_eq!(decode_frame(&h, &f2, c1), Some((2, 2, c2)));
        assert_eq!(decode_frame(&h, &f2, h.cksum), None);
    }
}
