//! AST -> SQL text, in a normalized form (keywords upper case, single spaces, every compound
//! operand of an operator parenthesized), through `Display` impls.
//!
//! Invariants:
//! 1. Printing is faithful: parsing the printed text gives the same tree, except for spans
//!    (source positions), so `print(parse(print(parse(x)))) == print(parse(x))`.
//! 2. Names are quoted with backquotes when they are not plain identifiers or are keywords;
//!    an identifier that was double-quoted in an expression keeps its double quotes (its
//!    "string if no such column" meaning depends on them).
//! 3. Reals print in a form that re-parses as a real (`1.0`, `1e20`, `1e999` for infinity).

use super::ast::*;
use super::token::keyword;
use std::fmt::{self, Display, Formatter, Write};

type R = fmt::Result;

/// A name, quoted when needed (invariant 2).
pub struct Ident<'a>(pub &'a str);

impl Display for Ident<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        let s = self.0;
        let plain = !s.is_empty()
            && s.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
            && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && keyword(s.as_bytes()).is_none();
        if plain {
            f.write_str(s)
        } else {
            f.write_char('`')?;
            f.write_str(&s.replace('`', "``"))?;
            f.write_char('`')
        }
    }
}

fn quoted_string(f: &mut Formatter<'_>, s: &str) -> R {
    f.write_char('\'')?;
    f.write_str(&s.replace('\'', "''"))?;
    f.write_char('\'')
}

fn list<T>(f: &mut Formatter<'_>, items: &[T], each: impl Fn(&mut Formatter<'_>, &T) -> R) -> R {
    for (i, it) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        each(f, it)?;
    }
    Ok(())
}

fn names(f: &mut Formatter<'_>, v: &[Name]) -> R {
    list(f, v, |f, n| write!(f, "{}", Ident(n)))
}

fn exprs(f: &mut Formatter<'_>, v: &[Expr]) -> R {
    list(f, v, |f, e| write!(f, "{e}"))
}

impl Display for QualifiedName {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(s) = &self.schema {
            write!(f, "{}.", Ident(s))?;
        }
        write!(f, "{}", Ident(&self.name))
    }
}

// ----- expressions ----------------------------------------------------------------------------

impl Display for Literal {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            Literal::Null => f.write_str("NULL"),
            Literal::Integer(i) => write!(f, "{i}"),
            Literal::Real(r) => {
                if r.is_infinite() {
                    f.write_str(if *r > 0.0 { "1e999" } else { "-1e999" })
                } else {
                    write!(f, "{r:?}")
                }
            }
            Literal::String(s) => quoted_string(f, s),
            Literal::Blob(b) => {
                f.write_str("x'")?;
                for byte in b {
                    write!(f, "{byte:02X}")?;
                }
                f.write_char('\'')
            }
            Literal::CurrentTime => f.write_str("CURRENT_TIME"),
            Literal::CurrentDate => f.write_str("CURRENT_DATE"),
            Literal::CurrentTimestamp => f.write_str("CURRENT_TIMESTAMP"),
        }
    }
}

/// An operand: printed bare when it is a primary expression, else parenthesized.
struct Operand<'a>(&'a Expr);

impl Display for Operand<'_> {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        let e = self.0;
        let primary = match e {
            Expr::Literal(Literal::Integer(i)) => *i >= 0,
            Expr::Literal(Literal::Real(r)) => *r >= 0.0,
            Expr::Literal(_)
            | Expr::Variable { .. }
            | Expr::Id { .. }
            | Expr::Qualified { .. }
            | Expr::Cast { .. }
            | Expr::Case { .. }
            | Expr::Exists(_)
            | Expr::Subquery(_)
            | Expr::Vector(_)
            | Expr::FunctionCall(_)
            | Expr::Raise { .. } => true,
            _ => false,
        };
        if primary {
            write!(f, "{e}")
        } else {
            write!(f, "({e})")
        }
    }
}

impl BinaryOp {
    /// The operator's SQL spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            BinaryOp::Or => "OR",
            BinaryOp::And => "AND",
            BinaryOp::Eq => "=",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::Is => "IS",
            BinaryOp::IsNot => "IS NOT",
            BinaryOp::BitAnd => "&",
            BinaryOp::BitOr => "|",
            BinaryOp::ShiftLeft => "<<",
            BinaryOp::ShiftRight => ">>",
            BinaryOp::Add => "+",
            BinaryOp::Subtract => "-",
            BinaryOp::Multiply => "*",
            BinaryOp::Divide => "/",
            BinaryOp::Remainder => "%",
            BinaryOp::Concat => "||",
            BinaryOp::JsonArrow => "->",
            BinaryOp::JsonArrow2 => "->>",
        }
    }
}

