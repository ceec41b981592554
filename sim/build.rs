//! Records the git revision the binary was built from, for manifest.json.
use std::path::Path;
use std::process::Command;

fn git(args: &[&str]) -> Option<String> {
    Command::new("git")
        .args(args)
        .output()
        .ok()
        .filter(|o| o.status.success())
        .and_then(|o| String::from_utf8(o.stdout).ok())
        .map(|s| s.trim().to_string())
}

fn main() {
    let rev = git(&["rev-parse", "--short=12", "HEAD"]).unwrap_or_default();
    println!("cargo:rustc-env=SMSSIM_GIT_REV={rev}");
    // Rebuild when HEAD moves: HEAD itself (a checkout), the branch it
    // points at (a commit), and packed refs. Paths come from git so that
    // worktrees, whose `.git` is a file, work too; only existing files are
    // named, since a missing one would make cargo rerun this every build.
    let mut watch = vec!["HEAD".to_string(), "packed-refs".to_string()];
    if let Some(r) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watch.push(r);
    }
    for name in watch {
        if let Some(p) = git(&["rev-parse", "--git-path", &name]) {
            if Path::new(&p).exists() {
                let abs = std::fs::canonicalize(&p).unwrap_or_else(|_| p.clone().into());
                println!("cargo:rerun-if-changed={}", abs.display());
            }
        }
    }
    println!("cargo:rerun-if-changed=build.rs");
}
