//! [`SubExpr`]: the pointer from an operator node of the syntax tree to an operand.
//!
//! Why: after names stopped allocating ([`super::name`]), one heap block per operand was most
//! of the parser's allocations (`a > 10 AND b < 3` made six). Operands that the parser builds
//! together now share one block: a binary operator's two operands, LIKE's expression and
//! pattern, BETWEEN's three operands are one allocation, so an operator costs one allocation
//! whatever its operands are (leaves such as names and literals live inside the block).
//! (Letting sibling operators' operands share one block by parking unfinished operators cut
//! allocations by another third but parsed about 9% slower; the arena below cuts them further.)
//!
//! Design: a `SubExpr` is an immutable shared handle (reference-counted, `Send + Sync`, as the
//! schema keeps parsed expressions) to one slot of a block of one, two or three expressions.
//! It derefs to [`Expr`], so consumers read `Expr::Binary { left, right, .. }` and recurse on
//! `left` exactly as they did through a `Box<Expr>`; they build one with [`SubExpr::new`] (or
//! `Expr::into`). Sharing also makes cloning a tree cheap: a clone shares its operands.
//!
//! The parser puts operands instead into its [`Arena`]: shared chunks of [`CHUNK`] write-once
//! slots, so the parser's operands cost one allocation per chunk, not one per operator
//! (parsing allocates per statement and per list, not per token: 0.13 allocations per token
//! on the sqllogictest sample, 0.35 with a block per operator). A chunk lives as long as any
//! handle into it (a statement kept by the schema keeps its chunks). The price, measured: the
//! benchmark corpus parses about 12% slower (610k statements/s against 700k), still over four
//! times SQLite's whole prepare.
//!
//! Invariants:
//! 1. A `SubExpr` behaves as the expression it points to: `PartialEq` and `Debug` are the
//!    expression's (two handles to equal expressions in different blocks are equal).
//! 2. The tree is immutable once built: no `DerefMut`; a consumer that rewrites an expression
//!    builds new nodes (as the planner already did with boxes).
//! 3. A block never holds a handle to itself, so reference counting frees every tree: an
//!    expression is complete (its operands already made) before it goes into a slot, so a
//!    chunk only ever points to earlier slots or other chunks.
//! 4. A chunk slot is written once, before any handle to it exists; reading it never fails.

use super::ast::Expr;
use std::fmt;
use std::ops::Deref;
use std::sync::{Arc, OnceLock};

/// Slots per chunk of the parser's operand arena.
pub const CHUNK: usize = 16;

type Chunk = [OnceLock<Expr>; CHUNK];

/// The parser's operand arena (one per statement parsed): operands go into shared chunks of
/// [`CHUNK`] write-once slots, one allocation per chunk (see the module comment).
#[derive(Default)]
pub struct Arena {
    /// The current chunk and its next free slot.
    cur: Option<(Arc<Chunk>, usize)>,
}

impl Arena {
    pub fn new() -> Arena {
        Arena::default()
    }

    /// `e` in the next slot.
    pub fn put(&mut self, e: Expr) -> SubExpr {
        if self.cur.as_ref().is_none_or(|(_, next)| *next == CHUNK) {
            self.cur = Some((Arc::new(std::array::from_fn(|_| OnceLock::new())), 0));
        }
        let (chunk, next) = self.cur.as_mut().expect("just filled");
        let i = *next;
        *next += 1;
        if chunk[i].set(e).is_err() {
            unreachable!("a chunk slot is written once (invariant 4)");
        }
        SubExpr(Slot::Arena(Arc::clone(chunk), i as u8))
    }

    pub fn pair(&mut self, a: Expr, b: Expr) -> (SubExpr, SubExpr) {
        (self.put(a), self.put(b))
    }

    pub fn triple(&mut self, a: Expr, b: Expr, c: Expr) -> (SubExpr, SubExpr, SubExpr) {
        (self.put(a), self.put(b), self.put(c))
    }
}

/// A shared, immutable pointer to an operand (see the module comment).
#[derive(Clone)]
pub struct SubExpr(Slot);

#[derive(Clone)]
enum Slot {
    One(Arc<Expr>),
    /// Slot `0` or `1` of a block of two.
    Two(Arc<[Expr; 2]>, u8),
    /// Slot `0`, `1` or `2` of a block of three.
    Three(Arc<[Expr; 3]>, u8),
    /// A slot of a chunk of the parser's arena.
    Arena(Arc<Chunk>, u8),
}

