//! Releases, hotfixes and the administrator's plan (`rollout`), through the
//! real binary: each defect follows the release and hotfixes of the
//! component that owns it, at the moment it acts.

use crate::support::{describe, scenario, smssim};
use std::collections::BTreeMap;
use std::path::Path;

/// Runs `args` and asserts success.
fn ok(args: &[&str]) {
    let o = smssim(args);
    assert_eq!(o.status.code(), Some(0), "{}", describe(&o));
}

/// `metric -> value` of one run's `metrics.csv`.
fn metrics(dir: &Path) -> BTreeMap<String, f64> {
    let text = std::fs::read_to_string(dir.join("metrics.csv")).unwrap();
    text.lines()
        .skip(1)
        .map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[5].to_string(), f[6].parse().unwrap())
        })
        .collect()
}

/// `(time_s, value)` of one series of one run's `timeseries.csv`.
fn series(dir: &Path, name: &str) -> Vec<(u64, f64)> {
    let text = std::fs::read_to_string(dir.join("timeseries.csv")).unwrap();
    text.lines()
        .skip(1)
        .filter_map(|l| {
            let f: Vec<&str> = l.split(',').collect();
            (f[3] == name).then(|| (f[2].parse().unwrap(), f[4].parse().unwrap()))
        })
        .collect()
}

/// Runs `file` once under `policy` with overrides into a fresh folder.
fn run(file: &Path, policy: &str, sets: &[&str]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let mut args = vec![
        "run",
        file.to_str().unwrap(),
        "--policy",
        policy,
        "--replications",
        "1",
        "--quiet",
        "--out",
        dir.path().to_str().unwrap(),
    ];
    for kv in sets {
        args.extend(["--set", kv]);
    }
    ok(&args);
    dir
}

/// Files in `CcrRetry.box` per machine at each site, from a `trace --at`
/// folder: `site -> machine -> files`.
fn retry_box(dir: &Path) -> BTreeMap<String, BTreeMap<String, u32>> {
    let mut out: BTreeMap<String, BTreeMap<String, u32>> = BTreeMap::new();
    let sites = dir.join("sites");
    for site in std::fs::read_dir(&sites).unwrap() {
        let site = site.unwrap().path();
        let code = site.file_name().unwrap().to_string_lossy().to_string();
        let Ok(files) = std::fs::read_dir(site.join("CcrRetry.box")) else {
            continue;
        };
        for f in files {
            let text = std::fs::read_to_string(f.unwrap().path()).unwrap();
            let machine = text
                .lines()
                .find_map(|l| l.strip_prefix("Machine Name="))
                .unwrap()
                .to_string();
            *out.entry(code.clone())
                .or_default()
                .entry(machine)
                .or_default() += 1;
        }
    }
    out
}

#[test]
fn under_legacy_an_sp2_site_keeps_one_retry_ccr_per_system_and_an_sp1_site_piles_them_up() {
    // Q242926 was first corrected in SP2: an SP2 site's CCM names a retry
    // CCR COMPUTER.DOMAIN.CCR even under legacy; the SP1 site beside it,
    // with the same faults, still gives each failure a new random name.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("mixed.json");
    std::fs::write(
        &f,
        r#"{"name":"mixed","duration_days":4,
            "topology":{"clients_per_cap":150,"sites":[
              {"code":"CEN","version":"sp2"},
              {"code":"S01","parent":"CEN","version":"sp1"}]},
            "ccr":{"new_machines":{"share":1,"arrive_over":"1d"},
                   "discovery":{"logon":true,"network_every":"12h","network_first":"4h"},
                   "faults":{"access_denied":[{"share":0.1,"from":"0s","until":"4d"}],
                             "no_admin_share":0.02}}}"#,
    )
    .unwrap();
    let out = dir.path().join("trace");
    ok(&[
        "trace",
        f.to_str().unwrap(),
        "--policy",
        "legacy",
        "--at",
        "3d",
        "--out",
        out.to_str().unwrap(),
    ]);
    let boxes = retry_box(&out);
    let most = |code: &str| boxes.get(code).and_then(|m| m.values().max()).copied();
    let sp2 = boxes.get("CEN");
    assert!(sp2.is_some_and(|m| m.len() >= 5), "SP2 box {sp2:?}");
    assert_eq!(
        most("CEN"),
        Some(1),
        "an SP2 site holds one file per system"
    );
    assert!(
        most("S01").is_some_and(|n| n >= 3),
        "the SP1 site piles up retry CCRs: {:?}",
        most("S01")
    );

    // And in the metrics: a hierarchy whose sites are all SP2 holds at most
    // one per system under legacy, all SP1 piles them up.
    let ccr = scenario("ccr-retry.json");
    let small = ["topology.clients_per_cap=150", "duration_days=4"];
    let at = |v: &str| {
        let set = format!("topology.version={v}");
        let d = run(&ccr, "legacy", &[small[0], small[1], &set]);
        metrics(d.path())["ccrretry.max_per_client"]
    };
    assert_eq!(at("sp2"), 1.0);
    let sp1 = at("sp1");
    assert!(sp1 >= 3.0, "SP1 legacy max CCRs per machine {sp1}");
}

