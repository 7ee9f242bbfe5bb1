//! Header finding and table reading on a grid made from the input, as the
//! sheet layer hands grids to intake.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::header(data);
});
