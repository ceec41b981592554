//! Policies: the behaviours a hotfix changes, as independent knobs, so that a
//! run can mix them and an ablation can switch each on alone.
//!
//! Every knob is one row of [`KNOBS`]: its name (and old name), the model
//! subsystem and the SMS component it changes, the article, its legacy and
//! hotfix values, the values it allows, and where its numbers come from. The
//! presets ([`Policy::legacy`], [`Policy::hotfix`]), [`Policy::with_hotfix`],
//! [`Policy::legacy_with`], policy files (`policy_file.rs`), their JSON
//! Schema and the ablation all read that table.
//!
//! Adding a knob takes a variant of [`Knob`] (and an entry of [`Knob::ALL`]),
//! a field of [`Policy`] named like the knob, and a row of [`KNOBS`]; the
//! tests check that the three agree.

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde::{de, Deserialize, Deserializer, Serialize};
use serde_json::Value;
use std::borrow::Cow;
use std::fmt;

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

/// Which site Windows NT Logon Server Manager writes into a logon point's
/// `Copylog.tcf` for a file (Q249077).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CopylogEntry {
    /// Legacy (SP1 without Q249077): the site that last *checked* whether
    /// the file should be updated, whether or not it copied it.
    LastChecked,
    /// Hotfix (and SP2): the site that last *updated* the file.
    LastUpdated,
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

/// Copy Queue Manager's name retries after the first name, at most
/// [`MaxRetries::MAX`]: a value that cannot be out of range, so the model
/// needs no clamp.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(into = "u32")]
pub struct MaxRetries(u16);

impl MaxRetries {
    /// The largest value. SMS 2.0 tries 51 names before the fix and 11
    /// after it, so no release comes near; the model counts the names of one
    /// copy try in 16 bits and positions a try's random stream by name in 10
    /// bits (up to 1023 names), which 1000 retries plus the first name fit.
    pub const MAX: u32 = 1000;

    /// `n`, if it is at most [`MaxRetries::MAX`].
    pub const fn new(n: u32) -> Option<Self> {
        if n <= Self::MAX {
            Some(MaxRetries(n as u16))
        } else {
            None
        }
    }

    /// The value.
    pub const fn get(self) -> u32 {
        self.0 as u32
    }
}

impl From<MaxRetries> for u32 {
    fn from(m: MaxRetries) -> u32 {
        m.get()
    }
}

impl fmt::Display for MaxRetries {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl<'de> Deserialize<'de> for MaxRetries {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let n = u64::deserialize(d)?;
        u32::try_from(n)
            .ok()
            .and_then(MaxRetries::new)
            .ok_or_else(|| {
                de::Error::custom(format_args!(
                    "{n} is out of range: expected an integer from 0 to {}",
                    MaxRetries::MAX
                ))
            })
    }
}

impl JsonSchema for MaxRetries {
    fn schema_name() -> Cow<'static, str> {
        "MaxRetries".into()
    }
    fn json_schema(_: &mut SchemaGenerator) -> Schema {
        json_schema!({ "type": "integer", "minimum": 0, "maximum": MaxRetries::MAX })
    }
}

/// A behaviour a hotfix changes, switched independently of the others.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Knob {
    /// Copy Queue Manager's file names (Q323627).
    CqmgrNameAlgorithm,
    /// Copy Queue Manager's name retries (Q323627).
    CqmgrMaxRetries,
    /// Copy Queue Manager's handling of an item whose retries ran out
    /// (Q323627).
    CqmgrOnExhausted,
    /// Client Configuration Manager's names for retry CCRs (Q242926).
    CcmRetryNaming,
    /// Client Configuration Manager's release check at SP1 sites (Q252717).
    CcmVersionCheck,
    /// Distribution Manager's retry scope (Q319207).
    DistmgrRetry,
    /// Windows NT Logon Server Manager's `Copylog.tcf` entries at SP1
    /// sites (Q249077).
    LogonCopylog,
}

impl Knob {
    /// Every knob, in the order of [`KNOBS`] (and of the ablation's runs).
    pub const ALL: [Knob; 7] = [
        Knob::CqmgrNameAlgorithm,
        Knob::CqmgrMaxRetries,
        Knob::CqmgrOnExhausted,
        Knob::CcmRetryNaming,
        Knob::CcmVersionCheck,
        Knob::DistmgrRetry,
        Knob::LogonCopylog,
    ];

