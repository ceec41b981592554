//! Distribution Manager: one task at a time per site, DP copies, status
//! messages 2328/2302/2339, jobs to child sites, and the retry history.

use super::sender::Dest;
use super::{down, process_stream, Distribution, Event};
use crate::hierarchy::{Hierarchy, SiteId};
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_engine::{Generation, SimTime, Timer};
use smssim_scenario::distribution::DistributionSpec;
use std::collections::VecDeque;

/// What Distribution Manager is asked to do with a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TaskKind {
    /// A new version: updated at this site (central) or received from the
    /// parent site.
    Update,
    /// The package information of a version the site already received
    /// (a legacy retry at the parent with `retry_payload = info`).
    Info,
    /// A retry of a package whose local DPs were not all updated (entry).
    Retry(u32),
}

/// One unit of Distribution Manager's work.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Task {
    /// Index of the update.
    pub update: u32,
    /// Why.
    pub kind: TaskKind,
}

impl Task {
    /// Processing a new version.
    pub fn new_update(update: u32) -> Self {
        Task {
            update,
            kind: TaskKind::Update,
        }
    }
}

/// A package Distribution Manager keeps retrying at a site (Q319207:
/// `...\SMS_DISTRIBUTION_MANAGER\Retry History\<package ID>`).
#[derive(Debug, Clone)]
pub struct RetryEntry {
    /// The site.
    pub site: SiteId,
    /// The package.
    pub pkg: u32,
    /// The newest update of the package being retried.
    pub update: u32,
    /// End of the last try.
    pub last_try: SimTime,
    /// Still being retried.
    pub active: bool,
    /// A retry task is waiting in the site's queue.
    pub queued: bool,
    /// The interval timer (`RetryDue`).
    pub timer: Timer,
}

/// One site's Distribution Manager, `Schedule.box` and Sender.
#[derive(Debug)]
pub struct SiteState {
    /// Tasks waiting for the Distribution Manager thread.
    pub tasks: VecDeque<Task>,
    /// The task being processed and when it started.
    pub current: Option<(Task, SimTime)>,
    /// Active retry entries of this site (ids).
    pub retry_ids: Vec<u32>,
    /// Sender addresses, one per child site in `children` order.
    pub dests: Vec<Dest>,
    /// Sendings in progress (including waits between Sender's retries).
    pub sending: u32,
    /// Jobs in `Schedule.box`: created, not yet sent or failed.
    pub backlog: u32,
    /// Largest backlog seen.
    pub backlog_peak: u32,
}

impl SiteState {
    /// Site `s` at the start: idle, one address per child.
    pub fn new(h: &Hierarchy, spec: &DistributionSpec, s: SiteId) -> Self {
        let dests = h.sites[s as usize]
            .children
            .iter()
            .map(|&c| {
                let code = &h.sites[c as usize].code;
                let kbit = spec
                    .links
                    .iter()
                    .find(|l| &l.site == code)
                    .map(|l| l.kbit_s)
                    .unwrap_or_else(|| {
                        let n = spec.wan_kbit_s.len().max(1);
                        spec.wan_kbit_s
                            .get((c as usize - 1) % n)
                            .copied()
                            .unwrap_or(64)
                    });
                Dest::new(c, kbit)
            })
            .collect();
        SiteState {
            tasks: VecDeque::new(),
            current: None,
            retry_ids: Vec::new(),
            dests,
            sending: 0,
            backlog: 0,
            backlog_peak: 0,
        }
    }
}

impl Distribution {
    /// Puts a task in site `s`'s queue and wakes its thread.
    pub(super) fn enqueue(&mut self, s: SiteId, task: Task, cx: &mut Ctx<'_, '_>) {
        self.sites[s as usize].tasks.push_back(task);
        self.start_next(s, cx);
    }

    /// The DPs of site `s` that lack update `u`'s version.
    /// (A task that carries the package information only copies nothing.)
    fn targets(&self, cx: &Ctx<'_, '_>, s: SiteId, u: u32, kind: TaskKind) -> Vec<u32> {
        if kind == TaskKind::Info {
            return Vec::new();
        }
        let up = &self.updates[u as usize];
        let np = self.packages.len();
        self.dps_of(cx.env, s, u)
            .into_iter()
            .filter(|&d| self.dp_version[d as usize * np + up.pkg as usize] < up.version)
            .collect()
    }

