//! The decimal text of reals: the digit engine behind SQLite's `%f %e %g` (and so behind the
//! text form of every real, which SQLite renders with `%!.15g`).
//!
//! SQLite 3.40 produces the digits in long double arithmetic, and its last digits show that
//! arithmetic's rounding (`printf('%.18f', 42.0)` is `41.999999999999990000`), so this file
//! follows the same procedure in the emulated format of [`super::extended`]:
//! 1. Rounding: a rounder of 0.5 × 0.1^p (p = digits after the point, or significant digits
//!    minus one for `%g`), built by repeated multiplication by 0.1, is added to the magnitude;
//!    for `%f` it is added before scaling and, when the precision is short for the magnitude
//!    (p + binary exponent / 3 < 15), grown by 3e-16 of the value so that doubles just below a
//!    decimal tie (1.005, 0.15) round as their short text suggests; for `%e`/`%g` it is added
//!    after scaling (and a result reaching 10 is scaled back by 0.1).
//! 2. Scaling: the magnitude is divided by a power of ten built from factors 1e100, 1e10 and
//!    10 (or multiplied by 1e8 and 10 while below 1) so that 1 <= v < 10, counting the decimal
//!    exponent.
//! 3. Digits: each is the integer part of v, then v = (v - digit) × 10; after 16 significant
//!    digits (26 with `!`) every further digit is `0`.
//! 4. `-0.0` prints without a sign (the sign comes from `x < 0`); infinities print `Inf`.
//!
//! Invariants:
//! 1. Every arithmetic step is one rounding of the emulated long double, in SQLite's order.
//! 2. The rounder is built in at most 0xfff steps; digits past the significant-digit budget
//!    cost no arithmetic (callers bound the precision by their output limit).

use super::extended::Ext;

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
    let mut precision = spec.precision.unwrap_or(6) as i64;
    let mut conv = spec.conv;
    if conv == FloatConv::General && precision > 0 {
        precision -= 1;
    }
    let c = |v: f64| Ext::from_f64(v);
    let mut rounder = c(0.5);
    for _ in 0..(precision & 0xfff) {
        rounder = rounder.times(c(0.1));
    }
    let mut v = Ext::from_f64(x);
    if conv == FloatConv::Fixed {
        if precision + i64::from(binary_exponent(x) / 3) < 15 {
            rounder = rounder.plus(v.times(c(3e-16)));
        }
        v = v.plus(rounder);
    }
    let mut exp: i64 = 0;
    if !v.is_zero() {
        let mut scale = c(1.0);
        while v >= c(1e100).times(scale) && exp <= 350 {
            scale = scale.times(c(1e100));
            exp += 100;
        }
        while v >= c(1e10).times(scale) && exp <= 350 {
            scale = scale.times(c(1e10));
            exp += 10;
        }
        while v >= c(10.0).times(scale) && exp <= 350 {
            scale = scale.times(c(10.0));
            exp += 1;
        }
        v = v.over(scale);
        while v < c(1e-8) {
            v = v.times(c(1e8));
            exp -= 8;
        }
        while v < c(1.0) {
            v = v.times(c(10.0));
            exp -= 1;
        }
        if exp > 350 {
            return FloatText { sign, body: "Inf".to_string(), infinite: true };
        }
    }
    if conv != FloatConv::Fixed {
        v = v.plus(rounder);
        if v >= c(10.0) {
            v = v.times(c(0.1));
            exp += 1;
        }
    }
    let trim_zeros;
    if conv == FloatConv::General {
        trim_zeros = !spec.alt;
        if exp < -4 || exp > precision {
            conv = FloatConv::Exp;
        } else {
            precision -= exp;
            conv = FloatConv::Fixed;
        }
    } else {
        trim_zeros = spec.alt2;
    }
    let mut digits = Digits { v, left: if spec.alt2 { 26 } else { 16 } };
    let mut e2 = if conv == FloatConv::Exp { 0 } else { exp };
    let point = precision > 0 || spec.alt || spec.alt2;
    let mut body = String::new();
    if e2 < 0 {
        body.push('0');
    } else {
        while e2 >= 0 {
            body.push(digits.next());
            e2 -= 1;
        }
    }
    if point {
        body.push('.');
    }
    e2 += 1;
    while e2 < 0 && precision > 0 {
        body.push('0');
        precision -= 1;
        e2 += 1;
    }
    while precision > 0 {
        body.push(digits.next());
        precision -= 1;
    }
    if trim_zeros && point {
        while body.ends_with('0') {
            body.pop();
        }
        if body.ends_with('.') {
            if spec.alt2 {
                body.push('0');
            } else {
                body.pop();
            }
        }
    }
    if conv == FloatConv::Exp {
        body.push(if spec.upper { 'E' } else { 'e' });
        let shown = if v.is_zero() { 0 } else { exp };
        body.push(if shown < 0 { '-' } else { '+' });
        let a = shown.unsigned_abs();
        if a >= 100 {
            body.push_str(&a.to_string());
        } else {
            body.push_str(&format!("{a:02}"));
        }
    }
    FloatText { sign, body, infinite: false }
}

/// Produces the digits of a scaled value, `0` after the significant-digit budget.
struct Digits {
    v: Ext,
    left: u32,
}

impl Digits {
    fn next(&mut self) -> char {
        if self.left == 0 {
            return '0';
        }
        self.left -= 1;
        let d = self.v.trunc().min(9);
        self.v = self.v.minus(Ext::from_u64(d)).times(Ext::from_f64(10.0));
        (b'0' + d as u8) as char
    }
}

/// The unbiased binary exponent field of a double (-1023 for zero and subnormals).
fn binary_exponent(x: f64) -> i32 {
    ((x.to_bits() >> 52) & 0x7ff) as i32 - 1023
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
        assert_eq!(real_to_text(9.223_372_036_854_776e18), "9.22337203685478e+18");
        assert_eq!(real_to_text(123456.5), "123456.5");
        assert_eq!(real_to_text(1e15), "1.0e+15");
        assert_eq!(real_to_text(1e100), "1.0e+100");
    }
}
