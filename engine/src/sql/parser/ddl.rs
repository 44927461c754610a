//! CREATE TABLE/INDEX/VIEW/TRIGGER/VIRTUAL TABLE, DROP, ALTER TABLE.
//!
//! Invariants:
//! 1. Table constraints may be separated by commas or by nothing (`UNIQUE(a) CHECK(b)`), and
//!    once one appears no column definition may follow, as in SQLite's grammar.
//! 2. A type name is every identifier-like word after the column name (fallback keywords
//!    included: `x GENERATED` declares type "GENERATED", as in SQLite), then `(n[, m])`.
//! 3. A CONSTRAINT name applies to the constraint that follows it; a dangling one is dropped.
//! 4. Trigger bodies use SQLite's restricted statement forms: unqualified table names
//!    (`qualified table names are not allowed on INSERT, UPDATE, and DELETE statements within
//!    triggers`), no INDEXED BY / NOT INDEXED, no RETURNING, no WITH before DML.
//! 5. Virtual-table arguments are raw token runs split at top-level commas.

use super::{PResult, StmtParser, K, MAX_COLUMN};
use crate::sql::ast::*;

impl<'a> StmtParser<'a> {
    /// `CREATE ...`
    pub(crate) fn create(&mut self) -> PResult<Stmt> {
        self.expect(K::Create)?;
        let temp = self.eat(K::Temp)?;
        match self.tok.kind {
            K::Table => self.create_table(temp),
            K::View => self.create_view(temp),
            K::Trigger => self.create_trigger(temp),
            K::Unique | K::Index if !temp => self.create_index(),
            K::Virtual if !temp => self.create_virtual_table(),
            _ => Err(self.syntax_error()),
        }
    }

    /// `nm [. nm]` as used after CREATE: also returns where the name starts.
    fn created_name(&mut self) -> PResult<(QualifiedName, u32)> {
        let start = self.tok.start;
        Ok((self.fullname()?, start))
    }

    fn create_table(&mut self, temp: bool) -> PResult<Stmt> {
        self.advance()?;
        let if_not_exists = self.if_not_exists()?;
        let (name, start) = self.created_name()?;
        let body = if self.eat(K::As)? {
            if !self.at_select_start() {
                return Err(self.syntax_error());
            }
            CreateTableBody::AsSelect(self.select()?)
        } else {
            self.expect(K::LParen)?;
            let mut columns = Vec::new();
            let mut constraints = Vec::new();
            loop {
                columns.push(self.column_def()?);
                if columns.len() == MAX_COLUMN + 1 {
                    self.defer(self.error(format!("too many columns on {}", name.name)));
                }
                if !self.eat(K::Comma)? {
                    break;
                }
                if self.at_table_constraint_start() {
                    constraints = self.table_constraints()?;
                    break;
                }
            }
            self.expect(K::RParen)?;
            let options = self.table_options()?;
            CreateTableBody::Columns { columns, constraints, options }
        };
        let text_from_name = Span { start, end: self.prev_end };
        Ok(Stmt::CreateTable(Box::new(CreateTable {
            temp,
            if_not_exists,
            name,
            body,
            text_from_name,
        })))
    }

    fn at_table_constraint_start(&self) -> bool {
        matches!(self.tok.kind, K::Constraint | K::Primary | K::Unique | K::Check | K::Foreign)
    }

    /// `[WITHOUT nm | nm], ...` after the column list.
    fn table_options(&mut self) -> PResult<TableOptions> {
        let mut opts = TableOptions::default();
        // SQLite's table_option_set may begin empty: `) , STRICT` is accepted.
        let mut first = true;
        loop {
            if first && self.at(K::Comma) {
                first = false;
                self.advance()?;
                continue;
            }
            if first && !(self.tok.kind.is_nm() || self.at(K::Without)) {
                return Ok(opts);
            }
            first = false;
            if self.at(K::Without) {
                self.advance()?;
                let t = self.tok;
                self.nm()?;
                if self.text(t).eq_ignore_ascii_case("rowid") {
                    opts.without_rowid = true;
                } else {
                    self.defer(self.error(format!("unknown table option: {}", self.text(t))));
                }
            } else {
                let t = self.tok;
                self.nm()?;
                if self.text(t).eq_ignore_ascii_case("strict") {
                    opts.strict = true;
                } else {
                    self.defer(self.error(format!("unknown table option: {}", self.text(t))));
                }
            }
            if !self.eat(K::Comma)? {
                break;
            }
        }
        Ok(opts)
    }