    /// The knob's row of [`KNOBS`].
    pub fn def(self) -> &'static KnobDef {
        &KNOBS[self as usize]
    }

    /// The name policy files and ablation runs use (`cqmgr_max_retries`).
    pub fn name(self) -> &'static str {
        self.def().name
    }

    /// The knob called `name`, by its name or its old name.
    pub fn by_name(name: &str) -> Option<Knob> {
        Self::lookup(name).map(|k| k.knob)
    }

    /// The knob called `name`, and whether `name` is its old name (which
    /// still works but deserves a note to the user).
    pub fn lookup(name: &str) -> Option<KnobName> {
        KNOBS.iter().find_map(|d| {
            if d.name == name {
                Some(KnobName {
                    knob: d.knob,
                    deprecated: false,
                })
            } else if d.old_name == Some(name) {
                Some(KnobName {
                    knob: d.knob,
                    deprecated: true,
                })
            } else {
                None
            }
        })
    }
}

impl fmt::Display for Knob {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A knob found by [`Knob::lookup`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnobName {
    /// The knob.
    pub knob: Knob,
    /// The name given was the knob's old name: accepted, but deprecated.
    pub deprecated: bool,
}

impl KnobName {
    /// For an old name, a note telling the user the name to write instead.
    pub fn note(self) -> Option<String> {
        let d = self.knob.def();
        match d.old_name {
            Some(old) if self.deprecated => Some(format!(
                "{old} is the old name of {new}: it still works, but write {new}",
                new = d.name
            )),
            _ => None,
        }
    }
}

/// The values a knob allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Allowed {
    /// One of these names (a JSON string).
    OneOf(&'static [&'static str]),
    /// An integer in `min..=max`.
    Range {
        /// Smallest value.
        min: u32,
        /// Largest value.
        max: u32,
    },
}

/// Why a value does not fit a knob.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BadValue {
    /// Not one of the names, or not an integer.
    NotAllowed,
    /// An integer outside the range.
    OutOfRange,
}

impl Allowed {
    /// The JSON value of `text`, a value written as in [`KnobDef::legacy`].
    ///
    /// # Panics
    /// If `text` is not an integer for a [`Allowed::Range`] knob (the table's
    /// own values are checked by tests).
    pub fn json(self, text: &str) -> Value {
        match self {
            Allowed::OneOf(_) => Value::String(text.to_string()),
            Allowed::Range { .. } => Value::from(
                text.parse::<u64>()
                    .unwrap_or_else(|_| panic!("{text:?}: expected an integer")),
            ),
        }
    }

    /// Checks a value as a policy file gives it.
    pub fn check(self, v: &Value) -> Result<(), BadValue> {
        match self {
            Allowed::OneOf(names) => match v.as_str() {
                Some(s) if names.contains(&s) => Ok(()),
                _ => Err(BadValue::NotAllowed),
            },
            Allowed::Range { min, max } => {
                let n = match v {
                    Value::Number(n) => n,
                    _ => return Err(BadValue::NotAllowed),
                };
                if let Some(u) = n.as_u64() {
                    if (u64::from(min)..=u64::from(max)).contains(&u) {
                        return Ok(());
                    }
                    return Err(BadValue::OutOfRange);
                }
                if n.is_i64() {
                    // Negative.
                    return Err(BadValue::OutOfRange);
                }
                Err(BadValue::NotAllowed)
            }
        }
    }

    /// The JSON Schema of the values.
    pub fn schema(self) -> Value {
        match self {
            Allowed::OneOf(names) => serde_json::json!({ "type": "string", "enum": names }),
            Allowed::Range { min, max } => {
                serde_json::json!({ "type": "integer", "minimum": min, "maximum": max })
            }
        }
    }
}

impl fmt::Display for Allowed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Allowed::OneOf(names) => {
                for (i, n) in names.iter().enumerate() {
                    let sep = match i {
                        0 => "",
                        _ if i + 1 == names.len() => " or ",
                        _ => ", ",
                    };
                    write!(f, "{sep}\"{n}\"")?;
                }
                Ok(())
            }
            Allowed::Range { min, max } => write!(f, "an integer from {min} to {max}"),
        }
    }
}

