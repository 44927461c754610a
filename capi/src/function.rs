//! Application-defined SQL functions and collations: `sqlite3_create_function*`,
//! `sqlite3_create_window_function`, `sqlite3_create_collation*`, and the `sqlite3_context`
//! API a C function uses (`sqlite3_result_*`, `sqlite3_user_data`, `sqlite3_aggregate_context`,
//! auxiliary data).
//!
//! Design: a C function becomes an engine `FuncDef` whose closure builds the C view of a call
//! (an array of `sqlite3_value`s and a [`sqlite3_context`]), calls the program's callback, and
//! turns what it set with `sqlite3_result_*` into the engine's `Result<Value>`. Aggregates keep
//! their `sqlite3_aggregate_context` memory in the engine's per-group state ([`CAggregate`]).
//! A collation becomes an engine `Collation` over the program's compare callback.
//!
//! Invariants:
//! 1. `xDestroy(pApp)` runs exactly once, when the last engine object holding the callbacks is
//!    dropped (the function was replaced or deleted, or the connection closed) — [`AppData`].
//! 2. Aggregate-context memory is zeroed at first use, lives until `xFinal` returned, and is
//!    freed with `sqlite3_free`.
//! 3. A C callback gets values and a context that live for exactly the call.

use crate::db::{sqlite3, with_db};
use crate::engine::func::context::FuncCtx;
use crate::engine::func::registry::{AggregateState, FuncDef, FuncFlags};
use crate::engine::value::collation::Collation;
use crate::engine::{Error, Result, Value};
use crate::global::{SQLITE_ERROR, SQLITE_INTERNAL, SQLITE_MISUSE, SQLITE_NOMEM, SQLITE_OK, SQLITE_TOOBIG};
use crate::guard::guard;
use crate::mem;
use crate::value::{c_text, sqlite3_value};
use libc::{c_char, c_int, c_void};
use std::ptr;
use std::sync::Arc;

type XFunc = unsafe extern "C" fn(*mut sqlite3_context, c_int, *mut *mut sqlite3_value);
type XFinal = unsafe extern "C" fn(*mut sqlite3_context);
type XDestroy = unsafe extern "C" fn(*mut c_void);
type XCompare = unsafe extern "C" fn(*mut c_void, c_int, *const c_void, c_int, *const c_void) -> c_int;

const SQLITE_DETERMINISTIC: c_int = 0x800;
const SQLITE_DIRECTONLY: c_int = 0x80000;
const SQLITE_INNOCUOUS: c_int = 0x200000;

/// The program's pointer and its destructor (invariant 1).
struct AppData {
    p: *mut c_void,
    destroy: Option<XDestroy>,
}

// SAFETY: SQLite hands pApp to callbacks on whatever thread runs the statement; the program
// promised that is fine when it registered it.
unsafe impl Send for AppData {}
unsafe impl Sync for AppData {}

impl Drop for AppData {
    fn drop(&mut self) {
        if let Some(d) = self.destroy {
            // SAFETY: the program's destructor for its own pointer, called once.
            unsafe { d(self.p) };
        }
    }
}

/// The callbacks of one C function.
struct CFunc {
    db: usize,
    app: Arc<AppData>,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
    x_value: Option<XFinal>,
    x_inverse: Option<XFunc>,
}

/// What a C function sees of one call (`sqlite3_context*`).
pub struct sqlite3_context {
    db: *mut sqlite3,
    user_data: *mut c_void,
    result: Value,
    error: Option<(c_int, String)>,
    /// Where this call's aggregate memory lives; NULL for scalar calls.
    agg_mem: *mut *mut c_void,
}

impl CFunc {
    /// Calls `f` with the C view of `args` (invariant 3) and returns what the callback set.
    fn call(&self, f: XFunc, args: &[Value], agg_mem: *mut *mut c_void) -> Result<Value> {
        let mut vals: Vec<sqlite3_value> = args.iter().cloned().map(sqlite3_value::new).collect();
        let mut ptrs: Vec<*mut sqlite3_value> = vals.iter_mut().map(|v| v as *mut sqlite3_value).collect();
        let mut ctx = self.context(agg_mem);
        // SAFETY: the program's callback, with a context and argc values valid for the call.
        unsafe { f(&mut ctx, ptrs.len() as c_int, ptrs.as_mut_ptr()) };
        ctx.outcome()
    }

    fn call_final(&self, f: XFinal, agg_mem: *mut *mut c_void) -> Result<Value> {
        let mut ctx = self.context(agg_mem);
        // SAFETY: the program's callback with a context valid for the call.
        unsafe { f(&mut ctx) };
        ctx.outcome()
    }

