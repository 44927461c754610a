//! The decimal text of reals: the digit engine behind SQLite's `%f %e %g` (and so behind the
//! text form of every real, which SQLite renders with `%!.15g`).
//!
//! SQLite's observable rules, which this file reproduces from the exact value of the double:
//! - Rounding is half-up (away from zero on the magnitude) at the requested position.
//! - `%f` with a short precision first nudges the magnitude up by 3e-16 of itself, so that a
//!   double just below a decimal tie (1.005, 0.15) rounds the way its short text suggests.
//! - At most 16 significant digits are produced (26 with the `!` flag); positions after those
//!   print as `0`.
//! - `-0.0` prints without a sign (the sign comes from `x < 0`); infinities print `Inf`.
//!
//! Invariants:
//! 1. [`Decimal`] holds `digits[0].digits[1..] × 10^exp` with `digits[0] != 0` unless the
//!    value is zero; digits are values 0..=9, not ASCII.
//! 2. The exact expansion is taken to 40 significant digits (Rust's correctly rounded `{:e}`);
//!    every rounding position SQLite can use lies within the first 27, so this is exact for
//!    our purposes except for ties hidden beyond digit 40, which do not occur in doubles that
//!    matter (a double has at most 17 significant digits of information).
//! 3. Known difference: SQLite computes digits 17..26 (only reachable with `!` and a precision
//!    above 15, e.g. `quote()` of a real needing 20 digits) in x87 long double arithmetic,
//!    whose last two or three digits are noise; we print the exact digits there.

/// Rounding positions at or beyond this many significant digits truncate instead: SQLite's
/// half-unit rounder is smaller than half a unit of its long double there and is absorbed, so
/// `printf('%!.20e', 0.3)` ends in `…88897`, not `…88898`.
const ROUNDING_LIMIT: i64 = 20;

/// A decimal magnitude `d0.d1d2… × 10^exp`.
#[derive(Clone, Debug, PartialEq)]
pub struct Decimal {
    pub digits: Vec<u8>,
    pub exp: i32,
}

impl Decimal {
    /// The exact decimal expansion of `|x|` (finite) to 40 significant digits.
    pub fn of(x: f64) -> Decimal {
        if x == 0.0 {
            return Decimal { digits: vec![0], exp: 0 };
        }
        let text = format!("{:.39e}", x.abs());
        let (mantissa, exp) = text.split_once('e').expect("`{:e}` always writes an exponent");
        let digits = mantissa.bytes().filter(u8::is_ascii_digit).map(|b| b - b'0').collect();
        Decimal { digits, exp: exp.parse().expect("`{:e}` writes a decimal exponent") }
    }

    pub fn is_zero(&self) -> bool {
        self.digits.iter().all(|&d| d == 0)
    }

    /// The digit worth `10^position` (0 outside the held digits).
    pub fn digit_at(&self, position: i32) -> u8 {
        let index = i64::from(self.exp) - i64::from(position);
        if index < 0 || index >= self.digits.len() as i64 {
            0
        } else {
            self.digits[index as usize]
        }
    }

    /// Adds `self × 3 × 10^-16` (the `%f` nudge), exactly.
    pub fn nudge(&mut self) {
        if self.is_zero() {
            return;
        }
        let n = self.digits.len();
        // Work on an integer of n+16 digits: self shifted left by 16, plus self*3.
        let mut sum: Vec<u32> = self.digits.iter().map(|&d| u32::from(d)).collect();
        sum.extend(std::iter::repeat(0).take(16));
        let mut carry = 0u32;
        for i in (0..n).rev() {
            let pos = i + 16;
            let v = sum[pos] + 3 * u32::from(self.digits[i]) + carry;
            sum[pos] = v % 10;
            carry = v / 10;
        }
        let mut i = 16;
        while carry > 0 && i > 0 {
            i -= 1;
            let v = sum[i] + carry;
            sum[i] = v % 10;
            carry = v / 10;
        }
        let mut digits: Vec<u8> = sum.into_iter().map(|d| d as u8).collect();
        if carry > 0 {
            digits.insert(0, carry as u8);
            self.exp += 1;
        }
        self.digits = digits;
    }

