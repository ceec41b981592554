//! The metrics and series the status subsystem writes (`report.rs`): Copy
//! Queue Manager, the CAP inboxes and the advertisements' status (Q323627).
//!
//! "Delivered" means copied into the CAP inbox: Copy Queue Manager's part
//! is done. "Lost" means deleted on the client.

use crate::catalogue::{MetricDef, Unit};

const Q: &str = "Q323627";

/// The status subsystem's metrics, in the order it pushes them.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count(
        "status.generated",
        "Advertisement status messages (10002, 10005, 10008 or 10006) clients handed to Copy Queue Manager",
    )
    .article(Q),
    MetricDef::count(
        "status.delivered",
        "Status messages Copy Queue Manager copied into their CAP's statmsgs.box",
    )
    .article(Q),
    MetricDef::count(
        "status.lost",
        "Status messages deleted on the client: every name of a copy try collided (lost_retries) or the item outlived its lifetime (lost_lifetime)",
    )
    .article(Q)
    .headline("status messages lost to name collisions"),
    MetricDef::count(
        "status.lost_retries",
        "Status messages deleted because every name tried in one copy try already existed in statmsgs.box (\"already exists, set status to Remove\")",
    )
    .article(Q),
    MetricDef::count(
        "status.lost_lifetime",
        "Status messages deleted at a copy cycle because they had waited in the client's queue longer than the item lifetime (11520 min)",
    )
    .article(Q),
    MetricDef::count(
        "status.pending",
        "Status messages still in a client's copy queue at the end of the run, waiting or being copied",
    )
    .article(Q),
    MetricDef::count(
        "status.requeued",
        "Copy tries of a status message that ran out of names and kept it for the next copy cycle (hotfix); one message can count several times",
    )
    .article(Q),
    MetricDef::new(
        "status.lost_pct",
        Unit::Pct,
        "status.lost as a share of status.generated",
    )
    .article(Q),
    MetricDef::new(
        "status.delivery_p95_s",
        Unit::Seconds,
        "95th percentile, over delivered status messages, of the time from submission to the file in statmsgs.box (to the second up to 1 h, the minute above)",
    )
    .article(Q),
    MetricDef::new(
        "status.delivery_p99_s",
        Unit::Seconds,
        "99th percentile, over delivered status messages, of the time from submission to the file in statmsgs.box (to the second up to 1 h, the minute above)",
    )
    .article(Q),
    MetricDef::new(
        "status.delivery_max_s",
        Unit::Seconds,
        "Longest time from submission to statmsgs.box of a delivered status message (to the second up to 1 h, the minute above, at most 20 days 1 h)",
    )
    .article(Q),
    MetricDef::count(
        "ad.clients_targeted",
        "SMS clients in an advertisement's target collection, summed over the advertisements (machines discovered but not installed by the end are offered nothing and not counted)",
    )
    .article(Q),
    MetricDef::count(
        "ad.clients_ran",
        "Targeted SMS clients whose Advertised Programs Monitor picked the advertisement up while on and reported 10002 (a machine installed during the run picks it up from then), summed over the advertisements",
    )
    .article(Q),
    MetricDef::count(
        "ad.clients_missing_status",
        "Targeted clients with a status message of the advertisement not in statmsgs.box at the end, lost or still queued: the console's \"missing status\"",
    )
    .article(Q),
    MetricDef::count(
        "ad.clients_lost_status",
        "Targeted clients with at least one status message of the advertisement deleted on the client",
    )
    .article(Q),
    MetricDef::new(
        "ad.clients_missing_status_pct",
        Unit::Pct,
        "ad.clients_missing_status as a share of ad.clients_targeted",
    )
    .article(Q)
    .headline("clients shown missing status (%)"),
    MetricDef::count(
        "ddr.generated",
        "Discovery data records (at logon and heartbeat) clients handed to Copy Queue Manager for the CAP's ddr.box",
    )
    .article(Q),
    MetricDef::count(
        "ddr.lost",
        "DDRs deleted on the client: every name of a copy try collided in ddr.box, or the item outlived its lifetime",
    )
    .article(Q),
    MetricDef::count(
        "inventory.generated",
        "Hardware inventory files (.MIF) clients handed to Copy Queue Manager for the CAP's inventry.box",
    )
    .article(Q),
    MetricDef::count(
        "inventory.lost",
        "Inventory files deleted on the client: every name of a copy try collided in inventry.box, or the item outlived its lifetime",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.items_generated",
        "Items of every kind (status messages, DDRs, inventory) clients handed to Copy Queue Manager",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.items_delivered",
        "Items of every kind copied into a CAP inbox",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.items_lost",
        "Items of every kind deleted on the client, name retries used up or lifetime exceeded",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.items_pending",
        "Items of every kind still in a client's copy queue at the end of the run",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.copy_attempts",
        "Names Copy Queue Manager tried to create in a CAP inbox, collisions included (attempts finished by the end)",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.collisions",
        "Copy attempts that found their name already in the CAP inbox, items of every kind",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.copy_cycles",
        "Copy Queue Manager copy cycles run on clients: one at every client start, one at each wake-up with an item waiting",
    )
    .article(Q),
    MetricDef::count(
        "cap.inbox_peak",
        "Most files in one CAP inbox folder (statmsgs.box, ddr.box or inventry.box), on any CAP, at any moment",
    )
    .article(Q),
    MetricDef::count(
        "cap.statmsgs_peak",
        "Most files in one CAP's statmsgs.box at any moment",
    )
    .article(Q),
    MetricDef::count("cap.ddr_peak", "Most files in one CAP's ddr.box at any moment").article(Q),
    MetricDef::count(
        "cap.inventory_peak",
        "Most files in one CAP's inventry.box at any moment",
    )
    .article(Q),
    MetricDef::count(
        "ima.files_moved",
        "Files Inbox Manager Assistant moved from the CAP inboxes to the site server, every kind",
    )
    .article(Q),
    // Written only by runs with `status.cap_outages`, so that every other
    // run's metrics stay as they were.
    MetricDef::count(
        "cqmgr.failover_copies",
        "Items copied to a CAP other than the client's own because its own was down: the next available CAP of the site's CAP list (only with status.cap_outages)",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.destination_unavailable",
        "Copy tries that found every CAP of the client's CAP list down: the items wait for the next copy cycle or client start (Q292030; only with status.cap_outages)",
    )
    .article("Q292030"),
];

/// The status subsystem's time series, in the order it adds them at each
/// sample.
pub(crate) const SERIES: &[MetricDef] = &[
    MetricDef::count(
        "cap.statmsgs_files_max",
        "Files in the fullest statmsgs.box of any CAP at the sample time",
    )
    .article(Q),
    MetricDef::count(
        "cap.statmsgs_files_total",
        "Files in every CAP's statmsgs.box together at the sample time",
    )
    .article(Q),
    MetricDef::count(
        "cqmgr.items_queued",
        "Items of every kind in the clients' copy queues, waiting or being copied, at the sample time",
    )
    .article(Q),
];

#[cfg(test)]
mod tests {
    #[test]
    fn status_declares_every_metric_and_series_it_writes() {
        crate::core_metrics::check::metrics("status");
        crate::core_metrics::check::series("status");
    }
}
