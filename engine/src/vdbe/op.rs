//! One instruction of a VDBE program: the opcode, its operands P1..P5, and a comment.
//!
//! The operands mean what SQLite's opcode reference says they mean for the opcode of the same
//! name; each opcode's one-line synopsis is written once, on its variant below, and again in
//! [`Opcode::synopsis`] (what EXPLAIN shows in its comment column when the code generator gave
//! none). Where Ferrolite's operand use differs from SQLite's, the variant says so.

use std::sync::Arc;

use crate::func::FuncDef;
use crate::value::{Collation, Value};

/// The sort order of a key: one entry per key column (SQLite's KeyInfo).
#[derive(Clone, Debug, Default)]
pub struct KeyInfo {
    /// (descending, collation; None is BINARY) per column.
    pub fields: Vec<(bool, Option<Arc<Collation>>)>,
    /// Per column: NULLs sort on the other side than their default (NULLS LAST on an ASC
    /// column, NULLS FIRST on a DESC one). Missing entries are false.
    pub nulls_flip: Vec<bool>,
}

/// The P4 operand.
#[derive(Clone, Debug, Default)]
pub enum P4 {
    #[default]
    None,
    Int64(i64),
    Real(f64),
    Text(String),
    Blob(Vec<u8>),
    /// A constant value (Column's default).
    Value(Value),
    Func(Arc<FuncDef>),
    Coll(Arc<Collation>),
    KeyInfo(Arc<KeyInfo>),
    /// The window calls of a `Window` instruction.
    Window(Arc<super::window::WindowPlan>),
    /// One affinity letter per column ('A' BLOB, 'B' TEXT, 'C' NUMERIC, 'D' INTEGER, 'E' REAL).
    Affinity(String),
}

impl P4 {
    /// The text EXPLAIN shows in its p4 column.
    pub fn explain(&self) -> Option<String> {
        Some(match self {
            P4::None => return None,
            P4::Int64(i) => i.to_string(),
            P4::Real(r) => crate::value::real_text::real_to_text(*r),
            P4::Text(s) => s.clone(),
            P4::Blob(b) => format!("x'{}'", b.iter().map(|x| format!("{x:02x}")).collect::<String>()),
            P4::Value(v) => format!("{v:?}"),
            P4::Func(f) => format!("{}({})", f.name, f.n_arg),
            P4::Coll(c) => format!("({})", c.name()),
            P4::KeyInfo(k) => format!(
                "k({},{})",
                k.fields.len(),
                k.fields
                    .iter()
                    .map(|(d, c)| format!("{}{}", if *d { "-" } else { "" }, c.as_ref().map_or("B", |c| c.name())))
                    .collect::<Vec<_>>()
                    .join(",")
            ),
            P4::Affinity(a) => a.clone(),
            P4::Window(w) => format!("window({} calls)", w.n_calls),
        })
    }
}