fn not(f: &mut Formatter<'_>, n: bool) -> R {
    if n {
        f.write_str(" NOT")
    } else {
        Ok(())
    }
}

impl Display for Expr {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            Expr::Literal(l) => write!(f, "{l}"),
            Expr::Variable { text, .. } => f.write_str(text),
            Expr::Id { name, double_quoted } => {
                if *double_quoted {
                    write!(f, "\"{}\"", name.replace('"', "\"\""))
                } else {
                    write!(f, "{}", Ident(name))
                }
            }
            Expr::Qualified { schema, table, column } => {
                if let Some(s) = schema {
                    write!(f, "{}.", Ident(s))?;
                }
                write!(f, "{}.{}", Ident(table), Ident(column))
            }
            Expr::Unary { op, expr } => match op {
                UnaryOp::Not => write!(f, "NOT {}", Operand(expr)),
                UnaryOp::Negate => write!(f, "-{}", Operand(expr)),
                UnaryOp::Plus => write!(f, "+{}", Operand(expr)),
                UnaryOp::BitNot => write!(f, "~{}", Operand(expr)),
            },
            Expr::Binary { op, left, right } => {
                write!(f, "{} {} {}", Operand(left), op.as_str(), Operand(right))
            }
            Expr::Like { op, not: n, expr, pattern, escape } => {
                write!(f, "{}", Operand(expr))?;
                not(f, *n)?;
                let kw = match op {
                    LikeOp::Like => "LIKE",
                    LikeOp::Glob => "GLOB",
                    LikeOp::Regexp => "REGEXP",
                    LikeOp::Match => "MATCH",
                };
                write!(f, " {kw} {}", Operand(pattern))?;
                if let Some(e) = escape {
                    write!(f, " ESCAPE {}", Operand(e))?;
                }
                Ok(())
            }
            Expr::Between { expr, not: n, low, high } => {
                write!(f, "{}", Operand(expr))?;
                not(f, *n)?;
                write!(f, " BETWEEN {} AND {}", Operand(low), Operand(high))
            }
            Expr::InList { expr, not: n, list } => {
                write!(f, "{}", Operand(expr))?;
                not(f, *n)?;
                f.write_str(" IN (")?;
                exprs(f, list)?;
                f.write_char(')')
            }
            Expr::InSelect { expr, not: n, select } => {
                write!(f, "{}", Operand(expr))?;
                not(f, *n)?;
                write!(f, " IN ({select})")
            }
            Expr::InTable { expr, not: n, table, args } => {
                write!(f, "{}", Operand(expr))?;
                not(f, *n)?;
                write!(f, " IN {table}")?;
                if let Some(a) = args {
                    f.write_char('(')?;
                    exprs(f, a)?;
                    f.write_char(')')?;
                }
                Ok(())
            }
            Expr::IsNull { expr, not: n } => {
                write!(f, "{} IS", Operand(expr))?;
                not(f, *n)?;
                f.write_str(" NULL")
            }
            Expr::Collate { expr, collation } => {
                write!(f, "{} COLLATE {}", Operand(expr), Ident(collation))
            }
            Expr::Cast { expr, type_name } => {
                write!(f, "CAST({expr} AS")?;
                if let Some(t) = type_name {
                    write!(f, " {t}")?;
                }
                f.write_char(')')
            }
            Expr::Case { operand, when_then, else_expr } => {
                f.write_str("CASE")?;
                if let Some(o) = operand {
                    write!(f, " {o}")?;
                }
                for (w, t) in when_then {
                    write!(f, " WHEN {w} THEN {t}")?;
                }
                if let Some(e) = else_expr {
                    write!(f, " ELSE {e}")?;
                }
                f.write_str(" END")
            }
            Expr::Exists(s) => write!(f, "EXISTS ({s})"),
            Expr::Subquery(s) => write!(f, "({s})"),
            Expr::Vector(v) => {
                f.write_char('(')?;
                exprs(f, v)?;
                f.write_char(')')
            }
            Expr::FunctionCall(c) => write!(f, "{c}"),
            Expr::Raise { action, message } => {
                let a = match action {
                    RaiseAction::Ignore => "IGNORE",
                    RaiseAction::Rollback => "ROLLBACK",
                    RaiseAction::Abort => "ABORT",
                    RaiseAction::Fail => "FAIL",
                };
                write!(f, "RAISE({a}")?;
                if let Some(m) = message {
                    f.write_str(", ")?;
                    quoted_string(f, m)?;
                }
                f.write_char(')')
            }
        }
    }
}

