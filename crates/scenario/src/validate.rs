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
use crate::rollout::{PlanContext, PlannedStep, RolloutAction};
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
    /// The administrator's plan (`rollout`), checked, in file order.
    pub rollout: Vec<PlannedStep>,
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
        rollout,
    } = &spec;
    let horizon = run_horizon(*duration_days, &mut out);
    if let Err(why) = plain_name(name) {
        issue(&mut out, "name", why);
    }
    if sample_interval.millis() < MIN_SAMPLE_INTERVAL_MS {
        issue(
            &mut out,
            "sample_interval",
            format!(
                "{sample_interval}: expected at least 1s (the series are sampled at most once a simulated second)"
            ),
        );
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
    // CAPs and DPs are numbered with u32 across the hierarchy.
    for (field, total) in [
        (
            "topology.caps_per_site",
            sites.iter().map(|s| u64::from(s.caps)).sum::<u64>(),
        ),
        (
            "topology.dps_per_site",
            sites.iter().map(|s| u64::from(s.dps)).sum::<u64>(),
        ),
    ] {
        if total > u64::from(u32::MAX) {
            issue(
                &mut out,
                field,
                format!(
                    "{total} in the hierarchy: at most {} are supported",
                    u32::MAX
                ),
            );
        }
    }
    let cx = ValidationContext {
        site_codes: sites.iter().map(|s| s.code.clone()).collect(),
        clients: client_total,
        site_dps: sites.iter().map(|s| s.dps).collect(),
        site_caps: sites.iter().map(|s| s.caps).collect(),
        horizon,
    };
    clients.validate(&(), &cx, &mut out);
    topology.validate(&(), &cx, &mut out);
    trace.validate(&(), &cx, &mut out);
    status.validate(advertisements, &cx, &mut out);
    ccr.validate(&(), &cx, &mut out);
    distribution.validate(packages, &cx, &mut out);
    let rollout = plan_rollout(&spec, rollout, &sites, horizon, &mut out);
    if out.is_empty() {
        Ok(Scenario {
            spec,
            horizon,
            sites,
            source,
            rollout,
        })
    } else {
        Err(out)
    }
}

/// Checks the administrator's plan against the sites, their releases over
/// time and the packages.
fn plan_rollout(
    spec: &ScenarioSpec,
    actions: &[RolloutAction],
    sites: &[PlannedSite],
    horizon: SimTime,
    out: &mut Issues,
) -> Vec<PlannedStep> {
    if actions.is_empty() || sites.is_empty() {
        return Vec::new();
    }
    let topo = &spec.topology;
    let mut baseline = Vec::new();
    for u in &topo.upgrades {
        if let Some(s) = sites.iter().position(|p| p.code == u.site) {
            baseline.push((u.at.millis(), s, u.to));
        }
    }
    if let Some(r) = &topo.rollout {
        for s in 0..sites.len() {
            let t = r
                .start
                .millis()
                .saturating_add((s as u64).saturating_mul(r.every.millis()));
            baseline.push((t, s, r.to));
        }
    }
    let mut packages: Vec<String> = Vec::new();
    let names = spec.workload.packages.iter().map(|p| &p.package);
    for name in names.chain(spec.distribution.routine.iter().map(|r| &r.package)) {
        if !packages.contains(name) {
            packages.push(name.clone());
        }
    }
    let cx = PlanContext {
        sites,
        domains: topo.domains.get(),
        baseline,
        packages,
        horizon,
    };
    crate::rollout::plan(actions, &cx, out)
}

/// The run's last instant, from `duration_days`.
fn run_horizon(days: f64, out: &mut Issues) -> SimTime {
    if !(days.is_finite() && days > 0.0) {
        issue(
            out,
            "duration_days",
            format!(
                "{}: expected a number of days greater than 0",
                short_num(days)
            ),
        );
        0
    } else if days * DAY as f64 > MAX_TIME as f64 {
        issue(
            out,
            "duration_days",
            format!(
                "{}: at most {} days can be simulated",
                short_num(days),
                MAX_TIME / DAY
            ),
        );
        0
    } else {
        (days * DAY as f64).round() as SimTime
    }
}

/// Shortest `sample_interval`, in milliseconds.
pub const MIN_SAMPLE_INTERVAL_MS: u64 = 1_000;

/// Longest scenario name.
pub const MAX_NAME_CHARS: usize = 100;

/// A scenario's name names its default results folder (`results/NAME/`), so
/// it must be a plain file name: letters, digits, `.`, `_` and `-`, starting
/// with a letter or digit, at most [`MAX_NAME_CHARS`] characters.
fn plain_name(name: &str) -> Result<(), String> {
    let shown = if name.chars().count() > 40 {
        format!("{}…", name.chars().take(30).collect::<String>())
    } else {
        name.to_string()
    };
    let advice = "letters, digits, '.', '_' and '-', starting with a letter or digit \
                  (it names the results folder results/NAME/)";
    if name.is_empty() {
        return Err(format!("expected a name: {advice}"));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(format!(
            "{shown:?}: at most {MAX_NAME_CHARS} characters: {advice}"
        ));
    }
    let first_ok = name.chars().next().is_some_and(char::is_alphanumeric);
    let rest_ok = name
        .chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !first_ok || !rest_ok {
        return Err(format!("{shown:?}: expected {advice}"));
    }
    Ok(())
}

/// A number as a person reads it: exponent form when it is very large.
fn short_num(v: f64) -> String {
    if v.is_finite() && v.abs() >= 1e9 {
        format!("{v:e}")
    } else {
        format!("{v}")
    }
}

#[cfg(test)]
mod tests {
    use super::plain_name;

    #[test]
    fn names_are_plain_file_names() {
        for ok in ["status-storm", "run_1.2", "Überlast", "a"] {
            assert!(plain_name(ok).is_ok(), "{ok}");
        }
        for bad in [
            "",
            "..",
            ".",
            ".hidden",
            "a/b",
            "a\\b",
            "a b",
            "-x",
            "a\u{0}",
            &"x".repeat(101),
        ] {
            assert!(plain_name(bad).is_err(), "{bad:?}");
        }
    }
}
