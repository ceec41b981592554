//! Scenario section for discovery, Client Configuration Requests, Client
//! Configuration Manager and logon points (Q242926, Q252717, Q229769,
//! Q262298, Q264630, Q249077, "The CCR Request Process").

use crate::issues::{issue, Issues, Section, ValidationContext};
use crate::values::{Positive, Probability, Span};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Most access-denied windows a scenario may list (each client keeps one bit
/// per window).
pub const MAX_DENY_WINDOWS: usize = 8;

/// Discovery, CCM and fault parameters.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct CcrSpec {
    /// Windows NT Remote Client Installation is enabled at every site; without
    /// it Discovery Data Manager writes no CCR (Q229769). Default true.
    pub remote_install: bool,
    /// Machines that are not yet SMS clients.
    pub new_machines: NewMachines,
    /// Discovery methods that produce discovery data records (DDRs).
    pub discovery: Discovery,
    /// Client Configuration Manager.
    pub ccm: Ccm,
    /// Logon points, their `Copylog.tcf`, and what clients do with them at
    /// logon (Q264630, Q249077, Q263345). Logon points exist when logon
    /// discovery is on.
    pub logon_points: LogonPoints,
    /// Faults that make installation attempts fail.
    pub faults: Faults,
}

impl Default for CcrSpec {
    fn default() -> Self {
        CcrSpec {
            remote_install: true,
            new_machines: NewMachines::default(),
            discovery: Discovery::default(),
            ccm: Ccm::default(),
            logon_points: LogonPoints::default(),
            faults: Faults::default(),
        }
    }
}

/// Machines that join the network during the run without the SMS client.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct NewMachines {
    /// Share of all machines that are not SMS clients at the start; the others
    /// are clients of every site whose boundaries hold them, with their
    /// assigned site's components. Default 0.02 (**assumed**).
    pub share: Probability,
    /// New machines join the network at a uniformly drawn time in
    /// `[0, arrive_over)`; `0s` puts them all on the network at the start.
    /// Default `7d` (**assumed**: a steady trickle of new machines).
    pub arrive_over: Span,
}

impl Default for NewMachines {
    fn default() -> Self {
        NewMachines {
            share: Probability::new_const(0.02),
            arrive_over: Span::days(7),
        }
    }
}

/// Discovery methods (Q229769: logon discovery, network discovery; Q257799:
/// heartbeat).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Discovery {
    /// Windows Networking Logon Discovery: a DDR at each user logon, seen by
    /// every site whose boundaries hold the client. Default true.
    pub logon: bool,
    /// Network Discovery: each site discovers the powered-on machines in its
    /// boundaries every this often; absent: off. Default off (**assumed**:
    /// scheduled by the administrator).
    pub network_every: Option<Span>,
    /// First Network Discovery cycle. Default `1h` (**assumed**).
    pub network_first: Span,
    /// Heartbeat Discovery interval of installed clients (Q257799: 7 days).
    /// Heartbeat DDRs come from clients, so they never cause a CCR; they are
    /// counted as Discovery Data Manager load.
    pub heartbeat_every: Span,
    /// Shortest time from discovery to the DDR being processed by Discovery
    /// Data Manager (the DDR travels through a CAP and Inbox Manager
    /// Assistant). Default `2m` (**assumed**).
    pub ddr_delay_min: Span,
    /// Longest such time. Default `10m` (**assumed**).
    pub ddr_delay_max: Span,
}

impl Default for Discovery {
    fn default() -> Self {
        Discovery {
            logon: true,
            network_every: None,
            network_first: Span::hours(1),
            heartbeat_every: Span::days(7),
            ddr_delay_min: Span::mins(2),
            ddr_delay_max: Span::mins(10),
        }
    }
}

