//! Package distribution: Distribution Manager, Scheduler and Sender
//! (Q319207, Q163379, Q278357, Q214485).
//!
//! An administrator updates a package at the central site. That site's
//! Distribution Manager (`distmgr.rs`) works through its tasks one at a time:
//! it copies the package to the site's local distribution points and, for
//! each child site, reports status message 2339 and hands a site
//! communication job to Scheduler (`sender.rs`). Jobs wait in the site's
//! `Schedule.box`; Sender runs at most 5 sendings at once, 3 per
//! destination, sharing each address's bandwidth; a sending to an address
//! that cannot be reached is retried after 1 minute, handed back to
//! Scheduler after its retries, resubmitted after 55 minutes and given up
//! after 7 days. A job that arrives at a child site becomes a task of that
//! site's Distribution Manager, which updates its own DPs and forwards the
//! package to its children.
//!
//! When a DP copy fails (status 2328, then 2302), Distribution Manager keeps
//! a retry entry for the package and retries it after an hour, or after 15
//! minutes when it finishes other work in between. Under the legacy
//! `resend_to_children` policy a retry is the whole package update again,
//! jobs to every child site included; under `local_dps_only` it copies to
//! the local DPs only.
//!
//! Random streams: `streams::DIST_PROCESS` and `streams::DIST_SENDING`,
//! keyed by site and update and positioned at the n-th processing or
//! sending, so that the first processing and sending of every update draw
//! the same numbers under every policy.

mod distmgr;
pub(crate) mod metrics;
mod report;
mod sender;

pub(crate) mod event;

use crate::catalogue::Descriptor;
use crate::hierarchy::{DpId, SiteId};
use crate::record::{Metrics, Sample};
use crate::streams::Draws;
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;
use smssim_engine::SimTime;
use smssim_scenario::distribution::RetryPayload;
use smssim_scenario::policy::DistmgrRetry;
use smssim_scenario::policy::Knob;
use smssim_scenario::{Defect, Step};

pub use event::Event;

pub use sender::JobState;

/// One update of a package, as scheduled at the central site.
#[derive(Debug, Clone)]
pub struct Update {
    /// Index of the package.
    pub pkg: u32,
    /// Version of the package this update makes (1, 2, …).
    pub version: u32,
    /// When the administrator makes it.
    pub at: SimTime,
    /// Size of the compressed package.
    pub bytes: u64,
    /// The central site's DPs (indices among them) that hold the package;
    /// `None`: all.
    pub central_dps: Option<Vec<u32>>,
    /// Counted in `package.site_latency_*`.
    pub probe: bool,
}

/// Parameters in the units the mechanism uses.
#[derive(Debug, Clone)]
struct Params {
    resend_to_children: bool,
    lan_bytes_per_ms: f64,
    efficiency_min: f64,
    max_sendings: u32,
    max_site_sendings: u32,
    sender_retry_delay: u64,
    sender_retries: u32,
    sending_overhead: u64,
    retry_info_bytes: Option<u64>,
    connect_timeout: u64,
    reschedule_delay: u64,
    job_give_up: u64,
    retry_interval: u64,
    busy_retry_interval: u64,
    process_time: u64,
    dp_timeout: u64,
}

/// A window during which something is down: `(what, from, until)`.
type Outage = (u32, SimTime, SimTime);

fn down(outages: &[Outage], what: u32, t: SimTime) -> bool {
    outages
        .iter()
        .any(|&(w, from, until)| w == what && from <= t && t < until)
}

/// State of this subsystem.
#[derive(Debug)]
pub struct Distribution {
    p: Params,
    /// Package names, by index.
    packages: Vec<String>,
    /// Site codes, by site id.
    codes: Vec<String>,
    /// Every update, in scenario order (workload, then routine).
    updates: Vec<Update>,
    /// Per site: Distribution Manager, `Schedule.box` and Sender.
    sites: Vec<distmgr::SiteState>,
    /// Retry entries (Distribution Manager's "Retry History").
    retries: Vec<distmgr::RetryEntry>,
    /// Site communication jobs, by id (never removed: ids are job names).
    jobs: Vec<sender::Job>,
    /// Version of each package on each DP: `dp * packages + pkg`.
    dp_version: Vec<u32>,
    /// First time each site processed each update: `site * updates + u`.
    reached: Vec<SimTime>,
    /// Processings of each update at each site (stream occurrences).
    processed: Vec<u32>,
    /// Sendings of each update to each site (stream occurrences).
    sendings: Vec<u32>,
    dp_outages: Vec<Outage>,
    link_outages: Vec<Outage>,
    /// DPs the administrator removed from every package (Q319207's
    /// workaround), by DP id.
    removed_dps: Vec<bool>,
    stats: report::Stats,
}

impl Distribution {
    fn n_updates(&self) -> usize {
        self.updates.len()
    }

