//! Criterion benchmarks for smssim; the code is in `benches/`:
//!
//! - `queue`: the classic hold model over each future-event queue at 1e3,
//!   1e5 and 1e6 pending events (`cargo bench -p smssim-benches --bench queue`).
//! - `run`: whole simulation runs of small shipped scenarios
//!   (`cargo bench -p smssim-benches --bench run`).
//!
//! `docs/performance.md` records the results and the choices made from them.
