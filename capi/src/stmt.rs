//! `sqlite3_stmt`: preparing, stepping, binding and reading columns.
//!
//! Design: a `sqlite3_stmt` is a heap object owned by C between prepare and finalize. It keeps
//! its connection's handle, the engine's `Statement`, and the current row as `sqlite3_value`s
//! (so column pointers have SQLite's lifetimes: until the next step, reset or finalize, or a
//! conversion of the same column), plus NUL-terminated copies of the SQL, column names and
//! declared types.
//!
//! Invariants:
//! 1. Every call takes the connection's mutex ([`crate::db::with_db`]); a statement whose
//!    connection is gone is misuse.
//! 2. `ncols` is the current row's width (0 when there is none). Column `i` is read from the
//!    engine's row in place, or, once a call needs a `sqlite3_value` of it (text, blob, value,
//!    numeric conversions with cached forms), from `cols[i]`, made from the engine's row on
//!    first use after each step (`col_ok[i]`), reusing its buffers.
//! 3. A statement is listed in its connection's `stmts` from prepare to finalize.
//! 4. The tail pointer returned by prepare always points into the caller's buffer, at the byte
//!    where the engine's parser stopped.

use crate::db::{self, sqlite3, with_db_any};
use crate::engine::{Statement, StepResult, Value};
use crate::global::{SQLITE_DONE, SQLITE_INTERNAL, SQLITE_MISUSE, SQLITE_OK, SQLITE_RANGE, SQLITE_ROW};
use crate::guard::guard;
use crate::value::{c_text, sqlite3_value};
use libc::{c_char, c_int, c_void};
use std::ptr;

const STMT_MAGIC: u32 = 0x5713_7a11;

pub struct sqlite3_stmt {
    magic: u32,
    db: *mut sqlite3,
    stmt: Statement,
    sql_c: Vec<u8>,
    cols: Vec<sqlite3_value>,
    ncols: usize,
    col_ok: Vec<bool>,
    names_c: Vec<Vec<u8>>,
    names16: Vec<Vec<u16>>,
    decltypes_c: Vec<Option<Vec<u8>>>,
    param_names_c: Vec<Option<Vec<u8>>>,
    /// The code the last step returned, until a reset (reset and finalize report an error).
    last_rc: c_int,
    /// When the current run started (for the profile trace).
    started: Option<std::time::Instant>,
}

/// # Safety
/// `p` is NULL or a statement this library handed out and has not yet finalized.
unsafe fn get<'a>(p: *mut sqlite3_stmt) -> Option<&'a mut sqlite3_stmt> {
    // SAFETY: guaranteed by the caller; the magic guards against stale pointers in practice.
    let s = unsafe { p.as_mut() }?;
    (s.magic == STMT_MAGIC && db::is_live(s.db)).then_some(s)
}

/// True when `p` is a live statement that has started and not finished (for the registration
/// rules: functions and collations cannot change under a running statement).
pub fn is_running(p: *mut sqlite3_stmt) -> bool {
    // SAFETY: p comes from the connection's own list of live statements.
    unsafe { get(p) }.is_some_and(|s| s.stmt.is_running())
}

/// Runs `f` on a statement with its connection's mutex held.
fn with_stmt<R>(p: *mut sqlite3_stmt, fail: R, f: impl FnOnce(&mut sqlite3_stmt, &mut db::DbState) -> R) -> R {
    // SAFETY: the C caller passes a statement from prepare (or NULL).
    let Some(s) = (unsafe { get(p) }) else { return fail };
    // SAFETY: db::is_live checked the handle in get().
    let h = unsafe { &*s.db };
    with_db_any(h, |st| f(s, st))
}

