//! Intake of an `.xls` whose Workbook stream is the input, packed into a
//! sound compound file so that mutations reach the BIFF readers.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::xls_biff(data);
});
