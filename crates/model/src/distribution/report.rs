//! What the distribution subsystem reports: metrics, the job conservation
//! law, the `Schedule.box` backlog series, logs and `Schedule.box` files.

use super::{Distribution, JobState};
use crate::hierarchy::SiteId;
use crate::record::{percentile, sms_log_line, Metrics, Sample};
use crate::subsystem::Ctx;
use smssim_engine::SimTime;

/// Counters kept as the run goes.
#[derive(Debug, Clone, Default)]
pub struct Stats {
    pub tasks: u64,
    pub retries: u64,
    pub msg_2328: u64,
    pub msg_2302: u64,
    pub msg_2339: u64,
    pub dp_copies: u64,
    pub jobs_created: u64,
    pub jobs_sent: u64,
    pub jobs_failed: u64,
    pub sender_bytes: u64,
    pub connect_failures: u64,
}

const DISTMGR: &str = "SMS_DISTRIBUTION_MANAGER";
const SCHEDULER: &str = "SMS_SCHEDULER";

impl Distribution {
    /// The package ID: the central site's code and five hex digits
    /// (`CEN00001`).
    pub(super) fn pkg_id(&self, pkg: u32) -> String {
        format!("CEN{:05X}", pkg + 1)
    }

    /// A `Distmgr.log` line at site `s`, if it is traced.
    pub(super) fn log_distmgr(&self, s: SiteId, cx: &mut Ctx<'_, '_>, text: String) {
        self.log(s, cx, "Distmgr.log", DISTMGR, 1420, &text);
    }

    /// A `Sched.log` line at site `s`, if it is traced.
    pub(super) fn log_sched(&self, s: SiteId, cx: &mut Ctx<'_, '_>, text: String) {
        self.log(s, cx, "Sched.log", SCHEDULER, 1388, &text);
    }

    fn log(
        &self,
        s: SiteId,
        cx: &mut Ctx<'_, '_>,
        file: &str,
        comp: &str,
        thread: u32,
        text: &str,
    ) {
        if !cx.trace.site(s) {
            return;
        }
        let code = &cx.env.hierarchy.sites[s as usize].code;
        let line = sms_log_line(cx.env.calendar(), cx.now(), comp, thread, text);
        cx.trace.line(format!("sites/{code}/{file}"), line);
    }

    /// The administrator's update, as the central site's log shows it.
    pub(super) fn log_update(&self, u: u32, cx: &mut Ctx<'_, '_>) {
        let up = &self.updates[u as usize];
        let text = format!(
            "Package {} (\"{}\") updated by the administrator: version {}, {} bytes.",
            self.pkg_id(up.pkg),
            self.packages[up.pkg as usize],
            up.version,
            up.bytes
        );
        self.log_distmgr(0, cx, text);
    }

    /// `Schedule.box` backlog of each site that sends to others, and the
    /// total.
    pub(super) fn sample_backlog(&self, sample: &mut Sample<'_>) {
        let mut total = 0u64;
        for (s, site) in self.sites.iter().enumerate() {
            total += u64::from(site.backlog);
            if !site.dests.is_empty() {
                sample.add(
                    format!("sched.backlog.{}", self.codes[s]),
                    f64::from(site.backlog),
                );
            }
        }
        sample.add("sched.backlog_total", total as f64);
    }

    /// `trace --at`: every job in the traced sites' `Schedule.box`, one
    /// `.job` file each, and its send request (`Outboxes/LAN/<id>.srq`).
    pub(super) fn write_schedule_box(&self, cx: &mut Ctx<'_, '_>) {
        let h = cx.env.hierarchy;
        let cal = cx.env.calendar();
        for s in 0..h.sites.len() as SiteId {
            if !cx.trace.site(s) {
                continue;
            }
            let code = &h.sites[s as usize].code;
            for (id, job) in self.schedule_box(s) {
                let up = &self.updates[job.update as usize];
                let dest = self.sites[s as usize].dests[job.dest as usize].site;
                let text = format!(
                    "[Job]\nJob ID={id:08X}\nJob Type={}\nPackage ID={}\nPackage Version={}\nSource Site={code}\nDestination Site={}\nTotal Bytes={}\nCreated={}\nSend Request={id:08X}.{}.srq\nState={:?}\n",
                    if job.info {
                        "Send Package Information"
                    } else {
                        "Send Package"
                    },
                    self.pkg_id(up.pkg),
                    up.version,
                    h.sites[dest as usize].code,
                    job.bytes,
                    cal.iso(job.created),
                    h.sites[dest as usize].code,
                    job.state,
                );
                cx.trace
                    .files
                    .insert(format!("sites/{code}/Schedule.box/{id:08X}.job"), text);
                // The send request Scheduler made of it, in the Sender's
                // outbox; a deferred one waits to be resubmitted.
                let status = match job.state {
                    JobState::Connecting | JobState::RetryWait | JobState::Transferring => "Active",
                    JobState::Deferred => "Retry",
                    _ => "Pending",
                };
                let srq = format!(
                    "[Send Request]\nRequest ID={id:08X}.{dest_code}\nJob ID={id:08X}\nDestination Site={dest_code}\nAddress Type=MS_LAN\nStatus={status}\nTotal Bytes={}\n",
                    job.bytes,
                    dest_code = h.sites[dest as usize].code,
                );
                cx.trace.files.insert(
                    format!("sites/{code}/Schedule.box/Outboxes/LAN/{id:08X}.srq"),
                    srq,
                );
            }
        }
    }