impl Display for FunctionCall {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        write!(f, "{}(", Ident(&self.name))?;
        match &self.args {
            FunctionArgs::Star => f.write_char('*')?,
            FunctionArgs::List(a) => {
                if self.distinct {
                    f.write_str("DISTINCT ")?;
                }
                exprs(f, a)?;
            }
        }
        f.write_char(')')?;
        if let Some(e) = &self.filter {
            write!(f, " FILTER (WHERE {e})")?;
        }
        match &self.over {
            Some(Over::Name(n)) => write!(f, " OVER {}", Ident(n)),
            Some(Over::Spec(s)) => write!(f, " OVER {s}"),
            None => Ok(()),
        }
    }
}

impl Display for TypeName {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                f.write_char(' ')?;
            }
            // Keywords allowed in a type name are identifiers there: print them bare, so the
            // declared type's text is unchanged.
            let plain = w.bytes().next().is_some_and(|b| b.is_ascii_alphabetic() || b == b'_')
                && w.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
            if plain {
                f.write_str(w)?;
            } else {
                write!(f, "{}", Ident(w))?;
            }
        }
        if !self.args.is_empty() {
            write!(f, "({})", self.args.join(", "))?;
        }
        Ok(())
    }
}

// ----- SELECT ---------------------------------------------------------------------------------

impl Display for OrderingTerm {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        write!(f, "{}", self.expr)?;
        match self.order {
            Some(SortOrder::Asc) => f.write_str(" ASC")?,
            Some(SortOrder::Desc) => f.write_str(" DESC")?,
            None => {}
        }
        match self.nulls {
            Some(NullsOrder::First) => f.write_str(" NULLS FIRST"),
            Some(NullsOrder::Last) => f.write_str(" NULLS LAST"),
            None => Ok(()),
        }
    }
}

fn order_limit(f: &mut Formatter<'_>, order_by: &[OrderingTerm], limit: &Option<Limit>) -> R {
    if !order_by.is_empty() {
        f.write_str(" ORDER BY ")?;
        list(f, order_by, |f, o| write!(f, "{o}"))?;
    }
    if let Some(l) = limit {
        write!(f, " LIMIT {}", l.limit)?;
        if let Some(o) = &l.offset {
            write!(f, " OFFSET {o}")?;
        }
    }
    Ok(())
}

impl Display for With {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        f.write_str("WITH ")?;
        if self.recursive {
            f.write_str("RECURSIVE ")?;
        }
        list(f, &self.ctes, |f, c| {
            write!(f, "{}", Ident(&c.name))?;
            if !c.columns.is_empty() {
                f.write_char('(')?;
                names(f, &c.columns)?;
                f.write_char(')')?;
            }
            f.write_str(" AS ")?;
            match c.materialized {
                Some(true) => f.write_str("MATERIALIZED ")?,
                Some(false) => f.write_str("NOT MATERIALIZED ")?,
                None => {}
            }
            write!(f, "({})", c.select)
        })
    }
}

impl Display for Select {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(w) = &self.with {
            write!(f, "{w} ")?;
        }
        write!(f, "{}", self.body.first)?;
        for (op, core) in &self.body.compounds {
            let o = match op {
                CompoundOp::Union => "UNION",
                CompoundOp::UnionAll => "UNION ALL",
                CompoundOp::Intersect => "INTERSECT",
                CompoundOp::Except => "EXCEPT",
            };
            write!(f, " {o} {core}")?;
        }
        order_limit(f, &self.order_by, &self.limit)
    }
}

impl Display for SelectCore {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            SelectCore::Values(rows) => {
                f.write_str("VALUES ")?;
                list(f, rows, |f, r| {
                    f.write_char('(')?;
                    exprs(f, r)?;
                    f.write_char(')')
                })
            }
            SelectCore::Select(q) => write!(f, "{q}"),
        }
    }
}

fn alias(f: &mut Formatter<'_>, a: &Option<Name>) -> R {
    if let Some(a) = a {
        write!(f, " AS {}", Ident(a))?;
    }
    Ok(())
}

