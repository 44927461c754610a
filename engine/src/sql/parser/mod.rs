//! The parser: a hand-written recursive-descent parser for SQLite 3.40's grammar, producing
//! [`crate::sql::ast`] trees.
//!
//! Files, one job each: this one holds the token cursor, names, errors and the statement
//! dispatcher; `expr` parses expressions (precedence climbing with SQLite's table of operator
//! precedence), `select` SELECT and its clauses, `dml` INSERT/UPDATE/DELETE, `ddl`
//! CREATE/DROP/ALTER, `misc` transactions, PRAGMA, ATTACH, VACUUM, ANALYZE, REINDEX.
//!
//! How it matches SQLite's LALR(1) parser, which is what decides SQLite's error messages:
//! 1. A syntax error is reported at the first token that cannot continue a valid statement,
//!    as `near "<token text>": syntax error` with the token's byte offset; at the end of the
//!    input it is `incomplete input` (offset -1). An illegal token is reported as
//!    `unrecognized token: "<text>"` when it is reached, not before.
//! 2. Keywords in SQLite's fallback list are identifiers wherever the keyword itself cannot be
//!    shifted: every decision point tests the keyword meanings first, then names.
//! 3. `WINDOW`, `OVER` and `FILTER` are keywords only in the contexts SQLite's tokenizer
//!    checks by looking ahead (`WINDOW name AS`, `) OVER (`/`) OVER name`, `) FILTER (`).
//! 4. Errors SQLite raises in grammar actions (`unknown join type`, `ORDER BY clause should
//!    come after UNION not before`, ...) are raised when the construct is complete, and the
//!    first error ends the parse.
//! 5. Limits: expression height 1000 (`Expression tree is too large (maximum depth 1000)`),
//!    500 terms in a compound SELECT, and SQLite's fixed parser stack of 100 entries
//!    (`parser stack overflow`), which is modelled by a depth counter whose costs per nesting
//!    construct were measured against SQLite 3.40.1. The counter also bounds recursion here.
//! 6. `parse_one` stops after one statement: the tail offset is just after its `;` (or the end
//!    of the input).
//! 7. No allocation on the way to the tree (issue 5): tokens are spans, names are dequoted
//!    straight into inline [`Name`]s, error messages are built only on error paths, and a
//!    parenthesized list gets its capacity from a bounded look ahead that counts its commas
//!    ([`StmtParser::list_len_hint`]), so it is allocated once; a list that ends at a keyword
//!    (result columns, ORDER BY, VALUES rows) is counted only when it outgrows four items
//!    ([`StmtParser::reserve_for_next`]). Operands go into the statement's [`Arena`]
//!    (sql/subexpr.rs), a subquery's into chunks of its own ([`StmtParser::subselect`]).

mod ddl;
mod dml;
mod expr;
mod misc;
mod select;

use super::ast::*;
use super::subexpr::Arena;
use super::token::{Token, TokenKind};
use super::tokenizer::Tokenizer;
use crate::error::Error;
use std::fmt;

type K = TokenKind;

/// A syntax error with SQLite's message and the offset `sqlite3_error_offset` reports
/// (-1 when SQLite reports none).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParseError {
    pub message: String,
    pub offset: i32,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for ParseError {}

/// The one place parse errors become engine errors: all are `SQLITE_ERROR`.
impl From<ParseError> for Error {
    fn from(e: ParseError) -> Error {
        let offset = e.offset;
        let err = Error::sql(e.message);
        // A negative offset means "no position" (sqlite3_error_offset's -1).
        if offset >= 0 { err.at(offset as usize) } else { err }
    }
}

pub type PResult<T> = Result<T, ParseError>;

