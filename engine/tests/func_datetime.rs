//! Differential test of the date and time functions: time values of every form (valid and
//! not), with zero, one and two modifiers, through date/time/datetime/julianday/unixepoch/
//! strftime in real SQLite and in ours.

#[path = "func_oracle.rs"]
mod oracle;

use ferrolite_engine::func::{DetachedState, FuncCtx, FuncRegistry};
use ferrolite_engine::Value;

fn values() -> Vec<Value> {
    let mut v: Vec<Value> = [
        "2021-02-31", "2021-02-32", "2021-13-01", "0000-01-01", "-0001-01-01", "-0001-03-01", "10000-01-01", "2021-1-1",
        "24:00", "24:01", "23:60", "2021-01-01 24:00:00", "12:34:56.789", "12:34:56.7899", "12:34:59.9999",
        "2000-01-01 00:00:00.0005", "2000-01-01 00:00:00.0004", "2000-01-01", "2459000.5", " 2459000.5 ", "2021-03-15 13:14:15",
        "2021-03-15 13:14:15+02:00", "2021-03-15 13:14:15Z", "2021-03-15 13:14:15 -0530", "2021-03-15 13:14:15 -05:30",
        "2021-03-15T13:14:15", "2021-03-15  13:14", "13:14", "2021-03-15 13:14:15 x", "", "x", "2021-01-01T", "2021-01-01 ",
        "1969-12-31 23:59:59.9", "-4713-11-24 12:00:00", "-4713-11-24", "9999-12-31 23:59:59.999", "9999-12-31",
        "2024-02-29 23:59:59", "2023-01-01", "2023-12-31", "2020-12-31 12:00", "1970-01-01", "1900-02-28", "1600-03-01",
        "2021-03-15 13:14:15.", "2021-03-15 13:14:15.5Z", "2021-03-15 13:14 +14:00", "2021-03-15 13:14 +15:00", "12:00 z",
        "2000-06-15 06:07:08.123456", "0001-01-01 00:00:00", "2459000", "1e6", "5373484.4", "5373484.5",
    ]
    .iter()
    .map(|s| Value::text(s))
    .collect();
    for r in [0.0, -1.0, 2459000.5, 2459000.0, 1e10, 5373484.4, 1000000000.0, 1.5, 1.9999, 2440587.5] {
        v.push(Value::Real(r));
    }
    for i in [0i64, -1, 1, 2459000, 1_000_000_000, 253402300799, 253402300800, -210866760000, -210866760001] {
        v.push(Value::Integer(i));
    }
    v.push(Value::Null);
    v.push(Value::Blob(b"2021-01-01".to_vec()));
    v
}

fn modifiers() -> Vec<Value> {
    let mut v: Vec<Value> = [
        "+1 month", "+1.5 months", "-1 month", "+13 months", "-25 months", "+1 year", "+1.5 years", "-1.5 days", "+1 hours",
        "+2 minute", "+3.5 seconds", "+01:30", "-01:30:15.5", "+25:00", "+24:00", "+1  days", "+1days", "1 day", "+ 1 day",
        "start of month", "start of year", "start of day", "START OF DAY", "weekday 0", "weekday 3", "weekday 7",
        "weekday 1.5", "unixepoch", "auto", "julianday", "+1e2 days", "+100000000 days", "+176546 months", "+14713 years",
        "-14712 years", "+5373484 days", "bogus", "", "start of week", "+1 fortnight", "-0.5 hours", "+86399.999 seconds",
        "12:00", "-12:30:00.25",
    ]
    .iter()
    .map(|s| Value::text(s))
    .collect();
    v.push(Value::Null);
    v
}

#[test]
fn date_functions_match_sqlite() {
    let reg = FuncRegistry::with_builtins();
    let funcs = ["date", "time", "datetime", "julianday", "unixepoch"];
    let fmt = Value::text("%d|%f|%H|%j|%J|%m|%M|%s|%S|%w|%W|%Y|%%");
    let vals = values();
    let mods = modifiers();
    let mut queries = Vec::new();
    let mut mine = Vec::new();
    let mut add = |name: &str, args: Vec<Value>| {
        let lits: Vec<String> = args.iter().map(oracle::lit).collect();
        queries.push(format!("SELECT {name}({})", lits.join(", ")));
        let mut conn = DetachedState::new(1);
        let mut ctx = FuncCtx::new(&mut conn);
        let r = reg.lookup(name, args.len()).and_then(|d| d.call(&mut ctx, &args));
        mine.push(oracle::tag(&r));
    };
    for v in &vals {
        for f in funcs {
            add(f, vec![v.clone()]);
        }
        add("strftime", vec![fmt.clone(), v.clone()]);
        for m in &mods {
            for f in funcs {
                add(f, vec![v.clone(), m.clone()]);
            }
        }
    }
    // Two modifiers: a rotating sample.
    let (nv, nm) = (vals.len(), mods.len());
    for k in 0..3000usize {
        let args = vec![vals[k % nv].clone(), mods[(k * 7) % nm].clone(), mods[(k * 11 + 3) % nm].clone()];
        add(funcs[k % funcs.len()], args.clone());
        let mut s = vec![fmt.clone()];
        s.extend(args);
        add("strftime", s);
    }
    // strftime's own conversions, including unknown ones.
    for f in ["%e", "%", "x%", "%Y-%m-%d", "%Y %W %j %w", "%H:%M:%S.%f", "%s", "%J", "plain", ""] {
        for v in ["2021-03-15 13:14:15.25", "2023-01-01", "-0001-06-01", "2024-12-31 23:59:59.9999"] {
            add("strftime", vec![Value::text(f), Value::text(v)]);
        }
    }
    add("strftime", vec![Value::Null, Value::text("2021-01-01")]);
    // Pseudo-random instants with pseudo-random relative modifiers.
    let mut seed = 0x0dd_ba11_cafe_f00du64;
    let mut next = |m: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % m
    };
    let units = ["seconds", "minutes", "hours", "days", "months", "years"];
    for _ in 0..2500 {
        let t = format!(
            "{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:03}",
            next(10000),
            1 + next(12),
            1 + next(31),
            next(25),
            next(60),
            next(60),
            next(1000)
        );
        let amount = (next(2_000_000) as f64 - 1_000_000.0) / [1.0, 10.0, 1000.0][next(3) as usize];
        let m = Value::text(&format!("{amount:+} {}", units[next(6) as usize]));
        let f = ["date", "time", "datetime", "julianday", "unixepoch"][next(5) as usize];
        add(f, vec![Value::text(&t), m.clone()]);
        add("strftime", vec![fmt.clone(), Value::text(&t), m, Value::text(["start of month", "weekday 2", "+12:34", "start of year"][next(4) as usize])]);
    }
    let Some(theirs) = oracle::oracle(&queries) else { return };
    let (good, bad) = oracle::compare("date and time", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} date/time results differ from SQLite");
}
