//! The metrics and series the core of a run writes itself (`sim.rs`), and
//! its description of itself ([`CORE`]).
//!
//! Each subsystem declares its own in its `metrics.rs`: `status` (Q323627),
//! `ccr` (Q242926, Q252717), `distribution` (Q319207).

use crate::catalogue::{Descriptor, MetricDef};
use crate::streams::Draws;
use crate::world::World;

/// The core's metrics, in the order `run` pushes them, before any
/// subsystem's.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count(
        "sim.events",
        "Events the simulation handled in the run, the world's and every subsystem's",
    ),
    MetricDef::count(
        "clients.count",
        "Machines in the hierarchy: SMS clients and machines not yet installed alike",
    ),
    MetricDef::count(
        "sites.count",
        "Sites in the hierarchy, central site included",
    ),
];

/// The core's time series, added first at every sample.
pub(crate) const SERIES: &[MetricDef] = &[MetricDef::count(
    "clients.powered_on",
    "Machines switched on at the sample time",
)];

/// The core's description of itself: the world's streams, the core's
/// metrics and series.
pub(crate) const CORE: Descriptor = Descriptor {
    name: "core",
    articles: &[],
    metrics: METRICS,
    series: SERIES,
    activity: "sim.events",
    streams: <World as Draws>::STREAMS,
    knobs: &[],
};

