//! Intake of an `.xlsx` whose sheet XML and shared strings are the input
//! (split at the first NUL), packed into a sound zip so that mutations reach
//! the XML readers.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::xlsx_xml(data);
});
