//! Token kinds and tokens: what the tokenizer produces and the parser consumes.
//!
//! A [`Token`] is a kind plus a byte span into the input; it owns nothing (invariant 1 of
//! [`super::tokenizer`]). Keywords are exactly SQLite 3.40's 147 keywords; `TEMPORARY` is
//! [`TokenKind::Temp`], `==` is [`TokenKind::Eq`], `<>` is [`TokenKind::Ne`], as in SQLite.
//!
//! Invariants:
//! 1. [`TokenKind::fallback_id`] is SQLite's list of keywords that may serve as identifiers
//!    where the keyword itself would be a syntax error (checked against real SQLite 3.40.1:
//!    `CREATE TABLE t(<kw>)` is accepted exactly for these, plus the join keywords and INDEXED,
//!    which the grammar admits as names through other rules).

/// A token: its kind and the byte range `[start, end)` of its text in the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Token {
    pub kind: TokenKind,
    pub start: u32,
    pub end: u32,
}

impl Token {
    pub fn text<'a>(&self, sql: &'a str) -> &'a str {
        &sql[self.start as usize..self.end as usize]
    }
    pub fn len(&self) -> usize {
        (self.end - self.start) as usize
    }
    pub fn is_empty(&self) -> bool {
        self.end == self.start
    }
}

macro_rules! keywords {
    ($($kw:ident = $text:literal,)*) => {
        /// Every kind of token.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        pub enum TokenKind {
            /// End of input (no text).
            Eof,
            /// Whitespace or a comment (never returned by [`super::tokenizer::Tokenizer`]'s
            /// significant-token iterator, but produced by [`super::tokenizer::next_token`]).
            Space,
            /// A character sequence SQLite rejects (`unrecognized token`).
            Illegal,
            /// A bare identifier or a `"..."`, `[...]`, `` `...` `` quoted one.
            Id,
            /// `'...'`
            String,
            /// A decimal or hexadecimal integer literal.
            Integer,
            /// A literal with a decimal point or exponent.
            Float,
            /// `x'...'`
            Blob,
            /// `?`, `?NNN`, `:name`, `@name`, `#name`, `$name`
            Variable,
            LParen, RParen, Comma, Semi, Dot,
            Plus, Minus, Star, Slash, Rem,
            Eq, Ne, Lt, Le, Gt, Ge,
            LShift, RShift, BitAnd, BitOr, BitNot, Concat,
            /// `->` or `->>`
            Ptr,
            $($kw,)*
        }

        /// Every keyword's text (SQLite's keyword list, `sqlite3_keyword_name`), TEMPORARY
        /// included as the synonym of TEMP.
        pub const KEYWORDS: &[&str] = &[$(
            match std::str::from_utf8($text) { Ok(s) => s, Err(_) => "" },
        )* "TEMPORARY"];

        /// Looks up a keyword (ASCII case-insensitive); `None` for an ordinary identifier.
        pub fn keyword(word: &[u8]) -> Option<TokenKind> {
            if word.len() < 2 || word.len() > 17 {
                return None;
            }
            let mut buf = [0u8; 17];
            for (d, s) in buf.iter_mut().zip(word) {
                *d = s.to_ascii_uppercase();
            }
            match &buf[..word.len()] {
                $($text => Some(TokenKind::$kw),)*
                b"TEMPORARY" => Some(TokenKind::Temp),
                _ => None,
            }
        }

        impl TokenKind {
            /// The keyword's canonical text, for keywords.
            pub fn keyword_text(self) -> Option<&'static str> {
                match self {
                    $(TokenKind::$kw => std::str::from_utf8($text).ok(),)*
                    _ => None,
                }
            }
        }
    };
}

