//! Reading time values (`YYYY-MM-DD HH:MM:SS.SSS±HH:MM`, `HH:MM`, `now`, a Julian day number)
//! and applying modifiers (`+N days`, `start of month`, `weekday N`, `unixepoch`, …).
//!
//! Invariants:
//! 1. Every field has a fixed digit count and range: year 4 digits (an optional leading `-`),
//!    month 01-12, day 01-31, hour 00-24, minute and second 00-59, zone hours 00-14.
//! 2. Anything left over after a time value (but spaces) makes it invalid (NULL).
//! 3. Modifiers are ASCII case-insensitive; an invalid one makes the result NULL.

use super::{Moment, DAY_MS, MAX_JD_MS, UNIX_EPOCH_JD_MS};
use crate::error::Result;
use crate::value::numeric::{is_space, scan};

/// Reads exactly `n` digits at `*i` as a number within `lo..=hi`.
fn digits(s: &[u8], i: &mut usize, n: usize, lo: i64, hi: i64) -> Option<i64> {
    let end = *i + n;
    if end > s.len() || !s[*i..end].iter().all(u8::is_ascii_digit) {
        return None;
    }
    let v = s[*i..end].iter().fold(0i64, |a, &b| a * 10 + i64::from(b - b'0'));
    if v < lo || v > hi {
        return None;
    }
    *i = end;
    Some(v)
}

fn expect(s: &[u8], i: &mut usize, c: u8) -> Option<()> {
    if s.get(*i) == Some(&c) {
        *i += 1;
        Some(())
    } else {
        None
    }
}

fn skip_spaces(s: &[u8], i: &mut usize) {
    while *i < s.len() && is_space(s[*i]) {
        *i += 1;
    }
}

/// `HH:MM[:SS[.FFF…]]` at `*i`: (hours, minutes, seconds).
fn clock(s: &[u8], i: &mut usize) -> Option<(i64, i64, f64)> {
    let h = digits(s, i, 2, 0, 24)?;
    expect(s, i, b':')?;
    let m = digits(s, i, 2, 0, 59)?;
    let mut sec = 0.0;
    if s.get(*i) == Some(&b':') {
        *i += 1;
        sec = digits(s, i, 2, 0, 59)? as f64;
        if s.get(*i) == Some(&b'.') && s.get(*i + 1).is_some_and(u8::is_ascii_digit) {
            *i += 1;
            let mut scale = 1.0;
            let mut frac = 0.0;
            while *i < s.len() && s[*i].is_ascii_digit() {
                frac = frac * 10.0 + f64::from(s[*i] - b'0');
                scale *= 10.0;
                *i += 1;
            }
            sec += frac / scale;
        }
    }
    Some((h, m, sec))
}

/// A clock time with an optional zone, to the end of the text.
fn clock_and_zone(s: &[u8], i: &mut usize, p: &mut Moment) -> Option<()> {
    let (h, m, sec) = clock(s, i)?;
    p.h = h;
    p.mi = m;
    p.s = sec;
    p.valid_hms = true;
    p.valid_jd = false;
    p.raw = None;
    skip_spaces(s, i);
    match s.get(*i) {
        Some(b'Z' | b'z') => {
            *i += 1;
            p.tz = 0;
            p.tz_set = true;
        }
        Some(&c @ (b'+' | b'-')) => {
            *i += 1;
            let zh = digits(s, i, 2, 0, 14)?;
            expect(s, i, b':')?;
            let zm = digits(s, i, 2, 0, 59)?;
            let tz = zh * 60 + zm;
            p.tz = if c == b'-' { -tz } else { tz };
            p.valid_tz = p.tz != 0;
            p.tz_set = true;
        }
        _ => {}
    }
    skip_spaces(s, i);
    (*i == s.len()).then_some(())
}

/// A bare number: a Julian day number when in range, else left for `unixepoch`/`auto`.
pub fn raw_number(r: f64) -> Moment {
    let mut p = Moment { raw: Some(r), ..Moment::default() };
    if (0.0..5_373_484.5).contains(&r) {
        p.jd = (r * DAY_MS as f64 + 0.5) as i64;
        p.valid_jd = true;
    }
    p
}

/// Reads a time value; None when it is not one. `now_jd` supplies the current time.
pub fn time_value(s: &[u8], now_jd: &mut dyn FnMut() -> i64) -> Option<Moment> {
    let mut p = Moment::default();
    let mut i = 0;
    // YYYY-MM-DD [T| ] [time]
    let negative = s.first() == Some(&b'-');
    if negative {
        i = 1;
    }
    if let Some(y) = digits(s, &mut i, 4, 0, 9999) {
        if expect(s, &mut i, b'-').is_some() {
            if let (Some(mo), Some(())) = (digits(s, &mut i, 2, 1, 12), expect(s, &mut i, b'-')) {
                if let Some(d) = digits(s, &mut i, 2, 1, 31) {
                    while i < s.len() && (is_space(s[i]) || s[i] == b'T') {
                        i += 1;
                    }
                    p.y = if negative { -y } else { y };
                    p.mo = mo;
                    p.d = d;
                    p.valid_ymd = true;
                    if i == s.len() {
                        return Some(p);
                    }
                    clock_and_zone(s, &mut i, &mut p)?;
                    if p.valid_tz {
                        p.compute_jd();
                    }
                    return Some(p);
                }
            }
            return None;
        }
    }
    let mut i = 0;
    let mut q = Moment::default();
    if clock_and_zone(s, &mut i, &mut q).is_some() {
        if q.valid_tz {
            q.compute_jd();
        }
        return Some(q);
    }
    if s.eq_ignore_ascii_case(b"now") {
        return Some(Moment { jd: now_jd(), valid_jd: true, ..Moment::default() });
    }
    let sc = scan(s);
    if sc.has_digits && sc.whole {
        return Some(raw_number(sc.real));
    }
    None
}

