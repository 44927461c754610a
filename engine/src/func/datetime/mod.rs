//! Date and time functions (lang_datefunc): date, time, datetime, julianday, unixepoch,
//! strftime, over time values and modifiers.
//!
//! Model: a [`Moment`] holds up to three views of one instant, each with a validity flag:
//! the Julian day number in milliseconds (`jd`), the calendar fields (Y-M-D) and the clock
//! fields (h:m:s), plus a pending time-zone offset and, for a bare number, the number itself
//! (`raw`) until a modifier says how to read it. The calendar and clock fields are printed as
//! parsed when still valid — SQLite prints `date('2021-02-31')` as `2021-02-31` and
//! `time('24:00')` as `24:00:00` — and are rebuilt from `jd` after any modifier that moves the
//! instant.
//!
//! Invariants:
//! 1. `jd` counts milliseconds from noon of -4713-11-24 (proleptic Gregorian); a result is
//!    NULL unless 0 <= jd <= 464269060799999 (9999-12-31 23:59:59.999) at the end.
//! 2. Calendar arithmetic uses Meeus's Julian-day formulas as SQLite evaluates them
//!    ([`meeus_jd_ms`], [`meeus_ymd`]), linear in the day of month, so 2021-02-31 is
//!    2021-03-03.
//! 3. The `localtime` and `utc` modifiers take the local time's offset from the connection
//!    ([`crate::func::ConnectionState::local_offset_seconds`]); without one they are an error,
//!    never a silently wrong answer. Instants before 1970 or after 2038-01-18 are looked up in
//!    an equivalent year (2000 + Y % 4) and mapped back, as SQLite does.

mod funcs;
mod parse;

pub use funcs::definitions;

/// Milliseconds in a day.
pub const DAY_MS: i64 = 86_400_000;
/// `jd` of 1970-01-01 00:00:00 (Julian day 2440587.5).
pub const UNIX_EPOCH_JD_MS: i64 = 210_866_760_000_000;
/// The largest valid `jd`: 9999-12-31 23:59:59.999.
pub const MAX_JD_MS: i64 = 464_269_060_799_999;

/// One instant as the date functions see it (see the module comment).
#[derive(Clone, Debug, Default)]
pub struct Moment {
    pub jd: i64,
    pub y: i64,
    pub mo: i64,
    pub d: i64,
    pub h: i64,
    pub mi: i64,
    pub s: f64,
    /// Minutes east of UTC given with the time value, still to be applied.
    pub tz: i64,
    pub valid_jd: bool,
    pub valid_ymd: bool,
    pub valid_hms: bool,
    pub valid_tz: bool,
    /// A bare number was given and not yet interpreted by a modifier.
    pub raw: Option<f64>,
    /// The value is known to be UTC (an explicit zone was given, or `utc` was applied), so
    /// a further `utc` changes nothing.
    pub tz_set: bool,
    pub error: bool,
}

/// The Julian day number (in days, at midnight: x.5) of a calendar date by Meeus's
/// algorithm (Astronomical Algorithms, ch. 7) with C's truncating integer division and the
/// Gregorian rule at all dates, as SQLite computes it. For years below -99 this differs by a
/// day from the proleptic Gregorian calendar; SQLite's answers are what we keep.
pub fn meeus_jd_ms(y: i64, m: i64, d: i64) -> i64 {
    let (y, m) = if m <= 2 { (y - 1, m + 12) } else { (y, m) };
    let a = y / 100;
    let b = 2 - a + a / 4;
    let x1 = 36525 * (y + 4716) / 100;
    let x2 = 306_001 * (m + 1) / 10000;
    // (x1 + x2 + d + b - 1524.5) days, exactly, in milliseconds.
    ((x1 + x2 + d + b) * 2 - 3049) * (DAY_MS / 2)
}

/// The calendar date of a Julian day in milliseconds (Meeus's inverse, as SQLite computes it).
pub fn meeus_ymd(jd_ms: i64) -> (i64, i64, i64) {
    let z = (jd_ms + DAY_MS / 2) / DAY_MS;
    let alpha = ((z as f64 - 1_867_216.25) / 36_524.25) as i64;
    let a = z + 1 + alpha - alpha / 4;
    let b = a + 1524;
    let c = ((b as f64 - 122.1) / 365.25) as i64;
    let d = (36525 * (c & 32767)) / 100;
    let e = ((b - d) as f64 / 30.6001) as i64;
    let x1 = (30.6001 * e as f64) as i64;
    let day = b - d - x1;
    let month = if e < 14 { e - 1 } else { e - 13 };
    let year = if month > 2 { c - 4716 } else { c - 4715 };
    (year, month, day)
}