impl Display for ResultColumn {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            ResultColumn::Star => f.write_char('*'),
            ResultColumn::TableStar(t) => write!(f, "{}.*", Ident(t)),
            ResultColumn::Expr { expr, alias: a, .. } => {
                write!(f, "{expr}")?;
                alias(f, a)
            }
        }
    }
}

impl Display for QuerySpec {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        f.write_str("SELECT ")?;
        match self.distinct {
            Some(Distinctness::Distinct) => f.write_str("DISTINCT ")?,
            Some(Distinctness::All) => f.write_str("ALL ")?,
            None => {}
        }
        list(f, &self.columns, |f, c| write!(f, "{c}"))?;
        if let Some(from) = &self.from {
            write!(f, " FROM {from}")?;
        }
        if let Some(w) = &self.where_clause {
            write!(f, " WHERE {w}")?;
        }
        if !self.group_by.is_empty() {
            f.write_str(" GROUP BY ")?;
            exprs(f, &self.group_by)?;
        }
        if let Some(h) = &self.having {
            write!(f, " HAVING {h}")?;
        }
        if !self.windows.is_empty() {
            f.write_str(" WINDOW ")?;
            list(f, &self.windows, |f, w| write!(f, "{} AS {}", Ident(&w.name), w.window))?;
        }
        Ok(())
    }
}

impl Display for FromClause {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        write!(f, "{}", self.first)?;
        for j in &self.joins {
            let kind = match j.op.kind {
                JoinKind::Comma => ",",
                JoinKind::Inner => " JOIN",
                JoinKind::Cross => " CROSS JOIN",
                JoinKind::Left => " LEFT JOIN",
                JoinKind::Right => " RIGHT JOIN",
                JoinKind::Full => " FULL JOIN",
            };
            if j.op.natural {
                let k = if j.op.kind == JoinKind::Comma { " JOIN" } else { kind };
                write!(f, " NATURAL{k} {}", j.item)?;
            } else {
                write!(f, "{kind} {}", j.item)?;
            }
            match &j.constraint {
                Some(JoinConstraint::On(e)) => write!(f, " ON {e}")?,
                Some(JoinConstraint::Using(u)) => {
                    f.write_str(" USING (")?;
                    names(f, u)?;
                    f.write_char(')')?;
                }
                None => {}
            }
        }
        Ok(())
    }
}

impl Display for FromItem {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            FromItem::Table { name, alias: a, indexed } => {
                write!(f, "{name}")?;
                alias(f, a)?;
                match indexed {
                    Some(Indexed::By(i)) => write!(f, " INDEXED BY {}", Ident(i)),
                    Some(Indexed::NotIndexed) => f.write_str(" NOT INDEXED"),
                    None => Ok(()),
                }
            }
            FromItem::Function { name, args, alias: a } => {
                write!(f, "{name}(")?;
                exprs(f, args)?;
                f.write_char(')')?;
                alias(f, a)
            }
            FromItem::Subquery { select, alias: a } => {
                write!(f, "({select})")?;
                alias(f, a)
            }
            FromItem::Join { from, alias: a } => {
                write!(f, "({from})")?;
                alias(f, a)
            }
        }
    }
}

impl Display for WindowSpec {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        let mut parts: Vec<String> = Vec::new();
        if let Some(b) = &self.base {
            parts.push(Ident(b).to_string());
        }
        if !self.partition_by.is_empty() {
            let v: Vec<String> = self.partition_by.iter().map(|e| e.to_string()).collect();
            parts.push(format!("PARTITION BY {}", v.join(", ")));
        }
        if !self.order_by.is_empty() {
            let v: Vec<String> = self.order_by.iter().map(|e| e.to_string()).collect();
            parts.push(format!("ORDER BY {}", v.join(", ")));
        }
        if let Some(fr) = &self.frame {
            parts.push(fr.to_string());
        }
        write!(f, "({})", parts.join(" "))
    }
}

impl Display for FrameBound {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            FrameBound::UnboundedPreceding => f.write_str("UNBOUNDED PRECEDING"),
            FrameBound::Preceding(e) => write!(f, "{e} PRECEDING"),
            FrameBound::CurrentRow => f.write_str("CURRENT ROW"),
            FrameBound::Following(e) => write!(f, "{e} FOLLOWING"),
            FrameBound::UnboundedFollowing => f.write_str("UNBOUNDED FOLLOWING"),
        }
    }
}

