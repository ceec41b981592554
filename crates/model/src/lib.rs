//! The Systems Management Server 2.0 hierarchy model.
//!
//! - [`hierarchy`]: sites, CAPs, DPs, subnets, domains and clients, built
//!   once per scenario and shared by its runs.
//! - [`world`]: what changes for everyone: power, logons, site upgrades.
//! - [`subsystem`]: the seam each defect's model plugs into.
//! - [`status`] (Q323627), [`ccr`] (Q242926, Q252717), [`distribution`]
//!   (Q319207): the subsystems.
//! - [`run`]: one replication under one policy, to [`RunOutput`].
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
//!     RunConfig { scenario: &scenario, hierarchy: &hierarchy, policy: &policy, replication: 0, trace: Trace::off(), fingerprint: false },
//!     &mut NoProgress,
//! ).unwrap();
//! assert_eq!(out.metrics.get("clients.count"), Some(20.0));
//! ```
#![deny(missing_docs)]

pub mod catalogue;
pub mod ccr;
mod core_metrics;
pub mod distribution;
pub mod event;
#[cfg(test)]
mod example;
pub mod hierarchy;
pub mod record;
mod sim;
pub mod status;
pub mod streams;
pub mod subsystem;
pub mod testbed;
pub mod world;

#[cfg(test)]
mod whole_run_tests;

pub use event::{Event, WorldEvent};
pub use hierarchy::{ClientId, Hierarchy, SiteId};
pub use record::{Metric, Metrics, Point, Series, Trace};
pub use sim::{parts, run, RunConfig, RunError, RunOutput};
