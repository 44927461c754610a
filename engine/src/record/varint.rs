//! SQLite's variable-length integers ("varints").
//!
//! Format (fileformat2 §1.6): 1 to 9 bytes, big-endian. Each of the first eight bytes gives
//! seven bits (its low bits) and continues while its high bit is set; a ninth byte, when
//! reached, gives all eight of its bits. A varint therefore holds any 64-bit value.
//!
//! Invariants:
//! 1. `put_varint` writes the shortest encoding, as SQLite does (files compare byte for byte).
//! 2. `get_varint` never reads past the slice; a truncated varint is `None` (the caller maps it
//!    to SQLITE_CORRUPT naming its page).

/// Decodes the varint at the start of `buf`: its value and its length in bytes.
#[inline]
pub fn get_varint(buf: &[u8]) -> Option<(u64, usize)> {
    let first = *buf.first()?;
    if first < 0x80 {
        return Some((first as u64, 1));
    }
    let mut v: u64 = 0;
    for i in 0..8 {
        let b = *buf.get(i)?;
        v = (v << 7) | (b & 0x7f) as u64;
        if b < 0x80 {
            return Some((v, i + 1));
        }
    }
    let b = *buf.get(8)?;
    Some(((v << 8) | b as u64, 9))
}

/// The length in bytes of the varint at the start of `buf`, without decoding it (None when it
/// is truncated).
#[inline]
pub fn varint_skip(buf: &[u8]) -> Option<usize> {
    for (i, &b) in buf.iter().take(8).enumerate() {
        if b < 0x80 {
            return Some(i + 1);
        }
    }
    if buf.len() >= 9 {
        Some(9)
    } else {
        None
    }
}

/// Decodes a varint known to describe a 32-bit quantity (header sizes, serial types of short
/// values); values above `u32::MAX` saturate, which callers reject as corrupt.
#[inline]
pub fn get_varint32(buf: &[u8]) -> Option<(u32, usize)> {
    let (v, n) = get_varint(buf)?;
    Some((u32::try_from(v).unwrap_or(u32::MAX), n))
}

/// The number of bytes `put_varint` writes for `v`.
#[inline]
pub fn varint_len(v: u64) -> usize {
    if v <= 0x7f {
        1
    } else if v > 0x00ff_ffff_ffff_ffff {
        9
    } else {
        let bits = 64 - v.leading_zeros() as usize;
        bits.div_ceil(7)
    }
}

/// Writes `v` at the start of `out` (which must hold `varint_len(v)` bytes); returns the length.
#[inline]
pub fn put_varint(out: &mut [u8], v: u64) -> usize {
    if v <= 0x7f {
        out[0] = v as u8;
        return 1;
    }
    if v > 0x00ff_ffff_ffff_ffff {
        out[8] = v as u8;
        let mut w = v >> 8;
        for i in (0..8).rev() {
            out[i] = (w as u8 & 0x7f) | 0x80;
            w >>= 7;
        }
        return 9;
    }
    let n = varint_len(v);
    let mut w = v;
    for i in (0..n).rev() {
        out[i] = (w as u8 & 0x7f) | if i == n - 1 { 0 } else { 0x80 };
        w >>= 7;
    }
    n
}

/// Appends the varint of `v` to `out`.
#[inline]
pub fn push_varint(out: &mut Vec<u8>, v: u64) {
    let mut tmp = [0u8; 9];
    let n = put_varint(&mut tmp, v);
    out.extend_from_slice(&tmp[..n]);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documented_boundaries() {
        // fileformat2: one byte holds 0..=127, two bytes up to 16383, nine bytes all 64 bits.
        for (v, len) in [
            (0u64, 1usize),
            (127, 1),
            (128, 2),
            (16383, 2),
            (16384, 3),
            (0x00ff_ffff_ffff_ffff, 8),
            (0x0100_0000_0000_0000, 9),
            (u64::MAX, 9),
        ] {
            assert_eq!(varint_len(v), len, "len of {v}");
            let mut buf = Vec::new();
            push_varint(&mut buf, v);
            assert_eq!(buf.len(), len);
            assert_eq!(get_varint(&buf), Some((v, len)));
        }
        assert_eq!(get_varint(&[0x81, 0x00]), Some((128, 2)));
        assert_eq!(get_varint(&[0xff; 9]), Some((u64::MAX, 9)));
    }

    #[test]
    fn truncated_is_none() {
        assert_eq!(get_varint(&[]), None);
        assert_eq!(get_varint(&[0x81]), None);
        assert_eq!(get_varint(&[0xff; 8]), None);
    }

    #[test]
    fn roundtrip_many() {
        let mut x: u64 = 0x9e37_79b9_7f4a_7c15;
        for shift in 0..64 {
            for _ in 0..50 {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                let v = x >> shift;
                let mut buf = Vec::new();
                push_varint(&mut buf, v);
                assert_eq!(get_varint(&buf), Some((v, buf.len())));
                assert_eq!(varint_skip(&buf), Some(buf.len()));
                assert_eq!(varint_skip(&buf[..buf.len() - 1]), None);
            }
        }
    }
}
