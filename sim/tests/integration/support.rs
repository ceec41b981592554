//! Running the binary and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The repository root.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .unwrap()
        .to_path_buf()
}

/// A shipped scenario file.
pub fn scenario(name: &str) -> PathBuf {
    root().join("scenarios").join(name)
}

/// Runs `smssim` with `args`.
pub fn smssim(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_smssim"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("smssim runs")
}

/// The exit code, stdout and stderr of a run, for assertion messages.
pub fn describe(o: &Output) -> String {
    format!(
        "exit {:?}\nstdout:\n{}\nstderr:\n{}",
        o.status.code(),
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// Reads a file to bytes.
pub fn read(p: &Path) -> Vec<u8> {
    std::fs::read(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

/// Asserts that each of `files` has the same bytes in folders `a` and `b`.
pub fn assert_same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        assert_eq!(read(&a.join(f)), read(&b.join(f)), "{f} differs");
    }
}

/// Every file under `dir`, at any depth, sorted by path.
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// `p` relative to `dir`, with `/` separators.
pub fn relative(p: &Path, dir: &Path) -> String {
    p.strip_prefix(dir)
        .unwrap()
        .to_string_lossy()
        .replace('\\', "/")
}
