//! Scenario section for discovery, Client Configuration Requests and Client
//! Configuration Manager (Q242926, Q252717, seed "The CCR Request Process").
//! Filled in by the CCR subsystem.

use crate::validate::{Issues, ValidationContext};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Discovery, CCM and fault parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CcrSpec {}

impl CcrSpec {
    /// Checks what types cannot: references and orderings.
    pub fn validate(&self, _cx: &ValidationContext, _out: &mut Issues) {}
}
