//! Objects only where objects are meant.
//!
//! serde's derived structs accept a JSON array and read it by position, so
//! `"topology": [2, 1, 10]` would mean `child_sites = 2`,
//! `grandchild_sites = 1`, `caps_per_site = 10`. After a successful read,
//! the input is walked beside the spec written back out: wherever the spec
//! has an object and the input an array, the input is refused.

use serde::Serialize;
use serde_json::Value;

/// Where an array stood for an object, and the object's fields.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Misplaced {
    /// Dotted path (`(top level)` for the whole input).
    pub path: String,
    /// The fields the object has.
    pub fields: Vec<String>,
}

/// The first place where `input` has an array and `typed` (serialised) an
/// object.
pub fn array_for_object(input: &Value, typed: &impl Serialize) -> Option<Misplaced> {
    let typed = serde_json::to_value(typed).ok()?;
    walk(input, &typed, String::new())
}

fn walk(input: &Value, typed: &Value, path: String) -> Option<Misplaced> {
    let child = |k: &str| {
        if path.is_empty() {
            k.to_string()
        } else {
            format!("{path}.{k}")
        }
    };
    match (input, typed) {
        (Value::Array(_), Value::Object(fields)) => Some(Misplaced {
            path: if path.is_empty() {
                "(top level)".into()
            } else {
                path
            },
            fields: fields.keys().cloned().collect(),
        }),
        (Value::Object(a), Value::Object(b)) => a
            .iter()
            .find_map(|(k, v)| b.get(k).and_then(|t| walk(v, t, child(k)))),
        (Value::Array(a), Value::Array(b)) => a
            .iter()
            .zip(b)
            .enumerate()
            .find_map(|(i, (v, t))| walk(v, t, child(&i.to_string()))),
        _ => None,
    }
}

/// The message for a misplaced array.
pub fn message(m: &Misplaced) -> String {
    let mut fields = m.fields.clone();
    let more = fields.len().saturating_sub(6);
    fields.truncate(6);
    let mut list = fields.join(", ");
    if more > 0 {
        list.push_str(&format!(", … ({more} more)"));
    }
    format!("expected a JSON object with named fields ({list}), found an array")
}

#[cfg(test)]
mod tests {
    use crate::load_str;

    #[test]
    fn arrays_are_not_read_as_objects() {
        let top = load_str(r#"["arr"]"#, "f.json", &[])
            .unwrap_err()
            .to_string();
        assert!(
            top.starts_with("f.json: (top level): expected a JSON object"),
            "{top}"
        );
        let nested = load_str(r#"{"name":"t","topology":[2,1,10]}"#, "f.json", &[])
            .unwrap_err()
            .to_string();
        assert!(
            nested.contains("topology: expected a JSON object"),
            "{nested}"
        );
        assert!(nested.contains("child_sites"), "{nested}");
        let set = crate::Override::new("topology", "[2,1,10]");
        let over = load_str(r#"{"name":"t"}"#, "f.json", &[set])
            .unwrap_err()
            .to_string();
        assert!(
            over.contains("topology (after --set): expected a JSON object"),
            "{over}"
        );
        // Lists stay lists.
        let ok = r#"{"name":"t","workload":{"advertisements":[{"name":"a"}]}}"#;
        let _ = load_str(ok, "f.json", &[]);
    }

    #[test]
    fn rust_type_names_do_not_leak() {
        let msg = load_str(r#""x""#, "f.json", &[]).unwrap_err().to_string();
        assert!(!msg.contains("struct"), "{msg}");
        assert!(msg.contains("expected a JSON object"), "{msg}");
        let set = crate::Override::new("topology", "\"x\"");
        let msg = load_str(r#"{"name":"t"}"#, "f.json", &[set])
            .unwrap_err()
            .to_string();
        assert!(!msg.contains("Topology"), "{msg}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        let s = load_str("\u{feff}{\"name\":\"t\"}", "f.json", &[]).unwrap();
        assert_eq!(s.spec.name, "t");
    }
}
