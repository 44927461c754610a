//! `RecordBuilder`: writes records in SQLite's format from values.
//!
//! Invariants:
//! 1. The output is byte-identical to what SQLite writes for the same values: smallest integer
//!    serial types, 8/9 for 0/1, the shortest header-size varint.
//! 2. The builder keeps its scratch vector between records (no allocation per row when reused
//!    through `build_into`).

use super::serial::{encode_value, serial_type_of, ValueRef};
use super::varint::{push_varint, varint_len};
use crate::value::Value;

#[derive(Debug, Default)]
pub struct RecordBuilder {
    types: Vec<u64>,
}

impl RecordBuilder {
    pub fn new() -> RecordBuilder {
        RecordBuilder::default()
    }

    /// Builds the record of `values` into a new vector.
    pub fn build(&mut self, values: &[Value]) -> Vec<u8> {
        let mut out = Vec::new();
        self.build_into(values.iter().map(ValueRef::from), &mut out);
        out
    }

    /// Builds the record of borrowed values into a new vector.
    pub fn build_refs(&mut self, values: &[ValueRef<'_>]) -> Vec<u8> {
        let mut out = Vec::new();
        self.build_into(values.iter().copied(), &mut out);
        out
    }

    /// Replaces `out`'s content with the record of `values`.
    pub fn build_into<'v, I>(&mut self, values: I, out: &mut Vec<u8>)
    where
        I: IntoIterator<Item = ValueRef<'v>> + Clone,
    {
        out.clear();
        self.types.clear();
        let mut types_len = 0usize;
        for v in values.clone() {
            let t = serial_type_of(v);
            types_len += varint_len(t);
            self.types.push(t);
        }
        // The header size counts its own varint.
        let mut hsize = types_len + 1;
        while varint_len(hsize as u64) + types_len != hsize {
            hsize = varint_len(hsize as u64) + types_len;
        }
        push_varint(out, hsize as u64);
        for &t in &self.types {
            push_varint(out, t);
        }
        for (v, &t) in values.into_iter().zip(self.types.iter()) {
            encode_value(v, t, out);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::record::reader::decode_record;

    #[test]
    fn header_size_varint_grows_past_127() {
        // 130 NULL columns: 130 type bytes + 2-byte header-size varint = 132.
        let vals = vec![Value::Null; 130];
        let rec = RecordBuilder::new().build(&vals);
        assert_eq!(rec.len(), 132);
        assert_eq!(&rec[..2], &[0x81, 0x04]);
        assert_eq!(decode_record(&rec).unwrap(), vals);
        // 126 columns fit a one-byte header size (127).
        let rec = RecordBuilder::new().build(&vec![Value::Null; 126]);
        assert_eq!(rec[0], 127);
    }
}
