//! Built-in SQL functions and the registry the VM calls them through (issue 6), and SQLite's
//! printf dialect shared with the C API (issue 3).
//!
//! Files:
//! - [`registry`]: `FuncDef` (name, argument count, flags, scalar body or aggregate factory),
//!   `FuncRegistry` lookup with SQLite's error messages.
//! - [`context`]: `FuncCtx`, what a running function sees of its connection.
//! - [`printf`]: the printf dialect (`PrintfArgs` for C varargs or SQL values).
//! - [`scalar_text`], [`scalar_num`], [`scalar_misc`], [`like`]: the core scalar functions.
//! - [`aggregate`]: count, sum, total, avg, min, max, group_concat.
//! - [`utf8`]: characters as SQLite's functions count them.
//!
//! Invariants:
//! 1. Every function is a pure function of its arguments and the [`context::FuncCtx`]; none
//!    panics on any input (bad input is an `Error` with SQLite's message).
//! 2. [`builtin_functions`] is the one list of built-ins; names, argument counts and flags
//!    follow SQLite's (`sqlite3RegisterBuiltinFunctions`).

pub mod aggregate;
pub mod context;
pub mod like;
pub mod printf;
pub mod registry;
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
        FuncDef::scalar("sqlite_source_id", 0, SLOW, m::sqlite_source_id),
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
    v.extend(aggregate::definitions());
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
