//! Expressions: precedence climbing over SQLite's operator table.
//!
//! Binding power, loosest first (SQLite's `%left/%right` declarations in parse.y order):
//! 1 OR; 2 AND; 3 NOT (prefix); 4 IS, MATCH, LIKE/GLOB/REGEXP, BETWEEN, IN, ISNULL, NOTNULL,
//! `=`, `==`, `!=`, `<>`; 5 `<`, `<=`, `>`, `>=`; 6 ESCAPE; 7 `&`, `|`, `<<`, `>>`;
//! 8 `+`, `-`; 9 `*`, `/`, `%`; 10 `||`, `->`, `->>`; 11 COLLATE (postfix); 12 `~`, unary
//! `+` and `-` (prefix). Binary operators are left-associative.
//!
//! Invariants:
//! 1. Every function returns the expression with its height as SQLite computes it (1 for a
//!    leaf and for a COLLATE node, else 1 + the tallest child, subqueries counting their
//!    tallest expression); operator nodes check it against [`MAX_EXPR_DEPTH`].
//! 2. `BETWEEN`'s middle operand takes every operator except AND; an OR there swallows the
//!    rest of the expression, as in SQLite, so the error lands on the same token.

use super::{PResult, StmtParser, K, MAX_EXPR_DEPTH};
use crate::sql::ast::*;
use crate::sql::token::Token;

/// An expression and its height.
pub(crate) type Ex = (Expr, u32);

const BP_OR: u8 = 1;
const BP_AND: u8 = 2;
const BP_NOT: u8 = 3;
const BP_EQ: u8 = 4;
const BP_CMP: u8 = 5;
const BP_BIT: u8 = 7;
const BP_ADD: u8 = 8;
const BP_MUL: u8 = 9;
const BP_CONCAT: u8 = 10;
const BP_COLLATE: u8 = 11;


impl<'a> StmtParser<'a> {
    /// Parses an expression.
    pub(crate) fn expr(&mut self) -> PResult<Expr> {
        Ok(self.expr_bp(BP_OR)?.0)
    }

    /// Parses an expression, returning its height too.
    pub(crate) fn expr_h(&mut self) -> PResult<Ex> {
        self.expr_bp(BP_OR)
    }

    /// Builds a node of height `h`; operator nodes (`check`) are held to the depth limit.
    fn node(&mut self, e: Expr, h: u32, check: bool) -> PResult<Ex> {
        if check && h > MAX_EXPR_DEPTH {
            self.defer(
                self.error(format!(
                    "Expression tree is too large (maximum depth {MAX_EXPR_DEPTH})"
                )),
            );
        }
        if h > self.select_height {
            self.select_height = h;
        }
        Ok((e, h))
    }

    fn binary(&mut self, op: BinaryOp, l: Ex, r: Ex) -> PResult<Ex> {
        let h = l.1.max(r.1) + 1;
        let (left, right) = self.arena.pair(l.0, r.0);
        self.node(Expr::Binary { op, left, right }, h, true)
    }

    /// The right operand of a binary operator (costs two parser-stack entries).
    fn rhs(&mut self, bp: u8) -> PResult<Ex> {
        self.enter(2, 0)?;
        let r = self.expr_bp(bp);
        self.leave(2);
        r
    }

