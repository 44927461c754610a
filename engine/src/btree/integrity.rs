//! `integrity_check`: not built yet (see the report); the tests use real SQLite's.
