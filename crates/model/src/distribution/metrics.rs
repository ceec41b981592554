//! The metrics and series the distribution subsystem writes (`report.rs`):
//! Distribution Manager, Scheduler's `Schedule.box`, Sender, and how long a
//! package takes to reach the sites (Q319207).
//!
//! `package.site_latency_*` are over the probe updates (every update if the
//! scenario marks none) at every site but the central one; an update a site
//! never processed counts until the end of the run.

use crate::catalogue::{MetricDef, Unit};

const Q: &str = "Q319207";

/// The distribution subsystem's metrics, in the order it pushes them.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count(
        "distmgr.tasks",
        "Distribution Manager tasks finished at every site: new versions, package information received, retries",
    )
    .article(Q),
    MetricDef::count(
        "distmgr.retries",
        "Retry tasks Distribution Manager finished at every site (hourly, or 15 min after the last try when it finishes other work)",
    )
    .article(Q),
    MetricDef::count(
        "distmgr.retrying_packages",
        "Packages still in a site's Retry History at the end of the run, counted once per site",
    )
    .article(Q),
    MetricDef::count(
        "distmgr.msg_2328",
        "Status messages 2328: a copy of a package to a local distribution point failed (one per DP per task)",
    )
    .article(Q),
    MetricDef::count(
        "distmgr.msg_2302",
        "Status messages 2302: a task left at least one local distribution point without the package",
    )
    .article(Q),
    MetricDef::count(
        "distmgr.msg_2339",
        "Status messages 2339: Distribution Manager instructed Scheduler and Sender to send a package to a child site (one per job)",
    )
    .article(Q),
    MetricDef::count(
        "dp.copies",
        "Package versions copied to a distribution point, all sites",
    )
    .article(Q),
    MetricDef::count(
        "sched.jobs_created",
        "Site communication jobs Distribution Manager put in Schedule.box, one per child site per send, all sites",
    )
    .article(Q)
    .headline("site communication jobs created"),
    MetricDef::count(
        "sched.jobs_sent",
        "Jobs Sender delivered to their destination site",
    )
    .article(Q),
    MetricDef::count(
        "sched.jobs_failed",
        "Jobs Scheduler gave up on, once 7 days old",
    )
    .article(Q),
    MetricDef::count(
        "sched.jobs_queued",
        "Jobs still in Schedule.box at the end: waiting, connecting, between Sender retries, transferring or deferred",
    )
    .article(Q),
    MetricDef::count(
        "sched.backlog_peak",
        "Most jobs in one site's Schedule.box (created, not yet sent or failed), on any site, at any moment",
    )
    .article(Q)
    .headline("Schedule.box backlog peak (jobs)"),
    MetricDef::count(
        "sched.backlog_peak_central",
        "Most jobs in the central site's Schedule.box at any moment",
    )
    .article(Q),
    MetricDef::new(
        "sender.bytes",
        Unit::Bytes,
        "Bytes of the jobs Sender delivered: the whole package, or the package information of an info-only resend",
    )
    .article(Q),
    MetricDef::count(
        "sender.connect_failures",
        "Sender connection attempts that found the destination site unreachable",
    )
    .article(Q),
    MetricDef::new(
        "package.site_latency_p95_s",
        Unit::Seconds,
        "95th percentile, over (probe update, non-central site), of the time from the update at the central site to that site's Distribution Manager finishing it",
    )
    .article(Q)
    .headline("unrelated package, p95 time to every site (s)"),
    MetricDef::new(
        "package.site_latency_mean_s",
        Unit::Seconds,
        "Mean, over (probe update, non-central site), of the time from the update at the central site to that site's Distribution Manager finishing it",
    )
    .article(Q),
    MetricDef::new(
        "package.site_latency_max_s",
        Unit::Seconds,
        "Longest time from a probe update at the central site to a non-central site's Distribution Manager finishing it",
    )
    .article(Q),
    MetricDef::count(
        "package.unreached",
        "(Probe update, non-central site) pairs whose Distribution Manager had not processed the update by the end",
    )
    .article(Q),
];

/// The distribution subsystem's time series, in the order it adds them at
/// each sample. `<CODE>` stands for each site that sends to child sites, in
/// site order.
pub(crate) const SERIES: &[MetricDef] = &[
    MetricDef::count(
        "sched.backlog.<CODE>",
        "Jobs in the Schedule.box of site <CODE> (a site with child sites) at the sample time",
    )
    .article(Q),
    MetricDef::count(
        "sched.backlog_total",
        "Jobs in every site's Schedule.box together at the sample time",
    )
    .article(Q),
];

#[cfg(test)]
mod tests {
    #[test]
    fn distribution_declares_every_metric_and_series_it_writes() {
        crate::core_metrics::check::metrics("distribution");
        crate::core_metrics::check::series("distribution");
    }
}
