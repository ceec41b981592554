//! Logon points, `Copylog.tcf` and the mixed installation state (Q264630
//! issue 1, Q249077, Q263345).
//!
//! Every site of a domain keeps the domain's logon points up to date
//! through its Windows NT Logon Server Manager ("LSM is the SMS_Executive
//! thread that is responsible for creating and updating SMS logon points",
//! Q259816). A logon point holds the core client, `Clicore.exe`, of some
//! release, and `Copylog.tcf` names the site behind it: "Each SMSLogon share
//! has a file, Copylog.tcf, that lists each file on the logon point and the
//! site responsible for copying it" (Q263345).
//!
//! - An LSM pass copies the site's `Clicore.exe` only over an older one: a
//!   site of the same release "does not have reason to copy over the
//!   existing core client components, unless [it] is upgraded" (Q263345),
//!   and an SP1 site did not copy its file over an SP2 one (Q264630: it
//!   claims the file "even though it did not copy the file").
//! - An SP1 site without Q249077 then writes itself into `Copylog.tcf`
//!   anyway: the file lists "the site that last checked to see if that file
//!   should be updated" instead of "the site that last updated each logon
//!   point file" (Q249077). SP2 sites, and SP1 sites with the fix, write
//!   only what they copied.
//! - At each logon an SMS client reads `Copylog.tcf`; the bootstrap "uses
//!   that site's configuration information in the core client installation
//!   process" (Q263345). When the entry names one of the client's sites and
//!   the logon point's `Clicore.exe` is of a later release than the client's
//!   base files, the client copies it. If none of its sites' CAPs offers
//!   that release, its components stay older: the **mixed installation
//!   state** ("causes SP1 clients to copy the SP2 Clicore.exe file, which
//!   results in a mixed installation state", Q264630).
//! - A mixed client is repaired at a logon once one of its sites offers its
//!   base release, unless its user is not a local administrator (Q264630:
//!   upgrading the sites "repairs and upgrades the clients when they are in
//!   the mixed mode, except in some cases where the user who is logged on is
//!   not a local Administrator"); the others stay orphaned.

use super::files::build_text;
use super::streams;
use super::{Ccr, Event, F_MIXED, F_REPAIR_FAILED};
use crate::hierarchy::{ClientId, SiteId};
use crate::record::sms_log_line;
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_scenario::policy::CopylogEntry;
use smssim_scenario::{Defect, Scenario, SiteVersion};

/// Windows NT Logon Server Manager's component name in its log.
const LSM: &str = "SMS_NT_LOGON_SERVER_MANAGER";

/// The logon points of one domain: the release of the `Clicore.exe` they
/// hold and the site `Copylog.tcf` names for it
/// (`X86.BIN\CLICORE.EXE=<site>`, Q264630).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LogonPoint {
    /// Release of the core client on the logon points.
    pub clicore: SiteVersion,
    /// The site `Copylog.tcf` names as its supplier.
    pub entry: SiteId,
}

/// Whether two sites can ever run different releases in a scenario: sites
/// that start at different releases, or any upgrade. Without that, every
/// site finds its own release on the logon points, nothing is copied and
/// no client ever meets a later `Clicore.exe`, so the logon points are not
/// simulated at all (the event sequence of such runs stays as it was).
pub(super) fn releases_can_differ(s: &Scenario, versions: &[SiteVersion]) -> bool {
    let t = &s.spec.topology;
    !t.upgrades.is_empty() || t.rollout.is_some() || versions.windows(2).any(|w| w[0] != w[1])
}

/// The logon points of each domain at the start: the newest release among
/// the domain's sites, listed under the first site of that release
/// (**assumed**: the sites' last passes before the run left them so).
pub(super) fn initial(domains: usize, sites: &[(u16, SiteVersion)]) -> Vec<Option<LogonPoint>> {
    let mut out: Vec<Option<LogonPoint>> = vec![None; domains];
    for (s, &(d, v)) in sites.iter().enumerate() {
        let lp = &mut out[d as usize];
        match lp {
            Some(p) if p.clicore >= v => {}
            _ => {
                *lp = Some(LogonPoint {
                    clicore: v,
                    entry: s as SiteId,
                })
            }
        }
    }
    out
}

/// What an LSM pass did to its domain's logon points.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Pass {
    /// Copied the site's newer `Clicore.exe` and named the site.
    Copied,
    /// Named the site for a later-release `Clicore.exe` it did not copy
    /// (Q249077's defect).
    ClaimedNewer,
    /// Named the site for a `Clicore.exe` of its own release it did not
    /// copy (Q249077's defect, harmless: no client copies it).
    ClaimedSame,
    /// Left the logon points as they were.
    Unchanged,
}