macro_rules! opcodes {
    ($( $(#[doc = $doc:literal])* $name:ident ),* $(,)?) => {
        /// The opcodes. Each variant's doc line is its synopsis.
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        pub enum Opcode { $( $(#[doc = $doc])* $name ),* }
        impl Opcode {
            /// SQLite's name of the opcode.
            pub fn name(self) -> &'static str {
                match self { $( Opcode::$name => stringify!($name) ),* }
            }
            /// The one-line synopsis (the variant's documentation).
            pub fn synopsis(self) -> &'static str {
                match self { $( Opcode::$name => concat!($($doc),*).trim_start() ),* }
            }
        }
    };
}

opcodes! {
    /// Start: jump to P2 (the program's preamble: transactions, constants).
    Init,
    /// goto P2
    Goto,
    /// Stop: P1 is the result code (0 = OK), P4 the error message.
    Halt,
    /// if r[P3] is NULL halt with result code P1 and message P4
    HaltIfNull,
    /// r[P1] = address of next op; goto P2
    Gosub,
    /// goto r[P1]
    Return,
    /// r[P2] = P1
    Integer,
    /// r[P2] = P4 (an integer)
    Int64,
    /// r[P2] = P4 (a real)
    Real,
    /// r[P2] = P4 (a string)
    String8,
    /// r[P2] = P4 (a blob)
    Blob,
    /// r[P2..=P3] = NULL (r[P2] only when P3 < P2)
    Null,
    /// r[P2] = parameter P1
    Variable,
    /// r[P2..P2+P3] = r[P1..P1+P3]
    Copy,
    /// r[P2] = r[P1] (shallow copy)
    SCopy,
    /// r[P3] = r[P1] + r[P2]
    Add,
    /// r[P3] = r[P2] - r[P1]
    Subtract,
    /// r[P3] = r[P1] * r[P2]
    Multiply,
    /// r[P3] = r[P2] / r[P1]
    Divide,
    /// r[P3] = r[P2] % r[P1]
    Remainder,
    /// r[P3] = r[P2] || r[P1]
    Concat,
    /// r[P3] = r[P1] & r[P2]
    BitAnd,
    /// r[P3] = r[P1] | r[P2]
    BitOr,
    /// r[P3] = r[P2] << r[P1]
    ShiftLeft,
    /// r[P3] = r[P2] >> r[P1]
    ShiftRight,
    /// r[P2] = ~r[P1]
    BitNot,
    /// r[P2] = !r[P1]
    Not,
    /// r[P3] = (r[P1] AND r[P2]) in three-valued logic
    And,
    /// r[P3] = (r[P1] OR r[P2]) in three-valued logic
    Or,
    /// if r[P3]==r[P1] goto P2 (P5: affinity | 0x10 jump if NULL | 0x80 NULL equals NULL (IS))
    Eq,
    /// if r[P3]!=r[P1] goto P2
    Ne,
    /// if r[P3]<r[P1] goto P2
    Lt,
    /// if r[P3]<=r[P1] goto P2
    Le,
    /// if r[P3]>r[P1] goto P2
    Gt,
    /// if r[P3]>=r[P1] goto P2
    Ge,
    /// if r[P1]==NULL goto P2
    IsNull,
    /// if r[P1]!=NULL goto P2
    NotNull,
    /// if r[P1] goto P2 (NULL jumps when P3 is 1)
    If,
    /// if !r[P1] goto P2 (NULL jumps when P3 is 1)
    IfNot,
    /// if r[P1]>0 then r[P1]-=P3, goto P2
    IfPos,
    /// if r[P1]<=0 goto P2
    IfNotPos,
    /// r[P1]-=1; if r[P1]==0 goto P2
    DecrJumpZero,
    /// affinity(r[P1@P2]) from P4
    Affinity,
    /// r[P1] must be an integer, else jump to P2 (P2 = 0: datatype mismatch)
    MustBeInt,
    /// if r[P1] is an integer, make it a real (a REAL column's integral value stored as an
    /// integer, as SQLite stores them)
    RealAffinity,
    /// r[P1] = CAST(r[P1] AS affinity P2)
    Cast,
    /// r[P3] = func(r[P2@P5]) with P4 the function
    Function,
    /// accum=r[P3] step(r[P2@P5]) with P4 the aggregate
    AggStep,
    /// accum=r[P1] N=P2: r[P1] = final value
    AggFinal,
    /// Compare r[P1@P3] with r[P2@P3] under key P4; remember the result for Jump
    Compare,
    /// goto P1, P2 or P3 as the last Compare was <, = or >
    Jump,
    /// root=P2 db=P3: open a read cursor P1 (P4: key info for an index)
    OpenRead,
    /// root=P2 db=P3: open a write cursor P1 (P4: key info for an index)
    OpenWrite,
    /// nColumn=P2: open cursor P1 on a transient index (distinct sets, IN lists)
    OpenEphemeral,
    /// Close cursor P1
    Close,
    /// Move cursor P1 to its first entry; goto P2 when empty
    Rewind,
    /// Move cursor P1 to its last entry; goto P2 when empty
    Last,
    /// Advance cursor P1; goto P2 when there is another entry
    Next,
    /// Step cursor P1 backwards; goto P2 when there is another entry
    Prev,
    /// r[P3] = column P2 of cursor P1 (P4: default when the record is shorter)
    Column,
    /// r[P2] = rowid of cursor P1
    Rowid,
    /// r[P2] = rowid in the last field of index cursor P1
    IdxRowid,
    /// Cursor P1 stands on no row: its columns read NULL
    NullRow,
    /// intkey=r[P3]: seek cursor P1; goto P2 when not found
    SeekRowid,
    /// intkey=r[P3]: seek cursor P1; goto P2 when not found (P3 known to be an integer)
    NotExists,
    /// key=r[P3@P4]: seek index cursor P1 to the first entry >= key; goto P2 when none
    SeekGE,
    /// key=r[P3@P4]: first entry > key; goto P2 when none
    SeekGT,
    /// key=r[P3@P4]: last entry <= key; goto P2 when none
    SeekLE,
    /// key=r[P3@P4]: last entry < key; goto P2 when none
    SeekLT,
    /// key=r[P3@P4]: if the entry's key prefix > key goto P2
    IdxGT,
    /// key=r[P3@P4]: if the entry's key prefix >= key goto P2
    IdxGE,
    /// key=r[P3@P4]: if the entry's key prefix < key goto P2
    IdxLT,
    /// key=r[P3@P4]: if the entry's key prefix <= key goto P2
    IdxLE,
    /// key=r[P3@P4]: goto P2 when an entry with that key prefix exists
    Found,
    /// key=r[P3@P4]: goto P2 when no entry with that key prefix exists
    NotFound,
    /// r[P2] = a new rowid for table cursor P1 (P3: register holding the largest so far, or 0)
    NewRowid,
    /// intkey=r[P3] data=r[P2]: write the row into cursor P1 (P5: 1 count a change, 2 set last rowid)
    Insert,
    /// key=r[P2]: insert the record into index cursor P1 (ephemeral: key=r[P2@P3]; P5: 1 count a change)
    IdxInsert,
    /// Delete the entry cursor P1 stands on (P5: 1 count a change)
    Delete,
    /// key=r[P2@P3]: delete the index entry of cursor P1 with that key
    IdxDelete,
    /// r[P3] = record(r[P1@P2]) with affinities P4 applied first
    MakeRecord,
    /// output=r[P1@P2]
    ResultRow,
    /// Open sorter cursor P1 with key P4 over P2 columns
    SorterOpen,
    /// Add r[P2@P3] as a row of sorter P1 (Ferrolite: the row's registers, not a record)
    SorterInsert,
    /// Sort sorter P1 and stand on its first row; goto P2 when empty
    SorterSort,
    /// Advance sorter P1; goto P2 when there is another row
    SorterNext,
    /// Sort sorter P1 and append to each row the values of the window calls P4
    Window,
    /// Begin a transaction on database P1; P2: 0 read, 1 write; P3 expected schema cookie
    /// (checked when P5 is 1); P4 = 0: no statement savepoint needed
    Transaction,
    /// Set autocommit to P1; P2 = 1 rolls back (BEGIN, COMMIT, ROLLBACK)
    AutoCommit,
    /// P1: 0 begin, 1 release, 2 rollback to savepoint P4
    Savepoint,
    /// r[P2] = root page of a new b-tree (P3: 1 table, 2 index)
    CreateBtree,
    /// Drop the b-tree rooted at page P1
    Destroy,
    /// Delete every entry of the b-tree rooted at page P1 (P2 counts the rows as changes)
    Clear,
    /// Set cookie P2 of database P1 to P3 (P2 = 1: the schema cookie, P3 = 0: increment it)
    SetCookie,
    /// Re-read the schema after this statement
    ParseSchema,
    /// rowset(P1) += r[P2]
    RowSetAdd,
    /// r[P3] = next rowid of rowset P1, or goto P2 when it is empty
    RowSetRead,
    /// Fill sorter P1 with the rows of the pragma named in P4 ("name" or "name=value")
    /// (Ferrolite: SQLite compiles each pragma inline)
    Pragma,
    /// r[P2] = cookie P3 of database P1
    ReadCookie,
    /// Do nothing
    Noop,
    /// One line of EXPLAIN QUERY PLAN (not executed)
    Explain,
}

/// One instruction.
#[derive(Clone, Debug)]
pub struct Op {
    pub opcode: Opcode,
    pub p1: i32,
    pub p2: i32,
    pub p3: i32,
    pub p4: P4,
    pub p5: u16,
    pub comment: Option<String>,
}

impl Op {
    pub fn new(opcode: Opcode, p1: i32, p2: i32, p3: i32) -> Op {
        Op { opcode, p1, p2, p3, p4: P4::None, p5: 0, comment: None }
    }
}
