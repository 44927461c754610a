//! `file:` URI filenames (SQLite's uri.html): `file:path?mode=ro&cache=shared#fragment`.
//!
//! Rules followed:
//! 1. The scheme is `file:`; an authority is allowed only when empty or `localhost`
//!    (`file:///a/b.db`, `file://localhost/a/b.db`); any other authority is an error.
//! 2. `%HH` escapes are decoded in the path and in parameters; the query string ends at `#`.
//! 3. Known parameters: `vfs`, `mode` (ro, rw, rwc, memory), `cache` (shared, private),
//!    `immutable`, `nolock`, `psow` (booleans as SQLite reads them: 1/yes/true/on and
//!    0/no/false/off). Unknown parameters are kept for `sqlite3_uri_parameter`.
//! 4. A bad `mode`/`cache` value is SQLITE_ERROR "no such access mode: X" / "no such cache
//!    mode: X", as SQLite reports.

use crate::error::{Error, Result};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UriMode {
    ReadOnly,
    ReadWrite,
    ReadWriteCreate,
    Memory,
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct UriFilename {
    /// The decoded path (empty for a temporary database).
    pub path: String,
    pub mode: Option<UriMode>,
    /// `cache=shared` (true) / `cache=private` (false).
    pub shared_cache: Option<bool>,
    pub vfs: Option<String>,
    pub immutable: bool,
    pub nolock: bool,
    pub psow: Option<bool>,
    /// Every parameter in order, decoded (known ones included).
    pub params: Vec<(String, String)>,
}

fn hex_val(c: u8) -> Option<u8> {
    match c {
        b'0'..=b'9' => Some(c - b'0'),
        b'a'..=b'f' => Some(c - b'a' + 10),
        b'A'..=b'F' => Some(c - b'A' + 10),
        _ => None,
    }
}

fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex_val(b[i + 1]), hex_val(b[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// SQLite's boolean reading of a URI parameter value.
pub fn uri_boolean(v: &str, default: bool) -> bool {
    match v.to_ascii_lowercase().as_str() {
        "1" | "yes" | "true" | "on" => true,
        "0" | "no" | "false" | "off" => false,
        s => s.parse::<i64>().map(|n| n != 0).unwrap_or(default),
    }
}

/// True when `name` is a URI filename (starts with `file:`).
pub fn is_uri(name: &str) -> bool {
    name.len() >= 5 && name[..5].eq_ignore_ascii_case("file:")
}

/// Parses a `file:` URI. Names that are not URIs come back as a plain path.
pub fn parse_uri(name: &str) -> Result<UriFilename> {
    if !is_uri(name) {
        return Ok(UriFilename { path: name.to_string(), ..Default::default() });
    }
    let rest = &name[5..];
    let rest = rest.split('#').next().unwrap_or("");
    let (mut path_part, query) = match rest.find('?') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (rest, ""),
    };
    if let Some(after) = path_part.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        if !authority.is_empty() && authority != "localhost" {
            return Err(Error::sql(format!("invalid uri authority: {authority}")));
        }
        path_part = &after[end..];
    }
    let mut u = UriFilename { path: decode(path_part), ..Default::default() };
    for kv in query.split('&').filter(|s| !s.is_empty()) {
        let (k, v) = match kv.find('=') {
            Some(i) => (decode(&kv[..i]), decode(&kv[i + 1..])),
            None => (decode(kv), String::new()),
        };
        match k.as_str() {
            "vfs" => u.vfs = Some(v.clone()),
            "mode" => {
                u.mode = Some(match v.as_str() {
                    "ro" => UriMode::ReadOnly,
                    "rw" => UriMode::ReadWrite,
                    "rwc" => UriMode::ReadWriteCreate,
                    "memory" => UriMode::Memory,
                    _ => return Err(Error::sql(format!("no such access mode: {v}"))),
                })
            }
            "cache" => {
                u.shared_cache = Some(match v.as_str() {
                    "shared" => true,
                    "private" => false,
                    _ => return Err(Error::sql(format!("no such cache mode: {v}"))),
                })
            }
            "immutable" => u.immutable = uri_boolean(&v, false),
            "nolock" => u.nolock = uri_boolean(&v, false),
            "psow" => u.psow = Some(uri_boolean(&v, true)),
            _ => {}
        }
        u.params.push((k, v));
    }
    Ok(u)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uri_examples_from_sqlite_docs() {
        let u = parse_uri("file:data.db?mode=ro&cache=private").unwrap();
        assert_eq!(u.path, "data.db");
        assert_eq!(u.mode, Some(UriMode::ReadOnly));
        assert_eq!(u.shared_cache, Some(false));
        let u = parse_uri("file:///home/fred/data.db").unwrap();
        assert_eq!(u.path, "/home/fred/data.db");
        let u = parse_uri("file://localhost/home/fred/data.db?vfs=unix-dotfile").unwrap();
        assert_eq!(u.path, "/home/fred/data.db");
        assert_eq!(u.vfs.as_deref(), Some("unix-dotfile"));
        assert!(parse_uri("file://darkstar/home/fred/data.db").is_err());
        let u = parse_uri("file:/home/fred/data%20base.db?immutable=1&nolock=yes#frag").unwrap();
        assert_eq!(u.path, "/home/fred/data base.db");
        assert!(u.immutable && u.nolock);
        let u = parse_uri("file::memory:?cache=shared").unwrap();
        assert_eq!(u.path, ":memory:");
        assert_eq!(parse_uri("file:x?mode=rx").unwrap_err().message, "no such access mode: rx");
        assert_eq!(parse_uri("plain.db").unwrap().path, "plain.db");
        assert_eq!(parse_uri("file:a?foo=b%41r").unwrap().params, vec![("foo".to_string(), "bAr".to_string())]);
    }
}