    /// `name [type] [constraint...]`
    pub(crate) fn column_def(&mut self) -> PResult<ColumnDef> {
        let start = self.tok.start;
        let name = self.nm()?;
        let type_name = self.type_name()?;
        let mut constraints = Vec::new();
        let mut cname: Option<Name> = None;
        loop {
            if self.at(K::Constraint) {
                self.advance()?;
                cname = Some(self.nm()?);
                continue;
            }
            let Some(kind) = self.column_constraint(&name)? else { break };
            // A deferrable clause belongs to the REFERENCES just before it, as in SQLite.
            if let ColumnConstraintKind::Deferrable(d) = &kind {
                if let Some(ColumnConstraint {
                    kind: ColumnConstraintKind::References(fk), ..
                }) = constraints.last_mut()
                {
                    if fk.deferrable.is_none() {
                        fk.deferrable = Some(*d);
                        cname = None;
                        continue;
                    }
                }
            }
            constraints.push(ColumnConstraint { name: cname.take(), kind });
        }
        Ok(ColumnDef { name, type_name, constraints, span: Span { start, end: self.prev_end } })
    }

    fn column_constraint(&mut self, column: &str) -> PResult<Option<ColumnConstraintKind>> {
        use ColumnConstraintKind as C;
        Ok(Some(match self.tok.kind {
            K::Default => {
                self.advance()?;
                self.default_value()?
            }
            K::Null => {
                self.advance()?;
                C::Null { conflict: self.onconf()? }
            }
            K::Not => {
                self.advance()?;
                if self.eat(K::Deferrable)? {
                    C::Deferrable(self.deferrable_tail(true)?)
                } else {
                    self.expect(K::Null)?;
                    C::NotNull { conflict: self.onconf()? }
                }
            }
            K::Primary => {
                self.advance()?;
                self.expect(K::Key)?;
                let order = self.sort_order()?;
                let conflict = self.onconf()?;
                let autoincrement = self.eat(K::Autoincrement)?;
                C::PrimaryKey { order, conflict, autoincrement }
            }
            K::Unique => {
                self.advance()?;
                C::Unique { conflict: self.onconf()? }
            }
            K::Check => {
                self.advance()?;
                self.expect(K::LParen)?;
                let start = self.tok.start;
                let expr = self.costed_expr(6)?;
                let span = self.span_to_here(start);
                self.expect(K::RParen)?;
                C::Check { expr, span }
            }
            K::References => C::References(self.references(false)?),
            K::Deferrable => {
                self.advance()?;
                C::Deferrable(self.deferrable_tail(false)?)
            }
            K::Collate => {
                self.advance()?;
                C::Collate(self.ids()?)
            }
            K::Generated => {
                self.advance()?;
                self.expect(K::Always)?;
                self.expect(K::As)?;
                self.generated(column)?
            }
            K::As => {
                self.advance()?;
                self.generated(column)?
            }
            _ => return Ok(None),
        }))
    }

    /// After DEFAULT: `term | (expr) | +term | -term | id`.
    fn default_value(&mut self) -> PResult<ColumnConstraintKind> {
        let t = self.tok;
        match t.kind {
            K::LParen => {
                self.advance()?;
                let start = self.tok.start;
                let expr = self.expr()?;
                let span = Span { start, end: self.prev_end };
                self.expect(K::RParen)?;
                Ok(ColumnConstraintKind::Default { expr, span })
            }
            K::Plus | K::Minus => {
                self.advance()?;
                let term = self.default_term()?;
                let expr = if t.kind == K::Minus {
                    match term {
                        Expr::Literal(Literal::Integer(i)) if i != i64::MIN => {
                            Expr::Literal(Literal::Integer(-i))
                        }
                        Expr::Literal(Literal::Real(r)) => Expr::Literal(Literal::Real(-r)),
                        other => Expr::Unary { op: UnaryOp::Negate, expr: self.arena.put(other) },
                    }
                } else {
                    Expr::Unary { op: UnaryOp::Plus, expr: self.arena.put(term) }
                };
                Ok(ColumnConstraintKind::Default {
                    expr,
                    span: Span { start: t.start, end: self.prev_end },
                })
            }
            // CURRENT_TIME/DATE/TIMESTAMP may serve as names, but a DEFAULT takes them as
            // themselves (SQLite's parser prefers the keyword where the grammar has it).
            k if k.is_id() && !matches!(k, K::CurrentDate | K::CurrentTime | K::CurrentTimestamp) => {
                // `DEFAULT name`: a string, except that true/false are booleans.
                self.advance()?;
                let name = self.dequote(t);
                let expr = if name.eq_ignore_ascii_case("true") {
                    Expr::Literal(Literal::Integer(1))
                } else if name.eq_ignore_ascii_case("false") {
                    Expr::Literal(Literal::Integer(0))
                } else {
                    Expr::Literal(Literal::String(name))
                };
                Ok(ColumnConstraintKind::Default {
                    expr,
                    span: Span { start: t.start, end: t.end },
                })
            }
            _ => {
                let expr = self.default_term()?;
                Ok(ColumnConstraintKind::Default {
                    expr,
                    span: Span { start: t.start, end: self.prev_end },
                })
            }
        }
    }

