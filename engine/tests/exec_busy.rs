//! Two connections to one file: a writer blocked by another's lock gets SQLITE_BUSY at once
//! without a busy timeout, and with one waits and succeeds once the lock is released.

use ferrolite_engine::{Connection, OpenFlags, StepResult};

fn exec(conn: &mut Connection, sql: &str) -> ferrolite_engine::Result<()> {
    let mut rest = sql;
    while let (Some(mut st), tail) = conn.prepare(rest)? {
        while st.step(conn)? == StepResult::Row {}
        rest = &rest[tail..];
    }
    Ok(())
}

#[test]
fn busy_timeout_waits_for_the_other_writer() {
    let dir = std::env::temp_dir().join(format!("ferrolite-busy-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("dir");
    let path = dir.join("b.db");
    let _ = std::fs::remove_file(&path);
    let p = path.to_str().expect("utf-8").to_string();
    let mut a = Connection::open(&p, OpenFlags::default()).expect("open a");
    exec(&mut a, "CREATE TABLE t(x)").expect("create");
    let mut b = Connection::open(&p, OpenFlags::default()).expect("open b");
    exec(&mut a, "BEGIN IMMEDIATE; INSERT INTO t VALUES(1);").expect("a writes");
    let e = exec(&mut b, "INSERT INTO t VALUES(2)").expect_err("b is blocked");
    assert_eq!(e.primary(), ferrolite_engine::error::code::BUSY);
    b.set_busy_timeout(5000);
    let h = std::thread::spawn(move || {
        std::thread::sleep(std::time::Duration::from_millis(100));
        exec(&mut a, "COMMIT").expect("a commits");
        a
    });
    let t0 = std::time::Instant::now();
    exec(&mut b, "INSERT INTO t VALUES(2)").expect("b waits, then writes");
    assert!(t0.elapsed() >= std::time::Duration::from_millis(50));
    let _a = h.join().expect("thread");
    let mut st = b.prepare("SELECT count(*) FROM t").expect("prepare").0.expect("stmt");
    assert_eq!(st.step(&mut b).expect("step"), StepResult::Row);
    assert_eq!(st.row()[0], ferrolite_engine::Value::Integer(2));
    drop(st);
    let _ = std::fs::remove_dir_all(&dir);
}
