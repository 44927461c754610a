//! The tokenizer: SQL text to [`Token`]s, with SQLite's lexical rules.
//!
//! Rules (SQLite 3.40's, checked against the real library):
//! - Whitespace is space, `\t`, `\n`, `\f`, `\r`; a run of it may continue with `\v`, which
//!   cannot start one (it is then illegal). `-- ...` runs to the end of the line; `/* ... */`
//!   may be unterminated (it then runs to the end of the input), except that a `/*` ending the
//!   input is a slash and a star.
//! - Identifiers: a letter, `_` or any byte >= 0x80, then those, digits and `$`. Quoted: `"..."`
//!   (with `""` escaping), `[...]`, `` `...` `` (with ``` `` ``` escaping). An unterminated quote is
//!   an illegal token running to the end of the input. Keywords are looked up case-insensitively.
//! - Strings `'...'` with `''` escaping. Blobs `x'hex'` with an even number of hex digits;
//!   anything else after `x'` up to the closing quote is illegal.
//! - Numbers: digits with an optional fraction and exponent, or `.digits...`, or `0x` + hex
//!   digits. A decimal number immediately followed by identifier characters (`123abc`, `1e`,
//!   `0xg`) is one illegal token covering them all; a hex number just ends (`0x1g` = `0x1` `g`).
//! - Parameters: `?` + optional digits; `:`, `@`, `#`, `$` + identifier characters, which may
//!   also contain `::` and end in a parenthesized suffix without spaces (`$a::b(c)`, `:a(b)`).
//!   A sigil with no name is illegal.
//!
//! Invariants:
//! 1. No allocation: a token is a kind and a span of the input. A NUL byte ends the input.
//! 2. Every call consumes at least one byte unless at end of input, so tokenizing terminates;
//!    spans always fall on UTF-8 character boundaries (multi-byte characters are identifier
//!    characters or swallowed whole by quotes, comments and illegal runs).

use super::token::{keyword, Token, TokenKind};

/// Whether `b` may appear in an identifier (after its first character).
#[inline]
pub fn is_id_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_' || b == b'$' || b >= 0x80
}

/// Whether `b` may start an identifier.
#[inline]
fn is_id_start(b: u8) -> bool {
    b.is_ascii_alphabetic() || b == b'_' || b >= 0x80
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\x0c' | b'\r')
}