    /// SQLite's `term` in DEFAULT: NULL, a number, string, blob or CURRENT_*.
    fn default_term(&mut self) -> PResult<Expr> {
        match self.tok.kind {
            K::Null
            | K::Integer
            | K::Float
            | K::String
            | K::Blob
            | K::CurrentDate
            | K::CurrentTime
            | K::CurrentTimestamp => {
                if self.at(K::String) {
                    // A string here is a term even before a dot.
                    let t = self.advance()?;
                    return Ok(Expr::Literal(Literal::String(self.dequote(t))));
                }
                self.expr_primary_only()
            }
            _ => Err(self.syntax_error()),
        }
    }

    /// `(expr) [STORED|VIRTUAL]` after `AS`.
    fn generated(&mut self, column: &str) -> PResult<ColumnConstraintKind> {
        self.expect(K::LParen)?;
        let expr = self.expr()?;
        self.expect(K::RParen)?;
        let mut stored = false;
        if self.at(K::Id) || self.tok.kind.fallback_id() {
            let t = self.advance()?;
            let word = self.text(t);
            if word.eq_ignore_ascii_case("stored") {
                stored = true;
            } else if !word.eq_ignore_ascii_case("virtual") {
                self.defer(self.error(format!("error in generated column \"{column}\"")));
            }
        }
        Ok(ColumnConstraintKind::Generated { expr, stored })
    }

    /// `REFERENCES nm [(cols)] refargs`, then at table level `[[NOT] DEFERRABLE ...]` (a
    /// column's deferrable clause is a constraint of its own).
    fn references(&mut self, table_level: bool) -> PResult<ForeignKeyClause> {
        self.expect(K::References)?;
        let table = self.nm()?;
        let columns = if self.at(K::LParen) { self.eidlist_in_parens()? } else { Vec::new() };
        let mut fk = ForeignKeyClause {
            table,
            columns,
            on_delete: None,
            on_update: None,
            match_name: None,
            deferrable: None,
        };
        loop {
            if self.at(K::Match) {
                self.advance()?;
                fk.match_name = Some(self.nm()?);
            } else if self.at(K::On) {
                self.advance()?;
                let which = self.tok.kind;
                if !matches!(which, K::Delete | K::Update | K::Insert) {
                    return Err(self.syntax_error());
                }
                self.advance()?;
                let action = self.fk_action()?;
                match which {
                    K::Delete => fk.on_delete = Some(action),
                    K::Update => fk.on_update = Some(action),
                    _ => {}
                }
            } else {
                break;
            }
        }
        if table_level {
            if self.at(K::Deferrable) {
                self.advance()?;
                fk.deferrable = Some(self.deferrable_tail(false)?);
            } else if self.at(K::Not) {
                self.advance()?;
                self.expect(K::Deferrable)?;
                fk.deferrable = Some(self.deferrable_tail(true)?);
            }
        }
        Ok(fk)
    }

    fn fk_action(&mut self) -> PResult<ForeignKeyAction> {
        Ok(match self.tok.kind {
            K::Set => {
                self.advance()?;
                if self.eat(K::Null)? {
                    ForeignKeyAction::SetNull
                } else {
                    self.expect(K::Default)?;
                    ForeignKeyAction::SetDefault
                }
            }
            K::Cascade => {
                self.advance()?;
                ForeignKeyAction::Cascade
            }
            K::Restrict => {
                self.advance()?;
                ForeignKeyAction::Restrict
            }
            K::No => {
                self.advance()?;
                self.expect(K::Action)?;
                ForeignKeyAction::NoAction
            }
            _ => return Err(self.syntax_error()),
        })
    }

