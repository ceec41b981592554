//! Policies: the behaviours a hotfix changes, as independent knobs, so that a
//! run can mix them and an ablation can switch each on alone.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// How Copy Queue Manager names the file it copies to a CAP inbox (Q323627).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NameAlgorithm {
    /// Legacy: a pseudo-random sequence seeded by the client's clock truncated
    /// to a resolution; clients in one tick walk the same sequence.
    ClockSeeded,
    /// Hotfix: an independent stream per client, uniform over the name space.
    Unique,
}

/// What Copy Queue Manager does with an item whose copy retries ran out.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OnExhausted {
    /// Legacy: mark the item Remove and delete it; the message is lost.
    Delete,
    /// Hotfix: keep it for the next copy cycle; lost only at item lifetime.
    Requeue,
}

/// How Client Configuration Manager names a retry CCR in `CcrRetry.box`
/// (Q242926).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcrRetryNaming {
    /// Legacy: a new random name for every failure, so duplicates pile up.
    Random,
    /// Hotfix: `COMPUTER.DOMAIN.CCR`, so a new failure replaces the old file.
    PerSystem,
}

/// Whether an SP1 site's CCM checks a client's release first (Q252717).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CcmVersionCheck {
    /// Legacy: install the site's components whatever the client has.
    None,
    /// Hotfix: skip clients that have files of a later release.
    SkipNewer,
}

/// What Distribution Manager retries when a local DP was not updated
/// (Q319207).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DistmgrRetry {
    /// Legacy: retry the whole package update, re-sending it to every child
    /// site each time.
    ResendToChildren,
    /// Hotfix: retry only the local distribution points.
    LocalDpsOnly,
}

/// One combination of every knob.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The name runs are labelled with in the results (`legacy`, `hotfix`,
    /// `legacy+unique_names`, a policy file's name).
    pub name: String,
    /// Copy Queue Manager file names (Q323627).
    pub name_algorithm: NameAlgorithm,
    /// Copy retries after the first try: 50 legacy, 10 hotfix (Q323627).
    pub max_retries: u32,
    /// Fate of an item whose retries ran out (Q323627).
    pub on_exhausted: OnExhausted,
    /// Retry CCR naming (Q242926).
    pub ccr_retry_naming: CcrRetryNaming,
    /// SP1 CCM version check (Q252717).
    pub ccm_version_check: CcmVersionCheck,
    /// Distribution Manager retry scope (Q319207).
    pub distmgr_retry: DistmgrRetry,
}

/// The knobs, by the name a policy file and the ablation use.
pub const KNOBS: [&str; 6] = [
    "name_algorithm",
    "max_retries",
    "on_exhausted",
    "ccr_retry_naming",
    "ccm_version_check",
    "distmgr_retry",
];

impl Policy {
    /// The behaviour before the hotfixes.
    pub fn legacy() -> Self {
        Policy {
            name: "legacy".into(),
            name_algorithm: NameAlgorithm::ClockSeeded,
            max_retries: 50,
            on_exhausted: OnExhausted::Delete,
            ccr_retry_naming: CcrRetryNaming::Random,
            ccm_version_check: CcmVersionCheck::None,
            distmgr_retry: DistmgrRetry::ResendToChildren,
        }
    }

    /// The behaviour with every hotfix applied.
    pub fn hotfix() -> Self {
        Policy {
            name: "hotfix".into(),
            name_algorithm: NameAlgorithm::Unique,
            max_retries: 10,
            on_exhausted: OnExhausted::Requeue,
            ccr_retry_naming: CcrRetryNaming::PerSystem,
            ccm_version_check: CcmVersionCheck::SkipNewer,
            distmgr_retry: DistmgrRetry::LocalDpsOnly,
        }
    }