keywords! {
    Abort = b"ABORT", Action = b"ACTION", Add = b"ADD", After = b"AFTER", All = b"ALL",
    Alter = b"ALTER", Always = b"ALWAYS", Analyze = b"ANALYZE", And = b"AND", As = b"AS",
    Asc = b"ASC", Attach = b"ATTACH", Autoincrement = b"AUTOINCREMENT", Before = b"BEFORE",
    Begin = b"BEGIN", Between = b"BETWEEN", By = b"BY", Cascade = b"CASCADE", Case = b"CASE",
    Cast = b"CAST", Check = b"CHECK", Collate = b"COLLATE", Column = b"COLUMN",
    Commit = b"COMMIT", Conflict = b"CONFLICT", Constraint = b"CONSTRAINT", Create = b"CREATE",
    Cross = b"CROSS", Current = b"CURRENT", CurrentDate = b"CURRENT_DATE",
    CurrentTime = b"CURRENT_TIME", CurrentTimestamp = b"CURRENT_TIMESTAMP",
    Database = b"DATABASE", Default = b"DEFAULT", Deferrable = b"DEFERRABLE",
    Deferred = b"DEFERRED", Delete = b"DELETE", Desc = b"DESC", Detach = b"DETACH",
    Distinct = b"DISTINCT", Do = b"DO", Drop = b"DROP", Each = b"EACH", Else = b"ELSE",
    End = b"END", Escape = b"ESCAPE", Except = b"EXCEPT", Exclude = b"EXCLUDE",
    Exclusive = b"EXCLUSIVE", Exists = b"EXISTS", Explain = b"EXPLAIN", Fail = b"FAIL",
    Filter = b"FILTER", First = b"FIRST", Following = b"FOLLOWING", For = b"FOR",
    Foreign = b"FOREIGN", From = b"FROM", Full = b"FULL", Generated = b"GENERATED",
    Glob = b"GLOB", Group = b"GROUP", Groups = b"GROUPS", Having = b"HAVING", If = b"IF",
    Ignore = b"IGNORE", Immediate = b"IMMEDIATE", In = b"IN", Index = b"INDEX",
    Indexed = b"INDEXED", Initially = b"INITIALLY", Inner = b"INNER", Insert = b"INSERT",
    Instead = b"INSTEAD", Intersect = b"INTERSECT", Into = b"INTO", Is = b"IS",
    Isnull = b"ISNULL", Join = b"JOIN", Key = b"KEY", Last = b"LAST", Left = b"LEFT",
    Like = b"LIKE", Limit = b"LIMIT", Match = b"MATCH", Materialized = b"MATERIALIZED",
    Natural = b"NATURAL", No = b"NO", Not = b"NOT", Nothing = b"NOTHING", Notnull = b"NOTNULL",
    Null = b"NULL", Nulls = b"NULLS", Of = b"OF", Offset = b"OFFSET", On = b"ON", Or = b"OR",
    Order = b"ORDER", Others = b"OTHERS", Outer = b"OUTER", Over = b"OVER",
    Partition = b"PARTITION", Plan = b"PLAN", Pragma = b"PRAGMA", Preceding = b"PRECEDING",
    Primary = b"PRIMARY", Query = b"QUERY", Raise = b"RAISE", Range = b"RANGE",
    Recursive = b"RECURSIVE", References = b"REFERENCES", Regexp = b"REGEXP",
    Reindex = b"REINDEX", Release = b"RELEASE", Rename = b"RENAME", Replace = b"REPLACE",
    Restrict = b"RESTRICT", Returning = b"RETURNING", Right = b"RIGHT", Rollback = b"ROLLBACK",
    Row = b"ROW", Rows = b"ROWS", Savepoint = b"SAVEPOINT", Select = b"SELECT", Set = b"SET",
    Table = b"TABLE", Temp = b"TEMP", Then = b"THEN", Ties = b"TIES", To = b"TO",
    Transaction = b"TRANSACTION", Trigger = b"TRIGGER", Unbounded = b"UNBOUNDED",
    Union = b"UNION", Unique = b"UNIQUE", Update = b"UPDATE", Using = b"USING",
    Vacuum = b"VACUUM", Values = b"VALUES", View = b"VIEW", Virtual = b"VIRTUAL",
    When = b"WHEN", Where = b"WHERE", Window = b"WINDOW", With = b"WITH", Without = b"WITHOUT",
}

impl TokenKind {
    /// Whether this kind is one of SQLite's keywords.
    pub fn is_keyword(self) -> bool {
        self.keyword_text().is_some()
    }

    /// SQLite's `%fallback ID` list: keywords that become identifiers where the keyword
    /// would not fit (invariant 1). WINDOW, OVER and FILTER are missing on purpose: the parser
    /// turns them into identifiers before this question arises unless they are keywords in
    /// their position (SQLite's tokenizer look-ahead rule), so a token still of those kinds
    /// is a keyword.
    pub fn fallback_id(self) -> bool {
        use TokenKind::*;
        matches!(
            self,
            Abort
                | Action
                | After
                | Always
                | Analyze
                | Asc
                | Attach
                | Before
                | Begin
                | By
                | Cascade
                | Cast
                | Column
                | Conflict
                | Current
                | CurrentDate
                | CurrentTime
                | CurrentTimestamp
                | Database
                | Deferred
                | Desc
                | Detach
                | Do
                | Each
                | End
                | Exclude
                | Exclusive
                | Explain
                | Fail
                | First
                | Following
                | For
                | Generated
                | Glob
                | Groups
                | If
                | Ignore
                | Immediate
                | Initially
                | Instead
                | Key
                | Last
                | Like
                | Match
                | Materialized
                | No
                | Nulls
                | Of
                | Offset
                | Others
                | Partition
                | Plan
                | Pragma
                | Preceding
                | Query
                | Raise
                | Range
                | Recursive
                | Regexp
                | Reindex
                | Release
                | Rename
                | Replace
                | Restrict
                | Rollback
                | Row
                | Rows
                | Savepoint
                | Temp
                | Ties
                | Trigger
                | Unbounded
                | Vacuum
                | View
                | Virtual
                | With
                | Without
        )
    }

