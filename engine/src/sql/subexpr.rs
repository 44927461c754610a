//! [`SubExpr`]: the pointer from an operator node of the syntax tree to an operand, and the
//! parser's [`Arena`] that keeps operands in shared chunks.
//!
//! Why: issue 5 asks that parsing not allocate per token. Names and literals are inline
//! ([`super::name`]); what was left was a heap block per operator. The parser now puts every
//! operand into its statement's arena: chunks of write-once slots, the first of
//! [`FIRST_CHUNK`] slots, each next one twice as large (up to [`MAX_CHUNK`]), so a
//! statement's operands cost a handful of allocations however many there are (a
//! 1,000-operand expression: 7).
//!
//! Design: a `SubExpr` is an immutable shared handle (reference-counted, `Send + Sync`, as the
//! schema keeps parsed expressions) to one slot: of a block of one, two or three expressions
//! ([`SubExpr::new`], [`SubExpr::pair`], [`SubExpr::triple`]: what the planner builds), or of
//! an arena chunk (what the parser builds). It derefs to [`Expr`], so consumers read
//! `Expr::Binary { left, right, .. }` and recurse on `left` as they would through a
//! `Box<Expr>`. Sharing makes cloning a tree cheap: a clone shares its operands.
//!
//! Chunks and cycles. A chunk's slots hold expressions whose operands sit mostly in the same
//! chunk: were those handles counted references, the chunk would hold itself and never be
//! freed. So a handle stored inside the chunk it points to is *uncounted*: when the arena puts
//! an expression into a slot it first turns the handles of that expression that point into the
//! same chunk into uncounted ones ([`demote`]). An uncounted handle can only be read through a
//! borrow of its chunk (the chunk is alive) and is never moved out (slots are only ever
//! borrowed); cloning any handle makes a counted one. Counted references between chunks go
//! from a later chunk of a query level to an earlier one, and from a chunk of an outer level
//! to one of a subquery (each subquery parses into chunks of its own: [`Arena::enter`]); never
//! back, so the references between chunks have no cycle and every chunk is freed with its last
//! outside handle. `engine/tests/sql_alloc.rs` checks that parsing the sqllogictest sample and
//! dropping the trees gives back every byte.
//!
//! Invariants:
//! 1. A `SubExpr` behaves as the expression it points to: `PartialEq` and `Debug` are the
//!    expression's (two handles to equal expressions in different blocks are equal).
//! 2. The tree is immutable once built: no `DerefMut`; a consumer that rewrites an expression
//!    builds new nodes.
//! 3. A slot is written once, before any handle to it exists; reading it never fails.
//! 4. An uncounted handle lives only in a slot of the chunk it points to; every other handle
//!    to a chunk holds one count of it.
//! 5. A chunk's counted handles point to earlier chunks of its query level or to chunks of
//!    its subqueries (no cycle: reference counting frees every tree).

use super::ast::Expr;
use super::walk::Child;
use std::fmt;
use std::ops::Deref;
use std::ptr::{self, NonNull};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Slots of a statement's first chunk.
pub const FIRST_CHUNK: usize = 8;
/// The largest chunk (slot numbers fit a u16).
pub const MAX_CHUNK: usize = 1024;

/// A chunk of write-once slots.
type Slots = [OnceLock<Expr>];

/// The parser's operand arena (one per statement parsed; see the module comment).
pub struct Arena {
    /// The chunk operands go into, if one was made for this query level.
    cur: Option<Arc<Slots>>,
    /// Its next free slot.
    next: usize,
    /// Slots of the next chunk to make.
    grow: usize,
}

/// The chunk of an enclosing query level, set aside while a subquery parses.
pub struct OuterLevel(Option<Arc<Slots>>, usize);

impl Default for Arena {
    fn default() -> Arena {
        Arena { cur: None, next: 0, grow: FIRST_CHUNK }
    }
}

impl Arena {
    pub fn new() -> Arena {
        Arena::default()
    }

