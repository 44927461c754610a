//! LIKE and GLOB pattern matching (the functions `like(P, X[, E])` and `glob(P, X)`).
//!
//! LIKE: `%` any run of characters, `_` one character, ASCII letters match either case (unless
//! `PRAGMA case_sensitive_like`), an ESCAPE character makes the next pattern character literal.
//! GLOB: `*`, `?`, `[…]` sets with ranges and `^` negation (a `]` right after `[` or `[^` is a
//! member), case-sensitive.
//!
//! Invariants:
//! 1. NULL pattern or text gives NULL; a blob on either side gives 0 (Debian's SQLite is built
//!    with SQLITE_LIKE_DOESNT_MATCH_BLOBS).
//! 2. Pattern and text end at a NUL byte (they are read as C strings).
//! 3. A pattern ending in an escape, or with an unterminated `[`, matches nothing from there.
//! 4. Matching is backtracking to the last `%`/`*` only, so it runs in O(pattern × text).

use super::context::FuncCtx;
use super::utf8::{char_count, cstr, read_char};
use crate::error::{Error, Result};
use crate::value::convert::to_text;
use crate::value::Value;

#[derive(Clone, Debug, PartialEq)]
enum Token {
    Any,
    One,
    Literal(u32),
    Set { negated: bool, ranges: Vec<(u32, u32)> },
    Never,
}

fn decode(s: &[u8]) -> Vec<u32> {
    let mut out = Vec::with_capacity(s.len());
    let mut i = 0;
    while i < s.len() {
        let (c, next) = read_char(s, i);
        out.push(c);
        i = next;
    }
    out
}

fn tokenize_like(p: &[u32], escape: Option<u32>) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        i += 1;
        if Some(c) == escape {
            match p.get(i) {
                Some(&next) => {
                    out.push(Token::Literal(next));
                    i += 1;
                }
                None => out.push(Token::Never),
            }
        } else if c == u32::from(b'%') {
            out.push(Token::Any);
        } else if c == u32::from(b'_') {
            out.push(Token::One);
        } else {
            out.push(Token::Literal(c));
        }
    }
    out
}

fn tokenize_glob(p: &[u32]) -> Vec<Token> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < p.len() {
        let c = p[i];
        i += 1;
        match char::from_u32(c) {
            Some('*') => out.push(Token::Any),
            Some('?') => out.push(Token::One),
            Some('[') => {
                let mut negated = false;
                if p.get(i) == Some(&u32::from(b'^')) {
                    negated = true;
                    i += 1;
                }
                let mut ranges = Vec::new();
                if p.get(i) == Some(&u32::from(b']')) {
                    ranges.push((c_u(']'), c_u(']')));
                    i += 1;
                }
                let mut closed = false;
                // The character a `-` may start a range from (none right after a range).
                let mut prior = ranges.last().map(|r: &(u32, u32)| r.0);
                while i < p.len() {
                    let x = p[i];
                    if x == c_u(']') {
                        closed = true;
                        i += 1;
                        break;
                    }
                    if x == c_u('-') && i + 1 < p.len() && p[i + 1] != c_u(']') {
                        if let Some(lo) = prior {
                            ranges.pop();
                            ranges.push((lo, p[i + 1]));
                            prior = None;
                            i += 2;
                            continue;
                        }
                    }
                    ranges.push((x, x));
                    prior = Some(x);
                    i += 1;
                }
                if closed {
                    out.push(Token::Set { negated, ranges });
                } else {
                    out.push(Token::Never);
                    return out;
                }
            }
            _ => out.push(Token::Literal(c)),
        }
    }
    out
}

fn c_u(c: char) -> u32 {
    c as u32
}

fn fold(c: u32) -> u32 {
    if (u32::from(b'A')..=u32::from(b'Z')).contains(&c) {
        c + 32
    } else {
        c
    }
}

