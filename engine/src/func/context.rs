//! What a function sees of its connection while it runs: [`FuncCtx`], and the small trait
//! [`ConnectionState`] the connection implements (change counters, last rowid, randomness,
//! limits).
//!
//! Invariants:
//! 1. Functions reach the connection only through [`ConnectionState`]; they never hold it past
//!    the call.
//! 2. `collation` is the collating sequence the code generator chose for the call (SQLite's
//!    SQLITE_FUNC_NEEDCOLL functions: min, max, nullif, and the min/max aggregates); None is
//!    BINARY.

use crate::value::Collation;

/// The connection as functions see it.
pub trait ConnectionState {
    /// `sqlite3_changes64`.
    fn changes(&self) -> i64;
    /// `sqlite3_total_changes64`.
    fn total_changes(&self) -> i64;
    /// `sqlite3_last_insert_rowid`.
    fn last_insert_rowid(&self) -> i64;
    /// Fills `buf` with pseudo-random bytes (`sqlite3_randomness`).
    fn randomness(&mut self, buf: &mut [u8]);
    /// The current time as a Julian day number in milliseconds (the VFS's
    /// `xCurrentTimeInt64`). SQLite keeps it fixed for the duration of one statement step;
    /// a connection implementing this should do the same.
    fn current_time_ms(&mut self) -> i64 {
        let since_epoch = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_millis() as i64);
        since_epoch + 210_866_760_000_000
    }
    /// Seconds east of UTC of the local time at the instant `unix_seconds` (what `localtime_r`
    /// gives as `tm_gmtoff`), for the `localtime` and `utc` date modifiers. None: unknown, and
    /// those modifiers are then an error.
    fn local_offset_seconds(&mut self, _unix_seconds: i64) -> Option<i64> {
        None
    }
    /// `sqlite3_log(code, "%s", message)`: hands a message to the application's error log
    /// (SQLITE_CONFIG_LOG). By default nothing is logged.
    fn log(&mut self, _code: i32, _message: &[u8]) {}
    /// `SQLITE_LIMIT_LENGTH`: the largest string or blob in bytes.
    fn max_length(&self) -> usize {
        1_000_000_000
    }
    /// `SQLITE_LIMIT_LIKE_PATTERN_LENGTH`.
    fn max_like_pattern_length(&self) -> usize {
        50_000
    }
}

/// One function call's context.
pub struct FuncCtx<'a> {
    pub conn: &'a mut dyn ConnectionState,
    pub collation: Option<&'a Collation>,
    /// `PRAGMA case_sensitive_like`.
    pub case_sensitive_like: bool,
}

impl<'a> FuncCtx<'a> {
    pub fn new(conn: &'a mut dyn ConnectionState) -> FuncCtx<'a> {
        FuncCtx { conn, collation: None, case_sensitive_like: false }
    }
}

/// Fills `buf` from the xorshift64 generator whose state is `state` (never 0): the
/// pseudo-random source behind random() and randomblob(), seeded by the connection from the OS.
pub fn xorshift_fill(state: &mut u64, buf: &mut [u8]) {
    for b in buf {
        *state ^= *state << 13;
        *state ^= *state >> 7;
        *state ^= *state << 17;
        *b = (*state >> 24) as u8;
    }
}

/// A stand-alone [`ConnectionState`]: fixed counters and a xorshift generator. For tests and
/// for evaluating constant expressions without a connection.
#[derive(Clone, Debug)]
pub struct DetachedState {
    pub changes: i64,
    pub total_changes: i64,
    pub last_insert_rowid: i64,
    seed: u64,
}

impl DetachedState {
    pub fn new(seed: u64) -> DetachedState {
        DetachedState { changes: 0, total_changes: 0, last_insert_rowid: 0, seed: seed | 1 }
    }
}

impl ConnectionState for DetachedState {
    fn changes(&self) -> i64 {
        self.changes
    }
    fn total_changes(&self) -> i64 {
        self.total_changes
    }
    fn last_insert_rowid(&self) -> i64 {
        self.last_insert_rowid
    }
    fn randomness(&mut self, buf: &mut [u8]) {
        xorshift_fill(&mut self.seed, buf);
    }
}
