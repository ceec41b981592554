//! Policy files: a base preset and the knobs to change, read and checked
//! against [`KNOBS`].
//!
//! ```json
//! { "name": "fewer-retries", "base": "legacy", "cqmgr_max_retries": 10 }
//! ```
//!
//! Every key is a knob's name (or its old name, which still works and
//! yields a note), `name` (default: the file's stem) or `base` (`legacy`,
//! the default, or `hotfix`). Errors name the file, the line and column,
//! the field and what it allows.

use crate::policy::{BadValue, Knob, Policy, KNOBS, PRESETS};
use serde::de::{self, DeserializeSeed, MapAccess, Visitor};
use serde::Deserialize;
use serde_json::Value;
use std::fmt;
use std::path::Path;

/// A policy read from a file, and what the user should be told about it.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadedPolicy {
    /// The policy.
    pub policy: Policy,
    /// Notes for the user, e.g. that an old knob name was used (the CLI
    /// prints each as `note: …`).
    pub notes: Vec<String>,
}

/// A `--policy` argument or policy file that could not be used.
#[derive(Debug, thiserror::Error)]
pub enum PolicyError {
    /// Neither a preset nor an existing file.
    #[error("--policy {arg:?}: expected \"legacy\", \"hotfix\", \"as-scheduled\" or a policy file (no such file)")]
    NotFound {
        /// The argument given.
        arg: String,
    },
    /// The file could not be read.
    #[error("{path}: cannot read the policy file")]
    Io {
        /// The file.
        path: String,
        /// The operating system's reason.
        source: std::io::Error,
    },
    /// The file is not well-formed JSON.
    #[error("{path}:{line}:{column}: malformed JSON: {message}")]
    Syntax {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// The file is JSON but not an object.
    #[error("{path}:{line}:{column}: {message}")]
    NotAnObject {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What was found and what was expected.
        message: String,
    },
    /// A key that is neither a knob nor `name` nor `base`.
    #[error(
        "{path}:{line}:{column}: {field}: unknown field{}; expected {} (`smssim schema --policy` lists them)",
        suggestion.as_ref().map(|s| format!(" (did you mean {s}?)")).unwrap_or_default(),
        field_list()
    )]
    UnknownField {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key given.
        field: String,
        /// The nearest valid key, if one is near.
        suggestion: Option<String>,
    },
    /// A value of the wrong type, or not one of the names a knob allows.
    #[error("{path}:{line}:{column}: {field}: {found}: expected {expected}")]
    BadValue {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key given.
        field: String,
        /// The value found, as JSON.
        found: String,
        /// What the field allows.
        expected: String,
    },
    /// A number outside the range a knob allows.
    #[error("{path}:{line}:{column}: {field}: {value} is out of range: expected an integer from {min} to {max}")]
    OutOfRange {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key given.
        field: String,
        /// The value found.
        value: String,
        /// Smallest allowed value.
        min: u32,
        /// Largest allowed value.
        max: u32,
    },
    /// `base` names no preset.
    #[error(
        "{path}:{line}:{column}: base: unknown policy {base:?}: expected \"legacy\" or \"hotfix\""
    )]
    UnknownBase {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The base given.
        base: String,
    },
    /// One field given twice (perhaps once under its old name).
    #[error("{path}:{line}:{column}: {field}: given twice (also as {first}): keep one")]
    Duplicate {
        /// The file.
        path: String,
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// The key given second.
        field: String,
        /// The key given first.
        first: String,
    },
}

fn field_list() -> String {
    let mut names = vec!["name", "base"];
    names.extend(KNOBS.iter().map(|d| d.name));
    names.join(", ")
}

/// A `--policy` argument: a preset name ([`PRESETS`]) or a policy file.
pub fn policy_arg(arg: &str) -> Result<LoadedPolicy, PolicyError> {
    if let Some(policy) = Policy::preset(arg) {
        return Ok(LoadedPolicy {
            policy,
            notes: Vec::new(),
        });
    }
    let path = Path::new(arg);
    if !path.exists() {
        return Err(PolicyError::NotFound { arg: arg.into() });
    }
    load_policy(path)
}

/// Reads and checks the policy file at `path`; a policy without a `name` is
/// named after the file's stem.
pub fn load_policy(path: &Path) -> Result<LoadedPolicy, PolicyError> {
    let shown = path.display().to_string();
    let text = crate::read_text(path).map_err(|source| PolicyError::Io {
        path: shown.clone(),
        source,
    })?;
    let stem = path
        .file_stem()
        .map_or("custom".into(), |s| s.to_string_lossy().to_string());
    parse_policy(&text, &shown, &stem)
}

