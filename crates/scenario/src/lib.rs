//! Scenario files for smssim: parsed strictly, overridden with `--set`,
//! validated into a [`Scenario`] that the model trusts.
//!
//! Loading goes in three steps, each with errors that name the file and the
//! line and column or the field path:
//! 1. the text is read as JSON into [`ScenarioSpec`] (unknown fields are
//!    errors; value types such as [`Span`] and [`Probability`] reject bad
//!    values as they are read);
//! 2. `--set KEY=VALUE` overrides are put into the full, default-filled
//!    scenario (an unknown key lists the nearest valid keys);
//! 3. [`validate`] checks what types cannot (references, orderings, size)
//!    and plans the hierarchy. Each section of the spec (`topology`,
//!    `clients`, `status`, `ccr`, `distribution`, `trace`) declares its
//!    spec, defaults and check ([`Section`]) in its own file; `validate`
//!    hands every field to its check. Whether the machine can hold the run
//!    is not validation's business (the experiment planner checks it).
//!
//! Policies ([`Policy`]) are combinations of the hotfix knobs listed in
//! [`KNOBS`]; [`policy_arg`] reads a `--policy` preset or file.
//!
//! ```
//! let text = r#"{ "name": "tiny", "duration_days": 1,
//!                 "topology": { "child_sites": 2, "clients_per_cap": 10 } }"#;
//! let set = [smssim_scenario::Override::parse("topology.caps_per_site=3").unwrap()];
//! let s = smssim_scenario::load_str(text, "tiny.json", &set).unwrap();
//! assert_eq!(s.sites.len(), 3);
//! assert_eq!(s.client_count(), 3 * 3 * 10);
//! ```
#![deny(missing_docs)]

pub mod calendar;
pub mod ccr;
pub mod distribution;
mod error;
mod issues;
mod overrides;
pub mod policy;
pub mod policy_file;
pub mod release;
pub mod rollout;
mod shape;
pub mod spec;
pub mod status;
pub mod topology;
mod validate;
pub mod values;

pub use calendar::Calendar;
pub use error::ScenarioError;
pub use issues::{issue, Issue, Issues, Section, ValidationContext};
pub use overrides::{apply as apply_override, paths, Override};
pub use policy::{Knob, KnobDef, Policy, KNOBS};
pub use policy_file::{
    load_policy, parse_policy, policy_arg, policy_schema, LoadedPolicy, PolicyError,
};
pub use release::{Defect, DefectDef, Owner, DEFECTS};
pub use rollout::{PlannedStep, Step};
pub use spec::ScenarioSpec;
pub use topology::{site_code, PlannedSite, MAX_SITES};
pub use validate::{validate, Scenario, Source, MAX_NAME_CHARS};
pub use values::{Positive, Probability, SiteVersion, Span};

use sha2::{Digest, Sha256};
use std::path::Path;

/// Largest scenario or policy file read (a real one is a few KiB; the
/// limit keeps `/dev/zero` or a mistyped log file from filling memory).
pub const MAX_FILE_BYTES: u64 = 16 << 20;

/// Reads the scenario file at `path`, overrides and validates it.
pub fn load(path: &Path, overrides: &[Override]) -> Result<Scenario, ScenarioError> {
    let shown = path.display().to_string();
    let text = read_text(path).map_err(|source| ScenarioError::Io {
        path: shown.clone(),
        source,
    })?;
    load_str(&text, &shown, overrides)
}

/// Reads a JSON input file: at most [`MAX_FILE_BYTES`], UTF-8.
pub fn read_text(path: &Path) -> std::io::Result<String> {
    use std::io::{Error, ErrorKind, Read};
    let file = std::fs::File::open(path)?;
    if file.metadata()?.is_dir() {
        return Err(Error::other("it is a folder, expected a JSON file"));
    }
    let mut bytes = Vec::new();
    file.take(MAX_FILE_BYTES + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(Error::other(format!(
            "larger than {} MiB, expected a JSON file of a few KiB",
            MAX_FILE_BYTES >> 20
        )));
    }
    String::from_utf8(bytes).map_err(|e| {
        let at = e.utf8_error().valid_up_to();
        Error::new(
            ErrorKind::InvalidData,
            format!("not UTF-8 text (at byte offset {at}): save the file as UTF-8"),
        )
    })
}

