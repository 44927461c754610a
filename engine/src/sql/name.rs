//! [`Name`]: the text of an identifier or literal in the syntax tree, stored without a heap
//! allocation when it is short.
//!
//! Why: issue 5 asks that parsing "must not allocate per token". Identifiers and literals are
//! most of a statement's non-punctuation tokens, and a `String` per name was most of the
//! parser's allocations. Nearly all names are short (column and table names, short strings,
//! number texts), so a `Name` keeps up to 24 bytes inline in its own 24 bytes (the size of a
//! `String`) and only longer text goes to the heap.
//!
//! Design: a newtype over `compact_str::CompactString` (a widely used crate doing exactly this;
//! the engine allows no `unsafe`, and a safe hand-rolled inline buffer would have to re-check
//! UTF-8 on every `&str` access, which the planner makes often). The newtype keeps that crate
//! out of the engine's API: consumers see a `str` (through `Deref`) with the traits a `String`
//! field had.
//!
//! Invariants:
//! 1. A `Name` behaves as its text: equality, ordering, hashing, `Debug` and `Display` are
//!    those of the `str` it derefs to, so `Name` and `&str` mix in maps (`Borrow<str>`).
//! 2. Text of at most [`Name::INLINE`] bytes never allocates, whether built from a `&str`, a
//!    dequoted token or by `clone`; `Option<Name>` is no larger than `Name`.

use compact_str::CompactString;
use std::borrow::Borrow;
use std::fmt;
use std::ops::Deref;

/// An identifier or literal text, dequoted (see the module comment).
#[derive(Clone, Default, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Name(CompactString);

impl Name {
    /// The longest text stored without a heap allocation.
    pub const INLINE: usize = std::mem::size_of::<CompactString>();

    pub fn new(s: &str) -> Name {
        Name(CompactString::new(s))
    }

    pub fn as_str(&self) -> &str {
        self.0.as_str()
    }

    pub fn into_string(self) -> String {
        self.0.into_string()
    }

    /// Whether the text lives on the heap (for tests of invariant 2).
    pub fn is_heap_allocated(&self) -> bool {
        self.0.is_heap_allocated()
    }

    /// Appends text (used while dequoting).
    pub(crate) fn push_str(&mut self, s: &str) {
        self.0.push_str(s)
    }

    pub(crate) fn push(&mut self, c: char) {
        self.0.push(c)
    }

    pub(crate) fn with_capacity(n: usize) -> Name {
        Name(CompactString::with_capacity(n))
    }
}

impl Deref for Name {
    type Target = str;
    #[inline]
    fn deref(&self) -> &str {
        self.0.as_str()
    }
}

impl AsRef<str> for Name {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for Name {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl fmt::Debug for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self.as_str(), f)
    }
}

impl From<&str> for Name {
    fn from(s: &str) -> Name {
        Name::new(s)
    }
}

impl From<&String> for Name {
    fn from(s: &String) -> Name {
        Name::new(s)
    }
}

impl From<&Name> for Name {
    fn from(s: &Name) -> Name {
        s.clone()
    }
}

impl From<String> for Name {
    /// Short text moves inline (the `String`'s buffer is freed); long text keeps its buffer.
    fn from(s: String) -> Name {
        Name(CompactString::from(s))
    }
}

impl From<Name> for String {
    fn from(n: Name) -> String {
        n.into_string()
    }
}

impl std::str::FromStr for Name {
    type Err = std::convert::Infallible;
    fn from_str(s: &str) -> Result<Name, Self::Err> {
        Ok(Name::new(s))
    }
}

impl PartialEq<str> for Name {
    fn eq(&self, o: &str) -> bool {
        self.as_str() == o
    }
}

impl PartialEq<&str> for Name {
    fn eq(&self, o: &&str) -> bool {
        self.as_str() == *o
    }
}

impl PartialEq<String> for Name {
    fn eq(&self, o: &String) -> bool {
        self.as_str() == o.as_str()
    }
}

impl PartialEq<Name> for str {
    fn eq(&self, o: &Name) -> bool {
        self == o.as_str()
    }
}

impl PartialEq<Name> for &str {
    fn eq(&self, o: &Name) -> bool {
        *self == o.as_str()
    }
}

impl PartialEq<Name> for String {
    fn eq(&self, o: &Name) -> bool {
        self.as_str() == o.as_str()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_text_is_inline_and_long_text_is_not() {
        let short = "a".repeat(Name::INLINE);
        let long = "a".repeat(Name::INLINE + 1);
        assert!(!Name::from(short.as_str()).is_heap_allocated());
        assert!(!Name::from(short.clone()).is_heap_allocated());
        assert!(!Name::from(short.as_str()).clone().is_heap_allocated());
        assert!(Name::from(long.as_str()).is_heap_allocated());
        assert_eq!(Name::from(long.as_str()), long);
        assert_eq!(std::mem::size_of::<Option<Name>>(), std::mem::size_of::<String>());
    }

    #[test]
    fn behaves_as_its_text() {
        use std::collections::HashMap;
        let n = Name::from("Tbl");
        assert_eq!(format!("{n} {n:?}"), "Tbl \"Tbl\"");
        let (s, text) = (String::from("Tbl"), "Tbl");
        assert_eq!(n, text);
        assert_eq!(text, n);
        assert_eq!(n, s);
        assert_eq!(s, n);
        assert!(n.eq_ignore_ascii_case("tbl"));
        let (a, b) = (Name::new("a"), Name::new("b"));
        assert!(a < b);
        let mut m = HashMap::new();
        m.insert(n.clone(), 1);
        assert_eq!(m.get("Tbl"), Some(&1));
        assert_eq!(String::from(n), "Tbl");
    }
}