/// SQLite's parser stack size (YYSTACKDEPTH).
const STACK_LIMIT: u32 = 100;
/// SQLITE_MAX_EXPR_DEPTH.
pub const MAX_EXPR_DEPTH: u32 = 1000;
/// SQLITE_MAX_COMPOUND_SELECT.
pub const MAX_COMPOUND_SELECT: usize = 500;
/// SQLITE_MAX_VARIABLE_NUMBER as Debian builds it.
pub const MAX_VARIABLE_NUMBER: u32 = 250000;
/// SQLITE_MAX_COLUMN.
pub const MAX_COLUMN: usize = 2000;

/// Parses the first statement of `sql`. Returns `None` when only whitespace, comments and
/// semicolons remain; otherwise the statement and the byte offset where the rest begins.
pub fn parse_one(sql: &str) -> PResult<Option<(Stmt, usize)>> {
    // Without the parameter list (`parse_statement`'s): nothing to allocate for it.
    StmtParser::new(sql, 0)?.parse_statement()
}

/// A parsed statement with what `sqlite3_prepare` reports besides the tree.
#[derive(Clone, Debug, PartialEq)]
pub struct ParsedStmt {
    pub stmt: Stmt,
    /// Byte offset where the rest of the input begins (`pzTail`).
    pub tail: usize,
    /// One entry per parameter index 1..=N (`sqlite3_bind_parameter_count` is the length):
    /// the name `sqlite3_bind_parameter_name` gives (`:a`, `@b`, `$c`, `?5`), or `None` for a
    /// nameless `?` or an index no parameter names.
    pub params: Vec<Option<String>>,
}

/// [`parse_one`], also returning the statement's parameters.
pub fn parse_statement(sql: &str) -> PResult<Option<ParsedStmt>> {
    let mut p = StmtParser::new(sql, 0)?;
    let Some((stmt, tail)) = p.parse_statement()? else { return Ok(None) };
    let mut params = vec![None; p.vars.max as usize];
    for (name, i) in p.vars.names {
        let slot = &mut params[i as usize - 1];
        if slot.is_none() {
            *slot = Some(name.to_string());
        }
    }
    Ok(Some(ParsedStmt { stmt, tail, params }))
}

/// An iterator over the statements of a string.
pub struct Parser<'a> {
    sql: &'a str,
    pos: usize,
    failed: bool,
}

impl<'a> Parser<'a> {
    pub fn new(sql: &'a str) -> Parser<'a> {
        Parser { sql, pos: 0, failed: false }
    }

    /// The byte offset where the next statement will be looked for.
    pub fn offset(&self) -> usize {
        self.pos
    }
}

impl Iterator for Parser<'_> {
    type Item = PResult<Stmt>;
    fn next(&mut self) -> Option<PResult<Stmt>> {
        if self.failed || self.pos >= self.sql.len() {
            return None;
        }
        let r = StmtParser::new(self.sql, self.pos).and_then(|mut p| p.parse_statement());
        match r {
            Ok(None) => {
                self.pos = self.sql.len();
                None
            }
            Ok(Some((stmt, tail))) => {
                self.pos = tail;
                Some(Ok(stmt))
            }
            Err(e) => {
                self.failed = true;
                Some(Err(e))
            }
        }
    }
}

/// Parameter numbering state (invariant 4 of the AST): the largest index, and every name
/// (`:a`, `?5`, ...) with its index, in order of first appearance.
#[derive(Default)]
struct Vars<'a> {
    max: u32,
    /// Texts are slices of the statement: the parameter list copies them once, at the end.
    names: Vec<(&'a str, u32)>,
}

