//! The metrics and series the CCR subsystem writes (`report.rs`):
//! discovery, Client Configuration Requests, `CcrRetry.box` and Client
//! Configuration Manager (Q242926), and the mixed-release clients of
//! Q252717.
//!
//! `CcrRetry.box` figures are over every site's box together; a CCR that
//! installed stays there until verification.

use crate::catalogue::{MetricDef, Unit};

const Q242926: &str = "Q242926";
const Q252717: &str = "Q252717";

/// The CCR subsystem's metrics, in the order it pushes them.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count(
        "ccr.created",
        "CCRs Discovery Data Manager wrote into a site's ccr.box: one per discovery of a machine in its boundaries that is not its client",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.installed",
        "CCRs deleted after CCM verified the installation (the client service, then the Agent Host)",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.already_client",
        "CCRs deleted because the attempt found the SMS client service already on the machine (Q298433)",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.skipped_newer",
        "CCRs deleted because the site's CCM found client files of a later release on the machine (Q252717 fix)",
    )
    .article(Q252717),
    MetricDef::count(
        "ccr.expired",
        "CCRs deleted after the 7-day retry period, failing or unverified",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.replaced",
        "CCRs deleted because a newer failure of the same machine replaced its COMPUTER.DOMAIN.CCR file (per_system naming)",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.pending",
        "CCRs still queued, being processed or in CcrRetry.box at the end of the run",
    )
    .article(Q242926),
    MetricDef::count(
        "ccrretry.files_peak",
        "Most files in CcrRetry.box, every site's together, at any moment",
    )
    .article(Q242926),
    MetricDef::count(
        "ccrretry.files_end",
        "Files in CcrRetry.box, every site's together, at the end of the run",
    )
    .article(Q242926),
    MetricDef::count(
        "ccrretry.max_per_client",
        "Most files one machine ever had in CcrRetry.box at once, every site's box counted together",
    )
    .article(Q242926)
    .headline("most retry CCRs held for one machine"),
    MetricDef::count(
        "ccrretry.clients_with_duplicates",
        "Machines that at some moment had more than one file in CcrRetry.box, every site's box counted together",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.attempts",
        "Client Configuration Manager processing attempts, first tries from ccr.box and hourly retries from CcrRetry.box, all sites",
    )
    .article(Q242926)
    .headline("Client Configuration Manager install attempts"),
    MetricDef::count(
        "ccm.errors_5",
        "Finished attempts that failed with error 5: the machine refused the SMS service account",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.errors_53",
        "Finished attempts that failed with error 53: the machine was switched off",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.errors_67",
        "Finished attempts that failed with error 67: the machine offers no admin$ share",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.errors_1053",
        "Finished attempts that failed with error 1053: the CcmSetup service did not start after a cross-version install",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.verifications",
        "Verification checks of installed machines, repeated hourly while the machine is off",
    )
    .article(Q242926),
    MetricDef::new(
        "ccm.busy_pct",
        Unit::Pct,
        "Share of the processing threads' time (threads per site × sites × run) spent in finished attempts",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.sam_replications",
        "SAM changes replicated to domain controllers: each attempt's SAM changes × its domain's controllers, failed attempts included",
    )
    .article(Q242926)
    .headline("SAM changes replicated to domain controllers"),
    MetricDef::count(
        "ccm.cross_version_attempts",
        "Attempts in which a site's CCM installed its older release over a machine's later-release client files (counted at connection)",
    )
    .article(Q252717)
    .headline("installs of an older release on newer clients"),
    MetricDef::count(
        "ddm.ddrs_logon",
        "Logon discovery DDRs of machines on the network, one per user logon, before Discovery Data Manager's check",
    )
    .article(Q242926),
    MetricDef::count(
        "ddm.ddrs_network",
        "Network Discovery DDRs: every powered-on machine in a site's boundaries at each of its discovery cycles",
    )
    .article(Q242926),
    MetricDef::count(
        "ddm.ddrs_heartbeat",
        "Heartbeat discovery DDRs of powered-on, stable clients of their assigned site",
    )
    .article(Q242926),
    MetricDef::count(
        "clients.new",
        "Machines that were not SMS clients at the start (drawn as new, whether or not they join before the end)",
    )
    .article(Q242926),
    MetricDef::count(
        "clients.installed",
        "Machines that became SMS clients during the run (first successful install, before verification)",
    )
    .article(Q242926),
    MetricDef::count(
        "clients.unstable",
        "Machines left unstable at the end: an older site's components installed over a later release (never repaired within a run)",
    )
    .article(Q252717)
    .headline("clients left unstable by an older release"),
    MetricDef::new(
        "clients.unstable_hours",
        Unit::Hours,
        "Hours unstable, summed over the unstable machines, from each one's first cross-version install to the end of the run",
    )
    .article(Q252717),
    MetricDef::count(
        "clients.unstable_outside_overlap",
        "Unstable machines whose subnet is in only one site's boundaries (0 unless something besides overlapping boundaries breaks them)",
    )
    .article(Q252717),
    MetricDef::new(
        "install.time_to_install_p95_s",
        Unit::Seconds,
        "95th percentile, over machines installed in the run, of the time from their first CCR (or the end of an access-denied window they were in) to the install",
    )
    .article(Q242926),
];

/// The CCR subsystem's time series, in the order it adds them at each
/// sample.
pub(crate) const SERIES: &[MetricDef] = &[
    MetricDef::count(
        "ccrretry.files",
        "Files in CcrRetry.box, every site's together, at the sample time",
    )
    .article(Q242926),
    MetricDef::count(
        "clients.unstable",
        "Machines made unstable by an older release so far, at the sample time",
    )
    .article(Q252717),
    MetricDef::count(
        "ccm.queue",
        "CCRs waiting for a CCM processing thread at the sample time, all sites (replaced ones included until a thread skips them)",
    )
    .article(Q242926),
    MetricDef::count(
        "ccm.busy_threads",
        "CCM processing threads busy at the sample time, all sites",
    )
    .article(Q242926),
];

#[cfg(test)]
mod tests {
    #[test]
    fn ccr_declares_every_metric_and_series_it_writes() {
        crate::core_metrics::check::metrics("ccr");
        crate::core_metrics::check::series("ccr");
    }
}