/// Reads, overrides and validates scenario text; `origin` names it in errors.
pub fn load_str(
    text: &str,
    origin: &str,
    overrides: &[Override],
) -> Result<Scenario, ScenarioError> {
    let spec = parse(text, origin)?;
    let spec = if overrides.is_empty() {
        spec
    } else {
        let mut full = serde_json::to_value(&spec).expect("a spec always serializes");
        for o in overrides {
            overrides::apply(&mut full, o, origin)?;
        }
        let spec: ScenarioSpec = serde_path_to_error::deserialize(full.clone()).map_err(|e| {
            ScenarioError::OverriddenField {
                path: origin.to_string(),
                field: e.path().to_string(),
                message: plain_message(&e.into_inner().to_string()),
            }
        })?;
        if let Some(field) = shape::array_for_object(&full, &spec) {
            return Err(ScenarioError::OverriddenField {
                path: origin.to_string(),
                message: shape::message(&field),
                field: field.path,
            });
        }
        spec
    };
    let source = Source {
        path: origin.to_string(),
        sha256: format!("{:x}", Sha256::digest(text.as_bytes())),
    };
    validate(spec, source).map_err(|issues| ScenarioError::Invalid {
        path: origin.to_string(),
        issues,
    })
}

/// Reads scenario text into the spec, without overrides or validation. A
/// UTF-8 byte-order mark at the start is skipped (RFC 8259 allows a parser
/// to ignore it; Windows editors write one).
pub fn parse(text: &str, origin: &str) -> Result<ScenarioSpec, ScenarioError> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    // Syntax first, so that a malformed file is reported as such.
    let raw: serde_json::Value = match serde_json::from_str(text) {
        Ok(v) => v,
        Err(e) => {
            return Err(ScenarioError::Syntax {
                path: origin.to_string(),
                line: e.line(),
                column: e.column(),
                message: strip_position(&e.to_string()),
            })
        }
    };
    let de = &mut serde_json::Deserializer::from_str(text);
    let spec: ScenarioSpec = serde_path_to_error::deserialize(de).map_err(|e| {
        let field = e.path().to_string();
        let inner = e.into_inner();
        ScenarioError::Field {
            path: origin.to_string(),
            line: inner.line(),
            column: inner.column(),
            field: if field == "." {
                "(top level)".into()
            } else {
                field
            },
            message: plain_message(&strip_position(&inner.to_string())),
        }
    })?;
    // serde reads a JSON array into a struct by position; a scenario must
    // name its fields.
    if let Some(field) = shape::array_for_object(&raw, &spec) {
        return Err(ScenarioError::Shape {
            path: origin.to_string(),
            message: shape::message(&field),
            field: field.path,
        });
    }
    Ok(spec)
}

/// serde's messages name Rust types ("expected struct Topology"); a user
/// wrote JSON, so they are told what JSON was expected.
pub(crate) fn plain_message(msg: &str) -> String {
    let mut out = String::with_capacity(msg.len());
    let mut rest = msg;
    while let Some(i) = rest.find("struct ").or_else(|| rest.find("enum ")) {
        let (kw, word) = if rest[i..].starts_with("struct ") {
            (7, "a JSON object")
        } else {
            (5, "one of the names listed in `smssim schema`")
        };
        let after = &rest[i + kw..];
        let ident = after
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
            .unwrap_or(after.len());
        if ident == 0 || !after.starts_with(|c: char| c.is_ascii_uppercase()) {
            out.push_str(&rest[..i + kw]);
            rest = after;
            continue;
        }
        out.push_str(&rest[..i]);
        out.push_str(word);
        rest = &after[ident..];
    }
    out.push_str(rest);
    out
}

/// The JSON Schema of scenario files.
pub fn schema() -> serde_json::Value {
    serde_json::to_value(schemars::schema_for!(ScenarioSpec)).expect("schema serializes")
}

