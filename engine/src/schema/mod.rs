//! Schema objects read from sqlite_schema, DDL (issue 6). Not built yet.