    /// After `[NOT] DEFERRABLE`: `[INITIALLY DEFERRED|IMMEDIATE]`.
    fn deferrable_tail(&mut self, not: bool) -> PResult<Deferrable> {
        let mut initially_deferred = None;
        if self.eat(K::Initially)? {
            if self.eat(K::Deferred)? {
                initially_deferred = Some(true);
            } else {
                self.expect(K::Immediate)?;
                initially_deferred = Some(false);
            }
        }
        Ok(Deferrable { not, initially_deferred })
    }

    /// Table constraints, separated by commas or nothing (invariant 1).
    fn table_constraints(&mut self) -> PResult<Vec<TableConstraint>> {
        let mut v = Vec::new();
        let mut cname: Option<Name> = None;
        loop {
            use TableConstraintKind as T;
            let kind = match self.tok.kind {
                K::Constraint => {
                    self.advance()?;
                    cname = Some(self.nm()?);
                    None
                }
                K::Primary => {
                    self.advance()?;
                    self.expect(K::Key)?;
                    self.expect(K::LParen)?;
                    let columns = self.sortlist()?;
                    let autoincrement = self.eat(K::Autoincrement)?;
                    self.expect(K::RParen)?;
                    let conflict = self.onconf()?;
                    Some(T::PrimaryKey { columns, autoincrement, conflict })
                }
                K::Unique => {
                    self.advance()?;
                    self.expect(K::LParen)?;
                    let columns = self.sortlist()?;
                    self.expect(K::RParen)?;
                    let conflict = self.onconf()?;
                    Some(T::Unique { columns, conflict })
                }
                K::Check => {
                    self.advance()?;
                    self.expect(K::LParen)?;
                    let start = self.tok.start;
                    let expr = self.expr()?;
                    let span = self.span_to_here(start);
                    self.expect(K::RParen)?;
                    self.onconf()?;
                    Some(T::Check { expr, span })
                }
                K::Foreign => {
                    self.advance()?;
                    self.expect(K::Key)?;
                    let columns = self.eidlist_in_parens()?;
                    let clause = self.references(true)?;
                    Some(T::ForeignKey { columns, clause })
                }
                _ => return Err(self.syntax_error()),
            };
            if let Some(kind) = kind {
                v.push(TableConstraint { name: cname.take(), kind });
            }
            if self.at(K::RParen) {
                break;
            }
            if self.at(K::Comma) {
                self.advance()?;
            }
        }
        Ok(v)
    }

    fn create_index(&mut self) -> PResult<Stmt> {
        let unique = self.eat(K::Unique)?;
        self.expect(K::Index)?;
        let if_not_exists = self.if_not_exists()?;
        let (name, start) = self.created_name()?;
        self.expect(K::On)?;
        let table = self.nm()?;
        self.expect(K::LParen)?;
        let columns = self.sortlist()?;
        self.expect(K::RParen)?;
        let where_clause = if self.eat(K::Where)? { Some(self.expr()?) } else { None };
        let text_from_name = Span { start, end: self.prev_end };
        Ok(Stmt::CreateIndex(Box::new(CreateIndex {
            unique,
            if_not_exists,
            name,
            table,
            columns,
            where_clause,
            text_from_name,
        })))
    }

    fn create_view(&mut self, temp: bool) -> PResult<Stmt> {
        self.advance()?;
        let if_not_exists = self.if_not_exists()?;
        let (name, start) = self.created_name()?;
        let columns = if self.at(K::LParen) { self.eidlist_in_parens()? } else { Vec::new() };
        self.expect(K::As)?;
        if !self.at_select_start() {
            return Err(self.syntax_error());
        }
        let select = self.select()?;
        let text_from_name = Span { start, end: self.prev_end };
        Ok(Stmt::CreateView(Box::new(CreateView {
            temp,
            if_not_exists,
            name,
            columns,
            select,
            text_from_name,
        })))
    }