/// Reads and checks policy file text; `origin` names it in errors and notes,
/// `default_name` names the policy when the file does not.
pub fn parse_policy(
    text: &str,
    origin: &str,
    default_name: &str,
) -> Result<LoadedPolicy, PolicyError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Syntax first, so that a malformed file is reported as such.
    if let Err(e) = serde_json::from_str::<de::IgnoredAny>(text) {
        return Err(PolicyError::Syntax {
            path: origin.into(),
            line: e.line(),
            column: e.column(),
            message: strip_position(&e.to_string()),
        });
    }
    let mut problem = None;
    let mut de = serde_json::Deserializer::from_str(text);
    let fields = Reader {
        problem: &mut problem,
    }
    .deserialize(&mut de)
    .map_err(|e| {
        let (path, line, column) = (origin.to_string(), e.line(), e.column());
        match problem.take() {
            None => PolicyError::NotAnObject {
                path,
                line,
                column,
                message: strip_position(&e.to_string()),
            },
            Some(p) => p.at(path, line, column),
        }
    })?;
    let base = fields.base.unwrap_or("legacy");
    let mut policy = Policy::preset(base).expect("base is checked against PRESETS");
    policy.name = fields.name.unwrap_or_else(|| default_name.to_string());
    for (knob, value) in &fields.knobs {
        policy = policy
            .with_value(*knob, value)
            .expect("values are checked as they are read");
    }
    let notes = fields
        .notes
        .into_iter()
        .map(|n| format!("{origin}: {n}"))
        .collect();
    Ok(LoadedPolicy { policy, notes })
}

/// The JSON Schema of policy files, from [`KNOBS`]: each knob's values, its
/// old name marked deprecated.
pub fn policy_schema() -> Value {
    let mut props = serde_json::Map::new();
    props.insert(
        "name".into(),
        serde_json::json!({
            "description": "The name runs are labelled with in the results. Default: the file's stem.",
            "type": "string",
            "minLength": 1
        }),
    );
    props.insert(
        "base".into(),
        serde_json::json!({
            "description": "The preset the knobs below change.",
            "type": "string",
            "enum": PRESETS,
            "default": "legacy"
        }),
    );
    let mut not_both = Vec::new();
    for d in &KNOBS {
        let mut s = d.allowed.schema();
        s["description"] = Value::from(format!(
            "{}. {}, {} subsystem. Legacy: {}; hotfix: {}.",
            d.doc, d.component, d.subsystem, d.legacy, d.hotfix
        ));
        s["default"] = d.allowed.json(d.legacy);
        props.insert(d.name.into(), s);
        if let Some(old) = d.old_name {
            let mut s = d.allowed.schema();
            s["description"] = Value::from(format!("Old name of `{}`: write that.", d.name));
            s["deprecated"] = Value::Bool(true);
            props.insert(old.into(), s);
            not_both.push(serde_json::json!({ "not": { "required": [d.name, old] } }));
        }
    }
    serde_json::json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "PolicyFile",
        "description": "An smssim policy file: a base preset and the hotfix knobs to change \
                        (smssim run --policy FILE).",
        "type": "object",
        "properties": props,
        "additionalProperties": false,
        "allOf": not_both
    })
}

/// A problem found while reading, before its position is known.
enum Problem {
    UnknownField {
        field: String,
        suggestion: Option<String>,
    },
    BadValue {
        field: String,
        found: String,
        expected: String,
    },
    OutOfRange {
        field: String,
        value: String,
        min: u32,
        max: u32,
    },
    UnknownBase {
        base: String,
    },
    Duplicate {
        field: String,
        first: String,
    },
}

impl Problem {
    fn at(self, path: String, line: usize, column: usize) -> PolicyError {
        match self {
            Problem::UnknownField { field, suggestion } => PolicyError::UnknownField {
                path,
                line,
                column,
                field,
                suggestion,
            },
            Problem::BadValue {
                field,
                found,
                expected,
            } => PolicyError::BadValue {
                path,
                line,
                column,
                field,
                found,
                expected,
            },
            Problem::OutOfRange {
                field,
                value,
                min,
                max,
            } => PolicyError::OutOfRange {
                path,
                line,
                column,
                field,
                value,
                min,
                max,
            },
            Problem::UnknownBase { base } => PolicyError::UnknownBase {
                path,
                line,
                column,
                base,
            },
            Problem::Duplicate { field, first } => PolicyError::Duplicate {
                path,
                line,
                column,
                field,
                first,
            },
        }
    }
}

