//! The CCR process, Q242926 (duplicate retry CCRs) and Q252717 (mixed
//! service packs), through the real binary.

use crate::support::{describe, files_under, scenario, smssim};
use std::collections::BTreeMap;
use std::path::Path;

/// `metric -> (legacy_mean, hotfix_mean)` from a `compare.csv`.
fn compare_means(dir: &Path) -> BTreeMap<String, (f64, f64)> {
    let text = std::fs::read_to_string(dir.join("compare.csv")).unwrap();
    let mut out = BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        out.insert(
            f[1].to_string(),
            (f[3].parse().unwrap(), f[5].parse().unwrap()),
        );
    }
    out
}

/// Runs `compare` on a shipped scenario with overrides, one replication.
fn compare(file: &str, sets: &[&str]) -> BTreeMap<String, (f64, f64)> {
    let dir = tempfile::tempdir().unwrap();
    let s = scenario(file);
    let mut args = vec![
        "compare",
        s.to_str().unwrap(),
        "--replications",
        "1",
        "--quiet",
        "--out",
        dir.path().to_str().unwrap(),
    ];
    for kv in sets {
        args.extend(["--set", kv]);
    }
    let o = smssim(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    compare_means(dir.path())
}

const SMALL_RETRY: [&str; 2] = ["topology.clients_per_cap=150", "duration_days=4"];

#[test]
fn legacy_piles_up_duplicate_ccrs_and_hotfix_keeps_one_per_system() {
    let m = compare("ccr-retry.json", &SMALL_RETRY);
    let (l, h) = m["ccrretry.max_per_client"];
    assert!(l >= 3.0, "legacy max CCRs per machine {l}");
    // `finish` also fails the run if per_system ever let a machine hold two
    // files, checked at every store into the box.
    assert_eq!(h, 1.0, "hotfix max CCRs per machine");
    let (l, h) = m["ccm.attempts"];
    assert!(h < l, "CCM attempts legacy {l} hotfix {h}");
    let (l, h) = m["ccm.sam_replications"];
    assert!(h < l, "SAM replications legacy {l} hotfix {h}");
    // The same machines get installed either way.
    let (l, h) = m["clients.installed"];
    assert_eq!(l, h);
    assert!(l > 250.0, "{l} installed");
}

/// Milliseconds since the start of the month of a `Ccm.log` line's stamp
/// (`<06-03-2002 08:00:01.250>`).
fn stamp_ms(line: &str) -> u64 {
    let s = &line[line.find("><").unwrap() + 2..];
    let (date, rest) = s.split_once(' ').unwrap();
    let day: u64 = date[3..5].parse().unwrap();
    let time = &rest[..12];
    let h: u64 = time[0..2].parse().unwrap();
    let m: u64 = time[3..5].parse().unwrap();
    let sec: u64 = time[6..8].parse().unwrap();
    let ms: u64 = time[9..12].parse().unwrap();
    (((day * 24 + h) * 60 + m) * 60 + sec) * 1000 + ms
}

#[test]
fn unreachable_ccr_is_retried_hourly_and_deleted_after_seven_days() {
    // One machine without an admin$ share, always on, discovered once by
    // Network Discovery an hour into the run.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("one.json");
    std::fs::write(
        &f,
        r#"{"name":"one","duration_days":8,
            "topology":{"clients_per_cap":1},
            "clients":{"power_off_at_night":0},
            "ccr":{"new_machines":{"share":1,"arrive_over":"0s"},
                   "discovery":{"logon":false,"network_every":"30d","network_first":"1h"},
                   "faults":{"no_admin_share":1}}}"#,
    )
    .unwrap();
    let out = dir.path().join("trace");
    for policy in ["legacy", "hotfix"] {
        let o = smssim(&[
            "trace",
            f.to_str().unwrap(),
            "--client",
            "PC000000",
            "--policy",
            policy,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
        let log = std::fs::read_to_string(out.join("sites/CEN/Ccm.log")).unwrap();
        let starts: Vec<u64> = log
            .lines()
            .filter(|l| l.starts_with("======>Begin Processing request"))
            .map(stamp_ms)
            .collect();
        // The first attempt and 168 hourly retries (7 days).
        assert_eq!(starts.len(), 169, "{policy}: attempts");
        for w in starts.windows(2) {
            assert_eq!(w[1] - w[0], 3_600_000, "{policy}: retries 60 minutes apart");
        }
        assert!(log.contains("error code: 67"), "{policy}");
        let expired: Vec<&str> = log
            .lines()
            .filter(|l| l.contains("has been retried for 7d (169 processing attempts"))
            .collect();
        assert_eq!(expired.len(), 1, "{policy}: one deletion line");
        let gap = stamp_ms(expired[0]) - starts[0];
        assert!(
            (7 * 24 * 3_600_000..7 * 24 * 3_600_000 + 60_000).contains(&gap),
            "{policy}: deleted {gap} ms after the first attempt"
        );
    }
}

/// `.CCR` files of a `trace --at` folder: file name -> machine name.
fn ccr_files(box_dir: &Path) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    for e in std::fs::read_dir(box_dir).unwrap() {
        let p = e.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        assert!(text.starts_with("[NT Client Configuration Request]\r\n"));
        for want in [
            "[Request Processing]",
            "Number of Processing Attempts=",
            "Last Error Code=",
            "[IDENT]\r\nTYPE=Client Config Request File",
        ] {
            assert!(text.contains(want), "{want} not in {}", p.display());
        }
        let machine = text
            .lines()
            .find_map(|l| l.strip_prefix("Machine Name="))
            .unwrap()
            .to_string();
        out.insert(
            p.file_name().unwrap().to_string_lossy().into_owned(),
            machine,
        );
    }
    out
}

#[test]
fn trace_at_3d_writes_random_duplicates_under_legacy_and_per_system_names_under_hotfix() {
    let s = scenario("ccr-retry.json");
    let mut per_policy = Vec::new();
    for policy in ["legacy", "hotfix"] {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec![
            "trace",
            s.to_str().unwrap(),
            "--at",
            "3d",
            "--policy",
            policy,
            "--out",
            dir.path().to_str().unwrap(),
        ];
        for kv in SMALL_RETRY {
            args.extend(["--set", kv]);
        }
        let o = smssim(&args);
        assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
        per_policy.push(ccr_files(&dir.path().join("sites/CEN/CcrRetry.box")));
    }
    let mut by_machine: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (file, machine) in &per_policy[0] {
        by_machine.entry(machine).or_default().push(file);
    }
    let most = by_machine.values().map(Vec::len).max().unwrap_or(0);
    assert!(most >= 2, "legacy: at most {most} files for one machine");
    for files in by_machine.values() {
        for f in files {
            assert!(
                f.len() == 12 && f.ends_with(".CCR") && !f.starts_with("PC"),
                "{f}"
            );
        }
    }
    assert!(!per_policy[1].is_empty());
    for (file, machine) in &per_policy[1] {
        assert_eq!(file, &format!("{machine}.DOMAIN01.CCR"));
    }
}

const SMALL_MIXED: [&str; 3] = [
    "topology.clients_per_cap=250",
    "duration_days=7",
    "ccr.new_machines.share=0.5",
];

#[test]
fn sp1_ccm_retries_on_sp2_clients_and_copylog_claims_make_mixed_clients() {
    let m = compare("mixed-service-packs.json", &SMALL_MIXED);
    // Q252717 / Q264630 issue 2: the SP1 CCM's bootstrap fails on SP2
    // machines, and each CCR is retried; the fix skips them.
    let (l, h) = m["ccm.cross_version_attempts"];
    assert!(l > 0.0 && h == 0.0, "cross-version attempts {l} / {h}");
    assert_eq!(m["ccm.errors_1053"], (l, 0.0));
    assert!(m["ccm.cross_version_clients"].0 > 0.0);
    assert!(m["ccr.skipped_newer"].1 > 0.0, "hotfix skips SP2 machines");
    // Q249077 / Q264630 issue 1: unfixed SP1 sites claim the SP2
    // Clicore.exe in Copylog.tcf and their clients copy it.
    let (l, h) = m["lsm.copylog_claims_newer"];
    assert!(l > 0.0 && h == 0.0, "Copylog.tcf claims {l} / {h}");
    let (l, h) = m["clients.mixed_ever"];
    assert!(l > 0.0 && h == 0.0, "mixed clients {l} / {h}");
    assert!(m["clients.mixed_hours"].0 > 0.0);

    // Without overlapping boundaries no SP1 site meets an SP2 machine, but
    // the logon points are shared all the same: the mixed state does not
    // come from CCM.
    let mut no_overlap = SMALL_MIXED.to_vec();
    no_overlap.push("topology.overlap_share=0");
    let m = compare("mixed-service-packs.json", &no_overlap);
    for metric in ["ccm.cross_version_attempts", "ccr.skipped_newer"] {
        assert_eq!(m[metric], (0.0, 0.0), "{metric} without overlap");
    }
    let (l, h) = m["clients.mixed_ever"];
    assert!(
        l > 0.0 && h == 0.0,
        "mixed clients without overlap {l} / {h}"
    );
    assert!(m["clients.installed"].0 > 0.0);

    // One domain per site: no logon point is shared, nothing is claimed.
    let mut own_domains = SMALL_MIXED.to_vec();
    own_domains.push("topology.domains=8");
    let m = compare("mixed-service-packs.json", &own_domains);
    assert_eq!(m["lsm.copylog_claims_newer"], (0.0, 0.0));
    assert_eq!(m["clients.mixed_ever"], (0.0, 0.0));
}

/// Every file under `dir` whose name is `name`, with its text.
fn logs_named(dir: &Path, name: &str) -> Vec<(String, String)> {
    files_under(dir)
        .into_iter()
        .filter(|p| p.file_name().is_some_and(|f| f == name))
        .map(|p| {
            (
                p.display().to_string(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect()
}

#[test]
fn trace_logs_the_sms_2_0_bootstrap_and_the_mixed_state() {
    let s = scenario("mixed-service-packs.json");
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "trace",
        s.to_str().unwrap(),
        "--policy",
        "legacy",
        "--out",
        dir.path().to_str().unwrap(),
    ];
    for kv in SMALL_MIXED {
        args.extend(["--set", kv]);
    }
    let o = smssim(&args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
    let ccm = logs_named(dir.path(), "Ccm.log");
    assert!(!ccm.is_empty());
    let all: String = ccm.iter().map(|(_, t)| t.as_str()).collect();
    // SMS 2.0 names (Q252717, Q264630), not SMS 2003 Advanced Client ones.
    assert!(all.contains("Ccmbtldr.exe"), "no Ccmbtldr.exe in Ccm.log");
    assert!(all.contains("SMS Client Service"));
    for old in ["Ccmsetup", "CcmSetup", "MobileClient", "CCMSetup"] {
        assert!(!all.contains(old), "{old} in Ccm.log");
    }
    // A mixed client's logs: the SP2 base files over SP1 components
    // (Q264630's CLICORE.LOG lines).
    let clicore = logs_named(dir.path(), "Clicore.log");
    assert!(!clicore.is_empty(), "no traced client became mixed");
    for (path, text) in &clicore {
        assert!(
            text.contains("Base client files are version 2.00.1493")
                && text.contains("Current clibase version is 2.00.1380"),
            "{path}: {text}"
        );
    }
    let wn: String = logs_named(dir.path(), "Wn_logon.log")
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    assert!(wn.contains("Copylog.tcf names site"), "{wn}");
}
