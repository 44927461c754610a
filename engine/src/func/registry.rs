//! The function registry: [`FuncDef`] (name, argument count, flags, scalar or aggregate
//! implementation) and lookup by name and argument count with SQLite's error messages.
//!
//! Invariants:
//! 1. Names are matched ASCII case-insensitively; error messages repeat the name as the SQL
//!    wrote it: `no such function: X`, `wrong number of arguments to function X()`.
//! 2. A definition for the exact argument count wins over a variadic one (`n_arg == -1`); a
//!    variadic definition accepts counts from `min_args` up (coalesce needs 2, scalar max 2).
//! 3. Registering a (name, n_arg) pair again replaces the earlier definition (how
//!    `sqlite3_create_function` overrides a built-in).

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use super::context::FuncCtx;
use crate::error::{Error, Result};
use crate::value::Value;

/// A scalar function's body.
pub type ScalarFn = Arc<dyn Fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value> + Send + Sync>;

/// An aggregate's running state (one per group).
pub trait AggregateState: Send {
    /// Adds one row's arguments.
    fn step(&mut self, ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<()>;
    /// Removes a row added earlier (window frames).
    fn inverse(&mut self, _ctx: &mut FuncCtx<'_>, _args: &[Value]) -> Result<()> {
        Err(Error::not_supported("this aggregate as a window function"))
    }
    /// The current result without ending the aggregate (window frames).
    fn value(&mut self, _ctx: &mut FuncCtx<'_>) -> Result<Value> {
        Err(Error::not_supported("this aggregate as a window function"))
    }
    /// The result; called once (also for a group with no rows).
    fn finalize(&mut self, ctx: &mut FuncCtx<'_>) -> Result<Value>;
}

/// Makes a fresh aggregate state.
pub type AggregateFactory = Arc<dyn Fn() -> Box<dyn AggregateState> + Send + Sync>;

/// Scalar or aggregate.
#[derive(Clone)]
pub enum FuncKind {
    Scalar(ScalarFn),
    Aggregate(AggregateFactory),
}

/// Properties of a function (SQLite's SQLITE_FUNC_* / SQLITE_DETERMINISTIC bits).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct FuncFlags(pub u32);

impl FuncFlags {
    /// Same arguments, same result (usable in indexes and CHECK).
    pub const DETERMINISTIC: u32 = 1;
    /// Wants the collating sequence of its arguments in [`FuncCtx::collation`].
    pub const NEEDCOLL: u32 = 2;
    /// Result only changes between statements (sqlite_version, changes…).
    pub const SLOCHNG: u32 = 4;
    /// May not be used from triggers, views or schema (SQLITE_DIRECTONLY).
    pub const DIRECTONLY: u32 = 8;
    /// Harmless in any context (SQLITE_INNOCUOUS).
    pub const INNOCUOUS: u32 = 16;
    /// The code generator evaluates it itself, lazily (coalesce, ifnull, iif, likelihood…);
    /// the body here gives the same answer for already evaluated arguments.
    pub const INLINE: u32 = 32;
    /// min()/max(): the aggregate may be answered from an index.
    pub const MINMAX: u32 = 64;

    pub fn has(self, bit: u32) -> bool {
        self.0 & bit != 0
    }
}

/// One function definition.
#[derive(Clone)]
pub struct FuncDef {
    pub name: String,
    /// The argument count, or -1 for any.
    pub n_arg: i32,
    /// For `n_arg == -1`: the fewest arguments accepted.
    pub min_args: usize,
    pub flags: FuncFlags,
    pub kind: FuncKind,
}

impl fmt::Debug for FuncDef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self.kind {
            FuncKind::Scalar(_) => "scalar",
            FuncKind::Aggregate(_) => "aggregate",
        };
        write!(f, "FuncDef({}, {}, {kind})", self.name, self.n_arg)
    }
}

impl FuncDef {
    pub fn scalar(
        name: &str,
        n_arg: i32,
        flags: u32,
        f: impl Fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value> + Send + Sync + 'static,
    ) -> FuncDef {
        FuncDef { name: name.to_string(), n_arg, min_args: 0, flags: FuncFlags(flags), kind: FuncKind::Scalar(Arc::new(f)) }
    }

    pub fn aggregate(
        name: &str,
        n_arg: i32,
        flags: u32,
        make: impl Fn() -> Box<dyn AggregateState> + Send + Sync + 'static,
    ) -> FuncDef {
        FuncDef { name: name.to_string(), n_arg, min_args: 0, flags: FuncFlags(flags), kind: FuncKind::Aggregate(Arc::new(make)) }
    }