/// `package-retry` with its first central DP down for the whole run, at
/// SP3 (so that Q319207's post-SP3 hotfix applies), over 4 days and 12
/// child sites.
const FLOOD: [&str; 6] = [
    "topology.version=sp3",
    "topology.child_sites=12",
    "topology.grandchild_sites=0",
    "duration_days=4",
    "distribution.dp_outages.0.duration=7d",
    "sample_interval=30m",
];

#[test]
fn installing_q319207_at_the_central_site_on_day_2_stops_the_schedule_box_flood_from_day_2() {
    let f = scenario("package-retry.json");
    let plan = r#"rollout=[{"at":"2d","sites":["CEN"],"install":"Q319207"}]"#;
    let mut sets = FLOOD.to_vec();
    sets.push(plan);
    let legacy = run(&f, "legacy", &sets);
    let sched = run(&f, "as-scheduled", &sets);
    let l = series(legacy.path(), "sched.backlog.CEN");
    let a = series(sched.path(), "sched.backlog.CEN");
    assert_eq!(l.len(), a.len());
    let day2 = 2 * 86_400;
    // Until the install both runs are the same run.
    let before: Vec<_> = l.iter().filter(|p| p.0 <= day2).collect();
    assert!(before.iter().any(|p| p.1 > 0.0), "a flood before day 2");
    assert_eq!(
        before,
        a.iter().filter(|p| p.0 <= day2).collect::<Vec<_>>(),
        "the same run until the install"
    );
    // From day 2 the fixed Distribution Manager creates no job: the
    // backlog only drains, and is gone within a day.
    let after: Vec<f64> = a.iter().filter(|p| p.0 >= day2).map(|p| p.1).collect();
    assert!(
        after.windows(2).all(|w| w[1] <= w[0]),
        "backlog after the install never grows: {after:?}"
    );
    let late = |s: &[(u64, f64)]| {
        s.iter()
            .filter(|p| p.0 >= 3 * 86_400)
            .map(|p| p.1)
            .sum::<f64>()
    };
    assert_eq!(late(&a), 0.0, "drained a day after the install");
    // Without the install the flood goes on.
    let legacy_after: Vec<f64> = l.iter().filter(|p| p.0 >= day2).map(|p| p.1).collect();
    assert!(
        legacy_after.windows(2).any(|w| w[1] > w[0]) && late(&l) > 0.0,
        "legacy floods on: {legacy_after:?}"
    );
    let (ml, ma) = (metrics(legacy.path()), metrics(sched.path()));
    assert!(ma["sched.jobs_created"] < ml["sched.jobs_created"]);
    // Retries go on (the DP is still down), locally only.
    assert!(ma["distmgr.retries"] > 0.0);

    // The presets ignore the plan: legacy with it is legacy without it.
    let plain = run(&f, "legacy", &FLOOD);
    assert_eq!(
        std::fs::read(legacy.path().join("metrics.csv")).unwrap(),
        std::fs::read(plain.path().join("metrics.csv")).unwrap()
    );
}

/// `Distmgr.log` lines of site `code` in a trace folder: (ms since the
/// month began, text).
fn distmgr_log(dir: &Path, code: &str) -> Vec<(u64, String)> {
    let text = std::fs::read_to_string(dir.join(format!("sites/{code}/Distmgr.log"))).unwrap();
    text.lines()
        .map(|l| {
            let s = &l[l.find("><").unwrap() + 2..];
            let (date, rest) = s.split_once(' ').unwrap();
            let day: u64 = date[3..5].parse().unwrap();
            let t = &rest[..12];
            let ms = (((day * 24 + t[0..2].parse::<u64>().unwrap()) * 60
                + t[3..5].parse::<u64>().unwrap())
                * 60
                + t[6..8].parse::<u64>().unwrap())
                * 1000
                + t[9..12].parse::<u64>().unwrap();
            (ms, l.to_string())
        })
        .collect()
}

