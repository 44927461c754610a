//! Differential test of value semantics against real SQLite: CAST to each type, the five
//! column affinities (through real tables), `+ - * / %` and unary minus, comparison under
//! BINARY/NOCASE/RTRIM, and the text form of reals.

#[path = "func_oracle.rs"]
mod oracle;

use std::cmp::Ordering;

use ferrolite_engine::value::affinity::{apply, apply_comparison_affinity, comparison_affinity, Affinity};
use ferrolite_engine::value::arith::{arith, negate, ArithOp};
use ferrolite_engine::value::compare::compare;
use ferrolite_engine::value::convert::cast;
use ferrolite_engine::value::ops::{bit_and, bit_not, bit_or, concat, not, shift_left, shift_right};
use ferrolite_engine::value::strict::{datatype_error, strict_coerce, StrictType};
use ferrolite_engine::value::Collation;
use ferrolite_engine::Value;

fn numeric_texts() -> Vec<Value> {
    [
        "", " ", "12", " 12 ", "12 ", "\t12\n", "1e3", "1E3", "1e", "1e+", "1e+2", "1.", ".5", ".", "-", "+", "-0", "+0",
        "0x10", "12abc", "1.5abc", "9223372036854775807", "9223372036854775808", "-9223372036854775808",
        "-9223372036854775809", "00012", "1e400", "-1e400", "1e-400", "3.0", "3.0e0", "1e16", "1e15",
        "123456789012345678901234567890", "9223372036854775807.0", "4503599627370496.5", "2251799813685248",
        "2251799813685247.0", "2251799813685248.0", "-2251799813685248.0", "0.0", "-0.0", " - 5", "5 5", "1_000",
        "١٢", "abc", "-12.5e-1", "+.5e1", "5e-", "0.1", "1e-5", "99999999999999999999", "-1.0", "  +7  ", "\u{b}8",
        "\u{a0}9",
    ]
    .iter()
    .map(|s| Value::text(s))
    .collect()
}

fn pool() -> Vec<Value> {
    let mut v = vec![Value::Null];
    for i in [0i64, 1, -1, 7, -7, 3, 42, i64::MAX, i64::MIN, i64::MAX - 1, 1 << 53, (1 << 53) + 1, -(1 << 53) - 1, 2] {
        v.push(Value::Integer(i));
    }
    for r in [0.0, -0.0, 0.5, -0.5, 1.5, 2.5, 3.0, 1e20, -1e20, 1e-5, 0.1, 9.223_372_036_854_776e18, -9.223_372_036_854_776e18,
        9007199254740992.0, 9007199254740993.0, f64::INFINITY, f64::NEG_INFINITY, 1e300, 123456789.125, 7.5] {
        v.push(Value::Real(r));
    }
    for t in ["a", "A", "abc", "ABD", "a  ", "b", "é", "É"] {
        v.push(Value::text(t));
    }
    v.extend(numeric_texts().into_iter().take(30));
    for b in [&b""[..], b"\x00", b"12", b"a", b"\xff"] {
        v.push(Value::Blob(b.to_vec()));
    }
    v
}

