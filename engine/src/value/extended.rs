//! A software model of the x87 80-bit extended ("long double") format, enough of it for the
//! real-to-decimal conversion SQLite 3.40's printf performs in long double arithmetic on
//! x86-64 Linux (Debian's build). Its last printed digits (beyond the 16th, or after a long
//! chain of scalings) are the rounding noise of that format, and copying SQLite's answers
//! means computing in the same precision.
//!
//! Format: a 64-bit significand with an explicit leading bit and a wide exponent; every
//! operation rounds its exact result to 64 significant bits, to nearest, ties to even (the
//! x87 default control word). Only non-negative finite values occur here.
//!
//! Invariants:
//! 1. A non-zero [`Ext`] has bit 63 of `m` set; zero is `m == 0`.
//! 2. The value is `m × 2^e` exactly.
//! 3. Each operation rounds once, from the exact result (division and alignment keep a sticky
//!    bit for what they shift out).

use std::cmp::Ordering;

/// A non-negative long double.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ext {
    m: u64,
    e: i32,
}

impl Ext {
    pub const ZERO: Ext = Ext { m: 0, e: 0 };

    /// The exact long double of a non-negative finite double.
    pub fn from_f64(x: f64) -> Ext {
        let bits = x.abs().to_bits();
        let field = ((bits >> 52) & 0x7ff) as i32;
        let frac = bits & ((1u64 << 52) - 1);
        if field == 0 {
            return Ext::from_parts(frac, -1074);
        }
        Ext::from_parts(frac | (1u64 << 52), field - 1075)
    }

    pub fn from_u64(n: u64) -> Ext {
        Ext::from_parts(n, 0)
    }

    fn from_parts(m: u64, e: i32) -> Ext {
        if m == 0 {
            return Ext::ZERO;
        }
        let lz = m.leading_zeros() as i32;
        Ext { m: m << lz, e: e - lz }
    }

    pub fn is_zero(self) -> bool {
        self.m == 0
    }

    /// Rounds `v × 2^e` (plus a positive amount below v's last bit when `sticky`) to 64 bits.
    fn round(v: u128, e: i32, sticky: bool) -> Ext {
        if v == 0 {
            return Ext::ZERO;
        }
        let bits = 128 - v.leading_zeros() as i32;
        if bits <= 64 {
            // Callers keep at least two guard bits, so a sticky remainder never matters here.
            return Ext::from_parts(v as u64, e);
        }
        let shift = bits - 64;
        let keep = (v >> shift) as u64;
        let rem = v & ((1u128 << shift) - 1);
        let half = 1u128 << (shift - 1);
        let up = rem > half || (rem == half && (sticky || keep & 1 == 1));
        let (m, carry) = if up { keep.overflowing_add(1) } else { (keep, false) };
        if carry {
            Ext { m: 1 << 63, e: e + shift + 1 }
        } else {
            Ext { m, e: e + shift }
        }
    }

    pub fn times(self, o: Ext) -> Ext {
        if self.is_zero() || o.is_zero() {
            return Ext::ZERO;
        }
        Ext::round(u128::from(self.m) * u128::from(o.m), self.e + o.e, false)
    }

    pub fn over(self, o: Ext) -> Ext {
        if self.is_zero() {
            return Ext::ZERO;
        }
        let d = u128::from(o.m);
        let n = u128::from(self.m) << 64;
        let q1 = n / d;
        let r1 = n % d;
        let n2 = r1 << 64;
        let q2 = n2 / d;
        let r2 = n2 % d;
        // q1 has 64 or 65 bits; append 62 more quotient bits.
        let v = (q1 << 62) | (q2 >> 2);
        let sticky = q2 & 3 != 0 || r2 != 0;
        Ext::round(v, self.e - o.e - 64 - 62, sticky)
    }

    /// Aligns two values on the larger exponent with 62 guard bits: (hi, lo, exponent, sticky).
    fn align(a: Ext, b: Ext) -> (u128, u128, i32, bool) {
        let e = a.e.max(b.e) - 62;
        let place = |x: Ext| -> (u128, bool) {
            if x.is_zero() {
                return (0, false);
            }
            let shift = x.e - e;
            if shift >= 0 {
                (u128::from(x.m) << shift, false)
            } else if -shift >= 128 {
                (0, true)
            } else {
                let s = -shift as u32;
                let v = u128::from(x.m);
                (v >> s, v & ((1u128 << s) - 1) != 0)
            }
        };
        let (va, sa) = place(a);
        let (vb, sb) = place(b);
        (va, vb, e, sa || sb)
    }

