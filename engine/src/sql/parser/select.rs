//! SELECT: WITH, compounds, cores, result columns, FROM with joins, WINDOW, ORDER BY, LIMIT.
//!
//! Invariants:
//! 1. As in SQLite's grammar, every core may carry ORDER BY and LIMIT while parsing; only the
//!    last core's are kept, and one on an earlier core is the action error
//!    `ORDER BY clause should come after UNION not before` (naming the operator to its right).
//! 2. A VALUES core takes no ORDER BY or LIMIT of its own (they are a syntax error after it).
//! 3. The join-type words are checked as SQLite does: unknown words, `OUTER` without LEFT/RIGHT,
//!    and INNER/CROSS with OUTER are `unknown join type: <words>`.

use super::{PResult, StmtParser, K, MAX_COMPOUND_SELECT};
use crate::sql::ast::*;

impl<'a> StmtParser<'a> {
    /// `WITH [RECURSIVE] cte, ...`
    pub(crate) fn with_clause(&mut self) -> PResult<With> {
        self.expect(K::With)?;
        let recursive = self.eat(K::Recursive)?;
        let mut ctes = Vec::new();
        loop {
            let name = self.nm()?;
            let columns = if self.at(K::LParen) { self.eidlist_in_parens()? } else { Vec::new() };
            self.expect(K::As)?;
            let materialized = if self.eat(K::Materialized)? {
                Some(true)
            } else if self.at(K::Not) {
                self.advance()?;
                self.expect(K::Materialized)?;
                Some(false)
            } else {
                None
            };
            self.expect(K::LParen)?;
            self.enter(1, 2)?;
            let r = self.subselect();
            self.leave(1);
            let (select, _) = r?;
            self.expect(K::RParen)?;
            ctes.push(CommonTableExpr { name, columns, materialized, select });
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(With { recursive, ctes })
    }

    /// A SELECT statement (at SELECT, VALUES or WITH).
    pub(crate) fn select(&mut self) -> PResult<Box<Select>> {
        if self.at(K::With) {
            let with = self.with_clause()?;
            if !matches!(self.tok.kind, K::Select | K::Values) {
                return Err(self.syntax_error());
            }
            self.select_after_with(Some(with))
        } else {
            self.select_after_with(None)
        }
    }

    /// The compound after an optional WITH clause.
    pub(crate) fn select_after_with(&mut self, with: Option<With>) -> PResult<Box<Select>> {
        let (first, mut order_by, mut limit) = self.oneselect()?;
        let mut compounds = Vec::new();
        // (index of core, has ORDER BY) for cores that carried ORDER BY/LIMIT (invariant 1).
        let mut misplaced: Vec<(usize, bool)> = Vec::new();
        loop {
            let op = match self.tok.kind {
                K::Union => {
                    self.advance()?;
                    if self.eat(K::All)? {
                        CompoundOp::UnionAll
                    } else {
                        CompoundOp::Union
                    }
                }
                K::Intersect => {
                    self.advance()?;
                    CompoundOp::Intersect
                }
                K::Except => {
                    self.advance()?;
                    CompoundOp::Except
                }
                _ => break,
            };
            if !order_by.is_empty() || limit.is_some() {
                misplaced.push((compounds.len(), !order_by.is_empty()));
            }
            if !matches!(self.tok.kind, K::Select | K::Values) {
                return Err(self.syntax_error());
            }
            let (core, o, l) = self.oneselect()?;
            order_by = o;
            limit = l;
            compounds.push((op, core));
        }
        if let Some(&(i, has_order)) = misplaced.last() {
            let op = match compounds[i].0 {
                CompoundOp::Union => "UNION",
                CompoundOp::UnionAll => "UNION ALL",
                CompoundOp::Intersect => "INTERSECT",
                CompoundOp::Except => "EXCEPT",
            };
            let what = if has_order { "ORDER BY" } else { "LIMIT" };
            self.defer(self.error(format!("{what} clause should come after {op} not before")));
        }
        if compounds.len() + 1 > MAX_COMPOUND_SELECT {
            self.defer(self.error("too many terms in compound SELECT"));
        }
        Ok(Box::new(Select { with, body: SelectBody { first, compounds }, order_by, limit }))
    }

    /// One core with its own ORDER BY and LIMIT.
    fn oneselect(&mut self) -> PResult<(SelectCore, Vec<OrderingTerm>, Option<Limit>)> {
        if self.at(K::Values) {
            return Ok((self.values()?, Vec::new(), None));
        }
        self.expect(K::Select)?;
        self.enter(4, 1)?;
        let r = self.query_spec();
        self.leave(4);
        let spec = r?;
        self.enter(9, 0)?;
        let r = self.order_by_and_limit();
        self.leave(9);
        let (order_by, limit) = r?;
        Ok((SelectCore::Select(Box::new(spec)), order_by, limit))
    }

    fn order_by_and_limit(&mut self) -> PResult<(Vec<OrderingTerm>, Option<Limit>)> {
        let order_by = self.order_by_opt()?;
        Ok((order_by, self.limit_opt()?))
    }

    fn values(&mut self) -> PResult<SelectCore> {
        self.expect(K::Values)?;
        let mut rows: Vec<Vec<Expr>> = Vec::new();
        loop {
            self.reserve_for_next(&mut rows, ends_select_clause);
            self.expect(K::LParen)?;
            let row = self.nexprlist_in_parens()?;
            self.expect(K::RParen)?;
            // Rows of different lengths are refused when the statement is coded ("all VALUES
            // must have the same number of terms"), not by the parser.
            rows.push(row);
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(SelectCore::Values(rows))
    }

    fn query_spec(&mut self) -> PResult<QuerySpec> {
        let distinct = match self.tok.kind {
            K::Distinct => {
                self.advance()?;
                Some(Distinctness::Distinct)
            }
            K::All => {
                self.advance()?;
                Some(Distinctness::All)
            }
            _ => None,
        };
        let columns = self.result_columns()?;
        let from = if self.eat(K::From)? { Some(self.parse_from()?) } else { None };
        let where_clause = if self.eat(K::Where)? { Some(self.costed_expr(1)?) } else { None };
        let mut group_by = Vec::new();
        if self.at(K::Group) {
            self.advance()?;
            self.expect(K::By)?;
            group_by = self.nexprlist()?;
        }
        let having = if self.eat(K::Having)? { Some(self.expr()?) } else { None };
        let mut windows = Vec::new();
        if self.at(K::Window) {
            self.advance()?;
            loop {
                let name = self.nm()?;
                self.expect(K::As)?;
                let window = self.window_spec()?;
                windows.push(WindowDefinition { name, window });
                if !self.eat(K::Comma)? {
                    break;
                }
            }
        }
        Ok(QuerySpec { distinct, columns, from, where_clause, group_by, having, windows })
    }

    /// An expression parsed `cost` parser-stack entries deeper (invariant 5 of the parser).
    pub(crate) fn costed_expr(&mut self, cost: u32) -> PResult<Expr> {
        self.enter(cost, 0)?;
        let r = self.expr();
        self.leave(cost);
        r
    }

    /// SQLite's `selcollist` (also RETURNING's list).
    pub(crate) fn result_columns(&mut self) -> PResult<Vec<ResultColumn>> {
        let mut v = Vec::new();
        loop {
            self.reserve_for_next(&mut v, ends_select_clause);
            v.push(self.result_column()?);
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(v)
    }

    fn result_column(&mut self) -> PResult<ResultColumn> {
        if self.at(K::Star) {
            self.advance()?;
            return Ok(ResultColumn::Star);
        }
        // CAST, RAISE and CURRENT_* are keywords where an expression may start.
        let expr_keyword = matches!(
            self.tok.kind,
            K::Cast | K::Raise | K::CurrentDate | K::CurrentTime | K::CurrentTimestamp
        );
        if !expr_keyword && self.tok.kind.is_nm() && self.peek2_kinds() == (K::Dot, K::Star) {
            let t = self.advance()?;
            self.advance()?;
            self.advance()?;
            return Ok(ResultColumn::TableStar(self.dequote(t)));
        }
        let start = self.tok.start;
        let expr = self.expr()?;
        let span = Span { start, end: self.prev_end };
        let alias = self.alias()?;
        Ok(ResultColumn::Expr { expr, alias, span })
    }

    /// SQLite's `as`: `AS nm`, a bare `ids`, or nothing.
    pub(crate) fn alias(&mut self) -> PResult<Option<Name>> {
        if self.eat(K::As)? {
            return Ok(Some(self.nm()?));
        }
        if self.tok.kind.is_ids() {
            return Ok(Some(self.ids()?));
        }
        Ok(None)
    }

    /// `ORDER BY sortlist` if present.
    pub(crate) fn order_by_opt(&mut self) -> PResult<Vec<OrderingTerm>> {
        if !self.at(K::Order) {
            return Ok(Vec::new());
        }
        self.advance()?;
        self.expect(K::By)?;
        self.sortlist()
    }

    /// `expr [ASC|DESC] [NULLS FIRST|LAST], ...`
    pub(crate) fn sortlist(&mut self) -> PResult<Vec<OrderingTerm>> {
        let mut v = Vec::new();
        loop {
            self.reserve_for_next(&mut v, ends_select_clause);
            let expr = self.expr()?;
            let order = self.sort_order()?;
            let nulls = if self.at(K::Nulls) {
                self.advance()?;
                match self.tok.kind {
                    K::First => {
                        self.advance()?;
                        Some(NullsOrder::First)
                    }
                    K::Last => {
                        self.advance()?;
                        Some(NullsOrder::Last)
                    }
                    _ => return Err(self.syntax_error()),
                }
            } else {
                None
            };
            v.push(OrderingTerm { expr, order, nulls });
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(v)
    }

    pub(crate) fn sort_order(&mut self) -> PResult<Option<SortOrder>> {
        Ok(match self.tok.kind {
            K::Asc => {
                self.advance()?;
                Some(SortOrder::Asc)
            }
            K::Desc => {
                self.advance()?;
                Some(SortOrder::Desc)
            }
            _ => None,
        })
    }

    /// `LIMIT expr [OFFSET expr | , expr]` if present.
    pub(crate) fn limit_opt(&mut self) -> PResult<Option<Limit>> {
        if !self.eat(K::Limit)? {
            return Ok(None);
        }
        let first = self.expr()?;
        if self.eat(K::Offset)? {
            let offset = self.expr()?;
            return Ok(Some(Limit { limit: first, offset: Some(offset) }));
        }
        if self.eat(K::Comma)? {
            let limit = self.expr()?;
            return Ok(Some(Limit { limit, offset: Some(first) }));
        }
        Ok(Some(Limit { limit: first, offset: None }))
    }

    // ----- FROM -------------------------------------------------------------------------

    /// SQLite's `seltablist` (after FROM).
    pub(crate) fn parse_from(&mut self) -> PResult<FromClause> {
        self.enter(2, 0)?;
        let r = self.seltablist();
        self.leave(2);
        r
    }

    fn seltablist(&mut self) -> PResult<FromClause> {
        let (first, constraint) = self.parse_from_item()?;
        if let Some(c) = constraint {
            let what = if matches!(c, JoinConstraint::On(_)) { "ON" } else { "USING" };
            self.defer(self.error(format!("a JOIN clause is required before {what}")));
        }
        let mut joins = Vec::new();
        loop {
            let op = match self.tok.kind {
                K::Comma => {
                    self.advance()?;
                    JoinOperator { natural: false, kind: JoinKind::Comma }
                }
                K::Join => {
                    self.advance()?;
                    JoinOperator { natural: false, kind: JoinKind::Inner }
                }
                k if k.is_join_kw() => self.join_operator()?,
                _ => break,
            };
            // NATURAL with ON/USING is refused later, when SQLite processes the join
            // ("a NATURAL join may not have an ON or USING clause"): not a parse error.
            let (item, constraint) = self.parse_from_item()?;
            joins.push(Join { op, item, constraint });
        }
        Ok(FromClause { first, joins })
    }

    /// `JOIN_KW [nm [nm]] JOIN` (invariant 3).
    fn join_operator(&mut self) -> PResult<JoinOperator> {
        // At most three words before JOIN: kept on the stack.
        let mut buf = [self.advance()?; 3];
        let mut n = 1;
        while !self.at(K::Join) {
            if n == 3 || !self.tok.kind.is_nm() {
                return Err(self.syntax_error());
            }
            buf[n] = self.advance()?;
            n += 1;
        }
        let words = &buf[..n];
        self.advance()?; // JOIN
        let (mut natural, mut left, mut right, mut outer, mut inner, mut cross, mut bad) =
            (false, false, false, false, false, false, false);
        for w in words {
            match w.kind {
                K::Natural => natural = true,
                K::Left => {
                    left = true;
                    outer = true
                }
                K::Right => {
                    right = true;
                    outer = true
                }
                K::Full => {
                    left = true;
                    right = true;
                    outer = true
                }
                K::Outer => outer = true,
                K::Inner => inner = true,
                K::Cross => {
                    inner = true;
                    cross = true
                }
                _ => bad = true,
            }
        }
        if bad || (inner && outer) || (outer && !left && !right) {
            let text: Vec<&str> = words.iter().map(|t| self.text(*t)).collect();
            let msg = format!("unknown join type: {}", text.join(" "));
            self.defer(self.error_at(msg, words[0]));
        }
        let kind = if left && right {
            JoinKind::Full
        } else if left {
            JoinKind::Left
        } else if right {
            JoinKind::Right
        } else if cross {
            JoinKind::Cross
        } else {
            JoinKind::Inner
        };
        Ok(JoinOperator { natural, kind })
    }

    /// One FROM item with its alias and its ON/USING (if any).
    fn parse_from_item(&mut self) -> PResult<(FromItem, Option<JoinConstraint>)> {
        let item = if self.at(K::LParen) {
            let cost =
                if matches!(self.peek_kind(), K::Select | K::Values | K::With) { 0 } else { 2 };
            self.enter(cost, 2)?;
            let r = self.parenthesized_from_item();
            self.leave(cost);
            r?
        } else {
            let name = self.fullname()?;
            if self.at(K::LParen) {
                self.advance()?;
                let (args, _) = self.expr_list_until_rparen()?;
                self.expect(K::RParen)?;
                let alias = self.alias()?;
                FromItem::Function { name, args, alias }
            } else {
                let alias = self.alias()?;
                let indexed = self.indexed_opt()?;
                FromItem::Table { name, alias, indexed }
            }
        };
        let constraint = self.on_using()?;
        Ok((item, constraint))
    }

    fn parenthesized_from_item(&mut self) -> PResult<FromItem> {
        self.advance()?;
        if self.at_select_start() {
            let (select, _) = self.subselect()?;
            self.expect(K::RParen)?;
            let alias = self.alias()?;
            return Ok(FromItem::Subquery { select, alias });
        }
        let inner = self.seltablist()?;
        self.expect(K::RParen)?;
        let alias = self.alias()?;
        if inner.joins.is_empty() {
            // `(t)` is `t`; an outer alias replaces the inner one.
            let mut item = inner.first;
            if alias.is_some() {
                match &mut item {
                    FromItem::Table { alias: a, .. }
                    | FromItem::Function { alias: a, .. }
                    | FromItem::Subquery { alias: a, .. }
                    | FromItem::Join { alias: a, .. } => *a = alias,
                }
            }
            return Ok(item);
        }
        Ok(FromItem::Join { from: Box::new(inner), alias })
    }

    /// `INDEXED BY nm | NOT INDEXED` if present.
    pub(crate) fn indexed_opt(&mut self) -> PResult<Option<Indexed>> {
        if self.at(K::Indexed) {
            self.advance()?;
            self.expect(K::By)?;
            return Ok(Some(Indexed::By(self.nm()?)));
        }
        if self.at(K::Not) {
            self.advance()?;
            self.expect(K::Indexed)?;
            return Ok(Some(Indexed::NotIndexed));
        }
        Ok(None)
    }

    fn on_using(&mut self) -> PResult<Option<JoinConstraint>> {
        if self.eat(K::On)? {
            return Ok(Some(JoinConstraint::On(self.costed_expr(3)?)));
        }
        if self.eat(K::Using)? {
            return Ok(Some(JoinConstraint::Using(self.idlist_in_parens()?)));
        }
        Ok(None)
    }

    // ----- windows ----------------------------------------------------------------------

    /// `( [base] [PARTITION BY ...] [ORDER BY ...] [frame] )`
    pub(crate) fn window_spec(&mut self) -> PResult<WindowSpec> {
        self.expect(K::LParen)?;
        let base = match self.tok.kind {
            K::Partition | K::Order | K::Range | K::Rows | K::Groups | K::RParen => None,
            k if k.is_nm() => Some(self.nm()?),
            _ => None,
        };
        let mut partition_by = Vec::new();
        if self.at(K::Partition) {
            self.advance()?;
            self.expect(K::By)?;
            partition_by = self.nexprlist()?;
        }
        let order_by = self.order_by_opt()?;
        let frame = match self.tok.kind {
            K::Range | K::Rows | K::Groups => Some(self.frame_spec()?),
            _ => None,
        };
        self.expect(K::RParen)?;
        Ok(WindowSpec { base, partition_by, order_by, frame })
    }

    fn frame_spec(&mut self) -> PResult<FrameSpec> {
        let units = match self.advance()?.kind {
            K::Range => FrameUnits::Range,
            K::Rows => FrameUnits::Rows,
            _ => FrameUnits::Groups,
        };
        let (start, end) = if self.eat(K::Between)? {
            let s = self.frame_bound(true)?;
            self.expect(K::And)?;
            let e = self.frame_bound(false)?;
            (s, Some(e))
        } else {
            (self.frame_bound(true)?, None)
        };
        let exclude = if self.eat(K::Exclude)? {
            Some(match self.tok.kind {
                K::No => {
                    self.advance()?;
                    self.expect(K::Others)?;
                    FrameExclude::NoOthers
                }
                K::Current => {
                    self.advance()?;
                    self.expect(K::Row)?;
                    FrameExclude::CurrentRow
                }
                K::Group => {
                    self.advance()?;
                    FrameExclude::Group
                }
                K::Ties => {
                    self.advance()?;
                    FrameExclude::Ties
                }
                _ => return Err(self.syntax_error()),
            })
        } else {
            None
        };
        // sqlite3WindowAlloc's check (a frame may not end before it starts).
        let s_following = matches!(start, FrameBound::Following(_));
        let e_kind = match &end {
            None | Some(FrameBound::CurrentRow) => 1,
            Some(FrameBound::Preceding(_)) => 0,
            _ => 2,
        };
        if (matches!(start, FrameBound::CurrentRow) && e_kind == 0) || (s_following && e_kind <= 1)
        {
            self.defer(self.error("unsupported frame specification"));
        }
        Ok(FrameSpec { units, start, end, exclude })
    }

    fn frame_bound(&mut self, is_start: bool) -> PResult<FrameBound> {
        if self.at(K::Unbounded) {
            self.advance()?;
            if is_start {
                self.expect(K::Preceding)?;
                return Ok(FrameBound::UnboundedPreceding);
            }
            self.expect(K::Following)?;
            return Ok(FrameBound::UnboundedFollowing);
        }
        if self.at(K::Current) {
            self.advance()?;
            self.expect(K::Row)?;
            return Ok(FrameBound::CurrentRow);
        }
        let e = self.expr()?;
        match self.tok.kind {
            K::Preceding => {
                self.advance()?;
                Ok(FrameBound::Preceding(e))
            }
            K::Following => {
                self.advance()?;
                Ok(FrameBound::Following(e))
            }
            _ => Err(self.syntax_error()),
        }
    }
}

/// Whether a keyword (outside parentheses) ends a result-column or ORDER BY list: what may
/// follow one in a SELECT, a RETURNING clause or an UPDATE/DELETE (for [`list_len_hint_until`]).
///
/// [`list_len_hint_until`]: StmtParser::list_len_hint_until
fn ends_select_clause(k: K) -> bool {
    matches!(
        k,
        K::From
            | K::Where
            | K::Group
            | K::Having
            | K::Window
            | K::Order
            | K::Limit
            | K::Union
            | K::Intersect
            | K::Except
            | K::On
            | K::Returning
    )
}