/// The fields of a file, checked.
#[derive(Default)]
struct Fields {
    name: Option<String>,
    base: Option<&'static str>,
    knobs: Vec<(Knob, Value)>,
    /// Keys given so far: (canonical field, key as written).
    seen: Vec<(String, String)>,
    notes: Vec<String>,
}

impl Fields {
    /// A key about to be read: its knob (`None` for `name` and `base`), or
    /// why it cannot be read.
    fn key(&mut self, key: &str) -> Result<Option<Knob>, Problem> {
        let (canonical, knob) = match key {
            "name" | "base" => (key.to_string(), None),
            _ => match Knob::lookup(key) {
                Some(k) => {
                    self.notes.extend(k.note());
                    (k.knob.name().to_string(), Some(k.knob))
                }
                None => {
                    return Err(Problem::UnknownField {
                        field: key.into(),
                        suggestion: nearest(key),
                    })
                }
            },
        };
        if let Some((_, first)) = self.seen.iter().find(|(c, _)| *c == canonical) {
            return Err(Problem::Duplicate {
                field: key.into(),
                first: first.clone(),
            });
        }
        self.seen.push((canonical, key.into()));
        Ok(knob)
    }

    /// A value for the key just read.
    fn value(&mut self, field: &str, knob: Option<Knob>, v: Value) -> Result<(), Problem> {
        let bad = |expected: String| Problem::BadValue {
            field: field.into(),
            found: short(&v),
            expected,
        };
        match (field, knob) {
            (_, Some(knob)) => match knob.def().allowed.check(&v) {
                Ok(()) => self.knobs.push((knob, v)),
                Err(BadValue::NotAllowed) => return Err(bad(knob.def().allowed.to_string())),
                Err(BadValue::OutOfRange) => {
                    let crate::policy::Allowed::Range { min, max } = knob.def().allowed else {
                        unreachable!("only ranges are out of range")
                    };
                    return Err(Problem::OutOfRange {
                        field: field.into(),
                        value: v.to_string(),
                        min,
                        max,
                    });
                }
            },
            ("name", None) => match v.as_str() {
                Some(s) if !s.trim().is_empty() => self.name = Some(s.to_string()),
                _ => return Err(bad("a non-empty name (a string)".into())),
            },
            (_, None) => match v.as_str() {
                Some(s) => match PRESETS.iter().find(|p| **p == s) {
                    Some(p) => self.base = Some(p),
                    None => return Err(Problem::UnknownBase { base: s.into() }),
                },
                None => return Err(bad("\"legacy\" or \"hotfix\"".into())),
            },
        }
        Ok(())
    }
}

/// The valid key nearest to `key`, if it is near.
fn nearest(key: &str) -> Option<String> {
    let mut candidates: Vec<(&str, &str)> = vec![("name", "name"), ("base", "base")];
    for d in &KNOBS {
        candidates.push((d.name, d.name));
        if let Some(old) = d.old_name {
            candidates.push((old, d.name));
        }
    }
    candidates
        .into_iter()
        .map(|(c, to)| (strsim::levenshtein(key, c), to))
        .filter(|&(dist, _)| dist <= 3)
        .min_by_key(|&(dist, _)| dist)
        .map(|(_, to)| to.to_string())
}

/// A JSON value as an error message shows it.
fn short(v: &Value) -> String {
    match v {
        Value::Object(_) => "an object".into(),
        Value::Array(_) => "a list".into(),
        v => {
            let s = v.to_string();
            if s.chars().count() > 40 {
                format!("{}…", s.chars().take(40).collect::<String>())
            } else {
                s
            }
        }
    }
}

/// serde_json appends " at line L column C"; we print the position first.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

/// Reads the top-level object entry by entry, so that an error carries the
/// position where it was found. A problem is left in `problem`, and the
/// serde error returned only carries its position.
struct Reader<'a> {
    problem: &'a mut Option<Problem>,
}

