//! Strict parsing: objects only where objects are meant, names that are
//! plain file names, grids without repeats, references that resolve.

use super::{check, Case};

const T: (&str, &str) = (
    "t.json",
    r#"{"name":"t","duration_days":0.1,"topology":{"child_sites":1,"clients_per_cap":10}}"#,
);

#[test]
fn strict_parsing() {
    check(&[
        Case {
            name: "an array for the whole scenario",
            files: &[("a.json", r#"["arr"]"#)],
            args: &["validate", "a.json"],
            code: 2,
            says: &[
                "a.json: (top level): expected a JSON object",
                "found an array",
            ],
        },
        Case {
            name: "an array read by position for topology",
            files: &[("a.json", r#"{"name":"t","topology":[2,1,10]}"#)],
            args: &["validate", "a.json"],
            code: 2,
            says: &["a.json: topology: expected a JSON object", "child_sites"],
        },
        Case {
            name: "an array for topology through --set",
            files: &[T],
            args: &["validate", "t.json", "--set", "topology=[2,1,10]"],
            code: 2,
            says: &["topology (after --set): expected a JSON object"],
        },
        Case {
            name: "a scenario named ..",
            files: &[("d.json", r#"{"name":".."}"#)],
            args: &["run", "d.json", "-q"],
            code: 2,
            says: &["name: \"..\"", "letters, digits"],
        },
        Case {
            name: "a scenario name with a slash",
            files: &[("d.json", r#"{"name":"../../etc"}"#)],
            args: &["validate", "d.json"],
            code: 2,
            says: &["name:"],
        },
        Case {
            name: "a duplicated site code that is its own parent",
            files: &[(
                "s.json",
                r#"{"name":"t","topology":{"sites":[{"code":"CEN"},{"code":"CEN","parent":"CEN"}]}}"#,
            )],
            args: &["validate", "s.json"],
            code: 2,
            says: &["topology.sites.1.code", "used twice"],
        },
        Case {
            name: "a site loop through --set",
            files: &[T],
            args: &[
                "validate",
                "t.json",
                "--set",
                r#"topology.sites=[{"code":"CEN"},{"code":"A01","parent":"B01"},{"code":"B01","parent":"A01"}]"#,
            ],
            code: 2,
            says: &["topology.sites"],
        },
        Case {
            name: "a non-ASCII client name to trace",
            files: &[("tr.json", r#"{"name":"t","trace":{"clients":["a€"]}}"#)],
            args: &["validate", "tr.json"],
            code: 2,
            says: &["trace.clients.0", "expected a client name"],
        },
        Case {
            name: "the same --vary value twice",
            files: &[T],
            args: &[
                "sweep",
                "t.json",
                "--vary",
                "topology.clients_per_cap=10,10",
                "-q",
            ],
            code: 2,
            says: &["\"10\" is given twice"],
        },
        Case {
            name: "the same --vary key twice",
            files: &[T],
            args: &[
                "sweep",
                "t.json",
                "--vary",
                "topology.clients_per_cap=10,20",
                "--vary",
                "topology.clients_per_cap=5",
                "-q",
            ],
            code: 2,
            says: &["is given twice: give all its values in one --vary"],
        },
        Case {
            name: "two --vary values that are the same duration",
            files: &[T],
            args: &[
                "sweep",
                "t.json",
                "--vary",
                "clients.clock_skew_sigma=1m,60s",
                "-q",
            ],
            code: 2,
            says: &["gives the same scenario as", "=1m"],
        },
        Case {
            name: "an empty --vary value",
            files: &[T],
            args: &[
                "sweep",
                "t.json",
                "--vary",
                "topology.clients_per_cap=10,,20",
                "-q",
            ],
            code: 2,
            says: &["an empty value"],
        },
        Case {
            name: "a shard beyond the count",
            files: &[T],
            args: &[
                "sweep", "t.json", "--vary", "seed=1,2", "--shard", "3/3", "-q",
            ],
            code: 2,
            says: &["expected I/N with 0 <= I < N"],
        },
        Case {
            name: "zero replications",
            files: &[T],
            args: &["run", "t.json", "--replications", "0", "-q"],
            code: 2,
            says: &["expected at least 1"],
        },
        Case {
            name: "trace --client on a scenario without clients",
            files: &[T],
            args: &[
                "trace",
                "t.json",
                "--set",
                "topology.clients_per_cap=0",
                "--client",
                "PC000001",
                "-o",
                "tr",
            ],
            code: 2,
            says: &["this scenario has no clients"],
        },
        Case {
            name: "an unknown client to trace",
            files: &[T],
            args: &["trace", "t.json", "--client", "PC999999", "-o", "tr"],
            code: 2,
            says: &["no such client; names run PC000000…PC000019"],
        },
    ]);
}