    /// `e` in the next slot.
    pub fn put(&mut self, e: Expr) -> SubExpr {
        let chunk = match &self.cur {
            Some(c) if self.next < c.len() => c,
            _ => {
                let n = self.grow;
                self.grow = (n * 2).min(MAX_CHUNK);
                self.next = 0;
                self.cur.insert((0..n).map(|_| OnceLock::new()).collect())
            }
        };
        // The new handle's count (given back by `Slot::drop`, or by `demote` when the handle
        // goes into this chunk), and the pointer every handle to the chunk keeps: the `Arc`'s
        // own, valid for all of its slots.
        let counted = Arc::into_raw(Arc::clone(chunk));
        let first = NonNull::new(counted.cast::<OnceLock<Expr>>().cast_mut())
            .expect("an Arc's pointer is never null");
        demote(&e, first);
        let slot = self.next;
        self.next += 1;
        if chunk[slot].set(e).is_err() {
            unreachable!("a slot is written once: `next` only grows (invariant 3)");
        }
        let len = chunk.len() as u16;
        SubExpr(Slot::Chunk { first, len, slot: slot as u16, counted: AtomicBool::new(true) })
    }

    pub fn pair(&mut self, a: Expr, b: Expr) -> (SubExpr, SubExpr) {
        (self.put(a), self.put(b))
    }

    pub fn triple(&mut self, a: Expr, b: Expr, c: Expr) -> (SubExpr, SubExpr, SubExpr) {
        (self.put(a), self.put(b), self.put(c))
    }

    /// Starts a subquery: its operands go into chunks of their own (invariant 5) until
    /// [`Arena::leave`] gives back the enclosing level's chunk.
    pub fn enter(&mut self) -> OuterLevel {
        OuterLevel(self.cur.take(), self.next)
    }

    /// Ends a subquery started by [`Arena::enter`].
    pub fn leave(&mut self, outer: OuterLevel) {
        self.cur = outer.0;
        self.next = outer.1;
    }
}

/// Turns the handles of `e` that point into the chunk starting at `first` into uncounted ones,
/// as `e` is about to go into a slot of that chunk (invariant 4). Looks at `e`'s own query
/// level down to its operand handles: what lies behind a handle is in a slot already, and a
/// subquery's operands are in chunks of their own (a handle missed here would leak its chunk,
/// which the allocation test would see; it could not dangle).
fn demote(e: &Expr, first: NonNull<OnceLock<Expr>>) {
    e.for_each_child(&mut |c| match c {
        Child::Operand(s) => {
            if let Slot::Chunk { first: f, len, counted, .. } = &s.0 {
                if *f == first && counted.swap(false, Ordering::Relaxed) {
                    // SAFETY: this handle held one count of the chunk (invariant 4) and gives
                    // it back; the arena holds another, so the chunk stays alive, and the
                    // handle now goes into a slot of that chunk, from which it is never moved.
                    unsafe { Arc::decrement_strong_count(chunk_ptr(*f, *len)) };
                }
            }
        }
        Child::Inline(x) => demote(x, first),
    });
}

/// The pointer `Arc::into_raw` gave for the chunk of `len` slots starting at `first`.
fn chunk_ptr(first: NonNull<OnceLock<Expr>>, len: u16) -> *const Slots {
    ptr::slice_from_raw_parts(first.as_ptr().cast_const(), len as usize)
}

/// A shared, immutable pointer to an operand (see the module comment).
#[derive(Clone)]
pub struct SubExpr(Slot);

enum Slot {
    One(Arc<Expr>),
    /// Slot `0` or `1` of a block of two.
    Two(Arc<[Expr; 2]>, u8),
    /// Slot `0`, `1` or `2` of a block of three.
    Three(Arc<[Expr; 3]>, u8),
    /// Slot `slot` of the arena chunk of `len` slots starting at `first`; `counted` unless the
    /// handle lives in that chunk (invariant 4). (Atomic so that [`demote`] can clear it
    /// through the shared walk of sql/walk.rs; only its owner ever changes it.)
    Chunk { first: NonNull<OnceLock<Expr>>, len: u16, slot: u16, counted: AtomicBool },
}