impl<'de> DeserializeSeed<'de> for Reader<'_> {
    type Value = Fields;
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<Fields, D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Reader<'_> {
    type Value = Fields;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a policy: an object such as {\"base\": \"legacy\", \"cqmgr_max_retries\": 10}")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Fields, A::Error> {
        let mut fields = Fields::default();
        while let Some(key) = map.next_key::<String>()? {
            let knob = match fields.key(&key) {
                Ok(knob) => knob,
                Err(p) => return Err(fail(self.problem, p)),
            };
            map.next_value_seed(Checked {
                fields: &mut fields,
                key: &key,
                knob,
                problem: &mut *self.problem,
            })?;
        }
        Ok(fields)
    }
}

/// Leaves `p` for [`parse_policy`] and returns an error that carries only
/// the position.
fn fail<E: de::Error>(slot: &mut Option<Problem>, p: Problem) -> E {
    *slot = Some(p);
    E::custom("a policy file problem")
}

/// Reads one value and checks it for its key where it stands, so that the
/// error's position is the value's.
struct Checked<'a> {
    fields: &'a mut Fields,
    key: &'a str,
    knob: Option<Knob>,
    problem: &'a mut Option<Problem>,
}

impl Checked<'_> {
    fn take<E: de::Error>(self, v: Value) -> Result<(), E> {
        self.fields
            .value(self.key, self.knob, v)
            .map_err(|p| fail(self.problem, p))
    }
}

