//! Client Configuration Manager (seed "The CCR Request Process", Q262298,
//! Q264630, Q252717, Q298433).
//!
//! Each site's CCM takes CCRs from its queue (`ccr.box`, then due retries
//! from `CcrRetry.box`) onto up to `threads` processing threads. An attempt
//! connects to `\\machine\admin$` (error 53 if the machine is off, 67 if it
//! has no `admin$` share, 5 if it refuses CCM's account), reads the
//! registry (an SMS client service already there stops the attempt,
//! Q298433; files of a later release are skipped by an SP1 site's CCM only
//! with the Q252717 fix), connects to `IPC$`, copies the client bootstrap
//! `Ccmbtldr.exe` from the site server's `SMS\bin\i386` folder (Q252717's
//! file list), starts it as a service on the machine, and checks that it
//! installed the SMS Client Service (Q264630 names the service and its
//! logs). An SP1 site's bootstrap on a machine with SP2 files cannot
//! install its components there (Q264630: "SP1 sites are unable to install
//! SP1 components onto SP2 clients"): the attempt fails and the CCR is
//! retried hourly for 7 days, and the machine's files are left as they
//! were (Q264630: "Not applying the update does not cause clients to get
//! into a mixed installation state"). The outcome is decided when the
//! thread connects; the thread stays busy for the steps' durations.

use super::files::{self, build_text, failure_lines, LogLines};
use super::store::{CcrId, Outcome, State, ERROR_SERVICE_DID_NOT_START};
use super::streams;
use super::{site_bit, Ccr, Event, F_CROSSED, F_NO_ADMIN};
use crate::hierarchy::SiteId;
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_scenario::policy::{CcmVersionCheck, CcrRetryNaming};

impl Ccr {
    /// Starts attempts on free threads of site `s` while CCRs wait.
    pub(super) fn dispatch(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let threads = self.spec.ccm.threads.get();
        loop {
            let site = &mut self.sites[s as usize];
            if site.busy.count_ones() >= threads {
                return;
            }
            let Some(id) = site.queue.pop_front() else {
                return;
            };
            if self.store.ccrs[id as usize].state == State::Queued {
                self.start_attempt(id, cx);
            }
        }
    }

    /// A free thread of the CCR's site starts an attempt.
    fn start_attempt(&mut self, id: CcrId, cx: &mut Ctx<'_, '_>) {
        let env = cx.env;
        let h = env.hierarchy;
        let now = cx.now();
        let (c, s) = {
            let r = &self.store.ccrs[id as usize];
            (r.client, r.site)
        };
        let i = c as usize;
        let site = &mut self.sites[s as usize];
        let slot = (!site.busy).trailing_zeros() as u8;
        site.busy |= 1 << slot;

        let site_version = cx.world.site_version[s as usize];
        let outcome = if !cx.world.powered(i as crate::hierarchy::ClientId) {
            Outcome::Failed(53)
        } else if self.flags[i] & F_NO_ADMIN != 0 {
            Outcome::Failed(67)
        } else if self.denied(env, c, now) {
            Outcome::Failed(5)
        } else {
            match self.comp[i] {
                None => Outcome::Installed,
                Some(v) if v > site_version => match self.version_check_at(s, cx) {
                    CcmVersionCheck::SkipNewer => Outcome::SkippedNewer,
                    CcmVersionCheck::None => Outcome::CrossVersion,
                },
                Some(_) => Outcome::AlreadyClient,
            }
        };

        // Step durations, drawn from the machine's own stream.
        let m = &self.spec.ccm;
        let k = &mut self.attempt_n[i];
        let mut rng = env
            .streams
            .open(streams::CCR_ATTEMPT, u64::from(c), u64::from(*k));
        *k += 1;
        let (lo, hi) = (m.connect_min.millis(), m.connect_max.millis());
        let mut connect = || rng.random_range(lo..=hi);
        let dur = match outcome {
            Outcome::Failed(53) => m.offline_timeout.millis(),
            Outcome::Failed(_) => m.refused_after.millis(),
            Outcome::AlreadyClient | Outcome::SkippedNewer => connect() + connect(),
            Outcome::Installed | Outcome::CrossVersion => {
                let steps = connect() + connect() + connect();
                let copy = rng.random_range(m.copy_min.millis()..=m.copy_max.millis());
                steps + copy + m.service_check.millis()
            }
        };

        self.n.attempts += 1;
        let dcs = u64::from(h.client_domain(c).controllers);
        self.n.sam_replications += u64::from(m.sam_changes_per_attempt) * dcs;
        if outcome == Outcome::CrossVersion {
            self.n.cross_version += 1;
            if self.flags[i] & F_CROSSED == 0 {
                self.flags[i] |= F_CROSSED;
                self.n.cross_version_clients += 1;
                if self.first_crossed.len() < 5 {
                    self.first_crossed.push(c);
                }
            }
        }
        let r = &mut self.store.ccrs[id as usize];
        r.state = State::Processing;
        r.thread = slot;
        r.outcome = outcome;
        r.attempts += 1;
        r.last_attempt = now;
        cx.after(dur.max(1), Event::AttemptDone(id));

        if cx.trace.client(c) {
            let label = self.label(id, cx);
            let m = h.client_name(c);
            let mut log = LogLines::new(env.calendar(), now, files::MAIN_THREAD);
            log.add(format!(
                "Stored request \"{label}\", machine name \"{m}\", in queue \"Processing\"."
            ));
            let mut t = LogLines::new(env.calendar(), now, files::thread_id(slot));
            t.add(format!(
                "======>Begin Processing request: \"{label}\", machine name: \"{m}\""
            ));
            t.add("---> Trying all accounts in turn");
            t.add(format!(
                "---> Attempting to connect to administrative share '\\\\{m}\\admin$' using account '{}\\SMSService'",
                h.client_domain(c).name
            ));
            log.lines.extend(t.lines);
            Self::log(cx, s, log.lines);
        }
    }

