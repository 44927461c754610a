//! The `sqlite3_*` C ABI over the engine. Not built yet beyond this placeholder.