impl Display for FrameSpec {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        f.write_str(match self.units {
            FrameUnits::Rows => "ROWS ",
            FrameUnits::Range => "RANGE ",
            FrameUnits::Groups => "GROUPS ",
        })?;
        match &self.end {
            Some(e) => write!(f, "BETWEEN {} AND {e}", self.start)?,
            None => write!(f, "{}", self.start)?,
        }
        match self.exclude {
            Some(FrameExclude::NoOthers) => f.write_str(" EXCLUDE NO OTHERS"),
            Some(FrameExclude::CurrentRow) => f.write_str(" EXCLUDE CURRENT ROW"),
            Some(FrameExclude::Group) => f.write_str(" EXCLUDE GROUP"),
            Some(FrameExclude::Ties) => f.write_str(" EXCLUDE TIES"),
            None => Ok(()),
        }
    }
}

// ----- DML ------------------------------------------------------------------------------------

fn resolve(r: ResolveType) -> &'static str {
    match r {
        ResolveType::Rollback => "ROLLBACK",
        ResolveType::Abort => "ABORT",
        ResolveType::Fail => "FAIL",
        ResolveType::Ignore => "IGNORE",
        ResolveType::Replace => "REPLACE",
    }
}

fn returning(f: &mut Formatter<'_>, r: &[ResultColumn]) -> R {
    if !r.is_empty() {
        f.write_str(" RETURNING ")?;
        list(f, r, |f, c| write!(f, "{c}"))?;
    }
    Ok(())
}

fn assignments(f: &mut Formatter<'_>, sets: &[Assignment]) -> R {
    list(f, sets, |f, a| {
        if a.columns.len() == 1 {
            write!(f, "{} = {}", Ident(&a.columns[0]), a.expr)
        } else {
            f.write_char('(')?;
            names(f, &a.columns)?;
            write!(f, ") = {}", a.expr)
        }
    })
}

fn where_opt(f: &mut Formatter<'_>, w: &Option<Expr>) -> R {
    if let Some(w) = w {
        write!(f, " WHERE {w}")?;
    }
    Ok(())
}

impl Display for Insert {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(w) = &self.with {
            write!(f, "{w} ")?;
        }
        f.write_str("INSERT ")?;
        if let Some(r) = self.or_conflict {
            write!(f, "OR {} ", resolve(r))?;
        }
        write!(f, "INTO {}", self.table)?;
        alias(f, &self.alias)?;
        if !self.columns.is_empty() {
            f.write_str(" (")?;
            names(f, &self.columns)?;
            f.write_char(')')?;
        }
        match &self.source {
            InsertSource::DefaultValues => f.write_str(" DEFAULT VALUES")?,
            InsertSource::Select(s) => write!(f, " {s}")?,
        }
        for u in &self.upsert {
            f.write_str(" ON CONFLICT")?;
            if let Some(t) = &u.target {
                f.write_str(" (")?;
                list(f, &t.columns, |f, o| write!(f, "{o}"))?;
                f.write_char(')')?;
                where_opt(f, &t.where_clause)?;
            }
            match &u.action {
                UpsertAction::Nothing => f.write_str(" DO NOTHING")?,
                UpsertAction::Update { sets, where_clause } => {
                    f.write_str(" DO UPDATE SET ")?;
                    assignments(f, sets)?;
                    where_opt(f, where_clause)?;
                }
            }
        }
        returning(f, &self.returning)
    }
}

fn indexed(f: &mut Formatter<'_>, i: &Option<Indexed>) -> R {
    match i {
        Some(Indexed::By(n)) => write!(f, " INDEXED BY {}", Ident(n)),
        Some(Indexed::NotIndexed) => f.write_str(" NOT INDEXED"),
        None => Ok(()),
    }
}

impl Display for Update {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(w) = &self.with {
            write!(f, "{w} ")?;
        }
        f.write_str("UPDATE ")?;
        if let Some(r) = self.or_conflict {
            write!(f, "OR {} ", resolve(r))?;
        }
        write!(f, "{}", self.table)?;
        alias(f, &self.alias)?;
        indexed(f, &self.indexed)?;
        f.write_str(" SET ")?;
        assignments(f, &self.sets)?;
        if let Some(from) = &self.from {
            write!(f, " FROM {from}")?;
        }
        where_opt(f, &self.where_clause)?;
        returning(f, &self.returning)?;
        order_limit(f, &self.order_by, &self.limit)
    }
}