    fn create_virtual_table(&mut self) -> PResult<Stmt> {
        self.expect(K::Virtual)?;
        self.expect(K::Table)?;
        let if_not_exists = self.if_not_exists()?;
        let (name, start) = self.created_name()?;
        self.expect(K::Using)?;
        let module = self.nm()?;
        let mut args = Vec::new();
        if self.at(K::LParen) {
            self.advance()?;
            // Invariant 5: any tokens, parentheses balanced, split at depth-0 commas.
            let mut depth = 0u32;
            let mut arg_start: Option<u32> = None;
            let mut arg_end = 0u32;
            loop {
                match self.tok.kind {
                    K::Eof => return Err(self.syntax_error()),
                    K::RParen if depth == 0 => break,
                    K::Comma if depth == 0 => {
                        if let Some(s) = arg_start.take() {
                            args.push(Name::new(&self.sql[s as usize..arg_end as usize]));
                        }
                        self.advance()?;
                        continue;
                    }
                    K::LParen => depth += 1,
                    K::RParen => depth -= 1,
                    _ => {}
                }
                let t = self.advance()?;
                if arg_start.is_none() {
                    arg_start = Some(t.start);
                }
                arg_end = t.end;
            }
            if let Some(s) = arg_start.take() {
                args.push(Name::new(&self.sql[s as usize..arg_end as usize]));
            }
            self.expect(K::RParen)?;
        }
        let text_from_name = Span { start, end: self.prev_end };
        Ok(Stmt::CreateVirtualTable(Box::new(CreateVirtualTable {
            if_not_exists,
            name,
            module,
            args,
            text_from_name,
        })))
    }

    // ----- triggers ---------------------------------------------------------------------

    fn create_trigger(&mut self, temp: bool) -> PResult<Stmt> {
        self.advance()?;
        let if_not_exists = self.if_not_exists()?;
        let (name, start) = self.created_name()?;
        let time = match self.tok.kind {
            K::Before => {
                self.advance()?;
                Some(TriggerTime::Before)
            }
            K::After => {
                self.advance()?;
                Some(TriggerTime::After)
            }
            K::Instead => {
                self.advance()?;
                self.expect(K::Of)?;
                Some(TriggerTime::InsteadOf)
            }
            _ => None,
        };
        let event = match self.tok.kind {
            K::Delete => {
                self.advance()?;
                TriggerEvent::Delete
            }
            K::Insert => {
                self.advance()?;
                TriggerEvent::Insert
            }
            K::Update => {
                self.advance()?;
                if self.eat(K::Of)? {
                    let mut cols = vec![self.nm()?];
                    while self.eat(K::Comma)? {
                        cols.push(self.nm()?);
                    }
                    TriggerEvent::Update(cols)
                } else {
                    TriggerEvent::Update(Vec::new())
                }
            }
            _ => return Err(self.syntax_error()),
        };
        self.expect(K::On)?;
        let table = self.fullname()?;
        let mut for_each_row = false;
        if self.eat(K::For)? {
            self.expect(K::Each)?;
            self.expect(K::Row)?;
            for_each_row = true;
        }
        let when = if self.eat(K::When)? { Some(self.expr()?) } else { None };
        self.expect(K::Begin)?;
        self.in_trigger = true;
        let mut body = Vec::new();
        loop {
            self.enter(4, 0)?;
            let step = self.trigger_step();
            self.leave(4);
            body.push(step?);
            // The end of input stands for the `;` SQLite's tokenizer adds there.
            if !self.at(K::Eof) {
                self.expect(K::Semi)?;
            }
            if self.at(K::End) {
                break;
            }
            if self.at(K::Eof) {
                return Err(self.syntax_error());
            }
        }
        self.in_trigger = false;
        self.expect(K::End)?;
        let text_from_name = Span { start, end: self.prev_end };
        Ok(Stmt::CreateTrigger(Box::new(CreateTrigger {
            temp,
            if_not_exists,
            name,
            time,
            event,
            table,
            for_each_row,
            when,
            body,
            text_from_name,
        })))
    }

    /// SQLite's `trnm`: an unqualified table name inside a trigger body.
    fn trigger_table(&mut self) -> PResult<QualifiedName> {
        let name = self.nm()?;
        if self.at(K::Dot) {
            self.advance()?;
            self.nm()?;
            self.defer(self.error(
                "qualified table names are not allowed on INSERT, UPDATE, and DELETE \
                 statements within triggers",
            ));
        }
        Ok(QualifiedName::bare(name))
    }

