//! ATTACH, DETACH, transactions, savepoints, PRAGMA, VACUUM, ANALYZE, REINDEX.

use super::{PResult, StmtParser, K};
use crate::sql::ast::*;

impl<'a> StmtParser<'a> {
    pub(crate) fn attach(&mut self) -> PResult<Stmt> {
        self.expect(K::Attach)?;
        self.eat(K::Database)?;
        let file = Box::new(self.expr()?);
        self.expect(K::As)?;
        let schema = Box::new(self.expr()?);
        let key = if self.eat(K::Key)? { Some(Box::new(self.expr()?)) } else { None };
        Ok(Stmt::Attach { file, schema, key })
    }

    pub(crate) fn detach(&mut self) -> PResult<Stmt> {
        self.expect(K::Detach)?;
        self.eat(K::Database)?;
        Ok(Stmt::Detach(Box::new(self.expr()?)))
    }

    /// `[TRANSACTION [nm]]`
    fn trans_opt(&mut self) -> PResult<()> {
        if self.eat(K::Transaction)? && self.tok.kind.is_nm() {
            self.nm()?;
        }
        Ok(())
    }

    pub(crate) fn begin(&mut self) -> PResult<Stmt> {
        self.expect(K::Begin)?;
        let kind = match self.tok.kind {
            K::Deferred => Some(TransactionKind::Deferred),
            K::Immediate => Some(TransactionKind::Immediate),
            K::Exclusive => Some(TransactionKind::Exclusive),
            _ => None,
        };
        if kind.is_some() {
            self.advance()?;
        }
        self.trans_opt()?;
        Ok(Stmt::Begin(kind))
    }

    pub(crate) fn commit(&mut self) -> PResult<Stmt> {
        self.advance()?; // COMMIT or END
        self.trans_opt()?;
        Ok(Stmt::Commit)
    }

    pub(crate) fn rollback(&mut self) -> PResult<Stmt> {
        self.expect(K::Rollback)?;
        self.trans_opt()?;
        let savepoint = if self.eat(K::To)? {
            self.eat(K::Savepoint)?;
            Some(self.nm()?)
        } else {
            None
        };
        Ok(Stmt::Rollback { savepoint })
    }

    pub(crate) fn savepoint(&mut self) -> PResult<Stmt> {
        self.expect(K::Savepoint)?;
        Ok(Stmt::Savepoint(self.nm()?))
    }

    pub(crate) fn release(&mut self) -> PResult<Stmt> {
        self.expect(K::Release)?;
        self.eat(K::Savepoint)?;
        Ok(Stmt::Release(self.nm()?))
    }

    pub(crate) fn pragma(&mut self) -> PResult<Stmt> {
        self.expect(K::Pragma)?;
        let name = self.fullname()?;
        let value = match self.tok.kind {
            K::Eq => {
                self.advance()?;
                Some(self.pragma_value(false)?)
            }
            K::LParen => {
                self.advance()?;
                let v = self.pragma_value(true)?;
                self.expect(K::RParen)?;
                Some(v)
            }
            _ => None,
        };
        Ok(Stmt::Pragma(Box::new(Pragma { name, value })))
    }

    /// SQLite's `nmnum | minus_num`: `[+|-] number`, a name, ON, DELETE or DEFAULT.
    fn pragma_value(&mut self, call_form: bool) -> PResult<PragmaValue> {
        match self.tok.kind {
            K::Plus | K::Minus | K::Integer | K::Float => {
                let text = self.signed_number()?;
                Ok(PragmaValue { text, numeric: true, call_form })
            }
            K::On | K::Delete | K::Default => {
                let t = self.advance()?;
                Ok(PragmaValue { text: Name::new(self.text(t)), numeric: false, call_form })
            }
            k if k.is_nm() => Ok(PragmaValue { text: self.nm()?, numeric: false, call_form }),
            _ => Err(self.syntax_error()),
        }
    }

    pub(crate) fn vacuum(&mut self) -> PResult<Stmt> {
        self.expect(K::Vacuum)?;
        let schema =
            if self.tok.kind.is_nm() && !self.at(K::Into) { Some(self.nm()?) } else { None };
        let into = if self.eat(K::Into)? { Some(Box::new(self.expr()?)) } else { None };
        Ok(Stmt::Vacuum { schema, into })
    }

    pub(crate) fn analyze_or_reindex(&mut self, analyze: bool) -> PResult<Stmt> {
        self.advance()?;
        let name = if self.tok.kind.is_nm() { Some(self.fullname()?) } else { None };
        Ok(if analyze { Stmt::Analyze(name) } else { Stmt::Reindex(name) })
    }
}