/// One knob: what it changes, its values, and where they come from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KnobDef {
    /// The knob.
    pub knob: Knob,
    /// Its name in policy files, in [`Policy`], and in ablation policy
    /// names (`legacy+<name>`).
    pub name: &'static str,
    /// The name it had before, still accepted in policy files.
    pub old_name: Option<&'static str>,
    /// The model subsystem that reads it (`status`, `ccr`, `distribution`).
    pub subsystem: &'static str,
    /// The SMS component whose behaviour it changes.
    pub component: &'static str,
    /// The Knowledge Base article of the defect and its hotfix.
    pub article: &'static str,
    /// Its value before the hotfix, as a policy file writes it.
    pub legacy: &'static str,
    /// Its value with the hotfix, as a policy file writes it.
    pub hotfix: &'static str,
    /// The values it allows.
    pub allowed: Allowed,
    /// What it does, with its source.
    pub doc: &'static str,
}

/// Every knob, in [`Knob::ALL`] order.
pub const KNOBS: [KnobDef; 7] = [
    KnobDef {
        knob: Knob::CqmgrNameAlgorithm,
        name: "cqmgr_name_algorithm",
        old_name: Some("name_algorithm"),
        subsystem: "status",
        component: "Copy Queue Manager",
        article: "Q323627",
        legacy: "clock_seeded",
        hotfix: "unique",
        allowed: Allowed::OneOf(&["clock_seeded", "unique"]),
        doc: "Names of the files copied to a CAP inbox: a sequence seeded by the client's \
              clock before the fix, so clients in one clock tick try the same names; a \
              better algorithm, not sensitive to time synchronization, after it \
              (Q323627, Q301352)",
    },
    KnobDef {
        knob: Knob::CqmgrMaxRetries,
        name: "cqmgr_max_retries",
        old_name: Some("max_retries"),
        subsystem: "status",
        component: "Copy Queue Manager",
        article: "Q323627",
        legacy: "50",
        hotfix: "10",
        allowed: Allowed::Range {
            min: 0,
            max: MaxRetries::MAX,
        },
        doc: "Copy retries after the first try: 50 before the fix, 10 after (Q323627); \
              at most 1000, far above any release, because the model counts a try's \
              names in 16 bits and numbers their random draws in 10",
    },
    KnobDef {
        knob: Knob::CqmgrOnExhausted,
        name: "cqmgr_on_exhausted",
        old_name: Some("on_exhausted"),
        subsystem: "status",
        component: "Copy Queue Manager",
        article: "Q323627",
        legacy: "delete",
        hotfix: "requeue",
        allowed: Allowed::OneOf(&["delete", "requeue"]),
        doc: "An item whose retries ran out: set to Remove and deleted before the fix, \
              kept for the next copy cycle after it (Q323627)",
    },
    KnobDef {
        knob: Knob::CcmRetryNaming,
        name: "ccm_retry_naming",
        old_name: Some("ccr_retry_naming"),
        subsystem: "ccr",
        component: "Client Configuration Manager",
        article: "Q242926",
        legacy: "random",
        hotfix: "per_system",
        allowed: Allowed::OneOf(&["random", "per_system"]),
        doc: "Names of failed CCRs in CcrRetry.box: a new random name for every failure \
              before the fix, COMPUTER.DOMAIN.CCR after it, so a new failure replaces \
              the old file (Q242926)",
    },
    KnobDef {
        knob: Knob::CcmVersionCheck,
        name: "ccm_version_check",
        old_name: None,
        subsystem: "ccr",
        component: "Client Configuration Manager",
        article: "Q252717",
        legacy: "none",
        hotfix: "skip_newer",
        allowed: Allowed::OneOf(&["none", "skip_newer"]),
        doc: "An SP1 site's CCM at a client with files of a later release: installs its \
              own components over them before the fix, skips the client after it (Q252717)",
    },
    KnobDef {
        knob: Knob::DistmgrRetry,
        name: "distmgr_retry",
        old_name: None,
        subsystem: "distribution",
        component: "Distribution Manager",
        article: "Q319207",
        legacy: "resend_to_children",
        hotfix: "local_dps_only",
        allowed: Allowed::OneOf(&["resend_to_children", "local_dps_only"]),
        doc: "A package whose local distribution points were not all updated: the whole \
              update retried, sending the package information to every child site each \
              time, before the fix; only the local distribution points retried after it \
              (Q319207)",
    },
    KnobDef {
        knob: Knob::LogonCopylog,
        name: "logon_copylog",
        old_name: None,
        subsystem: "ccr",
        component: "Windows NT Logon Server Manager",
        article: "Q249077",
        legacy: "last_checked",
        hotfix: "last_updated",
        allowed: Allowed::OneOf(&["last_checked", "last_updated"]),
        doc: "The site an SP1 site's Logon Server Manager writes into a logon point's \
              Copylog.tcf for Clicore.exe: the site that last checked the file before the \
              fix, so an SP1 site claims an SP2 Clicore.exe it did not copy and its SP1 \
              clients copy it into a mixed installation state (Q264630); the site that \
              last updated it after the fix (Q249077). SP2 sites write the site that \
              last updated it",
    },
];