impl Display for Delete {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(w) = &self.with {
            write!(f, "{w} ")?;
        }
        write!(f, "DELETE FROM {}", self.table)?;
        alias(f, &self.alias)?;
        indexed(f, &self.indexed)?;
        where_opt(f, &self.where_clause)?;
        returning(f, &self.returning)?;
        order_limit(f, &self.order_by, &self.limit)
    }
}

// ----- DDL ------------------------------------------------------------------------------------

fn conflict(f: &mut Formatter<'_>, c: &Option<ResolveType>) -> R {
    if let Some(r) = c {
        write!(f, " ON CONFLICT {}", resolve(*r))?;
    }
    Ok(())
}

fn fk_action(a: ForeignKeyAction) -> &'static str {
    match a {
        ForeignKeyAction::SetNull => "SET NULL",
        ForeignKeyAction::SetDefault => "SET DEFAULT",
        ForeignKeyAction::Cascade => "CASCADE",
        ForeignKeyAction::Restrict => "RESTRICT",
        ForeignKeyAction::NoAction => "NO ACTION",
    }
}

impl Display for Deferrable {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        f.write_str(if self.not { "NOT DEFERRABLE" } else { "DEFERRABLE" })?;
        match self.initially_deferred {
            Some(true) => f.write_str(" INITIALLY DEFERRED"),
            Some(false) => f.write_str(" INITIALLY IMMEDIATE"),
            None => Ok(()),
        }
    }
}

impl Display for ForeignKeyClause {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        write!(f, "REFERENCES {}", Ident(&self.table))?;
        if !self.columns.is_empty() {
            f.write_char('(')?;
            names(f, &self.columns)?;
            f.write_char(')')?;
        }
        if let Some(a) = self.on_delete {
            write!(f, " ON DELETE {}", fk_action(a))?;
        }
        if let Some(a) = self.on_update {
            write!(f, " ON UPDATE {}", fk_action(a))?;
        }
        if let Some(m) = &self.match_name {
            write!(f, " MATCH {}", Ident(m))?;
        }
        if let Some(d) = &self.deferrable {
            write!(f, " {d}")?;
        }
        Ok(())
    }
}

impl Display for ColumnDef {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        write!(f, "{}", Ident(&self.name))?;
        if let Some(t) = &self.type_name {
            write!(f, " {t}")?;
        }
        for c in &self.constraints {
            if let Some(n) = &c.name {
                write!(f, " CONSTRAINT {}", Ident(n))?;
            }
            use ColumnConstraintKind as C;
            match &c.kind {
                C::PrimaryKey { order, conflict: cf, autoincrement } => {
                    f.write_str(" PRIMARY KEY")?;
                    match order {
                        Some(SortOrder::Asc) => f.write_str(" ASC")?,
                        Some(SortOrder::Desc) => f.write_str(" DESC")?,
                        None => {}
                    }
                    conflict(f, cf)?;
                    if *autoincrement {
                        f.write_str(" AUTOINCREMENT")?;
                    }
                }
                C::NotNull { conflict: cf } => {
                    f.write_str(" NOT NULL")?;
                    conflict(f, cf)?;
                }
                C::Null { conflict: cf } => {
                    f.write_str(" NULL")?;
                    conflict(f, cf)?;
                }
                C::Unique { conflict: cf } => {
                    f.write_str(" UNIQUE")?;
                    conflict(f, cf)?;
                }
                C::Check { expr, .. } => write!(f, " CHECK ({expr})")?,
                C::Default { expr, .. } => match expr {
                    Expr::Literal(l) => write!(f, " DEFAULT {l}")?,
                    e => write!(f, " DEFAULT ({e})")?,
                },
                C::Collate(n) => write!(f, " COLLATE {}", Ident(n))?,
                C::References(fk) => write!(f, " {fk}")?,
                C::Deferrable(d) => write!(f, " {d}")?,
                C::Generated { expr, stored } => {
                    write!(f, " AS ({expr})")?;
                    if *stored {
                        f.write_str(" STORED")?;
                    }
                }
            }
        }
        Ok(())
    }
}

