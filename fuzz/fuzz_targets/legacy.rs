//! The legacy-encoding decoder (TCVN3, VNI): any text, never a panic.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = baocao::fuzzing::legacy(s);
});
