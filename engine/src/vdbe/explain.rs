//! EXPLAIN: a program as rows of SQLite's eight columns
//! (addr, opcode, p1, p2, p3, p4, p5, comment); EXPLAIN QUERY PLAN: the plan rows the code
//! generator recorded, as SQLite's four columns (id, parent, notused, detail).

use super::Program;
use crate::value::Value;

/// The names of EXPLAIN's result columns.
pub const COLUMNS: [&str; 8] = ["addr", "opcode", "p1", "p2", "p3", "p4", "p5", "comment"];

/// One row per instruction.
pub fn rows(p: &Program) -> Vec<Vec<Value>> {
    p.ops
        .iter()
        .enumerate()
        .map(|(addr, op)| {
            vec![
                Value::Integer(addr as i64),
                Value::text(op.opcode.name()),
                Value::Integer(op.p1 as i64),
                Value::Integer(op.p2 as i64),
                Value::Integer(op.p3 as i64),
                op.p4.explain().map_or(Value::Null, |s| Value::text(&s)),
                Value::Integer(op.p5 as i64),
                op.comment.as_deref().map_or(Value::Null, Value::text),
            ]
        })
        .collect()
}

/// The names of EXPLAIN QUERY PLAN's result columns.
pub const PLAN_COLUMNS: [&str; 4] = ["id", "parent", "notused", "detail"];

/// One row per recorded plan step.
pub fn plan_rows(plan: &[(i32, i32, String)]) -> Vec<Vec<Value>> {
    plan.iter()
        .map(|(id, parent, detail)| vec![Value::Integer(*id as i64), Value::Integer(*parent as i64), Value::Integer(0), Value::text(detail)])
        .collect()
}