    pub fn plus(self, o: Ext) -> Ext {
        let (a, b, e, sticky) = Ext::align(self, o);
        Ext::round(a + b, e, sticky)
    }

    /// `self - o` for `self >= o`.
    pub fn minus(self, o: Ext) -> Ext {
        let (a, b, e, sticky) = Ext::align(self, o);
        if sticky {
            // Only the subtrahend can lose bits (it is the smaller); the exact difference is
            // a little below a - b.
            Ext::round(a - b - 1, e, true)
        } else {
            Ext::round(a - b, e, false)
        }
    }

    /// The nearest double (ties to even), as storing a long double into a double does;
    /// beyond the double range it is infinity, below it zero or a subnormal.
    pub fn to_f64(self) -> f64 {
        if self.is_zero() {
            return 0.0;
        }
        // The value is in [2^top, 2^(top+1)).
        let top = self.e + 63;
        if top > 1023 {
            return f64::INFINITY;
        }
        let keep = if top >= -1022 { 53 } else { 53 - (-1022 - top) };
        if keep < 0 {
            return 0.0;
        }
        let drop = (64 - keep) as u32;
        let m = u128::from(self.m);
        let q = m >> drop;
        let r = m & ((1u128 << drop) - 1);
        let half = 1u128 << (drop - 1);
        let q = if r > half || (r == half && q & 1 == 1) { q + 1 } else { q };
        scale_by_two(q as f64, self.e + drop as i32)
    }

    /// The integer part (for values below 2^63).
    pub fn trunc(self) -> u64 {
        if self.is_zero() || self.e <= -64 {
            0
        } else if self.e >= 0 {
            self.m << self.e.min(63)
        } else {
            self.m >> (-self.e)
        }
    }
}

/// `x × 2^k`, exactly when the result is representable.
fn scale_by_two(mut x: f64, mut k: i32) -> f64 {
    let step_up = f64::from_bits(((1023 + 1000) as u64) << 52); // 2^1000
    let step_down = f64::from_bits(((1023 - 1000) as u64) << 52); // 2^-1000
    while k > 1000 {
        x *= step_up;
        k -= 1000;
    }
    while k < -1000 {
        x *= step_down;
        k += 1000;
    }
    x * f64::from_bits(((1023 + k) as u64) << 52)
}

impl PartialOrd for Ext {
    fn partial_cmp(&self, o: &Ext) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

impl Ord for Ext {
    fn cmp(&self, o: &Ext) -> Ordering {
        match (self.is_zero(), o.is_zero()) {
            (true, true) => Ordering::Equal,
            (true, false) => Ordering::Less,
            (false, true) => Ordering::Greater,
            _ => self.e.cmp(&o.e).then(self.m.cmp(&o.m)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arithmetic_is_exact_where_it_must_be() {
        let ten = Ext::from_f64(10.0);
        assert_eq!(Ext::from_f64(4.0).times(ten), Ext::from_f64(40.0));
        assert_eq!(Ext::from_f64(42.0).over(ten).times(ten).trunc(), 42);
        assert_eq!(Ext::from_f64(2.5).plus(Ext::from_f64(0.5)), Ext::from_f64(3.0));
        assert_eq!(Ext::from_f64(2.5).minus(Ext::from_u64(2)), Ext::from_f64(0.5));
        assert!(Ext::from_f64(1e-8) < Ext::from_f64(1.0));
        assert_eq!(Ext::from_f64(5e-324).times(Ext::from_f64(1.0)), Ext::from_f64(5e-324));
        for x in [1.0, 0.1, 5e-324, 2.2250738585072014e-308, 1.7976931348623157e308, 123456.789] {
            assert_eq!(Ext::from_f64(x).to_f64(), x);
        }
        // 1/3 rounded to 64 bits: 0xAAAA…AAAB × 2^-65.
        let third = Ext::from_u64(1).over(Ext::from_u64(3));
        assert_eq!(third, Ext { m: 0xAAAA_AAAA_AAAA_AAAB, e: -65 });
    }
}
