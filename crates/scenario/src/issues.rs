//! The vocabulary of validation: an [`Issue`] found in a scenario, what a
//! section may look up about the rest of it ([`ValidationContext`]), and
//! the [`Section`] trait every section of the scenario implements.
//!
//! This file imports no other file of the crate but the value types, so
//! that every section can use it without an import cycle.

use crate::values::Span;
use smssim_engine::{SimTime, DAY};
use std::fmt;

/// One problem found by validation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issue {
    /// Dotted path of the field (`topology.sites.2.parent`).
    pub field: String,
    /// What is wrong and what was expected.
    pub message: String,
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

/// Problems found so far.
pub type Issues = Vec<Issue>;

/// Adds an issue about `field`.
pub fn issue(out: &mut Issues, field: impl Into<String>, message: impl Into<String>) {
    out.push(Issue {
        field: field.into(),
        message: message.into(),
    });
}

/// What a section's validation may look up about the rest of the scenario.
#[derive(Debug, Clone)]
pub struct ValidationContext {
    /// Site codes, central first.
    pub site_codes: Vec<String>,
    /// Number of clients in the hierarchy.
    pub clients: u64,
    /// Local distribution points of each site, in `site_codes` order.
    pub site_dps: Vec<u32>,
    /// CAPs of each site, in `site_codes` order.
    pub site_caps: Vec<u32>,
    /// Last instant of the run.
    pub horizon: SimTime,
}

impl ValidationContext {
    /// Whether a site code exists.
    pub fn has_site(&self, code: &str) -> bool {
        self.site_codes.iter().any(|c| c == code)
    }

    /// Checks that `at` lies within the run; complains about `field`.
    pub fn within_run(&self, at: Span, field: &str, out: &mut Issues) {
        if at.millis() > self.horizon {
            issue(
                out,
                field,
                format!(
                    "{at} is after the end of the run ({} days)",
                    self.horizon as f64 / DAY as f64
                ),
            );
        }
    }
}

/// A section of the scenario (a field of `ScenarioSpec`): it declares its
/// spec and defaults in its own file and checks there what types cannot
/// (references, orderings, sizes).
///
/// `validate()` destructures `ScenarioSpec` and `Workload` without `..` and
/// hands each field to its check, so a new field does not compile until it
/// is validated.
pub trait Section {
    /// The workload lists the section owns and checks with it (`()` for
    /// none), e.g. the status section's `workload.advertisements`.
    type Workload: ?Sized;

    /// Adds an issue to `out` for every problem, naming the field by its
    /// full dotted path.
    fn validate(&self, workload: &Self::Workload, cx: &ValidationContext, out: &mut Issues);
}
