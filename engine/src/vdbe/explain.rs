//! EXPLAIN: a program as rows of SQLite's eight columns
//! (addr, opcode, p1, p2, p3, p4, p5, comment).

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
