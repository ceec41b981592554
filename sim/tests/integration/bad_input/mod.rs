//! The bad-input corpus: inputs a hostile or careless user gives, one file
//! per class. Each case runs the real binary in a fresh folder, under a
//! 1 GiB address-space limit, and must end with the expected exit code and
//! a message that names the place and the fix: never a panic (101), an
//! abort (134) or an allocation beyond the limit.

mod memory;
mod merge;
mod messages;
mod parsing;
mod rollout;

use std::path::Path;
use std::process::Command;

/// Address space a case may use, in KiB (`ulimit -v`).
const MEMORY_LIMIT_KIB: u64 = 1 << 20;

/// One input and what must come of it.
pub struct Case {
    /// What the case is, for failure messages.
    pub name: &'static str,
    /// Files to create in the case's folder first: (name, contents).
    pub files: &'static [(&'static str, &'static str)],
    /// Arguments to `smssim`; `{scenarios}` becomes the shipped scenarios'
    /// folder.
    pub args: &'static [&'static str],
    /// The exit code.
    pub code: i32,
    /// Text that stderr (or, for exit 0, stdout) must contain.
    pub says: &'static [&'static str],
}

/// Runs `args` in `dir` under the memory limit; returns (code, stdout,
/// stderr).
pub fn run_in(dir: &Path, args: &[String]) -> (Option<i32>, String, String) {
    let o = Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {MEMORY_LIMIT_KIB} && exec \"$0\" \"$@\""
        ))
        .arg(env!("CARGO_BIN_EXE_smssim"))
        .args(args)
        .current_dir(dir)
        .output()
        .expect("sh runs");
    (
        o.status.code(),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

/// Runs every case and reports every failure at once.
pub fn check(cases: &[Case]) {
    let scenarios = crate::support::root().join("scenarios");
    let mut failures = Vec::new();
    for case in cases {
        let dir = tempfile::tempdir().unwrap();
        for (name, text) in case.files {
            let p = dir.path().join(name);
            if let Some(parent) = p.parent() {
                std::fs::create_dir_all(parent).unwrap();
            }
            std::fs::write(p, text).unwrap();
        }
        let args: Vec<String> = case
            .args
            .iter()
            .map(|a| a.replace("{scenarios}", &scenarios.display().to_string()))
            .collect();
        let (code, out, err) = run_in(dir.path(), &args);
        let text = if case.code == 0 { &out } else { &err };
        let mut problems = Vec::new();
        if code != Some(case.code) {
            problems.push(format!("exit {code:?}, expected {}", case.code));
        }
        if err.contains("panicked") || err.contains("memory allocation") {
            problems.push("panicked or ran out of memory".into());
        }
        for s in case.says {
            if !text.contains(s) {
                problems.push(format!("does not say {s:?}"));
            }
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: smssim {}\n  {}\n  stdout: {}\n  stderr: {}",
                case.name,
                args.join(" "),
                problems.join("; "),
                out.trim(),
                err.trim()
            ));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n\n"));
}