/// The names of the preset policies: `as-scheduled` is `legacy` that also
/// carries out the scenario's `rollout`.
pub const PRESETS: [&str; 3] = ["legacy", "hotfix", "as-scheduled"];

/// One combination of every knob. Its fields are named as the knobs (see
/// [`KNOBS`] for what each does and its values).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Policy {
    /// The name runs are labelled with in the results (`legacy`, `hotfix`,
    /// `legacy+cqmgr_name_algorithm`, a policy file's name).
    pub name: String,
    /// [`Knob::CqmgrNameAlgorithm`].
    pub cqmgr_name_algorithm: NameAlgorithm,
    /// [`Knob::CqmgrMaxRetries`].
    pub cqmgr_max_retries: MaxRetries,
    /// [`Knob::CqmgrOnExhausted`].
    pub cqmgr_on_exhausted: OnExhausted,
    /// [`Knob::CcmRetryNaming`].
    pub ccm_retry_naming: CcrRetryNaming,
    /// [`Knob::CcmVersionCheck`].
    pub ccm_version_check: CcmVersionCheck,
    /// [`Knob::DistmgrRetry`].
    pub distmgr_retry: DistmgrRetry,
    /// [`Knob::LogonCopylog`].
    pub logon_copylog: CopylogEntry,
    /// Whether the scenario's `rollout` (hotfix installs, upgrades, manual
    /// remedies) is carried out: true for `as-scheduled` (and a policy file
    /// based on it), false for `legacy` and `hotfix`. Not a knob: the knobs
    /// say how a component that lacks a fix behaves, the rollout which
    /// components get one and when (`release.rs`).
    #[serde(default)]
    pub rollout: bool,
}

impl Policy {
    /// The behaviour before the hotfixes: every knob's [`KnobDef::legacy`].
    pub fn legacy() -> Self {
        Self::from_table("legacy", |d| d.legacy)
    }

    /// The behaviour with every hotfix applied: every knob's
    /// [`KnobDef::hotfix`].
    pub fn hotfix() -> Self {
        Self::from_table("hotfix", |d| d.hotfix)
    }

    /// The scenario's own plan: legacy behaviour wherever the plan has not
    /// (yet) fixed a component, and the plan's `rollout` carried out.
    pub fn as_scheduled() -> Self {
        Policy {
            name: "as-scheduled".into(),
            rollout: true,
            ..Self::legacy()
        }
    }

    /// A preset by name (one of [`PRESETS`]).
    pub fn preset(name: &str) -> Option<Self> {
        match name {
            "legacy" => Some(Self::legacy()),
            "hotfix" => Some(Self::hotfix()),
            "as-scheduled" => Some(Self::as_scheduled()),
            _ => None,
        }
    }

    /// This policy with the hotfix's value of one knob; the name is left as
    /// it is.
    pub fn with_hotfix(self, knob: Knob) -> Self {
        let d = knob.def();
        self.with_value(knob, &d.allowed.json(d.hotfix))
            .expect("a knob's hotfix value is allowed (tested)")
    }