fn prepare_impl(
    db: *mut sqlite3,
    sql: *const c_char,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_char,
) -> c_int {
    if pp_stmt.is_null() {
        return SQLITE_MISUSE;
    }
    // SAFETY: checked non-NULL; the caller gives a writable sqlite3_stmt**.
    unsafe { *pp_stmt = ptr::null_mut() };
    if !db::is_live(db) || sql.is_null() {
        return SQLITE_MISUSE;
    }
    // SAFETY: sql holds n_byte bytes, or is NUL-terminated when n_byte < 0.
    let bytes = unsafe { c_text(sql, n_byte) };
    let (text, valid_len) = match std::str::from_utf8(&bytes) {
        Ok(t) => (t.to_string(), bytes.len()),
        Err(e) => {
            // Text after invalid UTF-8 is handed on lossily; offsets stay right up to it.
            let v = e.valid_up_to();
            (String::from_utf8_lossy(&bytes).into_owned(), v)
        }
    };
    db::with_db(db, SQLITE_MISUSE, |st| {
        let mut r = st.conn.prepare(&text);
        // sqlite3_limit(SQLITE_LIMIT_VARIABLE_NUMBER): a statement whose parameters number
        // more is refused, with SQLite's message.
        let max_vars = st.limits[SQLITE_LIMIT_VARIABLE_NUMBER].max(0) as usize;
        if matches!(&r, Ok((Some(s), _)) if s.parameter_count() > max_vars) {
            r = Err(crate::engine::Error::sql("too many SQL variables"));
        }
        match r {
            Err(e) => st.fail(&e),
            Ok((stmt, tail)) => {
                if !pz_tail.is_null() {
                    let off = tail.min(valid_len);
                    // SAFETY: off <= the bytes we read from the caller's buffer (invariant 4).
                    unsafe { *pz_tail = sql.add(off) };
                }
                st.clear_error();
                if let Some(stmt) = stmt {
                    let p = Box::into_raw(Box::new(new_stmt(db, stmt)));
                    st.stmts.insert(0, p);
                    // SAFETY: pp_stmt is writable (checked above).
                    unsafe { *pp_stmt = p };
                }
                SQLITE_OK
            }
        }
    })
}


/// `SQLITE_LIMIT_VARIABLE_NUMBER`, an index into the connection's limits.
const SQLITE_LIMIT_VARIABLE_NUMBER: usize = 9;

fn nul_terminated(s: &str) -> Vec<u8> {
    let mut v: Vec<u8> = s.bytes().filter(|&b| b != 0).collect();
    v.push(0);
    v
}