/// Scans the token that starts at byte `pos` of `sql` (which must be < `sql.len()`).
/// Returns its kind and its length in bytes (always >= 1).
pub fn next_token(sql: &[u8], pos: usize) -> (TokenKind, usize) {
    let z = &sql[pos..];
    let at = |i: usize| -> u8 { z.get(i).copied().unwrap_or(0) };
    let c = z[0];
    use TokenKind as K;
    match c {
        b' ' | b'\t' | b'\n' | b'\x0c' | b'\r' => {
            // A run of whitespace may continue with \v, which cannot start one.
            let mut i = 1;
            while i < z.len() && (is_space(z[i]) || z[i] == b'\x0b') {
                i += 1;
            }
            (K::Space, i)
        }
        b'-' => {
            if at(1) == b'-' {
                let mut i = 2;
                while i < z.len() && z[i] != b'\n' {
                    i += 1;
                }
                (K::Space, i)
            } else if at(1) == b'>' {
                (K::Ptr, if at(2) == b'>' { 3 } else { 2 })
            } else {
                (K::Minus, 1)
            }
        }
        b'(' => (K::LParen, 1),
        b')' => (K::RParen, 1),
        b';' => (K::Semi, 1),
        b'+' => (K::Plus, 1),
        b'*' => (K::Star, 1),
        b'/' => {
            // `/*` at the very end of the input is a slash (then a star), as in SQLite.
            if at(1) != b'*' || z.len() == 2 {
                return (K::Slash, 1);
            }
            let mut i = 2;
            while i < z.len() && !(z[i] == b'*' && at(i + 1) == b'/') {
                i += 1;
            }
            (K::Space, (i + 2).min(z.len()))
        }
        b'%' => (K::Rem, 1),
        b'=' => (K::Eq, if at(1) == b'=' { 2 } else { 1 }),
        b'<' => match at(1) {
            b'=' => (K::Le, 2),
            b'>' => (K::Ne, 2),
            b'<' => (K::LShift, 2),
            _ => (K::Lt, 1),
        },
        b'>' => match at(1) {
            b'=' => (K::Ge, 2),
            b'>' => (K::RShift, 2),
            _ => (K::Gt, 1),
        },
        b'!' => {
            if at(1) == b'=' {
                (K::Ne, 2)
            } else {
                (K::Illegal, 1)
            }
        }
        b'|' => {
            if at(1) == b'|' {
                (K::Concat, 2)
            } else {
                (K::BitOr, 1)
            }
        }
        b',' => (K::Comma, 1),
        b'&' => (K::BitAnd, 1),
        b'~' => (K::BitNot, 1),
        b'\'' | b'"' | b'`' => {
            let mut i = 1;
            loop {
                if i >= z.len() {
                    return (K::Illegal, z.len());
                }
                if z[i] == c {
                    if at(i + 1) == c {
                        i += 2;
                        continue;
                    }
                    break;
                }
                i += 1;
            }
            (if c == b'\'' { K::String } else { K::Id }, i + 1)
        }
        b'.' => {
            if at(1).is_ascii_digit() {
                scan_number(z)
            } else {
                (K::Dot, 1)
            }
        }
        b'0'..=b'9' => scan_number(z),
        b'[' => match z.iter().position(|&b| b == b']') {
            Some(i) => (K::Id, i + 1),
            None => (K::Illegal, z.len()),
        },
        b'?' => {
            let mut i = 1;
            while at(i).is_ascii_digit() {
                i += 1;
            }
            (K::Variable, i)
        }
        b'$' | b'@' | b':' | b'#' => {
            let mut i = 1;
            let mut n = 0;
            while i < z.len() {
                let b = z[i];
                if is_id_char(b) {
                    n += 1;
                    i += 1;
                } else if b == b'(' && n > 0 {
                    // `$name(...)`: a suffix up to the closing parenthesis, no whitespace.
                    let mut j = i + 1;
                    while j < z.len() && z[j] != b')' && !is_space(z[j]) && z[j] != b'\x0b' {
                        j += 1;
                    }
                    if j < z.len() && z[j] == b')' {
                        return (K::Variable, j + 1);
                    }
                    return (K::Illegal, j.min(z.len()));
                } else if b == b':' && at(i + 1) == b':' {
                    i += 2;
                } else {
                    break;
                }
            }
            (if n == 0 { K::Illegal } else { K::Variable }, i)
        }
        b'x' | b'X' if at(1) == b'\'' => {
            let mut i = 2;
            while at(i).is_ascii_hexdigit() {
                i += 1;
            }
            let digits = i - 2;
            if at(i) != b'\'' || digits % 2 != 0 {
                while i < z.len() && z[i] != b'\'' {
                    i += 1;
                }
                if i < z.len() {
                    i += 1;
                }
                return (K::Illegal, i);
            }
            (K::Blob, i + 1)
        }
        _ if is_id_start(c) => {
            let mut i = 1;
            while i < z.len() && is_id_char(z[i]) {
                i += 1;
            }
            (keyword(&z[..i]).unwrap_or(K::Id), i)
        }
        _ => (K::Illegal, 1),
    }
}

/// Scans a numeric literal at the start of `z` (a digit, or `.` then a digit).
fn scan_number(z: &[u8]) -> (TokenKind, usize) {
    let at = |i: usize| -> u8 { z.get(i).copied().unwrap_or(0) };
    let mut kind = TokenKind::Integer;
    let mut i = 0;
    if z[0] == b'0' && (at(1) == b'x' || at(1) == b'X') && at(2).is_ascii_hexdigit() {
        // A hex literal ends at the first non-hex digit, even a letter (`0x1g` is `0x1` `g`).
        i = 3;
        while at(i).is_ascii_hexdigit() {
            i += 1;
        }
        return (kind, i);
    } else {
        while at(i).is_ascii_digit() {
            i += 1;
        }
        if at(i) == b'.' {
            kind = TokenKind::Float;
            i += 1;
            while at(i).is_ascii_digit() {
                i += 1;
            }
        }
        if (at(i) == b'e' || at(i) == b'E')
            && (at(i + 1).is_ascii_digit()
                || ((at(i + 1) == b'+' || at(i + 1) == b'-') && at(i + 2).is_ascii_digit()))
        {
            kind = TokenKind::Float;
            i += 2;
            while at(i).is_ascii_digit() {
                i += 1;
            }
        }
    }
    if i < z.len() && is_id_char(z[i]) {
        while i < z.len() && is_id_char(z[i]) {
            i += 1;
        }
        return (TokenKind::Illegal, i);
    }
    (kind, i)
}

/// An iterator over the significant tokens of `sql` (whitespace and comments skipped),
/// ending with one [`TokenKind::Eof`] token at the end of the input.
#[derive(Clone)]
pub struct Tokenizer<'a> {
    sql: &'a [u8],
    pos: usize,
    done: bool,
}

