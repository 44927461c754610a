//! Text utilities of the C API: UTF-16 conversion and the case-insensitive comparisons
//! `sqlite3_stricmp`/`sqlite3_strnicmp` (ASCII folding only, as SQLite's).
//!
//! Invariant: UTF-16 exists only in this crate; the engine sees UTF-8.

use crate::guard::guard;
use libc::{c_char, c_int};

/// Reads native-endian UTF-16 (`units` code units, or up to a NUL unit when negative) and
/// returns it as UTF-8; unpaired surrogates become U+FFFD.
///
/// # Safety
/// `p` is NULL or points to `units` readable units (NUL-terminated when `units < 0`).
pub unsafe fn utf16_to_utf8(p: *const u16, units: c_int) -> String {
    // SAFETY: forwarded with the caller's contract.
    let mut s = unsafe { utf16_value_to_utf8(p, units) };
    if let Some(z) = s.find('\0') {
        s.truncate(z);
    }
    s
}

/// As [`utf16_to_utf8`] for a text value: `units` units exactly, NULs included (SQLite keeps
/// them in bound and result values).
///
/// # Safety
/// As [`utf16_to_utf8`].
pub unsafe fn utf16_value_to_utf8(p: *const u16, units: c_int) -> String {
    if p.is_null() {
        return String::new();
    }
    let mut n = 0usize;
    if units < 0 {
        // SAFETY: NUL-terminated per the contract.
        while unsafe { *p.add(n) } != 0 {
            n += 1;
        }
    } else {
        n = units as usize;
    }
    // SAFETY: n readable units.
    String::from_utf16_lossy(unsafe { std::slice::from_raw_parts(p, n) })
}

fn fold(b: u8) -> u8 {
    b.to_ascii_lowercase()
}

/// Compares at most `n` bytes (all when `n` is None) of two NUL-terminated strings, ignoring
/// ASCII case; the sign of the result is what matters.
///
/// # Safety
/// Both pointers are non-NULL and NUL-terminated.
unsafe fn icmp(a: *const c_char, b: *const c_char, n: Option<usize>) -> c_int {
    let mut i = 0usize;
    loop {
        if n.is_some_and(|n| i >= n) {
            return 0;
        }
        // SAFETY: reading up to and including the NUL of each string.
        let (x, y) = unsafe { (*a.add(i) as u8, *b.add(i) as u8) };
        let d = fold(x) as c_int - fold(y) as c_int;
        if d != 0 || x == 0 {
            return d;
        }
        i += 1;
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stricmp(a: *const c_char, b: *const c_char) -> c_int {
    guard(0, || match (a.is_null(), b.is_null()) {
        (true, true) => 0,
        (true, false) => -1,
        (false, true) => 1,
        // SAFETY: both are C strings from the caller.
        (false, false) => unsafe { icmp(a, b, None) },
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_strnicmp(a: *const c_char, b: *const c_char, n: c_int) -> c_int {
    guard(0, || match (a.is_null(), b.is_null()) {
        (true, true) => 0,
        (true, false) => -1,
        (false, true) => 1,
        // SAFETY: both are C strings from the caller.
        (false, false) => unsafe { icmp(a, b, Some(n.max(0) as usize)) },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stricmp_folds_ascii_only() {
        let c = |s: &str| std::ffi::CString::new(s).expect("no NUL");
        let (a, b) = (c("HeLLo"), c("hello"));
        unsafe {
            assert_eq!(sqlite3_stricmp(a.as_ptr(), b.as_ptr()), 0);
            assert!(sqlite3_stricmp(c("a").as_ptr(), c("B").as_ptr()) < 0);
            assert_eq!(sqlite3_strnicmp(c("abcX").as_ptr(), c("ABCy").as_ptr(), 3), 0);
            assert!(sqlite3_strnicmp(c("abcX").as_ptr(), c("ABCy").as_ptr(), 4) < 0);
        }
    }
}

/// `sqlite3_strglob`: 0 when `s` matches the GLOB pattern (the engine's matcher).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_strglob(pattern: *const c_char, s: *const c_char) -> c_int {
    guard(1, || {
        // SAFETY: C strings from the caller.
        match unsafe { (crate::db::cstr_bytes(pattern), crate::db::cstr_bytes(s)) } {
            (Some(p), Some(t)) => !crate::engine::func::like::glob_match(p, t) as c_int,
            (None, None) => 0,
            _ => 1,
        }
    })
}

/// `sqlite3_strlike`: 0 when `s` matches the LIKE pattern (ASCII case folded), with `esc` as
/// the escape character unless it is 0.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_strlike(pattern: *const c_char, s: *const c_char, esc: libc::c_uint) -> c_int {
    guard(1, || {
        let esc = if esc == 0 { None } else { Some(esc) };
        // SAFETY: C strings from the caller.
        match unsafe { (crate::db::cstr_bytes(pattern), crate::db::cstr_bytes(s)) } {
            (Some(p), Some(t)) => !crate::engine::func::like::like_match(p, t, esc, false) as c_int,
            (None, None) => 0,
            _ => 1,
        }
    })
}

/// `sqlite3_complete`: 1 when the text ends a complete statement (the parser's rule: a final
/// `;` outside strings, comments and trigger bodies).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_complete(sql: *const c_char) -> c_int {
    guard(0, || {
        // SAFETY: a C string from the caller.
        let Some(b) = (unsafe { crate::db::cstr_bytes(sql) }) else { return 0 };
        crate::engine::sql::is_complete(&String::from_utf8_lossy(b)) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_complete16(sql: *const libc::c_void) -> c_int {
    guard(0, || {
        if sql.is_null() {
            return 0;
        }
        // SAFETY: a NUL-terminated UTF-16 string from the caller.
        let s = unsafe { utf16_to_utf8(sql as *const u16, -1) };
        crate::engine::sql::is_complete(&s) as c_int
    })
}

/// `sqlite3_keyword_count`: how many SQL keywords there are (147 in SQLite 3.40).
#[no_mangle]
pub extern "C" fn sqlite3_keyword_count() -> c_int {
    crate::engine::sql::token::KEYWORDS.len() as c_int
}

/// `sqlite3_keyword_name`: the `i`-th keyword (not NUL-terminated) and its length.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_keyword_name(i: c_int, name: *mut *const c_char, len: *mut c_int) -> c_int {
    guard(crate::global::SQLITE_ERROR, || {
        let kws = crate::engine::sql::token::KEYWORDS;
        match usize::try_from(i).ok().and_then(|i| kws.get(i)) {
            Some(k) => {
                // SAFETY: the caller's out-pointers, when given; keyword texts are 'static.
                unsafe {
                    if !name.is_null() {
                        *name = k.as_ptr() as *const c_char;
                    }
                    if !len.is_null() {
                        *len = k.len() as c_int;
                    }
                }
                crate::global::SQLITE_OK
            }
            None => crate::global::SQLITE_ERROR,
        }
    })
}

/// `sqlite3_keyword_check`: 1 when the `n` bytes at `z` are a keyword (any case).
#[no_mangle]
pub unsafe extern "C" fn sqlite3_keyword_check(z: *const c_char, n: c_int) -> c_int {
    guard(0, || {
        if z.is_null() || n <= 0 {
            return 0;
        }
        // SAFETY: the caller's n bytes.
        let w = unsafe { std::slice::from_raw_parts(z as *const u8, n as usize) };
        crate::engine::sql::token::keyword(w).is_some() as c_int
    })
}
