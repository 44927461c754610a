//! The SQL date and time functions over [`super::Moment`]: date, time, datetime, julianday,
//! unixepoch, strftime, and current_date/current_time/current_timestamp.
//!
//! Invariants:
//! 1. No argument means `now`; a NULL time value or modifier gives NULL; a number is a
//!    Julian day number (or, with `unixepoch`/`auto`, seconds since 1970).
//! 2. Seconds print truncated (`%S`, time()), or with three decimals clamped to 59.999 (`%f`);
//!    numbers are rendered through the printf engine, as SQLite does.
//! 3. An unknown strftime conversion gives NULL.

use super::parse::{modifier, raw_number, time_value};
use super::{Moment, DAY_MS, UNIX_EPOCH_JD_MS};
use crate::error::Result;
use crate::func::context::FuncCtx;
use crate::func::printf::format_sql;
use crate::func::registry::{FuncDef, FuncFlags};
use crate::value::convert::to_text;
use crate::value::Value;

/// The instant the arguments describe, or None for NULL.
fn moment(ctx: &mut FuncCtx<'_>, args: &[Value]) -> Result<Option<Moment>> {
    let mut p = match args.first() {
        None => Moment { jd: ctx.conn.current_time_ms(), valid_jd: true, ..Moment::default() },
        Some(Value::Null) => return Ok(None),
        Some(Value::Integer(i)) => raw_number(*i as f64),
        Some(Value::Real(r)) => raw_number(*r),
        Some(v) => {
            let text = to_text(v);
            let mut now = || ctx.conn.current_time_ms();
            match time_value(&text, &mut now) {
                Some(p) => p,
                None => return Ok(None),
            }
        }
    };
    for (k, m) in args.iter().enumerate().skip(1) {
        let mut offset_of = |t: i64| ctx.conn.local_offset_seconds(t);
        if m.is_null() || !modifier(&mut p, &to_text(m), k == 1, &mut offset_of)? {
            return Ok(None);
        }
    }
    Ok(if p.is_valid() { Some(p) } else { None })
}

fn year(y: i64) -> String {
    if y < 0 {
        format!("-{:04}", -y)
    } else {
        format!("{y:04}")
    }
}

fn real_text(fmt: &str, r: f64) -> String {
    let bytes = format_sql(fmt.as_bytes(), &[Value::Real(r)], usize::MAX).unwrap_or_default();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn date_text(p: &Moment) -> String {
    format!("{}-{:02}-{:02}", year(p.y), p.mo, p.d)
}

fn time_text(p: &Moment) -> String {
    format!("{:02}:{:02}:{:02}", p.h, p.mi, p.s as i64)
}

fn unix_seconds(p: &Moment) -> i64 {
    p.jd / 1000 - UNIX_EPOCH_JD_MS / 1000
}

pub fn date(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(moment(ctx, a)?.map_or(Value::Null, |mut p| {
        p.compute_ymd();
        Value::Text(date_text(&p).into_bytes())
    }))
}

pub fn time(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(moment(ctx, a)?.map_or(Value::Null, |mut p| {
        p.compute_hms();
        Value::Text(time_text(&p).into_bytes())
    }))
}

pub fn datetime(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(moment(ctx, a)?.map_or(Value::Null, |mut p| {
        p.compute_all();
        Value::Text(format!("{} {}", date_text(&p), time_text(&p)).into_bytes())
    }))
}

pub fn julianday(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(moment(ctx, a)?.map_or(Value::Null, |p| Value::Real(p.jd as f64 / DAY_MS as f64)))
}

pub fn unixepoch(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    Ok(moment(ctx, a)?.map_or(Value::Null, |p| Value::Integer(unix_seconds(&p))))
}

pub fn strftime(ctx: &mut FuncCtx<'_>, a: &[Value]) -> Result<Value> {
    let Some(fmt) = a.first().filter(|v| !v.is_null()) else { return Ok(Value::Null) };
    let fmt = to_text(fmt);
    let Some(mut p) = moment(ctx, &a[1..])? else { return Ok(Value::Null) };
    p.compute_all();
    let mut out = String::new();
    let mut i = 0;
    while i < fmt.len() {
        if fmt[i] != b'%' {
            let start = i;
            while i < fmt.len() && fmt[i] != b'%' {
                i += 1;
            }
            out.push_str(&String::from_utf8_lossy(&fmt[start..i]));
            continue;
        }
        i += 1;
        let Some(&c) = fmt.get(i) else { return Ok(Value::Null) };
        i += 1;
        match c {
            b'd' => out.push_str(&format!("{:02}", p.d)),
            b'f' => out.push_str(&real_text("%06.3f", p.s.min(59.999))),
            b'H' => out.push_str(&format!("{:02}", p.h)),
            b'W' | b'j' => {
                // January 1st of the same year at the same time of day.
                let mut jan1 = Moment { mo: 1, d: 1, valid_jd: false, valid_tz: false, ..p.clone() };
                jan1.compute_jd();
                let n_day = (p.jd - jan1.jd + DAY_MS / 2) / DAY_MS;
                if c == b'W' {
                    let wd = ((p.jd + DAY_MS / 2) / DAY_MS) % 7;
                    out.push_str(&format!("{:02}", (n_day + 7 - wd) / 7));
                } else {
                    out.push_str(&format!("{:03}", n_day + 1));
                }
            }
            b'J' => out.push_str(&real_text("%.16g", p.jd as f64 / DAY_MS as f64)),
            b'm' => out.push_str(&format!("{:02}", p.mo)),
            b'M' => out.push_str(&format!("{:02}", p.mi)),
            b's' => out.push_str(&unix_seconds(&p).to_string()),
            b'S' => out.push_str(&format!("{:02}", p.s as i64)),
            b'w' => out.push_str(&(((p.jd + 129_600_000) / DAY_MS) % 7).to_string()),
            b'Y' => out.push_str(&format!("{:04}", p.y)),
            b'%' => out.push('%'),
            _ => return Ok(Value::Null),
        }
    }
    Ok(Value::Text(out.into_bytes()))
}

fn current(ctx: &mut FuncCtx<'_>, f: fn(&mut FuncCtx<'_>, &[Value]) -> Result<Value>) -> Result<Value> {
    f(ctx, &[])
}

/// The date and time function definitions.
pub fn definitions() -> Vec<FuncDef> {
    const F: u32 = FuncFlags::DETERMINISTIC | FuncFlags::SLOCHNG;
    vec![
        FuncDef::scalar("date", -1, F, date),
        FuncDef::scalar("time", -1, F, time),
        FuncDef::scalar("datetime", -1, F, datetime),
        FuncDef::scalar("julianday", -1, F, julianday),
        FuncDef::scalar("unixepoch", -1, F, unixepoch),
        FuncDef::scalar("strftime", -1, F, strftime).with_min_args(1),
        FuncDef::scalar("current_date", 0, FuncFlags::SLOCHNG, |c, _| current(c, date)),
        FuncDef::scalar("current_time", 0, FuncFlags::SLOCHNG, |c, _| current(c, time)),
        FuncDef::scalar("current_timestamp", 0, FuncFlags::SLOCHNG, |c, _| current(c, datetime)),
    ]
}
