//! The printf engine fed the way the C API feeds it (C varargs: `int` vs `long long` widths,
//! unsigned reads, character codes, NULL string pointers, `%n`), compared with real SQLite's
//! `sqlite3_mprintf` in a small C program built against the system libsqlite3 (skipped with a
//! notice when no C compiler or header is present).

#[path = "func_oracle.rs"]
mod oracle;

use std::process::Command;

use ferrolite_engine::func::printf::{format, IntWidth, PrintfArgs};

#[derive(Clone, Debug)]
enum CArg {
    Int(i32),
    LongLong(i64),
    Double(f64),
    Str(Option<&'static str>),
    Ptr(u64),
    CountPtr,
}

/// Reads C arguments as a va_list would, given the directive's type.
struct CArgs {
    args: Vec<CArg>,
    next: usize,
}

impl CArgs {
    fn take(&mut self) -> CArg {
        let a = self.args[self.next].clone();
        self.next += 1;
        a
    }
}

impl PrintfArgs for CArgs {
    fn int(&mut self, width: IntWidth) -> i64 {
        match (self.take(), width) {
            (CArg::Int(i), IntWidth::Int) => i64::from(i),
            (CArg::LongLong(v), IntWidth::Long | IntWidth::LongLong) => v,
            (a, w) => panic!("test bug: {a:?} read as {w:?}"),
        }
    }
    fn unsigned(&mut self, width: IntWidth) -> u64 {
        match (self.take(), width) {
            (CArg::Int(i), IntWidth::Int) => u64::from(i as u32),
            (CArg::LongLong(v), IntWidth::Long | IntWidth::LongLong) => v as u64,
            (a, w) => panic!("test bug: {a:?} read as unsigned {w:?}"),
        }
    }
    fn double(&mut self) -> f64 {
        match self.take() {
            CArg::Double(d) => d,
            a => panic!("test bug: {a:?} read as double"),
        }
    }
    fn string(&mut self, _owned: bool) -> Option<Vec<u8>> {
        match self.take() {
            CArg::Str(s) => s.map(|s| s.as_bytes().to_vec()),
            a => panic!("test bug: {a:?} read as string"),
        }
    }
    fn pointer(&mut self) -> u64 {
        match self.take() {
            CArg::Ptr(p) => p,
            a => panic!("test bug: {a:?} read as pointer"),
        }
    }
    fn store_count(&mut self, _written: usize) {
        match self.take() {
            CArg::CountPtr => {}
            a => panic!("test bug: {a:?} read as int*"),
        }
    }
}

fn c_literal(a: &CArg) -> String {
    match a {
        CArg::Int(i) => format!("(int){i}"),
        CArg::LongLong(v) if *v == i64::MIN => "(sqlite3_int64)(-9223372036854775807LL-1)".into(),
        CArg::LongLong(v) => format!("(sqlite3_int64){v}LL"),
        CArg::Double(d) if d.is_infinite() => if *d > 0.0 { "HUGE_VAL".into() } else { "-HUGE_VAL".into() },
        CArg::Double(d) => format!("{d:e}"),
        CArg::Str(None) => "(char*)0".into(),
        CArg::Str(Some(s)) => format!("\"{}\"", s.replace('\\', "\\\\").replace('"', "\\\"")),
        CArg::Ptr(p) => format!("(void*)(uintptr_t){p}ULL"),
        CArg::CountPtr => "&count".into(),
    }
}

#[test]
fn c_varargs_match_sqlite3_mprintf() {
    use CArg::*;
    let cases: Vec<(&str, Vec<CArg>)> = vec![
        ("%d|%i|%u|%x|%X|%o", vec![Int(-1), Int(-1), Int(-1), Int(-1), Int(255), Int(-1)]),
        ("%lld|%llu|%llx|%lli", vec![LongLong(i64::MIN), LongLong(-1), LongLong(-1), LongLong(i64::MAX)]),
        ("%ld|%lu", vec![LongLong(-5), LongLong(-5)]),
        ("%c%c%c|%5c|%-3c|%.3c", vec![Int(65), Int(0xe9), Int(0x20ac), Int(66), Int(67), Int(68)]),
        ("%s|%s|%.2s|%5s|%-5s|", vec![Str(Some("abc")), Str(None), Str(Some("abc")), Str(Some("x")), Str(Some("y"))]),
        ("%q|%Q|%Q|%w|%q", vec![Str(Some("it's")), Str(Some("it's")), Str(None), Str(Some("a\"b")), Str(None)]),
        ("%z|", vec![Str(Some("owned"))]),
        ("%p|%#p", vec![Ptr(0xdead_beef), Ptr(255)]),
        ("ab%ncd%d", vec![CountPtr, Int(7)]),
        ("%*d|%-*d|%.*f|%*.*e", vec![Int(6), Int(42), Int(-6), Int(7), Int(2), Double(3.25159), Int(12), Int(3), Double(-1.5e-7)]),
        ("%f|%e|%g|%G|%E", vec![Double(1e100), Double(1e-100), Double(1e-5), Double(1e-5), Double(0.0)]),
        ("%!.15g|%!.20e|%.18f|%!f", vec![Double(0.1), Double(0.3), Double(42.0), Double(2.0)]),
        ("%,d|%,lld|%010,d", vec![Int(-1234567), LongLong(9_876_543_210), Int(5)]),
        ("%+d|% d|%05d|%-05d|%+.3d", vec![Int(5), Int(5), Int(-42), Int(42), Int(7)]),
        ("%#x|%#o|%#X|%#10.4x", vec![Int(255), Int(8), Int(0), Int(26)]),
        ("%r|%r|%r|%r", vec![Int(1), Int(2), Int(13), Int(101)]),
        ("%5%|%%|%", vec![]),
        ("%f|%f|%+f|%08.3f|%-8.2f|", vec![Double(f64::INFINITY), Double(f64::NEG_INFINITY), Double(f64::INFINITY), Double(-3.25), Double(2.5)]),
        ("%.0f|%.0f|%.0f|%.1f|%.2f", vec![Double(0.5), Double(1.5), Double(2.5), Double(0.15), Double(1.005)]),
        ("%d %s", vec![Int(i32::MIN), Str(Some("end"))]),
        ("%hd", vec![Int(1)]),
        ("%c|%c|%c|%c", vec![Int(0xd800), Int(0x10ffff), Int(0x110000), Int(0x7ff)]),
    ];
    let mut program = String::from(
        "#include <stdio.h>\n#include <math.h>\n#include <stdint.h>\n#include <sqlite3.h>\nstatic void out(char *z){ if(!z){puts(\"NULL\");return;} for(unsigned char *p=(unsigned char*)z;*p;p++) printf(\"%02x\", *p); puts(\"\"); sqlite3_free(z); }\nint main(void){ int count = 0; (void)count;\n",
    );
    let mut mine = Vec::new();
    for (fmt, args) in &cases {
        let lits: Vec<String> = args.iter().map(c_literal).collect();
        let z = args.iter().position(|a| matches!(a, Str(_))).filter(|_| fmt.starts_with("%z"));
        let call = if let Some(i) = z {
            // %z frees its argument: hand it a copy made by sqlite3_mprintf.
            let mut l = lits.clone();
            l[i] = format!("sqlite3_mprintf(\"%s\", {})", lits[i]);
            format!("sqlite3_mprintf(\"{}\", {})", fmt.replace('"', "\\\""), l.join(", "))
        } else if lits.is_empty() {
            format!("sqlite3_mprintf(\"{}\")", fmt)
        } else {
            format!("sqlite3_mprintf(\"{}\", {})", fmt, lits.join(", "))
        };
        program.push_str(&format!("  out({call});\n"));
        let out = format(fmt.as_bytes(), &mut CArgs { args: args.clone(), next: 0 });
        mine.push(oracle::hex(&out));
    }
    program.push_str("  return 0;\n}\n");
    let dir = std::env::temp_dir().join(format!("ferrolite-func-printf-c-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("temp dir");
    let src = dir.join("p.c");
    let exe = dir.join("p");
    std::fs::write(&src, &program).expect("write C source");
    let built = Command::new("cc")
        .args(["-w", "-o"])
        .arg(&exe)
        .arg(&src)
        .arg("-lsqlite3")
        .output();
    match built {
        Ok(o) if o.status.success() => {}
        Ok(o) if !std::path::Path::new("/usr/include/sqlite3.h").exists() => {
            eprintln!("NOTICE: no sqlite3.h ({}); C printf test skipped", String::from_utf8_lossy(&o.stderr));
            return;
        }
        Ok(o) => panic!("the C oracle program does not build: {}", String::from_utf8_lossy(&o.stderr)),
        Err(e) => {
            eprintln!("NOTICE: no C compiler ({e}); C printf test skipped");
            return;
        }
    }
    let run = Command::new(&exe).output().expect("run the C program");
    let _ = std::fs::remove_dir_all(&dir);
    let theirs: Vec<String> = String::from_utf8_lossy(&run.stdout).lines().map(str::to_string).collect();
    assert_eq!(theirs.len(), cases.len());
    let queries: Vec<String> = cases.iter().map(|(f, a)| format!("{f} {a:?}")).collect();
    let (good, bad) = oracle::compare("C printf", &queries, &mine, &theirs);
    assert!(good > 0);
    assert_eq!(bad, 0);
}
