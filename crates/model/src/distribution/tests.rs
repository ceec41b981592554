//! Unit tests of the distribution mechanism on small hierarchies.

use crate::RunOutput;
use smssim_scenario::Policy;

pub(crate) fn run_text(text: &str, policy: Policy) -> RunOutput {
    let s = smssim_scenario::load_str(text, "t.json", &[]).unwrap();
    crate::testbed::run_scenario(&s, &policy)
}

fn one_dp_down(hours: u32, children: u32) -> String {
    format!(
        r#"{{"name":"t","duration_days":1,"topology":{{"child_sites":{children},"clients_per_cap":1}},
            "distribution":{{"routine":null,
              "dp_outages":[{{"site":"CEN","dp":0,"from":"0s","duration":"{hours}h"}}]}},
            "workload":{{"packages":[{{"package":"Office","at":"1m","size_mb":1}}]}}}}"#
    )
}

#[test]
fn legacy_retries_hourly_and_resends_to_every_child() {
    let out = run_text(&one_dp_down(6, 4), Policy::legacy());
    let m = &out.metrics;
    let retries = m.get("distmgr.retries").unwrap();
    // Down 6 h from the start, first try at 1 min: retries at about
    // 1 h … 6 h, the last one succeeds.
    assert!((5.0..=7.0).contains(&retries), "retries {retries}");
    assert_eq!(m.get("distmgr.retrying_packages"), Some(0.0));
    // Every try sends to all 4 children.
    assert_eq!(m.get("sched.jobs_created"), Some(4.0 * (1.0 + retries)));
    assert_eq!(m.get("sched.jobs_sent"), m.get("sched.jobs_created"));
}

#[test]
fn hotfix_retries_the_dp_only() {
    let out = run_text(&one_dp_down(6, 4), Policy::hotfix());
    let m = &out.metrics;
    assert!(m.get("distmgr.retries").unwrap() >= 5.0);
    assert_eq!(m.get("sched.jobs_created"), Some(4.0));
    assert_eq!(m.get("distmgr.msg_2339"), Some(4.0));
}

#[test]
fn without_faults_both_policies_agree() {
    let text = r#"{"name":"t","duration_days":2,"topology":{"child_sites":3,"grandchild_sites":3,"clients_per_cap":1}}"#;
    let a = run_text(text, Policy::legacy());
    let b = run_text(text, Policy::hotfix());
    for name in [
        "sched.jobs_created",
        "sender.bytes",
        "package.site_latency_p95_s",
    ] {
        assert_eq!(a.metrics.get(name), b.metrics.get(name), "{name}");
    }
    // Two routine updates, each sent once over each of the 6 links.
    assert_eq!(a.metrics.get("sched.jobs_created"), Some(12.0));
    assert_eq!(a.metrics.get("distmgr.retries"), Some(0.0));
    assert_eq!(a.metrics.get("package.unreached"), Some(0.0));
}

#[test]
fn sender_capacity_and_bandwidth_set_the_transfer_time() {
    // One 1 MB package over a 64 kbit/s address: 131 s on the wire after
    // 10 s of connection overhead.
    let text = r#"{"name":"t","duration_days":1,"topology":{"child_sites":1,"clients_per_cap":1},
        "distribution":{"routine":null,"wan_kbit_s":[64],"wan_efficiency_min":1,"process_time":"0s",
            "sending_overhead":"10s"},
        "workload":{"packages":[{"package":"P","at":"0s","size_mb":1}]}}"#;
    let out = run_text(text, Policy::legacy());
    let lat = out.metrics.get("package.site_latency_max_s").unwrap();
    let wire = 1024.0 * 1024.0 * 8.0 / 64_000.0;
    let lan = 1024.0 * 1024.0 * 8.0 / 10e6;
    assert!(
        lat >= wire + lan + 10.0 && lat < wire + lan + 12.0,
        "latency {lat}"
    );
}

#[test]
fn unreachable_site_jobs_fail_after_seven_days() {
    let text = r#"{"name":"t","duration_days":8,"topology":{"child_sites":2,"clients_per_cap":1},
        "distribution":{"routine":null,
          "link_outages":[{"site":"A01","from":"0s","duration":"8d"}]},
        "workload":{"packages":[{"package":"P","at":"0s","size_mb":1}]}}"#;
    let out = run_text(text, Policy::legacy());
    let m = &out.metrics;
    assert_eq!(m.get("sched.jobs_failed"), Some(1.0));
    assert_eq!(m.get("sched.jobs_sent"), Some(1.0));
    // Three tries (the first and 2 retries) per submission, one submission
    // about every 55 min + 3.5 min for 7 days.
    let fails = m.get("sender.connect_failures").unwrap();
    assert!((450.0..=540.0).contains(&fails), "{fails}");
    assert_eq!(m.get("package.unreached"), Some(1.0));
}

#[test]
fn same_seed_same_metrics() {
    let a = run_text(&one_dp_down(3, 3), Policy::legacy());
    let b = run_text(&one_dp_down(3, 3), Policy::legacy());
    assert_eq!(a.metrics, b.metrics);
    assert_eq!(a.series, b.series);
}

#[test]
fn busy_distmgr_retries_more_often_than_hourly() {
    // The same 6-hour outage, but a second package (on the central site's
    // healthy DP only) is updated every 20 minutes: each time the thread
    // finishes it, retries older than 15 minutes are run as well.
    let mut others = Vec::new();
    for i in 0..18 {
        others.push(format!(
            r#"{{"package":"Busy","at":"{}m","size_mb":0.1,"central_dps":[1]}}"#,
            10 + 20 * i
        ));
    }
    let text = format!(
        r#"{{"name":"t","duration_days":1,"topology":{{"child_sites":2,"clients_per_cap":1,"dps_per_site":2}},
            "distribution":{{"routine":null,
              "dp_outages":[{{"site":"CEN","dp":0,"from":"0s","duration":"6h"}}]}},
            "workload":{{"packages":[{{"package":"Office","at":"1m","size_mb":1}},{}]}}}}"#,
        others.join(",")
    );
    let quiet = run_text(&one_dp_down(6, 2), Policy::legacy());
    let busy = run_text(&text, Policy::legacy());
    let q = quiet.metrics.get("distmgr.retries").unwrap();
    let b = busy.metrics.get("distmgr.retries").unwrap();
    assert!(b >= 2.0 * q, "busy {b} quiet {q}");
}
