//! The WAL-index (SQLite's walformat.html): the shared-memory map from page numbers to the
//! frames of the WAL that hold them, plus the state readers, writers and checkpointers share.
//!
//! Layout (native byte order; 32 KiB regions):
//! - bytes 0..48: `IndexHdr` copy 1, bytes 48..96: copy 2 (identical when stable):
//!   iVersion(3007000) u32, unused u32, iChange u32, isInit u8, bigEndCksum u8, szPage u16
//!   (65536 stored as 1), mxFrame u32, nPage u32, aFrameCksum[2] u32, aSalt (the WAL header's
//!   8 raw salt bytes), aCksum[2] u32 (WAL checksum, native order, over bytes 0..40).
//! - bytes 96..136: checkpoint info: nBackfill u32, aReadMark[5] u32, aLock[8] (the lock
//!   bytes, never written), nBackfillAttempted u32, unused u32.
//! - each region holds a page-number array (`aPgno`: 4062 entries after the 136-byte header in
//!   region 0, 4096 in the others; entry k is the page of the region's k-th frame) followed at
//!   byte 16384 of the region by a hash table of 8192 u16 slots: slot (pgno*383)&8191, linear
//!   probing, value = 1-based entry of `aPgno`, 0 = empty.
//!
//! Invariants:
//! 1. Writers write copy 2 before copy 1; readers read copy 1 then copy 2 and trust the
//!    header only when both match and the checksum holds (otherwise: retry or recover).
//! 2. Entries past mxFrame are garbage left by a failed writer; readers never trust them and
//!    the next writer clears them before appending.
//! 3. Read marks: aReadMark[0] is always 0 (reader of the database file only); others are a
//!    frame count or READMARK_NOT_USED; a reader holding READ(i) shared sees frames up to
//!    aReadMark[i] at least, and no checkpoint backfills past a held mark.

use super::format::checksum;
use crate::error::{code, Error, Result};
use crate::vfs::shm::{Shm, SHM_REGION};

pub const INDEX_VERSION: u32 = 3_007_000;
pub const HDR_SIZE: usize = 48;
pub const CKPT_OFFSET: u64 = 96;
pub const INDEX_HEADER_BYTES: u64 = 136;
pub const READMARK_NOT_USED: u32 = 0xffff_ffff;
pub const N_READER: usize = 5;
const NPAGE: u32 = 4096;
const NPAGE_ONE: u32 = NPAGE - (INDEX_HEADER_BYTES as u32 / 4);
const NSLOT: u32 = 8192;
const HASH_OFFSET: u64 = NPAGE as u64 * 4;

fn ne(b: &[u8], off: usize) -> u32 {
    u32::from_ne_bytes(b[off..off + 4].try_into().expect("4 bytes"))
}

/// One copy of the WAL-index header.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct IndexHdr {
    pub change: u32,
    pub is_init: bool,
    pub big_endian_cksum: bool,
    pub page_size: u32,
    pub mx_frame: u32,
    pub n_page: u32,
    pub frame_cksum: [u32; 2],
    pub salt: [u8; 8],
}

impl IndexHdr {
    pub fn encode(&self) -> [u8; HDR_SIZE] {
        let mut b = [0u8; HDR_SIZE];
        b[0..4].copy_from_slice(&INDEX_VERSION.to_ne_bytes());
        b[8..12].copy_from_slice(&self.change.to_ne_bytes());
        b[12] = self.is_init as u8;
        b[13] = self.big_endian_cksum as u8;
        let sz = ((self.page_size & 0xff00) | (self.page_size >> 16)) as u16;
        b[14..16].copy_from_slice(&sz.to_ne_bytes());
        b[16..20].copy_from_slice(&self.mx_frame.to_ne_bytes());
        b[20..24].copy_from_slice(&self.n_page.to_ne_bytes());
        b[24..28].copy_from_slice(&self.frame_cksum[0].to_ne_bytes());
        b[28..32].copy_from_slice(&self.frame_cksum[1].to_ne_bytes());
        b[32..40].copy_from_slice(&self.salt);
        let c = checksum(cfg!(target_endian = "big"), &b[..40], [0, 0]);
        b[40..44].copy_from_slice(&c[0].to_ne_bytes());
        b[44..48].copy_from_slice(&c[1].to_ne_bytes());
        b
    }

