//! SQL front end (issue 5): SQL text -> typed syntax tree, with SQLite 3.40's exact grammar,
//! keyword rules, limits and error messages; plus the tree -> text printer and
//! `sqlite3_complete`.
//!
//! Layout (one job per file):
//! - [`token`]: token kinds (SQLite's 147 keywords, its fallback-to-identifier list).
//! - [`tokenizer`]: text -> tokens (spans into the input; no allocation).
//! - [`parser`]: tokens -> [`ast`], recursive descent, one file per statement family.
//! - [`ast`]: the tree the code generator consumes (documented there, with its invariants).
//! - [`printer`]: `Display` for the tree, normalized SQL that re-parses to the same tree.
//! - [`complete`]: [`is_complete`], `sqlite3_complete`.
//! - [`walk`]: [`ast::Expr::walk`], a pre-order visit of an expression's sub-expressions.
//!
//! Entry points: [`parse_one`] (first statement + tail offset, `sqlite3_prepare`'s view),
//! [`parse_statement`] (the same plus parameter names, for `sqlite3_bind_parameter_*`),
//! [`Parser`] (iterator over a script's statements), [`is_complete`].
//!
//! Invariants:
//! 1. A statement that SQLite 3.40.1's parser rejects is rejected here with the same message
//!    and the same `sqlite3_error_offset` ([`ParseError::offset`]); one it accepts is accepted.
//!    Checked by tests against the real library (tests/sql_parse.rs, tests/sql_differential.py).
//! 2. Errors SQLite raises later (name resolution, schema checks, "no such table", NATURAL
//!    with ON, VALUES row lengths, ...) are NOT raised here: they belong to the layers below.
//! 3. [`ParseError`] becomes [`crate::error::Error`] (SQLITE_ERROR, same message) through one
//!    `From` impl; the offset travels separately in `ParseError`.
//! 4. Parsing never panics and never recurses without bound (SQLite's 100-entry parser stack is
//!    modelled and enforced), whatever the input.

pub mod ast;
pub mod complete;
pub mod name;
pub mod parser;
pub mod printer;
pub mod subexpr;
pub mod token;
pub mod tokenizer;
pub mod walk;

pub use complete::is_complete;
pub use parser::{dequote, parse_one, parse_statement, ParseError, ParsedStmt, Parser};