    /// The name CCM logs a request under: its file name in `CcrRetry.box`
    /// under `per_system`, else its random name.
    pub(super) fn label(&self, id: CcrId, cx: &Ctx<'_, '_>) -> String {
        let r = &self.store.ccrs[id as usize];
        if r.in_box {
            files::box_name(r, cx.env.hierarchy, self.store.naming_of(id))
        } else {
            r.random_name().to_string()
        }
    }

    /// A thread finishes an attempt.
    pub(super) fn attempt_done(&mut self, id: CcrId, cx: &mut Ctx<'_, '_>) {
        let env = cx.env;
        let h = env.hierarchy;
        let now = cx.now();
        let (c, s, slot, mut outcome, gone, started) = {
            let r = &self.store.ccrs[id as usize];
            (
                r.client,
                r.site,
                r.thread,
                r.outcome,
                r.state == State::Gone,
                r.last_attempt,
            )
        };
        let i = c as usize;
        let site = &mut self.sites[s as usize];
        site.busy &= !(1u64 << slot);
        site.busy_ms += now - started;

        // What the attempt did to the machine happens even if the CCR was
        // replaced meanwhile.
        let version = cx.world.site_version[s as usize];
        match outcome {
            Outcome::Installed if self.comp[i].is_some() => {
                // Another site's (or request's) install got there first:
                // the bootstrap finds the SMS Client Service and stops
                // (Q298433).
                outcome = Outcome::AlreadyClient;
            }
            Outcome::Installed => {
                self.comp[i] = Some(version);
                if let Some(b) = site_bit(h, c, s) {
                    self.member[i] |= b;
                }
                if self.installed_s[i] == u32::MAX {
                    self.installed_s[i] = (now / 1000) as u32;
                    self.n.installs += 1;
                }
            }
            _ => {}
        }
        let traced = cx.trace.client(c);
        let mut log = LogLines::new(env.calendar(), now, files::thread_id(slot));
        let m = h.client_name(c);
        let label = self.label(id, cx);
        if gone {
            if traced {
                log.add(format!(
                    "Request \"{label}\", machine name \"{m}\", was replaced in queue \"Retry\" while being processed; discarding it."
                ));
                Self::log(cx, s, log.lines);
            }
            self.dispatch(s, cx);
            return;
        }
        match outcome {
            Outcome::Installed => {
                if traced {
                    copy_lines(&mut log, h, c, version);
                    log.add(format!(
                        "---> The bootstrap installed the SMS Client Service on machine \"{m}\""
                    ));
                }
                let naming = self.naming_at(s, cx);
                self.store.store_in_box(id, naming);
                let due = now + self.spec.ccm.verify_after.millis();
                let r = &mut self.store.ccrs[id as usize];
                r.state = State::Verify;
                r.last_error = 0;
                r.next_due = due;
                cx.at(due, Event::VerifyDue(id));
                if traced {
                    let label = self.label(id, cx);
                    log.add(format!(
                        "<======End request: \"{label}\", machine name: \"{m}\"; stored in queue \"Retry\" for verification."
                    ));
                }
            }
            Outcome::AlreadyClient => {
                if traced {
                    log.add(format!(
                        "---> The SMS client service is already installed on machine \"{m}\"; not installing."
                    ));
                    log.add(format!("Deleting request \"{label}\"."));
                }
                self.store.delete(id);
                self.store.fates.already_client += 1;
            }
            Outcome::SkippedNewer => {
                if traced {
                    log.add(format!(
                        "---> Machine \"{m}\" has client files of a later release ({}); not installing the {} components.",
                        build_text(self.comp[i].map_or(0, |v| v.build())),
                        build_text(version.build())
                    ));
                    log.add(format!("Deleting request \"{label}\"."));
                }
                self.store.delete(id);
                self.store.fates.skipped_newer += 1;
            }
            Outcome::CrossVersion => {
                if traced {
                    copy_lines(&mut log, h, c, version);
                    log.add(format!(
                        "---> The bootstrap is installing the remaining SMS {} client components and optional client agents on machine \"{m}\" (its client files are {})",
                        build_text(version.build()),
                        build_text(self.comp[i].map_or(0, |v| v.build()))
                    ));
                    log.add(format!(
                        "---> ERROR: The bootstrap could not install the SMS {} components on machine \"{m}\" ({ERROR_SERVICE_DID_NOT_START})",
                        build_text(version.build())
                    ));
                }
                self.fail(id, ERROR_SERVICE_DID_NOT_START, &mut log, cx);
            }
            Outcome::Failed(code) => {
                if traced {
                    failure_lines(&mut log, h, c, &label, code);
                }
                self.fail(id, code, &mut log, cx);
            }
        }
        if traced {
            Self::log(cx, s, log.lines);
        }
        self.dispatch(s, cx);
    }