    /// A preset by name.
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "legacy" => Some(Self::legacy()),
            "hotfix" => Some(Self::hotfix()),
            _ => None,
        }
    }

    /// This policy with the hotfix's value of one knob (named as in
    /// [`KNOBS`]); the name is left as it is. `None` for an unknown knob.
    pub fn with_hotfix(mut self, knob: &str) -> Option<Self> {
        let hot = Self::hotfix();
        match knob {
            "name_algorithm" => self.name_algorithm = hot.name_algorithm,
            "max_retries" => self.max_retries = hot.max_retries,
            "on_exhausted" => self.on_exhausted = hot.on_exhausted,
            "ccr_retry_naming" => self.ccr_retry_naming = hot.ccr_retry_naming,
            "ccm_version_check" => self.ccm_version_check = hot.ccm_version_check,
            "distmgr_retry" => self.distmgr_retry = hot.distmgr_retry,
            _ => return None,
        }
        Some(self)
    }

    /// Legacy with the hotfix's value of one knob (named as in [`KNOBS`]),
    /// named `legacy+<knob>`.
    pub fn legacy_with(knob: &str) -> Option<Self> {
        let mut p = Self::legacy().with_hotfix(knob)?;
        p.name = format!("legacy+{knob}");
        Some(p)
    }
}

/// A policy file: a base preset and any knobs to change.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PolicyFile {
    /// The name runs are labelled with; default: the file's stem.
    pub name: Option<String>,
    /// `legacy` (default) or `hotfix`.
    pub base: Option<String>,
    /// See [`Policy::name_algorithm`].
    pub name_algorithm: Option<NameAlgorithm>,
    /// See [`Policy::max_retries`].
    pub max_retries: Option<u32>,
    /// See [`Policy::on_exhausted`].
    pub on_exhausted: Option<OnExhausted>,
    /// See [`Policy::ccr_retry_naming`].
    pub ccr_retry_naming: Option<CcrRetryNaming>,
    /// See [`Policy::ccm_version_check`].
    pub ccm_version_check: Option<CcmVersionCheck>,
    /// See [`Policy::distmgr_retry`].
    pub distmgr_retry: Option<DistmgrRetry>,
}

impl PolicyFile {
    /// The policy this file describes; `default_name` names it when the file
    /// does not. Errors name the unknown base.
    pub fn resolve(self, default_name: &str) -> Result<Policy, String> {
        let base = self.base.as_deref().unwrap_or("legacy");
        let mut p = Policy::preset(base).ok_or_else(|| {
            format!("base: unknown policy {base:?}: expected \"legacy\" or \"hotfix\"")
        })?;
        p.name = self.name.unwrap_or_else(|| default_name.to_string());
        if let Some(v) = self.name_algorithm {
            p.name_algorithm = v;
        }
        if let Some(v) = self.max_retries {
            p.max_retries = v;
        }
        if let Some(v) = self.on_exhausted {
            p.on_exhausted = v;
        }
        if let Some(v) = self.ccr_retry_naming {
            p.ccr_retry_naming = v;
        }
        if let Some(v) = self.ccm_version_check {
            p.ccm_version_check = v;
        }
        if let Some(v) = self.distmgr_retry {
            p.distmgr_retry = v;
        }
        Ok(p)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_knob_alone_differs_from_legacy_in_one_field() {
        for knob in KNOBS {
            let p = Policy::legacy_with(knob).unwrap();
            assert_ne!(p, Policy::legacy());
            assert_eq!(p.name, format!("legacy+{knob}"));
        }
        assert!(Policy::legacy_with("nope").is_none());
    }

    #[test]
    fn policy_file_mixes_knobs() {
        let f: PolicyFile =
            serde_json::from_str(r#"{"base":"legacy","name_algorithm":"unique"}"#).unwrap();
        let p = f.resolve("mix").unwrap();
        assert_eq!(p.name_algorithm, NameAlgorithm::Unique);
        assert_eq!(p.max_retries, 50);
        assert_eq!(p.name, "mix");
        assert!(serde_json::from_str::<PolicyFile>(r#"{"bogus":1}"#).is_err());
    }
}
