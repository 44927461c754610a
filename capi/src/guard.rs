//! The wrapper of every exported function: no panic crosses the C boundary.
//!
//! `guard(fail, f)` runs `f` and returns its value; if `f` panics, the panic is caught here
//! and `fail` is returned instead. The release profile builds with `panic = "unwind"` so that
//! catching works.

use std::panic::{catch_unwind, AssertUnwindSafe};

/// Runs `f`, turning a panic into `fail`.
#[inline]
pub fn guard<R>(fail: R, f: impl FnOnce() -> R) -> R {
    // AssertUnwindSafe: after a caught panic the only state we touch again is the failure value;
    // handles whose invariants a panic may have broken report errors on their next use.
    catch_unwind(AssertUnwindSafe(f)).unwrap_or(fail)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_panic_becomes_the_failure_value() {
        let r = super::guard(2, || -> i32 { panic!("boom") });
        assert_eq!(r, 2);
        assert_eq!(super::guard(2, || 0), 0);
    }
}
