//! SQL front end: tokenizer, parser, AST, AST printer (issue 5). Not built yet.