/// The parser for one statement.
pub(crate) struct StmtParser<'a> {
    pub(crate) sql: &'a str,
    tz: Tokenizer<'a>,
    /// The lookahead token.
    pub(crate) tok: Token,
    /// The kind of the last token consumed (for the OVER/FILTER rule).
    last: TokenKind,
    /// End offset of the last consumed token.
    pub(crate) prev_end: u32,
    /// Modelled LALR stack depth (invariant 5).
    depth: u32,
    vars: Vars<'a>,
    /// Largest expression height seen in the SELECT being parsed (SQLite's heightOfSelect).
    pub(crate) select_height: u32,
    /// Inside a CREATE TRIGGER body (RETURNING is refused there).
    pub(crate) in_trigger: bool,
    /// An error raised by a grammar action, final once the lookahead is shifted or the
    /// statement ends, overwritten by a syntax error at the lookahead (invariant 4).
    pending: Option<ParseError>,
    /// An error SQLite raises only when coding a statement that parsed (e.g. `hex literal too
    /// big`): reported if the whole statement parses.
    late: Option<ParseError>,
    /// Where the statement's operands go (sql/subexpr.rs: one allocation per chunk of them).
    pub(crate) arena: Arena,
}

impl<'a> StmtParser<'a> {
    fn new(sql: &'a str, pos: usize) -> PResult<StmtParser<'a>> {
        let mut p = StmtParser {
            sql,
            tz: Tokenizer::at(sql, pos),
            tok: Token { kind: K::Eof, start: 0, end: 0 },
            last: K::Semi,
            prev_end: pos as u32,
            depth: 0,
            vars: Vars::default(),
            select_height: 0,
            in_trigger: false,
            pending: None,
            late: None,
            arena: Arena::new(),
        };
        p.tok = p.fetch()?;
        Ok(p)
    }

    // ----- token cursor -----------------------------------------------------------------

    /// Scans the next token, applying the WINDOW/OVER/FILTER rules and rejecting illegal tokens.
    fn fetch(&mut self) -> PResult<Token> {
        let mut t = self.tz.next_significant();
        match t.kind {
            K::Illegal => {
                return Err(ParseError {
                    message: format!("unrecognized token: \"{}\"", t.text(self.sql)),
                    offset: t.start as i32,
                })
            }
            K::Window => {
                let mut look = self.tz.clone();
                let a = look.next_significant().kind;
                let b = look.next_significant().kind;
                if !(is_lookahead_id(a) && b == K::As) {
                    t.kind = K::Id;
                }
            }
            K::Over => {
                let a = self.tz.clone().next_significant().kind;
                if !(self.last == K::RParen && (a == K::LParen || is_lookahead_id(a))) {
                    t.kind = K::Id;
                }
            }
            K::Filter => {
                let a = self.tz.clone().next_significant().kind;
                if !(self.last == K::RParen && a == K::LParen) {
                    t.kind = K::Id;
                }
            }
            _ => {}
        }
        Ok(t)
    }

    /// Consumes the lookahead token and returns it.
    pub(crate) fn advance(&mut self) -> PResult<Token> {
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        let t = self.tok;
        self.last = t.kind;
        self.prev_end = t.end;
        self.tok = self.fetch()?;
        Ok(t)
    }

    #[inline]
    pub(crate) fn at(&self, k: TokenKind) -> bool {
        self.tok.kind == k
    }

    /// Consumes the lookahead if it is `k`.
    pub(crate) fn eat(&mut self, k: TokenKind) -> PResult<bool> {
        if self.tok.kind == k {
            self.advance()?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// Consumes `k` or fails with a syntax error at the lookahead.
    pub(crate) fn expect(&mut self, k: TokenKind) -> PResult<Token> {
        if self.tok.kind == k {
            self.advance()
        } else {
            Err(self.syntax_error())
        }
    }

    /// The kind of the token after the lookahead (no WINDOW/OVER/FILTER rewriting).
    pub(crate) fn peek_kind(&self) -> TokenKind {
        self.tz.clone().next_significant().kind
    }

    /// The kinds of the two tokens after the lookahead.
    pub(crate) fn peek2_kinds(&self) -> (TokenKind, TokenKind) {
        let mut t = self.tz.clone();
        let a = t.next_significant().kind;
        let b = t.next_significant().kind;
        (a, b)
    }

    /// How many items the comma-separated list starting at the lookahead has before the `)`
    /// that closes it, counted by a bounded look ahead (no parsing, no allocation): the list's
    /// capacity, so that building it allocates once (invariant 7). A list longer than the look
    /// ahead gets the count seen so far.
    pub(crate) fn list_len_hint(&self) -> usize {
        self.list_len_hint_until(|_| false)
    }

    /// Makes room for the next item of a list that is not parenthesized (the look ahead would
    /// cross a whole clause): once the first allocation (four items) is full, the rest of the
    /// list is counted and reserved at once, so a long list is allocated twice, not log(n) times,
    /// and a short one is never looked ahead.
    pub(crate) fn reserve_for_next<T>(&self, v: &mut Vec<T>, stop: fn(TokenKind) -> bool) {
        if !v.is_empty() && v.len() == v.capacity() {
            v.reserve_exact(self.list_len_hint_until(stop));
        }
    }

    /// [`Self::list_len_hint`] for a list that also ends at a `stop` token outside parentheses
    /// (the keyword after a result-column list or an ORDER BY list).
    pub(crate) fn list_len_hint_until(&self, stop: fn(TokenKind) -> bool) -> usize {
        const LOOKAHEAD: usize = 256;
        let mut tz = self.tz.clone();
        let (mut k, mut depth, mut items) = (self.tok.kind, 0u32, 1);
        for _ in 0..LOOKAHEAD {
            match k {
                K::LParen => depth += 1,
                K::RParen if depth == 0 => break,
                K::RParen => depth -= 1,
                K::Comma if depth == 0 => items += 1,
                K::Eof | K::Semi => break,
                k if depth == 0 && stop(k) => break,
                _ => {}
            }
            k = tz.next_significant().kind;
        }
        items
    }

    pub(crate) fn text(&self, t: Token) -> &'a str {
        t.text(self.sql)
    }

    /// The text from `start` up to the lookahead token (comments included), without trailing
    /// whitespace (ast.rs invariant 2).
    pub(crate) fn span_to_here(&self, start: u32) -> Span {
        let end = self.tok.start.max(start);
        let text = &self.sql[start as usize..end as usize];
        Span { start, end: start + text.trim_end().len() as u32 }
    }

    // ----- errors -----------------------------------------------------------------------

    /// A syntax error at the lookahead token (invariant 1).
    pub(crate) fn syntax_error(&self) -> ParseError {
        self.syntax_error_at(self.tok)
    }

    pub(crate) fn syntax_error_at(&self, t: Token) -> ParseError {
        if t.kind == K::Eof {
            ParseError { message: "incomplete input".into(), offset: -1 }
        } else {
            ParseError {
                message: format!("near \"{}\": syntax error", t.text(self.sql)),
                offset: t.start as i32,
            }
        }
    }

    /// An error raised by a grammar action, without an offset.
    pub(crate) fn error(&self, message: impl Into<String>) -> ParseError {
        ParseError { message: message.into(), offset: -1 }
    }

    /// An error raised by a grammar action that names a token (SQLite records its offset).
    pub(crate) fn error_at(&self, message: impl Into<String>, t: Token) -> ParseError {
        ParseError { message: message.into(), offset: t.start as i32 }
    }

    /// Records an error raised by a grammar action (invariant 4): it ends the parse when the
    /// lookahead is consumed or the statement ends, unless a syntax error comes first.
    pub(crate) fn defer(&mut self, e: ParseError) {
        self.pending = Some(e);
    }

    /// Records an error SQLite raises only for a statement that parsed (first one wins).
    pub(crate) fn defer_late(&mut self, e: ParseError) {
        if self.late.is_none() {
            self.late = Some(e);
        }
    }

    // ----- depth model (invariant 5) ----------------------------------------------------

    /// Enters a nesting construct that costs `cost` parser-stack entries; `extra` is how many
    /// more entries the construct needs before its first nested token.
    pub(crate) fn enter(&mut self, cost: u32, extra: u32) -> PResult<()> {
        self.depth += cost;
        if self.depth + extra > STACK_LIMIT {
            return Err(self.error("parser stack overflow"));
        }
        Ok(())
    }

    pub(crate) fn leave(&mut self, cost: u32) {
        self.depth -= cost;
    }

    // ----- names ------------------------------------------------------------------------

    /// Dequotes an identifier or string token's text.
    pub(crate) fn dequote(&self, t: Token) -> Name {
        dequote(t.text(self.sql))
    }

    /// SQLite's `nm`: an identifier, a string, a join keyword, INDEXED, or a fallback keyword.
    pub(crate) fn nm(&mut self) -> PResult<Name> {
        if self.tok.kind.is_nm() {
            let t = self.advance()?;
            Ok(self.dequote(t))
        } else {
            Err(self.syntax_error())
        }
    }

    /// SQLite's `ids`: an identifier, a string, or a fallback keyword.
    pub(crate) fn ids(&mut self) -> PResult<Name> {
        if self.tok.kind.is_ids() {
            let t = self.advance()?;
            Ok(self.dequote(t))
        } else {
            Err(self.syntax_error())
        }
    }

    /// `nm [DOT nm]` as `[schema.]name`.
    pub(crate) fn fullname(&mut self) -> PResult<QualifiedName> {
        let first = self.nm()?;
        if self.eat(K::Dot)? {
            let second = self.nm()?;
            Ok(QualifiedName { schema: Some(first), name: second })
        } else {
            Ok(QualifiedName { schema: None, name: first })
        }
    }

    /// `[IF NOT EXISTS]`
    pub(crate) fn if_not_exists(&mut self) -> PResult<bool> {
        if self.eat(K::If)? {
            self.expect(K::Not)?;
            self.expect(K::Exists)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `[IF EXISTS]`
    pub(crate) fn if_exists(&mut self) -> PResult<bool> {
        if self.eat(K::If)? {
            self.expect(K::Exists)?;
            Ok(true)
        } else {
            Ok(false)
        }
    }

    /// `( nm, ... )` (SQLite's idlist, the opening parenthesis already consumed up to RP).
    pub(crate) fn idlist_in_parens(&mut self) -> PResult<Vec<Name>> {
        self.expect(K::LParen)?;
        let mut v = Vec::with_capacity(self.list_len_hint());
        v.push(self.nm()?);
        while self.eat(K::Comma)? {
            v.push(self.nm()?);
        }
        self.expect(K::RParen)?;
        Ok(v)
    }

    /// SQLite's `eidlist`: `( nm [COLLATE x] [ASC|DESC], ... )`, where any COLLATE or sort
    /// order is an error ("syntax error after column name").
    pub(crate) fn eidlist_in_parens(&mut self) -> PResult<Vec<Name>> {
        self.expect(K::LParen)?;
        let mut v = Vec::with_capacity(self.list_len_hint());
        loop {
            let name = self.nm()?;
            let mut bad = false;
            if self.eat(K::Collate)? {
                self.ids()?;
                bad = true;
            }
            if self.at(K::Asc) || self.at(K::Desc) {
                self.advance()?;
                bad = true;
            }
            if bad {
                self.defer(self.error(format!("syntax error after column name \"{name}\"")));
            }
            v.push(name);
            if !self.eat(K::Comma)? {
                break;
            }
        }
        self.expect(K::RParen)?;
        Ok(v)
    }

    /// `ON CONFLICT resolvetype` if present.
    pub(crate) fn onconf(&mut self) -> PResult<Option<ResolveType>> {
        if self.at(K::On) {
            self.advance()?;
            self.expect(K::Conflict)?;
            return self.resolvetype().map(Some);
        }
        Ok(None)
    }

    /// `ROLLBACK | ABORT | FAIL | IGNORE | REPLACE`
    pub(crate) fn resolvetype(&mut self) -> PResult<ResolveType> {
        let r = match self.tok.kind {
            K::Rollback => ResolveType::Rollback,
            K::Abort => ResolveType::Abort,
            K::Fail => ResolveType::Fail,
            K::Ignore => ResolveType::Ignore,
            K::Replace => ResolveType::Replace,
            _ => return Err(self.syntax_error()),
        };
        self.advance()?;
        Ok(r)
    }

    // ----- parameters -------------------------------------------------------------------

    /// Assigns a variable's index the way sqlite3ExprAssignVarNumber does (called once the
    /// token is consumed; its errors are action errors, invariant 4).
    pub(crate) fn assign_var(&mut self, t: Token) -> u32 {
        let text = t.text(self.sql);
        let bytes = text.as_bytes();
        if bytes.len() == 1 {
            // `?`
            self.vars.max += 1;
            if self.vars.max > MAX_VARIABLE_NUMBER {
                self.defer(self.error("too many SQL variables"));
            }
            return self.vars.max;
        }
        if bytes[0] == b'?' {
            let n: u64 = match text[1..].parse::<u64>() {
                Ok(n) if n >= 1 && n <= MAX_VARIABLE_NUMBER as u64 => n,
                _ => {
                    let msg =
                        format!("variable number must be between ?1 and ?{MAX_VARIABLE_NUMBER}");
                    self.defer(self.error_at(msg, t));
                    return 0;
                }
            };
            let n = n as u32;
            if n > self.vars.max {
                self.vars.max = n;
            }
            if !self.vars.names.iter().any(|&(_, i)| i == n) {
                self.vars.names.push((text, n));
            }
            return n;
        }
        if let Some(&(_, i)) =
            self.vars.names.iter().find(|(s, _)| *s == text && !s.starts_with('?'))
        {
            return i;
        }
        self.vars.max += 1;
        if self.vars.max > MAX_VARIABLE_NUMBER {
            self.defer(self.error("too many SQL variables"));
        }
        self.vars.names.push((text, self.vars.max));
        self.vars.max
    }

    // ----- statements -------------------------------------------------------------------

    /// Parses one statement with its terminating `;` (or end of input).
    fn parse_statement(&mut self) -> PResult<Option<(Stmt, usize)>> {
        while self.at(K::Semi) {
            self.advance()?;
        }
        if self.at(K::Eof) {
            return Ok(None);
        }
        let stmt = if self.at(K::Explain) {
            self.advance()?;
            let mut query_plan = false;
            if self.at(K::Query) {
                self.advance()?;
                self.expect(K::Plan)?;
                query_plan = true;
            }
            let inner = self.cmd()?;
            Stmt::Explain { query_plan, stmt: Box::new(inner) }
        } else {
            self.cmd()?
        };
        let tail = match self.tok.kind {
            K::Semi => self.tok.end as usize,
            K::Eof => self.tok.start as usize,
            _ => return Err(self.syntax_error()),
        };
        if let Some(e) = self.pending.take() {
            return Err(e);
        }
        if let Some(e) = self.late.take() {
            return Err(e);
        }
        Ok(Some((stmt, tail)))
    }

    /// SQLite's `cmd`.
    fn cmd(&mut self) -> PResult<Stmt> {
        self.enter(1, 0)?;
        let r = match self.tok.kind {
            K::Select | K::Values => Ok(Stmt::Select(self.select()?)),
            K::With => self.with_statement(),
            K::Insert | K::Replace => Ok(Stmt::Insert(Box::new(self.insert(None)?))),
            K::Update => Ok(Stmt::Update(Box::new(self.update(None)?))),
            K::Delete => Ok(Stmt::Delete(Box::new(self.delete(None)?))),
            K::Create => self.create(),
            K::Drop => self.drop_stmt(),
            K::Alter => self.alter(),
            K::Attach => self.attach(),
            K::Detach => self.detach(),
            K::Begin => self.begin(),
            K::Commit | K::End => self.commit(),
            K::Rollback => self.rollback(),
            K::Savepoint => self.savepoint(),
            K::Release => self.release(),
            K::Pragma => self.pragma(),
            K::Vacuum => self.vacuum(),
            K::Analyze => self.analyze_or_reindex(true),
            K::Reindex => self.analyze_or_reindex(false),
            _ => Err(self.syntax_error()),
        };
        self.leave(1);
        r
    }

    /// A statement starting with WITH: a SELECT, or INSERT/UPDATE/DELETE with a WITH prefix.
    fn with_statement(&mut self) -> PResult<Stmt> {
        let with = self.with_clause()?;
        match self.tok.kind {
            K::Select | K::Values => {
                Ok(Stmt::Select(self.select_after_with(Some(with))?))
            }
            K::Insert | K::Replace => Ok(Stmt::Insert(Box::new(self.insert(Some(with))?))),
            K::Update => Ok(Stmt::Update(Box::new(self.update(Some(with))?))),
            K::Delete => Ok(Stmt::Delete(Box::new(self.delete(Some(with))?))),
            _ => Err(self.syntax_error()),
        }
    }
}

/// Whether a token counts as an identifier for the WINDOW/OVER lookahead rules.
fn is_lookahead_id(k: TokenKind) -> bool {
    matches!(k, K::Id | K::String | K::Window | K::Over) || k.is_join_kw() || k.fallback_id()
}

/// Removes SQL quoting from an identifier or string: single, double or back quotes (a doubled
/// quote character inside stands for one), or square brackets. Unquoted text is returned as is.
/// The result is built in place: no allocation unless it is longer than [`Name::INLINE`].
pub fn dequote(s: &str) -> Name {
    let b = s.as_bytes();
    let Some(&q) = b.first() else { return Name::default() };
    let close = match q {
        b'\'' | b'"' | b'`' => q,
        b'[' => b']',
        _ => return Name::new(s),
    };
    if b.len() < 2 {
        return Name::default();
    }
    let inner = &s[1..s.len() - 1];
    if q == b'[' {
        return Name::new(inner);
    }
    // Copy runs between doubled quotes; each doubled quote stands for one.
    let quote = close as char;
    let mut rest = inner;
    let Some(i) = rest.find(quote) else { return Name::new(inner) };
    let mut out = Name::with_capacity(inner.len());
    let mut cut = i;
    loop {
        // `rest[cut]` is a quote: keep it, and skip its double if there is one.
        out.push_str(&rest[..=cut]);
        rest = &rest[cut + 1..];
        if rest.as_bytes().first() == Some(&close) {
            rest = &rest[1..];
        }
        match rest.find(quote) {
            Some(j) => cut = j,
            None => break,
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::dequote;

    #[test]
    fn dequote_follows_sqlite_and_keeps_short_results_inline() {
        // A doubled quote of the kind that opened the text stands for one; other quotes and
        // brackets' contents are kept as they are.
        let cases = [
            ("abc", "abc"),
            ("'a''b'", "a'b"),
            ("\"a\"\"b\"", "a\"b"),
            ("`a``b`", "a`b"),
            ("[a\"b]", "a\"b"),
            ("'it''s ''x'''", "it's 'x'"),
            ("'a\"b'", "a\"b"),
            ("\"é''ü\"", "é''ü"),
            ("'é''ü'", "é'ü"),
            ("''", ""),
            ("''''", "'"),
            ("\"\"", ""),
        ];
        for (quoted, want) in cases {
            let got = dequote(quoted);
            assert_eq!(got, want, "{quoted}");
            assert!(!got.is_heap_allocated(), "{quoted}");
        }
        let long = format!("'{}''{}'", "x".repeat(30), "y".repeat(30));
        assert_eq!(dequote(&long), format!("{}'{}", "x".repeat(30), "y".repeat(30)));
    }
}