fn token_matches(t: &Token, c: u32, no_case: bool) -> bool {
    match t {
        Token::One => true,
        Token::Literal(l) => *l == c || (no_case && fold(*l) == fold(c)),
        Token::Set { negated, ranges } => ranges.iter().any(|&(lo, hi)| lo <= c && c <= hi) != *negated,
        Token::Never | Token::Any => false,
    }
}

fn matches(tokens: &[Token], text: &[u32], no_case: bool) -> bool {
    let (mut ti, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if ti < tokens.len() && tokens[ti] == Token::Any {
            star = Some((ti, si));
            ti += 1;
            continue;
        }
        if ti == tokens.len() && si == text.len() {
            return true;
        }
        if ti < tokens.len() && si < text.len() && token_matches(&tokens[ti], text[si], no_case) {
            ti += 1;
            si += 1;
            continue;
        }
        match star {
            Some((st, ss)) if ss < text.len() => {
                star = Some((st, ss + 1));
                ti = st + 1;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

/// `text LIKE pattern [ESCAPE escape]`.
pub fn like_match(pattern: &[u8], text: &[u8], escape: Option<u32>, case_sensitive: bool) -> bool {
    let tokens = tokenize_like(&decode(cstr(pattern)), escape);
    matches(&tokens, &decode(cstr(text)), !case_sensitive)
}

/// `text GLOB pattern`.
pub fn glob_match(pattern: &[u8], text: &[u8]) -> bool {
    let tokens = tokenize_glob(&decode(cstr(pattern)));
    matches(&tokens, &decode(cstr(text)), false)
}

/// Common argument checks; Some(result) when the answer is known without matching.
fn precheck(ctx: &FuncCtx<'_>, a: &[Value]) -> Result<Option<Value>> {
    if matches!(a[0], Value::Blob(_)) || matches!(a[1], Value::Blob(_)) {
        return Ok(Some(Value::Integer(0)));
    }
    if let Value::Text(p) = &a[0] {
        if p.len() > ctx.conn.max_like_pattern_length() {
            return Err(Error::sql("LIKE or GLOB pattern too complex"));
        }
    }
    Ok(None)
}

/// like(P, X[, E]): X LIKE P [ESCAPE E].
pub fn like(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if let Some(v) = precheck(ctx, a)? {
        return Ok(v);
    }
    // The escape is checked before the NULL test of pattern and text.
    let mut escape = None;
    if let Some(e) = a.get(2) {
        if e.is_null() {
            return Ok(Value::Null);
        }
        let e = to_text(e);
        let e = cstr(&e);
        if char_count(e) != 1 {
            return Err(Error::sql("ESCAPE expression must be a single character"));
        }
        escape = Some(read_char(e, 0).0);
    }
    if a[0].is_null() || a[1].is_null() {
        return Ok(Value::Null);
    }
    let hit = like_match(&to_text(&a[0]), &to_text(&a[1]), escape, ctx.case_sensitive_like);
    Ok(Value::Integer(i64::from(hit)))
}

/// glob(P, X): X GLOB P.
pub fn glob(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if let Some(v) = precheck(ctx, a)? {
        return Ok(v);
    }
    if a[0].is_null() || a[1].is_null() {
        return Ok(Value::Null);
    }
    Ok(Value::Integer(i64::from(glob_match(&to_text(&a[0]), &to_text(&a[1])))))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn patterns() {
        assert!(like_match(b"a%", b"ABC", None, false));
        assert!(!like_match(b"a%", b"ABC", None, true));
        assert!(like_match(b"a\\%", b"a%", Some('\\' as u32), false));
        assert!(like_match(b"_", "é".as_bytes(), None, false));
        assert!(glob_match(b"[^a-c]*", b"dog"));
        assert!(glob_match(b"[]]", b"]"));
        assert!(!glob_match(b"*[", b"["));
        assert!(like_match(b"%a%b%c%", b"xxaxxbxxcxx", None, false));
    }
}
