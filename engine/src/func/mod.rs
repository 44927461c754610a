//! Built-in SQL functions and the registry the VM calls them through (issue 6), and SQLite's
//! printf dialect shared with the C API (issue 3).
//!
//! Files:
//! - [`registry`]: `FuncDef` (name, argument count, flags, scalar body or aggregate factory),
//!   `FuncRegistry` lookup with SQLite's error messages.
//! - [`context`]: `FuncCtx`, what a running function sees of its connection.
//! - [`printf`]: the printf dialect (`PrintfArgs` for C varargs or SQL values).
//! - [`scalar_text`], [`scalar_num`], [`scalar_misc`], [`like`]: the core scalar functions.
//! - [`scalar_math`]: the math functions (Debian builds SQLite with them).
//! - [`datetime`]: date, time, datetime, julianday, unixepoch, strftime.
//! - [`compile_options`]: the compile-time options the library reports.
//! - [`aggregate`]: count, sum, total, avg, min, max, group_concat.
//! - [`utf8`]: characters as SQLite's functions count them.
//!
//! Invariants:
//! 1. Every function is a pure function of its arguments and the [`context::FuncCtx`]; none
//!    panics on any input (bad input is an `Error` with SQLite's message).
//! 2. [`builtin_functions`] is the one list of built-ins; names, argument counts and flags
//!    follow SQLite's (`sqlite3RegisterBuiltinFunctions`).

pub mod aggregate;
pub mod compile_options;
pub mod context;
pub mod datetime;
pub mod like;
pub mod printf;
pub mod registry;
pub mod scalar_math;
pub mod scalar_misc;
pub mod scalar_num;
pub mod scalar_text;
pub mod utf8;

pub use context::{ConnectionState, DetachedState, FuncCtx};
pub use registry::{AggregateFactory, AggregateState, FuncDef, FuncFlags, FuncKind, FuncRegistry, ScalarFn};

/// Every built-in function definition.
pub fn builtin_functions() -> Vec<FuncDef> {
    use scalar_misc as m;
    use scalar_num as n;
    use scalar_text as t;
    const DET: u32 = FuncFlags::DETERMINISTIC;
    const INL: u32 = FuncFlags::DETERMINISTIC | FuncFlags::INLINE;
    const COLL: u32 = FuncFlags::DETERMINISTIC | FuncFlags::NEEDCOLL;
    const SLOW: u32 = FuncFlags::SLOCHNG;
    let mut v = vec![
        FuncDef::scalar("abs", 1, DET, n::abs),
        FuncDef::scalar("changes", 0, SLOW, m::changes),
        FuncDef::scalar("char", -1, DET, t::char_fn),
        FuncDef::scalar("coalesce", -1, INL, m::coalesce).with_min_args(2),
        FuncDef::scalar("format", -1, DET, m::printf),
        FuncDef::scalar("glob", 2, DET, like::glob),
        FuncDef::scalar("hex", 1, DET, t::hex),
        FuncDef::scalar("ifnull", 2, INL, m::coalesce),
        FuncDef::scalar("iif", 3, INL, m::iif),
        FuncDef::scalar("instr", 2, DET, t::instr),
        FuncDef::scalar("last_insert_rowid", 0, 0, m::last_insert_rowid),
        FuncDef::scalar("length", 1, DET, t::length),
        FuncDef::scalar("like", 2, DET, like::like),
        FuncDef::scalar("like", 3, DET, like::like),
        FuncDef::scalar("likelihood", 2, INL, m::likelihood),
        FuncDef::scalar("likely", 1, INL, m::identity),
        FuncDef::scalar("lower", 1, DET, t::lower),
        FuncDef::scalar("ltrim", 1, DET, t::ltrim),
        FuncDef::scalar("ltrim", 2, DET, t::ltrim),
        FuncDef::scalar("max", -1, COLL | FuncFlags::MINMAX, m::max_scalar).with_min_args(2),
        FuncDef::scalar("min", -1, COLL | FuncFlags::MINMAX, m::min_scalar).with_min_args(2),
        FuncDef::scalar("nullif", 2, COLL, m::nullif),
        FuncDef::scalar("printf", -1, DET, m::printf),
        FuncDef::scalar("quote", 1, DET, t::quote),
        FuncDef::scalar("random", 0, 0, n::random),
        FuncDef::scalar("randomblob", 1, 0, n::randomblob),
        FuncDef::scalar("replace", 3, DET, t::replace),
        FuncDef::scalar("round", 1, DET, n::round),
        FuncDef::scalar("round", 2, DET, n::round),
        FuncDef::scalar("rtrim", 1, DET, t::rtrim),
        FuncDef::scalar("rtrim", 2, DET, t::rtrim),
        FuncDef::scalar("sign", 1, DET, n::sign),
        FuncDef::scalar("soundex", 1, DET, t::soundex),
        FuncDef::scalar("sqlite_compileoption_get", 1, DET, compile_options::sqlite_compileoption_get),
        FuncDef::scalar("sqlite_compileoption_used", 1, DET, compile_options::sqlite_compileoption_used),
        FuncDef::scalar("sqlite_log", 2, 0, m::sqlite_log),
        FuncDef::scalar("sqlite_source_id", 0, SLOW, m::sqlite_source_id),
        FuncDef::scalar("subtype", 1, DET, m::subtype),
        FuncDef::scalar("sqlite_version", 0, SLOW, m::sqlite_version),
        FuncDef::scalar("substr", 2, DET, t::substr),
        FuncDef::scalar("substr", 3, DET, t::substr),
        FuncDef::scalar("substring", 2, DET, t::substr),
        FuncDef::scalar("substring", 3, DET, t::substr),
        FuncDef::scalar("total_changes", 0, SLOW, m::total_changes),
        FuncDef::scalar("trim", 1, DET, t::trim),
        FuncDef::scalar("trim", 2, DET, t::trim),
        FuncDef::scalar("typeof", 1, DET, m::type_of),
        FuncDef::scalar("unicode", 1, DET, t::unicode),
        FuncDef::scalar("unlikely", 1, INL, m::identity),
        FuncDef::scalar("upper", 1, DET, t::upper),
        FuncDef::scalar("zeroblob", 1, DET, n::zeroblob),
    ];
    v.extend(math_functions());
    v.extend(datetime::definitions());
    v.extend(aggregate::definitions());
    v
}

