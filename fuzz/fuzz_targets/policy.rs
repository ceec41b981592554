//! Policy file text through parsing and checking against the knob table:
//! any input must give a policy or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match smssim_scenario::parse_policy(text, "fuzz.json", "fuzz") {
        Ok(loaded) => {
            let _ = format!("{:?}", loaded);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
