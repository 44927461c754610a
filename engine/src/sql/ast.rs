//! The typed syntax tree of SQLite 3.40's SQL language (plus libSQL's `ALTER COLUMN`).
//!
//! This module owns only data types; [`super::parser`] builds them and [`super::printer`] writes
//! them back as SQL text. The code generator consumes them.
//!
//! Conventions and invariants:
//! 1. Names ([`Name`]) are stored *dequoted*: `"a""b"`, `[a"b]`, `` `a` `` and `'a'` (where the
//!    grammar allows a string as a name) all become their content. Case is preserved; SQLite
//!    compares names case-insensitively (ASCII only), which is the consumer's job.
//! 2. A [`Span`] is a byte range into the text that was handed to the parser (`&sql[span]`), used
//!    where SQLite keeps source text: the name of an unaliased result column, a column's
//!    DEFAULT text, the text of CREATE statements stored in `sqlite_schema`, virtual-table
//!    arguments, the text of an added column. Spans never include leading/trailing whitespace.
//! 3. The tree is normalized the way SQLite's parser normalizes it, so later layers see one form:
//!    `IS NOT DISTINCT FROM` is [`BinaryOp::Is`], `IS DISTINCT FROM` is [`BinaryOp::IsNot`],
//!    `x IS NULL`/`x ISNULL` is [`Expr::IsNull`], `LIMIT a, b` is `LIMIT b OFFSET a`,
//!    parentheses around a single expression vanish, `REPLACE INTO` is `INSERT OR REPLACE INTO`,
//!    `-<integer 9223372036854775808>` is the integer `i64::MIN`.
//! 4. Every [`Expr::Variable`] carries the parameter index SQLite would assign (`?` = largest so
//!    far + 1, `?NNN` = NNN, a repeated name reuses its first index), so
//!    `sqlite3_bind_parameter_count` is the largest index in the statement.
//! 5. Grammar-level checks SQLite makes while parsing (compound ORDER BY placement, join types,
//!    table options, limits on depth and counts) have been made: a tree that exists is one that
//!    SQLite's parser accepts. Name resolution and type checks are NOT done here.
//! 6. Allocation (issue 5: parsing must not allocate per token): names and literal texts are
//!    [`Name`]s, inline up to 24 bytes; operands go into the statement's arena chunks
//!    ([`SubExpr`]: 8 slots, then 16, 32, ...); lists are allocated at their final size where
//!    a look ahead can count them. What remains is about one allocation per SELECT, per list
//!    and per function call (tests/sql_alloc.rs measures it).

/// A byte range `[start, end)` into the parsed SQL text.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start: start as u32, end: end as u32 }
    }
    /// The text this span covers in `sql`.
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        &sql[self.start as usize..self.end as usize]
    }
    pub fn range(&self) -> std::ops::Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// An identifier or literal text, dequoted (invariant 1); short ones are stored inline.
pub use super::name::Name;
/// An operator's operand; the parser's operands share the statement's arena chunks.
pub use super::subexpr::SubExpr;

/// `[schema.]name`.
#[derive(Clone, Debug, PartialEq)]
pub struct QualifiedName {
    pub schema: Option<Name>,
    pub name: Name,
}

impl QualifiedName {
    pub fn bare(name: impl Into<Name>) -> QualifiedName {
        QualifiedName { schema: None, name: name.into() }
    }
}

// ---------------------------------------------------------------------------------------------
// Statements
// ---------------------------------------------------------------------------------------------