impl Display for TableConstraint {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        if let Some(n) = &self.name {
            write!(f, "CONSTRAINT {} ", Ident(n))?;
        }
        match &self.kind {
            TableConstraintKind::PrimaryKey { columns, autoincrement, conflict: cf } => {
                f.write_str("PRIMARY KEY (")?;
                list(f, columns, |f, o| write!(f, "{o}"))?;
                if *autoincrement {
                    f.write_str(" AUTOINCREMENT")?;
                }
                f.write_char(')')?;
                conflict(f, cf)
            }
            TableConstraintKind::Unique { columns, conflict: cf } => {
                f.write_str("UNIQUE (")?;
                list(f, columns, |f, o| write!(f, "{o}"))?;
                f.write_char(')')?;
                conflict(f, cf)
            }
            TableConstraintKind::Check { expr, .. } => write!(f, "CHECK ({expr})"),
            TableConstraintKind::ForeignKey { columns, clause } => {
                f.write_str("FOREIGN KEY (")?;
                names(f, columns)?;
                write!(f, ") {clause}")
            }
        }
    }
}

fn if_not_exists(f: &mut Formatter<'_>, b: bool) -> R {
    if b {
        f.write_str("IF NOT EXISTS ")?;
    }
    Ok(())
}

impl Display for TriggerStep {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            TriggerStep::Update(u) => write!(f, "{u}"),
            TriggerStep::Insert(i) => write!(f, "{i}"),
            TriggerStep::Delete(d) => write!(f, "{d}"),
            TriggerStep::Select(s) => write!(f, "{s}"),
        }
    }
}

