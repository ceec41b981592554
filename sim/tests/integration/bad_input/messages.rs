//! Messages that advise: what is wrong, where, and what to do; no Rust type
//! names, no operating-system error printed twice.

use super::{check, run_in, Case};

const T: (&str, &str) = (
    "t.json",
    r#"{"name":"t","duration_days":0.1,"topology":{"child_sites":1,"clients_per_cap":10}}"#,
);

#[test]
fn messages_advise() {
    check(&[
        Case {
            name: "a byte-order mark is read past",
            files: &[("bom.json", "\u{feff}{\"name\":\"t\"}")],
            args: &["validate", "bom.json"],
            code: 0,
            says: &["ok: bom.json"],
        },
        Case {
            name: "an enormous number of days",
            files: &[T],
            args: &["validate", "t.json", "--set", "duration_days=1e300"],
            code: 2,
            says: &["duration_days: 1e300: at most 795 days"],
        },
        Case {
            name: "an enormous duration",
            files: &[T],
            args: &[
                "validate",
                "t.json",
                "--set",
                "sample_interval=99999999999999d",
            ],
            code: 2,
            says: &["is too long: at most 795 days"],
        },
        Case {
            name: "an enormous duration in seconds",
            files: &[T],
            args: &["validate", "t.json", "--set", "sample_interval=1e300"],
            code: 2,
            says: &["is too long"],
        },
        Case {
            name: "a string for the whole scenario",
            files: &[("s.json", "\"x\"")],
            args: &["validate", "s.json"],
            code: 2,
            says: &["expected a JSON object"],
        },
        Case {
            name: "a string for a section through --set",
            files: &[T],
            args: &["validate", "t.json", "--set", "topology=\"x\""],
            code: 2,
            says: &["topology (after --set)", "expected a JSON object"],
        },
        Case {
            name: "a knob of the wrong type",
            files: &[T, ("p.json", r#"{"name":"p","cqmgr_max_retries":"x"}"#)],
            args: &["run", "t.json", "--policy", "p.json", "-q"],
            code: 2,
            says: &[
                "p.json:1:",
                "cqmgr_max_retries",
                "expected an integer from 0 to 1000",
            ],
        },
        Case {
            name: "CAP outages: an unknown site, a CAP the site lacks, a zero length",
            files: &[(
                "o.json",
                r#"{"name":"o","duration_days":1,"topology":{"child_sites":1,"caps_per_site":2},
                    "status":{"cap_outages":[{"site":"XYZ"},{"site":"A01","cap":3},
                                             {"site":"CEN","cap":1,"from":"2d","for":"0s"}]}}"#,
            )],
            args: &["validate", "o.json"],
            code: 2,
            says: &[
                "status.cap_outages.0.site: no site has code \"XYZ\"",
                "status.cap_outages.1.cap: 3: site A01 has CAPs 1 to 2",
                "status.cap_outages.2.from",
                "status.cap_outages.2.for: expected a positive duration",
            ],
        },
        Case {
            name: "a CAP outage without its site",
            files: &[(
                "o.json",
                r#"{"name":"o","status":{"cap_outages":[{"cap":1,"from":"1h"}]}}"#,
            )],
            args: &["validate", "o.json"],
            code: 2,
            says: &["o.json:1:", "status.cap_outages", "site"],
        },
        Case {
            name: "a folder as the scenario",
            files: &[("dir/x", "")],
            args: &["validate", "dir"],
            code: 2,
            says: &["dir: cannot read the scenario file", "folder"],
        },
    ]);
}

/// A file saved in a legacy code page is named as such.
#[test]
fn a_file_that_is_not_utf8_is_named() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("l.json"), b"{\"name\":\"caf\xe9\"}").unwrap();
    let (code, _, err) = run_in(dir.path(), &["validate".into(), "l.json".into()]);
    assert_eq!(code, Some(2), "{err}");
    assert!(
        err.contains("l.json: cannot read the scenario file: not UTF-8 text (at byte offset 12)"),
        "{err}"
    );
}

/// No error repeats the operating system's reason.
#[test]
fn os_errors_are_printed_once() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join(T.0), T.1).unwrap();
    std::fs::write(dir.path().join("blocker"), "").unwrap();
    for args in [
        vec!["run", "t.json", "-q", "-o", "blocker/inside"],
        vec!["validate", "missing.json"],
        vec![
            "run",
            "t.json",
            "-q",
            "--policy",
            "dir-that-is-missing/p.json",
        ],
    ] {
        let args: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        let (code, _, err) = run_in(dir.path(), &args);
        assert!(matches!(code, Some(1 | 2)), "{args:?}: {code:?} {err}");
        assert!(
            err.matches("(os error").count() <= 1,
            "{args:?}: the reason is repeated: {err}"
        );
    }
}

/// Output piped into `head` ends quietly with exit 0.
#[test]
fn a_closed_pipe_is_not_an_error() {
    for cmd in [
        "schema",
        "schema --policy",
        "metrics",
        "metrics --format csv",
    ] {
        let o = std::process::Command::new("sh")
            .arg("-c")
            .arg(format!("\"$0\" {cmd} | head -c 1 >/dev/null"))
            .arg(env!("CARGO_BIN_EXE_smssim"))
            .output()
            .unwrap();
        let err = String::from_utf8_lossy(&o.stderr);
        assert!(err.is_empty(), "smssim {cmd} | head: {err}");
    }
}
