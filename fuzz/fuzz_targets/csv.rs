//! Arbitrary bytes as `timeseries.csv`, `sweep.csv`, `compare.csv`,
//! `ablation.csv` or `runs.csv`, read by `smssim_results::read`: any input
//! must give rows or an error, never a panic. The first byte chooses the
//! file kind (bits 0 and 4..6) and whether the reader is bounded (bit 1, to
//! exercise the size limit); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smssim_results::read;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let kind = (mode & 1) | ((mode >> 3) & 0b110);
    let limit = if mode & 2 == 2 {
        u64::from(mode >> 2) * 16
    } else {
        read::MAX_CSV_BYTES
    };
    let reader = read::bounded(body, limit);
    let message = match kind {
        1 => read::sweep_from_reader(reader, "sweep.csv").map(|s| s.rows.len()),
        2 | 3 => read::compare_from_reader(reader, "compare.csv").map(|r| r.rows.len()),
        4 | 5 => read::ablation_from_reader(reader, "ablation.csv").map(|r| r.len()),
        6 | 7 => read::runs_from_reader(reader, "runs.csv").map(|_| 0),
        _ => read::timeseries_from_reader(reader, "timeseries.csv").map(|r| r.len()),
    };
    if let Err(e) = message {
        let _ = e.to_string();
    }
});
