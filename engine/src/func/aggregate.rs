//! The built-in aggregates: count, count(*), sum, total, avg, min, max, group_concat.
//!
//! Invariants:
//! 1. NULL arguments are skipped (count(*) counts rows).
//! 2. sum keeps an exact i64 sum while every input is an integer; an overflow there is the error
//!    "integer overflow" unless a non-integer arrived first (then the sum is a REAL). A REAL
//!    sum is kept beside it for total() and avg() and for the first non-integer.
//! 3. sum of no rows is NULL, total is 0.0, avg is NULL, count is 0, group_concat is NULL.
//! 4. min/max compare with the call's collation and keep the first of equal values.
//! 5. group_concat puts the separator given on a row before that row's value, except before
//!    the first non-NULL value (even an empty one); a NULL separator adds nothing.
//! 6. sum/total/avg read a text that is a whole integer ('12') as an integer, other text and
//!    blobs by their real prefix.

use std::cmp::Ordering;

use super::context::FuncCtx;
use super::registry::{AggregateState, FuncDef, FuncFlags};
use crate::error::{Error, Result};
use crate::value::affinity::numeric_type;
use crate::value::compare::compare;
use crate::value::convert::{to_f64, to_text};
use crate::value::Value;

/// count(X) and count(*).
#[derive(Default)]
struct Count {
    n: i64,
    star: bool,
}

impl AggregateState for Count {
    fn step(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        if self.star || !a[0].is_null() {
            self.n += 1;
        }
        Ok(())
    }
    fn inverse(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        if self.star || !a[0].is_null() {
            self.n -= 1;
        }
        Ok(())
    }
    fn value(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(Value::Integer(self.n))
    }
    fn finalize(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(Value::Integer(self.n))
    }
}

#[derive(Clone, Copy, PartialEq)]
enum SumKind {
    Sum,
    Total,
    Avg,
}

struct Sum {
    kind: SumKind,
    /// Non-NULL inputs seen.
    count: i64,
    int_sum: i64,
    real_sum: f64,
    /// A non-integer was added.
    approx: bool,
    /// The integer sum overflowed before any non-integer arrived.
    overflow: bool,
}

impl Sum {
    fn new(kind: SumKind) -> Sum {
        Sum { kind, count: 0, int_sum: 0, real_sum: 0.0, approx: false, overflow: false }
    }

    fn result(&self) -> Result<Value> {
        match self.kind {
            SumKind::Total => Ok(Value::real(self.real_sum)),
            SumKind::Avg if self.count == 0 => Ok(Value::Null),
            SumKind::Avg => Ok(Value::real(self.real_sum / self.count as f64)),
            SumKind::Sum if self.count == 0 => Ok(Value::Null),
            SumKind::Sum if self.overflow => Err(Error::sql("integer overflow")),
            SumKind::Sum if self.approx => Ok(Value::real(self.real_sum)),
            SumKind::Sum => Ok(Value::Integer(self.int_sum)),
        }
    }
}

impl AggregateState for Sum {
    fn step(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        // Text that is a whole integer counts as an integer ('12'); other text and blobs
        // through their real reading.
        match &numeric_type(&a[0]) {
            Value::Null => {}
            Value::Integer(i) => {
                self.count += 1;
                self.real_sum += *i as f64;
                if !self.approx && !self.overflow {
                    match self.int_sum.checked_add(*i) {
                        Some(s) => self.int_sum = s,
                        None => self.overflow = true,
                    }
                }
            }
            v => {
                self.count += 1;
                self.real_sum += to_f64(v);
                self.approx = true;
            }
        }
        Ok(())
    }
    fn inverse(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        match &numeric_type(&a[0]) {
            Value::Null => {}
            Value::Integer(i) => {
                self.count -= 1;
                self.real_sum -= *i as f64;
                if !self.approx {
                    self.int_sum = self.int_sum.wrapping_sub(*i);
                }
            }
            v => {
                self.count -= 1;
                self.real_sum -= to_f64(v);
            }
        }
        Ok(())
    }
    fn value(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        self.result()
    }
    fn finalize(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        self.result()
    }
}

struct MinMax {
    max: bool,
    best: Option<Value>,
}

impl AggregateState for MinMax {
    fn step(&mut self, ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        if a[0].is_null() {
            return Ok(());
        }
        let replace = match &self.best {
            None => true,
            Some(b) => {
                let c = compare(b, &a[0], ctx.collation);
                if self.max {
                    c == Ordering::Less
                } else {
                    c == Ordering::Greater
                }
            }
        };
        if replace {
            self.best = Some(a[0].clone());
        }
        Ok(())
    }
    fn value(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(self.best.clone().unwrap_or(Value::Null))
    }
    fn finalize(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(self.best.take().unwrap_or(Value::Null))
    }
}

