//! What the charts say in words: a metric's or series' meaning, unit and
//! article from the model's catalogue, a varied parameter's meaning from
//! the scenario schema.

use smssim_model::catalogue::{matches, MetricDef};

/// The declared metric `name`.
pub fn metric(name: &str) -> Option<&'static MetricDef> {
    smssim_model::parts()
        .iter()
        .flat_map(|p| p.metrics)
        .find(|d| d.name == name)
}

/// The declared series `name` (a per-site series by its pattern).
pub fn series(name: &str) -> Option<&'static MetricDef> {
    smssim_model::parts()
        .iter()
        .flat_map(|p| p.series)
        .find(|d| matches(d.name, name))
}

/// The meaning of `def` as the series or metric `name` (a per-site
/// series' `<CODE>` filled in).
pub fn meaning(def: &MetricDef, name: &str) -> String {
    match def.name.strip_suffix("<CODE>") {
        Some(prefix) => {
            let code = name.strip_prefix(prefix).unwrap_or("");
            def.meaning.replace("<CODE>", code)
        }
        None => def.meaning.to_string(),
    }
}

/// A chart's subtitle: the name, the article, and what else there is to
/// say, joined by ` · `.
pub fn subtitle(name: &str, def: Option<&MetricDef>, rest: &[String]) -> String {
    let mut parts = vec![name.to_string()];
    if let Some(a) = def.and_then(|d| d.article) {
        parts.push(a.to_string());
    }
    parts.extend(rest.iter().filter(|r| !r.is_empty()).cloned());
    parts.join(" · ")
}

/// The metrics an administrator looks at first, in the catalogue's order,
/// with their symptom in words (`most retry CCRs held for one machine`).
pub fn headlines() -> Vec<(&'static str, String)> {
    smssim_model::parts()
        .iter()
        .flat_map(|p| p.metrics)
        .filter_map(|m| Some((m.name, m.headline?.to_string())))
        .collect()
}

/// A headline metric's symptom as a title (`Most retry CCRs held for one
/// machine`).
pub fn headline_title(metric: &str) -> Option<String> {
    let (_, symptom) = headlines().into_iter().find(|(m, _)| *m == metric)?;
    let mut chars = symptom.chars();
    let first = chars.next()?;
    Some(first.to_uppercase().chain(chars).collect())
}

/// Whether `metric` is a headline metric.
pub fn is_headline(metric: &str) -> bool {
    headlines().iter().any(|(m, _)| *m == metric)
}

/// A varied parameter's short name: its last part that is not an index,
/// in words (`workload.advertisements.0.same_minute_delay_mean` →
/// `same minute delay mean`), without a `_s` unit suffix.
pub fn param(key: &str) -> String {
    let last = key
        .rsplit('.')
        .find(|p| !p.is_empty() && !p.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or(key);
    let last = last.strip_suffix("_s").unwrap_or(last);
    last.replace('_', " ")
}

/// The first sentence of a scenario field's description in the scenario
/// schema, for the dotted `key` (`topology.clients_per_cap`), if the
/// schema describes it.
pub fn param_meaning(key: &str) -> Option<String> {
    let root = smssim_scenario::schema();
    let defs = root.get("$defs").or_else(|| root.get("definitions"));
    let resolve = |node: &serde_json::Value| -> serde_json::Value {
        let mut node = node.clone();
        for _ in 0..8 {
            if let Some(r) = node.get("$ref").and_then(|r| r.as_str()) {
                let name = r.rsplit('/').next().unwrap_or("");
                match defs.and_then(|d| d.get(name)) {
                    Some(n) => node = n.clone(),
                    None => break,
                }
                continue;
            }
            let inner = ["allOf", "anyOf", "oneOf"].iter().find_map(|k| {
                node.get(*k)?
                    .as_array()?
                    .iter()
                    .find(|n| n.get("$ref").is_some() || n.get("properties").is_some())
                    .cloned()
            });
            match inner {
                Some(n) => node = n,
                None => break,
            }
        }
        node
    };
    let key = key.strip_suffix("_s").unwrap_or(key);
    let mut node = root.clone();
    let mut description = None;
    for seg in key.split('.') {
        let here = resolve(&node);
        let next = if seg.chars().all(|c| c.is_ascii_digit()) {
            here.get("items").cloned()
        } else {
            here.get("properties").and_then(|p| p.get(seg)).cloned()
        }?;
        description = next
            .get("description")
            .and_then(|d| d.as_str())
            .map(String::from);
        node = next;
    }
    let text = description.or_else(|| {
        resolve(&node)
            .get("description")
            .and_then(|d| d.as_str())
            .map(String::from)
    })?;
    Some(first_sentence(&text))
}

/// The first sentence of `text`, on one line, without Markdown marks.
fn first_sentence(text: &str) -> String {
    let flat: String = text
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(['`', '*'], "");
    match flat.find(". ") {
        Some(i) => flat[..=i].to_string(),
        None => flat,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_in_words() {
        assert_eq!(
            param("workload.advertisements.0.same_minute_delay_mean"),
            "same minute delay mean"
        );
        assert_eq!(param("topology.clients_per_cap"), "clients per cap");
        assert_eq!(param("ccr.retry_interval_s"), "retry interval");
        let m = param_meaning("topology.clients_per_cap").unwrap();
        assert!(m.starts_with("Clients assigned to each CAP"), "{m}");
        let m = param_meaning("workload.advertisements.0.same_minute_delay_mean").unwrap();
        assert!(m.starts_with("Mean delay"), "{m}");
        assert_eq!(param_meaning("no.such.key"), None);
    }

    #[test]
    fn per_site_series_are_found_and_named() {
        let def = series("sched.backlog.S01").expect("declared");
        assert!(meaning(def, "sched.backlog.S01").contains("S01"));
        assert!(metric("status.lost").is_some());
        assert!(is_headline("status.lost"));
        assert_eq!(
            headline_title("status.lost").as_deref(),
            Some("Status messages lost to name collisions")
        );
    }
}