    /// The DPs of site `s` that hold update `u`'s package (and were not
    /// removed from the packages).
    fn dps_of(&self, env: &Env<'_>, s: SiteId, u: u32) -> Vec<DpId> {
        let range = env.hierarchy.sites[s as usize].dps.clone();
        let listed: Vec<DpId> = match (&self.updates[u as usize].central_dps, s) {
            (Some(list), 0) => list
                .iter()
                .map(|&i| range.start + i)
                .filter(|d| range.contains(d))
                .collect(),
            _ => range.collect(),
        };
        listed
            .into_iter()
            .filter(|&d| !self.removed_dps[d as usize])
            .collect()
    }

    /// Whether site `s`'s Distribution Manager re-sends a retried package
    /// to its child sites now (Q319207): not once the site's release or an
    /// installed hotfix has the fix, else as the policy says.
    fn resends_now(&self, s: SiteId, cx: &Ctx<'_, '_>) -> bool {
        self.p.resend_to_children && !cx.world.fixes.site_has(s, Defect::Q319207, cx.now())
    }

    /// The jobs of one site's `Schedule.box` (created there, not yet sent
    /// or failed), in id order.
    pub fn schedule_box(&self, s: SiteId) -> impl Iterator<Item = (u32, &sender::Job)> {
        self.jobs
            .iter()
            .enumerate()
            .filter(move |(_, j)| j.src == s && !j.state.is_final())
            .map(|(i, j)| (i as u32, j))
    }
}

impl Distribution {
    /// A sending of update `u` (its package information only, if `info`)
    /// arrived at site `to`: it becomes a task of that site's Distribution
    /// Manager. (Sender hands over here so that it needs nothing of
    /// Distribution Manager's.)
    fn arrived(&mut self, to: SiteId, u: u32, info: bool, cx: &mut Ctx<'_, '_>) {
        let kind = if info {
            distmgr::TaskKind::Info
        } else {
            distmgr::TaskKind::Update
        };
        self.enqueue(to, distmgr::Task { update: u, kind }, cx);
    }
}

impl Draws for Distribution {
    const STREAMS: std::ops::Range<u16> = 48..64;
}

/// This part's random stream purposes (never renumbered, only added).
pub(crate) mod streams {
    use super::Distribution;
    use crate::streams::StreamId;

    /// Distribution Manager's processing time of one package at one site
    /// (entity: site << 32 | update; occurrence: the n-th processing).
    pub const DIST_PROCESS: StreamId<Distribution> = StreamId::new(48);
    /// A sending's share of its address bandwidth (entity: destination site
    /// << 32 | update; occurrence: the n-th sending of that update there).
    pub const DIST_SENDING: StreamId<Distribution> = StreamId::new(49);
}

impl Subsystem for Distribution {
    const DESCRIPTOR: Descriptor = Descriptor {
        name: "distribution",
        articles: &["Q319207", "Q163379", "Q278357", "Q214485"],
        metrics: metrics::METRICS,
        series: metrics::SERIES,
        activity: "sched.jobs_created",
        knobs: &[Knob::DistmgrRetry],
        streams: <Distribution as Draws>::STREAMS,
    };

    type Event = Event;