#[derive(Default)]
struct GroupConcat {
    text: Vec<u8>,
    /// A value has been appended (the next one gets a separator).
    started: bool,
    /// (separator bytes, value bytes) of each appended value, oldest first, so that a window
    /// frame can drop its oldest row.
    parts: std::collections::VecDeque<(usize, usize)>,
}

impl AggregateState for GroupConcat {
    fn step(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        if a[0].is_null() {
            return Ok(());
        }
        let before = self.text.len();
        if self.started {
            match a.get(1) {
                None => self.text.push(b','),
                Some(Value::Null) => {}
                Some(sep) => self.text.extend_from_slice(&to_text(sep)),
            }
        }
        let sep_len = self.text.len() - before;
        let v = to_text(&a[0]);
        self.text.extend_from_slice(&v);
        self.parts.push_back((sep_len, v.len()));
        self.started = true;
        Ok(())
    }
    fn inverse(&mut self, _: &mut FuncCtx<'_>, a: &[Value]) -> Result<()> {
        if a[0].is_null() {
            return Ok(());
        }
        if let Some((sep, len)) = self.parts.pop_front() {
            let mut cut = sep + len;
            // The next value becomes the first: its separator goes too.
            if let Some(next) = self.parts.front_mut() {
                cut += next.0;
                next.0 = 0;
            }
            self.text.drain(..cut.min(self.text.len()));
        }
        self.started = !self.parts.is_empty();
        Ok(())
    }
    fn value(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(if self.started { Value::Text(self.text.clone()) } else { Value::Null })
    }
    fn finalize(&mut self, _: &mut FuncCtx<'_>) -> Result<Value> {
        Ok(if self.started { Value::Text(std::mem::take(&mut self.text)) } else { Value::Null })
    }
}

/// The built-in aggregate definitions.
pub fn definitions() -> Vec<FuncDef> {
    let det = FuncFlags::DETERMINISTIC;
    vec![
        FuncDef::aggregate("count", 0, det, || Box::new(Count { n: 0, star: true })),
        FuncDef::aggregate("count", 1, det, || Box::new(Count::default())),
        FuncDef::aggregate("sum", 1, det, || Box::new(Sum::new(SumKind::Sum))),
        FuncDef::aggregate("total", 1, det, || Box::new(Sum::new(SumKind::Total))),
        FuncDef::aggregate("avg", 1, det, || Box::new(Sum::new(SumKind::Avg))),
        FuncDef::aggregate("max", 1, det | FuncFlags::NEEDCOLL | FuncFlags::MINMAX, || {
            Box::new(MinMax { max: true, best: None })
        }),
        FuncDef::aggregate("min", 1, det | FuncFlags::NEEDCOLL | FuncFlags::MINMAX, || {
            Box::new(MinMax { max: false, best: None })
        }),
        FuncDef::aggregate("group_concat", 1, det, || Box::new(GroupConcat::default())),
        FuncDef::aggregate("group_concat", 2, det, || Box::new(GroupConcat::default())),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::DetachedState;

    #[test]
    fn group_concat_window_drops_oldest() {
        // A sliding frame of two rows over 1, 2, 3 with separators '-', '+', '*' gives
        // "1+2" then "2*3" (SQLite: group_concat(y, s) OVER (ROWS 1 PRECEDING)).
        let mut conn = DetachedState::new(1);
        let mut ctx = FuncCtx::new(&mut conn);
        let mut g = GroupConcat::default();
        let rows = [(1, "-"), (2, "+"), (3, "*")];
        let row = |i: usize| [Value::Integer(rows[i].0), Value::text(rows[i].1)];
        g.step(&mut ctx, &row(0)).unwrap();
        g.step(&mut ctx, &row(1)).unwrap();
        assert_eq!(g.value(&mut ctx).unwrap(), Value::text("1+2"));
        g.inverse(&mut ctx, &row(0)).unwrap();
        g.step(&mut ctx, &row(2)).unwrap();
        assert_eq!(g.value(&mut ctx).unwrap(), Value::text("2*3"));
        // sum over a frame: integers stay exact after removal.
        let mut s = Sum::new(SumKind::Sum);
        s.step(&mut ctx, &[Value::Integer(5)]).unwrap();
        s.step(&mut ctx, &[Value::Integer(7)]).unwrap();
        s.inverse(&mut ctx, &[Value::Integer(5)]).unwrap();
        assert_eq!(s.value(&mut ctx).unwrap(), Value::Integer(7));
    }
}
