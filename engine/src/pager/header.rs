//! The 100-byte database header at the start of page 1 (fileformat2 §1.3).
//!
//! | offset | size | field                                             |
//! |--------|------|---------------------------------------------------|
//! | 0      | 16   | "SQLite format 3\0"                               |
//! | 16     | 2    | page size (1 means 65536)                         |
//! | 18, 19 | 1    | file format write / read version (1 legacy, 2 WAL) |
//! | 20     | 1    | reserved bytes at the end of each page            |
//! | 21..24 | 1    | payload fractions 64, 32, 32                      |
//! | 24     | 4    | file change counter                               |
//! | 28     | 4    | database size in pages                            |
//! | 32     | 4    | first freelist trunk page                         |
//! | 36     | 4    | number of freelist pages                          |
//! | 40     | 4    | schema cookie                                     |
//! | 44     | 4    | schema format number (1..4)                       |
//! | 48     | 4    | default page cache size                           |
//! | 52     | 4    | largest root b-tree page (auto_vacuum), else 0    |
//! | 56     | 4    | text encoding (1 UTF-8, 2 UTF-16le, 3 UTF-16be)    |
//! | 60     | 4    | user_version                                      |
//! | 64     | 4    | incremental-vacuum mode                           |
//! | 68     | 4    | application_id                                    |
//! | 72     | 20   | reserved, zero                                    |
//! | 92     | 4    | version-valid-for (change counter when 96 was set) |
//! | 96     | 4    | SQLITE_VERSION_NUMBER of the last writer          |
//!
//! Invariants:
//! 1. Accessors read and write big-endian fields of a page-1 image; they never panic on a page
//!    of at least 100 bytes (every page size is).

pub const MAGIC: &[u8; 16] = b"SQLite format 3\0";
pub const HEADER_SIZE: usize = 100;

pub const OFF_PAGE_SIZE: usize = 16;
pub const OFF_WRITE_VERSION: usize = 18;
pub const OFF_READ_VERSION: usize = 19;
pub const OFF_RESERVED: usize = 20;
pub const OFF_CHANGE_COUNTER: usize = 24;
pub const OFF_DB_SIZE: usize = 28;
pub const OFF_FREELIST_TRUNK: usize = 32;
pub const OFF_FREELIST_COUNT: usize = 36;
pub const OFF_SCHEMA_COOKIE: usize = 40;
pub const OFF_SCHEMA_FORMAT: usize = 44;
pub const OFF_DEFAULT_CACHE: usize = 48;
pub const OFF_LARGEST_ROOT: usize = 52;
pub const OFF_TEXT_ENCODING: usize = 56;
pub const OFF_USER_VERSION: usize = 60;
pub const OFF_INCR_VACUUM: usize = 64;
pub const OFF_APPLICATION_ID: usize = 68;
pub const OFF_VERSION_VALID_FOR: usize = 92;
pub const OFF_VERSION_NUMBER: usize = 96;

/// The "meta" values SQLite's `sqlite3BtreeGetMeta` numbers 1..15 (index i lives at 36 + 4*i).
pub const META_FREE_PAGE_COUNT: usize = 0;
pub const META_SCHEMA_VERSION: usize = 1;
pub const META_FILE_FORMAT: usize = 2;
pub const META_DEFAULT_CACHE_SIZE: usize = 3;
pub const META_LARGEST_ROOT_PAGE: usize = 4;
pub const META_TEXT_ENCODING: usize = 5;
pub const META_USER_VERSION: usize = 6;
pub const META_INCR_VACUUM: usize = 7;
pub const META_APPLICATION_ID: usize = 8;

#[inline]
pub fn get_u32(b: &[u8], off: usize) -> u32 {
    u32::from_be_bytes([b[off], b[off + 1], b[off + 2], b[off + 3]])
}

#[inline]
pub fn put_u32(b: &mut [u8], off: usize, v: u32) {
    b[off..off + 4].copy_from_slice(&v.to_be_bytes());
}

#[inline]
pub fn get_u16(b: &[u8], off: usize) -> u16 {
    u16::from_be_bytes([b[off], b[off + 1]])
}

#[inline]
pub fn put_u16(b: &mut [u8], off: usize, v: u16) {
    b[off..off + 2].copy_from_slice(&v.to_be_bytes());
}

/// The page size the header declares (None when it is not a power of two in 512..=65536).
pub fn page_size_of(hdr: &[u8]) -> Option<u32> {
    let raw = get_u16(hdr, OFF_PAGE_SIZE) as u32;
    let ps = if raw == 1 { 65536 } else { raw };
    (ps.is_power_of_two() && (512..=65536).contains(&ps)).then_some(ps)
}

/// Writes a fresh header for an empty database of `page_size` bytes per page (what SQLite
/// writes when it creates a database; the change counter and sizes are set at commit).
pub fn init_header(page1: &mut [u8], page_size: u32, reserved: u8) {
    page1[..HEADER_SIZE].fill(0);
    page1[..16].copy_from_slice(MAGIC);
    put_u16(page1, OFF_PAGE_SIZE, if page_size == 65536 { 1 } else { page_size as u16 });
    page1[OFF_WRITE_VERSION] = 1;
    page1[OFF_READ_VERSION] = 1;
    page1[OFF_RESERVED] = reserved;
    page1[21] = 64;
    page1[22] = 32;
    page1[23] = 32;
    put_u32(page1, OFF_SCHEMA_FORMAT, 4);
    put_u32(page1, OFF_TEXT_ENCODING, 1);
}