    /// Decodes a copy; None when its version or checksum is wrong or it is not initialised.
    pub fn decode(b: &[u8]) -> Option<IndexHdr> {
        if ne(b, 0) != INDEX_VERSION || b[12] == 0 {
            return None;
        }
        let c = checksum(cfg!(target_endian = "big"), &b[..40], [0, 0]);
        if c != [ne(b, 40), ne(b, 44)] {
            return None;
        }
        let sz = u16::from_ne_bytes([b[14], b[15]]) as u32;
        Some(IndexHdr {
            change: ne(b, 8),
            is_init: true,
            big_endian_cksum: b[13] != 0,
            page_size: (sz & 0xfe00) | ((sz & 1) << 16),
            mx_frame: ne(b, 16),
            n_page: ne(b, 20),
            frame_cksum: [ne(b, 24), ne(b, 28)],
            salt: b[32..40].try_into().expect("8 bytes"),
        })
    }
}

/// Reads the header: Some when both copies agree and are valid.
pub fn read_hdr(shm: &mut dyn Shm) -> Result<Option<IndexHdr>> {
    let mut b = [0u8; 2 * HDR_SIZE];
    shm.read(0, &mut b)?;
    if b[..HDR_SIZE] != b[HDR_SIZE..] {
        return Ok(None);
    }
    Ok(IndexHdr::decode(&b[..HDR_SIZE]))
}

/// The raw bytes of header copy 1 (to check that a snapshot is still current).
pub fn read_hdr_bytes(shm: &mut dyn Shm) -> Result<[u8; HDR_SIZE]> {
    let mut b = [0u8; HDR_SIZE];
    shm.read(0, &mut b)?;
    Ok(b)
}

/// Publishes `hdr` (change counter bumped, initialised): copy 2 first, then copy 1.
pub fn write_hdr(shm: &mut dyn Shm, hdr: &mut IndexHdr) -> Result<()> {
    hdr.change = hdr.change.wrapping_add(1);
    hdr.is_init = true;
    let b = hdr.encode();
    shm.write(HDR_SIZE as u64, &b)?;
    shm.write(0, &b)
}

/// The checkpoint-info block.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CkptInfo {
    pub n_backfill: u32,
    pub read_mark: [u32; N_READER],
    pub n_backfill_attempted: u32,
}

pub fn read_ckpt(shm: &mut dyn Shm) -> Result<CkptInfo> {
    let mut b = [0u8; 40];
    shm.read(CKPT_OFFSET, &mut b)?;
    let mut read_mark = [0u32; N_READER];
    for (i, m) in read_mark.iter_mut().enumerate() {
        *m = ne(&b, 4 + 4 * i);
    }
    Ok(CkptInfo { n_backfill: ne(&b, 0), read_mark, n_backfill_attempted: ne(&b, 32) })
}

pub fn write_n_backfill(shm: &mut dyn Shm, n: u32) -> Result<()> {
    shm.write(CKPT_OFFSET, &n.to_ne_bytes())
}

pub fn write_n_backfill_attempted(shm: &mut dyn Shm, n: u32) -> Result<()> {
    shm.write(CKPT_OFFSET + 32, &n.to_ne_bytes())
}

pub fn write_read_mark(shm: &mut dyn Shm, i: usize, v: u32) -> Result<()> {
    shm.write(CKPT_OFFSET + 4 + 4 * i as u64, &v.to_ne_bytes())
}

/// The region holding frame `frame` (1-based) and the frame number just before its first.
fn region_of(frame: u32) -> (u32, u32) {
    if frame <= NPAGE_ONE {
        (0, 0)
    } else {
        let r = (frame - NPAGE_ONE - 1) / NPAGE + 1;
        (r, NPAGE_ONE + (r - 1) * NPAGE)
    }
}

/// Offset of the aPgno array of region `r` (entry 1 of the array is at this offset).
fn pgno_array_offset(r: u32) -> u64 {
    r as u64 * SHM_REGION + if r == 0 { INDEX_HEADER_BYTES } else { 0 }
}

fn hash_slot(pgno: u32) -> usize {
    (pgno.wrapping_mul(383) & (NSLOT - 1)) as usize
}

