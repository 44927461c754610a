//! Fuzz target: a damaged database. The input patches a small valid database image
//! (`ferrolite_fuzz::base_image`): its first byte picks the mode —
//!   0: the rest of the input *is* the file;
//!   1: the second byte picks a page, the rest overwrites that page from its start;
//!   other: the rest is (offset high, offset low, byte) triples patched into the image (the
//!          100-byte header and the page headers are in reach);
//! then the database is opened through the simulation VFS and read (integrity_check, every
//! table scanned), written, and checked again. Errors are answers; a panic or hang is a bug.
#![no_main]

use ferrolite_fuzz::{base_image, install_budget, open_image, run_script};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let mut image = base_image().to_vec();
    let page_size = 512usize;
    match mode {
        0 => image = rest.to_vec(),
        1 => {
            let Some((&page, bytes)) = rest.split_first() else { return };
            let pages = image.len() / page_size;
            let start = (page as usize % pages) * page_size;
            let n = bytes.len().min(page_size);
            image[start..start + n].copy_from_slice(&bytes[..n]);
        }
        _ => {
            for t in rest.chunks_exact(3) {
                let off = (t[0] as usize) << 8 | t[1] as usize;
                if off < image.len() {
                    image[off] = t[2];
                }
            }
        }
    }
    let Some((_vfs, mut conn)) = open_image(&image) else { return };
    let budget = install_budget(&mut conn);
    run_script(
        &mut conn,
        &budget,
        "PRAGMA integrity_check; SELECT * FROM sqlite_schema; SELECT * FROM t; SELECT b FROM t ORDER BY b;\
         SELECT * FROM w; SELECT count(*) FROM t; SELECT * FROM t WHERE b > 'row 2';\
         INSERT INTO t(b, c) VALUES ('new', zeroblob(900)); DELETE FROM t WHERE a % 3 = 0;\
         UPDATE w SET y = 'changed'; PRAGMA integrity_check;",
    );
});