/// Days from 1970-01-01 to the given civil date (proleptic Gregorian; any month 1..=12, any
/// day, counted linearly).
pub fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The civil date of a day count from 1970-01-01.
pub fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let y = yoe + era * 400;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (if m <= 2 { y + 1 } else { y }, m, d)
}

impl Moment {
    /// Makes `jd` valid (from the fields, 2000-01-01 when there is no date).
    pub fn compute_jd(&mut self) {
        if self.valid_jd {
            return;
        }
        if self.raw.is_some() {
            // A number outside the Julian-day range that no modifier interpreted.
            self.error = true;
            return;
        }
        let (y, m, d) = if self.valid_ymd { (self.y, self.mo, self.d) } else { (2000, 1, 1) };
        // Years outside -4713..=9999 are an error even if later modifiers would come back.
        if !(-4713..=9999).contains(&y) {
            self.error = true;
            return;
        }
        let mut jd = meeus_jd_ms(y, m, d);
        if self.valid_hms {
            jd += self.h * 3_600_000 + self.mi * 60_000 + (self.s * 1000.0 + 0.5) as i64;
            if self.valid_tz {
                jd -= self.tz * 60_000;
                self.valid_ymd = false;
                self.valid_hms = false;
                self.valid_tz = false;
            }
        }
        self.jd = jd;
        self.valid_jd = true;
    }

    /// Makes the calendar fields valid.
    pub fn compute_ymd(&mut self) {
        if self.valid_ymd {
            return;
        }
        if !self.valid_jd && self.raw.is_some() {
            self.error = true;
            return;
        }
        if !self.valid_jd {
            self.y = 2000;
            self.mo = 1;
            self.d = 1;
        } else if !(0..=MAX_JD_MS).contains(&self.jd) {
            self.error = true;
            return;
        } else {
            let (y, m, d) = meeus_ymd(self.jd);
            self.y = y;
            self.mo = m;
            self.d = d;
        }
        self.valid_ymd = true;
    }

    /// Makes the clock fields valid.
    pub fn compute_hms(&mut self) {
        if self.valid_hms {
            return;
        }
        self.compute_jd();
        let day_ms = (self.jd + DAY_MS / 2).rem_euclid(DAY_MS);
        self.s = (day_ms % 60_000) as f64 / 1000.0;
        let minutes = day_ms / 60_000;
        self.mi = minutes % 60;
        self.h = minutes / 60;
        self.raw = None;
        self.valid_hms = true;
    }

    pub fn compute_all(&mut self) {
        self.compute_ymd();
        self.compute_hms();
    }

    /// Forgets the fields after `jd` moved.
    pub fn clear_fields(&mut self) {
        self.valid_ymd = false;
        self.valid_hms = false;
        self.valid_tz = false;
    }

    /// Replaces the instant by its local wall-clock reading (the `localtime` modifier's core).
    pub fn to_localtime(&mut self, offset_of: &mut dyn FnMut(i64) -> Option<i64>) -> crate::error::Result<()> {
        self.compute_jd();
        if self.error {
            return Ok(());
        }
        const Y1970: i64 = 210_866_760_000_000;
        const Y2038: i64 = 213_014_145_600_000;
        let (t, year_shift) = if self.jd < Y1970 || self.jd > Y2038 {
            let mut x = self.clone();
            x.compute_all();
            let shift = (2000 + x.y % 4) - x.y;
            x.y += shift;
            x.valid_jd = false;
            x.valid_tz = false;
            x.compute_jd();
            (x.jd / 1000 - UNIX_EPOCH_JD_MS / 1000, shift)
        } else {
            (self.jd / 1000 - UNIX_EPOCH_JD_MS / 1000, 0)
        };
        let offset = offset_of(t).ok_or_else(|| crate::error::Error::not_supported("the localtime and utc date modifiers without a time zone source"))?;
        let local = t + offset;
        let (y, m, d) = civil_from_days(local.div_euclid(86_400));
        let secs = local.rem_euclid(86_400);
        self.y = y - year_shift;
        self.mo = m;
        self.d = d;
        self.h = secs / 3600;
        self.mi = secs / 60 % 60;
        self.s = (secs % 60) as f64 + (self.jd % 1000) as f64 * 0.001;
        self.valid_ymd = true;
        self.valid_hms = true;
        self.valid_jd = false;
        self.valid_tz = false;
        self.raw = None;
        Ok(())
    }

