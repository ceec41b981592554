//! The code's structure: no file of any crate reaches itself through its
//! imports (`use crate::…`, `use super::…`, inline `crate::…` paths;
//! test modules aside), so that each subsystem and seam can be read and
//! tested on its own.

use crate::support::{files_under, relative, root};
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

/// Every `.rs` file under `dir`, by its path relative to `dir`.
fn sources(dir: &Path) -> BTreeMap<String, String> {
    files_under(dir)
        .iter()
        .filter(|p| p.extension().is_some_and(|x| x == "rs"))
        .map(|p| (relative(p, dir), std::fs::read_to_string(p).unwrap()))
        .collect()
}

/// The module path of a file: `status/mod.rs` → `[status]`.
fn module_of(rel: &str) -> Vec<String> {
    let mut p: Vec<String> = rel
        .trim_end_matches(".rs")
        .split('/')
        .map(String::from)
        .collect();
    if matches!(p.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        p.pop();
    }
    p
}

/// The file that defines the longest prefix of `path`.
fn resolve(path: &[String], files: &BTreeMap<String, String>) -> Option<String> {
    (1..=path.len()).rev().find_map(|k| {
        let base = path[..k].join("/");
        [format!("{base}.rs"), format!("{base}/mod.rs")]
            .into_iter()
            .find(|c| files.contains_key(c))
    })
}

/// The code before the file's test module.
fn without_tests(src: &str) -> &str {
    src.find("#[cfg(test)]\nmod tests")
        .map_or(src, |i| &src[..i])
}

/// The files each file imports.
fn graph(dir: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let files = sources(dir);
    let mut g = BTreeMap::new();
    for (rel, src) in &files {
        let here = module_of(rel);
        let mut deps = BTreeSet::new();
        let src = without_tests(src);
        for (i, _) in src.match_indices("::") {
            // The path this `::` belongs to, from its first segment.
            let start = src[..i]
                .rfind(|c: char| !(c.is_alphanumeric() || c == '_' || c == ':'))
                .map_or(0, |s| s + 1);
            if start
                != src[..i]
                    .rfind(|c: char| !(c.is_alphanumeric() || c == '_'))
                    .map_or(0, |s| s + 1)
            {
                continue; // not the path's first `::`
            }
            let head = &src[start..i];
            let mut base = match head {
                "crate" => Vec::new(),
                "super" => here[..here.len().saturating_sub(1)].to_vec(),
                _ => continue,
            };
            let mut rest = &src[i + 2..];
            while let Some(r) = rest.strip_prefix("super::") {
                base.pop();
                rest = r;
            }
            let end = rest
                .find(|c: char| {
                    !(c.is_alphanumeric()
                        || c == '_'
                        || c == ':'
                        || c == '{'
                        || c == ','
                        || c == ' '
                        || c == '\n')
                })
                .unwrap_or(rest.len());
            let tail = &rest[..end];
            let (prefix, group) = match tail.split_once('{') {
                Some((p, g)) => (p, Some(g)),
                None => (tail, None),
            };
            let mut path = base.clone();
            path.extend(
                prefix
                    .split("::")
                    .filter_map(|s| s.split_whitespace().next())
                    .map(String::from),
            );
            let mut targets = Vec::new();
            match group {
                Some(g) => {
                    for item in g.split(',') {
                        let first = item
                            .trim()
                            .split("::")
                            .next()
                            .unwrap_or("")
                            .split_whitespace()
                            .next()
                            .unwrap_or("");
                        let mut p = path.clone();
                        if !first.is_empty() && first != "self" {
                            p.push(first.to_string());
                        }
                        targets.push(p);
                    }
                }
                None => targets.push(path),
            }
            for t in targets {
                if let Some(f) = resolve(&t, &files) {
                    if &f != rel {
                        deps.insert(f);
                    }
                }
            }
        }
        g.insert(rel.clone(), deps);
    }
    g
}

/// A path of imports from a file back to itself, if any.
fn cycle(g: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    for start in g.keys() {
        let mut stack = vec![(start.clone(), vec![start.clone()])];
        let mut seen = BTreeSet::new();
        while let Some((n, path)) = stack.pop() {
            for m in g.get(&n).into_iter().flatten() {
                if m == start {
                    let mut p = path.clone();
                    p.push(m.clone());
                    return Some(p);
                }
                if seen.insert(m.clone()) {
                    let mut p = path.clone();
                    p.push(m.clone());
                    stack.push((m.clone(), p));
                }
            }
        }
    }
    None
}

#[test]
fn no_file_of_any_crate_reaches_itself_through_its_imports() {
    let r = root();
    let mut dirs = vec![r.join("sim/src"), r.join("benches/src")];
    for e in std::fs::read_dir(r.join("crates")).unwrap() {
        dirs.push(e.unwrap().path().join("src"));
    }
    for d in dirs {
        let g = graph(&d);
        assert!(!g.is_empty() || !d.exists(), "{}", d.display());
        if let Some(c) = cycle(&g) {
            panic!("import cycle in {}: {}", d.display(), c.join(" -> "));
        }
    }
}

#[test]
fn the_checker_finds_a_cycle() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("a")).unwrap();
    std::fs::write(dir.path().join("lib.rs"), "mod a;\nmod b;\n").unwrap();
    std::fs::write(dir.path().join("a/mod.rs"), "use crate::b::{X, Y};\n").unwrap();
    std::fs::write(dir.path().join("b.rs"), "fn f() { crate::a::g(); }\n").unwrap();
    let c = cycle(&graph(dir.path())).expect("a -> b -> a");
    assert!(
        c.contains(&"a/mod.rs".to_string()) && c.contains(&"b.rs".to_string()),
        "{c:?}"
    );
    std::fs::write(dir.path().join("b.rs"), "fn f() {}\n").unwrap();
    assert_eq!(cycle(&graph(dir.path())), None);
}