/// One LSM pass of a site of release `v` over logon points `lp`, with the
/// site's `Copylog.tcf` behaviour `entry`.
pub(super) fn lsm_pass(
    lp: &mut LogonPoint,
    s: SiteId,
    v: SiteVersion,
    entry: CopylogEntry,
) -> Pass {
    if lp.clicore < v {
        lp.clicore = v;
        lp.entry = s;
        return Pass::Copied;
    }
    // SP2 includes Q249077's fix.
    let claims = entry == CopylogEntry::LastChecked && v < SiteVersion::Sp2;
    if !claims || lp.entry == s {
        return Pass::Unchanged;
    }
    lp.entry = s;
    if lp.clicore > v {
        Pass::ClaimedNewer
    } else {
        Pass::ClaimedSame
    }
}

impl Ccr {
    /// A site's Windows NT Logon Server Manager updates its domain's logon
    /// points.
    pub(super) fn logon_point_update(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        let d = h.sites[s as usize].domain as usize;
        let v = cx.world.site_version[s as usize];
        let Some(lp) = self.logon_points.get_mut(d).and_then(Option::as_mut) else {
            return;
        };
        let before = *lp;
        // Q249077: the site's Logon Server Manager as it is now decides.
        let entry = if cx.world.fixes.site_has(s, Defect::Q249077, cx.now()) {
            self.fixed.logon_copylog
        } else {
            self.copylog
        };
        let pass = lsm_pass(lp, s, v, entry);
        self.n.lsm_passes += 1;
        match pass {
            Pass::Copied => self.n.lsm_copies += 1,
            Pass::ClaimedNewer => self.n.lsm_claims_newer += 1,
            Pass::ClaimedSame | Pass::Unchanged => {}
        }
        if cx.trace.site(s) {
            let code = &h.sites[s as usize].code;
            let dom = &h.domains[d].name;
            let text = match pass {
                Pass::Copied => format!(
                    "Copied X86.BIN\\CLICORE.EXE ({}) to the logon points of domain {dom}; Copylog.tcf: X86.BIN\\CLICORE.EXE={code}",
                    build_text(v.build())
                ),
                Pass::ClaimedNewer | Pass::ClaimedSame => format!(
                    "Checked X86.BIN\\CLICORE.EXE ({}) on the logon points of domain {dom}: not copied; Copylog.tcf: X86.BIN\\CLICORE.EXE={code} (was {})",
                    build_text(before.clicore.build()),
                    h.sites[before.entry as usize].code
                ),
                Pass::Unchanged => format!(
                    "Checked X86.BIN\\CLICORE.EXE ({}) on the logon points of domain {dom}: not copied; Copylog.tcf unchanged (X86.BIN\\CLICORE.EXE={})",
                    build_text(before.clicore.build()),
                    h.sites[before.entry as usize].code
                ),
            };
            let line = sms_log_line(cx.env.calendar(), cx.now(), LSM, 0x1A0, &text);
            cx.trace.line(format!("sites/{code}/Nt_logon.log"), line);
        }
    }

    /// The periodic LSM pass of site `s`: update, then the next pass.
    pub(super) fn logon_point_cycle(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        self.logon_point_update(s, cx);
        let every = self.spec.logon_points.update_every.millis();
        cx.after(every, Event::LogonPointUpdate(s));
    }

    /// The newest release among the CAPs of the sites machine `c` is a
    /// client of.
    fn best_site_release(&self, c: ClientId, cx: &Ctx<'_, '_>) -> Option<SiteVersion> {
        let h = cx.env.hierarchy;
        super::boundary_sites(h, c)
            .filter(|&s| self.is_member(h, c, s))
            .map(|s| cx.world.site_version[s as usize])
            .max()
    }

    /// Whether machine `c`'s user is a local administrator (drawn once per
    /// machine).
    fn local_admin(&self, c: ClientId, cx: &Ctx<'_, '_>) -> bool {
        cx.env
            .streams
            .open(streams::CCR_USER, u64::from(c), 0)
            .random_bool(self.spec.logon_points.local_admin_share.get())
    }