#[test]
fn deleting_a_packages_retry_history_stops_its_retries_at_once() {
    let f = scenario("package-retry.json");
    let mut sets = FLOOD.to_vec();
    sets.push(
        r#"rollout=[{"at":"30h","site":"CEN","action":"delete_retry_history","package":"CEN00001"}]"#,
    );
    let trace = |policy: &str| {
        let dir = tempfile::tempdir().unwrap();
        let mut args = vec![
            "trace",
            f.to_str().unwrap(),
            "--policy",
            policy,
            "--out",
            dir.path().to_str().unwrap(),
        ];
        for kv in &sets {
            args.extend(["--set", kv]);
        }
        ok(&args);
        dir
    };
    let legacy = distmgr_log(trace("legacy").path(), "CEN");
    let sched = distmgr_log(trace("as-scheduled").path(), "CEN");
    let deleted = sched
        .iter()
        .find(|(_, l)| l.contains("deleted Retry History\\CEN00001"))
        .map(|(t, _)| *t)
        .expect("the deletion is logged in Distmgr.log");
    let retries = |log: &[(u64, String)], pkg: &str, after: bool| {
        log.iter()
            .filter(|(t, l)| {
                (*t > deleted) == after && l.starts_with(&format!("Retrying package {pkg}."))
            })
            .count()
    };
    assert!(retries(&sched, "CEN00001", false) > 0, "retried before");
    assert_eq!(
        retries(&sched, "CEN00001", true),
        0,
        "no retry after the deletion"
    );
    // The other packages are still retried, and without the deletion this
    // one is too.
    assert!(retries(&sched, "CEN00002", true) > 0);
    assert!(retries(&legacy, "CEN00001", true) > 0);
}

