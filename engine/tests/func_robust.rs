//! No built-in function, aggregate or printf format panics on arbitrary input: random bytes as
//! text and blobs (invalid UTF-8, NUL bytes, stray `%`), extreme numbers, every argument count
//! each definition takes. (Answers are checked elsewhere against SQLite; this pins robustness.)

use ferrolite_engine::func::printf::{format_sql, DEFAULT_LIMIT};
use ferrolite_engine::func::{builtin_functions, DetachedState, FuncCtx, FuncKind};
use ferrolite_engine::Value;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn bytes(&mut self, alphabet: &[u8]) -> Vec<u8> {
        let n = (self.next() % 12) as usize;
        (0..n).map(|_| alphabet[(self.next() % alphabet.len() as u64) as usize]).collect()
    }
    fn value(&mut self) -> Value {
        let noise: Vec<u8> = (0u8..=255).collect();
        let fmt = b"%%-+ #!,0123456789.*lcdiuxXopsqQwzfeEgGrn\x00ab\xc3\xa9\xff";
        match self.next() % 9 {
            0 => Value::Null,
            1 => Value::Integer(self.next() as i64),
            2 => Value::Integer([0, 1, -1, i64::MAX, i64::MIN, 0x10ffff, 1 << 31][(self.next() % 7) as usize]),
            3 => Value::Real(f64::from_bits(self.next())),
            4 => Value::Real([0.0, -0.0, f64::INFINITY, f64::NEG_INFINITY, 1e308, 5e-324, 0.5][(self.next() % 7) as usize]),
            5 => Value::Text(self.bytes(&noise)),
            6 => Value::Text(self.bytes(fmt)),
            7 => Value::Blob(self.bytes(&noise)),
            _ => Value::Text(self.bytes(b"ab%_[]^-*?\\ ")),
        }
    }
}

#[test]
fn no_function_panics() {
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    let mut conn = DetachedState::new(9);
    for def in builtin_functions() {
        for _ in 0..400 {
            let n = if def.n_arg >= 0 { def.n_arg as usize } else { def.min_args + (rng.next() % 4) as usize };
            let args: Vec<Value> = (0..n).map(|_| rng.value()).collect();
            let mut ctx = FuncCtx::new(&mut conn);
            match &def.kind {
                FuncKind::Scalar(_) => {
                    if def.name == "zeroblob" || def.name == "randomblob" {
                        // Keep allocations small: these make what they are asked for.
                        if let Some(Value::Integer(k)) = args.first() {
                            if *k > 1 << 20 {
                                continue;
                            }
                        }
                        if !matches!(args.first(), Some(Value::Integer(_))) {
                            continue;
                        }
                    }
                    let _ = def.call(&mut ctx, &args);
                }
                FuncKind::Aggregate(make) => {
                    let mut state = make();
                    for _ in 0..3 {
                        let _ = state.step(&mut ctx, &args);
                    }
                    let _ = state.finalize(&mut ctx);
                }
            }
        }
    }
    for _ in 0..5000 {
        let fmt = match rng.value() {
            Value::Text(t) | Value::Blob(t) => t,
            _ => b"%d".to_vec(),
        };
        let args: Vec<Value> = (0..(rng.next() % 4)).map(|_| rng.value()).collect();
        let _ = format_sql(&fmt, &args, DEFAULT_LIMIT);
    }
}