    /// An SMS client's bootstrap at a user logon: `Copylog.tcf`, the core
    /// client copy, and the repair of a mixed client.
    pub(super) fn logon_bootstrap(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        let i = c as usize;
        let Some(base) = self.comp[i] else {
            return;
        };
        let h = cx.env.hierarchy;
        let d = h.sites[h.clients.site[i] as usize].domain as usize;
        let Some(lp) = self.logon_points.get(d).copied().flatten() else {
            return;
        };
        let Some(offered) = self.best_site_release(c, cx) else {
            return;
        };
        let now = cx.now();
        let mut log: Vec<(&str, String)> = Vec::new();
        let traced = cx.trace.client(c);
        if self.flags[i] & F_MIXED != 0 {
            if offered < base {
                return;
            }
            if self.local_admin(c, cx) {
                self.flags[i] &= !F_MIXED;
                self.close_mixed(c, now);
                self.n.repaired += 1;
                if traced {
                    log.push((
                        "CCIM32",
                        format!(
                            "A site CAP offers release {} of every component: upgrading the client's components",
                            build_text(offered.build())
                        ),
                    ));
                }
            } else {
                self.flags[i] |= F_REPAIR_FAILED;
            }
            if self.flags[i] & F_MIXED != 0 && traced {
                log.push((
                    "Boot32wn",
                    "ERROR: Unable to open the service control manager to install the SMS Client Service and CCIM. Win32 Error: 5".into(),
                ));
            }
        } else if self.is_member(h, c, lp.entry) && lp.clicore > base {
            self.comp[i] = Some(lp.clicore);
            self.n.clicore_copies += 1;
            if traced {
                log.push((
                    "Boot32wn",
                    format!(
                        "Copylog.tcf names site {} for X86.BIN\\CLICORE.EXE: copying Clicore.exe ({})",
                        h.sites[lp.entry as usize].code,
                        build_text(lp.clicore.build())
                    ),
                ));
            }
            if offered < lp.clicore {
                self.flags[i] |= F_MIXED;
                self.n.mixed_ever += 1;
                self.mixed.push((c, now));
                if self.first_mixed.len() < 5 {
                    self.first_mixed.push(c);
                }
                if traced {
                    log.push((
                        "Clicore",
                        format!(
                            "Base client files are version {}",
                            build_text(lp.clicore.build())
                        ),
                    ));
                    log.push((
                        "Clicore",
                        format!("Current clibase version is {}", build_text(base.build())),
                    ));
                    log.push((
                        "CCIM32",
                        format!(
                            "Warning: The CAP base release is {} (client release is {})",
                            build_text(offered.build()),
                            build_text(lp.clicore.build())
                        ),
                    ));
                    log.push((
                        "CCIM32",
                        "Components are in a \"Repair Pending\" state".into(),
                    ));
                }
            }
        }
        if traced {
            let name = h.client_name(c);
            for (component, text) in log {
                let file = match component {
                    "Boot32wn" => "Wn_logon.log",
                    "Clicore" => "Clicore.log",
                    _ => "Ccim32.log",
                };
                let line = sms_log_line(cx.env.calendar(), now, component, 0x1B0, &text);
                cx.trace.line(format!("clients/{name}/{file}"), line);
            }
        }
    }

    /// Machine `c` leaves the mixed state at `now`: its time in it is
    /// added up.
    fn close_mixed(&mut self, c: ClientId, now: u64) {
        if let Some(k) = self.mixed.iter().position(|&(x, _)| x == c) {
            let (_, since) = self.mixed.swap_remove(k);
            self.mixed_closed_ms += now - since;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lp(clicore: SiteVersion, entry: SiteId) -> LogonPoint {
        LogonPoint { clicore, entry }
    }

    #[test]
    fn an_unfixed_sp1_site_claims_the_sp2_clicore_it_did_not_copy() {
        use CopylogEntry::{LastChecked, LastUpdated};
        use SiteVersion::{Sp1, Sp2};
        // The SP2 site copies its newer file and names itself.
        let mut p = lp(Sp1, 1);
        assert_eq!(lsm_pass(&mut p, 0, Sp2, LastChecked), Pass::Copied);
        assert_eq!(p, lp(Sp2, 0));
        // The SP1 site does not copy over it but names itself (Q249077).
        assert_eq!(lsm_pass(&mut p, 1, Sp1, LastChecked), Pass::ClaimedNewer);
        assert_eq!(p, lp(Sp2, 1));
        // The SP2 site does not take it back: it has no file to copy.
        assert_eq!(lsm_pass(&mut p, 0, Sp2, LastChecked), Pass::Unchanged);
        assert_eq!(p, lp(Sp2, 1));
        // With the fix the SP1 site leaves the entry alone.
        let mut p = lp(Sp2, 0);
        assert_eq!(lsm_pass(&mut p, 1, Sp1, LastUpdated), Pass::Unchanged);
        assert_eq!(p, lp(Sp2, 0));
        // Two SP1 sites: an unfixed one claims the other's file.
        let mut p = lp(Sp1, 0);
        assert_eq!(lsm_pass(&mut p, 1, Sp1, LastChecked), Pass::ClaimedSame);
        assert_eq!(lsm_pass(&mut p, 1, Sp1, LastChecked), Pass::Unchanged);
    }

    #[test]
    fn logon_points_start_with_the_domains_newest_release() {
        use SiteVersion::{Sp1, Sp2};
        let sites = [(0, Sp1), (1, Sp1), (0, Sp2), (0, Sp2)];
        let lps = initial(3, &sites);
        assert_eq!(lps[0], Some(lp(Sp2, 2)));
        assert_eq!(lps[1], Some(lp(Sp1, 1)));
        assert_eq!(lps[2], None);
    }
}
