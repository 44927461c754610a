//! SQL front end (issue 5): tokenizer, parser, typed AST, AST printer, `sqlite3_complete`.
//!
//! Layout: [`ast`] holds the syntax tree types. More modules land as they are built.

pub mod ast;