    /// Legacy with the hotfix's value of one knob, named
    /// `legacy+<knob name>`.
    pub fn legacy_with(knob: Knob) -> Self {
        let mut p = Self::legacy().with_hotfix(knob);
        p.name = format!("legacy+{}", knob.name());
        p
    }

    /// This policy with `knob` set to `value`, written as in a policy file
    /// (`"unique"`, `10`); a value the knob does not allow is refused.
    pub fn with_value(self, knob: Knob, value: &Value) -> Result<Self, BadValue> {
        knob.def().allowed.check(value)?;
        let mut v = serde_json::to_value(self).expect("a policy serializes");
        v[knob.name()] = value.clone();
        Ok(serde_json::from_value(v).expect("an allowed value deserializes (tested)"))
    }

    /// The value of `knob`, as a policy file writes it.
    pub fn value(&self, knob: Knob) -> Value {
        let v = serde_json::to_value(self).expect("a policy serializes");
        v[knob.name()].clone()
    }

    /// The policy named `name` with each knob's value chosen from its row.
    fn from_table(name: &str, value: impl Fn(&KnobDef) -> &'static str) -> Self {
        let mut fields = serde_json::Map::new();
        fields.insert("name".into(), name.into());
        for d in &KNOBS {
            fields.insert(d.name.into(), d.allowed.json(value(d)));
        }
        serde_json::from_value(Value::Object(fields))
            .expect("KNOBS holds an allowed value for every field of Policy (tested)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_follows_knob_all_and_names_every_policy_field() {
        for (i, k) in Knob::ALL.into_iter().enumerate() {
            assert_eq!(KNOBS[i].knob, k);
            assert_eq!(k as usize, i);
            assert_eq!(Knob::by_name(k.name()), Some(k));
            if let Some(old) = k.def().old_name {
                assert_eq!(Knob::by_name(old), Some(k));
                let found = Knob::lookup(old).unwrap();
                assert!(found.deprecated);
                assert!(found.note().unwrap().contains(k.name()));
            }
            assert!(Knob::lookup(k.name()).unwrap().note().is_none());
        }
        let v = serde_json::to_value(Policy::legacy()).unwrap();
        let fields: Vec<&String> = v.as_object().unwrap().keys().collect();
        let mut want = vec!["name", "rollout"];
        want.extend(KNOBS.iter().map(|d| d.name));
        let mut fields: Vec<&str> = fields.iter().map(|s| s.as_str()).collect();
        fields.sort_unstable();
        want.sort_unstable();
        assert_eq!(fields, want);
        assert_eq!(Knob::by_name("nope"), None);
    }

    #[test]
    fn allowed_values_are_exactly_what_the_fields_take() {
        let schema = serde_json::to_value(schemars::schema_for!(Policy)).unwrap();
        for d in &KNOBS {
            assert_eq!(d.allowed.check(&d.allowed.json(d.legacy)), Ok(()));
            assert_eq!(d.allowed.check(&d.allowed.json(d.hotfix)), Ok(()));
            match d.allowed {
                Allowed::OneOf(names) => {
                    for n in names {
                        let p = Policy::legacy().with_value(d.knob, &Value::from(*n));
                        assert_eq!(p.unwrap().value(d.knob), Value::from(*n));
                    }
                    // The enum's own list, from its derived schema.
                    let r = schema["properties"][d.name]["$ref"].as_str().unwrap();
                    let def = &schema["$defs"][r.rsplit('/').next().unwrap()];
                    let mut names_of_type: Vec<String> = def["oneOf"]
                        .as_array()
                        .map(|a| {
                            a.iter()
                                .map(|x| x["const"].as_str().unwrap().into())
                                .collect()
                        })
                        .unwrap_or_else(|| {
                            def["enum"]
                                .as_array()
                                .unwrap()
                                .iter()
                                .map(|x| x.as_str().unwrap().into())
                                .collect()
                        });
                    names_of_type.sort();
                    let mut listed: Vec<String> = names.iter().map(|s| s.to_string()).collect();
                    listed.sort();
                    assert_eq!(names_of_type, listed, "{}", d.name);
                }
                Allowed::Range { min, max } => {
                    for n in [min, max] {
                        let p = Policy::legacy().with_value(d.knob, &Value::from(n));
                        assert_eq!(p.unwrap().value(d.knob), Value::from(n));
                    }
                    let over = Policy::legacy().with_value(d.knob, &Value::from(max + 1));
                    assert_eq!(over, Err(BadValue::OutOfRange));
                }
            }
            let bogus = Policy::legacy().with_value(d.knob, &Value::from("bogus"));
            assert_eq!(bogus, Err(BadValue::NotAllowed));
        }
    }

    #[test]
    fn presets_read_the_table() {
        let (l, h) = (Policy::legacy(), Policy::hotfix());
        assert_eq!(l.cqmgr_name_algorithm, NameAlgorithm::ClockSeeded);
        assert_eq!(l.cqmgr_max_retries.get(), 50);
        assert_eq!(l.cqmgr_on_exhausted, OnExhausted::Delete);
        assert_eq!(l.ccm_retry_naming, CcrRetryNaming::Random);
        assert_eq!(l.ccm_version_check, CcmVersionCheck::None);
        assert_eq!(l.distmgr_retry, DistmgrRetry::ResendToChildren);
        assert_eq!(l.logon_copylog, CopylogEntry::LastChecked);
        assert_eq!(h.cqmgr_name_algorithm, NameAlgorithm::Unique);
        assert_eq!(h.cqmgr_max_retries.get(), 10);
        assert_eq!(h.cqmgr_on_exhausted, OnExhausted::Requeue);
        assert_eq!(h.ccm_retry_naming, CcrRetryNaming::PerSystem);
        assert_eq!(h.ccm_version_check, CcmVersionCheck::SkipNewer);
        assert_eq!(h.distmgr_retry, DistmgrRetry::LocalDpsOnly);
        assert_eq!(h.logon_copylog, CopylogEntry::LastUpdated);
        for d in &KNOBS {
            assert_eq!(l.value(d.knob), d.allowed.json(d.legacy));
            assert_eq!(h.value(d.knob), d.allowed.json(d.hotfix));
        }
        assert_eq!(Policy::preset("legacy"), Some(l));
        assert_eq!(Policy::preset("hotfix"), Some(h));
        assert_eq!(Policy::preset("nope"), None);
        let a = Policy::preset("as-scheduled").unwrap();
        let l = Policy::legacy();
        assert!(a.rollout && !l.rollout && !Policy::hotfix().rollout);
        for d in &KNOBS {
            assert_eq!(a.value(d.knob), l.value(d.knob));
        }
    }

    #[test]
    fn each_knob_alone_differs_from_legacy_in_one_field() {
        let all = Knob::ALL
            .into_iter()
            .fold(Policy::legacy(), Policy::with_hotfix);
        assert_eq!(
            Policy {
                name: "hotfix".into(),
                ..all
            },
            Policy::hotfix()
        );
        for knob in Knob::ALL {
            let p = Policy::legacy_with(knob);
            assert_eq!(p.name, format!("legacy+{}", knob.name()));
            for other in Knob::ALL {
                let same = p.value(other) == Policy::legacy().value(other);
                assert_eq!(same, other != knob, "{knob} changes {other}");
            }
        }
    }

    #[test]
    fn max_retries_is_bounded() {
        assert_eq!(MaxRetries::new(1000).map(MaxRetries::get), Some(1000));
        assert_eq!(MaxRetries::new(1001), None);
        let err = serde_json::from_str::<MaxRetries>("60001").unwrap_err();
        assert!(err.to_string().contains("from 0 to 1000"), "{err}");
        assert_eq!(serde_json::to_string(&MaxRetries::new(7)).unwrap(), "7");
    }

    #[test]
    fn allowed_values_read_as_text() {
        assert_eq!(
            Knob::CqmgrNameAlgorithm.def().allowed.to_string(),
            "\"clock_seeded\" or \"unique\""
        );
        assert_eq!(
            Knob::CqmgrMaxRetries.def().allowed.to_string(),
            "an integer from 0 to 1000"
        );
        assert_eq!(
            Allowed::OneOf(&["a", "b", "c"]).to_string(),
            "\"a\", \"b\" or \"c\""
        );
    }
}
