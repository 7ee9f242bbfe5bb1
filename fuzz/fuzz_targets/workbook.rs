//! Whole-workbook intake from arbitrary bytes (seeds: .xlsx, .xls and .ods
//! files): a report or diagnostics, never a panic, a hang or a blow-up.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::workbook(data);
});