    /// Rounds half-up keeping `keep` significant digits (counted from `digits[0]`); `keep <= 0`
    /// rounds at a position above the leading digit.
    pub fn round_keep(&mut self, keep: i64) {
        if self.is_zero() || keep >= self.digits.len() as i64 {
            return;
        }
        if keep >= ROUNDING_LIMIT {
            self.digits.truncate(keep as usize);
            return;
        }
        if keep < 0 {
            *self = Decimal { digits: vec![0], exp: self.exp };
            return;
        }
        let keep = keep as usize;
        let round_up = self.digits[keep] >= 5;
        self.digits.truncate(keep);
        if round_up {
            let mut i = keep;
            loop {
                if i == 0 {
                    self.digits.insert(0, 1);
                    self.exp += 1;
                    break;
                }
                i -= 1;
                if self.digits[i] == 9 {
                    self.digits[i] = 0;
                } else {
                    self.digits[i] += 1;
                    break;
                }
            }
        }
        if self.digits.is_empty() {
            self.digits.push(0);
        }
    }

    /// Keeps at most `n` significant digits, by truncation (later positions read as 0).
    pub fn truncate(&mut self, n: usize) {
        if self.digits.len() > n {
            self.digits.truncate(n);
        }
    }
}

/// Which floating-point conversion.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FloatConv {
    /// `%f`
    Fixed,
    /// `%e` / `%E`
    Exp,
    /// `%g` / `%G`
    General,
}

/// How to render one real (everything of a printf directive except width and padding).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FloatSpec {
    pub conv: FloatConv,
    pub upper: bool,
    /// Digits after the point (`%f %e`) or significant digits (`%g`); 6 when absent.
    pub precision: Option<usize>,
    /// `#`: always a point; `%g` keeps trailing zeros.
    pub alt: bool,
    /// `!`: 26 significant digits instead of 16, trailing zeros dropped (also for `%f %e`), but
    /// at least one digit after the point.
    pub alt2: bool,
    pub plus: bool,
    pub space: bool,
}

impl FloatSpec {
    pub fn new(conv: FloatConv) -> FloatSpec {
        FloatSpec { conv, upper: false, precision: None, alt: false, alt2: false, plus: false, space: false }
    }
}

/// The rendering of a real, split so that zero padding can go between sign and digits.
pub struct FloatText {
    /// `-`, `+`, ` ` or nothing.
    pub sign: &'static str,
    pub body: String,
    /// Infinity (never zero padded).
    pub infinite: bool,
}

/// Renders `x` as a printf float directive would (without width).
pub fn format_float(x: f64, spec: &FloatSpec) -> FloatText {
    let sign = if x < 0.0 {
        "-"
    } else if spec.plus {
        "+"
    } else if spec.space {
        " "
    } else {
        ""
    };
    if x.is_nan() {
        return FloatText { sign: "", body: "NaN".to_string(), infinite: true };
    }
    if x.is_infinite() {
        return FloatText { sign, body: "Inf".to_string(), infinite: true };
    }
    let precision = spec.precision.unwrap_or(6) as i64;
    let max_digits = if spec.alt2 { 26 } else { 16 };
    let mut d = Decimal::of(x);
    let body = match spec.conv {
        FloatConv::Fixed => {
            if precision + i64::from(binary_exponent(x) / 3) < 15 {
                d.nudge();
            }
            let keep = i64::from(d.exp) + 1 + precision;
            d.round_keep(keep);
            d.truncate(max_digits);
            let mut text = layout_fixed(&d, precision, spec.alt || spec.alt2);
            if spec.alt2 {
                trim_trailing_zeros(&mut text, true);
            }
            text
        }
        FloatConv::Exp => {
            d.round_keep(precision + 1);
            d.truncate(max_digits);
            let mut text = layout_exp(&d, precision, spec.alt || spec.alt2, spec.upper);
            if spec.alt2 {
                trim_trailing_zeros(&mut text, true);
            }
            text
        }
        FloatConv::General => {
            let p = precision.max(1);
            d.round_keep(p);
            d.truncate(max_digits);
            let exp = if d.is_zero() { 0 } else { i64::from(d.exp) };
            let mut text = if exp < -4 || exp >= p {
                layout_exp(&d, p - 1, spec.alt || spec.alt2, spec.upper)
            } else {
                layout_fixed(&d, p - 1 - exp, spec.alt || spec.alt2)
            };
            if !spec.alt {
                trim_trailing_zeros(&mut text, spec.alt2);
            }
            text
        }
    };
    FloatText { sign, body, infinite: false }
}

