//! Differential test of the printf dialect: hundreds of format/argument combinations run
//! through SQLite's printf() and through ours (`ValueArgs`), compared byte for byte.

#[path = "func_oracle.rs"]
mod oracle;

use ferrolite_engine::func::printf::{format_sql, DEFAULT_LIMIT};
use ferrolite_engine::Value;

fn ours(fmt: &str, args: &[Value]) -> String {
    let v = format_sql(fmt.as_bytes(), args, DEFAULT_LIMIT).map_or(Value::Null, Value::Text);
    oracle::tag(&Ok(v))
}

fn values() -> Vec<Value> {
    let mut v = vec![
        Value::Integer(0),
        Value::Integer(1),
        Value::Integer(-1),
        Value::Integer(42),
        Value::Integer(-1234567),
        Value::Integer(255),
        Value::Integer(i64::MAX),
        Value::Integer(i64::MIN),
        Value::Integer(1000),
        Value::Real(0.0),
        Value::Real(1.0),
        Value::Real(-1.5),
        Value::Real(0.1),
        Value::Real(3.25159265358979),
        Value::Real(2.5),
        Value::Real(0.5),
        Value::Real(1.005),
        Value::Real(0.15),
        Value::Real(1e20),
        Value::Real(1e-5),
        Value::Real(123456789.125),
        Value::Real(-0.000123456),
        Value::Real(9.9999999),
        Value::Real(1e100),
        Value::Real(f64::INFINITY),
        Value::Real(f64::NEG_INFINITY),
        Value::Real(0.30000000000000004),
        Value::Real(1e15),
        Value::Real(99.95),
        Value::Real(5e-324),
        Value::Null,
        Value::text(""),
        Value::text("hello"),
        Value::text("it's"),
        Value::text("a\"b"),
        Value::text("éèà"),
        Value::text("12abc"),
        Value::text(" 3.5 "),
        Value::Blob(vec![0x41, 0x42]),
    ];
    v.push(Value::text("x"));
    v
}

#[test]
fn printf_matches_sqlite() {
    let convs = ["d", "i", "u", "x", "X", "o", "c", "s", "z", "q", "Q", "w", "f", "e", "E", "g", "G", "p", "r", "lld"];
    let mods = [
        "", "5", "-5", "05", "+", " ", "#", "!", ",", ".0", ".1", ".3", "10.4", "-10.2", "+08.3", "#10", "!.20",
        "!10.3", ",12", "-+5", ".15", "!.15", "#.0", "!.0", "0", ",.5", "#.4", "#08", "-08.2", ",+012",
    ];
    let vals = values();
    let mut queries = Vec::new();
    let mut mine = Vec::new();
    let mut k = 0usize;
    for conv in convs {
        for m in mods {
            // Each directive meets several values, in a rotating pattern.
            for _ in 0..3 {
                let v = &vals[k % vals.len()];
                k += 7;
                let fmt = format!("[%{m}{conv}]");
                queries.push(format!("SELECT printf({}, {})", oracle::lit(&Value::text(&fmt)), oracle::lit(v)));
                mine.push(ours(&fmt, std::slice::from_ref(v)));
            }
        }
    }
    // Every value through the formats whose output depends most on the value.
    for fmt in ["%s", "%d", "%f", "%.15g", "%!.15g", "%e", "%Q", "%x", "%c", "%.2f", "%!.20e", "%g"] {
        for v in &vals {
            queries.push(format!("SELECT printf('{fmt}', {})", oracle::lit(v)));
            mine.push(ours(fmt, std::slice::from_ref(v)));
        }
    }
    // Formats with several or missing arguments, `*`, and odd endings.
    let multi: &[(&str, Vec<Value>)] = &[
        ("%*d|%-*d|%.*f|%.*f", vec![Value::Integer(6), Value::Integer(42), Value::Integer(-6), Value::Integer(7), Value::Integer(2), Value::Real(3.25159), Value::Integer(-1), Value::Real(2.5)]),
        ("%d %s %f %c %Q", vec![Value::Integer(1)]),
        ("a%", vec![]),
        ("a%5", vec![]),
        ("a%ll5d", vec![Value::Integer(3)]),
        ("%5%|%%", vec![]),
        ("%n|%d", vec![Value::Integer(9)]),
        ("", vec![]),
        ("%s", vec![Value::text("")]),
        ("%010,d", vec![Value::Integer(5)]),
        ("%hd", vec![Value::Integer(5)]),
        ("%.*s|%-*s|", vec![Value::Integer(2), Value::text("abcdef"), Value::Integer(4), Value::text("é")]),
        ("%!.2s|%!5s|%!-5q|", vec![Value::text("éèà"), Value::text("é"), Value::text("é'")]),
        ("%.3c|%-4c|", vec![Value::text("é"), Value::Integer(7)]),
        ("%.2147483647d", vec![Value::Integer(1)]),
    ];
    for (fmt, args) in multi {
        let lits: Vec<String> = args.iter().map(oracle::lit).collect();
        let mut q = format!("SELECT printf({}", oracle::lit(&Value::text(fmt)));
        for l in &lits {
            q.push_str(", ");
            q.push_str(l);
        }
        q.push(')');
        queries.push(q);
        mine.push(ours(fmt, args));
    }
    // Long precisions, where SQLite's long double arithmetic shows in the last digits, over
    // pseudo-random doubles of every magnitude.
    let mut seed = 0x9e37_79b9_7f4a_7c15u64;
    for k in 0..600 {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        let x = match k % 3 {
            0 => f64::from_bits(seed >> 1),
            1 => (seed % 2_000_000) as f64 / 1000.0 - 1000.0,
            _ => (seed % 100_000) as f64 * 10f64.powi((seed >> 40) as i32 % 40 - 20),
        };
        if !x.is_finite() {
            continue;
        }
        let fmt = ["%.17f", "%.20e", "%!.20e", "%.25g", "%!.26g", "%.18f", "%.16e", "%!.15g", "%.3f", "%.0e", "%g", "%.30f"][k % 12];
        queries.push(format!("SELECT printf('{fmt}', {})", oracle::lit(&Value::Real(x))));
        mine.push(ours(fmt, &[Value::Real(x)]));
    }
    let Some(theirs) = oracle::oracle(&queries) else { return };
    let (good, bad) = oracle::compare("printf", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} printf results differ from SQLite");
}

#[test]
fn too_big_is_null_without_building_it() {
    // SQLite 3.40.1 answers NULL (SQLITE_TOOBIG inside printf) for each of these; building the
    // output first would need gigabytes.
    for (fmt, arg) in [("%1500000000.2f", Value::Real(1.0)), ("%.1500000000c", Value::text("x")), ("%1500000000s", Value::text("x")), ("%.2147483647d", Value::Integer(1))] {
        assert_eq!(format_sql(fmt.as_bytes(), &[arg], DEFAULT_LIMIT), None, "{fmt}");
    }
}