    /// Precedence climbing: parses operators binding at least as tightly as `min`.
    pub(crate) fn expr_bp(&mut self, min: u8) -> PResult<Ex> {
        let mut lhs = self.unary()?;
        loop {
            let k = self.tok.kind;
            let (op, bp) = match k {
                K::Or => (BinaryOp::Or, BP_OR),
                K::And => (BinaryOp::And, BP_AND),
                K::Eq => (BinaryOp::Eq, BP_EQ),
                K::Ne => (BinaryOp::Ne, BP_EQ),
                K::Lt => (BinaryOp::Lt, BP_CMP),
                K::Le => (BinaryOp::Le, BP_CMP),
                K::Gt => (BinaryOp::Gt, BP_CMP),
                K::Ge => (BinaryOp::Ge, BP_CMP),
                K::BitAnd => (BinaryOp::BitAnd, BP_BIT),
                K::BitOr => (BinaryOp::BitOr, BP_BIT),
                K::LShift => (BinaryOp::ShiftLeft, BP_BIT),
                K::RShift => (BinaryOp::ShiftRight, BP_BIT),
                K::Plus => (BinaryOp::Add, BP_ADD),
                K::Minus => (BinaryOp::Subtract, BP_ADD),
                K::Star => (BinaryOp::Multiply, BP_MUL),
                K::Slash => (BinaryOp::Divide, BP_MUL),
                K::Rem => (BinaryOp::Remainder, BP_MUL),
                K::Concat => (BinaryOp::Concat, BP_CONCAT),
                K::Ptr => {
                    let t = self.tok;
                    let op = if t.len() == 3 { BinaryOp::JsonArrow2 } else { BinaryOp::JsonArrow };
                    (op, BP_CONCAT)
                }
                K::Collate => {
                    if min > BP_COLLATE {
                        break;
                    }
                    self.advance()?;
                    let collation = self.ids()?;
                    // SQLite gives a COLLATE node height 1 (it is not built by sqlite3PExpr).
                    let sub = self.arena.put(lhs.0);
                    lhs = self.node(Expr::Collate { expr: sub, collation }, 1, false)?;
                    continue;
                }
                K::Is
                | K::Isnull
                | K::Notnull
                | K::Not
                | K::Like
                | K::Glob
                | K::Regexp
                | K::Match
                | K::Between
                | K::In => {
                    if min > BP_EQ {
                        break;
                    }
                    lhs = self.eq_level_operator(lhs)?;
                    continue;
                }
                _ => break,
            };
            if bp < min {
                break;
            }
            self.advance()?;
            let rhs = self.rhs(bp + 1)?;
            lhs = self.binary(op, lhs, rhs)?;
        }
        Ok(lhs)
    }

    /// The postfix and non-simple operators of level 4 (IS, LIKE, BETWEEN, IN, ISNULL, ...).
    fn eq_level_operator(&mut self, lhs: Ex) -> PResult<Ex> {
        let k = self.tok.kind;
        match k {
            K::Isnull | K::Notnull => {
                self.advance()?;
                let h = lhs.1 + 1;
                let sub = self.arena.put(lhs.0);
                self.node(Expr::IsNull { expr: sub, not: k == K::Notnull }, h, true)
            }
            K::Is => {
                self.advance()?;
                let mut not = self.eat(K::Not)?;
                if self.eat(K::Distinct)? {
                    self.expect(K::From)?;
                    not = !not;
                }
                let rhs = self.rhs(BP_EQ + 1)?;
                if matches!(rhs.0, Expr::Literal(Literal::Null)) {
                    let h = lhs.1 + 1;
                    let sub = self.arena.put(lhs.0);
                    return self.node(Expr::IsNull { expr: sub, not }, h, true);
                }
                self.binary(if not { BinaryOp::IsNot } else { BinaryOp::Is }, lhs, rhs)
            }
            K::Not => {
                self.advance()?;
                match self.tok.kind {
                    K::Null => {
                        self.advance()?;
                        let h = lhs.1 + 1;
                        let sub = self.arena.put(lhs.0);
                        self.node(Expr::IsNull { expr: sub, not: true }, h, true)
                    }
                    K::Like | K::Glob | K::Regexp | K::Match => self.like(lhs, true),
                    K::Between => self.between(lhs, true),
                    K::In => self.in_op(lhs, true),
                    _ => Err(self.syntax_error()),
                }
            }
            K::Like | K::Glob | K::Regexp | K::Match => self.like(lhs, false),
            K::Between => self.between(lhs, false),
            _ => self.in_op(lhs, false),
        }
    }

    fn like(&mut self, lhs: Ex, not: bool) -> PResult<Ex> {
        let op = match self.advance()?.kind {
            K::Like => LikeOp::Like,
            K::Glob => LikeOp::Glob,
            K::Regexp => LikeOp::Regexp,
            _ => LikeOp::Match,
        };
        let pat = self.rhs(BP_EQ + 1)?;
        let mut h = lhs.1.max(pat.1) + 1;
        let e = if self.at(K::Escape) {
            self.advance()?;
            let e = self.rhs(BP_EQ + 1)?;
            h = h.max(e.1 + 1);
            let (expr, pattern, escape) = self.arena.triple(lhs.0, pat.0, e.0);
            Expr::Like { op, not, expr, pattern, escape: Some(escape) }
        } else {
            let (expr, pattern) = self.arena.pair(lhs.0, pat.0);
            Expr::Like { op, not, expr, pattern, escape: None }
        };
        self.node(e, h, true)
    }