/// Client Configuration Manager.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Ccm {
    /// CCR processing threads per site (Q871161: 10).
    pub threads: Positive,
    /// Interval between two attempts of a CCR in `CcrRetry.box` ("The CCR
    /// Request Process", Q264630: every 60 minutes).
    pub retry_interval: Span,
    /// How long a failing CCR is retried before it is deleted ("The CCR
    /// Request Process", Q264630: 7 days, i.e. 168 retries at the default
    /// interval).
    pub retry_period: Span,
    /// Delay from a successful attempt to the verification of the SMS
    /// Client Service ("The CCR Request Process" verifies the install from
    /// `CcrRetry.box`). Default `60m` (**assumed**: the next pass over
    /// `CcrRetry.box`).
    pub verify_after: Span,
    /// SAM changes one processing attempt makes, each replicated to every
    /// domain controller of the client's domain (Q242926). Default 1
    /// (**assumed**).
    pub sam_changes_per_attempt: u32,
    /// Time to connect to `admin$` (and to read the registry, connect to
    /// `IPC$`, each drawn alike), shortest. Default `200ms` (**assumed**).
    pub connect_min: Span,
    /// Longest such time. Default `2s` (**assumed**).
    pub connect_max: Span,
    /// Time to copy `Ccmbtldr.exe`, the client bootstrap, from the site
    /// server's `SMS\bin\i386` folder (Q252717 lists it there), shortest.
    /// Default `3s` (**assumed**, LAN).
    pub copy_min: Span,
    /// Longest such time. Default `30s` (**assumed**).
    pub copy_max: Span,
    /// Time for the bootstrap, started as a service on the machine, to
    /// install the SMS Client Service and report back. Default `5s`
    /// (**assumed**).
    pub service_check: Span,
    /// Time before a connection to a powered-off machine fails with error 53.
    /// Default `20s` (**assumed**: an SMB connection timeout).
    pub offline_timeout: Span,
    /// Time CCM spends "trying all accounts in turn" before giving up on a
    /// machine that refuses them (error 5) or has no `admin$` share (error
    /// 67). Q262298's log shows 6 s. Default `6s`.
    pub refused_after: Span,
}

impl Default for Ccm {
    fn default() -> Self {
        Ccm {
            threads: Positive::new_const(10),
            retry_interval: Span::mins(60),
            retry_period: Span::days(7),
            verify_after: Span::mins(60),
            sam_changes_per_attempt: 1,
            connect_min: Span::ms(200),
            connect_max: Span::secs(2),
            copy_min: Span::secs(3),
            copy_max: Span::secs(30),
            service_check: Span::secs(5),
            offline_timeout: Span::secs(20),
            refused_after: Span::secs(6),
        }
    }
}

/// Logon points (the `SMSLOGON` share of a domain's controllers), which
/// every site of the domain keeps up to date through its Windows NT Logon
/// Server Manager (Q259816, Q264630).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct LogonPoints {
    /// Interval between two passes of a site's Windows NT Logon Server
    /// Manager over its domain's logon points; the first pass falls at a
    /// drawn time within the first interval, and a site also updates them
    /// when it is upgraded (Q263345). Default `24h` (**assumed**: the
    /// articles give no interval).
    pub update_every: Span,
    /// Share of machines whose user is a local administrator: a client in
    /// the mixed installation state is repaired at a logon only then
    /// (Q264630: upgrading the sites repairs mixed clients "except in some
    /// cases where the user who is logged on is not a local Administrator").
    /// Drawn per machine. Default 0.8 (**assumed**).
    pub local_admin_share: Probability,
}

impl Default for LogonPoints {
    fn default() -> Self {
        LogonPoints {
            update_every: Span::hours(24),
            local_admin_share: Probability::new_const(0.8),
        }
    }
}

/// Faults that make installation attempts fail.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(default, deny_unknown_fields)]
pub struct Faults {
    /// Windows where a share of machines refuse CCM's service account
    /// (error 5, e.g. a domain policy fixed after two days). Default none.
    pub access_denied: Vec<AccessDenied>,
    /// Share of new machines that never offer an `admin$` share (error 67,
    /// e.g. the SAMBA servers of Q262298). Default 0.
    pub no_admin_share: Probability,
}

/// A window during which a share of machines refuse CCM's account.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AccessDenied {
    /// Share of machines affected (drawn per machine).
    pub share: Probability,
    /// Start of the window. Default `0s`.
    #[serde(default)]
    pub from: Span,
    /// End of the window (the fault is fixed).
    pub until: Span,
    /// Only machines assigned to this site; absent: every site.
    #[serde(default)]
    pub site: Option<String>,
}

impl Section for CcrSpec {
    type Workload = ();

