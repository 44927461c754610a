//! Reading numbers out of text, as SQLite reads them.
//!
//! A numeric text is: optional whitespace, an optional sign, digits with at most one `.` (at
//! least one digit in all), an optional exponent (`e`/`E`, optional sign, at least one digit),
//! optional whitespace. Hexadecimal (`0x10`) is not numeric text.
//!
//! Invariants:
//! 1. [`scan`] never fails: it reports how much of the text is a number and what kind.
//! 2. "Whole" means the number covers the text up to trailing whitespace; conversions that
//!    accept a prefix (`CAST`, `sqlite3_value_int64`, arithmetic) ignore what follows it.
//! 3. An exponent without digits (`5e`) is not part of the number: `5e` is the number `5`
//!    followed by junk.
//! 4. Whitespace is SQLite's: space, `\t`, `\n`, `\x0b`, `\x0c`, `\r`.
//! 5. The double read from a numeric text is the one SQLite 3.40's reader produces, which is
//!    not always the correctly rounded one (`'375638367488848913536765'` reads one unit in the
//!    last place low); see `digits_to_real`. The SQL tokenizer should read float literals here
//!    too, so that literals and text agree with SQLite.

/// SQLite's `isspace` (the C locale's six characters).
pub fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | 0x0b | 0x0c | b'\r')
}

/// What [`scan`] found at the start of a text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Scan {
    /// At least one mantissa digit was seen.
    pub has_digits: bool,
    /// No `.` and no exponent: the number is written as an integer.
    pub integer_syntax: bool,
    /// The number is followed only by whitespace.
    pub whole: bool,
    /// The value as a double (±0.0 when there are no digits).
    pub real: f64,
    /// The value as an integer when `integer_syntax` and it fits in an i64.
    pub integer: Option<i64>,
}

/// Scans the number at the start of `s` (after leading whitespace).
pub fn scan(s: &[u8]) -> Scan {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let int_start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    let int_digits = &s[int_start..i];
    let mut frac_digits: &[u8] = &[];
    let mut integer_syntax = true;
    if i < s.len() && s[i] == b'.' {
        let f = i + 1;
        let mut j = f;
        while j < s.len() && s[j].is_ascii_digit() {
            j += 1;
        }
        frac_digits = &s[f..j];
        if !int_digits.is_empty() || !frac_digits.is_empty() {
            integer_syntax = false;
            i = j;
        }
    }
    let has_digits = !int_digits.is_empty() || !frac_digits.is_empty();
    if !has_digits {
        // The sign still applies: CAST('-' AS REAL) is -0.0.
        let real = if negative { -0.0 } else { 0.0 };
        return Scan { has_digits: false, integer_syntax: false, whole: false, real, integer: None };
    }
    let mut exponent: i64 = 0;
    if i < s.len() && (s[i] == b'e' || s[i] == b'E') {
        let mut j = i + 1;
        let mut exp_negative = false;
        if j < s.len() && (s[j] == b'+' || s[j] == b'-') {
            exp_negative = s[j] == b'-';
            j += 1;
        }
        let e_start = j;
        while j < s.len() && s[j].is_ascii_digit() {
            exponent = if exponent < 10_000 { exponent * 10 + i64::from(s[j] - b'0') } else { 10_000 };
            j += 1;
        }
        if j > e_start {
            integer_syntax = false;
            if exp_negative {
                exponent = -exponent;
            }
            i = j;
        } else {
            exponent = 0;
        }
    }
    let mut k = i;
    while k < s.len() && is_space(s[k]) {
        k += 1;
    }
    let whole = k == s.len();
    let real = digits_to_real(negative, int_digits, frac_digits, exponent);
    let integer = if integer_syntax { digits_to_i64(negative, int_digits) } else { None };
    Scan { has_digits, integer_syntax, whole, real, integer }
}

/// The double SQLite 3.40 reads from the digits of a number. Its reader is not correctly
/// rounded, and we copy its answers: up to 19 significant digits are kept in a u64
/// significand (further integer digits only raise the exponent, further fraction digits are
/// dropped), trailing powers of ten are folded into the significand where they fit, and the
/// rest is a product or quotient by a power of ten built in x87 long double arithmetic
/// (10^(e mod 22) times 10^22 per 22), rounded to a double; exponents above 307 finish with a
/// double multiplication or division by 1e308.
fn digits_to_real(negative: bool, int_digits: &[u8], frac_digits: &[u8], exponent: i64) -> f64 {
    const SIGNIFICANT: u64 = (i64::MAX as u64 - 9) / 10;
    let mut sig: u64 = 0;
    let mut shift: i64 = 0;
    let mut full = false;
    for &c in int_digits {
        if full {
            shift += 1;
            continue;
        }
        sig = sig * 10 + u64::from(c - b'0');
        full = sig >= SIGNIFICANT;
    }
    for &c in frac_digits {
        if sig < SIGNIFICANT {
            sig = sig * 10 + u64::from(c - b'0');
            shift -= 1;
        }
    }
    let magnitude = scale_by_power_of_ten(sig, exponent + shift);
    if negative {
        -magnitude
    } else {
        magnitude
    }
}