fn new_stmt(db: *mut sqlite3, stmt: Statement) -> sqlite3_stmt {
    let n = stmt.column_count();
    let infos: Vec<_> = (0..n).filter_map(|i| stmt.column_info(i).cloned()).collect();
    sqlite3_stmt {
        magic: STMT_MAGIC,
        db,
        sql_c: nul_terminated(stmt.sql()),
        cols: Vec::new(),
        ncols: 0,
        col_ok: Vec::new(),
        names_c: infos.iter().map(|c| nul_terminated(&c.name)).collect(),
        names16: infos
            .iter()
            .map(|c| c.name.encode_utf16().chain(std::iter::once(0)).collect())
            .collect(),
        decltypes_c: infos.iter().map(|c| c.decltype.as_deref().map(nul_terminated)).collect(),
        param_names_c: (1..=stmt.parameter_count())
            .map(|i| stmt.parameter_name(i).map(nul_terminated))
            .collect(),
        stmt,
        last_rc: SQLITE_OK,
        started: None,
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare_v2(
    db: *mut sqlite3,
    sql: *const c_char,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_char,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare(
    db: *mut sqlite3,
    sql: *const c_char,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_char,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare_v3(
    db: *mut sqlite3,
    sql: *const c_char,
    n_byte: c_int,
    _flags: libc::c_uint,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_char,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

fn prepare16_impl(
    db: *mut sqlite3,
    sql: *const c_void,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_void,
) -> c_int {
    if sql.is_null() {
        if !pp_stmt.is_null() {
            // SAFETY: writable per the API contract.
            unsafe { *pp_stmt = ptr::null_mut() };
        }
        return SQLITE_MISUSE;
    }
    let units = if n_byte < 0 { -1 } else { n_byte / 2 };
    // SAFETY: the caller's UTF-16 text, NUL-terminated or n_byte long.
    let utf8 = unsafe { crate::text::utf16_to_utf8(sql as *const u16, units) };
    let c = nul_terminated(&utf8);
    let mut tail8: *const c_char = ptr::null();
    let rc = prepare_impl(db, c.as_ptr() as *const c_char, -1, pp_stmt, &mut tail8);
    if !pz_tail.is_null() {
        // Map the UTF-8 tail offset back to UTF-16 units.
        let off8 = if tail8.is_null() { c.len() - 1 } else { tail8 as usize - c.as_ptr() as usize };
        let off16: usize = utf8[..off8.min(utf8.len())].encode_utf16().count();
        // SAFETY: off16 units lie inside the caller's buffer.
        unsafe { *pz_tail = (sql as *const u16).add(off16) as *const c_void };
    }
    rc
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16(
    db: *mut sqlite3,
    sql: *const c_void,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_void,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare16_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16_v2(
    db: *mut sqlite3,
    sql: *const c_void,
    n_byte: c_int,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_void,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare16_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_prepare16_v3(
    db: *mut sqlite3,
    sql: *const c_void,
    n_byte: c_int,
    _flags: libc::c_uint,
    pp_stmt: *mut *mut sqlite3_stmt,
    pz_tail: *mut *const c_void,
) -> c_int {
    guard(SQLITE_INTERNAL, || prepare16_impl(db, sql, n_byte, pp_stmt, pz_tail))
}

const TRACE_STMT: libc::c_uint = 0x01;
const TRACE_PROFILE: libc::c_uint = 0x02;
const TRACE_ROW: libc::c_uint = 0x04;

/// Calls the connection's `sqlite3_trace_v2` callback for event `ev`, if it asked for it.
fn trace(st: &db::DbState, ev: libc::c_uint, p: *mut c_void, x: *mut c_void) {
    if let Some((h, mask)) = st.hooks.trace_v2 {
        if mask & ev != 0 {
            // SAFETY: the program's trace callback with its own argument and SQLite's P/X.
            unsafe { (h.f)(ev, h.arg as *mut c_void, p, x) };
        }
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_step(p: *mut sqlite3_stmt) -> c_int {
    guard(SQLITE_INTERNAL, || {
        with_stmt(p, SQLITE_MISUSE, |s, st| {
            s.ncols = 0;
            if !s.stmt.is_running() {
                // A statement starting while none of the connection runs clears a stale
                // interrupt, as in SQLite.
                if !st.stmts.iter().any(|&q| q != p && is_running(q)) {
                    db::clear_interrupt(s.db);
                }
                s.started = Some(std::time::Instant::now());
                trace(st, TRACE_STMT, p as *mut c_void, s.sql_c.as_ptr() as *mut c_void);
                if let Some(h) = st.hooks.trace {
                    // SAFETY: the program's legacy trace callback.
                    unsafe { (h.f)(h.arg as *mut c_void, s.sql_c.as_ptr() as *const c_char) };
                }
            }
            let rc = match s.stmt.step(&mut st.conn) {
                Ok(StepResult::Row) => {
                    s.ncols = s.stmt.row().len();
                    s.col_ok.clear();
                    s.col_ok.resize(s.ncols, false);
                    st.clear_error();
                    trace(st, TRACE_ROW, p as *mut c_void, ptr::null_mut());
                    SQLITE_ROW
                }
                Ok(StepResult::Done) => {
                    st.clear_error();
                    SQLITE_DONE
                }
                Err(e) => st.fail(&e),
            };
            s.last_rc = rc;
            if rc != SQLITE_ROW {
                if let Some(t0) = s.started.take() {
                    let mut ns = t0.elapsed().as_nanos().min(i64::MAX as u128) as i64;
                    trace(st, TRACE_PROFILE, p as *mut c_void, &mut ns as *mut i64 as *mut c_void);
                    if let Some(h) = st.hooks.profile {
                        // SAFETY: the program's legacy profile callback.
                        unsafe { (h.f)(h.arg as *mut c_void, s.sql_c.as_ptr() as *const c_char, ns as u64) };
                    }
                }
            }
            rc
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_reset(p: *mut sqlite3_stmt) -> c_int {
    if p.is_null() {
        return SQLITE_OK;
    }
    guard(SQLITE_INTERNAL, || {
        with_stmt(p, SQLITE_MISUSE, |s, st| {
            s.stmt.reset_with(&mut st.conn);
            s.started = None;
            s.ncols = 0;
            // Like SQLite, reset reports the error of the last step (and leaves it set).
            let rc = std::mem::replace(&mut s.last_rc, SQLITE_OK);
            if rc == SQLITE_ROW || rc == SQLITE_DONE { SQLITE_OK } else { rc }
        })
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_finalize(p: *mut sqlite3_stmt) -> c_int {
    if p.is_null() {
        return SQLITE_OK;
    }
    guard(SQLITE_INTERNAL, || {
        // SAFETY: the C caller passes a statement from prepare.
        let Some(s) = (unsafe { get(p) }) else { return SQLITE_MISUSE };
        let db = s.db;
        let rc = if s.last_rc == SQLITE_DONE || s.last_rc == SQLITE_ROW { SQLITE_OK } else { s.last_rc };
        // A statement finalized mid-run ends its part of the transaction first.
        // SAFETY: get() checked the connection is live.
        with_db_any(unsafe { &*db }, |st| s.stmt.reset_with(&mut st.conn));
        s.magic = 0;
        db::forget_stmt(db, p);
        // SAFETY: the statement came from Box::into_raw in prepare and is unlisted now.
        drop(unsafe { Box::from_raw(p) });
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_db_handle(p: *mut sqlite3_stmt) -> *mut sqlite3 {
    // SAFETY: the C caller passes a statement from prepare.
    guard(ptr::null_mut(), || unsafe { get(p) }.map_or(ptr::null_mut(), |s| s.db))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_sql(p: *mut sqlite3_stmt) -> *const c_char {
    // SAFETY: the C caller passes a statement from prepare.
    guard(ptr::null(), || unsafe { get(p) }.map_or(ptr::null(), |s| s.sql_c.as_ptr() as *const c_char))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_readonly(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare.
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.stmt.is_readonly() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_busy(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare.
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.stmt.is_running() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_stmt_isexplain(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare (or NULL).
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.stmt.explain_kind() as c_int))
}

// ---- bindings ----

fn bind(p: *mut sqlite3_stmt, i: c_int, v: Value) -> c_int {
    with_stmt(p, SQLITE_MISUSE, |s, st| {
        if s.stmt.is_running() {
            st.set_error(SQLITE_MISUSE, "bad parameter or other API misuse");
            return SQLITE_MISUSE;
        }
        if i < 1 {
            st.set_error(SQLITE_RANGE, "column index out of range");
            return SQLITE_RANGE;
        }
        let r = s.stmt.bind(i as usize, v);
        st.result(&r)
    })
}

const TRANSIENT: isize = -1;

/// Calls a bound value's destructor (not for SQLITE_STATIC/SQLITE_TRANSIENT): the bytes were
/// copied, so SQLite's promise to release them "when done" is kept right away.
fn release(ptr: *const c_void, destructor: isize) {
    if destructor != 0 && destructor != TRANSIENT && !ptr.is_null() {
        // SAFETY: the program passed a destructor function for this pointer.
        let f: unsafe extern "C" fn(*mut c_void) = unsafe { std::mem::transmute(destructor) };
        // SAFETY: called once with the pointer it was given for.
        unsafe { f(ptr as *mut c_void) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_null(p: *mut sqlite3_stmt, i: c_int) -> c_int {
    guard(SQLITE_INTERNAL, || bind(p, i, Value::Null))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_int(p: *mut sqlite3_stmt, i: c_int, v: c_int) -> c_int {
    guard(SQLITE_INTERNAL, || bind(p, i, Value::Integer(v as i64)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_int64(p: *mut sqlite3_stmt, i: c_int, v: i64) -> c_int {
    guard(SQLITE_INTERNAL, || bind(p, i, Value::Integer(v)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_double(p: *mut sqlite3_stmt, i: c_int, v: f64) -> c_int {
    guard(SQLITE_INTERNAL, || bind(p, i, if v.is_nan() { Value::Null } else { Value::Real(v) }))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text(
    p: *mut sqlite3_stmt,
    i: c_int,
    z: *const c_char,
    n: c_int,
    destructor: isize,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        let v = if z.is_null() {
            Value::Null
        } else {
            // SAFETY: the caller's text, n bytes or NUL-terminated.
            Value::Text(unsafe { crate::value::c_text_value(z, n) })
        };
        let rc = bind(p, i, v);
        release(z as *const c_void, destructor);
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text64(
    p: *mut sqlite3_stmt,
    i: c_int,
    z: *const c_char,
    n: u64,
    destructor: isize,
    _encoding: u8,
) -> c_int {
    let n = if n > i32::MAX as u64 { -1 } else { n as c_int };
    // SAFETY: forwarded.
    unsafe { sqlite3_bind_text(p, i, z, n, destructor) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_text16(
    p: *mut sqlite3_stmt,
    i: c_int,
    z: *const c_void,
    n: c_int,
    destructor: isize,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        let v = if z.is_null() {
            Value::Null
        } else {
            let units = if n < 0 { -1 } else { n / 2 };
            // SAFETY: the caller's UTF-16 text.
            Value::Text(unsafe { crate::text::utf16_value_to_utf8(z as *const u16, units) }.into_bytes())
        };
        let rc = bind(p, i, v);
        release(z, destructor);
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_blob(
    p: *mut sqlite3_stmt,
    i: c_int,
    z: *const c_void,
    n: c_int,
    destructor: isize,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        let v = if z.is_null() {
            Value::Null
        } else {
            // SAFETY: the caller's n bytes.
            Value::Blob(unsafe { std::slice::from_raw_parts(z as *const u8, n.max(0) as usize) }.to_vec())
        };
        let rc = bind(p, i, v);
        release(z, destructor);
        rc
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_blob64(
    p: *mut sqlite3_stmt,
    i: c_int,
    z: *const c_void,
    n: u64,
    destructor: isize,
) -> c_int {
    if n > i32::MAX as u64 {
        release(z, destructor);
        return crate::global::SQLITE_TOOBIG;
    }
    // SAFETY: forwarded.
    unsafe { sqlite3_bind_blob(p, i, z, n as c_int, destructor) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_zeroblob(p: *mut sqlite3_stmt, i: c_int, n: c_int) -> c_int {
    guard(SQLITE_INTERNAL, || bind(p, i, Value::Blob(vec![0; n.max(0) as usize])))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_zeroblob64(p: *mut sqlite3_stmt, i: c_int, n: u64) -> c_int {
    if n > 1_000_000_000 {
        return crate::global::SQLITE_TOOBIG;
    }
    guard(SQLITE_INTERNAL, || bind(p, i, Value::Blob(vec![0; n as usize])))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_value(p: *mut sqlite3_stmt, i: c_int, v: *const sqlite3_value) -> c_int {
    guard(SQLITE_INTERNAL, || {
        // SAFETY: a value this library handed out, or NULL.
        let v = unsafe { v.as_ref() }.map_or(Value::Null, |v| v.value.clone());
        bind(p, i, v)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_count(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare.
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.stmt.parameter_count() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_name(p: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: the C caller passes a statement from prepare.
        let Some(s) = (unsafe { get(p) }) else { return ptr::null() };
        match i.checked_sub(1).and_then(|k| s.param_names_c.get(k as usize)) {
            Some(Some(n)) => n.as_ptr() as *const c_char,
            _ => ptr::null(),
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_bind_parameter_index(p: *mut sqlite3_stmt, name: *const c_char) -> c_int {
    guard(0, || {
        // SAFETY: the C caller passes a statement from prepare and a C string.
        let (Some(s), Some(n)) = (unsafe { get(p) }, unsafe { db::cstr_bytes(name) }) else {
            return 0;
        };
        s.stmt.parameter_index(&String::from_utf8_lossy(n)) as c_int
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_clear_bindings(p: *mut sqlite3_stmt) -> c_int {
    guard(SQLITE_INTERNAL, || {
        with_stmt(p, SQLITE_MISUSE, |s, _| {
            s.stmt.clear_bindings();
            SQLITE_OK
        })
    })
}

// ---- columns ----

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_count(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare.
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.stmt.column_count() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_data_count(p: *mut sqlite3_stmt) -> c_int {
    // SAFETY: the C caller passes a statement from prepare.
    guard(0, || unsafe { get(p) }.map_or(0, |s| s.ncols as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_name(p: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: the C caller passes a statement from prepare.
        let Some(s) = (unsafe { get(p) }) else { return ptr::null() };
        usize::try_from(i)
            .ok()
            .and_then(|i| s.names_c.get(i))
            .map_or(ptr::null(), |n| n.as_ptr() as *const c_char)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_name16(p: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    guard(ptr::null(), || {
        // SAFETY: the C caller passes a statement from prepare.
        let Some(s) = (unsafe { get(p) }) else { return ptr::null() };
        usize::try_from(i)
            .ok()
            .and_then(|i| s.names16.get(i))
            .map_or(ptr::null(), |n| n.as_ptr() as *const c_void)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_decltype(p: *mut sqlite3_stmt, i: c_int) -> *const c_char {
    guard(ptr::null(), || {
        // SAFETY: the C caller passes a statement from prepare.
        let Some(s) = (unsafe { get(p) }) else { return ptr::null() };
        match usize::try_from(i).ok().and_then(|i| s.decltypes_c.get(i)) {
            Some(Some(d)) => d.as_ptr() as *const c_char,
            _ => ptr::null(),
        }
    })
}

/// The current row's column `i` as a `sqlite3_value`, or NULL when there is none.
fn column(p: *mut sqlite3_stmt, i: c_int) -> *mut sqlite3_value {
    // SAFETY: the C caller passes a statement from prepare.
    let Some(s) = (unsafe { get(p) }) else { return ptr::null_mut() };
    let Some(i) = usize::try_from(i).ok().filter(|&i| i < s.ncols) else { return ptr::null_mut() };
    if !s.col_ok[i] {
        let Some(v) = s.stmt.row().get(i) else { return ptr::null_mut() };
        while s.cols.len() < i {
            s.cols.push(sqlite3_value::new(Value::Null));
        }
        match s.cols.get_mut(i) {
            Some(c) => c.assign(v),
            None => s.cols.push(sqlite3_value::new(v.clone())),
        }
        s.col_ok[i] = true;
    }
    &mut s.cols[i] as *mut sqlite3_value
}

/// The current row's column `i` read in place (no `sqlite3_value` made), for the accessors
/// that return a number.
fn column_ref<'a>(p: *mut sqlite3_stmt, i: c_int) -> Option<&'a Value> {
    // SAFETY: the C caller passes a statement from prepare.
    let s = unsafe { get(p) }?;
    let i = usize::try_from(i).ok().filter(|&i| i < s.ncols)?;
    if s.col_ok[i] {
        s.cols.get(i).map(|c| &c.value)
    } else {
        s.stmt.row().get(i)
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_value(p: *mut sqlite3_stmt, i: c_int) -> *mut sqlite3_value {
    guard(ptr::null_mut(), || column(p, i))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_type(p: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: NULL or a column value; sqlite3_value_type handles both.
    guard(5, || column_ref(p, i).map_or(5, |v| v.storage_class() as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_int(p: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: as above.
    guard(0, || column_ref(p, i).map_or(0, |v| crate::value::to_int64(v) as c_int))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_int64(p: *mut sqlite3_stmt, i: c_int) -> i64 {
    // SAFETY: as above.
    guard(0, || column_ref(p, i).map_or(0, crate::value::to_int64))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_double(p: *mut sqlite3_stmt, i: c_int) -> f64 {
    // SAFETY: as above.
    guard(0.0, || column_ref(p, i).map_or(0.0, crate::value::to_double))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_text(p: *mut sqlite3_stmt, i: c_int) -> *const u8 {
    // SAFETY: as above.
    guard(ptr::null(), || unsafe { crate::value::sqlite3_value_text(column(p, i)) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_text16(p: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: as above.
    guard(ptr::null(), || unsafe { crate::value::sqlite3_value_text16(column(p, i)) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_blob(p: *mut sqlite3_stmt, i: c_int) -> *const c_void {
    // SAFETY: as above.
    guard(ptr::null(), || unsafe { crate::value::sqlite3_value_blob(column(p, i)) })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_bytes(p: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: as above.
    guard(0, || column_ref(p, i).map_or(0, crate::value::bytes_of))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_column_bytes16(p: *mut sqlite3_stmt, i: c_int) -> c_int {
    // SAFETY: as above.
    guard(0, || unsafe { crate::value::sqlite3_value_bytes16(column(p, i)) })
}