/// What each part's test checks: one small run's metrics and series held
/// against the part's declarations.
#[cfg(test)]
pub(crate) mod check {
    use crate::catalogue::MetricDef;
    use crate::catalogue::{matches, Descriptor as Part};
    fn parts() -> &'static [crate::catalogue::Descriptor] {
        crate::parts()
    }
    use smssim_scenario::Policy;
    use std::sync::OnceLock;

    /// Two child sites (so a site sends to others), new machines, an
    /// advertisement, package updates and a CAP outage: every part has
    /// work. Every metric is written whatever the run does, except the
    /// failover metrics, which only runs with `status.cap_outages` write
    /// (so that the others' metrics stayed as they were).
    const SCENARIO: &str = r#"{"name":"catalogue","duration_days":1,
        "topology":{"child_sites":2,"clients_per_cap":30,"clients_per_subnet":10,
                    "overlap_share":0.2},
        "status":{"cap_outages":[{"site":"A01","from":"20h","for":"1h"}]},
        "ccr":{"new_machines":{"share":0.3,"arrive_over":"12h"}},
        "workload":{"advertisements":[{"at":"2h"}]}}"#;

    /// A run's metric rows `(name, unit)` and its series names by sample.
    struct Written {
        metrics: Vec<(String, &'static str)>,
        samples: Vec<(u64, Vec<String>)>,
    }

    fn written() -> &'static Written {
        static W: OnceLock<Written> = OnceLock::new();
        W.get_or_init(|| {
            let scenario = smssim_scenario::load_str(SCENARIO, "catalogue.json", &[]).unwrap();
            let out = crate::testbed::run_scenario(&scenario, &Policy::legacy());
            let metrics = out
                .metrics
                .rows
                .iter()
                .map(|m| (m.name.to_string(), m.unit))
                .collect();
            let mut samples: Vec<(u64, Vec<String>)> = Vec::new();
            for p in &out.series.points {
                match samples.last_mut() {
                    Some((t, names)) if *t == p.time_s => names.push(p.series.to_string()),
                    _ => samples.push((p.time_s, vec![p.series.to_string()])),
                }
            }
            assert!(samples.len() > 1, "the run took {} samples", samples.len());
            Written { metrics, samples }
        })
    }

    fn is_template(def: &str) -> bool {
        def.ends_with("<CODE>")
    }

    /// The parts each name belongs to: the part that declares it. A name
    /// no part declares goes to every part that declares a name of the same
    /// first segment (`sched.`), else to the parts of the names written
    /// either side of it, so that its writer's test reports it.
    fn owners(names: &[&str], decl: impl Fn(&Part) -> &'static [MetricDef]) -> Vec<Vec<usize>> {
        let parts_where = |f: &dyn Fn(&str) -> bool| -> Vec<usize> {
            (0..parts().len())
                .filter(|&i| decl(&parts()[i]).iter().any(|d| f(d.name)))
                .collect()
        };
        let segment = |n: &str| n.split('.').next().unwrap_or("").to_string();
        let declared: Vec<Vec<usize>> = names
            .iter()
            .map(|n| parts_where(&|d| matches(d, n)))
            .collect();
        (0..names.len())
            .map(|i| {
                if !declared[i].is_empty() {
                    return declared[i].clone();
                }
                let seg = segment(names[i]);
                let same = parts_where(&|d| segment(d) == seg);
                if !same.is_empty() {
                    return same;
                }
                let before = declared[..i].iter().rev().find(|o| !o.is_empty());
                let after = declared[i + 1..].iter().find(|o| !o.is_empty());
                let mut o: Vec<usize> =
                    before.into_iter().chain(after).flatten().copied().collect();
                o.sort_unstable();
                o.dedup();
                if o.is_empty() {
                    (0..parts().len()).collect()
                } else {
                    o
                }
            })
            .collect()
    }

    /// Holds the names a part wrote, in order, against its declarations:
    /// each declared once, in order (a `<CODE>` name one or more times in a
    /// row), nothing else. Returns the problems found.
    fn compare(written: &[&str], declared: &[MetricDef]) -> Vec<String> {
        let mut problems = Vec::new();
        let extra: Vec<&str> = written
            .iter()
            .copied()
            .filter(|n| !declared.iter().any(|d| matches(d.name, n)))
            .collect();
        if !extra.is_empty() {
            problems.push(format!("written but not declared: {extra:?}"));
        }
        let missing: Vec<&str> = declared
            .iter()
            .filter(|d| !written.iter().any(|n| matches(d.name, n)))
            .map(|d| d.name)
            .collect();
        if !missing.is_empty() {
            problems.push(format!("declared but not written: {missing:?}"));
        }
        for d in declared.iter().filter(|d| !is_template(d.name)) {
            let n = written.iter().filter(|&&n| n == d.name).count();
            if n > 1 {
                problems.push(format!("{} written {n} times", d.name));
            }
        }
        if problems.is_empty() {
            // Both sides hold the same names: the declaration index of each
            // written name must never go back.
            let idx: Vec<usize> = written
                .iter()
                .map(|n| declared.iter().position(|d| matches(d.name, n)).unwrap())
                .collect();
            if let Some(w) = idx.windows(2).position(|w| w[1] < w[0]) {
                let order: Vec<&str> = declared.iter().map(|d| d.name).collect();
                problems.push(format!(
                    "order differs: {} written after {}; declared {order:?}, written {written:?}",
                    written[w + 1],
                    written[w]
                ));
            }
        }
        problems
    }

    /// Checks the metrics part `name` wrote in the run against its
    /// declared [`Part::metrics`], units included; panics naming every
    /// missing, extra, repeated, misplaced or mis-unit metric.
    pub(crate) fn metrics(name: &str) {
        let part = parts().iter().position(|p| p.name == name).unwrap();
        let declared = parts()[part].metrics;
        let w = &written().metrics;
        let names: Vec<&str> = w.iter().map(|(n, _)| n.as_str()).collect();
        let owners = owners(&names, |p| p.metrics);
        let mine: Vec<usize> = (0..w.len())
            .filter(|&i| owners[i].contains(&part))
            .collect();
        let mine_names: Vec<&str> = mine.iter().map(|&i| names[i]).collect();
        let mut problems = compare(&mine_names, declared);
        for &i in &mine {
            let (n, unit) = &w[i];
            if let Some(d) = declared.iter().find(|d| matches(d.name, n)) {
                if d.unit.as_str() != *unit {
                    problems.push(format!(
                        "{n} written in {unit}, declared in {}",
                        d.unit.as_str()
                    ));
                }
            }
        }
        assert!(
            problems.is_empty(),
            "{name} metrics do not match their declarations:\n  {}",
            problems.join("\n  ")
        );
    }

    /// Checks the series part `name` added at every sample of the run
    /// against its declared [`Part::series`]; panics naming every missing,
    /// extra, repeated or misplaced series.
    pub(crate) fn series(name: &str) {
        let part = parts().iter().position(|p| p.name == name).unwrap();
        let declared = parts()[part].series;
        for (t, names) in &written().samples {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            let owners = owners(&names, |p| p.series);
            let mine: Vec<&str> = (0..names.len())
                .filter(|&i| owners[i].contains(&part))
                .map(|i| names[i])
                .collect();
            let problems = compare(&mine, declared);
            assert!(
                problems.is_empty(),
                "{name} series at {t} s do not match their declarations:\n  {}",
                problems.join("\n  ")
            );
        }
    }

    #[test]
    fn compare_names_what_is_wrong() {
        let decl = [
            MetricDef::count("a", "a"),
            MetricDef::count("b.<CODE>", "b"),
            MetricDef::count("c", "c"),
        ];
        assert!(compare(&["a", "b.CEN", "b.A01", "c"], &decl).is_empty());
        let p = compare(&["a", "x", "c"], &decl).join("; ");
        assert!(p.contains("not declared: [\"x\"]"), "{p}");
        assert!(p.contains("not written: [\"b.<CODE>\"]"), "{p}");
        let p = compare(&["c", "b.CEN", "a"], &decl).join("; ");
        assert!(p.contains("order differs: b.CEN written after c"), "{p}");
        let p = compare(&["a", "b.CEN", "c", "c"], &decl).join("; ");
        assert!(p.contains("c written 2 times"), "{p}");
        assert!(!matches("b.<CODE>", "b."));
        assert!(!matches("b.<CODE>", "b.x.y"));
    }
}

#[cfg(test)]
mod tests {
    fn parts() -> &'static [crate::catalogue::Descriptor] {
        crate::parts()
    }
    use std::collections::HashSet;

    #[test]
    fn core_declares_every_metric_and_series_it_writes() {
        super::check::metrics("core");
        super::check::series("core");
    }

    #[test]
    fn every_name_is_declared_once_with_a_meaning() {
        let mut metrics = HashSet::new();
        let mut series = HashSet::new();
        for p in parts().iter() {
            for d in p.metrics {
                assert!(metrics.insert(d.name), "metric {} declared twice", d.name);
            }
            for d in p.series {
                assert!(series.insert(d.name), "series {} declared twice", d.name);
            }
            for d in p.metrics.iter().chain(p.series) {
                assert!(
                    !d.meaning.is_empty() && !d.meaning.contains('\n'),
                    "{}: meaning must be one line",
                    d.name
                );
                assert!(
                    d.headline.is_none() || d.article.is_some(),
                    "{}: a headline needs its article",
                    d.name
                );
            }
        }
        let headlines = parts()
            .iter()
            .flat_map(|p| p.metrics.iter().chain(p.series))
            .filter(|d| d.headline.is_some())
            .count();
        assert_eq!(headlines, 10);
    }
}