impl Display for Stmt {
    fn fmt(&self, f: &mut Formatter<'_>) -> R {
        match self {
            Stmt::Explain { query_plan, stmt } => {
                f.write_str(if *query_plan { "EXPLAIN QUERY PLAN " } else { "EXPLAIN " })?;
                write!(f, "{stmt}")
            }
            Stmt::Select(s) => write!(f, "{s}"),
            Stmt::Insert(i) => write!(f, "{i}"),
            Stmt::Update(u) => write!(f, "{u}"),
            Stmt::Delete(d) => write!(f, "{d}"),
            Stmt::CreateTable(t) => {
                f.write_str(if t.temp { "CREATE TEMP TABLE " } else { "CREATE TABLE " })?;
                if_not_exists(f, t.if_not_exists)?;
                write!(f, "{}", t.name)?;
                match &t.body {
                    CreateTableBody::AsSelect(s) => write!(f, " AS {s}"),
                    CreateTableBody::Columns { columns, constraints, options } => {
                        f.write_str(" (")?;
                        list(f, columns, |f, c| write!(f, "{c}"))?;
                        for c in constraints {
                            write!(f, ", {c}")?;
                        }
                        f.write_char(')')?;
                        let mut opts = Vec::new();
                        if options.without_rowid {
                            opts.push("WITHOUT ROWID");
                        }
                        if options.strict {
                            opts.push("STRICT");
                        }
                        if !opts.is_empty() {
                            write!(f, " {}", opts.join(", "))?;
                        }
                        Ok(())
                    }
                }
            }
            Stmt::CreateIndex(i) => {
                f.write_str(if i.unique { "CREATE UNIQUE INDEX " } else { "CREATE INDEX " })?;
                if_not_exists(f, i.if_not_exists)?;
                write!(f, "{} ON {} (", i.name, Ident(&i.table))?;
                list(f, &i.columns, |f, o| write!(f, "{o}"))?;
                f.write_char(')')?;
                where_opt(f, &i.where_clause)
            }
            Stmt::CreateView(v) => {
                f.write_str(if v.temp { "CREATE TEMP VIEW " } else { "CREATE VIEW " })?;
                if_not_exists(f, v.if_not_exists)?;
                write!(f, "{}", v.name)?;
                if !v.columns.is_empty() {
                    f.write_str(" (")?;
                    names(f, &v.columns)?;
                    f.write_char(')')?;
                }
                write!(f, " AS {}", v.select)
            }
            Stmt::CreateTrigger(t) => {
                f.write_str(if t.temp { "CREATE TEMP TRIGGER " } else { "CREATE TRIGGER " })?;
                if_not_exists(f, t.if_not_exists)?;
                write!(f, "{}", t.name)?;
                match t.time {
                    Some(TriggerTime::Before) => f.write_str(" BEFORE")?,
                    Some(TriggerTime::After) => f.write_str(" AFTER")?,
                    Some(TriggerTime::InsteadOf) => f.write_str(" INSTEAD OF")?,
                    None => {}
                }
                match &t.event {
                    TriggerEvent::Delete => f.write_str(" DELETE")?,
                    TriggerEvent::Insert => f.write_str(" INSERT")?,
                    TriggerEvent::Update(cols) => {
                        f.write_str(" UPDATE")?;
                        if !cols.is_empty() {
                            f.write_str(" OF ")?;
                            names(f, cols)?;
                        }
                    }
                }
                write!(f, " ON {}", t.table)?;
                if t.for_each_row {
                    f.write_str(" FOR EACH ROW")?;
                }
                if let Some(w) = &t.when {
                    write!(f, " WHEN {w}")?;
                }
                f.write_str(" BEGIN")?;
                for s in &t.body {
                    write!(f, " {s};")?;
                }
                f.write_str(" END")
            }
            Stmt::CreateVirtualTable(v) => {
                f.write_str("CREATE VIRTUAL TABLE ")?;
                if_not_exists(f, v.if_not_exists)?;
                write!(f, "{} USING {}", v.name, Ident(&v.module))?;
                if !v.args.is_empty() {
                    write!(f, "({})", v.args.join(", "))?;
                }
                Ok(())
            }
            Stmt::Drop { kind, if_exists, name } => {
                let k = match kind {
                    DropKind::Table => "TABLE",
                    DropKind::Index => "INDEX",
                    DropKind::View => "VIEW",
                    DropKind::Trigger => "TRIGGER",
                };
                write!(f, "DROP {k} ")?;
                if *if_exists {
                    f.write_str("IF EXISTS ")?;
                }
                write!(f, "{name}")
            }
            Stmt::AlterTable(a) => {
                write!(f, "ALTER TABLE {} ", a.table)?;
                match &a.action {
                    AlterTableAction::RenameTo(n) => write!(f, "RENAME TO {}", Ident(n)),
                    AlterTableAction::RenameColumn { old, new } => {
                        write!(f, "RENAME COLUMN {} TO {}", Ident(old), Ident(new))
                    }
                    AlterTableAction::AddColumn(c) => write!(f, "ADD COLUMN {c}"),
                    AlterTableAction::DropColumn(c) => write!(f, "DROP COLUMN {}", Ident(c)),
                    AlterTableAction::AlterColumn { column, def } => {
                        write!(f, "ALTER COLUMN {} TO {def}", Ident(column))
                    }
                }
            }
            Stmt::Attach { file, schema, key } => {
                write!(f, "ATTACH {file} AS {schema}")?;
                if let Some(k) = key {
                    write!(f, " KEY {k}")?;
                }
                Ok(())
            }
            Stmt::Detach(e) => write!(f, "DETACH {e}"),
            Stmt::Begin(k) => match k {
                None => f.write_str("BEGIN"),
                Some(TransactionKind::Deferred) => f.write_str("BEGIN DEFERRED"),
                Some(TransactionKind::Immediate) => f.write_str("BEGIN IMMEDIATE"),
                Some(TransactionKind::Exclusive) => f.write_str("BEGIN EXCLUSIVE"),
            },
            Stmt::Commit => f.write_str("COMMIT"),
            Stmt::Rollback { savepoint } => match savepoint {
                Some(s) => write!(f, "ROLLBACK TO {}", Ident(s)),
                None => f.write_str("ROLLBACK"),
            },
            Stmt::Savepoint(n) => write!(f, "SAVEPOINT {}", Ident(n)),
            Stmt::Release(n) => write!(f, "RELEASE {}", Ident(n)),
            Stmt::Pragma(p) => {
                write!(f, "PRAGMA {}", p.name)?;
                if let Some(v) = &p.value {
                    let text = if v.numeric
                        || ["on", "delete", "default"]
                            .iter()
                            .any(|k| v.text.eq_ignore_ascii_case(k))
                    {
                        v.text.to_string()
                    } else {
                        Ident(&v.text).to_string()
                    };
                    if v.call_form {
                        write!(f, "({text})")?;
                    } else {
                        write!(f, " = {text}")?;
                    }
                }
                Ok(())
            }
            Stmt::Vacuum { schema, into } => {
                f.write_str("VACUUM")?;
                if let Some(s) = schema {
                    write!(f, " {}", Ident(s))?;
                }
                if let Some(i) = into {
                    write!(f, " INTO {i}")?;
                }
                Ok(())
            }
            Stmt::Analyze(n) => match n {
                Some(n) => write!(f, "ANALYZE {n}"),
                None => f.write_str("ANALYZE"),
            },
            Stmt::Reindex(n) => match n {
                Some(n) => write!(f, "REINDEX {n}"),
                None => f.write_str("REINDEX"),
            },
        }
    }
}
