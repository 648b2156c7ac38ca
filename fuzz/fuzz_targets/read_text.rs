//! Fuzz the text reader: any bytes give a report or a `ReadError`, never a panic, and the
//! checks run on whatever was read.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(report) = xxgk_read::read_text(data, Some("fuzz")) {
        let _ = xxgk_check::check(&report);
    }
});
