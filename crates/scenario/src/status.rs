//! Scenario section for status messages through the Copy Queue Manager
//! (Q323627, Q301352, Q292030). Filled in by the status subsystem.

use crate::validate::{Issues, ValidationContext};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Copy Queue Manager and Inbox Manager Assistant parameters.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct StatusSpec {}

/// A scheduled advertisement: a program run on a target set of clients.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Advertisement {}

impl StatusSpec {
    /// Checks what types cannot: references and orderings.
    pub fn validate(&self, _ads: &[Advertisement], _cx: &ValidationContext, _out: &mut Issues) {}
}
