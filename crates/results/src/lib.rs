//! Results of smssim runs.
//!
//! - [`RunRecord`]: one finished run.
//! - [`write`](mod@write): the tidy CSV files and the manifest, each written
//!   atomically ([`atomic`]), with numbers formatted identically on every
//!   machine.
//! - [`stats`]: means and 95% confidence intervals across replications.
//! - [`folder`]: a results folder staged beside its target and swapped in
//!   whole, under a lock.
//! - [`sweep`]: `sweep.csv`, from a sweep's runs or from merged shards.
//! - [`merge`]: shards of a sweep concatenate into the unsharded result.
//! - [`read`]: `timeseries.csv` and `sweep.csv` read back into typed rows,
//!   every malformed input an error.
#![deny(missing_docs)]

pub mod atomic;
pub mod folder;
pub mod merge;
pub mod read;
mod record;
pub mod stats;
pub mod sweep;
pub mod write;

pub use record::RunRecord;