impl SubExpr {
    /// An operand in a block of its own.
    pub fn new(e: Expr) -> SubExpr {
        SubExpr(Slot::One(Arc::new(e)))
    }

    /// Two operands in one block.
    pub fn pair(a: Expr, b: Expr) -> (SubExpr, SubExpr) {
        let block = Arc::new([a, b]);
        (SubExpr(Slot::Two(Arc::clone(&block), 0)), SubExpr(Slot::Two(block, 1)))
    }

    /// Three operands in one block.
    pub fn triple(a: Expr, b: Expr, c: Expr) -> (SubExpr, SubExpr, SubExpr) {
        let block = Arc::new([a, b, c]);
        (
            SubExpr(Slot::Three(Arc::clone(&block), 0)),
            SubExpr(Slot::Three(Arc::clone(&block), 1)),
            SubExpr(Slot::Three(block, 2)),
        )
    }
}

impl Deref for SubExpr {
    type Target = Expr;
    #[inline]
    fn deref(&self) -> &Expr {
        match &self.0 {
            Slot::One(e) => e,
            Slot::Two(b, i) => &b[*i as usize],
            Slot::Three(b, i) => &b[*i as usize],
            Slot::Arena(c, i) => c[*i as usize].get().expect("a chunk slot is written before its handle exists"),
        }
    }
}

impl AsRef<Expr> for SubExpr {
    fn as_ref(&self) -> &Expr {
        self
    }
}

impl From<Expr> for SubExpr {
    fn from(e: Expr) -> SubExpr {
        SubExpr::new(e)
    }
}

impl From<Box<Expr>> for SubExpr {
    fn from(e: Box<Expr>) -> SubExpr {
        SubExpr(Slot::One(Arc::from(e)))
    }
}

impl PartialEq for SubExpr {
    fn eq(&self, o: &SubExpr) -> bool {
        **self == **o
    }
}

impl fmt::Display for SubExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(&**self, f)
    }
}

impl fmt::Debug for SubExpr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&**self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sql::ast::Literal;

    fn int(i: i64) -> Expr {
        Expr::Literal(Literal::Integer(i))
    }

    #[test]
    fn slots_point_at_their_operand_and_compare_by_value() {
        let (a, b) = SubExpr::pair(int(1), int(2));
        let (x, y, z) = SubExpr::triple(int(1), int(2), int(3));
        assert_eq!((&*a, &*b), (&int(1), &int(2)));
        assert_eq!((&*x, &*y, &*z), (&int(1), &int(2), &int(3)));
        assert_eq!(a, x);
        assert_eq!(b, SubExpr::new(int(2)));
        assert_ne!(a, b);
        assert_eq!(format!("{a:?}"), format!("{:?}", int(1)));
        assert_eq!(std::mem::size_of::<SubExpr>(), 16);
    }

    #[test]
    fn an_arena_shares_chunks() {
        let mut arena = Arena::new();
        let (a, b) = arena.pair(int(1), int(2));
        let c = arena.put(int(3));
        assert_eq!((&*a, &*b, &*c), (&int(1), &int(2), &int(3)));
        let (Slot::Arena(x, 0), Slot::Arena(y, 2)) = (&a.0, &c.0) else { panic!("not in the arena") };
        assert!(Arc::ptr_eq(x, y));
        // A full chunk gives way to a new one; the old one lives while a handle does.
        let weak = Arc::downgrade(x);
        let more: Vec<SubExpr> = (0..CHUNK as i64).map(|i| arena.put(int(i))).collect();
        let (Slot::Arena(first, _), Slot::Arena(last, _)) = (&more[0].0, &more[CHUNK - 1].0) else { panic!() };
        assert!(!Arc::ptr_eq(first, last));
        assert_eq!(*more[CHUNK - 1], int(CHUNK as i64 - 1));
        drop((a, b, c));
        assert!(weak.upgrade().is_some(), "more[..] still holds slots of the first chunk");
        drop(more);
        drop(arena);
        assert!(weak.upgrade().is_none());
    }

    #[test]
    fn dropping_handles_frees_the_block() {
        let (a, b) = SubExpr::pair(int(1), int(2));
        let Slot::Two(block, _) = &a.0 else { unreachable!() };
        let weak = Arc::downgrade(block);
        drop(a);
        assert!(weak.upgrade().is_some());
        drop(b);
        assert!(weak.upgrade().is_none());
    }
}
