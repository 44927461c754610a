//! Scalar functions on text and blobs: length, lower, upper, substr/substring, trim, ltrim,
//! rtrim, replace, instr, hex, unicode, char, quote, soundex.
//!
//! Invariants:
//! 1. NULL in any argument gives NULL (except `char`, which reads NULL as 0, and `hex`/`quote`,
//!    which render it); numbers are used through their text form.
//! 2. Text is measured in characters ([`super::utf8`]), blobs in bytes; `length` and the other
//!    text readers stop at a NUL byte, as SQLite's C-string reads do.
//! 3. Case mapping is ASCII only (SQLite without ICU).

use super::context::FuncCtx;
use super::utf8::{char_count, char_end, char_offset, chars, cstr, encode, read_char};
use crate::error::Result;
use crate::value::convert::{to_i64, to_text};
use crate::value::real_text::{format_float, FloatConv, FloatSpec};
use crate::value::Value;

fn any_null(args: &[Value]) -> bool {
    args.iter().any(Value::is_null)
}

pub fn length(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(match &a[0] {
        Value::Null => Value::Null,
        Value::Blob(b) => Value::Integer(b.len() as i64),
        v => Value::Integer(char_count(cstr(&to_text(v))) as i64),
    })
}

pub fn lower(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(if a[0].is_null() { Value::Null } else { Value::Text(to_text(&a[0]).to_ascii_lowercase()) })
}

pub fn upper(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(if a[0].is_null() { Value::Null } else { Value::Text(to_text(&a[0]).to_ascii_uppercase()) })
}

/// substr(X, Y[, Z]): Y is 1-based from the start, or counts from the end when negative (0 is
/// the position before the first character); a negative Z takes the |Z| characters before Y.
/// Y and Z are read as 32-bit C ints, as SQLite reads them.
pub fn substr(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if any_null(a) {
        return Ok(Value::Null);
    }
    let is_blob = matches!(a[0], Value::Blob(_));
    if matches!(&a[0], Value::Blob(b) if b.is_empty()) {
        // An empty blob reads as a NULL pointer in SQLite, so the answer is NULL.
        return Ok(Value::Null);
    }
    // Text is read as SQLite's C string: it ends at a first NUL.
    let data = if is_blob { to_text(&a[0]) } else { cstr(&to_text(&a[0])).to_vec() };
    let len = if is_blob { data.len() } else { char_count(&data) } as i64;
    let y = i64::from(to_i64(&a[1]) as i32);
    let mut start = if y > 0 {
        y - 1
    } else if y < 0 {
        len + y
    } else {
        -1
    };
    // Without Z the length is the connection's length limit (so a start far before the
    // string can still leave nothing).
    let mut end = match a.get(2) {
        None => start.saturating_add(ctx.conn.max_length() as i64),
        Some(z) => {
            let z = i64::from(to_i64(z) as i32);
            if z < 0 {
                let e = start;
                start += z;
                e
            } else {
                start.saturating_add(z)
            }
        }
    };
    if y == 0 && a.len() == 2 {
        start = 0;
    }
    start = start.clamp(0, len);
    end = end.clamp(start, len);
    let (s, e) = (start as usize, end as usize);
    Ok(if is_blob {
        Value::Blob(data[s..e].to_vec())
    } else {
        let bs = char_offset(&data, s);
        let be = bs + char_offset(&data[bs..], e - s);
        Value::Text(data[bs..be].to_vec())
    })
}

#[derive(Clone, Copy)]
enum TrimSide {
    Left,
    Right,
    Both,
}

fn trim_impl(a: &[Value], side: TrimSide) -> Result<Value> {
    if any_null(a) {
        return Ok(Value::Null);
    }
    // The text is used to its full byte length; the character set ends at a NUL.
    let text = to_text(&a[0]);
    let set_bytes = if a.len() > 1 { to_text(&a[1]) } else { b" ".to_vec() };
    let set = chars(cstr(&set_bytes));
    let mut s: &[u8] = &text;
    if set.is_empty() {
        return Ok(Value::Text(s.to_vec()));
    }
    if matches!(side, TrimSide::Left | TrimSide::Both) {
        'left: while !s.is_empty() {
            for c in &set {
                if s.starts_with(c) {
                    s = &s[c.len()..];
                    continue 'left;
                }
            }
            break;
        }
    }
    if matches!(side, TrimSide::Right | TrimSide::Both) {
        'right: while !s.is_empty() {
            for c in &set {
                if s.ends_with(c) {
                    s = &s[..s.len() - c.len()];
                    continue 'right;
                }
            }
            break;
        }
    }
    Ok(Value::Text(s.to_vec()))
}

pub fn trim(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    trim_impl(a, TrimSide::Both)
}
pub fn ltrim(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    trim_impl(a, TrimSide::Left)
}
pub fn rtrim(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    trim_impl(a, TrimSide::Right)
}

