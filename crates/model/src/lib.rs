//! The Systems Management Server 2.0 hierarchy model.
//!
//! The public surface is what the command line and the benchmarks use:
//! [`run`] one replication under one policy to a [`RunOutput`], the
//! [`Hierarchy`] built once per scenario, [`Trace`] for logs and
//! snapshots, and the metric catalogue ([`parts`], [`catalogue`]).
//!
//! Inside (crate-private, described in `docs/architecture.md`): the
//! `world` (power, logons, site upgrades), the `subsystem` seam, the
//! closed `event` set, and the subsystems `status` (Q323627), `ccr`
//! (Q242926, Q252717) and `distribution` (Q319207).
//!
//! ```
//! use smssim_model::{run, Hierarchy, RunConfig, Trace};
//! use smssim_engine::NoProgress;
//!
//! let text = r#"{"name":"doc","duration_days":1,"topology":{"clients_per_cap":20}}"#;
//! let scenario = smssim_scenario::load_str(text, "doc.json", &[]).unwrap();
//! let hierarchy = Hierarchy::build(&scenario);
//! let policy = smssim_scenario::Policy::legacy();
//! let out = run(
//!     RunConfig { scenario: &scenario, hierarchy: &hierarchy, policy: &policy, replication: 0, trace: Trace::off(), fingerprint: false, threads: 1 },
//!     &mut NoProgress,
//! ).unwrap();
//! assert_eq!(out.metrics.get("clients.count"), Some(20.0));
//! ```
#![deny(missing_docs)]

pub mod catalogue;
pub(crate) mod ccr;
mod core_metrics;
pub(crate) mod distribution;
pub(crate) mod event;
#[cfg(test)]
mod example;
pub(crate) mod fixes;
pub mod hierarchy;
pub mod record;
pub(crate) mod rollout_log;
mod sim;
pub(crate) mod status;
pub(crate) mod streams;
pub(crate) mod subsystem;
#[cfg(test)]
pub(crate) mod testbed;
pub(crate) mod world;

#[cfg(test)]
mod whole_run_tests;

pub use hierarchy::{ClientId, Hierarchy, SiteId};
pub use record::{Metric, Metrics, Point, Series, Trace};
pub use sim::{parts, run, RunConfig, RunError, RunOutput};