    /// Checks what types cannot: references and orderings.
    fn validate(&self, _: &(), cx: &ValidationContext, out: &mut Issues) {
        let d = &self.discovery;
        if d.ddr_delay_min > d.ddr_delay_max {
            issue(
                out,
                "ccr.discovery.ddr_delay_max",
                format!(
                    "{} is shorter than ddr_delay_min ({})",
                    d.ddr_delay_max, d.ddr_delay_min
                ),
            );
        }
        if d.network_every.is_some_and(|e| e.millis() < 60_000) {
            issue(
                out,
                "ccr.discovery.network_every",
                "expected at least 1m (or leave it out to switch Network Discovery off)",
            );
        }
        if d.heartbeat_every.millis() < 60_000 {
            issue(out, "ccr.discovery.heartbeat_every", "expected at least 1m");
        }
        if self.logon_points.update_every.millis() < 60_000 {
            issue(out, "ccr.logon_points.update_every", "expected at least 1m");
        }
        let c = &self.ccm;
        if c.threads.get() > 64 {
            issue(out, "ccr.ccm.threads", "at most 64 threads are supported");
        }
        if c.retry_interval.millis() == 0 {
            issue(
                out,
                "ccr.ccm.retry_interval",
                "expected a positive interval",
            );
        }
        if c.connect_min > c.connect_max {
            issue(
                out,
                "ccr.ccm.connect_max",
                "shorter than connect_min: expected connect_min <= connect_max",
            );
        }
        if c.copy_min > c.copy_max {
            issue(
                out,
                "ccr.ccm.copy_max",
                "shorter than copy_min: expected copy_min <= copy_max",
            );
        }
        let f = &self.faults;
        if f.access_denied.len() > MAX_DENY_WINDOWS {
            issue(
                out,
                "ccr.faults.access_denied",
                format!(
                    "{} windows: at most {MAX_DENY_WINDOWS} are supported",
                    f.access_denied.len()
                ),
            );
        }
        for (i, w) in f.access_denied.iter().enumerate() {
            let p = format!("ccr.faults.access_denied.{i}");
            if w.until <= w.from {
                issue(
                    out,
                    format!("{p}.until"),
                    format!("{} is not after from ({})", w.until, w.from),
                );
            }
            cx.within_run(w.from, &format!("{p}.from"), out);
            if let Some(s) = &w.site {
                if !cx.has_site(s) {
                    issue(out, format!("{p}.site"), format!("no site has code {s:?}"));
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::load_str;

    #[test]
    fn defaults_load_and_bad_windows_name_their_field() {
        let ok = load_str(r#"{"name":"t","duration_days":1}"#, "t", &[]).unwrap();
        assert_eq!(ok.spec.ccr.ccm.threads.get(), 10);
        assert_eq!(ok.spec.ccr.ccm.retry_interval.millis(), 3_600_000);
        let bad = r#"{"name":"t","duration_days":1,"ccr":{"faults":{"access_denied":[
            {"share":0.1,"from":"2d","until":"1d","site":"XYZ"}]}}}"#;
        let err = load_str(bad, "t", &[]).unwrap_err().to_string();
        assert!(err.contains("ccr.faults.access_denied.0.until"), "{err}");
        assert!(err.contains("ccr.faults.access_denied.0.site"), "{err}");
        assert!(err.contains("ccr.faults.access_denied.0.from"), "{err}");
        let lsm = r#"{"name":"t","duration_days":1,"ccr":{"logon_points":{"update_every":"30s"}}}"#;
        let err = load_str(lsm, "t", &[]).unwrap_err().to_string();
        assert!(err.contains("ccr.logon_points.update_every"), "{err}");
        let share = r#"{"name":"t","ccr":{"logon_points":{"local_admin_share":1.5}}}"#;
        let err = load_str(share, "t", &[]).unwrap_err().to_string();
        assert!(err.contains("ccr.logon_points.local_admin_share"), "{err}");
        let unknown = r#"{"name":"t","ccr":{"ccm":{"thread":3}}}"#;
        let err = load_str(unknown, "t", &[]).unwrap_err().to_string();
        assert!(err.contains("ccr.ccm.thread"), "{err}");
    }
}
