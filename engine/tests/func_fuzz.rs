//! Randomized differential tests against real SQLite: printf formats built from the directive
//! grammar, LIKE/GLOB patterns over a small alphabet, and numeric-looking text through CAST
//! and arithmetic. (The hand-picked cases live in the other func_* tests; these look for
//! what nobody thought to pick.)

#[path = "func_oracle.rs"]
mod oracle;

use ferrolite_engine::func::printf::{format_sql, DEFAULT_LIMIT};
use ferrolite_engine::func::{DetachedState, FuncCtx, FuncRegistry};
use ferrolite_engine::value::affinity::Affinity;
use ferrolite_engine::value::arith::{arith, ArithOp};
use ferrolite_engine::value::convert::cast;
use ferrolite_engine::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self, m: u64) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0 % m
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.next(items.len() as u64) as usize]
    }
    fn string(&mut self, alphabet: &[u8], max: u64) -> String {
        let n = self.next(max + 1);
        (0..n).map(|_| alphabet[self.next(alphabet.len() as u64) as usize] as char).collect()
    }
}

fn value(rng: &mut Rng) -> Value {
    match rng.next(6) {
        0 => Value::Integer(rng.next(2_000_001) as i64 - 1_000_000),
        1 => Value::Integer(rng.next(u64::MAX) as i64),
        2 => Value::Real((rng.next(2_000_000_001) as f64 - 1e9) / 10f64.powi(rng.next(12) as i32)),
        3 => Value::Real(f64::from_bits(rng.next(0x7fef_ffff_ffff_ffff))),
        4 => Value::text(&rng.string(b"0123456789.e-+ xab'%", 8)),
        _ => Value::Null,
    }
}

#[test]
fn random_cases_match_sqlite() {
    let mut rng = Rng(0x51ed_2701_9e37_79b9);
    let reg = FuncRegistry::with_builtins();
    let mut queries = Vec::new();
    let mut mine = Vec::new();
    // printf: one to three directives with random flags, width, precision, length, conversion.
    for _ in 0..4000 {
        let mut fmt = String::new();
        let mut args = Vec::new();
        for _ in 0..=rng.next(2) {
            fmt.push_str(rng.pick(&["", "x", "<", "é"]));
            fmt.push('%');
            for _ in 0..rng.next(3) {
                fmt.push_str(rng.pick(&["-", "+", " ", "0", "#", "!", ","]));
            }
            match rng.next(4) {
                0 => {}
                1 => fmt.push_str(&rng.next(25).to_string()),
                2 => {
                    fmt.push('*');
                    args.push(Value::Integer(rng.next(41) as i64 - 20));
                }
                _ => fmt.push_str(&rng.next(8).to_string()),
            }
            match rng.next(4) {
                0 => {}
                1 => fmt.push_str(&format!(".{}", rng.next(25))),
                2 => {
                    fmt.push_str(".*");
                    args.push(Value::Integer(rng.next(41) as i64 - 20));
                }
                _ => fmt.push('.'),
            }
            fmt.push_str(rng.pick(&["", "", "", "l", "ll"]));
            let conv = rng.pick(&["d", "i", "u", "x", "X", "o", "c", "s", "z", "q", "Q", "w", "f", "e", "E", "g", "G", "p", "r", "%", "n"]);
            fmt.push_str(conv);
            if conv != "%" && conv != "n" {
                args.push(value(&mut rng));
            }
        }
        let lits: Vec<String> = args.iter().map(oracle::lit).collect();
        queries.push(format!("SELECT printf({}{}{})", oracle::lit(&Value::text(&fmt)), if lits.is_empty() { "" } else { ", " }, lits.join(", ")));
        mine.push(oracle::tag(&Ok(format_sql(fmt.as_bytes(), &args, DEFAULT_LIMIT).map_or(Value::Null, Value::Text))));
    }
    // LIKE and GLOB over a small alphabet (so that matches happen).
    for _ in 0..4000 {
        let glob = rng.next(2) == 0;
        let pattern = if glob { rng.string(b"ab*?[]^-A", 6) } else { rng.string(b"abAB%_\\", 6) };
        let text = rng.string(b"abAB%_[]-\\", 6);
        let mut args = vec![Value::text(&pattern), Value::text(&text)];
        let name = if glob { "glob" } else { "like" };
        if !glob && rng.next(3) == 0 {
            args.push(Value::text("\\"));
        }
        let lits: Vec<String> = args.iter().map(oracle::lit).collect();
        queries.push(format!("SELECT {name}({})", lits.join(", ")));
        let mut conn = DetachedState::new(1);
        let mut ctx = FuncCtx::new(&mut conn);
        mine.push(oracle::tag(&reg.lookup(name, args.len()).and_then(|d| d.call(&mut ctx, &args))));
    }
    // Numeric-looking text through CAST and arithmetic (long digit strings test real parsing).
    for _ in 0..4000 {
        let t = match rng.next(5) {
            0 => rng.string(b"0123456789.eE+- ", 10),
            1 => format!("{}.{}e{}", rng.next(u64::MAX), rng.next(u64::MAX), rng.next(40) as i64 - 20),
            2 => format!("{}e{}", rng.next(u64::MAX) >> rng.next(64), rng.next(120) as i64 + 260),
            3 => format!("{}.{}e-{}", rng.next(10), rng.next(u64::MAX), rng.next(80) + 290),
            _ => format!("{}{}", rng.pick(&["", "-", " +"]), rng.string(b"0123456789", 25)),
        };
        let v = Value::text(&t);
        let l = oracle::lit(&v);
        for (name, aff) in [("INTEGER", Affinity::Integer), ("REAL", Affinity::Real), ("NUMERIC", Affinity::Numeric)] {
            queries.push(format!("SELECT CAST({l} AS {name})"));
            mine.push(oracle::tag(&Ok(cast(&v, aff))));
        }
        queries.push(format!("SELECT {l} + 0"));
        mine.push(oracle::tag(&Ok(arith(ArithOp::Add, &v, &Value::Integer(0)))));
    }
    let Some(theirs) = oracle::oracle(&queries) else { return };
    let (good, bad) = oracle::compare("randomized", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} randomized results differ from SQLite");
}