    /// Reports the metrics and checks that every job created was sent,
    /// failed, or is still queued.
    pub(super) fn report(&mut self, cx: &mut Ctx<'_, '_>, m: &mut Metrics) -> Result<(), String> {
        let st = &self.stats;
        let queued = self.jobs.iter().filter(|j| !j.state.is_final()).count() as u64;
        let sent = self
            .jobs
            .iter()
            .filter(|j| j.state == JobState::Sent)
            .count() as u64;
        let backlog: u64 = self.sites.iter().map(|s| u64::from(s.backlog)).sum();
        if st.jobs_created != st.jobs_sent + st.jobs_failed + queued
            || self.jobs.len() as u64 != st.jobs_created
            || sent != st.jobs_sent
            || backlog != queued
        {
            return Err(format!(
                "jobs: created {} != sent {} + failed {} + queued {} (jobs stored {}, in state Sent {}, backlog counters {})",
                st.jobs_created,
                st.jobs_sent,
                st.jobs_failed,
                queued,
                self.jobs.len(),
                sent,
                backlog
            ));
        }
        let active = self.retries.iter().filter(|e| e.active).count() as u64;
        m.count("distmgr.tasks", st.tasks);
        m.count("distmgr.retries", st.retries);
        m.count("distmgr.retrying_packages", active);
        m.count("distmgr.msg_2328", st.msg_2328);
        m.count("distmgr.msg_2302", st.msg_2302);
        m.count("distmgr.msg_2339", st.msg_2339);
        m.count("dp.copies", st.dp_copies);
        m.count("sched.jobs_created", st.jobs_created);
        m.count("sched.jobs_sent", st.jobs_sent);
        m.count("sched.jobs_failed", st.jobs_failed);
        m.count("sched.jobs_queued", queued);
        let peak = self.sites.iter().map(|s| s.backlog_peak).max().unwrap_or(0);
        m.count("sched.backlog_peak", u64::from(peak));
        m.count(
            "sched.backlog_peak_central",
            u64::from(self.sites.first().map_or(0, |s| s.backlog_peak)),
        );
        m.push("sender.bytes", st.sender_bytes as f64, "bytes");
        m.count("sender.connect_failures", st.connect_failures);
        let (lat, unreached) = self.latencies(cx.env.scenario.horizon);
        let mean = if lat.is_empty() {
            0.0
        } else {
            lat.iter().sum::<f64>() / lat.len() as f64
        };
        m.push(
            "package.site_latency_p95_s",
            percentile(&lat, 0.95) / 1000.0,
            "s",
        );
        m.push("package.site_latency_mean_s", mean / 1000.0, "s");
        m.push(
            "package.site_latency_max_s",
            lat.last().copied().unwrap_or(0.0) / 1000.0,
            "s",
        );
        m.count("package.unreached", unreached);
        Ok(())
    }

    /// Time from each measured update to each non-central site's first
    /// processing of it, in ms, sorted; an update that never reached a site
    /// counts until the end of the run (censored) and in the second value.
    pub(super) fn latencies(&self, horizon: SimTime) -> (Vec<f64>, u64) {
        let any_probe = self.updates.iter().any(|u| u.probe);
        let n = self.updates.len();
        let mut out = Vec::new();
        let mut unreached = 0;
        for (i, up) in self.updates.iter().enumerate() {
            if any_probe && !up.probe || up.at > horizon {
                continue;
            }
            for s in 1..self.sites.len() {
                let r = self.reached[s * n + i];
                if r == SimTime::MAX {
                    unreached += 1;
                    out.push((horizon - up.at) as f64);
                } else {
                    out.push((r - up.at) as f64);
                }
            }
        }
        out.sort_by(f64::total_cmp);
        (out, unreached)
    }
}
