//! Database names as `sqlite3_open_v2` receives them: plain filenames, `:memory:`, `""` and
//! `file:` URIs, turned into what the connection opens.
//!
//! URI grammar handled (SQLite's rules for `file:` URIs, which Debian's build recognizes
//! always, `SQLITE_USE_URI=1`):
//! `file:` [ `//` authority ] path [ `?` key=value ( `&` key=value )* ] [ `#` fragment ]
//! - the scheme is matched case-insensitively; the authority must be empty or `localhost`;
//! - `%HH` escapes are decoded in the path and the query; a `%` not followed by two hex digits
//!   stays as it is; the fragment is ignored;
//! - the parameters the engine acts on: `mode` (ro, rw, rwc, memory), `cache` (shared,
//!   private), `vfs`, `immutable`, `nolock`, `psow`; every parameter, known or not, is kept in
//!   order (with duplicates) for `sqlite3_uri_parameter` and the VFS.
//!
//! Invariants:
//! 1. `mode` may only lower the access the open flags allow; asking for more is
//!    "access mode not allowed: X" (`SQLITE_PERM`), as in SQLite.
//! 2. A name is in-memory when it is `:memory:` (as a plain name or a URI path) or has
//!    `mode=memory`; `""` names a private temporary database.

use crate::error::{code, Error, Result};

