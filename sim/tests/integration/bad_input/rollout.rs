//! The administrator's plan (`rollout`): every step is checked before a
//! run, and a bad one is exit 2 with its field path and what to write.

use super::{check, Case};

/// Central SP3 site, two SP1 children in two domains, one package.
const T: (&str, &str) = (
    "t.json",
    r#"{"name":"t","duration_days":3,
        "topology":{"domains":2,"clients_per_cap":5,"dps_per_site":2,"sites":[
          {"code":"CEN","version":"sp3"},
          {"code":"S01","parent":"CEN"},
          {"code":"S02","parent":"CEN","version":"sp2"}]},
        "workload":{"packages":[{"package":"Office","at":"1h","size_mb":1}]}}"#,
);

/// The scenario `T` with `rollout` set to `steps` (through `--set`).
macro_rules! case {
    ($name:expr, $steps:expr, $says:expr $(,)?) => {
        Case {
            name: $name,
            files: &[T],
            args: &["validate", "t.json", "--set", $steps],
            code: 2,
            says: $says,
        }
    };
}

#[test]
fn rollout_steps_are_checked() {
    check(&[
        Case {
            name: "a good plan validates",
            files: &[T],
            args: &[
                "validate",
                "t.json",
                "--set",
                r#"rollout=[{"at":"1d","sites":["CEN"],"install":"Q319207"},
                   {"at":"1d","sites":"DOMAIN02","install":"Q242926"},
                   {"at":"2d","sites":"children","upgrade":"sp3"},
                   {"at":"2d","site":"S01","install":"Q323627"},
                   {"at":"2d","site":"CEN","action":"delete_retry_history","package":"CEN00001"},
                   {"at":"2d","site":"S01","action":"clear_ccrretry_box"},
                   {"at":"2d","site":"CEN","action":"remove_dp","dp":1}]"#,
            ],
            code: 0,
            says: &["ok: t.json"],
        },
        case!(
            "an unknown site",
            r#"rollout=[{"at":"1d","site":"XYZ","install":"Q319207"}]"#,
            &[
                "rollout.0.site",
                "\"XYZ\": no site has this code",
                "children"
            ],
        ),
        case!(
            "an unknown site in a list",
            r#"rollout=[{"at":"1d","sites":["CEN","S09"],"upgrade":"sp4"}]"#,
            &["rollout.0.sites", "\"S09\""],
        ),
        case!(
            "a domain that does not exist",
            r#"rollout=[{"at":"1d","sites":"DOMAIN03","upgrade":"sp4"}]"#,
            &["rollout.0.sites", "DOMAIN01…DOMAIN02"],
        ),
        case!(
            "a step past the end",
            r#"rollout=[{"at":"4d","site":"CEN","install":"Q319207"}]"#,
            &["rollout.0.at", "after the end of the run (3 days)"],
        ),
        case!(
            "a hotfix the release already has",
            r#"rollout=[{"at":"1d","site":"S02","install":"Q242926"}]"#,
            &[
                "rollout.0.install",
                "site S02",
                "already corrects Q242926",
                "not needed"
            ],
        ),
        case!(
            "a hotfix the release already has after an upgrade earlier in the plan",
            r#"rollout=[{"at":"2d","site":"S01","install":"Q252717"},{"at":"1d","site":"S01","upgrade":"sp2"}]"#,
            &[
                "rollout.0.install",
                "site S01: sp2 already corrects Q252717"
            ],
        ),
        case!(
            "a hotfix built for later releases",
            r#"rollout=[{"at":"1d","sites":"all","install":"Q319207"}]"#,
            &[
                "rollout.0.install",
                "site S01",
                "built for sp3 and sp4 sites, not sp1"
            ],
        ),
        case!(
            "an unknown hotfix",
            r#"rollout=[{"at":"1d","site":"CEN","install":"Q999999"}]"#,
            &[
                "rollout.0.install",
                "\"Q999999\": expected one of Q323627, Q242926, Q319207, Q252717"
            ],
        ),
        case!(
            "a downgrade",
            r#"rollout=[{"at":"1d","site":"CEN","upgrade":"sp2"}]"#,
            &[
                "rollout.0.upgrade",
                "site CEN is already at sp3",
                "downgrade"
            ],
        ),
        case!(
            "an unknown release",
            r#"rollout=[{"at":"1d","site":"CEN","upgrade":"sp9"}]"#,
            &["rollout[0].upgrade", "sp9"],
        ),
        case!(
            "two things in one step",
            r#"rollout=[{"at":"1d","site":"CEN","upgrade":"sp4","install":"Q319207"}]"#,
            &["rollout.0: expected exactly one of `install`, `upgrade` or `action`"],
        ),
        case!(
            "no site",
            r#"rollout=[{"at":"1d","upgrade":"sp4"}]"#,
            &["rollout.0: expected `site` or `sites`"],
        ),
        case!(
            "an unknown package",
            r#"rollout=[{"at":"1d","site":"CEN","action":"delete_retry_history","package":"CEN00009"}]"#,
            &[
                "rollout.0.package",
                "\"CEN00009\": expected a package ID (CEN00001, CEN00002) or name"
            ],
        ),
        case!(
            "no package",
            r#"rollout=[{"at":"1d","site":"CEN","action":"delete_retry_history"}]"#,
            &["rollout.0.package", "expected the package"],
        ),
        case!(
            "a DP the site does not have",
            r#"rollout=[{"at":"1d","site":"CEN","action":"remove_dp","dp":2}]"#,
            &["rollout.0.dp", "site CEN has 2 distribution point(s)"],
        ),
        case!(
            "a field of another kind of step",
            r#"rollout=[{"at":"1d","site":"CEN","action":"clear_ccrretry_box","dp":1}]"#,
            &["rollout.0.dp: this step takes no `dp`"],
        ),
        case!(
            "an unknown remedy",
            r#"rollout=[{"at":"1d","site":"CEN","action":"reboot"}]"#,
            &["rollout[0].action", "reboot", "clear_ccrretry_box"],
        ),
        case!(
            "a field no step has",
            r#"rollout=[{"at":"1d","site":"CEN","upgrade":"sp4","when":"now"}]"#,
            &["rollout[0]", "when"],
        ),
    ]);
}

#[test]
fn secondary_sites_are_leaves() {
    check(&[
        Case {
            name: "a primary site without its Full Version value",
            files: &[(
                "s.json",
                r#"{"name":"s","topology":{"sites":[{"code":"CEN"},
                {"code":"S01","parent":"CEN","full_version_missing":true}]}}"#,
            )],
            args: &["validate", "s.json"],
            code: 2,
            says: &["topology.sites.1.full_version_missing: only a secondary site"],
        },
        Case {
            name: "a secondary site with a child",
            files: &[(
                "s.json",
                r#"{"name":"s","topology":{"sites":[{"code":"CEN"},
                {"code":"S01","parent":"CEN","secondary":true},
                {"code":"S02","parent":"S01"}]}}"#,
            )],
            args: &["validate", "s.json"],
            code: 2,
            says: &["topology.sites.1.secondary: a secondary site cannot have child sites"],
        },
    ]);
}