/// One SQL statement.
#[derive(Clone, Debug, PartialEq)]
pub enum Stmt {
    /// `EXPLAIN stmt` (`query_plan == false`) or `EXPLAIN QUERY PLAN stmt`.
    Explain {
        query_plan: bool,
        stmt: Box<Stmt>,
    },
    Select(Box<Select>),
    Insert(Box<Insert>),
    Update(Box<Update>),
    Delete(Box<Delete>),
    CreateTable(Box<CreateTable>),
    CreateIndex(Box<CreateIndex>),
    CreateView(Box<CreateView>),
    CreateTrigger(Box<CreateTrigger>),
    CreateVirtualTable(Box<CreateVirtualTable>),
    /// `DROP TABLE|INDEX|VIEW|TRIGGER [IF EXISTS] [schema.]name`.
    Drop {
        kind: DropKind,
        if_exists: bool,
        name: QualifiedName,
    },
    AlterTable(Box<AlterTable>),
    /// `ATTACH [DATABASE] expr AS expr [KEY expr]`.
    Attach {
        file: Box<Expr>,
        schema: Box<Expr>,
        key: Option<Box<Expr>>,
    },
    /// `DETACH [DATABASE] expr`.
    Detach(Box<Expr>),
    /// `BEGIN [DEFERRED|IMMEDIATE|EXCLUSIVE] [TRANSACTION [name]]`.
    Begin(Option<TransactionKind>),
    /// `COMMIT|END [TRANSACTION [name]]`.
    Commit,
    /// `ROLLBACK [TRANSACTION [name]] [TO [SAVEPOINT] savepoint]`.
    Rollback {
        savepoint: Option<Name>,
    },
    /// `SAVEPOINT name`.
    Savepoint(Name),
    /// `RELEASE [SAVEPOINT] name`.
    Release(Name),
    Pragma(Box<Pragma>),
    /// `VACUUM [schema] [INTO expr]`.
    Vacuum {
        schema: Option<Name>,
        into: Option<Box<Expr>>,
    },
    /// `ANALYZE [[schema.]name]`.
    Analyze(Option<QualifiedName>),
    /// `REINDEX [[schema.]name]`.
    Reindex(Option<QualifiedName>),
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DropKind {
    Table,
    Index,
    View,
    Trigger,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TransactionKind {
    Deferred,
    Immediate,
    Exclusive,
}

/// `PRAGMA [schema.]name [= value | (value)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Pragma {
    pub name: QualifiedName,
    pub value: Option<PragmaValue>,
}

/// A pragma's argument as SQLite hands it to the pragma code: the token text (dequoted when it
/// was a name or string), with a leading `-` for negative numbers and no `+`.
#[derive(Clone, Debug, PartialEq)]
pub struct PragmaValue {
    pub text: Name,
    /// Whether the value was written as a (possibly signed) numeric literal.
    pub numeric: bool,
    /// Whether the value was written in parentheses (`PRAGMA x(v)`) rather than `= v`.
    pub call_form: bool,
}

// ---------------------------------------------------------------------------------------------
// SELECT
// ---------------------------------------------------------------------------------------------

/// A complete SELECT: optional WITH, one or more cores joined by compound operators, and the
/// ORDER BY / LIMIT that apply to the whole compound.
#[derive(Clone, Debug, PartialEq)]
pub struct Select {
    pub with: Option<With>,
    pub body: SelectBody,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

impl Select {
    /// `SELECT columns FROM from [WHERE where_clause]`, no compound, ORDER BY or LIMIT: the
    /// queries the code generator writes where SQLite defines a clause through one (UPDATE
    /// ... FROM, DELETE ... LIMIT, `x IN table`).
    pub fn simple(columns: Vec<ResultColumn>, from: FromClause, where_clause: Option<Expr>) -> Select {
        let core = QuerySpec {
            distinct: None,
            columns,
            from: Some(from),
            where_clause,
            group_by: Vec::new(),
            having: None,
            windows: Vec::new(),
        };
        Select {
            with: None,
            body: SelectBody { first: SelectCore::Select(Box::new(core)), compounds: Vec::new() },
            order_by: Vec::new(),
            limit: None,
        }
    }
}

impl ResultColumn {
    /// An unaliased result column `expr` (no source text: a column the generator wrote).
    pub fn expr(expr: Expr) -> ResultColumn {
        ResultColumn::Expr { expr, alias: None, span: Span::default() }
    }
}

impl FromClause {
    /// `FROM [schema.]name [AS alias]`.
    pub fn table(name: QualifiedName, alias: Option<Name>) -> FromClause {
        FromClause { first: FromItem::Table { name, alias, indexed: None }, joins: Vec::new() }
    }
}

/// `core (op core)*`, left-associative: `a UNION b EXCEPT c` is `(a UNION b) EXCEPT c`.
#[derive(Clone, Debug, PartialEq)]
pub struct SelectBody {
    pub first: SelectCore,
    pub compounds: Vec<(CompoundOp, SelectCore)>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CompoundOp {
    Union,
    UnionAll,
    Intersect,
    Except,
}

/// One simple SELECT or a VALUES list.
#[derive(Clone, Debug, PartialEq)]
pub enum SelectCore {
    Select(Box<QuerySpec>),
    /// `VALUES (row), (row), ...`; every row is non-empty. Row lengths are NOT checked here:
    /// SQLite refuses mismatches when coding ("all VALUES must have the same number of terms").
    Values(Vec<Vec<Expr>>),
}

/// `SELECT [DISTINCT|ALL] columns [FROM ...] [WHERE ...] [GROUP BY ... [HAVING ...]]
/// [WINDOW ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct QuerySpec {
    pub distinct: Option<Distinctness>,
    pub columns: Vec<ResultColumn>,
    pub from: Option<FromClause>,
    pub where_clause: Option<Expr>,
    pub group_by: Vec<Expr>,
    pub having: Option<Expr>,
    pub windows: Vec<WindowDefinition>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Distinctness {
    Distinct,
    All,
}

/// A term of a result-column list (also used by RETURNING).
#[derive(Clone, Debug, PartialEq)]
pub enum ResultColumn {
    /// `expr [[AS] alias]`; `span` is the expression's source text, which names the column
    /// when there is no alias.
    Expr { expr: Expr, alias: Option<Name>, span: Span },
    /// `*`
    Star,
    /// `table.*`
    TableStar(Name),
}

/// `WITH [RECURSIVE] cte, ...`.
#[derive(Clone, Debug, PartialEq)]
pub struct With {
    pub recursive: bool,
    pub ctes: Vec<CommonTableExpr>,
}

/// `name [(columns)] AS [[NOT] MATERIALIZED] (select)`.
#[derive(Clone, Debug, PartialEq)]
pub struct CommonTableExpr {
    pub name: Name,
    pub columns: Vec<Name>,
    /// `Some(true)` for MATERIALIZED, `Some(false)` for NOT MATERIALIZED.
    pub materialized: Option<bool>,
    pub select: Box<Select>,
}

/// A FROM clause (or a parenthesized join inside one): the first item and the items joined to
/// it, left to right. A comma is [`JoinKind::Comma`].
#[derive(Clone, Debug, PartialEq)]
pub struct FromClause {
    pub first: FromItem,
    pub joins: Vec<Join>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Join {
    pub op: JoinOperator,
    pub item: FromItem,
    pub constraint: Option<JoinConstraint>,
}

/// A join operator: `,`, or `[NATURAL] [LEFT|RIGHT|FULL [OUTER] | INNER | CROSS] JOIN`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct JoinOperator {
    pub natural: bool,
    pub kind: JoinKind,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum JoinKind {
    /// `a, b`
    Comma,
    /// `JOIN` or `INNER JOIN`
    Inner,
    /// `CROSS JOIN` (an inner join the planner must not reorder)
    Cross,
    Left,
    Right,
    Full,
}

#[derive(Clone, Debug, PartialEq)]
pub enum JoinConstraint {
    On(Expr),
    Using(Vec<Name>),
}

/// A table, table-valued function, subquery or parenthesized join in a FROM clause.
#[derive(Clone, Debug, PartialEq)]
pub enum FromItem {
    Table {
        name: QualifiedName,
        alias: Option<Name>,
        indexed: Option<Indexed>,
    },
    /// A table-valued function `name(args)`.
    Function {
        name: QualifiedName,
        args: Vec<Expr>,
        alias: Option<Name>,
    },
    Subquery {
        select: Box<Select>,
        alias: Option<Name>,
    },
    /// `( join )` with an optional alias.
    Join {
        from: Box<FromClause>,
        alias: Option<Name>,
    },
}

/// `INDEXED BY name` or `NOT INDEXED`.
#[derive(Clone, Debug, PartialEq)]
pub enum Indexed {
    By(Name),
    NotIndexed,
}

/// An ORDER BY term, also an indexed column (CREATE INDEX, PRIMARY KEY, UNIQUE, UPSERT target).
#[derive(Clone, Debug, PartialEq)]
pub struct OrderingTerm {
    pub expr: Expr,
    pub order: Option<SortOrder>,
    pub nulls: Option<NullsOrder>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortOrder {
    Asc,
    Desc,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NullsOrder {
    First,
    Last,
}

/// `LIMIT limit [OFFSET offset]`; `LIMIT a, b` is stored as `limit = b, offset = a`.
#[derive(Clone, Debug, PartialEq)]
pub struct Limit {
    pub limit: Expr,
    pub offset: Option<Expr>,
}

/// `WINDOW name AS (window-spec)`.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowDefinition {
    pub name: Name,
    pub window: WindowSpec,
}

/// `([base] [PARTITION BY ...] [ORDER BY ...] [frame])`.
#[derive(Clone, Debug, PartialEq)]
pub struct WindowSpec {
    pub base: Option<Name>,
    pub partition_by: Vec<Expr>,
    pub order_by: Vec<OrderingTerm>,
    pub frame: Option<FrameSpec>,
}

/// `ROWS|RANGE|GROUPS start` or `... BETWEEN start AND end`, with an optional EXCLUDE.
#[derive(Clone, Debug, PartialEq)]
pub struct FrameSpec {
    pub units: FrameUnits,
    pub start: FrameBound,
    /// `None` when written without BETWEEN (the end is then CURRENT ROW).
    pub end: Option<FrameBound>,
    pub exclude: Option<FrameExclude>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameUnits {
    Rows,
    Range,
    Groups,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FrameBound {
    UnboundedPreceding,
    Preceding(Expr),
    CurrentRow,
    Following(Expr),
    UnboundedFollowing,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FrameExclude {
    NoOthers,
    CurrentRow,
    Group,
    Ties,
}

// ---------------------------------------------------------------------------------------------
// INSERT / UPDATE / DELETE
// ---------------------------------------------------------------------------------------------

/// `ON CONFLICT` resolution algorithm (`OR ROLLBACK` etc.).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ResolveType {
    Rollback,
    Abort,
    Fail,
    Ignore,
    Replace,
}

/// `[WITH ...] INSERT|REPLACE [OR conflict] INTO [schema.]table [AS alias] [(columns)]
/// source [upsert...] [RETURNING ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Insert {
    pub with: Option<With>,
    /// `REPLACE INTO` is `Some(ResolveType::Replace)`.
    pub or_conflict: Option<ResolveType>,
    pub table: QualifiedName,
    pub alias: Option<Name>,
    /// Empty when no column list was given.
    pub columns: Vec<Name>,
    pub source: InsertSource,
    /// ON CONFLICT clauses in order; only the last may lack a target.
    pub upsert: Vec<Upsert>,
    pub returning: Vec<ResultColumn>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum InsertSource {
    /// `VALUES ...` or any SELECT.
    Select(Box<Select>),
    DefaultValues,
}

/// `ON CONFLICT [(target) [WHERE ...]] DO NOTHING | DO UPDATE SET ... [WHERE ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Upsert {
    pub target: Option<UpsertTarget>,
    pub action: UpsertAction,
}

#[derive(Clone, Debug, PartialEq)]
pub struct UpsertTarget {
    pub columns: Vec<OrderingTerm>,
    pub where_clause: Option<Expr>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum UpsertAction {
    Nothing,
    Update { sets: Vec<Assignment>, where_clause: Option<Expr> },
}

/// `column = expr` or `(c1, c2) = expr`.
#[derive(Clone, Debug, PartialEq)]
pub struct Assignment {
    pub columns: Vec<Name>,
    pub expr: Expr,
}

/// `[WITH ...] UPDATE [OR conflict] [schema.]table [AS alias] [INDEXED BY ...] SET ...
/// [FROM ...] [WHERE ...] [RETURNING ...] [ORDER BY ...] [LIMIT ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Update {
    pub with: Option<With>,
    pub or_conflict: Option<ResolveType>,
    pub table: QualifiedName,
    pub alias: Option<Name>,
    pub indexed: Option<Indexed>,
    pub sets: Vec<Assignment>,
    pub from: Option<FromClause>,
    pub where_clause: Option<Expr>,
    pub returning: Vec<ResultColumn>,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

/// `[WITH ...] DELETE FROM [schema.]table [AS alias] [INDEXED BY ...] [WHERE ...]
/// [RETURNING ...] [ORDER BY ...] [LIMIT ...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Delete {
    pub with: Option<With>,
    pub table: QualifiedName,
    pub alias: Option<Name>,
    pub indexed: Option<Indexed>,
    pub where_clause: Option<Expr>,
    pub returning: Vec<ResultColumn>,
    pub order_by: Vec<OrderingTerm>,
    pub limit: Option<Limit>,
}

// ---------------------------------------------------------------------------------------------
// CREATE / ALTER
// ---------------------------------------------------------------------------------------------

/// `CREATE [TEMP] TABLE [IF NOT EXISTS] [schema.]name (defs) [options] | AS select`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateTable {
    pub temp: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub body: CreateTableBody,
    /// From the table name to the end of the statement: SQLite stores `"CREATE TABLE " + this`
    /// in `sqlite_schema.sql`.
    pub text_from_name: Span,
}

#[derive(Clone, Debug, PartialEq)]
pub enum CreateTableBody {
    Columns { columns: Vec<ColumnDef>, constraints: Vec<TableConstraint>, options: TableOptions },
    AsSelect(Box<Select>),
}

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TableOptions {
    pub without_rowid: bool,
    pub strict: bool,
}

/// `name [type] [constraints...]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnDef {
    pub name: Name,
    pub type_name: Option<TypeName>,
    pub constraints: Vec<ColumnConstraint>,
    /// The column definition's whole text (name to last constraint).
    pub span: Span,
}

/// A declared type: `VARCHAR(10)`, `unsigned big int`, `DECIMAL(10, 2)`.
#[derive(Clone, Debug, PartialEq)]
pub struct TypeName {
    /// The words of the name, dequoted (`["unsigned", "big", "int"]`).
    pub words: Vec<Name>,
    /// The signed numbers in parentheses, as written (`["10", "-2"]`); at most two.
    pub args: Vec<Name>,
    /// The type as written, from its first to its last token. SQLite's declared type
    /// (`sqlite3_column_decltype`, `PRAGMA table_info`) is this text, except that text
    /// beginning with a quote character is dequoted by SQLite's own rule (`"my type" big` is
    /// reported as `my type`; check odd cases such as `[x y] z` against SQLite).
    pub span: Span,
}

/// `[CONSTRAINT name] constraint`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnConstraint {
    pub name: Option<Name>,
    pub kind: ColumnConstraintKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum ColumnConstraintKind {
    PrimaryKey {
        order: Option<SortOrder>,
        conflict: Option<ResolveType>,
        autoincrement: bool,
    },
    NotNull {
        conflict: Option<ResolveType>,
    },
    /// `NULL [conflict]`: accepted and ignored by SQLite.
    Null {
        conflict: Option<ResolveType>,
    },
    Unique {
        conflict: Option<ResolveType>,
    },
    /// `CHECK (expr)`; `span` is the text between the parentheses (what SQLite names the
    /// constraint by when it fails).
    Check {
        expr: Expr,
        span: Span,
    },
    /// `DEFAULT value`; `span` is the text SQLite reports as `dflt_value`
    /// (without the parentheses of `DEFAULT (expr)`).
    Default {
        expr: Expr,
        span: Span,
    },
    Collate(Name),
    References(ForeignKeyClause),
    /// A `[NOT] DEFERRABLE ...` clause with no REFERENCES just before it (one that follows a
    /// REFERENCES is stored in that clause's `deferrable`, as SQLite applies it).
    Deferrable(Deferrable),
    /// `[GENERATED ALWAYS] AS (expr) [STORED|VIRTUAL]`.
    Generated {
        expr: Expr,
        stored: bool,
    },
}

/// `[CONSTRAINT name] constraint` at table level.
#[derive(Clone, Debug, PartialEq)]
pub struct TableConstraint {
    pub name: Option<Name>,
    pub kind: TableConstraintKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TableConstraintKind {
    PrimaryKey { columns: Vec<OrderingTerm>, autoincrement: bool, conflict: Option<ResolveType> },
    Unique { columns: Vec<OrderingTerm>, conflict: Option<ResolveType> },
    /// As the column constraint's (`span`: the text between the parentheses).
    Check { expr: Expr, span: Span },
    ForeignKey { columns: Vec<Name>, clause: ForeignKeyClause },
}

/// `REFERENCES table [(columns)] [ON DELETE|UPDATE action | MATCH name]... [deferrable]`.
#[derive(Clone, Debug, PartialEq)]
pub struct ForeignKeyClause {
    pub table: Name,
    pub columns: Vec<Name>,
    pub on_delete: Option<ForeignKeyAction>,
    pub on_update: Option<ForeignKeyAction>,
    /// `MATCH name` (parsed, ignored by SQLite).
    pub match_name: Option<Name>,
    pub deferrable: Option<Deferrable>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForeignKeyAction {
    SetNull,
    SetDefault,
    Cascade,
    Restrict,
    NoAction,
}

/// `[NOT] DEFERRABLE [INITIALLY DEFERRED|IMMEDIATE]`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Deferrable {
    pub not: bool,
    /// `Some(true)` for INITIALLY DEFERRED, `Some(false)` for INITIALLY IMMEDIATE.
    pub initially_deferred: Option<bool>,
}

/// `CREATE [UNIQUE] INDEX [IF NOT EXISTS] [schema.]name ON table (columns) [WHERE expr]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateIndex {
    pub unique: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub table: Name,
    pub columns: Vec<OrderingTerm>,
    pub where_clause: Option<Expr>,
    /// From the index name to the end of the statement.
    pub text_from_name: Span,
}

/// `CREATE [TEMP] VIEW [IF NOT EXISTS] [schema.]name [(columns)] AS select`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateView {
    pub temp: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub columns: Vec<Name>,
    pub select: Box<Select>,
    /// From the view name to the end of the statement.
    pub text_from_name: Span,
}

/// `CREATE [TEMP] TRIGGER [IF NOT EXISTS] [schema.]name [BEFORE|AFTER|INSTEAD OF] event ON
/// table [FOR EACH ROW] [WHEN expr] BEGIN step; ... END`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateTrigger {
    pub temp: bool,
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub time: Option<TriggerTime>,
    pub event: TriggerEvent,
    pub table: QualifiedName,
    pub for_each_row: bool,
    pub when: Option<Expr>,
    /// The body's statements. Their tables are unqualified, they have no WITH, INDEXED BY,
    /// RETURNING, ORDER BY or LIMIT (the parser rejects those, as SQLite does).
    pub body: Vec<TriggerStep>,
    /// From the trigger name to the end of the statement.
    pub text_from_name: Span,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TriggerTime {
    Before,
    After,
    InsteadOf,
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerEvent {
    Delete,
    Insert,
    /// `UPDATE [OF columns]`; empty when no OF list.
    Update(Vec<Name>),
}

#[derive(Clone, Debug, PartialEq)]
pub enum TriggerStep {
    Update(Box<Update>),
    Insert(Box<Insert>),
    Delete(Box<Delete>),
    Select(Box<Select>),
}

/// `CREATE VIRTUAL TABLE [IF NOT EXISTS] [schema.]name USING module [(args)]`.
#[derive(Clone, Debug, PartialEq)]
pub struct CreateVirtualTable {
    pub if_not_exists: bool,
    pub name: QualifiedName,
    pub module: Name,
    /// Each argument's text, from its first to its last token, as the module receives it.
    pub args: Vec<Name>,
    /// From the table name to the end of the statement.
    pub text_from_name: Span,
}

/// `ALTER TABLE [schema.]table action`.
#[derive(Clone, Debug, PartialEq)]
pub struct AlterTable {
    pub table: QualifiedName,
    pub action: AlterTableAction,
}

#[derive(Clone, Debug, PartialEq)]
pub enum AlterTableAction {
    RenameTo(Name),
    RenameColumn {
        old: Name,
        new: Name,
    },
    AddColumn(ColumnDef),
    DropColumn(Name),
    /// libSQL: `ALTER TABLE t ALTER COLUMN c TO column-def`.
    AlterColumn {
        column: Name,
        def: ColumnDef,
    },
}

// ---------------------------------------------------------------------------------------------
// Expressions
// ---------------------------------------------------------------------------------------------

/// A literal value.
#[derive(Clone, Debug, PartialEq)]
pub enum Literal {
    Null,
    Integer(i64),
    /// A real literal, or a decimal integer literal too large for i64.
    Real(f64),
    String(Name),
    Blob(Vec<u8>),
    CurrentTime,
    CurrentDate,
    CurrentTimestamp,
}

/// An SQL expression.
#[derive(Clone, Debug, PartialEq)]
pub enum Expr {
    Literal(Literal),
    /// A parameter: `text` as written (`?`, `?3`, `:a`, `@a`, `$a::b(c)`), `index` as assigned
    /// (invariant 4).
    Variable {
        text: Name,
        index: u32,
    },
    /// A bare identifier. `double_quoted` marks `"x"`, which SQLite treats as the string 'x' when
    /// it names no column.
    Id {
        name: Name,
        double_quoted: bool,
    },
    /// `table.column` or `schema.table.column`.
    Qualified {
        schema: Option<Name>,
        table: Name,
        column: Name,
    },
    Unary {
        op: UnaryOp,
        expr: SubExpr,
    },
    Binary {
        op: BinaryOp,
        left: SubExpr,
        right: SubExpr,
    },
    /// `expr [NOT] LIKE|GLOB|REGEXP|MATCH pattern [ESCAPE escape]`.
    Like {
        op: LikeOp,
        not: bool,
        expr: SubExpr,
        pattern: SubExpr,
        escape: Option<SubExpr>,
    },
    /// `expr [NOT] BETWEEN low AND high`.
    Between {
        expr: SubExpr,
        not: bool,
        low: SubExpr,
        high: SubExpr,
    },
    /// `expr [NOT] IN (list)`; the list may be empty.
    InList {
        expr: SubExpr,
        not: bool,
        list: Vec<Expr>,
    },
    /// `expr [NOT] IN (select)`.
    InSelect {
        expr: SubExpr,
        not: bool,
        select: Box<Select>,
    },
    /// `expr [NOT] IN [schema.]table` or `... IN table_function(args)`.
    InTable {
        expr: SubExpr,
        not: bool,
        table: Box<QualifiedName>,
        args: Option<Vec<Expr>>,
    },
    /// `expr ISNULL`, `expr IS NULL` (`not == false`), `expr NOTNULL`, `expr NOT NULL`,
    /// `expr IS NOT NULL` (`not == true`).
    IsNull {
        expr: SubExpr,
        not: bool,
    },
    Collate {
        expr: SubExpr,
        collation: Name,
    },
    /// `CAST(expr AS type)`; the type may be empty (`CAST(x AS)` is valid SQLite).
    Cast {
        expr: SubExpr,
        type_name: Option<TypeName>,
    },
    Case {
        operand: Option<SubExpr>,
        when_then: Vec<(Expr, Expr)>,
        else_expr: Option<SubExpr>,
    },
    /// `[NOT] EXISTS (select)`; NOT EXISTS is `Unary(Not, Exists)`.
    Exists(Box<Select>),
    /// A scalar subquery `(select)`.
    Subquery(Box<Select>),
    /// A row value `(a, b, ...)` with at least two terms.
    Vector(Vec<Expr>),
    FunctionCall(Box<FunctionCall>),
    /// `RAISE(IGNORE)` or `RAISE(ROLLBACK|ABORT|FAIL, message)`.
    Raise {
        action: RaiseAction,
        message: Option<Name>,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `-x`
    Negate,
    /// `+x`
    Plus,
    /// `~x`
    BitNot,
    /// `NOT x`
    Not,
}

/// Binary operators, in SQLite's meaning.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    Or,
    And,
    /// `=` and `==`
    Eq,
    /// `!=` and `<>`
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
    /// `IS` and `IS NOT DISTINCT FROM`
    Is,
    /// `IS NOT` and `IS DISTINCT FROM`
    IsNot,
    BitAnd,
    BitOr,
    ShiftLeft,
    ShiftRight,
    Add,
    Subtract,
    Multiply,
    Divide,
    Remainder,
    /// `||`
    Concat,
    /// `->`
    JsonArrow,
    /// `->>`
    JsonArrow2,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LikeOp {
    Like,
    Glob,
    Regexp,
    Match,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RaiseAction {
    Ignore,
    Rollback,
    Abort,
    Fail,
}

/// `name([DISTINCT] args | *) [FILTER (WHERE expr)] [OVER window]`.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionCall {
    pub name: Name,
    pub distinct: bool,
    pub args: FunctionArgs,
    pub filter: Option<Expr>,
    pub over: Option<Over>,
}

#[derive(Clone, Debug, PartialEq)]
pub enum FunctionArgs {
    /// `f(*)`
    Star,
    /// `f(a, b)`; `f()` is an empty list.
    List(Vec<Expr>),
}

/// `OVER name` or `OVER (window-spec)`.
#[derive(Clone, Debug, PartialEq)]
pub enum Over {
    Name(Name),
    Spec(Box<WindowSpec>),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_stay_small() {
        // Expressions are the most numerous nodes: keep them compact (big payloads are boxed).
        assert!(std::mem::size_of::<Expr>() <= 80, "Expr is {} bytes", std::mem::size_of::<Expr>());
        assert!(std::mem::size_of::<Stmt>() <= 64, "Stmt is {} bytes", std::mem::size_of::<Stmt>());
    }
}