impl<'a> Tokenizer<'a> {
    pub fn new(sql: &'a str) -> Tokenizer<'a> {
        Tokenizer { sql: sql.as_bytes(), pos: 0, done: false }
    }

    /// Starts at byte offset `pos` (must be a character boundary).
    pub fn at(sql: &'a str, pos: usize) -> Tokenizer<'a> {
        Tokenizer { sql: sql.as_bytes(), pos, done: false }
    }

    /// The byte offset where the next token scan begins.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// The next significant token (an `Eof` token at the end of input, which a NUL byte also
    /// marks, as in SQLite: text after a NUL is never read).
    #[inline]
    pub fn next_significant(&mut self) -> Token {
        loop {
            if self.pos >= self.sql.len() || self.sql[self.pos] == 0 {
                let p = self.pos.min(self.sql.len()) as u32;
                return Token { kind: TokenKind::Eof, start: p, end: p };
            }
            let (kind, n) = next_token(self.sql, self.pos);
            let start = self.pos;
            self.pos += n;
            if kind != TokenKind::Space {
                return Token { kind, start: start as u32, end: self.pos as u32 };
            }
        }
    }
}

impl Iterator for Tokenizer<'_> {
    type Item = Token;
    fn next(&mut self) -> Option<Token> {
        if self.done {
            return None;
        }
        let t = self.next_significant();
        if t.kind == TokenKind::Eof {
            self.done = true;
        }
        Some(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use TokenKind as K;

    fn kinds(sql: &str) -> Vec<(TokenKind, &str)> {
        Tokenizer::new(sql).map(|t| (t.kind, t.text(sql))).collect()
    }

    #[test]
    fn numbers_follow_sqlite() {
        // Forms real SQLite accepts or rejects as one token (checked with sqlite3 3.40.1).
        assert_eq!(
            kinds("1 .5 5. 1.e5 1e+3 0x1F")[..6].iter().map(|k| k.0).collect::<Vec<_>>(),
            vec![K::Integer, K::Float, K::Float, K::Float, K::Float, K::Integer]
        );
        assert_eq!(kinds("123abc")[0], (K::Illegal, "123abc"));
        assert_eq!(kinds("1e+")[0], (K::Illegal, "1e"));
        assert_eq!(kinds("0xg")[0], (K::Illegal, "0xg"));
        assert_eq!(kinds("0x1g")[..2], [(K::Integer, "0x1"), (K::Id, "g")]);
        assert_eq!(
            kinds("#m(a) @a::b :a(b c)")[..3],
            [(K::Variable, "#m(a)"), (K::Variable, "@a::b"), (K::Illegal, ":a(b")]
        );
        assert_eq!(kinds("0x")[0], (K::Illegal, "0x"));
        assert_eq!(kinds("1_000")[0], (K::Illegal, "1_000"));
        assert_eq!(kinds("1.2.3")[..2], [(K::Float, "1.2"), (K::Float, ".3")]);
    }

    #[test]
    fn quotes_blobs_and_parameters() {
        assert_eq!(kinds("'a''b'")[0], (K::String, "'a''b'"));
        assert_eq!(kinds("'abc")[0], (K::Illegal, "'abc"));
        assert_eq!(kinds("[a b] `c` \"d\"\"e\"").iter().filter(|k| k.0 == K::Id).count(), 3);
        assert_eq!(kinds("x'abc'")[0], (K::Illegal, "x'abc'"));
        assert_eq!(kinds("x'zz'")[0], (K::Illegal, "x'zz'"));
        assert_eq!(kinds("X'AB'")[0], (K::Blob, "X'AB'"));
        assert_eq!(kinds("x''")[0], (K::Blob, "x''"));
        assert_eq!(
            kinds("$a::b(c) ?12 ?a :x @y #z")[..6],
            [
                (K::Variable, "$a::b(c)"),
                (K::Variable, "?12"),
                (K::Variable, "?"),
                (K::Id, "a"),
                (K::Variable, ":x"),
                (K::Variable, "@y")
            ]
        );
        assert_eq!(kinds("$a::b(c")[0], (K::Illegal, "$a::b(c"));
        assert_eq!(kinds(":")[0], (K::Illegal, ":"));
    }

    #[test]
    fn operators_comments_and_utf8() {
        assert_eq!(kinds("a->>b -> c")[1], (K::Ptr, "->>"));
        assert_eq!(kinds("a !b")[1], (K::Illegal, "!"));
        assert_eq!(kinds("\x0b")[0], (K::Illegal, "\x0b"));
        assert_eq!(kinds("a \x0bb")[1], (K::Id, "b"));
        assert_eq!(kinds("a /*")[1], (K::Slash, "/"));
        assert_eq!(kinds("1 /* x")[1].0, K::Eof);
        assert_eq!(kinds("1 -- x\n2")[1], (K::Integer, "2"));
        assert_eq!(kinds("héllo wörld")[..2], [(K::Id, "héllo"), (K::Id, "wörld")]);
        assert_eq!(kinds("a<>b==c")[1], (K::Ne, "<>"));
    }
}
