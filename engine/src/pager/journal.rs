//! The rollback journal's format (fileformat2 §4.1) and its playback.
//!
//! A journal is one or more segments, each starting at a multiple of the sector size:
//!
//! ```text
//! header (padded to the sector size):
//!   0  8  magic d9 d5 05 f9 20 a1 63 d7
//!   8  4  nRec: page records in this segment (0xffffffff: "count them from the file size")
//!  12  4  checksum nonce
//!  16  4  database size in pages before the transaction
//!  20  4  sector size
//!  24  4  page size
//! records, nRec of them:
//!   4 bytes page number, page-size bytes original content, 4 bytes checksum
//! ```
//!
//! The checksum of a record is the nonce plus the bytes at offsets page_size-200,
//! page_size-400, ... (while the offset is positive) of the page content.
//!
//! Invariants:
//! 1. A segment header whose magic is not intact ends playback: a journal whose header was
//!    never synced (magic still zero) never described a modified database file.
//! 2. A record with a bad checksum, page number 0, or beyond the file ends playback (it was
//!    being written when the crash came; pages after it were never written to the database).
//! 3. Playback restores the database size recorded in the first header.

use super::header::{get_u32, put_u32};
use crate::error::Result;
use crate::vfs::VfsFile;

pub const MAGIC: [u8; 8] = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
/// The header bytes that carry meaning (the rest of the sector is zero).
pub const HEADER_FIELDS: usize = 28;

/// The super-journal name recorded at the end of a journal (multi-database commits), if any.
///
/// Tail layout: 4-byte lock-byte page number, the name, 4-byte name length, 4-byte checksum
/// (sum of the name's bytes), then the 8-byte journal magic.
pub fn read_super_journal_name(j: &mut dyn VfsFile) -> Result<Option<Vec<u8>>> {
    let size = j.file_size()?;
    if size < 16 {
        return Ok(None);
    }
    let mut tail = [0u8; 16];
    j.read_at(&mut tail, size - 16)?;
    if tail[8..] != MAGIC {
        return Ok(None);
    }
    let len = get_u32(&tail, 0) as u64;
    let sum = get_u32(&tail, 4);
    if len == 0 || len > 65536 || size < 20 + len {
        return Ok(None);
    }
    let mut name = vec![0u8; len as usize];
    j.read_at(&mut name, size - 16 - len)?;
    let s = name.iter().fold(0u32, |a, &b| a.wrapping_add(b as u32));
    if s != sum || name.contains(&0) {
        return Ok(None);
    }
    Ok(Some(name))
}

/// The checksum of one page record.
pub fn checksum(nonce: u32, page: &[u8]) -> u32 {
    let mut sum = nonce;
    let mut i = page.len() as i64 - 200;
    while i > 0 {
        sum = sum.wrapping_add(page[i as usize] as u32);
        i -= 200;
    }
    sum
}

/// A segment header. `magic` false means the magic was not (yet) written.
pub fn encode_header(with_magic: bool, n_rec: u32, nonce: u32, orig_pages: u32, sector: u32, page_size: u32) -> [u8; HEADER_FIELDS] {
    let mut h = [0u8; HEADER_FIELDS];
    if with_magic {
        h[..8].copy_from_slice(&MAGIC);
    }
    put_u32(&mut h, 8, n_rec);
    put_u32(&mut h, 12, nonce);
    put_u32(&mut h, 16, orig_pages);
    put_u32(&mut h, 20, sector);
    put_u32(&mut h, 24, page_size);
    h
}

/// What a playback found: the page size and original database size of the journal, and the
/// page images to restore, in journal order (the first image of a page is the original).
pub struct Playback {
    pub page_size: u32,
    pub orig_pages: u32,
    pub pages: Vec<(u32, Vec<u8>)>,
}

/// Reads a journal and returns what to restore; None when the journal is not valid (no intact
/// first header), i.e. there is nothing to roll back.
pub fn read_journal(j: &mut dyn VfsFile, default_sector: u32) -> Result<Option<Playback>> {
    let size = j.file_size()?;
    let mut off: u64 = 0;
    let mut first: Option<(u32, u32, u32)> = None; // page size, orig pages, sector
    let mut pages = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let mut hdr = [0u8; HEADER_FIELDS];
    'segments: loop {
        if off + HEADER_FIELDS as u64 > size {
            break;
        }
        j.read_at(&mut hdr, off)?;
        if hdr[..8] != MAGIC {
            break;
        }
        let mut n_rec = get_u32(&hdr, 8);
        let nonce = get_u32(&hdr, 12);
        let orig = get_u32(&hdr, 16);
        let (page_size, sector) = match first {
            Some((ps, _, sec)) => (ps, sec),
            None => {
                let ps = get_u32(&hdr, 24);
                let mut sec = get_u32(&hdr, 20);
                if !(ps.is_power_of_two() && (512..=65536).contains(&ps)) {
                    break;
                }
                if !(sec.is_power_of_two() && (32..=65536).contains(&sec)) {
                    sec = default_sector;
                }
                first = Some((ps, orig, sec));
                (ps, sec)
            }
        };
        let rec_size = page_size as u64 + 8;
        let start = off + sector as u64;
        if n_rec == 0xffff_ffff {
            n_rec = (size.saturating_sub(start) / rec_size) as u32;
        }
        let mut pos = start;
        for _ in 0..n_rec {
            if pos + rec_size > size {
                break 'segments;
            }
            let mut rec = vec![0u8; rec_size as usize];
            j.read_at(&mut rec, pos)?;
            pos += rec_size;
            let pgno = get_u32(&rec, 0);
            let data = &rec[4..4 + page_size as usize];
            let sum = get_u32(&rec, 4 + page_size as usize);
            if pgno == 0 || sum != checksum(nonce, data) {
                break 'segments;
            }
            if seen.insert(pgno) {
                pages.push((pgno, data.to_vec()));
            }
        }
        if n_rec == 0 {
            break;
        }
        off = pos.div_ceil(sector as u64) * sector as u64;
    }
    Ok(first.map(|(page_size, orig_pages, _)| Playback { page_size, orig_pages, pages }))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksum_samples_every_200th_byte_from_the_end() {
        let mut page = vec![0u8; 512];
        page[312] = 5; // 512-200
        page[112] = 7; // 512-400
        page[0] = 100; // offset 0 is not sampled (the loop stops at positive offsets)
        assert_eq!(checksum(1000, &page), 1012);
    }
}
