//! SQL front end (issue 5): tokenizer, parser, typed AST, AST printer, `sqlite3_complete`.
//!
//! Layout: [`token`] and [`tokenizer`] turn text into tokens; [`parser`] turns tokens into
//! the [`ast`]; [`printer`] writes an AST back as SQL; [`complete`] is `sqlite3_complete`.
//! Entry points: [`parse_one`] (first statement and the tail offset), [`Parser`] (iterator),
//! [`is_complete`].

pub mod ast;
pub mod complete;
pub mod parser;
pub mod printer;
pub mod token;
pub mod tokenizer;

pub use complete::is_complete;
pub use parser::{dequote, parse_one, ParseError, Parser};