/// Page numbers of frames `from..=to` (1-based), in frame order.
pub fn read_pgnos(shm: &mut dyn Shm, from: u32, to: u32) -> Result<Vec<u32>> {
    let mut out = Vec::with_capacity((to.saturating_sub(from) as usize + 1).min(1 << 16));
    let mut f = from;
    while f <= to && f > 0 {
        let (r, zero) = region_of(f);
        let last_in_region = zero + if r == 0 { NPAGE_ONE } else { NPAGE };
        let end = to.min(last_in_region);
        let mut buf = vec![0u8; ((end - f + 1) * 4) as usize];
        shm.read(pgno_array_offset(r) + (f - zero - 1) as u64 * 4, &mut buf)?;
        out.extend(buf.chunks_exact(4).map(|c| u32::from_ne_bytes(c.try_into().expect("4"))));
        f = end + 1;
    }
    Ok(out)
}

/// Records frames `first..first+pgnos.len()` (first = 1-based frame number) in the index,
/// clearing entries a failed writer left at or past `first` in the regions touched.
pub fn append(shm: &mut dyn Shm, first: u32, pgnos: &[u32]) -> Result<()> {
    let mut i = 0usize;
    while i < pgnos.len() {
        let frame = first + i as u32;
        let (r, zero) = region_of(frame);
        let cap = if r == 0 { NPAGE_ONE } else { NPAGE };
        let base = r as u64 * SHM_REGION;
        let skip = if r == 0 { INDEX_HEADER_BYTES as usize } else { 0 };
        let mut region = vec![0u8; SHM_REGION as usize];
        shm.read(base + skip as u64, &mut region[skip..])?;
        let idx0 = frame - zero; // 1-based entry of the first frame appended here
        if idx0 == 1 {
            region[skip..].fill(0);
        } else {
            // Remove stale entries >= idx0 (invariant 2).
            for e in idx0..=cap {
                let off = skip + (e as usize - 1) * 4;
                region[off..off + 4].fill(0);
            }
            for s in 0..NSLOT as usize {
                let off = HASH_OFFSET as usize + 2 * s;
                let v = u16::from_ne_bytes([region[off], region[off + 1]]) as u32;
                if v >= idx0 {
                    region[off..off + 2].fill(0);
                }
            }
        }
        let mut idx = idx0;
        while i < pgnos.len() && idx <= cap {
            let pgno = pgnos[i];
            let off = skip + (idx as usize - 1) * 4;
            region[off..off + 4].copy_from_slice(&pgno.to_ne_bytes());
            let mut slot = hash_slot(pgno);
            let mut probes = 0;
            loop {
                let off = HASH_OFFSET as usize + 2 * slot;
                if region[off] == 0 && region[off + 1] == 0 {
                    region[off..off + 2].copy_from_slice(&(idx as u16).to_ne_bytes());
                    break;
                }
                probes += 1;
                if probes > NSLOT {
                    return Err(Error::new(code::CORRUPT, "database disk image is malformed (WAL-index hash table full)"));
                }
                slot = (slot + 1) & (NSLOT as usize - 1);
            }
            idx += 1;
            i += 1;
        }
        shm.write(base + skip as u64, &region[skip..])?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::vfs::shm::HeapShm;

    #[test]
    fn header_round_trip_and_copies() {
        let mut shm = HeapShm::new();
        assert_eq!(read_hdr(&mut shm).unwrap(), None);
        let mut h = IndexHdr { page_size: 65536, mx_frame: 7, n_page: 2, salt: [1; 8], ..Default::default() };
        write_hdr(&mut shm, &mut h).unwrap();
        assert_eq!(read_hdr(&mut shm).unwrap(), Some(h));
        shm.write(20, &[9]).unwrap();
        assert_eq!(read_hdr(&mut shm).unwrap(), None);
    }

    #[test]
    fn append_spans_regions_and_clears_stale_entries() {
        let mut shm = HeapShm::new();
        let pgnos: Vec<u32> = (1..=5000).map(|i| i % 37 + 1).collect();
        append(&mut shm, 1, &pgnos).unwrap();
        assert_eq!(read_pgnos(&mut shm, 1, 5000).unwrap(), pgnos);
        // A rewrite from frame 4000 replaces the tail.
        append(&mut shm, 4000, &[99, 98]).unwrap();
        let got = read_pgnos(&mut shm, 3999, 4001).unwrap();
        assert_eq!(got, vec![pgnos[3998], 99, 98]);
        assert_eq!(read_pgnos(&mut shm, 4002, 4002).unwrap(), vec![0]);
    }
}
