//! Fuzz target: arbitrary bytes as a record payload (header of serial types, then the body);
//! the record decoder must read every column, or refuse the record, without panicking.
#![no_main]

use ferrolite_engine::record::{decode_record, RecordReader};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let mut reader = RecordReader::new();
    if reader.parse(data).is_ok() {
        for i in 0..reader.column_count() {
            let _ = std::hint::black_box(reader.serial_type(i));
            let _ = std::hint::black_box(reader.column_range(i));
            let _ = std::hint::black_box(reader.column(data, i));
        }
        // Past the last column too (a short record reads as NULLs).
        let _ = std::hint::black_box(reader.column(data, reader.column_count() + 3));
        let _ = std::hint::black_box(reader.values(data));
    }
    let _ = std::hint::black_box(decode_record(data));
});