    fn between(&mut self, lhs: Ex, not: bool) -> PResult<Ex> {
        self.advance()?;
        self.enter(2, 0)?;
        let mut low = self.expr_bp(BP_NOT)?;
        // Invariant 2: an OR here keeps absorbing operands and never reaches the AND.
        while self.at(K::Or) {
            self.advance()?;
            let r = self.rhs(BP_AND)?;
            low = self.binary(BinaryOp::Or, low, r)?;
        }
        self.leave(2);
        self.expect(K::And)?;
        self.enter(4, 0)?;
        let high = self.expr_bp(BP_EQ + 1);
        self.leave(4);
        let high = high?;
        let h = lhs.1.max(low.1).max(high.1) + 1;
        let (expr, low, high) = self.arena.triple(lhs.0, low.0, high.0);
        let e = Expr::Between { expr, not, low, high };
        self.node(e, h, true)
    }

    fn in_op(&mut self, lhs: Ex, not: bool) -> PResult<Ex> {
        self.advance()?;
        if self.at(K::LParen) {
            self.enter(3, 0)?;
            self.advance()?;
            let r = if self.at_select_start() {
                let (select, sh) = self.subselect()?;
                let h = lhs.1.max(sh) + 1;
                let sub = self.arena.put(lhs.0);
                self.node(Expr::InSelect { expr: sub, not, select }, h, true)
            } else {
                let (list, lh) = self.expr_list_until_rparen()?;
                let h = lhs.1.max(lh) + 1;
                let sub = self.arena.put(lhs.0);
                self.node(Expr::InList { expr: sub, not, list }, h, true)
            };
            self.leave(3);
            let r = r?;
            self.expect(K::RParen)?;
            return Ok(r);
        }
        let table = Box::new(self.fullname()?);
        let args = if self.at(K::LParen) {
            self.advance()?;
            self.enter(3, 0)?;
            let r = self.expr_list_until_rparen();
            self.leave(3);
            let (list, _) = r?;
            self.expect(K::RParen)?;
            Some(list)
        } else {
            None
        };
        let h = lhs.1 + 1;
        let sub = self.arena.put(lhs.0);
        self.node(Expr::InTable { expr: sub, not, table, args }, h, true)
    }

    /// Whether the lookahead starts a SELECT (inside parentheses).
    pub(crate) fn at_select_start(&self) -> bool {
        matches!(self.tok.kind, K::Select | K::Values | K::With)
    }

    /// A SELECT nested in an expression, with the height of its tallest expression.
    pub(crate) fn subselect(&mut self) -> PResult<(Box<Select>, u32)> {
        let saved = self.select_height;
        self.select_height = 0;
        // A subquery's operands go into chunks of its own (sql/subexpr.rs, invariant 5).
        let outer = self.arena.enter();
        let s = self.select();
        self.arena.leave(outer);
        let inner = self.select_height;
        self.select_height = saved.max(inner);
        Ok((s?, inner))
    }

