//! Collating sequences: the built-in BINARY, NOCASE and RTRIM, and user collations registered
//! through the API (a boxed comparison function).
//!
//! Invariants:
//! 1. BINARY compares bytes (`memcmp`), the shorter string first on a common prefix.
//! 2. NOCASE folds only ASCII `A`-`Z` to lower case, then compares as BINARY.
//! 3. RTRIM ignores trailing spaces (0x20 only) of both strings, then compares as BINARY.
//! 4. Collation names are matched ASCII case-insensitively (`nocase` is NOCASE).

use std::cmp::Ordering;
use std::fmt;
use std::sync::Arc;

/// A user collation's comparison function.
pub type CollationFn = Box<dyn Fn(&[u8], &[u8]) -> Ordering + Send + Sync>;

enum Kind {
    Binary,
    NoCase,
    RTrim,
    User(CollationFn),
}

/// A named collating sequence.
pub struct Collation {
    name: String,
    kind: Kind,
}

impl fmt::Debug for Collation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Collation({})", self.name)
    }
}

impl Collation {
    pub fn binary() -> Collation {
        Collation { name: "BINARY".into(), kind: Kind::Binary }
    }
    pub fn nocase() -> Collation {
        Collation { name: "NOCASE".into(), kind: Kind::NoCase }
    }
    pub fn rtrim() -> Collation {
        Collation { name: "RTRIM".into(), kind: Kind::RTrim }
    }
    /// A user collation (`sqlite3_create_collation_v2`).
    pub fn user(name: &str, compare: CollationFn) -> Collation {
        Collation { name: name.to_string(), kind: Kind::User(compare) }
    }

    /// The built-in collation of that name, if any.
    pub fn builtin(name: &str) -> Option<Collation> {
        match name.to_ascii_uppercase().as_str() {
            "BINARY" => Some(Collation::binary()),
            "NOCASE" => Some(Collation::nocase()),
            "RTRIM" => Some(Collation::rtrim()),
            _ => None,
        }
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn is_binary(&self) -> bool {
        matches!(self.kind, Kind::Binary)
    }

    /// Compares two texts under this collation.
    pub fn compare(&self, a: &[u8], b: &[u8]) -> Ordering {
        match &self.kind {
            Kind::Binary => a.cmp(b),
            Kind::NoCase => {
                let fa = a.iter().map(u8::to_ascii_lowercase);
                let fb = b.iter().map(u8::to_ascii_lowercase);
                fa.cmp(fb)
            }
            Kind::RTrim => trim_spaces(a).cmp(trim_spaces(b)),
            Kind::User(f) => f(a, b),
        }
    }
}

fn trim_spaces(s: &[u8]) -> &[u8] {
    let mut n = s.len();
    while n > 0 && s[n - 1] == b' ' {
        n -= 1;
    }
    &s[..n]
}

/// The collations every connection starts with.
pub fn builtins() -> Vec<Arc<Collation>> {
    vec![Arc::new(Collation::binary()), Arc::new(Collation::nocase()), Arc::new(Collation::rtrim())]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_orders() {
        assert_eq!(Collation::nocase().compare(b"ABC", b"abc"), Ordering::Equal);
        // Non-ASCII letters are not folded (SQLite: 'É' = 'é' COLLATE NOCASE is 0).
        assert_ne!(Collation::nocase().compare("É".as_bytes(), "é".as_bytes()), Ordering::Equal);
        assert_eq!(Collation::rtrim().compare(b"a  ", b"a"), Ordering::Equal);
        // SQLite: 'a'||char(1) < 'a ' COLLATE RTRIM is 0.
        assert_eq!(Collation::rtrim().compare(b"a\x01", b"a "), Ordering::Greater);
        assert_eq!(Collation::binary().compare(b"a", b"ab"), Ordering::Less);
        let rev = Collation::user("rev", Box::new(|a: &[u8], b: &[u8]| b.cmp(a)));
        assert_eq!(rev.compare(b"a", b"b"), Ordering::Greater);
        assert!(Collation::builtin("nocase").is_some());
    }
}