    /// A failed attempt: the CCR goes (back) to `CcrRetry.box` for its next
    /// hourly retry, or is deleted when its retries are spent.
    fn fail(&mut self, id: CcrId, code: u16, log: &mut LogLines<'_>, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        let traced = cx.trace.client(self.store.ccrs[id as usize].client);
        let slot = match code {
            5 => 0,
            53 => 1,
            67 => 2,
            _ => 3,
        };
        self.n.errors[slot] += 1;
        let (c, retries) = {
            let r = &mut self.store.ccrs[id as usize];
            r.last_error = code;
            r.error_event.get_or_insert(now);
            (r.client, r.retries)
        };
        let m = cx.env.hierarchy.client_name(c);
        if retries >= self.max_retries {
            if traced {
                let label = self.label(id, cx);
                let r = &self.store.ccrs[id as usize];
                log.add(format!(
                    "Request \"{label}\", machine name \"{m}\", has been retried for {} ({} processing attempts, last error {code}); deleting it.",
                    self.spec.ccm.retry_period, r.attempts
                ));
            }
            self.store.delete(id);
            self.store.fates.expired += 1;
            return;
        }
        // Q242926: the site's CCM as it is now decides the name.
        let naming = self.naming_at(self.store.ccrs[id as usize].site, cx);
        if naming == CcrRetryNaming::Random {
            // Q242926: each failure stores the CCR under a new random name.
            self.store.ccrs[id as usize].name = self.random_name(cx.env, c);
        }
        let replaced = self.store.store_in_box(id, naming);
        let interval = self.spec.ccm.retry_interval.millis();
        let r = &mut self.store.ccrs[id as usize];
        let due = if r.retries == 0 {
            r.last_attempt + interval
        } else {
            r.next_due + interval
        };
        let due = due.max(now + 1);
        r.state = State::Retry;
        r.next_due = due;
        cx.at(due, Event::RetryDue(id));
        if traced {
            let label = self.label(id, cx);
            if replaced.is_some() {
                log.add(format!(
                    "Replaced the existing request for machine \"{m}\" in queue \"Retry\"."
                ));
            }
            log.add(format!(
                "Stored request \"{label}\", machine name \"{m}\", in queue \"Retry\"."
            ));
        }
    }

