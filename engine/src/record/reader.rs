//! `RecordReader`: a record's header decoded once, its columns decoded on demand.
//!
//! A record (fileformat2 §2.1) is a header then a body. The header is a varint giving the
//! header's own size in bytes (this varint included), then one serial-type varint per column.
//! The body holds the column values in order, each as long as its serial type says.
//!
//! Invariants:
//! 1. `parse` decodes serial types and offsets only; no column value is decoded until asked,
//!    so reading column 7 touches neither the bytes nor the types' values of columns 0..6.
//! 2. A reader is reused across rows: its column vector keeps its capacity, so a scan that
//!    reuses one reader allocates nothing per row.
//! 3. A header that points past the payload, or uses a reserved serial type, is
//!    SQLITE_CORRUPT; columns past the header's count read as NULL (ALTER TABLE ADD COLUMN).

use super::serial::{decode_value, serial_type_len, ValueRef};
use super::varint::get_varint;
use crate::error::{code, Error, Result};

/// Bound on the number of columns a record header may declare (SQLite's SQLITE_MAX_COLUMN is
/// 2000; indexes add one; we accept up to 32767 like SQLite's hard limit).
const MAX_RECORD_COLUMNS: usize = 32767;

fn corrupt_record(what: &str) -> Error {
    Error::new(code::CORRUPT, format!("database disk image is malformed ({what})"))
}

#[derive(Clone, Debug, Default)]
pub struct RecordReader {
    /// Per column: its serial type and the offset of its value in the payload.
    cols: Vec<(u64, u32)>,
    header_size: u32,
    payload_size: u32,
}

impl RecordReader {
    pub fn new() -> RecordReader {
        RecordReader::default()
    }

    /// Decodes the header of `payload`, replacing what was there.
    pub fn parse(&mut self, payload: &[u8]) -> Result<()> {
        self.cols.clear();
        self.payload_size = u32::try_from(payload.len()).map_err(|_| corrupt_record("record too big"))?;
        let (hsize, mut pos) = match payload.first() {
            Some(&b) if b < 0x80 => (b as u64, 1),
            _ => get_varint(payload).ok_or_else(|| corrupt_record("record header"))?,
        };
        if hsize > payload.len() as u64 || (hsize as usize) < pos {
            return Err(corrupt_record("record header size"));
        }
        let hsize = hsize as usize;
        self.header_size = hsize as u32;
        if hsize - pos > MAX_RECORD_COLUMNS * 9 {
            return Err(corrupt_record("too many columns"));
        }
        let header = &payload[..hsize];
        let mut off = hsize as u64;
        while pos < hsize {
            // Serial types below 128 (every type but longer strings and blobs) are one byte.
            let b = header[pos];
            let (t, n) = if b < 0x80 {
                (b as u64, 1)
            } else {
                get_varint(&header[pos..]).ok_or_else(|| corrupt_record("serial type"))?
            };
            if t == 10 || t == 11 {
                self.cols.clear();
                return Err(corrupt_record("reserved serial type"));
            }
            pos += n;
            self.cols.push((t, off as u32));
            off = off.saturating_add(serial_type_len(t));
        }
        if off > payload.len() as u64 || self.cols.len() > MAX_RECORD_COLUMNS {
            let what = if off > payload.len() as u64 { "record body" } else { "too many columns" };
            self.cols.clear();
            return Err(corrupt_record(what));
        }
        Ok(())
    }

    /// The number of columns the header declares.
    pub fn column_count(&self) -> usize {
        self.cols.len()
    }

    /// The serial type of column `i` (0, i.e. NULL, past the end).
    pub fn serial_type(&self, i: usize) -> u64 {
        self.cols.get(i).map_or(0, |c| c.0)
    }

    /// The header's size in bytes (where the body starts).
    pub fn header_size(&self) -> usize {
        self.header_size as usize
    }

    /// The byte range of column `i`'s value inside the payload.
    pub fn column_range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let &(t, start) = self.cols.get(i)?;
        let start = start as usize;
        Some(start..start + serial_type_len(t) as usize)
    }

    /// Decodes column `i` of `payload` (the same bytes `parse` saw).
    #[inline]
    pub fn column<'a>(&self, payload: &'a [u8], i: usize) -> Result<ValueRef<'a>> {
        let Some(&(t, start)) = self.cols.get(i) else {
            return Ok(ValueRef::Null);
        };
        if payload.len() != self.payload_size as usize {
            return Err(Error::new(code::INTERNAL, "record reader used on another payload"));
        }
        decode_value(t, &payload[start as usize..]).ok_or_else(|| corrupt_record("record value"))
    }

    /// Decodes every column (convenience for tests and small records).
    pub fn values(&self, payload: &[u8]) -> Result<Vec<crate::value::Value>> {
        (0..self.column_count()).map(|i| self.column(payload, i).map(|v| v.to_value())).collect()
    }
}

/// Decodes a whole record into owned values.
pub fn decode_record(payload: &[u8]) -> Result<Vec<crate::value::Value>> {
    let mut r = RecordReader::new();
    r.parse(payload)?;
    r.values(payload)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::builder::RecordBuilder;
    use crate::value::Value;

    #[test]
    fn lazy_columns_and_past_end_is_null() {
        let vals = vec![
            Value::Integer(5),
            Value::text("hello"),
            Value::Null,
            Value::Real(1.5),
            Value::Blob(vec![1, 2, 3]),
            Value::Integer(-70000),
            Value::Integer(1),
            Value::text("seventh"),
        ];
        let rec = RecordBuilder::new().build(&vals);
        let mut r = RecordReader::new();
        r.parse(&rec).unwrap();
        assert_eq!(r.column_count(), 8);
        assert_eq!(r.column(&rec, 7).unwrap(), ValueRef::Text(b"seventh"));
        assert_eq!(r.column(&rec, 3).unwrap(), ValueRef::Real(1.5));
        assert_eq!(r.column(&rec, 20).unwrap(), ValueRef::Null);
        assert_eq!(r.values(&rec).unwrap(), vals);
    }

    #[test]
    fn sqlite_documented_example_bytes() {
        // A record of (NULL, 1, 'a') : header 4 bytes [04 00 09 0f], body 'a'.
        let rec = [0x04u8, 0x00, 0x09, 0x0f, b'a'];
        assert_eq!(
            decode_record(&rec).unwrap(),
            vec![Value::Null, Value::Integer(1), Value::text("a")]
        );
        assert_eq!(RecordBuilder::new().build(&[Value::Null, Value::Integer(1), Value::text("a")]), rec);
    }

    #[test]
    fn corrupt_headers_are_errors() {
        let mut r = RecordReader::new();
        assert_eq!(r.parse(&[0x05, 0x01]).unwrap_err().code, code::CORRUPT);
        assert_eq!(r.parse(&[0x02, 0x0a]).unwrap_err().code, code::CORRUPT);
        assert_eq!(r.parse(&[0x02, 0x06, 1, 2]).unwrap_err().code, code::CORRUPT);
        assert_eq!(r.parse(&[]).unwrap_err().code, code::CORRUPT);
    }
}
