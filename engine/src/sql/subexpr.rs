//! [`SubExpr`]: the pointer from an operator node of the syntax tree to an operand.
//!
//! Why: after names stopped allocating ([`super::name`]), one heap block per operand was most
//! of the parser's allocations (`a > 10 AND b < 3` made six). Operands that the parser builds
//! together now share one block: a binary operator's two operands, LIKE's expression and
//! pattern, BETWEEN's three operands are one allocation, so an operator costs one allocation
//! whatever its operands are (leaves such as names and literals live inside the block).
//! Operands of different operators never share a block: letting sibling operators' operands
//! share one (parking unfinished operators while parsing) cut allocations by another third on
//! the sqllogictest sample but parsed about 9% slower, and parsing must not get slower.
//!
//! Design: a `SubExpr` is an immutable shared handle (reference-counted, `Send + Sync`, as the
//! schema keeps parsed expressions) to one slot of a block of one, two or three expressions.
//! It derefs to [`Expr`], so consumers read `Expr::Binary { left, right, .. }` and recurse on
//! `left` exactly as they did through a `Box<Expr>`; they build one with [`SubExpr::new`] (or
//! `Expr::into`). Sharing also makes cloning a tree cheap: a clone shares its operands.
//!
//! Invariants:
//! 1. A `SubExpr` behaves as the expression it points to: `PartialEq` and `Debug` are the
//!    expression's (two handles to equal expressions in different blocks are equal).
//! 2. The tree is immutable once built: no `DerefMut`; a consumer that rewrites an expression
//!    builds new nodes (as the planner already did with boxes).
//! 3. A block never holds a handle to itself, so reference counting frees every tree.

use super::ast::Expr;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

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