    /// `expr, expr, ...` possibly empty, up to (not including) `)`. Returns the tallest height.
    pub(crate) fn expr_list_until_rparen(&mut self) -> PResult<(Vec<Expr>, u32)> {
        if self.at(K::RParen) {
            return Ok((Vec::new(), 0));
        }
        let mut v = Vec::with_capacity(self.list_len_hint());
        let mut h = 0;
        loop {
            let e = self.expr_h()?;
            h = h.max(e.1);
            v.push(e.0);
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok((v, h))
    }

    /// `expr, expr, ...` (at least one).
    pub(crate) fn nexprlist(&mut self) -> PResult<Vec<Expr>> {
        let mut v = vec![self.expr()?];
        while self.eat(K::Comma)? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    /// `expr, expr, ...` (at least one) inside parentheses, up to (not including) `)`.
    pub(crate) fn nexprlist_in_parens(&mut self) -> PResult<Vec<Expr>> {
        let mut v = Vec::with_capacity(self.list_len_hint());
        v.push(self.expr()?);
        while self.eat(K::Comma)? {
            v.push(self.expr()?);
        }
        Ok(v)
    }

    /// Prefix operators, then a primary expression.
    fn unary(&mut self) -> PResult<Ex> {
        let op = match self.tok.kind {
            K::Not => UnaryOp::Not,
            K::Minus => UnaryOp::Negate,
            K::Plus => UnaryOp::Plus,
            K::BitNot => UnaryOp::BitNot,
            _ => return self.primary(),
        };
        self.advance()?;
        self.enter(1, 1)?;
        let operand = if op == UnaryOp::Not {
            self.expr_bp(BP_EQ)
        } else if op == UnaryOp::Negate && self.at(K::Integer) && self.is_min_int_magnitude() {
            // -9223372036854775808 is the integer i64::MIN.
            self.advance()?;
            self.leave(1);
            return self.node(Expr::Literal(Literal::Integer(i64::MIN)), 1, false);
        } else {
            self.unary()
        };
        self.leave(1);
        let operand = operand?;
        let h = operand.1 + 1;
        // `-5` stays an operator over a literal, as in SQLite's tree: SQLite reads the literal's
        // magnitude in places (`GROUP BY -2147483648` is a constant, not a term number).
        let sub = self.arena.put(operand.0);
        self.node(Expr::Unary { op, expr: sub }, h, true)
    }

    /// Whether the lookahead integer literal is exactly 9223372036854775808.
    fn is_min_int_magnitude(&self) -> bool {
        let t = self.text(self.tok).trim_start_matches('0');
        t == "9223372036854775808"
    }

    /// A single primary expression (used for DEFAULT terms).
    pub(crate) fn expr_primary_only(&mut self) -> PResult<Expr> {
        Ok(self.primary()?.0)
    }

    fn literal(&mut self, lit: Literal) -> PResult<Ex> {
        self.advance()?;
        self.node(Expr::Literal(lit), 1, false)
    }

    fn primary(&mut self) -> PResult<Ex> {
        let t = self.tok;
        match t.kind {
            K::LParen => {
                self.enter(1, 2)?;
                let r = self.parenthesized();
                self.leave(1);
                r
            }
            K::Integer => {
                let lit = self.integer_literal(t)?;
                self.literal(lit)
            }
            K::Float => self.literal(Literal::Real(parse_real(self.text(t)))),
            K::String if self.peek_kind() != K::Dot => {
                let s = self.dequote(t);
                self.literal(Literal::String(s))
            }
            K::Blob => {
                let text = self.text(t);
                self.literal(Literal::Blob(decode_hex(&text[2..text.len() - 1])))
            }
            K::Null => self.literal(Literal::Null),
            K::CurrentTime => self.literal(Literal::CurrentTime),
            K::CurrentDate => self.literal(Literal::CurrentDate),
            K::CurrentTimestamp => self.literal(Literal::CurrentTimestamp),
            K::Variable => {
                self.advance()?;
                let text = self.text(t);
                let b = text.as_bytes();
                let index = if b[0] == b'#' && b.len() > 1 && b[1].is_ascii_digit() {
                    // `#N` names a VM register, allowed only in SQLite's internal parses.
                    self.defer(self.error_at(format!("near \"{text}\": syntax error"), t));
                    0
                } else {
                    self.assign_var(t)
                };
                self.node(Expr::Variable { text: Name::new(text), index }, 1, false)
            }
            K::Cast => {
                self.advance()?;
                self.expect(K::LParen)?;
                self.enter(2, 4)?;
                let e = self.expr_h();
                self.leave(2);
                let e = e?;
                self.expect(K::As)?;
                let type_name = self.type_name()?;
                self.expect(K::RParen)?;
                let h = e.1 + 1;
                let sub = self.arena.put(e.0);
                self.node(Expr::Cast { expr: sub, type_name }, h, false)
            }
            K::Case => self.case_expr(),
            K::Exists => {
                self.advance()?;
                self.expect(K::LParen)?;
                self.enter(2, 2)?;
                let r = self.subselect();
                self.leave(2);
                let (s, sh) = r?;
                self.expect(K::RParen)?;
                self.node(Expr::Exists(s), sh + 1, false)
            }
            K::Raise => self.raise(),
            k if k.is_id() || k.is_join_kw() || k == K::String => self.name_expr(),
            _ => Err(self.syntax_error()),
        }
    }

    /// After `(`: a subquery, a parenthesized expression or a row value.
    fn parenthesized(&mut self) -> PResult<Ex> {
        self.advance()?;
        if self.at_select_start() {
            let (s, sh) = self.subselect()?;
            self.expect(K::RParen)?;
            return self.node(Expr::Subquery(s), sh + 1, false);
        }
        let first = self.expr_h()?;
        if self.at(K::RParen) {
            self.advance()?;
            return Ok(first);
        }
        let mut h = first.1;
        // The lookahead is the comma after the first term: the hint counts the first term too.
        let mut v = Vec::with_capacity(self.list_len_hint());
        v.push(first.0);
        while self.eat(K::Comma)? {
            let e = self.expr_h()?;
            h = h.max(e.1);
            v.push(e.0);
        }
        self.expect(K::RParen)?;
        self.node(Expr::Vector(v), h + 1, false)
    }

    /// An INTEGER token's value: i64, or a real when too large; hex must fit in 64 bits.
    fn integer_literal(&mut self, t: Token) -> PResult<Literal> {
        let text = self.text(t);
        let b = text.as_bytes();
        if b.len() > 2 && b[0] == b'0' && (b[1] == b'x' || b[1] == b'X') {
            let digits = text[2..].trim_start_matches('0');
            if digits.len() > 16 {
                // SQLite finds this when coding the literal: only a statement that parses fully
                // reports it.
                self.defer_late(self.error_at(format!("hex literal too big: {text}"), t));
                return Ok(Literal::Integer(0));
            }
            let v =
                u64::from_str_radix(if digits.is_empty() { "0" } else { digits }, 16).unwrap_or(0);
            return Ok(Literal::Integer(v as i64));
        }
        match text.parse::<i64>() {
            Ok(v) => Ok(Literal::Integer(v)),
            Err(_) => Ok(Literal::Real(parse_real(text))),
        }
    }

    /// An expression starting with a name: a column, `t.c`, `s.t.c` or a function call.
    fn name_expr(&mut self) -> PResult<Ex> {
        let t = self.tok;
        let next = self.peek_kind();
        if next == K::Dot {
            self.advance()?;
            self.advance()?;
            let second = self.nm()?;
            let e = if self.eat(K::Dot)? {
                let third = self.nm()?;
                Expr::Qualified { schema: Some(self.dequote(t)), table: second, column: third }
            } else {
                Expr::Qualified { schema: None, table: self.dequote(t), column: second }
            };
            return self.node(e, 1, false);
        }
        if next == K::LParen && t.kind.is_id() {
            return self.function_call();
        }
        self.advance()?;
        let double_quoted = self.text(t).starts_with('"');
        self.node(Expr::Id { name: self.dequote(t), double_quoted }, 1, false)
    }

    fn function_call(&mut self) -> PResult<Ex> {
        let name_tok = self.advance()?;
        let name = self.dequote(name_tok);
        self.advance()?; // (
        let mut distinct = false;
        let mut h = 0;
        let args = if self.at(K::Star) {
            self.advance()?;
            FunctionArgs::Star
        } else {
            if self.at(K::Distinct) {
                self.advance()?;
                distinct = true;
            } else if self.at(K::All) {
                self.advance()?;
            }
            self.enter(3, 1)?;
            let r = self.expr_list_until_rparen();
            self.leave(3);
            let (list, lh) = r?;
            h = lh;
            FunctionArgs::List(list)
        };
        self.expect(K::RParen)?;
        if matches!(&args, FunctionArgs::List(l) if l.len() > 127) {
            self.defer(self.error_at(
                format!("too many arguments on function {}", self.text(name_tok)),
                name_tok,
            ));
        }
        let mut filter = None;
        if self.at(K::Filter) {
            self.advance()?;
            self.expect(K::LParen)?;
            self.expect(K::Where)?;
            let e = self.expr_h()?;
            h = h.max(e.1);
            filter = Some(e.0);
            self.expect(K::RParen)?;
        }
        let mut over = None;
        if self.at(K::Over) {
            self.advance()?;
            if self.at(K::LParen) {
                self.enter(9, 0)?;
                let r = self.window_spec();
                self.leave(9);
                over = Some(Over::Spec(Box::new(r?)));
            } else {
                over = Some(Over::Name(self.nm()?));
            }
        }
        let call = FunctionCall { name, distinct, args, filter, over };
        self.node(Expr::FunctionCall(Box::new(call)), h + 1, false)
    }

    fn case_expr(&mut self) -> PResult<Ex> {
        self.enter(3, 3)?;
        let r = self.case_body();
        self.leave(3);
        r
    }

    fn case_body(&mut self) -> PResult<Ex> {
        self.advance()?;
        let mut h = 0;
        let operand = if self.at(K::When) {
            None
        } else {
            let e = self.expr_h()?;
            h = e.1;
            Some(self.arena.put(e.0))
        };
        let mut when_then = Vec::new();
        self.expect(K::When)?;
        loop {
            let w = self.expr_h()?;
            self.expect(K::Then)?;
            let t = self.expr_h()?;
            h = h.max(w.1).max(t.1);
            when_then.push((w.0, t.0));
            if !self.eat(K::When)? {
                break;
            }
        }
        let else_expr = if self.eat(K::Else)? {
            let e = self.expr_h()?;
            h = h.max(e.1);
            Some(self.arena.put(e.0))
        } else {
            None
        };
        self.expect(K::End)?;
        self.node(Expr::Case { operand, when_then, else_expr }, h + 1, false)
    }

    fn raise(&mut self) -> PResult<Ex> {
        self.advance()?;
        self.expect(K::LParen)?;
        let action = match self.tok.kind {
            K::Ignore => RaiseAction::Ignore,
            K::Rollback => RaiseAction::Rollback,
            K::Abort => RaiseAction::Abort,
            K::Fail => RaiseAction::Fail,
            _ => return Err(self.syntax_error()),
        };
        self.advance()?;
        let message = if action == RaiseAction::Ignore {
            None
        } else {
            self.expect(K::Comma)?;
            Some(self.nm()?)
        };
        self.expect(K::RParen)?;
        self.node(Expr::Raise { action, message }, 1, false)
    }

    /// SQLite's `typetoken`, possibly empty: words, then optional `(n)` or `(n, m)`.
    pub(crate) fn type_name(&mut self) -> PResult<Option<TypeName>> {
        if !self.tok.kind.is_ids() {
            return Ok(None);
        }
        let start = self.tok.start;
        let mut words = Vec::new();
        while self.tok.kind.is_ids() {
            let t = self.advance()?;
            words.push(self.dequote(t));
        }
        let mut args = Vec::new();
        if self.at(K::LParen) {
            self.advance()?;
            args.push(self.signed_number()?);
            if self.eat(K::Comma)? {
                args.push(self.signed_number()?);
            }
            self.expect(K::RParen)?;
        }
        Ok(Some(TypeName { words, args, span: Span { start, end: self.prev_end } }))
    }

    /// SQLite's `signed`: `[+|-] INTEGER|FLOAT`, as written (without a `+`).
    pub(crate) fn signed_number(&mut self) -> PResult<Name> {
        let mut s = Name::default();
        if self.at(K::Plus) {
            self.advance()?;
        } else if self.at(K::Minus) {
            self.advance()?;
            s.push('-');
        }
        if self.at(K::Integer) || self.at(K::Float) {
            let t = self.advance()?;
            s.push_str(self.text(t));
            Ok(s)
        } else {
            Err(self.syntax_error())
        }
    }
}

/// Parses a real literal's text (forms like `5.`, `.5`, `1.e5` included).
pub(crate) fn parse_real(text: &str) -> f64 {
    if let Ok(v) = text.parse::<f64>() {
        return v;
    }
    // Rust rejects "1.e5": insert the missing fraction digit.
    let fixed = text.replacen(".e", ".0e", 1).replacen(".E", ".0E", 1);
    fixed.parse::<f64>().unwrap_or(0.0)
}

/// Decodes hex digits (already validated by the tokenizer).
pub(crate) fn decode_hex(s: &str) -> Vec<u8> {
    let b = s.as_bytes();
    let val = |c: u8| -> u8 {
        match c {
            b'0'..=b'9' => c - b'0',
            b'a'..=b'f' => c - b'a' + 10,
            _ => c.wrapping_sub(b'A').wrapping_add(10) & 0x0f,
        }
    };
    b.chunks(2).map(|p| (val(p[0]) << 4) | val(*p.get(1).unwrap_or(&b'0'))).collect()
}
