//! Scheduler and Sender: site communication jobs in `Schedule.box`, send
//! requests, Sender's capacity (Q163379), its retries (Q278357, Q214485)
//! and each address's bandwidth, shared by the sendings to it.

use super::{down, sending_stream, Distribution, Event};
use crate::hierarchy::SiteId;
use crate::subsystem::Ctx;
use rand::RngExt;
use smssim_engine::{Generation, SimTime, Timer};
use std::collections::VecDeque;

/// Where a job is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum JobState {
    /// In `Schedule.box`, waiting for Sender capacity.
    Queued,
    /// Sender is trying to connect to the destination.
    Connecting,
    /// Sender waits its retry delay before connecting again.
    RetryWait,
    /// Being transferred.
    Transferring,
    /// Handed back to Scheduler, waiting to be resubmitted.
    Deferred,
    /// Delivered to the destination site.
    Sent,
    /// Given up by Scheduler.
    Failed,
}

impl JobState {
    /// Whether the job has left `Schedule.box` for good.
    pub fn is_final(self) -> bool {
        matches!(self, JobState::Sent | JobState::Failed)
    }
}

/// A site communication job (`Schedule.box\<id>.job`) and its send request.
#[derive(Debug, Clone)]
pub struct Job {
    /// The sending site.
    pub src: SiteId,
    /// Index of the destination among `src`'s addresses.
    pub dest: u16,
    /// The package update it carries.
    pub update: u32,
    /// Bytes to send.
    pub bytes: u64,
    /// Carries the package information only, not the package.
    pub info: bool,
    /// When Distribution Manager created it.
    pub created: SimTime,
    /// Bytes still to send in the current transfer.
    remaining: f64,
    /// This sending's share of the address bandwidth.
    efficiency: f64,
    /// The pending completion event (`Transferred`), re-armed whenever the
    /// address's share changes.
    done: Timer,
    /// Sender's retries of the current send request.
    tries: u32,
    /// Where the job is.
    pub state: JobState,
}

/// One Sender address: a child site, its bandwidth, its send requests.
#[derive(Debug)]
pub struct Dest {
    /// The destination site.
    pub site: SiteId,
    /// Bandwidth in kbit/s.
    pub kbit_s: u32,
    /// Send requests waiting for capacity, oldest first.
    queue: VecDeque<u32>,
    /// Jobs being transferred now (they share the bandwidth).
    active: Vec<u32>,
    /// Sendings holding a per-site slot (transfers and connection tries).
    slots: u32,
    /// When `active`'s remaining bytes were last brought up to date.
    last: SimTime,
}

impl Dest {
    /// An idle address.
    pub fn new(site: SiteId, kbit_s: u32) -> Self {
        Dest {
            site,
            kbit_s,
            queue: VecDeque::new(),
            active: Vec::new(),
            slots: 0,
            last: 0,
        }
    }

    /// Bytes per millisecond of the whole address.
    fn bytes_per_ms(&self) -> f64 {
        f64::from(self.kbit_s) / 8.0
    }
}

impl Distribution {
    /// Distribution Manager hands Scheduler a job for `src`'s `dest`-th
    /// child.
    pub(super) fn create_job(
        &mut self,
        src: SiteId,
        dest: u16,
        update: u32,
        info: bool,
        cx: &mut Ctx<'_, '_>,
    ) {
        let now = cx.now();
        let id = self.jobs.len() as u32;
        let bytes = match (info, self.p.retry_info_bytes) {
            (true, Some(b)) => b,
            _ => self.updates[update as usize].bytes,
        };
        self.jobs.push(Job {
            src,
            dest,
            update,
            bytes,
            info,
            created: now,
            remaining: 0.0,
            efficiency: 1.0,
            done: Timer::new(),
            tries: 0,
            state: JobState::Queued,
        });
        self.stats.jobs_created += 1;
        let site = &mut self.sites[src as usize];
        site.backlog += 1;
        site.backlog_peak = site.backlog_peak.max(site.backlog);
        site.dests[dest as usize].queue.push_back(id);
        let to = site.dests[dest as usize].site;
        let backlog = site.backlog;
        let text = format!(
            "Created job {id:08X} to send package {}{} ({bytes} bytes) to site {}; {} jobs in Schedule.box.",
            self.pkg_id(self.updates[update as usize].pkg),
            if info { " information" } else { "" },
            cx.env.hierarchy.sites[to as usize].code,
            backlog
        );
        self.log_sched(src, cx, text);
        self.dispatch(src, cx);
    }