    fn new(env: &Env<'_>, _world: &World) -> Self {
        let spec = &env.scenario.spec.distribution;
        let h = env.hierarchy;
        let horizon = env.scenario.horizon;
        let mut packages: Vec<String> = Vec::new();
        let mut pkg_of = |name: &str| -> u32 {
            match packages.iter().position(|p| p == name) {
                Some(i) => i as u32,
                None => {
                    packages.push(name.to_string());
                    (packages.len() - 1) as u32
                }
            }
        };
        let mb = |m: f64| (m * 1024.0 * 1024.0).round() as u64;
        let mut updates: Vec<Update> = env
            .scenario
            .spec
            .workload
            .packages
            .iter()
            .map(|p| Update {
                pkg: pkg_of(&p.package),
                version: 0,
                at: p.at.millis(),
                bytes: mb(p.size_mb),
                central_dps: p.central_dps.clone(),
                probe: p.probe,
            })
            .collect();
        if let Some(r) = &spec.routine {
            let pkg = pkg_of(&r.package);
            let mut t = r.first.millis();
            while t <= horizon && r.every.millis() > 0 {
                updates.push(Update {
                    pkg,
                    version: 0,
                    at: t,
                    bytes: mb(r.size_mb),
                    central_dps: None,
                    probe: false,
                });
                t += r.every.millis();
            }
        }
        // Versions follow the order in which the updates are made.
        let mut order: Vec<usize> = (0..updates.len()).collect();
        order.sort_by_key(|&i| (updates[i].at, i));
        let mut next_version = vec![0u32; packages.len()];
        for i in order {
            let v = &mut next_version[updates[i].pkg as usize];
            *v += 1;
            updates[i].version = *v;
        }
        let site_index = |code: &str| h.site_by_code(code).map_or(u32::MAX, u32::from);
        let dp_outages = spec
            .dp_outages
            .iter()
            .filter_map(|o| {
                let s = h.site_by_code(&o.site)?;
                let dp = h.sites[s as usize].dps.start + o.dp;
                Some((dp, o.from.millis(), o.from.millis() + o.duration.millis()))
            })
            .collect();
        let link_outages = spec
            .link_outages
            .iter()
            .map(|o| {
                (
                    site_index(&o.site),
                    o.from.millis(),
                    o.from.millis() + o.duration.millis(),
                )
            })
            .collect();
        let sites = (0..h.sites.len())
            .map(|s| distmgr::SiteState::new(h, spec, s as SiteId))
            .collect();
        let n_sites = h.sites.len();
        let n_updates = updates.len();
        Distribution {
            p: Params {
                resend_to_children: env.policy.distmgr_retry == DistmgrRetry::ResendToChildren,
                lan_bytes_per_ms: spec.lan_mbit_s * 1e6 / 8.0 / 1000.0,
                efficiency_min: spec.wan_efficiency_min.get(),
                max_sendings: spec.max_sendings.get(),
                max_site_sendings: spec.max_site_sendings.get(),
                sender_retry_delay: spec.sender_retry_delay.millis(),
                sender_retries: spec.sender_retries,
                sending_overhead: spec.sending_overhead.millis(),
                retry_info_bytes: (spec.retry_payload == RetryPayload::Info)
                    .then(|| (spec.package_info_kb * 1024.0).round() as u64),
                connect_timeout: spec.connect_timeout.millis(),
                reschedule_delay: spec.reschedule_delay.millis(),
                job_give_up: spec.job_give_up.millis(),
                retry_interval: spec.retry_interval.millis(),
                busy_retry_interval: spec.busy_retry_interval.millis(),
                process_time: spec.process_time.millis(),
                dp_timeout: spec.dp_timeout.millis(),
            },
            dp_version: vec![0; h.dps.len() * packages.len()],
            codes: h.sites.iter().map(|s| s.code.clone()).collect(),
            packages,
            reached: vec![SimTime::MAX; n_sites * n_updates],
            processed: vec![0; n_sites * n_updates],
            sendings: vec![0; n_sites * n_updates],
            updates,
            sites,
            retries: Vec::new(),
            jobs: Vec::new(),
            dp_outages,
            link_outages,
            removed_dps: vec![false; h.dps.len()],
            stats: report::Stats::default(),
        }
    }

    fn start(&mut self, cx: &mut Ctx<'_, '_>) {
        for (i, u) in self.updates.iter().enumerate() {
            cx.at(u.at, Event::Update(i as u32));
        }
    }

    fn handle(&mut self, event: Event, cx: &mut Ctx<'_, '_>) {
        match event {
            Event::Update(u) => {
                self.log_update(u, cx);
                self.enqueue(0, distmgr::Task::new_update(u), cx);
            }
            Event::DistmgrDone(s) => self.task_done(s, cx),
            Event::RetryDue(e, gen) => self.retry_due(e, gen, cx),
            Event::Transferred(j, gen) => self.transferred(j, gen, cx),
            Event::Connected(j) => self.connected(j, cx),
            Event::ConnectFailed(j) => self.connect_failed(j, cx),
            Event::SenderRetry(j) => self.sender_retry(j, cx),
            Event::Resubmit(j) => self.resubmit(j, cx),
        }
    }

    fn sample(&self, _world: &World, sample: &mut Sample<'_>) {
        self.sample_backlog(sample);
    }

    fn remedy(&mut self, step: Step, s: SiteId, cx: &mut Ctx<'_, '_>) {
        match step {
            Step::DeleteRetryHistory(pkg) => self.delete_retry_history(s, pkg, cx),
            Step::RemoveDp(dp) => self.remove_dp(s, dp, cx),
            _ => {}
        }
    }

    fn snapshot(&self, cx: &mut Ctx<'_, '_>) {
        self.write_schedule_box(cx);
    }

    fn finish(&mut self, cx: &mut Ctx<'_, '_>, metrics: &mut Metrics) -> Result<(), String> {
        self.report(cx, metrics)
    }
}

/// Opens the processing-time stream of update `u` at site `s`.
fn process_stream(env: &Env<'_>, s: SiteId, u: u32, n: u32) -> smssim_engine::rng::Stream {
    env.streams.open(
        streams::DIST_PROCESS,
        (u64::from(s) << 32) | u64::from(u),
        u64::from(n),
    )
}

/// Opens the sending stream of update `u` to site `dest`.
fn sending_stream(env: &Env<'_>, dest: SiteId, u: u32, n: u32) -> smssim_engine::rng::Stream {
    env.streams.open(
        streams::DIST_SENDING,
        (u64::from(dest) << 32) | u64::from(u),
        u64::from(n),
    )
}

#[cfg(test)]
mod tests;
