//! Numbers typed as text: read both ways, formatted back, never a panic.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = baocao::fuzzing::number(s);
});
