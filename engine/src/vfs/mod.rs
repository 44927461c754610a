//! VFS: the only door to the operating system (issue 4).
//!
//! Not built yet. Will own the `Vfs`/`File` traits, the unix implementation with SQLite's
//! POSIX-lock byte ranges, and the memory VFS.
