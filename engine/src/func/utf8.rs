//! Characters of SQL text as SQLite's functions see them: a character starts at any byte, and a
//! lead byte >= 0xC0 takes all the continuation bytes (0x80..0xBF) that follow it. Text is never
//! rejected for being invalid UTF-8.
//!
//! Invariants:
//! 1. [`char_end`] always advances by at least one byte, so every loop over characters ends.
//! 2. [`read_char`] gives U+FFFD for an overlong form, a surrogate, U+FFFE/U+FFFF; a stray
//!    continuation byte reads as its own value.

/// The end of the character that starts at `i` (i < s.len()).
pub fn char_end(s: &[u8], i: usize) -> usize {
    let mut j = i + 1;
    if s[i] >= 0xc0 {
        while j < s.len() && s[j] & 0xc0 == 0x80 {
            j += 1;
        }
    }
    j
}

/// The number of characters in `s`.
pub fn char_count(s: &[u8]) -> usize {
    let (mut i, mut n) = (0, 0);
    while i < s.len() {
        i = char_end(s, i);
        n += 1;
    }
    n
}

/// The byte offset of character number `n` (or `s.len()` when there are fewer).
pub fn char_offset(s: &[u8], n: usize) -> usize {
    let mut i = 0;
    let mut k = 0;
    while i < s.len() && k < n {
        i = char_end(s, i);
        k += 1;
    }
    i
}

/// Splits `s` into its characters' byte slices.
pub fn chars(s: &[u8]) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < s.len() {
        let j = char_end(s, i);
        out.push(&s[i..j]);
        i = j;
    }
    out
}

/// The code point of the character at `i`, and where the next one starts.
pub fn read_char(s: &[u8], i: usize) -> (u32, usize) {
    let end = char_end(s, i);
    let lead = s[i];
    if lead < 0xc0 {
        return (u32::from(lead), end);
    }
    let mut c: u32 = match lead {
        0xc0..=0xdf => u32::from(lead & 0x1f),
        0xe0..=0xef => u32::from(lead & 0x0f),
        0xf0..=0xf7 => u32::from(lead & 0x07),
        _ => 0,
    };
    for &b in &s[i + 1..end] {
        c = (c << 6) | u32::from(b & 0x3f);
    }
    if c < 0x80 || (c & 0xffff_f800) == 0xd800 || (c & 0xffff_fffe) == 0xfffe {
        c = 0xfffd;
    }
    (c, end)
}

/// UTF-8 bytes of a code point, surrogates included (as SQLite's char() writes them).
pub fn encode(c: u32, out: &mut Vec<u8>) {
    if c < 0x80 {
        out.push(c as u8);
    } else if c < 0x800 {
        out.push(0xc0 | (c >> 6) as u8);
        out.push(0x80 | (c & 0x3f) as u8);
    } else if c < 0x10000 {
        out.push(0xe0 | (c >> 12) as u8);
        out.push(0x80 | ((c >> 6) & 0x3f) as u8);
        out.push(0x80 | (c & 0x3f) as u8);
    } else {
        out.push(0xf0 | (c >> 18) as u8);
        out.push(0x80 | ((c >> 12) & 0x3f) as u8);
        out.push(0x80 | ((c >> 6) & 0x3f) as u8);
        out.push(0x80 | (c & 0x3f) as u8);
    }
}

/// The bytes before the first NUL (SQLite's functions read text as C strings).
pub fn cstr(s: &[u8]) -> &[u8] {
    match s.iter().position(|&b| b == 0) {
        Some(n) => &s[..n],
        None => s,
    }
}