/// replace(X, Y, Z): every Y in X becomes Z. A Y that is empty or starts with a NUL byte (SQLite
/// tests it as a C string) returns X as it was, except that a blob X comes back as text, and
/// before Z is looked at (a NULL Z does not matter then).
pub fn replace(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if a[0].is_null() || a[1].is_null() {
        return Ok(Value::Null);
    }
    // All three are used to their full byte lengths (NUL bytes included).
    let text = to_text(&a[0]);
    let pattern = to_text(&a[1]);
    if pattern.first().is_none_or(|b| *b == 0) {
        return Ok(match &a[0] {
            Value::Blob(_) => Value::Text(text),
            x => x.clone(),
        });
    }
    if a[2].is_null() {
        return Ok(Value::Null);
    }
    let with = to_text(&a[2]);
    let mut out = Vec::with_capacity(text.len());
    let mut i = 0;
    while i < text.len() {
        if text[i..].starts_with(&pattern) {
            out.extend_from_slice(&with);
            i += pattern.len();
        } else {
            out.push(text[i]);
            i += 1;
        }
    }
    Ok(Value::Text(out))
}

/// instr(H, N): the 1-based position of the first N in H (characters, or bytes when both are
/// blobs); 0 when absent.
pub fn instr(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if any_null(a) {
        return Ok(Value::Null);
    }
    let blobs = matches!(a[0], Value::Blob(_)) && matches!(a[1], Value::Blob(_));
    // Both are used to their full byte lengths (NUL bytes included).
    let h = to_text(&a[0]);
    let n = to_text(&a[1]);
    let (h, n): (&[u8], &[u8]) = (&h, &n);
    if n.is_empty() {
        return Ok(Value::Integer(1));
    }
    let mut i = 0;
    let mut pos = 1;
    while i + n.len() <= h.len() {
        if &h[i..i + n.len()] == n {
            return Ok(Value::Integer(pos));
        }
        i = if blobs { i + 1 } else { char_end(h, i) };
        pos += 1;
    }
    Ok(Value::Integer(0))
}

pub fn hex(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let bytes = to_text(&a[0]);
    let mut out = Vec::with_capacity(bytes.len() * 2);
    for b in bytes {
        out.extend_from_slice(format!("{b:02X}").as_bytes());
    }
    Ok(Value::Text(out))
}

pub fn unicode(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    if a[0].is_null() {
        return Ok(Value::Null);
    }
    let t = to_text(&a[0]);
    if t.is_empty() || t[0] == 0 {
        return Ok(Value::Null);
    }
    Ok(Value::Integer(i64::from(read_char(&t, 0).0)))
}

/// char(X, …): the characters with those code points; NULL reads as 0, a code outside
/// 0..=0x10FFFF as U+FFFD.
pub fn char_fn(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let mut out = Vec::with_capacity(a.len());
    for v in a {
        let x = to_i64(v);
        let c = if (0..=0x10ffff).contains(&x) { x as u32 } else { 0xfffd };
        encode(c, &mut out);
    }
    Ok(Value::Text(out))
}

/// The SQL literal of a value, as quote() writes it.
pub fn quote_value(v: &Value) -> Vec<u8> {
    match v {
        Value::Null => b"NULL".to_vec(),
        Value::Integer(i) => i.to_string().into_bytes(),
        Value::Real(r) => {
            let text = crate::value::real_text::real_to_text(*r);
            if r.is_infinite() || text.parse::<f64>().ok() == Some(*r) {
                text.into_bytes()
            } else {
                let mut spec = FloatSpec::new(FloatConv::Exp);
                spec.precision = Some(20);
                spec.alt2 = true;
                let t = format_float(*r, &spec);
                format!("{}{}", t.sign, t.body).into_bytes()
            }
        }
        Value::Text(t) => {
            let mut out = vec![b'\''];
            for &b in cstr(t) {
                out.push(b);
                if b == b'\'' {
                    out.push(b'\'');
                }
            }
            out.push(b'\'');
            out
        }
        Value::Blob(b) => {
            let mut out = b"X'".to_vec();
            for x in b {
                out.extend_from_slice(format!("{x:02X}").as_bytes());
            }
            out.push(b'\'');
            out
        }
    }
}

pub fn quote(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(Value::Text(quote_value(&a[0])))
}

/// soundex(X): the letter and three digits of the American Soundex code; `?000` when X has
/// no ASCII letter. Unlike textbook Soundex, H and W separate equal codes like vowels do.
pub fn soundex(_: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    fn code(b: u8) -> u8 {
        match b.to_ascii_uppercase() {
            b'B' | b'F' | b'P' | b'V' => b'1',
            b'C' | b'G' | b'J' | b'K' | b'Q' | b'S' | b'X' | b'Z' => b'2',
            b'D' | b'T' => b'3',
            b'L' => b'4',
            b'M' | b'N' => b'5',
            b'R' => b'6',
            _ => 0,
        }
    }
    let t = to_text(&a[0]);
    let t = cstr(&t);
    let Some(first) = t.iter().position(|b| b.is_ascii_alphabetic()) else {
        return Ok(Value::text("?000"));
    };
    let mut out = vec![t[first].to_ascii_uppercase()];
    let mut prev = code(t[first]);
    // Every byte without a code (vowels, H, W, Y, digits, spaces…) separates equal codes; a
    // byte >= 0x80 is looked up by its low seven bits, as SQLite does.
    for &b in &t[first + 1..] {
        if out.len() == 4 {
            break;
        }
        let c = code(b & 0x7f);
        if c != 0 && c != prev {
            out.push(c);
        }
        prev = c;
    }
    while out.len() < 4 {
        out.push(b'0');
    }
    Ok(Value::Text(out))
}
