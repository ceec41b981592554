//! The metrics and series the CCR subsystem writes (`report.rs`):
//! discovery, Client Configuration Requests, `CcrRetry.box` and Client
//! Configuration Manager (Q242926), SP1 CCM attempts on SP2 clients
//! (Q252717), and logon points and the mixed installation state (Q249077,
//! Q264630).
//!
//! `CcrRetry.box` figures are over every site's box together; a CCR that
//! installed stays there until verification.

use crate::catalogue::{MetricDef, Unit};

const Q242926: &str = "Q242926";
const Q252717: &str = "Q252717";
const Q249077: &str = "Q249077";

/// The CCR subsystem's metrics, in the order it pushes them.
pub(crate) const METRICS: &[MetricDef] = &[
    MetricDef::count(
        "ccr.created",
        "CCRs Discovery Data Manager wrote into a site's ccr.box: one per discovery of a machine in its boundaries that is not its client",
    )
    .article(Q242926),
    MetricDef::count(
        "ccr.installed",
        "CCRs deleted after CCM verified the installation (the SMS Client Service)",
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
        "Finished cross-version attempts: the bootstrap (Ccmbtldr.exe) of an SP1 site could not install its components on a machine with SP2 files (Q264630); error code 1053 assumed",
    )
    .article(Q252717),
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
        "Attempts of an SP1 site's CCM, without the Q252717 fix, to install its remaining components and client agents on a machine with SP2 files: each fails and leaves the CCR to be retried hourly for 7 days (Q264630); the machine's files are untouched (counted at connection)",
    )
    .article(Q252717)
    .headline("failed installs of an older release on newer clients"),
    MetricDef::count(
        "ccm.cross_version_clients",
        "Machines with at least one cross-version attempt",
    )
    .article(Q252717),
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
        "lsm.passes",
        "Passes of the sites' Windows NT Logon Server Manager over their domain's logon points (periodic, and at each site upgrade); 0 when every site runs one release throughout",
    )
    .article(Q249077),
    MetricDef::count(
        "lsm.clicore_copies",
        "Passes that copied the site's Clicore.exe over an older one on the logon points and named the site in Copylog.tcf",
    )
    .article(Q249077),
    MetricDef::count(
        "lsm.copylog_claims_newer",
        "Passes of an SP1 site without the Q249077 fix that named itself in Copylog.tcf for a later-release Clicore.exe it did not copy",
    )
    .article(Q249077),
    MetricDef::count(
        "logon.clicore_copies",
        "Logons at which an SMS client copied the logon point's Clicore.exe: Copylog.tcf named one of its sites and the file was of a later release than its base files",
    )
    .article(Q249077),
    MetricDef::count(
        "clients.mixed_ever",
        "Clients that entered the mixed installation state: they copied a logon point's Clicore.exe of a later release than any of their sites' CAPs offers (Q264630)",
    )
    .article(Q249077),
    MetricDef::count(
        "clients.mixed",
        "Clients in the mixed installation state at the end (components \"Repair Pending\", agents not launching, Q264630): not yet repaired, or orphaned because their user is not a local administrator",
    )
    .article(Q249077)
    .headline("clients left in the mixed installation state"),
    MetricDef::new(
        "clients.mixed_hours",
        Unit::Hours,
        "Hours in the mixed installation state, summed over clients, from the Clicore.exe copy to the repair or the end of the run",
    )
    .article(Q249077),
    MetricDef::count(
        "clients.repaired",
        "Mixed clients repaired at a logon once one of their sites offered their base release and their user was a local administrator (Q264630)",
    )
    .article(Q249077),
    MetricDef::count(
        "clients.orphaned",
        "Clients still mixed at the end whose repair already failed at a logon (a site of theirs offered their base release, but their user is not a local administrator; Q264630: \"Orphaned clients that do not recover from mixed installation\")",
    )
    .article(Q249077),
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
        "clients.mixed",
        "Clients in the mixed installation state at the sample time",
    )
    .article(Q249077),
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