#[test]
fn value_semantics_match_sqlite() {
    let mut queries = Vec::new();
    let mut mine = Vec::new();
    let mut push = |q: String, v: Value| {
        queries.push(q);
        mine.push(oracle::tag(&Ok(v)));
    };
    let types = [("INTEGER", Affinity::Integer), ("REAL", Affinity::Real), ("TEXT", Affinity::Text), ("BLOB", Affinity::Blob), ("NUMERIC", Affinity::Numeric)];
    let mut all = pool();
    all.extend(numeric_texts());
    for v in &all {
        for (name, aff) in types {
            push(format!("SELECT CAST({} AS {name})", oracle::lit(v)), cast(v, aff));
        }
        // A minus before a float literal makes a negative literal (-0.0 stays -0.0); before
        // anything else it computes 0 - x.
        let expected = match v {
            Value::Real(r) if !r.is_sign_negative() => Value::Real(-r),
            _ => negate(v),
        };
        push(format!("SELECT -({})", oracle::lit(v)), expected);
        push(format!("SELECT ~({})", oracle::lit(v)), bit_not(v));
        push(format!("SELECT NOT ({})", oracle::lit(v)), not(v));
    }
    // Affinity through a real table with one column per affinity.
    push("CREATE TABLE aff(a INTEGER, b REAL, c NUMERIC, d TEXT, e BLOB)".into(), Value::Null);
    for v in &all {
        let l = oracle::lit(v);
        push("DELETE FROM aff".into(), Value::Null);
        push(format!("INSERT INTO aff VALUES({l}, {l}, {l}, {l}, {l})"), Value::Null);
        for (col, aff) in [("a", Affinity::Integer), ("b", Affinity::Real), ("c", Affinity::Numeric), ("d", Affinity::Text), ("e", Affinity::Blob)] {
            push(format!("SELECT {col} FROM aff"), apply(v.clone(), aff));
        }
    }
    // Comparison of a column (with its affinity) against a literal (no affinity).
    push("CREATE TABLE cmp(a INTEGER, b REAL, c NUMERIC, d TEXT, e BLOB)".into(), Value::Null);
    let cols = [("a", Affinity::Integer), ("b", Affinity::Real), ("c", Affinity::Numeric), ("d", Affinity::Text), ("e", Affinity::Blob)];
    for v1 in &pool() {
        let l1 = oracle::lit(v1);
        push("DELETE FROM cmp".into(), Value::Null);
        push(format!("INSERT INTO cmp VALUES({l1}, {l1}, {l1}, {l1}, {l1})"), Value::Null);
        for v2 in &pool() {
            let l2 = oracle::lit(v2);
            for (col, aff) in cols {
                let stored = apply(v1.clone(), aff);
                let caff = comparison_affinity(Some(aff), None);
                let (x, y) = (apply_comparison_affinity(&stored, caff), apply_comparison_affinity(v2, caff));
                let expected = if x.is_null() || y.is_null() { Value::Null } else { Value::Integer(compare(&x, &y, None) as i64) };
                push(
                    format!("SELECT CASE WHEN {col} < {l2} THEN -1 WHEN {col} = {l2} THEN 0 WHEN {col} > {l2} THEN 1 END FROM cmp"),
                    expected,
                );
            }
        }
    }
    // Arithmetic and comparison over every pair of the pool.
    let p = pool();
    let ops = [("+", ArithOp::Add), ("-", ArithOp::Subtract), ("*", ArithOp::Multiply), ("/", ArithOp::Divide), ("%", ArithOp::Remainder)];
    for a in &p {
        for b in &p {
            let (la, lb) = (oracle::lit(a), oracle::lit(b));
            for (sym, op) in ops {
                push(format!("SELECT ({la}) {sym} ({lb})"), arith(op, a, b));
            }
            push(format!("SELECT ({la}) || ({lb})"), concat(a, b));
            push(format!("SELECT ({la}) & ({lb})"), bit_and(a, b));
            push(format!("SELECT ({la}) | ({lb})"), bit_or(a, b));
            push(format!("SELECT ({la}) << ({lb})"), shift_left(a, b));
            push(format!("SELECT ({la}) >> ({lb})"), shift_right(a, b));
            let ord = |o: Ordering| Value::Integer(o as i64);
            let cmp = if a.is_null() || b.is_null() { Value::Null } else { ord(compare(a, b, None)) };
            push(format!("SELECT CASE WHEN {la} < {lb} THEN -1 WHEN {la} = {lb} THEN 0 WHEN {la} > {lb} THEN 1 END"), cmp);
        }
    }
    // Collations on text pairs.
    let texts: Vec<Value> = ["a", "A", "a  ", "A ", "b", "B", "ab", "", " ", "a\u{1}", "é", "É", "Z", "z"].iter().map(|s| Value::text(s)).collect();
    for (cname, coll) in [("BINARY", Collation::binary()), ("NOCASE", Collation::nocase()), ("RTRIM", Collation::rtrim())] {
        for a in &texts {
            for b in &texts {
                let (la, lb) = (oracle::lit(a), oracle::lit(b));
                let o = compare(a, b, Some(&coll)) as i64;
                push(
                    format!("SELECT CASE WHEN {la} < {lb} COLLATE {cname} THEN -1 WHEN {la} = {lb} COLLATE {cname} THEN 0 ELSE 1 END"),
                    Value::Integer(o),
                );
            }
        }
    }
    // The text of reals of every magnitude.
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for k in 0..3000 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let x = match k % 3 {
            0 => f64::from_bits(seed >> 1),
            1 => (seed % 10_000_000) as f64 / 1000.0,
            _ => (seed % 1000) as f64 * 10f64.powi((seed >> 40) as i32 % 50 - 25),
        };
        if !x.is_finite() {
            continue;
        }
        let v = Value::Real(x);
        push(format!("SELECT CAST({} AS TEXT)", oracle::lit(&v)), cast(&v, Affinity::Text));
    }
    // STRICT tables: each column type against every value.
    let mut results: Vec<(String, Result<Value, ferrolite_engine::Error>)> = Vec::new();
    for (k, name) in ["INT", "INTEGER", "REAL", "TEXT", "BLOB", "ANY"].iter().enumerate() {
        let t = StrictType::from_name(name).expect("a STRICT type");
        results.push((format!("CREATE TABLE s{k}(a {name}) STRICT"), Ok(Value::Null)));
        for v in &all {
            results.push((format!("DELETE FROM s{k}"), Ok(Value::Null)));
            let stored = strict_coerce(v.clone(), t);
            let insert = match &stored {
                Ok(_) => Ok(Value::Null),
                Err(class) => Err(datatype_error(class, t, &format!("s{k}"), "a")),
            };
            results.push((format!("INSERT INTO s{k} VALUES({})", oracle::lit(v)), insert));
            results.push((format!("SELECT a FROM s{k}"), Ok(stored.unwrap_or(Value::Null))));
        }
    }
    for (q, r) in results {
        queries.push(q);
        mine.push(oracle::tag(&r));
    }
    let Some(theirs) = oracle::oracle(&queries) else { return };
    let (good, bad) = oracle::compare("value semantics", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} value results differ from SQLite");
}