/// What a database name asks for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DbName {
    /// The file's path as given (decoded for URIs; not yet made absolute). Empty for memory and
    /// temporary databases.
    pub path: String,
    pub memory: bool,
    /// `""`: a private temporary database (on disk if it grows, deleted on close).
    pub temp: bool,
    pub read_only: bool,
    pub create: bool,
    pub vfs: Option<String>,
    pub shared_cache: bool,
    pub immutable: bool,
    pub nolock: bool,
    /// Every URI parameter in order, duplicates included.
    pub params: Vec<(String, String)>,
}

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Decodes `%HH` escapes (invalid ones are kept as written).
fn decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' && i + 2 < b.len() {
            if let (Some(h), Some(l)) = (hex(b[i + 1]), hex(b[i + 2])) {
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

/// SQLite's boolean spellings for URI parameters: `Some(true)` for 1/yes/true/on (and any
/// non-zero integer), `Some(false)` for 0/no/false/off, None otherwise.
pub fn boolean(v: &str) -> Option<bool> {
    let l = v.to_ascii_lowercase();
    match l.as_str() {
        "yes" | "true" | "on" => Some(true),
        "no" | "false" | "off" => Some(false),
        _ => l.parse::<i64>().ok().map(|n| n != 0),
    }
}

/// Interprets `filename` with the open flags' access (`read_only`, `create`); `uri` says
/// whether `file:` names are URIs (always true in Debian's build).
pub fn parse(filename: &str, read_only: bool, create: bool, uri: bool) -> Result<DbName> {
    let mut name = DbName { read_only, create, ..DbName::default() };
    let is_uri = uri && filename.len() >= 5 && filename.as_bytes()[..5].eq_ignore_ascii_case(b"file:");
    if !is_uri {
        match filename {
            ":memory:" => name.memory = true,
            "" => name.temp = true,
            _ => name.path = filename.to_string(),
        }
        return Ok(name);
    }
    let mut rest = &filename[5..];
    if let Some(after) = rest.strip_prefix("//") {
        let end = after.find('/').unwrap_or(after.len());
        let authority = &after[..end];
        if !authority.is_empty() && authority != "localhost" {
            return Err(Error::sql(format!("invalid uri authority: {authority}")));
        }
        rest = &after[end..];
    }
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = match rest.find('?') {
        Some(q) => (&rest[..q], Some(&rest[q + 1..])),
        None => (rest, None),
    };
    name.path = decode(path);
    for pair in query.unwrap_or("").split('&') {
        if pair.is_empty() {
            continue;
        }
        let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
        let (k, v) = (decode(k), decode(v));
        if k.is_empty() {
            continue;
        }
        match k.as_str() {
            "vfs" => name.vfs = Some(v.clone()),
            "cache" => match v.as_str() {
                "shared" => name.shared_cache = true,
                "private" => name.shared_cache = false,
                _ => return Err(Error::sql(format!("no such cache mode: {v}"))),
            },
            "mode" => {
                // Access levels: ro < rw < rwc; memory is its own kind.
                let (ro, cr, mem) = match v.as_str() {
                    "ro" => (true, false, false),
                    "rw" => (false, false, false),
                    "rwc" => (false, true, false),
                    "memory" => (false, create, true),
                    _ => return Err(Error::sql(format!("no such access mode: {v}"))),
                };
                let exceeds = (!ro && read_only) || (cr && !create);
                if exceeds && !mem {
                    return Err(Error::new(code::PERM, format!("access mode not allowed: {v}")));
                }
                name.read_only = ro || (read_only && !mem);
                name.create = cr && create;
                name.memory |= mem;
            }
            "immutable" => name.immutable = boolean(&v).unwrap_or(false),
            "nolock" => name.nolock = boolean(&v).unwrap_or(false),
            _ => {}
        }
        name.params.push((k, v));
    }
    if name.path == ":memory:" {
        name.memory = true;
    }
    if name.memory {
        name.path.clear();
    } else if name.path.is_empty() {
        name.temp = true;
    }
    Ok(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Each expectation below is what SQLite 3.40.1 does with the same name (checked with the
    // system library: sqlite3_open_v2, sqlite3_db_filename, sqlite3_uri_parameter).

    #[test]
    fn plain_names() {
        assert!(parse(":memory:", false, true, true).expect("ok").memory);
        assert!(parse("", false, true, true).expect("ok").temp);
        assert_eq!(parse("a.db", false, true, true).expect("ok").path, "a.db");
        assert_eq!(parse("file:a.db", false, true, false).expect("ok").path, "file:a.db");
    }

    #[test]
    fn a_multibyte_character_across_the_scheme_is_a_plain_name() {
        // Bug: the "file:" check sliced the name at byte 5, which panicked when a multi-byte
        // character straddled it; such a name is an ordinary filename.
        assert_eq!(parse("fileé.db", false, true, true).expect("ok").path, "fileé.db");
    }

    #[test]
    fn uri_paths_authorities_and_escapes() {
        assert_eq!(parse("file:/tmp/u1.db?a=x%20y", false, true, true).expect("ok").params, vec![("a".into(), "x y".into())]);
        assert_eq!(parse("file:///tmp/u2.db", false, true, true).expect("ok").path, "/tmp/u2.db");
        assert_eq!(parse("FILE://localhost/tmp/u3.db", false, true, true).expect("ok").path, "/tmp/u3.db");
        assert_eq!(
            parse("file://other/tmp/u4.db", false, true, true).expect_err("bad authority").message,
            "invalid uri authority: other"
        );
        assert_eq!(parse("file:/tmp/u%2f8.db", false, true, true).expect("ok").path, "/tmp/u/8.db");
        assert_eq!(parse("file:u9.db#frag", false, true, true).expect("ok").path, "u9.db");
        let n = parse("file:/x.db?a=1&a=2&flag&x=%41%zz", false, true, true).expect("ok");
        assert_eq!(
            n.params,
            vec![
                ("a".into(), "1".into()),
                ("a".into(), "2".into()),
                ("flag".into(), "".into()),
                ("x".into(), "A%zz".into())
            ]
        );
    }

    #[test]
    fn modes_and_their_limits() {
        assert!(parse("file:/x.db?mode=ro", false, true, true).expect("ok").read_only);
        let rw = parse("file:/x.db?mode=rw", false, true, true).expect("ok");
        assert!(!rw.read_only && !rw.create);
        let e = parse("file:/x.db?mode=xx", false, true, true).expect_err("bad mode");
        assert_eq!((e.code, e.message.as_str()), (code::ERROR, "no such access mode: xx"));
        let e = parse("file:/x.db?mode=rwc", true, false, true).expect_err("too much");
        assert_eq!((e.code, e.message.as_str()), (code::PERM, "access mode not allowed: rwc"));
        assert!(parse("file:x?mode=memory", false, true, true).expect("ok").memory);
        assert!(parse("file::memory:", false, true, true).expect("ok").memory);
        let e = parse("file:/x.db?cache=zz", false, true, true).expect_err("bad cache");
        assert_eq!(e.message, "no such cache mode: zz");
        assert_eq!(parse("file:/x.db?vfs=nope", false, true, true).expect("ok").vfs.as_deref(), Some("nope"));
    }

    #[test]
    fn booleans_read_as_sqlite_reads_them() {
        assert_eq!(boolean("yes"), Some(true));
        assert_eq!(boolean("Off"), Some(false));
        assert_eq!(boolean("2"), Some(true));
        assert_eq!(boolean("0"), Some(false));
        assert_eq!(boolean("maybe"), None);
    }
}
