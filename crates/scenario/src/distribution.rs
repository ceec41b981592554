//! Scenario section for package distribution through the hierarchy
//! (Q319207, Q163379, Q278357, Q214485). Filled in by the distribution
//! subsystem.

use crate::validate::{Issues, ValidationContext};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Distribution Manager, Scheduler and Sender parameters and faults.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct DistributionSpec {}

/// A package created or updated at the central site.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct PackageUpdate {}

impl DistributionSpec {
    /// Checks what types cannot: references and orderings.
    pub fn validate(
        &self,
        _packages: &[PackageUpdate],
        _cx: &ValidationContext,
        _out: &mut Issues,
    ) {
    }
}
