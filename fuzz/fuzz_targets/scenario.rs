//! Scenario text, and optionally one `--set KEY=VALUE` override, through
//! parsing, overriding and validation: any input must give a scenario or
//! an error, never a panic.
//!
//! An input whose first line starts with `#set ` carries the override on
//! that line; the rest is the scenario file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smssim_scenario::Override;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let (set, scenario) = match text.strip_prefix("#set ") {
        Some(rest) => rest.split_once('\n').unwrap_or((rest, "")),
        None => ("", text),
    };
    let overrides: Vec<Override> = if set.is_empty() {
        Vec::new()
    } else {
        match Override::parse(set) {
            Ok(o) => vec![o],
            Err(e) => {
                let _ = e.to_string();
                return;
            }
        }
    };
    match smssim_scenario::load_str(scenario, "fuzz.json", &overrides) {
        Ok(s) => {
            let _ = format!("{:?}", s.spec.name);
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
