//! Arbitrary bytes as `timeseries.csv` and `sweep.csv`, read by
//! `smssim_results::read`: any input must give rows or an error, never a
//! panic. The first byte chooses the file kind and whether the reader is
//! bounded (to exercise the size limit); the rest is the file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smssim_results::read;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let sweep = mode & 1 == 1;
    let limit = if mode & 2 == 2 {
        u64::from(mode >> 2) * 16
    } else {
        read::MAX_CSV_BYTES
    };
    let reader = read::bounded(body, limit);
    let message = if sweep {
        read::sweep_from_reader(reader, "sweep.csv").map(|s| s.rows.len())
    } else {
        read::timeseries_from_reader(reader, "timeseries.csv").map(|r| r.len())
    };
    if let Err(e) = message {
        let _ = e.to_string();
    }
});