    /// A CCR's hourly retry comes due: it queues for a thread.
    pub(super) fn retry_due(&mut self, id: CcrId, cx: &mut Ctx<'_, '_>) {
        let r = &mut self.store.ccrs[id as usize];
        if r.state != State::Retry {
            return;
        }
        r.retries += 1;
        r.state = State::Queued;
        let s = r.site;
        self.sites[s as usize].queue.push_back(id);
        self.dispatch(s, cx);
    }

    /// Verification of a successful CCR: the SMS Client Service (the blog's
    /// second check, of the Agent Host, is an SMS 2003 service);
    /// then the CCR is deleted. A machine that is off is checked again an
    /// interval later, up to the retry period.
    pub(super) fn verify_due(&mut self, id: CcrId, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        let (c, s, state, since) = {
            let r = &self.store.ccrs[id as usize];
            (r.client, r.site, r.state, r.last_attempt)
        };
        if state != State::Verify {
            return;
        }
        self.n.verifications += 1;
        let traced = cx.trace.client(c);
        let label = self.label(id, cx);
        let m = cx.env.hierarchy.client_name(c);
        let mut log = LogLines::new(cx.env.calendar(), now, files::MAIN_THREAD);
        if cx.world.powered(c) {
            log.add(format!(
                "Verified the SMS Client Service on machine \"{m}\"; deleting request \"{label}\"."
            ));
            self.store.delete(id);
            self.store.fates.installed += 1;
        } else if now.saturating_sub(since) >= self.spec.ccm.retry_period.millis() {
            log.add(format!(
                "Could not verify machine \"{m}\" for {}; deleting request \"{label}\".",
                self.spec.ccm.retry_period
            ));
            self.store.delete(id);
            self.store.fates.expired += 1;
        } else {
            let due = now + self.spec.ccm.retry_interval.millis();
            self.store.ccrs[id as usize].next_due = due;
            cx.at(due, Event::VerifyDue(id));
        }
        if traced {
            Self::log(cx, s, log.lines);
        }
    }
}

/// The lines of the connection, copy and bootstrap steps (the steps of "The
/// CCR Request Process": `admin$`, the registry, `IPC$`, the copy, the
/// service start, with SMS 2.0's files): `Ccmbtldr.exe` comes from the
/// site server's `SMS\bin\i386` folder (Q252717 lists it under
/// `<Sms_root_folder>\Bin\<Platform>`; "The CCR Request Process" copies
/// from `SMS\Bin\I386`) and is started as a service on the machine. The
/// folder on the machine, the client's `MS\SMS\CORE\BIN` (Q264630's log
/// paths), is **assumed**.
fn copy_lines(
    log: &mut LogLines<'_>,
    h: &crate::hierarchy::Hierarchy,
    c: crate::hierarchy::ClientId,
    version: smssim_scenario::SiteVersion,
) {
    let m = h.client_name(c);
    let acct = format!("{}\\SMSService", h.client_domain(c).name);
    log.add(format!(
        "---> Connected to administrative share on machine \"{m}\" using account '{acct}'"
    ));
    log.add(format!("---> Connected to the registry of machine \"{m}\""));
    log.add(format!("---> Connected to IPC$ on machine \"{m}\""));
    log.add(format!(
        "---> Copied SMS\\bin\\i386\\Ccmbtldr.exe ({}) to \\\\{m}\\admin$\\MS\\SMS\\CORE\\BIN",
        build_text(version.build())
    ));
    log.add(format!(
        "---> Started the bootstrap service (Ccmbtldr.exe) on machine \"{m}\""
    ));
}
