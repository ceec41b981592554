//! Validation: from the spec as written to a [`Scenario`] the model trusts.
//!
//! The rule: every field of [`ScenarioSpec`] is either checked here (the
//! few top-level values) or is a section that implements
//! [`Section`](crate::issues::Section) in its own file, next to its spec
//! and defaults. [`validate`] destructures `ScenarioSpec` and `Workload`
//! without `..`, so a new field or workload list does not compile until it
//! is handed to a check; a workload list is checked by the section that
//! owns it (`workload.advertisements` by `status`, `workload.packages` by
//! `distribution`).
//!
//! Validation depends only on the file: whether this machine can hold the
//! run is the experiment planner's question.

use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::spec::{ScenarioSpec, Workload};
use crate::topology::{plan_sites, PlannedSite};
use smssim_engine::{queue::MAX_TIME, SimTime, DAY};

/// A scenario that passed validation.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The spec as written (with `--set` overrides applied).
    pub spec: ScenarioSpec,
    /// Last instant of the run, in milliseconds.
    pub horizon: SimTime,
    /// The sites, central first, every parent before its children.
    pub sites: Vec<PlannedSite>,
    /// Where the scenario came from.
    pub source: Source,
}

/// Where a scenario came from.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// The file as given on the command line.
    pub path: String,
    /// SHA-256 of the file's bytes, hex.
    pub sha256: String,
}

impl Scenario {
    /// Number of clients in the hierarchy.
    pub fn client_count(&self) -> u64 {
        client_count(&self.sites)
    }
}

fn client_count(sites: &[PlannedSite]) -> u64 {
    sites
        .iter()
        .map(|s| u64::from(s.caps) * u64::from(s.clients_per_cap))
        .sum()
}

/// Checks `spec` and plans its hierarchy; every problem is reported at once.
pub fn validate(spec: ScenarioSpec, source: Source) -> Result<Scenario, Issues> {
    let mut out = Issues::new();
    // The registration list: every field, each handed to its check.
    let ScenarioSpec {
        name,
        // Free text.
        description: _,
        // Every number is a seed.
        seed: _,
        duration_days,
        // The calendar rejects bad dates as it is read.
        start: _,
        sample_interval,
        topology,
        clients,
        workload: Workload {
            advertisements,
            packages,
        },
        status,
        ccr,
        distribution,
        trace,
    } = &spec;
    let horizon = run_horizon(*duration_days, &mut out);
    if name.trim().is_empty() || name.contains(['/', '\\']) {
        issue(
            &mut out,
            "name",
            "expected a non-empty name without slashes (it names the results folder)",
        );
    }
    if sample_interval.millis() == 0 {
        issue(&mut out, "sample_interval", "expected a positive interval");
    }
    let sites = plan_sites(topology, &mut out);
    let client_total = client_count(&sites);
    if client_total > u64::from(u32::MAX) / 2 {
        issue(
            &mut out,
            "topology.clients_per_cap",
            format!(
                "{client_total} clients: at most {} are supported",
                u32::MAX / 2
            ),
        );
    }
    let cx = ValidationContext {
        site_codes: sites.iter().map(|s| s.code.clone()).collect(),
        clients: client_total,
        site_dps: sites.iter().map(|s| s.dps).collect(),
        horizon,
    };
    clients.validate(&(), &cx, &mut out);
    topology.validate(&(), &cx, &mut out);
    trace.validate(&(), &cx, &mut out);
    status.validate(advertisements, &cx, &mut out);
    ccr.validate(&(), &cx, &mut out);
    distribution.validate(packages, &cx, &mut out);
    if out.is_empty() {
        Ok(Scenario {
            spec,
            horizon,
            sites,
            source,
        })
    } else {
        Err(out)
    }
}

/// The run's last instant, from `duration_days`.
fn run_horizon(days: f64, out: &mut Issues) -> SimTime {
    if !(days.is_finite() && days > 0.0) {
        issue(
            out,
            "duration_days",
            format!("{days}: expected a number of days greater than 0"),
        );
        0
    } else if days * DAY as f64 > MAX_TIME as f64 {
        issue(
            out,
            "duration_days",
            format!("{days}: at most {} days can be simulated", MAX_TIME / DAY),
        );
        0
    } else {
        (days * DAY as f64).round() as SimTime
    }
}