/// The relative-time units: name, largest magnitude accepted, milliseconds per unit (months
/// and years count 30 and 365 days for their fractional part).
const UNITS: [(&str, f64, f64); 6] = [
    ("second", 4.6427e14, 1000.0),
    ("minute", 7.7379e12, 60_000.0),
    ("hour", 1.2897e11, 3_600_000.0),
    ("day", 5_373_485.0, 86_400_000.0),
    ("month", 176_546.0, 2_592_000_000.0),
    ("year", 14_713.0, 31_536_000_000.0),
];

/// Applies one modifier; Ok(false) when it is not valid here (the result is NULL). `first`:
/// it is the first modifier (`auto` and `julianday` are valid only there). `offset_of` gives
/// the local time's offset from UTC (seconds) at a Unix time.
pub fn modifier(p: &mut Moment, text: &[u8], first: bool, offset_of: &mut dyn FnMut(i64) -> Option<i64>) -> Result<bool> {
    let lower = text.to_ascii_lowercase();
    let z = lower.as_slice();
    match z {
        b"localtime" => {
            p.to_localtime(offset_of)?;
            return Ok(true);
        }
        b"utc" => {
            p.to_utc(offset_of)?;
            return Ok(true);
        }
        b"unixepoch" | b"auto" | b"julianday" => {
            if z != b"unixepoch" && !first {
                return Ok(false);
            }
            let Some(r) = p.raw else {
                // `auto` leaves a value that is not a bare number as it is.
                return Ok(z == b"auto");
            };
            let in_jd_range = (0.0..5_373_484.5).contains(&r);
            if z == b"julianday" || (z == b"auto" && in_jd_range) {
                if !in_jd_range {
                    return Ok(false);
                }
                p.raw = None;
                return Ok(true);
            }
            let ms = r * 1000.0 + UNIX_EPOCH_JD_MS as f64;
            if !(0.0..(MAX_JD_MS + 1) as f64).contains(&ms) {
                return Ok(false);
            }
            p.clear_fields();
            p.jd = (ms + 0.5) as i64;
            p.valid_jd = true;
            p.raw = None;
            return Ok(true);
        }
        _ => {}
    }
    if let Some(rest) = z.strip_prefix(b"weekday ") {
        let s = scan(rest);
        if !(s.has_digits && s.whole) || s.real.fract() != 0.0 || !(0.0..7.0).contains(&s.real) {
            return Ok(false);
        }
        let n = s.real as i64;
        p.compute_all();
        p.valid_tz = false;
        p.valid_jd = false;
        p.compute_jd();
        let mut wd = ((p.jd + 129_600_000) / DAY_MS) % 7;
        if wd > n {
            wd -= 7;
        }
        p.jd += (n - wd) * DAY_MS;
        p.clear_fields();
        return Ok(true);
    }
    if let Some(what) = z.strip_prefix(b"start of ") {
        p.compute_ymd();
        match what {
            b"month" => p.d = 1,
            b"year" => {
                p.mo = 1;
                p.d = 1;
            }
            b"day" => {}
            _ => return Ok(false),
        }
        p.valid_hms = true;
        p.h = 0;
        p.mi = 0;
        p.s = 0.0;
        p.raw = None;
        p.valid_tz = false;
        p.valid_jd = false;
        return Ok(true);
    }
    if !matches!(z.first(), Some(b'+' | b'-' | b'0'..=b'9')) {
        return Ok(false);
    }
    let n = 1 + z[1..].iter().position(|&c| c == b':' || is_space(c)).unwrap_or(z.len() - 1);
    let number = scan(&z[..n]);
    if !(number.has_digits && number.whole) {
        return Ok(false);
    }
    let mut r = number.real;
    if z.get(n) == Some(&b':') {
        // (+|-)HH:MM[:SS.FFF]: move by a clock duration (modulo a day).
        let start = usize::from(!z[0].is_ascii_digit());
        let mut i = start;
        let mut t = Moment::default();
        if clock_and_zone(z, &mut i, &mut t).is_none() {
            return Ok(false);
        }
        t.compute_jd();
        let mut offset = (t.jd - UNIX_EPOCH_JD_MS - super::days_from_civil(2000, 1, 1) * DAY_MS).rem_euclid(DAY_MS);
        if z[0] == b'-' {
            offset = -offset;
        }
        p.compute_jd();
        p.clear_fields();
        p.jd += offset;
        return Ok(true);
    }
    let mut i = n;
    skip_spaces(z, &mut i);
    let mut unit = &z[i..];
    if unit.len() > 10 || unit.len() < 3 {
        return Ok(false);
    }
    if unit.ends_with(b"s") {
        unit = &unit[..unit.len() - 1];
    }
    p.compute_jd();
    let Some(&(name, limit, ms)) = UNITS.iter().find(|(name, _, _)| name.as_bytes() == unit) else {
        return Ok(false);
    };
    if !(r > -limit && r < limit) {
        return Ok(false);
    }
    if name == "month" || name == "year" {
        let whole = r.trunc() as i64;
        p.compute_all();
        if name == "month" {
            p.mo += whole;
            let carry = if p.mo > 0 { (p.mo - 1) / 12 } else { (p.mo - 12) / 12 };
            p.y += carry;
            p.mo -= carry * 12;
        } else {
            p.y += whole;
        }
        p.valid_jd = false;
        r -= whole as f64;
        p.compute_jd();
    }
    let rounder = if r < 0.0 { -0.5 } else { 0.5 };
    p.jd += (r * ms + rounder) as i64;
    p.clear_fields();
    Ok(true)
}
