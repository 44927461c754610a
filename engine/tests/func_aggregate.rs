//! Differential test of the built-in aggregates: count, count(*), sum, total, avg, min, max,
//! group_concat (with and without separator), over pseudo-random row sets (including none,
//! NULLs, mixed types and i64 overflow), through real SQLite and through ours.

#[path = "func_oracle.rs"]
mod oracle;

use ferrolite_engine::func::{DetachedState, FuncCtx, FuncRegistry};
use ferrolite_engine::value::Collation;
use ferrolite_engine::Value;

fn pool() -> Vec<Value> {
    vec![
        Value::Null,
        Value::Integer(1),
        Value::Integer(-3),
        Value::Integer(42),
        Value::Integer(i64::MAX),
        Value::Integer(i64::MIN),
        Value::Integer(i64::MAX - 1),
        Value::Real(0.5),
        Value::Real(-2.25),
        Value::Real(1e20),
        Value::Real(0.1),
        Value::text("a"),
        Value::text("B"),
        Value::text(""),
        Value::text("12"),
        Value::text("3.5x"),
        Value::Blob(vec![0x41]),
        Value::Blob(vec![]),
    ]
}

fn run(reg: &FuncRegistry, name: &str, rows: &[Vec<Value>], coll: Option<&Collation>) -> String {
    let n = rows.first().map_or(1, Vec::len);
    let def = reg.lookup(name, n).expect("aggregate exists");
    let mut state = def.new_state().expect("an aggregate");
    let mut conn = DetachedState::new(1);
    let mut ctx = FuncCtx::new(&mut conn);
    ctx.collation = coll;
    let mut result = Ok(Value::Null);
    for r in rows {
        if let Err(e) = state.step(&mut ctx, r) {
            result = Err(e);
            break;
        }
    }
    if result.is_ok() {
        result = state.finalize(&mut ctx);
    }
    oracle::tag(&result)
}

fn values_sql(rows: &[Vec<Value>], width: usize) -> String {
    if rows.is_empty() {
        let nulls = vec!["NULL"; width].join(", ");
        return format!("(VALUES ({nulls})) WHERE 0");
    }
    let body: Vec<String> = rows
        .iter()
        .map(|r| format!("({})", r.iter().map(oracle::lit).collect::<Vec<_>>().join(", ")))
        .collect();
    format!("(VALUES {})", body.join(", "))
}

#[test]
fn aggregates_match_sqlite() {
    let reg = FuncRegistry::with_builtins();
    let pool = pool();
    let seps = [Value::text(","), Value::text(""), Value::Null, Value::text("--"), Value::Integer(7)];
    let nocase = Collation::nocase();
    let mut queries = Vec::new();
    let mut mine = Vec::new();
    let mut seed = 0x1234_5678_9abc_def1u64;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for k in 0..700 {
        let len = (k % 7) as usize;
        let rows: Vec<Vec<Value>> = (0..len)
            .map(|_| {
                // Bias toward numbers so sums are interesting; some sets are all integers.
                let r = next() as usize;
                let v = if k % 5 == 0 { pool[1 + r % 6].clone() } else { pool[r % pool.len()].clone() };
                vec![v, seps[(r >> 20) % seps.len()].clone()]
            })
            .collect();
        let one: Vec<Vec<Value>> = rows.iter().map(|r| vec![r[0].clone()]).collect();
        let from1 = values_sql(&one, 1);
        let from2 = values_sql(&rows, 2);
        for f in ["count", "sum", "total", "avg", "min", "max", "group_concat"] {
            queries.push(format!("SELECT {f}(column1) FROM {from1}"));
            mine.push(run(&reg, f, &one, None));
        }
        queries.push(format!("SELECT group_concat(column1, column2) FROM {from2}"));
        mine.push(run(&reg, "group_concat", &rows, None));
        queries.push(format!("SELECT count(*) FROM {from1}"));
        let empty: Vec<Vec<Value>> = one.iter().map(|_| vec![]).collect();
        mine.push(run(&reg, "count", &empty, None));
        for f in ["min", "max"] {
            queries.push(format!("SELECT {f}(column1 COLLATE NOCASE) FROM {from1}"));
            mine.push(run(&reg, f, &one, Some(&nocase)));
        }
    }
    let Some(theirs) = oracle::oracle(&queries) else { return };
    assert!(theirs.iter().any(|t| t == "E integer overflow"), "the row sets reach sum()'s overflow");
    let (good, bad) = oracle::compare("aggregates", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} aggregate results differ from SQLite");
}