/// The unbiased binary exponent field of a double (-1023 for zero and subnormals).
fn binary_exponent(x: f64) -> i32 {
    ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023
}

fn layout_fixed(d: &Decimal, precision: i64, force_point: bool) -> String {
    let mut s = String::new();
    let zero = d.is_zero();
    if zero || d.exp < 0 {
        s.push('0');
    } else {
        for p in (0..=d.exp).rev() {
            s.push((b'0' + d.digit_at(p)) as char);
        }
    }
    if precision > 0 || force_point {
        s.push('.');
    }
    for p in 1..=precision {
        let digit = if zero { 0 } else { d.digit_at(-(p as i32)) };
        s.push((b'0' + digit) as char);
    }
    s
}

fn layout_exp(d: &Decimal, precision: i64, force_point: bool, upper: bool) -> String {
    let mut s = String::new();
    let zero = d.is_zero();
    let exp = if zero { 0 } else { d.exp };
    s.push((b'0' + d.digit_at(d.exp)) as char);
    if precision > 0 || force_point {
        s.push('.');
    }
    for p in 1..=precision {
        let digit = if zero { 0 } else { d.digit_at(d.exp - p as i32) };
        s.push((b'0' + digit) as char);
    }
    s.push(if upper { 'E' } else { 'e' });
    s.push(if exp < 0 { '-' } else { '+' });
    let e = exp.unsigned_abs();
    if e >= 100 {
        s.push_str(&format!("{e}"));
    } else {
        s.push_str(&format!("{e:02}"));
    }
    s
}

/// `%g` without `#`: drop trailing zeros after the point (and the point itself, unless `!`
/// keeps one `0` after it), in the mantissa of an exponent form too.
fn trim_trailing_zeros(text: &mut String, keep_one: bool) {
    let (mantissa, tail) = match text.find(['e', 'E']) {
        Some(i) => (text[..i].to_string(), text[i..].to_string()),
        None => (text.clone(), String::new()),
    };
    if !mantissa.contains('.') {
        return;
    }
    let mut m = mantissa.trim_end_matches('0').to_string();
    if m.ends_with('.') {
        if keep_one {
            m.push('0');
        } else {
            m.pop();
        }
    }
    *text = m + &tail;
}

/// The text SQLite gives a real value (`%!.15g`): `1.0`, `0.1`, `1.0e+20`, `1.0e-05`, `Inf`.
pub fn real_to_text(r: f64) -> String {
    let mut spec = FloatSpec::new(FloatConv::General);
    spec.precision = Some(15);
    spec.alt2 = true;
    let t = format_float(r, &spec);
    format!("{}{}", t.sign, t.body)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reals_render_as_sqlite_does() {
        // Facts from SQLite 3.40.1 (`select x` in the shell).
        assert_eq!(real_to_text(1.0), "1.0");
        assert_eq!(real_to_text(1e20), "1.0e+20");
        assert_eq!(real_to_text(0.1), "0.1");
        assert_eq!(real_to_text(1e-5), "1.0e-05");
        assert_eq!(real_to_text(f64::INFINITY), "Inf");
        assert_eq!(real_to_text(f64::NEG_INFINITY), "-Inf");
        assert_eq!(real_to_text(-0.0), "0.0");
        assert_eq!(real_to_text(0.1 + 0.2), "0.3");
        assert_eq!(real_to_text(9.223372036854775807e18), "9.22337203685478e+18");
        assert_eq!(real_to_text(123456.5), "123456.5");
        assert_eq!(real_to_text(1e15), "1.0e+15");
        assert_eq!(real_to_text(1e100), "1.0e+100");
    }
}