    /// Starts the next task if the thread is idle.
    fn start_next(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        if self.sites[s as usize].current.is_some() {
            return;
        }
        while let Some(task) = self.sites[s as usize].tasks.pop_front() {
            if let TaskKind::Retry(e) = task.kind {
                if !self.retries[e as usize].active {
                    continue;
                }
            }
            let now = cx.now();
            let u = task.update;
            let k = s as usize * self.n_updates() + u as usize;
            let n = self.processed[k];
            self.processed[k] += 1;
            let mut rng = process_stream(cx.env, s, u, n);
            let mut ms = (self.p.process_time as f64 * rng.random_range(0.5..1.5)) as u64;
            let bytes = self.updates[u as usize].bytes as f64;
            for d in self.targets(cx, s, u, task.kind) {
                ms += if down(&self.dp_outages, d, now) {
                    self.p.dp_timeout
                } else {
                    (bytes / self.p.lan_bytes_per_ms).ceil() as u64
                };
            }
            let (pkg, version) = {
                let up = &self.updates[u as usize];
                (up.pkg, up.version)
            };
            let text = match task.kind {
                TaskKind::Retry(_) => format!("Retrying package {}.", self.pkg_id(pkg)),
                TaskKind::Info => format!(
                    "Received package information for package {} (version {version}).",
                    self.pkg_id(pkg)
                ),
                TaskKind::Update => format!(
                    "Start updating the package {} (version {version})...",
                    self.pkg_id(pkg)
                ),
            };
            self.log_distmgr(s, cx, text);
            self.sites[s as usize].current = Some((task, now));
            cx.after(ms, Event::DistmgrDone(s));
            return;
        }
    }

    /// The current task of site `s` is done: apply its effects.
    pub(super) fn task_done(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let Some((task, started)) = self.sites[s as usize].current.take() else {
            return;
        };
        let now = cx.now();
        let u = task.update;
        let (pkg, version) = {
            let up = &self.updates[u as usize];
            (up.pkg, up.version)
        };
        self.stats.tasks += 1;
        let retry = match task.kind {
            TaskKind::Retry(e) => {
                self.stats.retries += 1;
                self.retries[e as usize].queued = false;
                true
            }
            TaskKind::Info | TaskKind::Update => false,
        };
        let np = self.packages.len();
        let mut failed = 0;
        for d in self.targets(cx, s, u, task.kind) {
            if down(&self.dp_outages, d, started) {
                failed += 1;
                self.stats.msg_2328 += 1;
                let text = format!(
                    "STATMSG: ID=2328 SEV=E: SMS Distribution Manager failed to copy package {} from \\\\{}\\SMSPKGC$\\{} to \\\\{}DP{:02}\\SMSPKGC$\\{}.",
                    self.pkg_id(pkg),
                    cx.env.hierarchy.sites[s as usize].code,
                    self.pkg_id(pkg),
                    cx.env.hierarchy.sites[s as usize].code,
                    d - cx.env.hierarchy.sites[s as usize].dps.start,
                    self.pkg_id(pkg),
                );
                self.log_distmgr(s, cx, text);
            } else {
                self.stats.dp_copies += 1;
                self.dp_version[d as usize * np + pkg as usize] = version;
            }
        }
        if failed > 0 {
            self.stats.msg_2302 += 1;
            let text = format!(
                "STATMSG: ID=2302 SEV=E: SMS Distribution Manager failed to process package \"{}\" (package ID = {}).",
                self.packages[pkg as usize],
                self.pkg_id(pkg)
            );
            self.log_distmgr(s, cx, text);
        }
        // Q319207: the site's Distribution Manager as it is now decides.
        let to_children = !retry || self.resends_now(s, cx);
        // A re-send of a version already sent carries the package
        // information only, if so configured.
        let info = match task.kind {
            TaskKind::Update => false,
            TaskKind::Info => true,
            TaskKind::Retry(_) => self.p.retry_info_bytes.is_some(),
        };
        if to_children {
            let n_children = self.sites[s as usize].dests.len();
            for k in 0..n_children {
                self.stats.msg_2339 += 1;
                let dest = self.sites[s as usize].dests[k].site;
                let text = format!(
                    "STATMSG: ID=2339 SEV=I: SMS Distribution Manager instructed SMS Scheduler and Sender to send the package information for package {} to child site {}.",
                    self.pkg_id(pkg),
                    cx.env.hierarchy.sites[dest as usize].code
                );
                self.log_distmgr(s, cx, text);
                self.create_job(s, k as u16, u, info, cx);
            }
        }
        let r = &mut self.reached[s as usize * self.updates.len() + u as usize];
        if *r == SimTime::MAX && task.kind != TaskKind::Info {
            *r = now;
        }
        // A retry whose Retry History the administrator deleted while it
        // ran writes none again (Q319207: deleting the key stops the
        // retries).
        let deleted = matches!(task.kind, TaskKind::Retry(e) if !self.retries[e as usize].active);
        if !deleted {
            self.update_retry_entry(s, pkg, u, failed > 0, cx);
        }
        self.busy_retries(s, now);
        self.start_next(s, cx);
    }