#[test]
fn removing_the_failed_dp_ends_every_retry() {
    // remove_dp: the next retry of each package finds every remaining DP
    // updated, and the retries stop.
    let f = scenario("package-retry.json");
    let mut sets = FLOOD.to_vec();
    sets.push(r#"rollout=[{"at":"1d","site":"CEN","action":"remove_dp","dp":0}]"#);
    let (l, a) = (run(&f, "legacy", &sets), run(&f, "as-scheduled", &sets));
    let (ml, ma) = (metrics(l.path()), metrics(a.path()));
    assert_eq!(
        ma["distmgr.retrying_packages"], 0.0,
        "no package retried at the end"
    );
    assert!(ml["distmgr.retrying_packages"] > 0.0);
    assert!(ma["distmgr.retries"] < ml["distmgr.retries"]);
}

#[test]
fn clearing_ccrretry_box_ends_the_requests_already_started() {
    // clear_ccrretry_box: with Q242926 installed on day 1 the new failures
    // keep one file per machine, but the duplicates already there retry
    // hourly until the box is cleared (Q264630).
    let ccr = scenario("ccr-retry.json");
    let base = [
        "topology.clients_per_cap=150",
        "duration_days=5",
        "ccr.faults.access_denied.0.until=5d",
    ];
    let with = |plan: &str| {
        let mut sets = base.to_vec();
        sets.push(plan);
        metrics(run(&ccr, "as-scheduled", &sets).path())
    };
    let install = with(r#"rollout=[{"at":"2d","site":"CEN","install":"Q242926"}]"#);
    let cleared = with(
        r#"rollout=[{"at":"2d","site":"CEN","install":"Q242926"},{"at":"2d","site":"CEN","action":"clear_ccrretry_box"}]"#,
    );
    assert!(
        cleared["ccm.attempts"] < install["ccm.attempts"],
        "clearing the box saves attempts: {} vs {}",
        cleared["ccm.attempts"],
        install["ccm.attempts"]
    );
}

#[test]
fn clients_pick_up_q323627_from_their_site_after_their_own_delay() {
    // Q323627's fix is a client file (Cqmgr32.dll): installed at the site,
    // it reaches each client after a delay drawn uniformly from 0 to
    // clients.component_pickup.
    let f = scenario("status-storm.json");
    let with = |policy: &str, at: &str, pickup: &str| {
        let plan = format!(r#"rollout=[{{"at":"{at}","site":"CEN","install":"Q323627"}}]"#);
        let p = format!("clients.component_pickup={pickup}");
        let sets = [
            "topology.version=sp3",
            "topology.caps_per_site=1",
            "topology.clients_per_cap=2000",
            "duration_days=1",
            &plan,
            &p,
        ];
        metrics(run(&f, policy, &sets).path())
    };
    let legacy = with("legacy", "0s", "1h");
    let lost = |m: &BTreeMap<String, f64>| m["status.lost"];
    assert!(lost(&legacy) > 0.0, "the storm loses messages under legacy");
    // Picked up within an hour, before the advertisement at 2h: the fixed
    // Copy Queue Manager requeues what it cannot copy, so nothing is lost.
    assert_eq!(lost(&with("as-scheduled", "0s", "1h")), 0.0);
    // Picked up over 30 days: the few clients that had it by 2h lose
    // nothing, the others as before.
    let some = lost(&with("as-scheduled", "0s", "30d"));
    assert!(
        0.0 < some && some < lost(&legacy),
        "{some} vs {}",
        lost(&legacy)
    );
    // Installed after the advertisement's messages are all copied: its
    // status messages fare as under legacy (the later discovery records
    // are copied under the new names, so the run is not the same).
    let late = with("as-scheduled", "20h", "1h");
    for m in [
        "status.lost",
        "status.delivered",
        "ad.clients_missing_status",
    ] {
        assert_eq!(late[m], legacy[m], "{m}");
    }
    assert_ne!(late["cqmgr.collisions"], legacy["cqmgr.collisions"]);
}

#[test]
fn a_hotfix_does_not_take_on_a_secondary_site_without_its_full_version_value() {
    // Q252717: on a secondary site whose HKLM\Software\Microsoft\SMS\Setup
    // lacks Full Version, the hotfix "may appear to run successfully" but
    // reads version 000; once the value is set, it takes.
    let dir = tempfile::tempdir().unwrap();
    let f = dir.path().join("secondary.json");
    std::fs::write(
        &f,
        r#"{"name":"secondary","duration_days":4,
            "topology":{"clients_per_cap":150,"sites":[
              {"code":"CEN","clients_per_cap":0},
              {"code":"S01","parent":"CEN","secondary":true,"full_version_missing":true}]},
            "ccr":{"new_machines":{"share":1,"arrive_over":"1d"},
                   "discovery":{"logon":true,"network_every":"12h","network_first":"4h"},
                   "faults":{"access_denied":[{"share":0.1,"from":"0s","until":"4d"}],
                             "no_admin_share":0.02}}}"#,
    )
    .unwrap();
    let most = |plan: &str| {
        let d = run(&f, "as-scheduled", &[plan]);
        metrics(d.path())["ccrretry.max_per_client"]
    };
    let silent = most(r#"rollout=[{"at":"0s","site":"S01","install":"Q242926"}]"#);
    assert!(silent >= 3.0, "the hotfix did not take: {silent}");
    let set = most(
        r#"rollout=[{"at":"0s","site":"S01","action":"set_full_version"},{"at":"0s","site":"S01","install":"Q242926"}]"#,
    );
    assert_eq!(set, 1.0, "with Full Version set the hotfix takes");
    // The installer's log says why.
    let out = dir.path().join("trace");
    ok(&[
        "trace",
        f.to_str().unwrap(),
        "--policy",
        "as-scheduled",
        "--site",
        "S01",
        "--set",
        r#"rollout=[{"at":"0s","site":"S01","install":"Q242926"}]"#,
        "--out",
        out.to_str().unwrap(),
    ]);
    let log = std::fs::read_to_string(out.join("sites/S01/Q242926.log")).unwrap();
    assert!(log.contains("the version is 000"), "{log}");
}

#[test]
fn compare_puts_the_plan_against_doing_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let f = scenario("rollout.json");
    ok(&[
        "compare",
        f.to_str().unwrap(),
        "--policy",
        "as-scheduled",
        "--policy",
        "legacy",
        "--replications",
        "2",
        "--quiet",
        "--set",
        "topology.clients_per_cap=50",
        "--out",
        dir.path().to_str().unwrap(),
    ]);
    let text = std::fs::read_to_string(dir.path().join("compare.csv")).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with(
        "scenario,metric,unit,as-scheduled_mean,as-scheduled_ci95,legacy_mean,legacy_ci95"
    ));
    let row = |m: &str| -> (f64, f64) {
        let l = text
            .lines()
            .find(|l| l.split(',').nth(1) == Some(m))
            .unwrap();
        let f: Vec<&str> = l.split(',').collect();
        (f[3].parse().unwrap(), f[5].parse().unwrap())
    };
    // The plan's Q319207 (day 7) cuts the central site's Schedule.box jobs.
    let (plan, nothing) = row("sched.jobs_created");
    assert!(plan < nothing, "{plan} vs {nothing}");
}

#[test]
fn installing_q249077_on_the_sp1_sites_ends_their_copylog_claims() {
    // Q249077: an SP1 site's Logon Server Manager names itself in
    // Copylog.tcf for an SP2 Clicore.exe it did not copy, and SP1 clients
    // copy that file into a mixed installation state (Q264630). With the
    // hotfix on every site from the start, no claim and no mixed client.
    let f = scenario("mixed-service-packs.json");
    let sets = [
        "topology.clients_per_cap=200",
        r#"rollout=[{"at":"0s","sites":"all","install":"Q249077"}]"#,
    ];
    let l = metrics(run(&f, "legacy", &sets).path());
    let a = metrics(run(&f, "as-scheduled", &sets).path());
    assert!(l["lsm.copylog_claims_newer"] > 0.0 && l["clients.mixed_ever"] > 0.0);
    assert_eq!(a["lsm.copylog_claims_newer"], 0.0);
    assert_eq!(a["clients.mixed_ever"], 0.0);
}