    /// The `utc` modifier: reads the instant as local time and finds the UTC instant whose
    /// local reading it is, by up to four corrected guesses (a local time that does not exist,
    /// in a spring-forward gap, ends where the fourth guess lands, as in SQLite).
    pub fn to_utc(&mut self, offset_of: &mut dyn FnMut(i64) -> Option<i64>) -> crate::error::Result<()> {
        if self.tz_set {
            return Ok(());
        }
        self.compute_jd();
        if self.error {
            return Ok(());
        }
        let original = self.jd;
        let mut guess = original;
        let mut err = 0;
        for round in 0..4 {
            guess -= err;
            let mut n = Moment { jd: guess, valid_jd: true, ..Moment::default() };
            n.to_localtime(offset_of)?;
            n.compute_jd();
            if n.error {
                self.error = true;
                return Ok(());
            }
            err = n.jd - original;
            if err == 0 || round == 3 {
                break;
            }
        }
        *self = Moment { jd: guess, valid_jd: true, tz_set: true, ..Moment::default() };
        Ok(())
    }

    /// The final check: a usable instant in range.
    pub fn is_valid(&mut self) -> bool {
        self.compute_jd();
        !self.error && (0..=MAX_JD_MS).contains(&self.jd)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::func::{ConnectionState, FuncCtx, FuncRegistry};
    use crate::value::Value;

    struct Clock(i64);
    impl ConnectionState for Clock {
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
        fn current_time_ms(&mut self) -> i64 {
            self.0
        }
    }

    #[test]
    fn now_comes_from_the_connection_and_localtime_is_refused() {
        // 'now' is the connection's clock (2021-03-15 13:14:15.250 UTC here); localtime/utc
        // need time-zone rules that are not built, so they must fail rather than guess.
        let jd = (days_from_civil(2021, 3, 15) * DAY_MS + UNIX_EPOCH_JD_MS) + 13 * 3_600_000 + 14 * 60_000 + 15_250;
        let mut clock = Clock(jd);
        let mut ctx = FuncCtx::new(&mut clock);
        let reg = FuncRegistry::with_builtins();
        let call = |ctx: &mut FuncCtx<'_>, name: &str, args: &[Value]| reg.lookup(name, args.len()).unwrap().call(ctx, args);
        assert_eq!(call(&mut ctx, "datetime", &[]).unwrap(), Value::text("2021-03-15 13:14:15"));
        assert_eq!(call(&mut ctx, "datetime", &[Value::text("NOW")]).unwrap(), Value::text("2021-03-15 13:14:15"));
        assert_eq!(call(&mut ctx, "current_date", &[]).unwrap(), Value::text("2021-03-15"));
        assert_eq!(call(&mut ctx, "strftime", &[Value::text("%f")]).unwrap(), Value::text("15.250"));
        assert!(call(&mut ctx, "datetime", &[Value::text("now"), Value::text("localtime")]).is_err());
    }

    #[test]
    fn meeus_agrees_with_the_proleptic_calendar_from_year_zero() {
        for (y, m, d) in [(2000, 1, 1), (1970, 1, 1), (2021, 2, 28), (2024, 2, 29), (0, 3, 1), (9999, 12, 31), (1582, 10, 15)] {
            let jd = meeus_jd_ms(y, m, d);
            assert_eq!(jd, days_from_civil(y, m, d) * DAY_MS + UNIX_EPOCH_JD_MS, "{y}-{m}-{d}");
            assert_eq!(meeus_ymd(jd), (y, m, d));
        }
    }

    #[test]
    fn civil_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(days_from_civil(2000, 3, 1), 11_017);
        assert_eq!(civil_from_days(days_from_civil(2021, 2, 31)), (2021, 3, 3));
        for z in [-2_440_588i64, -719_468, -1, 0, 1, 10_000, 2_932_896] {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
        }
    }
}