// SAFETY: a `Slot::Chunk` is an `Arc<[OnceLock<Expr>]>` (counted or, inside its own chunk,
// borrowed from one); `OnceLock<Expr>` is Send + Sync because `Expr` is, so sharing or sending
// the handle is as sound as sharing or sending that `Arc`.
unsafe impl Send for Slot {}
// SAFETY: as above.
unsafe impl Sync for Slot {}

impl Clone for Slot {
    fn clone(&self) -> Slot {
        match self {
            Slot::One(e) => Slot::One(Arc::clone(e)),
            Slot::Two(b, i) => Slot::Two(Arc::clone(b), *i),
            Slot::Three(b, i) => Slot::Three(Arc::clone(b), *i),
            Slot::Chunk { first, len, slot, .. } => {
                // SAFETY: the chunk is alive while `self` can be read (invariant 4); the new
                // handle takes a count of its own, given back when it drops.
                unsafe { Arc::increment_strong_count(chunk_ptr(*first, *len)) };
                Slot::Chunk { first: *first, len: *len, slot: *slot, counted: AtomicBool::new(true) }
            }
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        if let Slot::Chunk { first, len, counted, .. } = self {
            if !*counted.get_mut() {
                return;
            }
            // SAFETY: a counted handle holds one count of its chunk (invariant 4), given back
            // once, here.
            unsafe { Arc::decrement_strong_count(chunk_ptr(*first, *len)) };
        }
    }
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
            Slot::Chunk { first, slot, .. } => {
                // SAFETY: the chunk is alive while `self` can be read (invariant 4) and `slot`
                // is one of its slots.
                let cell = unsafe { &*first.as_ptr().add(*slot as usize) };
                cell.get().expect("a slot is written before a handle to it exists (invariant 3)")
            }
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

    /// A weak reference to the chunk of an arena handle, to watch it being freed.
    fn chunk_of(s: &SubExpr) -> std::sync::Weak<Slots> {
        let Slot::Chunk { first, len, .. } = s.0 else { panic!("not in an arena chunk") };
        // SAFETY: `s` keeps the chunk alive; the `Arc` rebuilt here is never dropped, so the
        // counts are unchanged.
        let arc = std::mem::ManuallyDrop::new(unsafe { Arc::from_raw(chunk_ptr(first, len)) });
        Arc::downgrade(&arc)
    }

    #[test]
    fn an_arena_shares_chunks_and_frees_them() {
        let mut arena = Arena::new();
        let (a, b) = arena.pair(int(1), int(2));
        let sum = Expr::Binary { op: crate::sql::ast::BinaryOp::Add, left: a, right: b };
        let c = arena.put(sum.clone());
        let chunk = chunk_of(&c);
        // `sum` (outside the chunk) still counts; the copy inside the chunk does not.
        assert_eq!(chunk.strong_count(), 1 + 2 + 1, "the arena, sum's operands, c");
        drop(sum);
        assert_eq!(chunk.strong_count(), 2, "the arena and c");
        let Expr::Binary { left, .. } = &*c else { panic!() };
        let left = left.clone();
        assert_eq!(*left, int(1));
        assert_eq!(chunk.strong_count(), 3);
        // A full chunk gives way to one twice as large.
        let more: Vec<SubExpr> = (0..FIRST_CHUNK as i64).map(|i| arena.put(int(i))).collect();
        let next = chunk_of(&more[FIRST_CHUNK - 1]);
        assert!(!chunk.ptr_eq(&next));
        assert_eq!(next.upgrade().expect("alive").len(), 2 * FIRST_CHUNK);
        drop((arena, more));
        assert!(next.upgrade().is_none());
        drop(c);
        assert!(chunk.upgrade().is_some(), "a clone taken out of the chunk keeps it");
        drop(left);
        assert!(chunk.upgrade().is_none());
    }

    #[test]
    fn a_subquery_parses_into_chunks_of_its_own() {
        let mut arena = Arena::new();
        let a = arena.put(int(1));
        let outer = arena.enter();
        let b = arena.put(int(2));
        arena.leave(outer);
        let c = arena.put(int(3));
        assert!(!chunk_of(&a).ptr_eq(&chunk_of(&b)));
        assert!(chunk_of(&a).ptr_eq(&chunk_of(&c)));
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
