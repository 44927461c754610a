//! Built-in SQL functions: scalar, aggregate, date/time, printf (issues 3 and 6).

pub mod printf;
