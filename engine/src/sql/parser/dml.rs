//! INSERT, REPLACE, UPDATE, DELETE (statement forms; trigger-body forms are in `ddl`).
//!
//! Invariants:
//! 1. Only the last ON CONFLICT clause may lack a target (the grammar enforces it: a
//!    targetless clause is followed only by RETURNING or the end).
//! 2. UPDATE/DELETE take `ORDER BY`/`LIMIT` after RETURNING (Debian builds SQLite with
//!    SQLITE_ENABLE_UPDATE_DELETE_LIMIT); ORDER BY without LIMIT is SQLite's error
//!    `ORDER BY without LIMIT on UPDATE|DELETE`, raised when the statement is complete.

use super::{PResult, StmtParser, K};
use crate::sql::ast::*;

impl<'a> StmtParser<'a> {
    /// SQLite's `xfullname`: `nm [. nm] [AS nm]`.
    pub(crate) fn xfullname(&mut self) -> PResult<(QualifiedName, Option<Name>)> {
        let name = self.fullname()?;
        let alias = if self.eat(K::As)? { Some(self.nm()?) } else { None };
        Ok((name, alias))
    }

    /// `INSERT [OR r] | REPLACE`
    pub(crate) fn insert_cmd(&mut self) -> PResult<Option<ResolveType>> {
        if self.eat(K::Replace)? {
            return Ok(Some(ResolveType::Replace));
        }
        self.expect(K::Insert)?;
        self.orconf()
    }

    /// `[OR resolvetype]`
    pub(crate) fn orconf(&mut self) -> PResult<Option<ResolveType>> {
        if self.eat(K::Or)? {
            return Ok(Some(self.resolvetype()?));
        }
        Ok(None)
    }

    pub(crate) fn insert(&mut self, with: Option<With>) -> PResult<Insert> {
        let or_conflict = self.insert_cmd()?;
        self.expect(K::Into)?;
        let (table, alias) = self.xfullname()?;
        let columns = if self.at(K::LParen) { self.idlist_in_parens()? } else { Vec::new() };
        let (source, upsert, returning) = self.insert_tail()?;
        Ok(Insert { with, or_conflict, table, alias, columns, source, upsert, returning })
    }

    /// The part of an INSERT after the column list: source, upserts, RETURNING. Trigger bodies
    /// have no DEFAULT VALUES form.
    pub(crate) fn insert_tail(
        &mut self,
    ) -> PResult<(InsertSource, Vec<Upsert>, Vec<ResultColumn>)> {
        if self.at(K::Default) && !self.in_trigger {
            self.advance()?;
            self.expect(K::Values)?;
            let returning = self.returning_opt()?;
            return Ok((InsertSource::DefaultValues, Vec::new(), returning));
        }
        if !self.at_select_start() {
            return Err(self.syntax_error());
        }
        self.enter(7, 0)?;
        let select = self.select();
        self.leave(7);
        let select = select?;
        let mut upsert = Vec::new();
        while self.at(K::On) {
            self.advance()?;
            self.expect(K::Conflict)?;
            let target = if self.at(K::LParen) {
                self.advance()?;
                let columns = self.sortlist()?;
                self.expect(K::RParen)?;
                let where_clause = if self.eat(K::Where)? { Some(self.expr()?) } else { None };
                Some(UpsertTarget { columns, where_clause })
            } else {
                None
            };
            self.expect(K::Do)?;
            let action = if self.eat(K::Nothing)? {
                UpsertAction::Nothing
            } else {
                self.expect(K::Update)?;
                self.expect(K::Set)?;
                let sets = self.setlist()?;
                let where_clause = if self.eat(K::Where)? { Some(self.expr()?) } else { None };
                UpsertAction::Update { sets, where_clause }
            };
            let last = target.is_none();
            upsert.push(Upsert { target, action });
            if last {
                break;
            }
        }
        let returning = self.returning_opt()?;
        Ok((InsertSource::Select(select), upsert, returning))
    }

    /// `RETURNING selcollist` if present.
    pub(crate) fn returning_opt(&mut self) -> PResult<Vec<ResultColumn>> {
        if !self.at(K::Returning) {
            return Ok(Vec::new());
        }
        self.advance()?;
        let cols = self.result_columns()?;
        if self.in_trigger {
            self.defer(self.error("cannot use RETURNING in a trigger"));
        }
        Ok(cols)
    }

    /// `nm = expr | (nm, ...) = expr, ...`
    pub(crate) fn setlist(&mut self) -> PResult<Vec<Assignment>> {
        let mut v = Vec::new();
        loop {
            let columns =
                if self.at(K::LParen) { self.idlist_in_parens()? } else { vec![self.nm()?] };
            self.expect(K::Eq)?;
            let expr = self.expr()?;
            v.push(Assignment { columns, expr });
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(v)
    }

    pub(crate) fn update(&mut self, with: Option<With>) -> PResult<Update> {
        self.expect(K::Update)?;
        let or_conflict = self.orconf()?;
        let (table, alias) = self.xfullname()?;
        let indexed = self.indexed_opt()?;
        self.expect(K::Set)?;
        self.enter(8, 0)?;
        let sets = self.setlist();
        self.leave(8);
        let sets = sets?;
        let from = if self.eat(K::From)? { Some(self.parse_from()?) } else { None };
        let where_clause = if self.eat(K::Where)? { Some(self.costed_expr(6)?) } else { None };
        let returning = self.returning_opt()?;
        let order_by = self.order_by_opt()?;
        let limit = self.limit_opt()?;
        if !order_by.is_empty() && limit.is_none() {
            self.defer(self.error("ORDER BY without LIMIT on UPDATE"));
        }
        Ok(Update {
            with,
            or_conflict,
            table,
            alias,
            indexed,
            sets,
            from,
            where_clause,
            returning,
            order_by,
            limit,
        })
    }

    pub(crate) fn delete(&mut self, with: Option<With>) -> PResult<Delete> {
        self.expect(K::Delete)?;
        self.expect(K::From)?;
        let (table, alias) = self.xfullname()?;
        let indexed = self.indexed_opt()?;
        let where_clause = if self.eat(K::Where)? { Some(self.costed_expr(6)?) } else { None };
        let returning = self.returning_opt()?;
        let order_by = self.order_by_opt()?;
        let limit = self.limit_opt()?;
        if !order_by.is_empty() && limit.is_none() {
            self.defer(self.error("ORDER BY without LIMIT on DELETE"));
        }
        Ok(Delete { with, table, alias, indexed, where_clause, returning, order_by, limit })
    }
}
