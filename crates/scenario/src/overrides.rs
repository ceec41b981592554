//! `--set KEY=VALUE` and `--vary KEY=V1,V2`: dotted paths into the scenario.

use crate::error::ScenarioError;
use serde_json::Value;

/// One override: a dotted path and the JSON value to put there.
#[derive(Debug, Clone, PartialEq)]
pub struct Override {
    /// Dotted path, array elements by index: `workload.advertisements.0.clients`.
    pub key: String,
    /// The value: the text read as JSON if it is JSON, else as a string.
    pub value: Value,
}

impl Override {
    /// Reads `KEY=VALUE`.
    pub fn parse(arg: &str) -> Result<Self, ScenarioError> {
        let (key, value) = arg
            .split_once('=')
            .filter(|(k, _)| !k.trim().is_empty())
            .ok_or_else(|| ScenarioError::OverrideSyntax { arg: arg.into() })?;
        Ok(Override::new(key.trim(), value))
    }

    /// An override of `key` with `text` read as JSON when it is JSON (`50`,
    /// `true`, `[1,2]`), else as a string (`2h`, `sp1`).
    pub fn new(key: &str, text: &str) -> Self {
        let value = serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
        Override {
            key: key.to_string(),
            value,
        }
    }

    /// Displays as `KEY=VALUE`, the value as compact JSON unless a string.
    pub fn value_text(&self) -> String {
        match &self.value {
            Value::String(s) => s.clone(),
            v => v.to_string(),
        }
    }
}

/// Every dotted path in `v`, objects and leaves alike.
pub fn paths(v: &Value) -> Vec<String> {
    fn walk(v: &Value, prefix: &str, out: &mut Vec<String>) {
        let mut child = |k: &str, c: &Value| {
            let p = if prefix.is_empty() {
                k.to_string()
            } else {
                format!("{prefix}.{k}")
            };
            out.push(p.clone());
            walk(c, &p, out);
        };
        match v {
            Value::Object(m) => m.iter().for_each(|(k, c)| child(k, c)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, c)| child(&i.to_string(), c)),
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(v, "", &mut out);
    out
}

/// Puts `o.value` at `o.key` in `root`. The path must exist, except below a
/// field that is `null` (an unset optional section), which is created.
pub fn apply(root: &mut Value, o: &Override, file: &str) -> Result<(), ScenarioError> {
    let segments: Vec<&str> = o.key.split('.').collect();
    // Check the path on the untouched tree first, so that the error can list
    // the tree's paths.
    let mut node = &*root;
    for seg in &segments {
        let next = match node {
            Value::Null => break,
            Value::Object(m) => m.get(*seg),
            Value::Array(a) => seg.parse::<usize>().ok().and_then(|i| a.get(i)),
            _ => None,
        };
        match next {
            Some(n) => node = n,
            None => {
                return Err(ScenarioError::UnknownPath {
                    path: file.to_string(),
                    key: o.key.clone(),
                    suggestions: nearest(&o.key, &paths(root)),
                })
            }
        }
    }
    let mut node = root;
    for seg in segments {
        if node.is_null() {
            *node = Value::Object(Default::default());
        }
        node = match node {
            Value::Object(m) => m.entry(seg.to_string()).or_insert(Value::Null),
            Value::Array(a) => &mut a[seg.parse::<usize>().expect("checked above")],
            _ => unreachable!("checked above"),
        };
    }
    *node = o.value.clone();
    Ok(())
}

/// The three paths nearest to `key`.
fn nearest(key: &str, all: &[String]) -> Vec<String> {
    let mut scored: Vec<(usize, &String)> = all
        .iter()
        .map(|p| (strsim::levenshtein(key, p), p))
        .collect();
    scored.sort();
    scored.into_iter().take(3).map(|(_, p)| p.clone()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn values_read_as_json_or_string() {
        assert_eq!(Override::parse("a.b=50").unwrap().value, json!(50));
        assert_eq!(Override::parse("a=2h").unwrap().value, json!("2h"));
        assert_eq!(Override::parse("a=x=y").unwrap().value, json!("x=y"));
        assert!(Override::parse("=3").is_err());
        assert!(Override::parse("novalue").is_err());
    }

    #[test]
    fn applies_to_existing_paths_and_arrays() {
        let mut v = json!({"topology": {"clients_per_cap": 100}, "ads": [{"n": 1}]});
        apply(
            &mut v,
            &Override::new("topology.clients_per_cap", "50"),
            "f",
        )
        .unwrap();
        apply(&mut v, &Override::new("ads.0.n", "7"), "f").unwrap();
        assert_eq!(
            v,
            json!({"topology": {"clients_per_cap": 50}, "ads": [{"n": 7}]})
        );
    }

    #[test]
    fn unknown_path_suggests_nearest() {
        let mut v = json!({"topology": {"clients_per_cap": 100, "caps_per_site": 1}});
        let err = apply(&mut v, &Override::new("topology.clients_per_ca", "5"), "f").unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains("topology.clients_per_cap"), "{msg}");
        assert!(apply(
            &mut v,
            &Override::new("topology.clients_per_cap.x", "5"),
            "f"
        )
        .is_err());
    }

    #[test]
    fn null_sections_are_created() {
        let mut v = json!({"topology": {"rollout": null}});
        apply(&mut v, &Override::new("topology.rollout.start", "1d"), "f").unwrap();
        assert_eq!(v, json!({"topology": {"rollout": {"start": "1d"}}}));
    }
}
