//! Every `smssim` command quoted in README.md and docs/*.md works: a broken
//! example fails CI.
//!
//! Commands are taken from fenced code blocks (plain or `sh`; `bash` and
//! `yaml` blocks are recipes for other systems, such as the cluster jobs of
//! docs/distributed.md, and are not run) and from inline code: lines (with
//! `\` continuations joined) that start with `smssim` or
//! `cargo run … -p smssim --`. Usage
//! synopses and examples of refused commands (placeholders in capitals, `[optional]` parts, `a|b`
//! alternatives) are skipped. Each command runs in a scratch copy of
//! `scenarios/` and `results/published/`, with `/tmp/` and `~` moved into the
//! scratch folder. `run`, `compare`, `sweep` and `trace` get `--dry-run`:
//! everything is checked (scenario, `--set` paths, policies, grid, memory,
//! the output folder) but nothing is simulated, which keeps CI fast; the
//! others run for real.

use std::path::{Path, PathBuf};
use std::process::Command;

/// A quoted command and where it was found.
#[derive(Debug)]
struct Quoted {
    file: String,
    line: usize,
    text: String,
}

fn is_usage(cmd: &str) -> bool {
    cmd.split_whitespace().any(|t| {
        t.contains('[')
            || t.contains("...")
            || t.contains('…')
            || (!t.is_empty() && t.chars().all(|c| c.is_ascii_uppercase() || c == '_'))
            || (t.contains('|') && t != "|")
    })
}

fn quoted_commands(file: &Path, rel: &str) -> Vec<Quoted> {
    let text = std::fs::read_to_string(file).unwrap();
    let mut out = Vec::new();
    let mut fenced = false;
    let mut recipe = false;
    let mut pending: Option<(usize, String)> = None;
    for (n, line) in text.lines().enumerate() {
        if let Some(info) = line.trim_start().strip_prefix("```") {
            fenced = !fenced;
            recipe = fenced && matches!(info.trim(), "bash" | "yaml");
            continue;
        }
        if recipe {
            continue;
        }
        if !fenced {
            // Inline code: `smssim ...` in prose or tables.
            for (i, span) in line.split('`').enumerate() {
                let span = span.replace("\\|", "|");
                let span = span
                    .split_whitespace()
                    .map(|t| if t == "DIR" { "tmp/out" } else { t })
                    .collect::<Vec<_>>()
                    .join(" ");
                if i % 2 == 1
                    && span.starts_with("smssim ")
                    && span.split_whitespace().count() > 2
                    && !is_usage(&span)
                {
                    out.push(Quoted {
                        file: rel.to_string(),
                        line: n + 1,
                        text: span,
                    });
                }
            }
            continue;
        }
        let part = line.trim();
        let (start, mut acc) = match pending.take() {
            Some((s, acc)) => (s, acc + " " + part.trim_end_matches('\\').trim()),
            None => (n + 1, part.trim_end_matches('\\').trim().to_string()),
        };
        if part.ends_with('\\') {
            pending = Some((start, acc));
            continue;
        }
        if let Some(rest) = acc
            .strip_prefix("cargo run --release -p smssim -- ")
            .or_else(|| acc.strip_prefix("cargo run -p smssim -- "))
        {
            acc = format!("smssim {rest}");
        }
        if acc.starts_with("smssim ") && !is_usage(&acc) {
            out.push(Quoted {
                file: rel.to_string(),
                line: start,
                text: acc,
            });
        }
    }
    out
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap() {
        let e = e.unwrap();
        let target = to.join(e.file_name());
        if e.file_type().unwrap().is_dir() {
            copy_dir(&e.path(), &target);
        } else {
            std::fs::copy(e.path(), target).unwrap();
        }
    }
}

#[test]
fn every_quoted_command_works() {
    let root = crate::support::root();
    let mut files: Vec<PathBuf> = vec![root.join("README.md")];
    let mut docs: Vec<PathBuf> = std::fs::read_dir(root.join("docs"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "md"))
        .collect();
    docs.sort();
    files.extend(docs);
    let mut commands = Vec::new();
    for f in &files {
        let rel = f.strip_prefix(&root).unwrap().display().to_string();
        commands.extend(quoted_commands(f, &rel));
    }
    assert!(
        commands.len() >= 15,
        "found only {} commands: {commands:?}",
        commands.len()
    );

    let scratch = tempfile::tempdir().unwrap();
    let s = scratch.path();
    copy_dir(&root.join("scenarios"), &s.join("scenarios"));
    copy_dir(
        &root.join("results/published"),
        &s.join("results/published"),
    );
    std::fs::create_dir_all(s.join("home")).unwrap();
    std::fs::create_dir_all(s.join("tmp")).unwrap();
    let bin = Path::new(env!("CARGO_BIN_EXE_smssim")).parent().unwrap();
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );

    let mut failures = Vec::new();
    for q in &commands {
        let mut cmd = q.text.replace("/tmp/", &format!("{}/tmp/", s.display()));
        let sub = cmd.split_whitespace().nth(1).unwrap_or("").to_string();
        if ["run", "compare", "sweep", "trace"].contains(&sub.as_str()) {
            cmd = cmd.replacen(
                &format!("smssim {sub}"),
                &format!("smssim {sub} --dry-run"),
                1,
            );
        }
        let o = Command::new("sh")
            .arg("-c")
            .arg(format!("set -e; mkdir -p ~/.local/share/bash-completion/completions ~/.zfunc ~/.local/share/man/man1; {cmd}"))
            .current_dir(s)
            .env("HOME", s.join("home"))
            .env("PATH", &path)
            .output()
            .unwrap();
        if !o.status.success() {
            failures.push(format!(
                "{}:{}: {}\n  exit {:?}: {}",
                q.file,
                q.line,
                q.text,
                o.status.code(),
                String::from_utf8_lossy(&o.stderr).trim()
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} quoted commands fail:\n{}",
        failures.len(),
        commands.len(),
        failures.join("\n")
    );
}