/// The math functions of SQLITE_ENABLE_MATH_FUNCTIONS.
fn math_functions() -> Vec<FuncDef> {
    use scalar_math as x;
    const DET: u32 = FuncFlags::DETERMINISTIC;
    type RealFn = fn(f64) -> f64;
    let unary: [(&str, RealFn); 17] = [
        ("exp", f64::exp),
        ("acos", f64::acos),
        ("asin", f64::asin),
        ("atan", f64::atan),
        ("cos", f64::cos),
        ("sin", f64::sin),
        ("tan", f64::tan),
        ("cosh", f64::cosh),
        ("sinh", f64::sinh),
        ("tanh", f64::tanh),
        ("acosh", x::acosh),
        ("asinh", x::asinh),
        ("atanh", x::atanh),
        ("sqrt", f64::sqrt),
        ("radians", x::radians),
        ("degrees", x::degrees),
        ("ceiling", f64::ceil),
    ];
    let mut v: Vec<FuncDef> = unary.iter().map(|&(name, f)| FuncDef::scalar(name, 1, DET, x::unary(f))).collect();
    // ceiling is an alias of ceil (integers pass through); replace the generic entry.
    v.retain(|d| d.name != "ceiling");
    v.extend([
        FuncDef::scalar("ceil", 1, DET, x::ceil),
        FuncDef::scalar("ceiling", 1, DET, x::ceil),
        FuncDef::scalar("floor", 1, DET, x::floor),
        FuncDef::scalar("trunc", 1, DET, x::trunc),
        FuncDef::scalar("ln", 1, DET, x::log_base(None)),
        FuncDef::scalar("log", 1, DET, x::log_base(Some(x::LOG10_DIVISOR))),
        FuncDef::scalar("log10", 1, DET, x::log_base(Some(x::LOG10_DIVISOR))),
        FuncDef::scalar("log2", 1, DET, x::log_base(Some(x::LOG2_DIVISOR))),
        FuncDef::scalar("log", 2, DET, x::log_base(None)),
        FuncDef::scalar("pow", 2, DET, x::binary(f64::powf)),
        FuncDef::scalar("power", 2, DET, x::binary(f64::powf)),
        FuncDef::scalar("mod", 2, DET, x::binary(|a, b| a % b)),
        FuncDef::scalar("atan2", 2, DET, x::binary(f64::atan2)),
        FuncDef::scalar("pi", 0, DET, x::pi),
    ]);
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::value::Value;

    #[test]
    fn lookup_messages_match_sqlite() {
        let r = FuncRegistry::with_builtins();
        assert_eq!(r.lookup("SUBSTR", 1).unwrap_err().message, "wrong number of arguments to function SUBSTR()");
        assert_eq!(r.lookup("nosuch", 1).unwrap_err().message, "no such function: nosuch");
        assert_eq!(r.lookup("max", 0).unwrap_err().message, "wrong number of arguments to function max()");
        assert_eq!(r.lookup("coalesce", 1).unwrap_err().message, "wrong number of arguments to function coalesce()");
        assert!(r.lookup("MAX", 1).unwrap().is_aggregate());
        assert!(!r.lookup("max", 3).unwrap().is_aggregate());
        assert!(r.lookup("printf", 0).is_ok());
        let mut conn = DetachedState::new(7);
        let mut ctx = FuncCtx::new(&mut conn);
        let v = r.lookup("upper", 1).unwrap().call(&mut ctx, &[Value::text("abc")]).unwrap();
        assert_eq!(v, Value::text("ABC"));
    }
}