/// `sig × 10^e` as SQLite 3.40's reader evaluates it (see [`digits_to_real`]).
fn scale_by_power_of_ten(mut sig: u64, mut e: i64) -> f64 {
    use super::extended::Ext;
    if sig == 0 {
        return 0.0;
    }
    let up = e >= 0;
    e = e.abs();
    // Fold powers of ten into the significand while that is exact.
    while e > 0 {
        if up {
            if sig >= (i64::MAX as u64) / 10 {
                break;
            }
            sig *= 10;
        } else {
            if !sig.is_multiple_of(10) {
                break;
            }
            sig /= 10;
        }
        e -= 1;
    }
    if e == 0 {
        return sig as f64;
    }
    let s = Ext::from_u64(sig);
    let ten = Ext::from_f64(10.0);
    if e > 307 {
        if e >= 342 {
            return if up { f64::INFINITY } else { 0.0 };
        }
        let mut scale = Ext::from_f64(1.0);
        while e % 308 != 0 {
            scale = scale.times(ten);
            e -= 1;
        }
        return if up { s.times(scale).to_f64() * 1e308 } else { s.over(scale).to_f64() / 1e308 };
    }
    let mut scale = Ext::from_f64(1.0);
    while e % 22 != 0 {
        scale = scale.times(ten);
        e -= 1;
    }
    while e > 0 {
        scale = scale.times(Ext::from_f64(1e22));
        e -= 22;
    }
    if up {
        s.times(scale).to_f64()
    } else {
        s.over(scale).to_f64()
    }
}

/// The digits as an i64, or None if they overflow it.
fn digits_to_i64(negative: bool, digits: &[u8]) -> Option<i64> {
    let mut magnitude: u64 = 0;
    for &d in digits {
        magnitude = magnitude.checked_mul(10)?.checked_add(u64::from(d - b'0'))?;
    }
    if negative {
        if magnitude <= 1u64 << 63 {
            Some((magnitude as i64).wrapping_neg())
        } else {
            None
        }
    } else {
        i64::try_from(magnitude).ok()
    }
}

/// The integer prefix of a text, as `sqlite3_value_int64` and `CAST(x AS INTEGER)` read it:
/// whitespace, sign, digits; anything after the digits (including `.` or `e`) is ignored; a
/// value beyond the i64 range is clamped to it; no digits gives 0.
pub fn text_to_i64(s: &[u8]) -> i64 {
    let mut i = 0;
    while i < s.len() && is_space(s[i]) {
        i += 1;
    }
    let mut negative = false;
    if i < s.len() && (s[i] == b'+' || s[i] == b'-') {
        negative = s[i] == b'-';
        i += 1;
    }
    let start = i;
    while i < s.len() && s[i].is_ascii_digit() {
        i += 1;
    }
    match digits_to_i64(negative, &s[start..i]) {
        Some(v) => v,
        None if negative => i64::MIN,
        None => i64::MAX,
    }
}

/// The real prefix of a text, as `sqlite3_value_double` reads it (0.0 when none).
pub fn text_to_f64(s: &[u8]) -> f64 {
    scan(s).real
}

/// A real that equals an integer small enough to be exact in a double's mantissa with room to
/// spare (|i| < 2^51), or zero: the test SQLite uses before turning a parsed real into an
/// integer in `CAST(... AS NUMERIC)` and numeric affinity.
pub fn real_is_small_int(r: f64) -> Option<i64> {
    if r == 0.0 {
        return Some(0);
    }
    const LIMIT: f64 = 2_251_799_813_685_248.0; // 2^51
    if r.fract() == 0.0 && (-LIMIT..LIMIT).contains(&r) {
        Some(r as i64)
    } else {
        None
    }
}

/// A real that is an integer strictly inside the i64 range (i64::MIN and i64::MAX excluded,
/// as SQLite excludes them), as that integer.
pub fn real_to_exact_int(r: f64) -> Option<i64> {
    // 2^63 as f64; i64::MIN is -2^63 exactly.
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    if r.fract() == 0.0 && r > -TWO63 && r < TWO63 {
        let i = r as i64;
        if i != i64::MAX && i != i64::MIN {
            return Some(i);
        }
    }
    None
}

/// The integer equal to `r` when there is one, -2^63 included (`real_to_exact_int` leaves out
/// the ends of the range, as affinity conversions do); for keys that must make equal values
/// equal.
pub fn real_equal_int(r: f64) -> Option<i64> {
    const TWO63: f64 = 9_223_372_036_854_775_808.0;
    (r.fract() == 0.0 && (-TWO63..TWO63).contains(&r)).then_some(r as i64)
}

/// A real converted to an integer as C would after clamping: NaN is 0, beyond the range
/// saturates (SQLite's `doubleToInt64`).
pub fn real_to_i64_saturating(r: f64) -> i64 {
    if r.is_nan() {
        0
    } else {
        r as i64 // Rust's `as` truncates toward zero and saturates
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scan_kinds() {
        let s = scan(b"  12  ");
        assert!(s.whole && s.integer_syntax && s.integer == Some(12));
        let s = scan(b"1e3");
        assert!(s.whole && !s.integer_syntax && s.real == 1000.0);
        let s = scan(b"0x10");
        assert!(!s.whole && s.integer == Some(0));
        let s = scan(b"5e");
        assert!(!s.whole && s.integer_syntax && s.real == 5.0);
        assert!(!scan(b".").has_digits);
        assert!(!scan(b"").has_digits);
        assert!(scan(b"-9223372036854775808").integer == Some(i64::MIN));
        assert!(scan(b"9223372036854775808").integer.is_none());
        assert!(scan(b"1.").whole && scan(b".5").whole);
    }

    #[test]
    fn integer_prefix() {
        assert_eq!(text_to_i64(b"12abc"), 12);
        assert_eq!(text_to_i64(b"1e3"), 1);
        assert_eq!(text_to_i64(b"99999999999999999999"), i64::MAX);
        assert_eq!(text_to_i64(b"-99999999999999999999"), i64::MIN);
        assert_eq!(text_to_i64(b"  +7"), 7);
        assert_eq!(text_to_i64(b"- 5"), 0);
    }
}