/// serde_json appends " at line L column C"; we print the position first.
fn strip_position(msg: &str) -> String {
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_string(),
        None => msg.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TINY: &str = r#"{
  "name": "tiny",
  "duration_days": 1,
  "topology": { "child_sites": 1, "clients_per_cap": 10 }
}"#;

    #[test]
    fn malformed_json_names_the_line() {
        let err = load_str("{\n  \"name\": \"x\",\n  oops\n}", "f.json", &[]).unwrap_err();
        let msg = err.to_string();
        assert!(msg.starts_with("f.json:3:"), "{msg}");
    }

    #[test]
    fn unknown_field_names_the_field_and_line() {
        let text = TINY.replace("\"child_sites\"", "\"child_sitez\"");
        let msg = load_str(&text, "f.json", &[]).unwrap_err().to_string();
        assert!(msg.contains("f.json:4:"), "{msg}");
        assert!(msg.contains("child_sitez"), "{msg}");
        assert!(msg.contains("child_sites"), "expected fields listed: {msg}");
    }

    #[test]
    fn bad_value_names_the_path() {
        let text = TINY.replace("\"clients_per_cap\": 10", "\"clients_per_cap\": \"many\"");
        let msg = load_str(&text, "f.json", &[]).unwrap_err().to_string();
        assert!(msg.contains("topology.clients_per_cap"), "{msg}");
    }

    #[test]
    fn overrides_apply_and_are_checked() {
        let s = load_str(
            TINY,
            "f",
            &[Override::new("topology.clients_per_cap", "50")],
        )
        .unwrap();
        assert_eq!(s.client_count(), 100);
        let err =
            load_str(TINY, "f", &[Override::new("topology.clients_per_cap", "x")]).unwrap_err();
        assert!(err.to_string().contains("after --set"), "{err}");
    }

    #[test]
    fn validation_collects_every_issue() {
        let text = TINY.replace("\"duration_days\": 1", "\"duration_days\": -1");
        let text = text.replace("\"name\": \"tiny\"", "\"name\": \"\"");
        match load_str(&text, "f", &[]).unwrap_err() {
            ScenarioError::Invalid { issues, .. } => assert_eq!(issues.len(), 2, "{issues:?}"),
            e => panic!("unexpected {e}"),
        }
    }

    #[test]
    fn explicit_sites_are_ordered_and_checked() {
        let text = r#"{"name":"x","topology":{"sites":[
            {"code":"B01","parent":"A01"},
            {"code":"CEN"},
            {"code":"A01","parent":"CEN","also_in_boundaries_of":["B01"]}]}}"#;
        let s = load_str(text, "f", &[]).unwrap();
        let codes: Vec<&str> = s.sites.iter().map(|s| s.code.as_str()).collect();
        assert_eq!(codes, ["CEN", "A01", "B01"]);
        assert_eq!(s.sites[2].parent, Some(1));
        assert_eq!(s.sites[1].also_in_boundaries_of, vec![2]);
        let bad = text.replace("\"parent\":\"A01\"", "\"parent\":\"ZZZ\"");
        assert!(load_str(&bad, "f", &[])
            .unwrap_err()
            .to_string()
            .contains("ZZZ"));
    }

    #[test]
    fn generated_site_codes() {
        assert_eq!(site_code(0), "CEN");
        assert_eq!(site_code(1), "A01");
        assert_eq!(site_code(150), "B50");
    }

    #[test]
    fn schema_is_an_object_schema() {
        let s = schema();
        assert!(s["properties"]["topology"].is_object(), "{s}");
    }
}

/// Bad input never panics: shipped scenarios with random damage, and random
/// `--set` values at every valid path, give a scenario or an error.
#[cfg(test)]
mod fuzz {
    use super::*;
    use proptest::prelude::*;

    /// The shipped scenario files' text, read once for every case.
    fn shipped() -> &'static [String] {
        static FILES: std::sync::OnceLock<Vec<String>> = std::sync::OnceLock::new();
        FILES.get_or_init(|| {
            let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../scenarios");
            let mut files: Vec<_> = std::fs::read_dir(&dir)
                .expect("scenarios/ exists")
                .map(|e| e.expect("readable entry").path())
                .filter(|p| p.extension().is_some_and(|x| x == "json"))
                .collect();
            files.sort();
            files
                .iter()
                .map(|p| std::fs::read_to_string(p).expect("readable scenario"))
                .collect()
        })
    }

    const VALUES: [&str; 14] = [
        "-1",
        "0",
        "1e300",
        "-0.5",
        "18446744073709551616",
        "\"\"",
        "\"-3h\"",
        "\"99999d\"",
        "\"x\"",
        "null",
        "[]",
        "{}",
        "true",
        "\"1.5\"",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn damaged_files_never_panic(file in 0usize..64, at in any::<usize>(), cut in 0usize..4, insert in "[{}\\[\\],:\"0-9a-z.-]{0,3}") {
            let files = shipped();
            let text = &files[file % files.len()];
            let mut at = at % text.len();
            while !text.is_char_boundary(at) {
                at -= 1;
            }
            let mut end = (at + cut).min(text.len());
            while !text.is_char_boundary(end) {
                end += 1;
            }
            let damaged = format!("{}{}{}", &text[..at], insert, &text[end..]);
            let _ = load_str(&damaged, "damaged.json", &[]);
        }

        #[test]
        fn any_value_at_any_path_never_panics(file in 0usize..64, path in any::<usize>(), value in 0usize..VALUES.len()) {
            let files = shipped();
            let text = &files[file % files.len()];
            // Every path of the default-filled spec, not only those in the file.
            let full = load_str(text, "shipped.json", &[]).expect("shipped files are valid");
            let spec = serde_json::to_value(&full.spec).expect("a spec serialises");
            let paths = paths(&spec);
            prop_assume!(!paths.is_empty());
            let key = &paths[path % paths.len()];
            let o = Override::new(key, VALUES[value]);
            let _ = load_str(text, "shipped.json", &[o]);
        }
    }
}
