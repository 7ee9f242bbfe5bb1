//! Intake of an `.ods` whose `content.xml` is the input, packed into a sound
//! zip so that mutations reach the XML readers.
//! The entry point is shared with `tests/fuzz_regressions.rs`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = baocao::fuzzing::ods_xml(data);
});