impl<'de> DeserializeSeed<'de> for Checked<'_> {
    type Value = ();
    fn deserialize<D: de::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Checked<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<(), E> {
        self.take(Value::Bool(v))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<(), E> {
        self.take(Value::from(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<(), E> {
        self.take(Value::from(v))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<(), E> {
        self.take(Value::from(v))
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
        self.take(Value::from(v))
    }
    fn visit_unit<E: de::Error>(self) -> Result<(), E> {
        self.take(Value::Null)
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, seq: A) -> Result<(), A::Error> {
        let v = Value::deserialize(de::value::SeqAccessDeserializer::new(seq))?;
        self.take(v)
    }
    fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<(), A::Error> {
        let v = Value::deserialize(de::value::MapAccessDeserializer::new(map))?;
        self.take(v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::policy::{MaxRetries, NameAlgorithm};

    fn parse(text: &str) -> Result<LoadedPolicy, PolicyError> {
        parse_policy(text, "p.json", "stem")
    }

    #[test]
    fn a_file_mixes_knobs_on_a_base() {
        let p = parse(r#"{"base":"legacy","cqmgr_name_algorithm":"unique"}"#).unwrap();
        assert_eq!(p.policy.cqmgr_name_algorithm, NameAlgorithm::Unique);
        assert_eq!(p.policy.cqmgr_max_retries.get(), 50);
        assert_eq!(p.policy.name, "stem");
        assert!(p.notes.is_empty());
        let p = parse(r#"{"name":"mine","base":"hotfix","cqmgr_max_retries":1000}"#).unwrap();
        assert_eq!(p.policy.name, "mine");
        assert_eq!(p.policy.cqmgr_max_retries, MaxRetries::new(1000).unwrap());
        assert_eq!(p.policy.distmgr_retry, Policy::hotfix().distmgr_retry);
        assert_eq!(parse("{}").unwrap().policy.ccm_retry_naming, {
            Policy::legacy().ccm_retry_naming
        });
    }

    #[test]
    fn old_names_work_with_a_note() {
        let p = parse(
            r#"{"max_retries": 10, "name_algorithm": "unique", "ccr_retry_naming": "per_system"}"#,
        )
        .unwrap();
        assert_eq!(p.policy.cqmgr_max_retries.get(), 10);
        assert_eq!(p.policy.cqmgr_name_algorithm, NameAlgorithm::Unique);
        assert_eq!(p.notes.len(), 3, "{:?}", p.notes);
        assert!(
            p.notes[0].starts_with("p.json: max_retries"),
            "{:?}",
            p.notes
        );
        assert!(
            p.notes[0].contains("write cqmgr_max_retries"),
            "{:?}",
            p.notes
        );
    }

    #[test]
    fn out_of_range_is_a_typed_error_naming_the_field() {
        let e = parse("{\n  \"cqmgr_max_retries\": 60001\n}").unwrap_err();
        assert!(
            matches!(&e, PolicyError::OutOfRange { field, line: 2, max: 1000, .. } if field == "cqmgr_max_retries"),
            "{e:?}"
        );
        let msg = e.to_string();
        assert!(msg.starts_with("p.json:2:"), "{msg}");
        assert!(
            msg.contains("cqmgr_max_retries: 60001 is out of range"),
            "{msg}"
        );
        let e = parse(r#"{"max_retries": -1}"#).unwrap_err();
        assert!(matches!(e, PolicyError::OutOfRange { .. }), "{e:?}");
    }

    #[test]
    fn wrong_types_say_what_is_expected_without_rust_type_names() {
        for (text, field, expected) in [
            (
                r#"{"cqmgr_max_retries": "ten"}"#,
                "cqmgr_max_retries",
                "an integer from 0 to 1000",
            ),
            (
                r#"{"cqmgr_max_retries": 2.5}"#,
                "cqmgr_max_retries",
                "an integer",
            ),
            (
                r#"{"cqmgr_name_algorithm": "fast"}"#,
                "cqmgr_name_algorithm",
                "\"clock_seeded\" or \"unique\"",
            ),
            (
                r#"{"on_exhausted": 3}"#,
                "on_exhausted",
                "\"delete\" or \"requeue\"",
            ),
            (r#"{"name": 3}"#, "name", "a non-empty name"),
            (r#"{"base": []}"#, "base", "\"legacy\" or \"hotfix\""),
        ] {
            let e = parse(text).unwrap_err();
            assert!(matches!(e, PolicyError::BadValue { .. }), "{text}: {e:?}");
            let msg = e.to_string();
            assert!(msg.contains(&format!("{field}: ")), "{msg}");
            assert!(msg.contains(expected), "{msg}");
            for rust in ["u32", "u64", "String", "enum", "struct", "Option"] {
                assert!(!msg.contains(rust), "{msg}");
            }
        }
        let e = parse("[1]").unwrap_err();
        assert!(matches!(e, PolicyError::NotAnObject { .. }), "{e:?}");
        assert!(e.to_string().contains("expected a policy"), "{e}");
    }

    #[test]
    fn unknown_fields_and_bases_are_named() {
        let e = parse("{\"base\": \"legacy\",\n \"max_retrys\": 3}").unwrap_err();
        let msg = e.to_string();
        assert!(msg.starts_with("p.json:2:"), "{msg}");
        assert!(msg.contains("max_retrys: unknown field"), "{msg}");
        assert!(msg.contains("did you mean cqmgr_max_retries?"), "{msg}");
        assert!(msg.contains("distmgr_retry"), "{msg}");
        let e = parse(r#"{"base": "fixed"}"#).unwrap_err();
        assert!(matches!(e, PolicyError::UnknownBase { .. }), "{e:?}");
        assert!(
            e.to_string().contains("base: unknown policy \"fixed\""),
            "{e}"
        );
    }

    #[test]
    fn a_knob_given_twice_is_refused() {
        let e = parse(r#"{"max_retries": 3, "cqmgr_max_retries": 4}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("cqmgr_max_retries: given twice (also as max_retries)"),
            "{e}"
        );
        assert!(parse(r#"{"name": "a", "name": "b"}"#).is_err());
    }

    #[test]
    fn malformed_json_names_the_line() {
        let e = parse("{\n \"base\": \"legacy\",\n oops\n}").unwrap_err();
        assert!(matches!(e, PolicyError::Syntax { line: 3, .. }), "{e:?}");
        assert!(e.to_string().starts_with("p.json:3:"), "{e}");
    }

    #[test]
    fn arguments_are_presets_or_files() {
        assert_eq!(policy_arg("hotfix").unwrap().policy, Policy::hotfix());
        let e = policy_arg("/no/such/policy.json").unwrap_err();
        assert!(matches!(e, PolicyError::NotFound { .. }), "{e:?}");
    }

    #[test]
    fn the_schema_lists_every_knob_and_marks_old_names() {
        let s = policy_schema();
        let props = &s["properties"];
        for d in &KNOBS {
            assert!(props[d.name]["description"]
                .as_str()
                .unwrap()
                .contains(d.article));
            if let Some(old) = d.old_name {
                assert_eq!(props[old]["deprecated"], Value::Bool(true));
            }
        }
        assert_eq!(
            props["cqmgr_name_algorithm"]["enum"],
            serde_json::json!(["clock_seeded", "unique"])
        );
        assert_eq!(props["cqmgr_max_retries"]["maximum"], Value::from(1000));
        assert_eq!(s["additionalProperties"], Value::Bool(false));
    }
}