    /// SQLite's JOIN_KW class: CROSS, FULL, INNER, LEFT, NATURAL, OUTER, RIGHT.
    pub fn is_join_kw(self) -> bool {
        use TokenKind::*;
        matches!(self, Cross | Full | Inner | Left | Natural | Outer | Right)
    }

    /// SQLite's `ids`: ID or STRING (after fallback). Used for aliases without AS and for the
    /// words of a type name.
    pub fn is_ids(self) -> bool {
        matches!(self, TokenKind::Id | TokenKind::String) || self.fallback_id()
    }

    /// SQLite's `id`: ID or INDEXED (after fallback).
    pub fn is_id(self) -> bool {
        matches!(self, TokenKind::Id | TokenKind::Indexed) || self.fallback_id()
    }

    /// SQLite's `nm`: id, STRING or a join keyword.
    pub fn is_nm(self) -> bool {
        self.is_id() || self == TokenKind::String || self.is_join_kw()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keyword_lookup_is_case_insensitive_and_complete() {
        assert_eq!(keyword(b"select"), Some(TokenKind::Select));
        assert_eq!(keyword(b"TeMpOrArY"), Some(TokenKind::Temp));
        assert_eq!(keyword(b"current_timestamp"), Some(TokenKind::CurrentTimestamp));
        assert_eq!(keyword(b"rowid"), None);
        assert_eq!(keyword(b"strict"), None);
        // SQLite 3.40 has 147 keywords; TEMPORARY shares TEMP's kind.
        let all = "ABORT ACTION ADD AFTER ALL ALTER ALWAYS ANALYZE AND AS ASC ATTACH AUTOINCREMENT BEFORE BEGIN BETWEEN BY CASCADE CASE CAST CHECK COLLATE COLUMN COMMIT CONFLICT CONSTRAINT CREATE CROSS CURRENT CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP DATABASE DEFAULT DEFERRABLE DEFERRED DELETE DESC DETACH DISTINCT DO DROP EACH ELSE END ESCAPE EXCEPT EXCLUDE EXCLUSIVE EXISTS EXPLAIN FAIL FILTER FIRST FOLLOWING FOR FOREIGN FROM FULL GENERATED GLOB GROUP GROUPS HAVING IF IGNORE IMMEDIATE IN INDEX INDEXED INITIALLY INNER INSERT INSTEAD INTERSECT INTO IS ISNULL JOIN KEY LAST LEFT LIKE LIMIT MATCH MATERIALIZED NATURAL NO NOT NOTHING NOTNULL NULL NULLS OF OFFSET ON OR ORDER OTHERS OUTER OVER PARTITION PLAN PRAGMA PRECEDING PRIMARY QUERY RAISE RANGE RECURSIVE REFERENCES REGEXP REINDEX RELEASE RENAME REPLACE RESTRICT RETURNING RIGHT ROLLBACK ROW ROWS SAVEPOINT SELECT SET TABLE TEMP TEMPORARY THEN TIES TO TRANSACTION TRIGGER UNBOUNDED UNION UNIQUE UPDATE USING VACUUM VALUES VIEW VIRTUAL WHEN WHERE WINDOW WITH WITHOUT";
        let words: Vec<&str> = all.split(' ').collect();
        assert_eq!(words.len(), 147);
        for w in words {
            assert!(keyword(w.as_bytes()).is_some(), "{w}");
        }
    }
}

#[cfg(test)]
mod keyword_list_tests {
    #[test]
    fn the_keyword_list_has_sqlites_147_entries_and_each_is_a_keyword() {
        // SQLite 3.40.1: sqlite3_keyword_count() == 147.
        assert_eq!(super::KEYWORDS.len(), 147);
        for k in super::KEYWORDS {
            assert!(super::keyword(k.as_bytes()).is_some(), "{k}");
        }
    }
}
