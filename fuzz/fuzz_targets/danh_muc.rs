//! `danh-muc.xlsx` from arbitrary bytes: a registry and catalogue, or
//! diagnostics, never a panic.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::danh_muc(data);
});
