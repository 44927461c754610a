//! Differential test of the `localtime` and `utc` date modifiers: real SQLite runs under
//! several POSIX `TZ` settings (fixed offsets and a US-style daylight-saving rule); our side
//! gets the same zone through `ConnectionState::local_offset_seconds`. (Instants pushed past
//! 9999-12-31 before `localtime` give SQLite's unspecified garbage and are not compared.)

#[path = "func_oracle.rs"]
mod oracle;

use ferrolite_engine::func::datetime::days_from_civil;
use ferrolite_engine::func::{ConnectionState, FuncCtx, FuncRegistry};
use ferrolite_engine::Value;

/// A time zone: standard offset (seconds east) and, optionally, US daylight saving
/// (second Sunday of March 02:00 local to first Sunday of November 02:00 local, +1 hour).
#[derive(Clone, Copy)]
struct Zone {
    standard: i64,
    us_dst: bool,
}

/// The day count (from 1970) of the `nth` Sunday of a month.
fn nth_sunday(y: i64, m: i64, nth: i64) -> i64 {
    let first = days_from_civil(y, m, 1);
    // 1970-01-01 was a Thursday; (days + 4) % 7 == 0 is Sunday.
    let to_sunday = (7 - (first + 4).rem_euclid(7)) % 7;
    first + to_sunday + 7 * (nth - 1)
}

impl ConnectionState for Zone {
    fn changes(&self) -> i64 {
        0
    }
    fn total_changes(&self) -> i64 {
        0
    }
    fn last_insert_rowid(&self) -> i64 {
        0
    }
    fn randomness(&mut self, _: &mut [u8]) {}
    fn local_offset_seconds(&mut self, t: i64) -> Option<i64> {
        if !self.us_dst {
            return Some(self.standard);
        }
        let local_std = t + self.standard;
        let y = ferrolite_engine::func::datetime::civil_from_days(local_std.div_euclid(86_400)).0;
        let start = nth_sunday(y, 3, 2) * 86_400 + 2 * 3600 - self.standard;
        let end = nth_sunday(y, 11, 1) * 86_400 + 3600 - self.standard;
        Some(if (start..end).contains(&t) { self.standard + 3600 } else { self.standard })
    }
}

#[test]
fn localtime_and_utc_match_sqlite() {
    let reg = FuncRegistry::with_builtins();
    let zones = [
        ("EST5", Zone { standard: -5 * 3600, us_dst: false }),
        ("IST-5:30", Zone { standard: 5 * 3600 + 1800, us_dst: false }),
        ("UTC0", Zone { standard: 0, us_dst: false }),
        ("EST5EDT,M3.2.0,M11.1.0", Zone { standard: -5 * 3600, us_dst: true }),
    ];
    let values = [
        "2021-07-01 12:00", "2021-01-01 12:00", "1950-07-01 12:00", "1950-04-03 12:00", "1952-04-03 12:00",
        "2040-04-03 12:00", "2043-04-03 12:00", "0001-01-01 00:00", "9999-12-31 12:00", "2021-07-01 12:00:00.7",
        "2021-03-14 06:59:59", "2021-03-14 07:00:00", "2021-03-14 01:59:59", "2021-03-14 02:30", "2021-03-14 03:00:00",
        "2021-11-07 00:59:59", "2021-11-07 01:00:00", "2021-11-07 01:30", "2021-11-07 02:00:00", "2021-11-07 05:30",
        "2021-11-07 06:30", "12:00", "2021-07-01 12:00Z", "2021-07-01 12:00+02:00", "1970-01-01 00:00", "2038-01-19 03:14:08",
        "1969-12-31 23:59:59.999", "-0100-06-15 12:00",
    ];
    let mods: [&[&str]; 9] = [
        &["localtime"],
        &["utc"],
        &["localtime", "utc"],
        &["utc", "utc"],
        &["localtime", "localtime"],
        &["utc", "localtime"],
        &["localtime", "start of day"],
        &["+6 months", "localtime"],
        &["utc", "+1 day", "utc"],
    ];
    let (mut good, mut bad) = (0, 0);
    for (tz, zone) in zones {
        let mut queries = Vec::new();
        let mut mine = Vec::new();
        for v in values {
            for m in mods {
                if v.starts_with("9999") && m.contains(&"+6 months") {
                    continue; // past 9999-12-31 before localtime: SQLite's unspecified garbage
                }
                let mut args = vec![Value::text(v)];
                args.extend(m.iter().map(|s| Value::text(s)));
                let lits: Vec<String> = args.iter().map(oracle::lit).collect();
                for f in ["datetime", "strftime"] {
                    let mut a = args.clone();
                    let mut l = lits.clone();
                    if f == "strftime" {
                        a.insert(0, Value::text("%Y-%m-%d %H:%M:%f %s"));
                        l.insert(0, "'%Y-%m-%d %H:%M:%f %s'".into());
                    }
                    queries.push(format!("SELECT {f}({})", l.join(", ")));
                    let mut state = zone;
                    let mut ctx = FuncCtx::new(&mut state);
                    mine.push(oracle::tag(&reg.lookup(f, a.len()).and_then(|d| d.call(&mut ctx, &a))));
                }
            }
            // Numbers with unixepoch, then localtime.
            let n = Value::Integer(1_615_705_200);
            let a = [n, Value::text("unixepoch"), Value::text("localtime")];
            queries.push(format!("SELECT datetime({})", a.iter().map(oracle::lit).collect::<Vec<_>>().join(", ")));
            let mut state = zone;
            let mut ctx = FuncCtx::new(&mut state);
            mine.push(oracle::tag(&reg.lookup("datetime", 3).and_then(|d| d.call(&mut ctx, &a))));
        }
        let Some(theirs) = oracle::oracle_with_env(&queries, &[("TZ", tz)]) else { return };
        let (g, b) = oracle::compare(&format!("localtime/utc under TZ={tz}"), &queries, &mine, &theirs);
        good += g;
        bad += b;
    }
    assert!(good > 0);
    assert_eq!(bad, 0, "{bad} localtime/utc results differ from SQLite");
}