    pub fn with_min_args(mut self, n: usize) -> FuncDef {
        self.min_args = n;
        self
    }

    pub fn is_aggregate(&self) -> bool {
        matches!(self.kind, FuncKind::Aggregate(_))
    }

    /// Whether `n` arguments suit this definition.
    pub fn accepts(&self, n: usize) -> bool {
        if self.n_arg >= 0 {
            self.n_arg as usize == n
        } else {
            n >= self.min_args
        }
    }

    /// Calls a scalar function (an error for an aggregate, or for an argument count the
    /// definition does not take).
    pub fn call(&self, ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Value> {
        if !self.accepts(args.len()) {
            return Err(Error::sql(format!("wrong number of arguments to function {}()", self.name)));
        }
        match &self.kind {
            FuncKind::Scalar(f) => f(ctx, args),
            FuncKind::Aggregate(_) => Err(Error::sql(format!("misuse of aggregate function {}()", self.name))),
        }
    }

    /// A fresh state of an aggregate (None for a scalar function).
    pub fn new_state(&self) -> Option<Box<dyn AggregateState>> {
        match &self.kind {
            FuncKind::Aggregate(make) => Some(make()),
            FuncKind::Scalar(_) => None,
        }
    }
}

/// The functions known to a connection.
#[derive(Clone, Default)]
pub struct FuncRegistry {
    by_name: HashMap<String, Vec<Arc<FuncDef>>>,
}

impl FuncRegistry {
    pub fn new() -> FuncRegistry {
        FuncRegistry::default()
    }

    /// The registry with every built-in function.
    pub fn with_builtins() -> FuncRegistry {
        let mut r = FuncRegistry::new();
        for def in super::builtin_functions() {
            r.register(def);
        }
        r
    }

    /// Adds (or replaces, for the same name and argument count) a definition.
    pub fn register(&mut self, def: FuncDef) {
        let list = self.by_name.entry(def.name.to_ascii_lowercase()).or_default();
        list.retain(|d| d.n_arg != def.n_arg);
        list.push(Arc::new(def));
    }

    /// Removes the definition for (name, n_arg); true if there was one.
    pub fn remove(&mut self, name: &str, n_arg: i32) -> bool {
        let Some(list) = self.by_name.get_mut(&name.to_ascii_lowercase()) else { return false };
        let before = list.len();
        list.retain(|d| d.n_arg != n_arg);
        before != list.len()
    }

    /// The definition to call for `name` with `n_args` arguments, if any.
    pub fn find(&self, name: &str, n_args: usize) -> Option<&Arc<FuncDef>> {
        let list = self.by_name.get(&name.to_ascii_lowercase())?;
        list.iter()
            .find(|d| d.n_arg >= 0 && d.n_arg as usize == n_args)
            .or_else(|| list.iter().find(|d| d.n_arg < 0 && n_args >= d.min_args))
    }

    /// Whether any function of that name exists.
    pub fn exists(&self, name: &str) -> bool {
        self.by_name.get(&name.to_ascii_lowercase()).is_some_and(|l| !l.is_empty())
    }

    /// Like [`find`](Self::find), with SQLite's errors.
    pub fn lookup(&self, name: &str, n_args: usize) -> Result<Arc<FuncDef>> {
        match self.find(name, n_args) {
            Some(d) => Ok(Arc::clone(d)),
            None if self.exists(name) => Err(Error::sql(format!("wrong number of arguments to function {name}()"))),
            None => Err(Error::sql(format!("no such function: {name}"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::DetachedState;

    #[test]
    fn user_definitions_replace_and_remove() {
        // sqlite3_create_function on a built-in's (name, n_arg) replaces it; other arities stay.
        let mut r = FuncRegistry::with_builtins();
        r.register(FuncDef::scalar("UPPER", 1, 0, |_, _| Ok(Value::text("mine"))));
        let mut conn = DetachedState::new(1);
        let mut ctx = FuncCtx::new(&mut conn);
        assert_eq!(r.lookup("upper", 1).unwrap().call(&mut ctx, &[Value::text("a")]).unwrap(), Value::text("mine"));
        assert!(r.lookup("trim", 2).is_ok());
        assert!(r.remove("trim", 2));
        assert_eq!(r.lookup("trim", 2).unwrap_err().message, "wrong number of arguments to function trim()");
        assert!(r.lookup("trim", 1).is_ok());
        // A call with a count the definition does not take is refused, not a panic.
        let substr = r.lookup("substr", 2).unwrap();
        assert!(substr.call(&mut ctx, &[]).is_err());
    }
}