    /// SQLite's `tridxby`: INDEXED BY / NOT INDEXED are parsed and refused.
    fn trigger_indexed(&mut self) -> PResult<()> {
        if self.at(K::Indexed) {
            self.advance()?;
            self.expect(K::By)?;
            self.nm()?;
            self.defer(self.error(
                "the INDEXED BY clause is not allowed on UPDATE or DELETE statements within \
                 triggers",
            ));
        } else if self.at(K::Not) {
            self.advance()?;
            self.expect(K::Indexed)?;
            self.defer(self.error(
                "the NOT INDEXED clause is not allowed on UPDATE or DELETE statements within \
                 triggers",
            ));
        }
        Ok(())
    }

    fn trigger_step(&mut self) -> PResult<TriggerStep> {
        match self.tok.kind {
            K::Update => {
                self.advance()?;
                let or_conflict = self.orconf()?;
                let table = self.trigger_table()?;
                self.trigger_indexed()?;
                self.expect(K::Set)?;
                let sets = self.setlist()?;
                let from = if self.eat(K::From)? { Some(self.parse_from()?) } else { None };
                let where_clause = if self.eat(K::Where)? { Some(self.expr()?) } else { None };
                Ok(TriggerStep::Update(Box::new(Update {
                    with: None,
                    or_conflict,
                    table,
                    alias: None,
                    indexed: None,
                    sets,
                    from,
                    where_clause,
                    returning: Vec::new(),
                    order_by: Vec::new(),
                    limit: None,
                })))
            }
            K::Insert | K::Replace => {
                let or_conflict = self.insert_cmd()?;
                self.expect(K::Into)?;
                let table = self.trigger_table()?;
                let columns =
                    if self.at(K::LParen) { self.idlist_in_parens()? } else { Vec::new() };
                let (source, upsert, returning) = self.insert_tail()?;
                Ok(TriggerStep::Insert(Box::new(Insert {
                    with: None,
                    or_conflict,
                    table,
                    alias: None,
                    columns,
                    source,
                    upsert,
                    returning,
                })))
            }
            K::Delete => {
                self.advance()?;
                self.expect(K::From)?;
                let table = self.trigger_table()?;
                self.trigger_indexed()?;
                let where_clause = if self.eat(K::Where)? { Some(self.expr()?) } else { None };
                Ok(TriggerStep::Delete(Box::new(Delete {
                    with: None,
                    table,
                    alias: None,
                    indexed: None,
                    where_clause,
                    returning: Vec::new(),
                    order_by: Vec::new(),
                    limit: None,
                })))
            }
            K::Select | K::Values | K::With => Ok(TriggerStep::Select(self.select()?)),
            _ => Err(self.syntax_error()),
        }
    }

    // ----- DROP / ALTER -----------------------------------------------------------------

    pub(crate) fn drop_stmt(&mut self) -> PResult<Stmt> {
        self.expect(K::Drop)?;
        let kind = match self.tok.kind {
            K::Table => DropKind::Table,
            K::Index => DropKind::Index,
            K::View => DropKind::View,
            K::Trigger => DropKind::Trigger,
            _ => return Err(self.syntax_error()),
        };
        self.advance()?;
        let if_exists = self.if_exists()?;
        let name = self.fullname()?;
        Ok(Stmt::Drop { kind, if_exists, name })
    }

    pub(crate) fn alter(&mut self) -> PResult<Stmt> {
        self.expect(K::Alter)?;
        self.expect(K::Table)?;
        let table = self.fullname()?;
        let action = match self.tok.kind {
            K::Rename => {
                self.advance()?;
                if self.eat(K::To)? {
                    AlterTableAction::RenameTo(self.nm()?)
                } else {
                    self.eat(K::Column)?;
                    let old = self.nm()?;
                    self.expect(K::To)?;
                    let new = self.nm()?;
                    AlterTableAction::RenameColumn { old, new }
                }
            }
            K::Add => {
                self.advance()?;
                self.eat(K::Column)?;
                AlterTableAction::AddColumn(self.column_def()?)
            }
            K::Drop => {
                self.advance()?;
                self.eat(K::Column)?;
                AlterTableAction::DropColumn(self.nm()?)
            }
            K::Alter => {
                // libSQL: ALTER TABLE t ALTER [COLUMN] c TO column-def
                self.advance()?;
                self.eat(K::Column)?;
                let column = self.nm()?;
                self.expect(K::To)?;
                AlterTableAction::AlterColumn { column, def: self.column_def()? }
            }
            _ => return Err(self.syntax_error()),
        };
        Ok(Stmt::AlterTable(Box::new(AlterTable { table, action })))
    }
}
