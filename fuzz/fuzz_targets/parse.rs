//! Fuzz target: arbitrary bytes, read as (lossy) UTF-8, parsed statement after statement with
//! `sql::parse_one`; the parser must answer with a statement or an error, never panic or hang,
//! and every tail it reports must lie inside the text on a character boundary. A copy of each
//! tree is printed after the original is dropped: the copy shares the original's operand
//! chunks (sql/subexpr.rs), which must outlive the original and be freed with the copy (the
//! sanitizer's leak check and use-after-free check watch both).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut rest: &str = &text;
    for _ in 0..64 {
        match ferrolite_engine::sql::parse_one(rest) {
            Ok(Some((stmt, tail))) => {
                assert!(tail > 0 && tail <= rest.len() && rest.is_char_boundary(tail), "bad tail {tail}");
                let copy = stmt.clone();
                drop(stmt);
                std::hint::black_box(copy.to_string());
                rest = &rest[tail..];
            }
            Ok(None) | Err(_) => break,
        }
    }
});
