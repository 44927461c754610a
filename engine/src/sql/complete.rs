//! `sqlite3_complete`: does a string end with a complete SQL statement?
//!
//! A statement is complete when a `;` ends it outside strings, quoted identifiers and
//! comments. Inside `CREATE [TEMP] TRIGGER`, semicolons end the body's statements, so the
//! trigger is complete only at `END` followed by `;`. Only the tokens that matter are told
//! apart: `;`, whitespace/comments, EXPLAIN, CREATE, TEMP/TEMPORARY, TRIGGER, END, and the
//! rest ("other").
//!
//! States (drawn):
//! ```text
//!   Empty --other--> Normal --;--> Start --other--> Normal ...
//!   Start/Empty --EXPLAIN--> Explain --CREATE--> Create --TEMP--> Create --TRIGGER--> Trigger
//!   Trigger --;--> TriggerSemi --END--> TriggerEnd --;--> Start
//!   (TriggerSemi/TriggerEnd on anything else go back to Trigger)
//! ```
//! Invariants:
//! 1. Whitespace and comments never change the state.
//! 2. An unterminated string, quoted identifier or `/* comment` means "incomplete".
//! 3. The answer is "complete" exactly when the final state is Start (so "" is incomplete and
//!    ";" is complete, as in SQLite).

use super::tokenizer::is_id_char;

#[derive(Clone, Copy, PartialEq, Eq)]
enum State {
    Empty,
    Start,
    Normal,
    Explain,
    Create,
    Trigger,
    TriggerSemi,
    TriggerEnd,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Tok {
    Semi,
    Space,
    Other,
    Explain,
    Create,
    Temp,
    Trigger,
    End,
}

fn step(s: State, t: Tok) -> State {
    use State::*;
    if t == Tok::Space {
        return s;
    }
    match s {
        Empty | Start => match t {
            Tok::Semi => Start,
            Tok::Explain => Explain,
            Tok::Create => Create,
            _ => Normal,
        },
        Normal => {
            if t == Tok::Semi {
                Start
            } else {
                Normal
            }
        }
        Explain => match t {
            Tok::Semi => Start,
            Tok::Create => Create,
            _ => Normal,
        },
        Create => match t {
            Tok::Semi => Start,
            Tok::Temp => Create,
            Tok::Trigger => Trigger,
            _ => Normal,
        },
        Trigger => {
            if t == Tok::Semi {
                TriggerSemi
            } else {
                Trigger
            }
        }
        TriggerSemi => match t {
            Tok::Semi => TriggerSemi,
            Tok::End => TriggerEnd,
            _ => Trigger,
        },
        TriggerEnd => match t {
            Tok::Semi => Start,
            _ => Trigger,
        },
    }
}

/// `sqlite3_complete`.
pub fn is_complete(sql: &str) -> bool {
    // The C function reads up to the NUL terminator.
    let sql = sql.split('\0').next().unwrap_or("");
    let z = sql.as_bytes();
    let mut i = 0;
    let mut state = State::Empty;
    while i < z.len() {
        let c = z[i];
        let tok = match c {
            b';' => {
                i += 1;
                Tok::Semi
            }
            b' ' | b'\t' | b'\n' | b'\r' | b'\x0c' => {
                i += 1;
                Tok::Space
            }
            b'/' if z.get(i + 1) == Some(&b'*') => {
                let mut j = i + 2;
                while j + 1 < z.len() && !(z[j] == b'*' && z[j + 1] == b'/') {
                    j += 1;
                }
                if j + 1 >= z.len() {
                    return false;
                }
                i = j + 2;
                Tok::Space
            }
            b'-' if z.get(i + 1) == Some(&b'-') => {
                while i < z.len() && z[i] != b'\n' {
                    i += 1;
                }
                Tok::Space
            }
            b'[' => match z[i..].iter().position(|&b| b == b']') {
                Some(n) => {
                    i += n + 1;
                    Tok::Other
                }
                None => return false,
            },
            b'\'' | b'"' | b'`' => match z[i + 1..].iter().position(|&b| b == c) {
                // A doubled quote is two adjacent quoted runs: same effect.
                Some(n) => {
                    i += n + 2;
                    Tok::Other
                }
                None => return false,
            },
            _ if is_id_char(c) => {
                let start = i;
                while i < z.len() && is_id_char(z[i]) {
                    i += 1;
                }
                let w = &sql[start..i];
                if c.is_ascii_digit() {
                    Tok::Other
                } else if w.eq_ignore_ascii_case("create") {
                    Tok::Create
                } else if w.eq_ignore_ascii_case("trigger") {
                    Tok::Trigger
                } else if w.eq_ignore_ascii_case("temp") || w.eq_ignore_ascii_case("temporary") {
                    Tok::Temp
                } else if w.eq_ignore_ascii_case("end") {
                    Tok::End
                } else if w.eq_ignore_ascii_case("explain") {
                    Tok::Explain
                } else {
                    Tok::Other
                }
            }
            _ => {
                i += 1;
                Tok::Other
            }
        };
        state = step(state, tok);
    }
    state == State::Start
}

#[cfg(test)]
mod tests {
    use super::is_complete;

    #[test]
    fn simple_statements() {
        // Answers of SQLite 3.40.1's sqlite3_complete (python3 sqlite3.complete_statement).
        assert!(!is_complete(""));
        assert!(is_complete(";"));
        assert!(!is_complete("SELECT 1"));
        assert!(is_complete("SELECT 1;"));
        assert!(is_complete("SELECT 1; -- done"));
        assert!(!is_complete("SELECT 'a;"));
        assert!(!is_complete("SELECT 1 /* ; "));
        assert!(is_complete("SELECT \"a;b\";"));
    }

    #[test]
    fn trigger_bodies() {
        assert!(!is_complete("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1;"));
        assert!(is_complete("CREATE TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"));
        assert!(is_complete(
            "EXPLAIN CREATE TEMP TRIGGER t AFTER INSERT ON x BEGIN SELECT 1; END;"
        ));
        assert!(!is_complete("create temporary trigger t after insert on x begin select 1; end"));
        assert!(is_complete("CREATE TABLE trigger(a);"));
    }
}
