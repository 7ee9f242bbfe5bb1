//! `baocao.toml`: any text is settings or an error naming the key.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|s: &str| {
    let _ = baocao::fuzzing::settings(s);
});