    fn context(&self, agg_mem: *mut *mut c_void) -> sqlite3_context {
        sqlite3_context {
            db: self.db as *mut sqlite3,
            user_data: self.app.p,
            result: Value::Null,
            error: None,
            agg_mem,
        }
    }
}

impl sqlite3_context {
    fn outcome(self) -> Result<Value> {
        match self.error {
            Some((code, msg)) => Err(Error::new(code, msg)),
            None => Ok(self.result),
        }
    }
}

/// One group's state of a C aggregate (invariant 2).
struct CAggregate {
    f: Arc<CFunc>,
    mem: *mut c_void,
}

// SAFETY: the memory belongs to this state alone and is only touched through its callbacks.
unsafe impl Send for CAggregate {}

impl AggregateState for CAggregate {
    fn step(&mut self, _ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<()> {
        let f = self.f.x_step.ok_or_else(|| Error::new(SQLITE_INTERNAL, "aggregate without xStep"))?;
        self.f.call(f, args, &mut self.mem).map(|_| ())
    }

    fn inverse(&mut self, _ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<()> {
        match self.f.x_inverse {
            Some(f) => self.f.call(f, args, &mut self.mem).map(|_| ()),
            None => Err(Error::sql("this aggregate cannot be used as a window function")),
        }
    }

    fn value(&mut self, _ctx: &mut FuncCtx<'_>) -> Result<Value> {
        match self.f.x_value {
            Some(f) => self.f.call_final(f, &mut self.mem),
            None => Err(Error::sql("this aggregate cannot be used as a window function")),
        }
    }

    fn finalize(&mut self, _ctx: &mut FuncCtx<'_>) -> Result<Value> {
        let f = self.f.x_final.ok_or_else(|| Error::new(SQLITE_INTERNAL, "aggregate without xFinal"))?;
        let r = self.f.call_final(f, &mut self.mem);
        mem::free(std::mem::replace(&mut self.mem, ptr::null_mut()));
        r
    }
}

impl Drop for CAggregate {
    fn drop(&mut self) {
        mem::free(std::mem::replace(&mut self.mem, ptr::null_mut()));
    }
}

#[allow(clippy::too_many_arguments)]
fn create_function(
    db: *mut sqlite3,
    name: *const c_char,
    n_arg: c_int,
    text_rep: c_int,
    app: *mut c_void,
    x_func: Option<XFunc>,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
    x_value: Option<XFinal>,
    x_inverse: Option<XFunc>,
    x_destroy: Option<XDestroy>,
) -> c_int {
    let app = Arc::new(AppData { p: app, destroy: x_destroy });
    // SAFETY: a C string from the caller.
    let name = match unsafe { crate::db::cstr_bytes(name) } {
        Some(n) if !n.is_empty() && n.len() <= 255 => String::from_utf8_lossy(n).into_owned(),
        _ => return with_db(db, SQLITE_MISUSE, |s| s.fail(&Error::from_code(SQLITE_MISUSE))),
    };
    let scalar = x_func.is_some();
    let aggregate = x_step.is_some() || x_final.is_some();
    let window = x_value.is_some() || x_inverse.is_some();
    if !(-1..=127).contains(&n_arg)
        || (scalar && aggregate)
        || (aggregate && (x_step.is_none() || x_final.is_none()))
        || (window && (x_value.is_none() || x_inverse.is_none() || !aggregate))
    {
        return with_db(db, SQLITE_MISUSE, |s| s.fail(&Error::from_code(SQLITE_MISUSE)));
    }
    let mut flags = 0;
    if text_rep & SQLITE_DETERMINISTIC != 0 {
        flags |= FuncFlags::DETERMINISTIC;
    }
    if text_rep & SQLITE_DIRECTONLY != 0 {
        flags |= FuncFlags::DIRECTONLY;
    }
    if text_rep & SQLITE_INNOCUOUS != 0 {
        flags |= FuncFlags::INNOCUOUS;
    }
    let f = Arc::new(CFunc { db: db as usize, app, x_step, x_final, x_value, x_inverse });
    let def = if let Some(x) = x_func {
        let f = f.clone();
        Some(FuncDef::scalar(&name, n_arg, flags, move |_ctx, args| f.call(x, args, ptr::null_mut())))
    } else if aggregate {
        let f = f.clone();
        Some(FuncDef::aggregate(&name, n_arg, flags, move || {
            Box::new(CAggregate { f: f.clone(), mem: ptr::null_mut() }) as Box<dyn AggregateState>
        }))
    } else {
        None // every callback NULL: delete the function
    };
    with_db(db, SQLITE_MISUSE, |s| {
        let r = s.register_function(&name, n_arg, def);
        s.result(&r)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_function_v2(
    db: *mut sqlite3,
    name: *const c_char,
    n_arg: c_int,
    text_rep: c_int,
    app: *mut c_void,
    x_func: Option<XFunc>,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
    x_destroy: Option<XDestroy>,
) -> c_int {
    guard(SQLITE_INTERNAL, || create_function(db, name, n_arg, text_rep, app, x_func, x_step, x_final, None, None, x_destroy))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_function(
    db: *mut sqlite3,
    name: *const c_char,
    n_arg: c_int,
    text_rep: c_int,
    app: *mut c_void,
    x_func: Option<XFunc>,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
) -> c_int {
    guard(SQLITE_INTERNAL, || create_function(db, name, n_arg, text_rep, app, x_func, x_step, x_final, None, None, None))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_function16(
    db: *mut sqlite3,
    name: *const c_void,
    n_arg: c_int,
    text_rep: c_int,
    app: *mut c_void,
    x_func: Option<XFunc>,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        // SAFETY: a NUL-terminated UTF-16 name from the caller.
        let n = unsafe { crate::text::utf16_to_utf8(name as *const u16, -1) } + "\0";
        create_function(db, n.as_ptr() as *const c_char, n_arg, text_rep, app, x_func, x_step, x_final, None, None, None)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_window_function(
    db: *mut sqlite3,
    name: *const c_char,
    n_arg: c_int,
    text_rep: c_int,
    app: *mut c_void,
    x_step: Option<XFunc>,
    x_final: Option<XFinal>,
    x_value: Option<XFinal>,
    x_inverse: Option<XFunc>,
    x_destroy: Option<XDestroy>,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        create_function(db, name, n_arg, text_rep, app, None, x_step, x_final, x_value, x_inverse, x_destroy)
    })
}

fn create_collation(db: *mut sqlite3, name: &[u8], arg: *mut c_void, cmp: Option<XCompare>, destroy: Option<XDestroy>) -> c_int {
    let app = Arc::new(AppData { p: arg, destroy });
    let name = String::from_utf8_lossy(name).into_owned();
    let coll = cmp.map(|f| {
        let app = app.clone();
        Collation::user(
            &name,
            Box::new(move |a: &[u8], b: &[u8]| {
                // SAFETY: the program's compare callback over two byte strings valid for the call.
                let r = unsafe {
                    f(app.p, a.len() as c_int, a.as_ptr() as *const c_void, b.len() as c_int, b.as_ptr() as *const c_void)
                };
                r.cmp(&0)
            }),
        )
    });
    drop(app);
    with_db(db, SQLITE_MISUSE, |s| {
        let r = s.register_collation(&name, coll);
        s.result(&r)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation_v2(
    db: *mut sqlite3,
    name: *const c_char,
    _text_rep: c_int,
    arg: *mut c_void,
    cmp: Option<XCompare>,
    destroy: Option<XDestroy>,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        // SAFETY: a C string from the caller.
        match unsafe { crate::db::cstr_bytes(name) } {
            Some(n) => create_collation(db, n, arg, cmp, destroy),
            None => SQLITE_MISUSE,
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation(
    db: *mut sqlite3,
    name: *const c_char,
    text_rep: c_int,
    arg: *mut c_void,
    cmp: Option<XCompare>,
) -> c_int {
    // SAFETY: forwarded.
    unsafe { sqlite3_create_collation_v2(db, name, text_rep, arg, cmp, None) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_create_collation16(
    db: *mut sqlite3,
    name: *const c_void,
    _text_rep: c_int,
    arg: *mut c_void,
    cmp: Option<XCompare>,
) -> c_int {
    guard(SQLITE_INTERNAL, || {
        // SAFETY: a NUL-terminated UTF-16 name from the caller.
        let n = unsafe { crate::text::utf16_to_utf8(name as *const u16, -1) };
        create_collation(db, n.as_bytes(), arg, cmp, None)
    })
}

// ---- sqlite3_context ----

/// # Safety
/// `c` is NULL or the context of a call in progress.
unsafe fn ctx<'a>(c: *mut sqlite3_context) -> Option<&'a mut sqlite3_context> {
    // SAFETY: guaranteed by the caller (invariant 3).
    unsafe { c.as_mut() }
}

fn set(c: *mut sqlite3_context, v: Value) {
    // SAFETY: a context of a call in progress.
    if let Some(c) = unsafe { ctx(c) } {
        c.result = v;
        c.error = None;
    }
}

/// Calls a result's destructor after its bytes were copied (as for bindings).
fn release(p: *const c_void, destructor: isize) {
    if destructor != 0 && destructor != -1 && !p.is_null() {
        // SAFETY: the program passed a destructor for this pointer.
        let f: unsafe extern "C" fn(*mut c_void) = unsafe { std::mem::transmute(destructor) };
        // SAFETY: called once with its pointer.
        unsafe { f(p as *mut c_void) };
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_null(c: *mut sqlite3_context) {
    guard((), || set(c, Value::Null))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_int(c: *mut sqlite3_context, v: c_int) {
    guard((), || set(c, Value::Integer(v as i64)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_int64(c: *mut sqlite3_context, v: i64) {
    guard((), || set(c, Value::Integer(v)))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_double(c: *mut sqlite3_context, v: f64) {
    guard((), || set(c, if v.is_nan() { Value::Null } else { Value::Real(v) }))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text(c: *mut sqlite3_context, z: *const c_char, n: c_int, d: isize) {
    guard((), || {
        // SAFETY: the program's text, n bytes or NUL-terminated.
        let v = if z.is_null() { Value::Null } else { Value::Text(unsafe { crate::value::c_text_value(z, n) }) };
        set(c, v);
        release(z as *const c_void, d);
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text64(c: *mut sqlite3_context, z: *const c_char, n: u64, d: isize, _enc: u8) {
    let n = if n > i32::MAX as u64 { -1 } else { n as c_int };
    // SAFETY: forwarded.
    unsafe { sqlite3_result_text(c, z, n, d) }
}

unsafe fn text16(z: *const c_void, n: c_int, swap: bool) -> Vec<u8> {
    if z.is_null() {
        return Vec::new();
    }
    let units = if n < 0 { -1 } else { n / 2 };
    if !swap {
        // SAFETY: the program's native-endian UTF-16.
        return unsafe { crate::text::utf16_value_to_utf8(z as *const u16, units) }.into_bytes();
    }
    let mut v = Vec::new();
    let mut i = 0usize;
    loop {
        if units >= 0 && i >= units as usize {
            break;
        }
        // SAFETY: reading the program's UTF-16 unit by unit: n units (NULs kept, as SQLite
        // keeps them in a value), or up to a NUL unit when n < 0.
        let u = unsafe { *(z as *const u16).add(i) }.swap_bytes();
        if u == 0 && units < 0 {
            break;
        }
        v.push(u);
        i += 1;
    }
    String::from_utf16_lossy(&v).into_bytes()
}

/// Sets a UTF-16 text result; `swap` when the text's byte order is not the machine's.
fn result_text16(c: *mut sqlite3_context, z: *const c_void, n: c_int, d: isize, swap: bool) {
    // SAFETY: the program's UTF-16 text, n bytes or NUL-terminated.
    let v = if z.is_null() { Value::Null } else { Value::Text(unsafe { text16(z, n, swap) }) };
    set(c, v);
    release(z, d);
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16(c: *mut sqlite3_context, z: *const c_void, n: c_int, d: isize) {
    guard((), || result_text16(c, z, n, d, false))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16le(c: *mut sqlite3_context, z: *const c_void, n: c_int, d: isize) {
    guard((), || result_text16(c, z, n, d, cfg!(target_endian = "big")))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_text16be(c: *mut sqlite3_context, z: *const c_void, n: c_int, d: isize) {
    guard((), || result_text16(c, z, n, d, cfg!(target_endian = "little")))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_blob(c: *mut sqlite3_context, z: *const c_void, n: c_int, d: isize) {
    guard((), || {
        let v = if z.is_null() {
            Value::Blob(Vec::new())
        } else {
            // SAFETY: the program's n bytes.
            Value::Blob(unsafe { std::slice::from_raw_parts(z as *const u8, n.max(0) as usize) }.to_vec())
        };
        set(c, v);
        release(z, d);
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_blob64(c: *mut sqlite3_context, z: *const c_void, n: u64, d: isize) {
    if n > i32::MAX as u64 {
        release(z, d);
        // SAFETY: forwarded.
        unsafe { sqlite3_result_error_toobig(c) };
        return;
    }
    // SAFETY: forwarded.
    unsafe { sqlite3_result_blob(c, z, n as c_int, d) }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_zeroblob(c: *mut sqlite3_context, n: c_int) {
    guard((), || set(c, Value::Blob(vec![0; n.max(0) as usize])))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_zeroblob64(c: *mut sqlite3_context, n: u64) -> c_int {
    if n > 1_000_000_000 {
        // SAFETY: forwarded.
        unsafe { sqlite3_result_error_toobig(c) };
        return SQLITE_TOOBIG;
    }
    guard(SQLITE_INTERNAL, || {
        set(c, Value::Blob(vec![0; n as usize]));
        SQLITE_OK
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_value(c: *mut sqlite3_context, v: *mut sqlite3_value) {
    // SAFETY: a value of ours, or NULL.
    guard((), || set(c, unsafe { v.as_ref() }.map_or(Value::Null, |v| v.value.clone())))
}

fn set_error(c: *mut sqlite3_context, code: c_int, msg: String) {
    // SAFETY: a context of a call in progress.
    if let Some(c) = unsafe { ctx(c) } {
        c.error = Some((code, msg));
    }
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error(c: *mut sqlite3_context, z: *const c_char, n: c_int) {
    guard((), || {
        // SAFETY: the program's message, n bytes or NUL-terminated.
        let msg = String::from_utf8_lossy(&unsafe { c_text(z, n) }).into_owned();
        set_error(c, SQLITE_ERROR, msg)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error16(c: *mut sqlite3_context, z: *const c_void, n: c_int) {
    guard((), || {
        // SAFETY: the program's UTF-16 message.
        let msg = String::from_utf8_lossy(&unsafe { text16(z, n, false) }).into_owned();
        set_error(c, SQLITE_ERROR, msg)
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_code(c: *mut sqlite3_context, code: c_int) {
    guard((), || {
        // SAFETY: a context of a call in progress.
        if let Some(cx) = unsafe { ctx(c) } {
            let msg = match &cx.error {
                Some((_, m)) if !m.is_empty() => m.clone(),
                _ => crate::engine::error::errstr(code).to_string(),
            };
            cx.error = Some((if code == SQLITE_OK { SQLITE_ERROR } else { code }, msg));
        }
    })
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_nomem(c: *mut sqlite3_context) {
    guard((), || set_error(c, SQLITE_NOMEM, "out of memory".into()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_error_toobig(c: *mut sqlite3_context) {
    guard((), || set_error(c, SQLITE_TOOBIG, "string or blob too big".into()))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_result_subtype(_c: *mut sqlite3_context, _t: libc::c_uint) {}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_user_data(c: *mut sqlite3_context) -> *mut c_void {
    // SAFETY: a context of a call in progress.
    guard(ptr::null_mut(), || unsafe { ctx(c) }.map_or(ptr::null_mut(), |c| c.user_data))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_context_db_handle(c: *mut sqlite3_context) -> *mut sqlite3 {
    // SAFETY: a context of a call in progress.
    guard(ptr::null_mut(), || unsafe { ctx(c) }.map_or(ptr::null_mut(), |c| c.db))
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_aggregate_context(c: *mut sqlite3_context, n: c_int) -> *mut c_void {
    guard(ptr::null_mut(), || {
        // SAFETY: a context of a call in progress.
        let Some(c) = (unsafe { ctx(c) }) else { return ptr::null_mut() };
        if c.agg_mem.is_null() {
            return ptr::null_mut();
        }
        // SAFETY: agg_mem points at the aggregate state's slot (invariant 2).
        let slot = unsafe { &mut *c.agg_mem };
        if slot.is_null() && n > 0 {
            let p = mem::alloc(n as u64);
            if !p.is_null() {
                // SAFETY: p has n bytes.
                unsafe { ptr::write_bytes(p as *mut u8, 0, n as usize) };
            }
            *slot = p;
        }
        *slot
    })
}

/// Auxiliary data is not cached between calls: SQLite allows the metadata to be discarded at
/// any time, even before `sqlite3_set_auxdata` returns, so the destructor runs right away and
/// `sqlite3_get_auxdata` answers NULL.
#[no_mangle]
pub unsafe extern "C" fn sqlite3_get_auxdata(_c: *mut sqlite3_context, _n: c_int) -> *mut c_void {
    ptr::null_mut()
}

#[no_mangle]
pub unsafe extern "C" fn sqlite3_set_auxdata(_c: *mut sqlite3_context, _n: c_int, p: *mut c_void, d: Option<XDestroy>) {
    guard((), || {
        if let Some(d) = d {
            // SAFETY: the program's destructor for its pointer.
            unsafe { d(p) };
        }
    })
}