    /// Records a failed try (arming the hourly retry) or clears the entry.
    fn update_retry_entry(
        &mut self,
        s: SiteId,
        pkg: u32,
        u: u32,
        failed: bool,
        cx: &mut Ctx<'_, '_>,
    ) {
        let now = cx.now();
        let found = self.sites[s as usize]
            .retry_ids
            .iter()
            .copied()
            .find(|&e| self.retries[e as usize].pkg == pkg);
        if failed {
            let e = match found {
                Some(e) => e,
                None => {
                    self.retries.push(RetryEntry {
                        site: s,
                        pkg,
                        update: u,
                        last_try: now,
                        active: true,
                        queued: false,
                        timer: Timer::new(),
                    });
                    let e = (self.retries.len() - 1) as u32;
                    self.sites[s as usize].retry_ids.push(e);
                    e
                }
            };
            let entry = &mut self.retries[e as usize];
            if self.updates[u as usize].version >= self.updates[entry.update as usize].version {
                entry.update = u;
            }
            entry.last_try = now;
            let gen = entry.timer.arm();
            let mins = self.p.retry_interval / 60_000;
            self.log_distmgr(
                s,
                cx,
                format!(
                    "Package {} will be retried in {mins} minutes.",
                    self.pkg_id(pkg)
                ),
            );
            cx.after(self.p.retry_interval, Event::RetryDue(e, gen));
        } else if let Some(e) = found {
            let still_missing = {
                let eu = self.retries[e as usize].update;
                !self.targets(cx, s, eu, TaskKind::Update).is_empty()
            };
            if !still_missing {
                let entry = &mut self.retries[e as usize];
                entry.active = false;
                entry.timer.cancel();
                self.sites[s as usize].retry_ids.retain(|&x| x != e);
                self.log_distmgr(
                    s,
                    cx,
                    format!(
                        "Package {} is on every local distribution point: retries stop.",
                        self.pkg_id(pkg)
                    ),
                );
            }
        }
    }

    /// A thread that just finished some work also retries the packages
    /// whose last try is at least `busy_retry_interval` old (Q319207:
    /// "retries the unsuccessful package more frequently").
    fn busy_retries(&mut self, s: SiteId, now: SimTime) {
        let busy = self.p.busy_retry_interval;
        let site = &mut self.sites[s as usize];
        for &e in &site.retry_ids {
            let entry = &mut self.retries[e as usize];
            if entry.active && !entry.queued && entry.last_try + busy <= now {
                entry.queued = true;
                site.tasks.push_back(Task {
                    update: entry.update,
                    kind: TaskKind::Retry(e),
                });
            }
        }
    }

    /// The administrator deletes `Retry History\<package ID>` at site `s`
    /// (Q319207): Distribution Manager stops retrying the package at once;
    /// a retry already queued is dropped. A later failure writes the
    /// history again ("this does not prevent the problem from occurring
    /// again if the cause of the problem still exists").
    pub(super) fn delete_retry_history(&mut self, s: SiteId, pkg: u32, cx: &mut Ctx<'_, '_>) {
        let site = &mut self.sites[s as usize];
        let found = site
            .retry_ids
            .iter()
            .copied()
            .find(|&e| self.retries[e as usize].pkg == pkg);
        let text = match found {
            Some(e) => {
                site.retry_ids.retain(|&x| x != e);
                let entry = &mut self.retries[e as usize];
                entry.active = false;
                entry.timer.cancel();
                format!(
                    "The administrator deleted Retry History\\{}: the package is no longer retried.",
                    self.pkg_id(pkg)
                )
            }
            None => format!(
                "The administrator deleted Retry History\\{}, which held no retry.",
                self.pkg_id(pkg)
            ),
        };
        self.log_distmgr(s, cx, text);
    }

    /// The administrator removes site `s`'s DP `dp` (numbered within the
    /// site) from every package (Q319207's workaround): Distribution
    /// Manager no longer copies to it, so the next retry finds every
    /// remaining DP updated and the retries stop.
    pub(super) fn remove_dp(&mut self, s: SiteId, dp: u32, cx: &mut Ctx<'_, '_>) {
        let d = cx.env.hierarchy.sites[s as usize].dps.start + dp;
        self.removed_dps[d as usize] = true;
        let code = &cx.env.hierarchy.sites[s as usize].code;
        let text = format!(
            "The administrator removed distribution point \\\\{code}DP{dp:02} from every package."
        );
        self.log_distmgr(s, cx, text);
    }

    /// The hourly retry of entry `e` is due.
    pub(super) fn retry_due(&mut self, e: u32, gen: Generation, cx: &mut Ctx<'_, '_>) {
        let entry = &mut self.retries[e as usize];
        if !entry.timer.fire(gen) || !entry.active || entry.queued {
            return;
        }
        entry.queued = true;
        let (s, u) = (entry.site, entry.update);
        self.enqueue(
            s,
            Task {
                update: u,
                kind: TaskKind::Retry(e),
            },
            cx,
        );
    }
}