    /// Scheduler gives Sender the oldest send requests it has capacity for:
    /// at most `max_sendings` in all and `max_site_sendings` per address.
    fn dispatch(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        loop {
            let site = &self.sites[s as usize];
            if site.sending >= self.p.max_sendings {
                return;
            }
            let pick = site
                .dests
                .iter()
                .enumerate()
                .filter(|(_, d)| d.slots < self.p.max_site_sendings)
                .filter_map(|(k, d)| d.queue.front().map(|&j| (j, k)))
                .min();
            let Some((j, k)) = pick else {
                return;
            };
            self.sites[s as usize].dests[k].queue.pop_front();
            if now.saturating_sub(self.jobs[j as usize].created) >= self.p.job_give_up {
                self.fail_job(j, cx);
                continue;
            }
            let site = &mut self.sites[s as usize];
            site.sending += 1;
            site.dests[k].slots += 1;
            self.jobs[j as usize].tries = 0;
            self.attempt(j, cx);
        }
    }

    /// Sender tries to send job `j` (it holds a slot).
    fn attempt(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        let (s, k) = {
            let job = &self.jobs[j as usize];
            (job.src, job.dest as usize)
        };
        let to = self.sites[s as usize].dests[k].site;
        self.jobs[j as usize].state = JobState::Connecting;
        if down(&self.link_outages, u32::from(to), now) {
            cx.after(self.p.connect_timeout, Event::ConnectFailed(j));
        } else if self.p.sending_overhead > 0 {
            cx.after(self.p.sending_overhead, Event::Connected(j));
        } else {
            self.connected(j, cx);
        }
    }

    /// Sender reached the destination of job `j`: the transfer starts,
    /// sharing the address with the other transfers to it.
    pub(super) fn connected(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        let (s, k, u) = {
            let job = &self.jobs[j as usize];
            (job.src, job.dest as usize, job.update)
        };
        let to = self.sites[s as usize].dests[k].site;
        let occ = &mut self.sendings[to as usize * self.updates.len() + u as usize];
        let n = *occ;
        *occ += 1;
        let eff = sending_stream(cx.env, to, u, n).random_range(self.p.efficiency_min..=1.0);
        self.advance(s, k, now);
        let job = &mut self.jobs[j as usize];
        job.state = JobState::Transferring;
        job.remaining = job.bytes as f64;
        job.efficiency = eff.max(0.01);
        self.sites[s as usize].dests[k].active.push(j);
        let text = format!(
            "Sending started for job {j:08X} to site {} ({} kbit/s address, {} sendings to it).",
            cx.env.hierarchy.sites[to as usize].code,
            self.sites[s as usize].dests[k].kbit_s,
            self.sites[s as usize].dests[k].active.len()
        );
        self.log_sched(s, cx, text);
        self.reschedule(s, k, cx);
    }

    /// Brings the remaining bytes of `s`'s `k`-th address up to `now`.
    fn advance(&mut self, s: SiteId, k: usize, now: SimTime) {
        let d = &mut self.sites[s as usize].dests[k];
        let n = d.active.len();
        if n > 0 {
            let dt = now.saturating_sub(d.last) as f64;
            let share = d.bytes_per_ms() / n as f64;
            for &j in &d.active {
                let job = &mut self.jobs[j as usize];
                job.remaining = (job.remaining - dt * share * job.efficiency).max(0.0);
            }
        }
        d.last = now;
    }

    /// Schedules the completion of every transfer on an address, after the
    /// number of transfers sharing it changed.
    fn reschedule(&mut self, s: SiteId, k: usize, cx: &mut Ctx<'_, '_>) {
        let d = &self.sites[s as usize].dests[k];
        let n = d.active.len();
        let share = d.bytes_per_ms() / n.max(1) as f64;
        for &j in &d.active {
            let job = &mut self.jobs[j as usize];
            let g = job.done.arm();
            let ms = (job.remaining / (share * job.efficiency)).ceil() as u64;
            cx.after(ms, Event::Transferred(j, g));
        }
    }

    /// A transfer's completion event came up.
    pub(super) fn transferred(&mut self, j: u32, gen: Generation, cx: &mut Ctx<'_, '_>) {
        let job = &mut self.jobs[j as usize];
        if !job.done.fire(gen) || job.state != JobState::Transferring {
            return;
        }
        let now = cx.now();
        let (s, k, u, bytes, info) = (job.src, job.dest as usize, job.update, job.bytes, job.info);
        self.advance(s, k, now);
        let d = &mut self.sites[s as usize].dests[k];
        d.active.retain(|&x| x != j);
        d.slots -= 1;
        let to = d.site;
        let site = &mut self.sites[s as usize];
        site.sending -= 1;
        site.backlog -= 1;
        let job = &mut self.jobs[j as usize];
        job.state = JobState::Sent;
        job.remaining = 0.0;
        self.stats.jobs_sent += 1;
        self.stats.sender_bytes += bytes;
        let text = format!(
            "Job {j:08X} sent to site {} ({bytes} bytes).",
            cx.env.hierarchy.sites[to as usize].code
        );
        self.log_sched(s, cx, text);
        self.reschedule(s, k, cx);
        self.arrived(to, u, info, cx);
        self.dispatch(s, cx);
    }

    /// Sender could not reach the destination of job `j`.
    pub(super) fn connect_failed(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        self.stats.connect_failures += 1;
        let job = &mut self.jobs[j as usize];
        job.tries += 1;
        let (s, k) = (job.src, job.dest as usize);
        let to = self.sites[s as usize].dests[k].site;
        let code = &cx.env.hierarchy.sites[to as usize].code;
        if job.tries <= self.p.sender_retries {
            job.state = JobState::RetryWait;
            let text = format!(
                "Cannot connect to site {code} for job {j:08X}; retry {} in {} s.",
                job.tries,
                self.p.sender_retry_delay / 1000
            );
            self.log_sched(s, cx, text);
            cx.after(self.p.sender_retry_delay, Event::SenderRetry(j));
        } else {
            job.state = JobState::Deferred;
            let text = format!(
                "Send request for job {j:08X} to site {code} failed; Scheduler resubmits it in {} min.",
                self.p.reschedule_delay / 60_000
            );
            self.log_sched(s, cx, text);
            let d = &mut self.sites[s as usize].dests[k];
            d.slots -= 1;
            self.sites[s as usize].sending -= 1;
            cx.after(self.p.reschedule_delay, Event::Resubmit(j));
            self.dispatch(s, cx);
        }
    }

    /// Sender's retry delay for job `j` ran out.
    pub(super) fn sender_retry(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        self.attempt(j, cx);
    }

    /// Scheduler resubmits the send request of job `j`, or gives it up.
    pub(super) fn resubmit(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        let now = cx.now();
        let job = &mut self.jobs[j as usize];
        if now.saturating_sub(job.created) >= self.p.job_give_up {
            self.fail_job(j, cx);
            return;
        }
        job.state = JobState::Queued;
        let s = job.src;
        self.sites[s as usize].dests[job.dest as usize]
            .queue
            .push_back(j);
        self.dispatch(s, cx);
    }

    /// Scheduler gives job `j` up (Q214485: after 7 days).
    fn fail_job(&mut self, j: u32, cx: &mut Ctx<'_, '_>) {
        let job = &mut self.jobs[j as usize];
        job.state = JobState::Failed;
        let s = job.src;
        self.sites[s as usize].backlog -= 1;
        self.stats.jobs_failed += 1;
        self.log_sched(s, cx, format!("Job {j:08X} failed: it is 7 days old."));
    }
}
