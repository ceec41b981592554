//! Discovery, Client Configuration Requests, Client Configuration Manager
//! and logon points (Q242926, Q252717, Q249077; "The CCR Request Process";
//! Q229769, Q262298, Q263345, Q264630, Q298433).
//!
//! - `ddm`: discovery (logon, network, heartbeat) and Discovery Data
//!   Manager's rule for writing a CCR into a site's `ccr.box` (Q229769).
//! - `ccm`: each site's Client Configuration Manager: its processing
//!   threads, the steps of an attempt and their errors, `CcrRetry.box`
//!   retries every hour for 7 days, verification, the SP1 version check.
//! - `logon`: logon points, `Copylog.tcf` and Windows NT Logon Server
//!   Manager; the client bootstrap at logon and the mixed installation
//!   state (Q264630, Q249077).
//! - [`store`]: the CCR records and the files of `CcrRetry.box`, named by
//!   the `ccm_retry_naming` policy.
//! - [`files`]: `.CCR` files and `Ccm.log` lines.
//! - `report`: metrics, time series, snapshots and the conservation law.

mod ccm;
mod ddm;
pub(crate) mod files;
mod logon;
pub(crate) mod metrics;
mod report;
pub(crate) mod store;

pub(crate) mod event;

use crate::catalogue::Descriptor;
use crate::event::WorldEvent;
use crate::hierarchy::{ClientId, Hierarchy, SiteId};
use crate::record::Metrics;
use crate::streams::{Draws, StreamId};
use crate::subsystem::{Ctx, Env, Subsystem};
use crate::world::World;
use files::LogLines;
use rand::RngExt;
use smssim_engine::SimTime;
use smssim_scenario::ccr::CcrSpec;
use smssim_scenario::policy::Knob;
use smssim_scenario::policy::{CcmVersionCheck, CcrRetryNaming, CopylogEntry};
use smssim_scenario::{Defect, Policy, SiteVersion, Step};
use std::collections::VecDeque;
use store::{CcrId, State, Store};

pub use event::Event;

/// The machine was not an SMS client at the start.
const F_NEW: u8 = 1;
/// The machine offers no `admin$` share (error 67).
const F_NO_ADMIN: u8 = 2;
/// The machine is in the mixed installation state: base files of a later
/// release than its components (Q264630).
const F_MIXED: u8 = 4;
/// A site's CCM made at least one cross-version attempt on the machine
/// (Q252717).
const F_CROSSED: u8 = 8;
/// A repair of the mixed machine failed at a logon: its user is not a
/// local administrator (Q264630).
const F_REPAIR_FAILED: u8 = 16;

/// A site's Client Configuration Manager.
#[derive(Debug, Default)]
struct SiteCcm {
    /// CCRs waiting for a thread: from `ccr.box` and due retries, in order.
    queue: VecDeque<CcrId>,
    /// Busy processing threads, one bit per slot.
    busy: u64,
    /// Thread-milliseconds spent in attempts.
    busy_ms: u64,
}

/// An access-denied window, resolved.
#[derive(Debug, Clone, Copy)]
struct DenyWindow {
    from: SimTime,
    until: SimTime,
    site: Option<SiteId>,
    share: f64,
}

/// Counts reported at the end.
#[derive(Debug, Default)]
struct Counters {
    ddrs_logon: u64,
    ddrs_network: u64,
    ddrs_heartbeat: u64,
    created: u64,
    attempts: u64,
    errors: [u64; 4],
    sam_replications: u64,
    cross_version: u64,
    cross_version_clients: u64,
    verifications: u64,
    installs: u64,
    lsm_passes: u64,
    lsm_copies: u64,
    lsm_claims_newer: u64,
    clicore_copies: u64,
    mixed_ever: u64,
    repaired: u64,
}

/// State of the CCR subsystem.
#[derive(Debug)]
pub struct Ccr {
    spec: CcrSpec,
    naming: CcrRetryNaming,
    version_check: CcmVersionCheck,
    /// The hotfix's behaviour, for sites whose release or hotfix fixed a
    /// defect.
    fixed: Policy,
    copylog: CopylogEntry,
    max_retries: u32,
    windows: Vec<DenyWindow>,
    /// `F_*` flags of each machine.
    flags: Vec<u8>,
    /// The release of the SMS components on each machine, if any.
    comp: Vec<Option<SiteVersion>>,
    /// Sites each machine is a client of: bit 0 its assigned site, bit
    /// `i` the `i`-th other site whose boundaries hold its subnet.
    member: Vec<u8>,
    /// Second at which a new machine joins the network.
    join_s: Vec<u32>,
    /// Second of each machine's first CCR (`u32::MAX`: none).
    first_ccr_s: Vec<u32>,
    /// Second each machine was installed during the run (`u32::MAX`: not).
    installed_s: Vec<u32>,
    /// Per-machine occurrence counters: attempts, names.
    attempt_n: Vec<u32>,
    name_n: Vec<u32>,
    /// Machines in the mixed installation state now, and since when.
    mixed: Vec<(ClientId, SimTime)>,
    /// The first machines to enter the mixed state, and the first to get a
    /// cross-version attempt (up to 5 each, for `trace`).
    first_mixed: Vec<ClientId>,
    first_crossed: Vec<ClientId>,
    /// Milliseconds spent in the mixed state by machines since repaired.
    mixed_closed_ms: u64,
    /// Each domain's logon points; empty when they are not simulated
    /// (no logon discovery, or one release throughout).
    logon_points: Vec<Option<logon::LogonPoint>>,
    store: Store,
    sites: Vec<SiteCcm>,
    n: Counters,
}

/// The bit of site `s` in machine `c`'s membership mask, if `s`'s
/// boundaries hold `c`.
fn site_bit(h: &Hierarchy, c: ClientId, s: SiteId) -> Option<u8> {
    let sub = &h.subnets[h.clients.subnet[c as usize] as usize];
    if sub.site == s {
        return Some(1);
    }
    let i = sub.also_in.iter().take(7).position(|&x| x == s)?;
    Some(1 << (i + 1))
}

/// Every site whose boundaries hold machine `c`, assigned site first.
fn boundary_sites(h: &Hierarchy, c: ClientId) -> impl Iterator<Item = SiteId> + '_ {
    let sub = &h.subnets[h.clients.subnet[c as usize] as usize];
    std::iter::once(sub.site).chain(sub.also_in.iter().take(7).copied())
}

/// The mask with a bit for every site whose boundaries hold `c`.
fn full_mask(h: &Hierarchy, c: ClientId) -> u8 {
    let sub = &h.subnets[h.clients.subnet[c as usize] as usize];
    ((1u16 << (1 + sub.also_in.len().min(7))) - 1) as u8
}

impl Ccr {
    /// Whether machine `c` is on the network at `t`.
    fn joined(&self, c: ClientId, t: SimTime) -> bool {
        self.flags[c as usize] & F_NEW == 0 || u64::from(self.join_s[c as usize]) * 1000 <= t
    }

    /// Whether machine `c` is an SMS client of site `s`.
    fn is_member(&self, h: &Hierarchy, c: ClientId, s: SiteId) -> bool {
        site_bit(h, c, s).is_some_and(|b| self.member[c as usize] & b != 0)
    }

    /// Whether machine `c` refuses CCM's account at `t` (error 5).
    fn denied(&self, env: &Env<'_>, c: ClientId, t: SimTime) -> bool {
        let site = env.hierarchy.clients.site[c as usize];
        self.windows.iter().enumerate().any(|(i, w)| {
            w.from <= t
                && t < w.until
                && w.site.is_none_or(|s| s == site)
                && self.in_window(env, c, i)
        })
    }

    /// Whether machine `c` is among the share of access-denied window `i`.
    fn in_window(&self, env: &Env<'_>, c: ClientId, i: usize) -> bool {
        let w = &self.windows[i];
        let site = env.hierarchy.clients.site[c as usize];
        w.site.is_none_or(|s| s == site)
            && env
                .streams
                .open(streams::CCR_DENY, u64::from(c), i as u64)
                .random_bool(w.share)
    }

    /// A fresh random 8-character CCR name for machine `c`.
    fn random_name(&mut self, env: &Env<'_>, c: ClientId) -> [u8; 8] {
        const CHARS: &[u8; 36] = b"0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
        let k = &mut self.name_n[c as usize];
        let mut rng = env
            .streams
            .open(streams::CCR_NAME, u64::from(c), u64::from(*k));
        *k += 1;
        let mut name = [0u8; 8];
        for b in &mut name {
            *b = CHARS[rng.random_range(0..CHARS.len())];
        }
        name
    }

    /// Appends `Ccm.log` lines of site `s` about machine `c`, if traced.
    fn log(cx: &mut Ctx<'_, '_>, s: SiteId, lines: Vec<String>) {
        let code = &cx.env.hierarchy.sites[s as usize].code;
        let file = format!("sites/{code}/Ccm.log");
        for l in lines {
            cx.trace.line(file.clone(), l);
        }
    }
}

impl Ccr {
    /// How site `s`'s Client Configuration Manager names a retry CCR now
    /// (Q242926): as the fix does once the site's release or an installed
    /// hotfix has it, else as the policy says.
    fn naming_at(&self, s: SiteId, cx: &Ctx<'_, '_>) -> CcrRetryNaming {
        if cx.world.fixes.site_has(s, Defect::Q242926, cx.now()) {
            self.fixed.ccm_retry_naming
        } else {
            self.naming
        }
    }

    /// Whether site `s`'s Client Configuration Manager checks a client's
    /// release first now (Q252717), likewise.
    fn version_check_at(&self, s: SiteId, cx: &Ctx<'_, '_>) -> CcmVersionCheck {
        if cx.world.fixes.site_has(s, Defect::Q252717, cx.now()) {
            self.fixed.ccm_version_check
        } else {
            self.version_check
        }
    }

    /// The administrator deletes every file in site `s`'s `CcrRetry.box`
    /// (Q264630): the requests there stop retrying; a request a thread is
    /// processing is discarded when the thread finishes.
    fn clear_retry_box(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        let mut n = 0u64;
        for id in 0..self.store.ccrs.len() as CcrId {
            let r = &self.store.ccrs[id as usize];
            if r.site == s && r.in_box && r.state != State::Gone {
                self.store.delete(id);
                n += 1;
            }
        }
        self.store.fates.cleared += n;
        if cx.trace.site(s) {
            let mut log = LogLines::new(cx.env.calendar(), cx.now(), files::MAIN_THREAD);
            log.add(format!(
                "The administrator deleted {n} request(s) from CcrRetry.box; they will not be retried."
            ));
            Self::log(cx, s, log.lines);
        }
    }
}

impl Draws for Ccr {
    const STREAMS: std::ops::Range<u16> = 32..48;
}

/// This part's random stream purposes (never renumbered, only added).
pub(crate) mod streams {
    use super::Ccr;
    use crate::streams::StreamId;

    /// CCR: per-machine set-up draws: new machine?, join time, no `admin$`.
    pub const CCR_MACHINE: StreamId<Ccr> = StreamId::new(32);
    /// CCR: per-machine membership of access-denied window `i` (occurrence `i`).
    pub const CCR_DENY: StreamId<Ccr> = StreamId::new(33);
    /// CCR: random 8-character CCR names, per machine, by the machine's name
    /// counter.
    pub const CCR_NAME: StreamId<Ccr> = StreamId::new(34);
    /// CCR: step durations of a CCM attempt, per machine, by its attempt counter.
    pub const CCR_ATTEMPT: StreamId<Ccr> = StreamId::new(35);
    /// CCR: delay from discovery to Discovery Data Manager, per machine, by the
    /// second of discovery.
    pub const CCR_DDR_DELAY: StreamId<Ccr> = StreamId::new(36);
    /// CCR: per-site phase of the Heartbeat Discovery cycle.
    pub const CCR_HEARTBEAT: StreamId<Ccr> = StreamId::new(37);
    /// CCR: per-machine draw of whether its user is a local administrator.
    pub const CCR_USER: StreamId<Ccr> = StreamId::new(38);
    /// CCR: per-site phase of the Logon Server Manager cycle.
    pub const CCR_LSM: StreamId<Ccr> = StreamId::new(39);
}

impl Subsystem for Ccr {
    const DESCRIPTOR: Descriptor = Descriptor {
        name: "ccr",
        articles: &["Q242926", "Q252717", "Q249077", "Q229769", "Q264630"],
        metrics: metrics::METRICS,
        series: metrics::SERIES,
        activity: "ccr.created",
        knobs: &[
            Knob::CcmRetryNaming,
            Knob::CcmVersionCheck,
            Knob::LogonCopylog,
        ],
        streams: <Ccr as Draws>::STREAMS,
    };

    type Event = Event;

    fn new(env: &Env<'_>, _world: &World) -> Self {
        let h = env.hierarchy;
        let spec = env.scenario.spec.ccr.clone();
        let n = h.clients.len();
        let share = spec.new_machines.share.get();
        let over = spec.new_machines.arrive_over.millis();
        let no_admin = spec.faults.no_admin_share.get();
        let mut flags = vec![0u8; n];
        let mut comp = vec![None; n];
        let mut member = vec![0u8; n];
        let mut join_s = vec![0u32; n];
        for c in 0..n {
            let is_new = share > 0.0 && {
                let mut rng = env.streams.open(streams::CCR_MACHINE, c as u64, 0);
                let new = rng.random_bool(share);
                if new {
                    flags[c] = F_NEW;
                    if over > 0 {
                        join_s[c] = (rng.random_range(0..over) / 1000) as u32;
                    }
                    if rng.random_bool(no_admin) {
                        flags[c] |= F_NO_ADMIN;
                    }
                }
                new
            };
            if !is_new {
                let s = h.clients.site[c];
                comp[c] = Some(h.sites[s as usize].version);
                member[c] = full_mask(h, c as ClientId);
            }
        }
        let ccm = &spec.ccm;
        let max_retries = (ccm.retry_period.millis() / ccm.retry_interval.millis().max(1)) as u32;
        let windows = spec
            .faults
            .access_denied
            .iter()
            .map(|w| DenyWindow {
                from: w.from.millis(),
                until: w.until.millis(),
                site: w.site.as_deref().and_then(|code| h.site_by_code(code)),
                share: w.share.get(),
            })
            .collect();
        let versions: Vec<SiteVersion> = h.sites.iter().map(|s| s.version).collect();
        let logon_points =
            if spec.discovery.logon && logon::releases_can_differ(env.scenario, &versions) {
                let sites: Vec<(u16, SiteVersion)> =
                    h.sites.iter().map(|s| (s.domain, s.version)).collect();
                logon::initial(h.domains.len(), &sites)
            } else {
                Vec::new()
            };
        Ccr {
            naming: env.policy.ccm_retry_naming,
            version_check: env.policy.ccm_version_check,
            fixed: Policy::hotfix(),
            copylog: env.policy.logon_copylog,
            max_retries,
            windows,
            flags,
            comp,
            member,
            join_s,
            first_ccr_s: vec![u32::MAX; n],
            installed_s: vec![u32::MAX; n],
            attempt_n: vec![0; n],
            name_n: vec![0; n],
            mixed: Vec::new(),
            mixed_closed_ms: 0,
            first_mixed: Vec::new(),
            first_crossed: Vec::new(),
            logon_points,
            store: Store::new(n),
            sites: (0..h.sites.len()).map(|_| SiteCcm::default()).collect(),
            n: Counters::default(),
            spec,
        }
    }

    fn set_up_world(&self, world: &mut World) {
        // New machines are discovered, not yet SMS clients: they run no
        // client component until CCM installs one.
        for (c, comp) in self.comp.iter().enumerate() {
            world.set_sms_client(c as ClientId, comp.is_some());
        }
    }

    fn start(&mut self, cx: &mut Ctx<'_, '_>) {
        let d = &self.spec.discovery;
        for s in 0..cx.env.hierarchy.sites.len() as SiteId {
            if d.network_every.is_some() {
                cx.at(d.network_first.millis(), Event::NetworkDiscovery(s));
            }
            let every = d.heartbeat_every.millis().max(1);
            let phase = site_phase(cx, streams::CCR_HEARTBEAT, s, every);
            cx.at(phase, Event::Heartbeat(s));
            if !self.logon_points.is_empty() {
                let every = self.spec.logon_points.update_every.millis();
                let phase = site_phase(cx, streams::CCR_LSM, s, every);
                cx.at(phase, Event::LogonPointUpdate(s));
            }
        }
    }

    fn handle(&mut self, event: Event, cx: &mut Ctx<'_, '_>) {
        match event {
            Event::LogonDdr(c) => {
                let h = cx.env.hierarchy;
                for s in boundary_sites(h, c) {
                    self.ddm(c, s, cx);
                }
            }
            Event::NetworkDdr(c, s) => self.ddm(c, s, cx),
            Event::NetworkDiscovery(s) => self.network_discovery(s, cx),
            Event::Heartbeat(s) => self.heartbeat(s, cx),
            Event::AttemptDone(id) => {
                let c = self.store.ccrs[id as usize].client;
                let was_client = self.comp[c as usize].is_some();
                self.attempt_done(id, cx);
                if !was_client && self.comp[c as usize].is_some() {
                    // The machine's client components now run: the world
                    // (and through it every subsystem) learns it is an SMS
                    // client.
                    cx.at(cx.now(), WorldEvent::ClientInstalled(c));
                }
            }
            Event::RetryDue(id) => self.retry_due(id, cx),
            Event::VerifyDue(id) => self.verify_due(id, cx),
            Event::LogonPointUpdate(s) => self.logon_point_cycle(s, cx),
        }
    }

    #[inline]
    fn prefetch_client(&self, c: ClientId, event: &WorldEvent, ahead: usize, env: &Env<'_>) {
        use smssim_engine::hint::prefetch;
        // What a logon's discovery reads first (`logon_discovery`); the
        // subsystem does nothing when a client starts or stops.
        if !matches!(event, WorldEvent::Logon(..)) {
            return;
        }
        let h = env.hierarchy;
        if ahead == 2 {
            prefetch(&self.flags, c as usize);
            prefetch(&self.member, c as usize);
            prefetch(&h.clients.subnet, c as usize);
        } else if ahead == 1 {
            // The client's subnet, whose boundaries give its full mask.
            if let Some(&sub) = h.clients.subnet.get(c as usize) {
                prefetch(&h.subnets, sub as usize);
            }
        }
    }

    fn user_logon(&mut self, c: ClientId, cx: &mut Ctx<'_, '_>) {
        if !self.logon_points.is_empty() {
            self.logon_bootstrap(c, cx);
        }
        self.logon_discovery(c, cx);
    }

    fn remedy(&mut self, step: Step, s: SiteId, cx: &mut Ctx<'_, '_>) {
        if step == Step::ClearCcrRetryBox {
            self.clear_retry_box(s, cx);
        }
    }

    fn site_upgraded(&mut self, s: SiteId, cx: &mut Ctx<'_, '_>) {
        // An upgraded site updates the logon points at once (Q263345).
        if !self.logon_points.is_empty() {
            self.logon_point_update(s, cx);
        }
    }

    fn sample(&self, _world: &World, sample: &mut crate::record::Sample<'_>) {
        self.add_sample(sample);
    }

    fn snapshot(&self, cx: &mut Ctx<'_, '_>) {
        self.write_snapshot(cx);
    }

    fn interesting(&self, out: &mut Vec<ClientId>) {
        self.add_interesting(out);
    }

    fn finish(&mut self, cx: &mut Ctx<'_, '_>, metrics: &mut Metrics) -> Result<(), String> {
        self.report(cx, metrics)
    }
}

/// Site `s`'s phase in a cycle of `every` ms (`every` > 0), drawn from its
/// own stream of `purpose`: when its first cycle runs.
fn site_phase(cx: &Ctx<'_, '_>, purpose: StreamId<Ccr>, s: SiteId, every: u64) -> u64 {
    cx.env
        .streams
        .open(purpose, u64::from(s), 0)
        .random_range(0..every)
}

#[cfg(test)]
mod tests {
    use super::*;
    use smssim_scenario::{Knob, Policy};

    const MIXED: &str = r#"{"name":"t","duration_days":4,
        "topology":{"child_sites":2,"clients_per_cap":200,"clients_per_subnet":20,
                    "overlap_share":0.2,"version":"sp1",
                    "rollout":{"start":"6h","every":"1d"}},
        "ccr":{"new_machines":{"share":0.5,"arrive_over":"3d"},
               "discovery":{"network_every":"8h"},
               "faults":{"access_denied":[{"share":0.2,"until":"2d"}],"no_admin_share":0.05}}}"#;

    #[test]
    fn boundary_bits_follow_the_subnets() {
        let s = smssim_scenario::load_str(MIXED, "t", &[]).unwrap();
        let h = Hierarchy::build(&s);
        // Subnet 0 of the central site is also in site 1's boundaries.
        let c = h.subnets[0].clients.start;
        assert_eq!(site_bit(&h, c, 0), Some(1));
        assert_eq!(site_bit(&h, c, 1), Some(2));
        assert_eq!(site_bit(&h, c, 2), None);
        assert_eq!(full_mask(&h, c), 3);
        assert_eq!(boundary_sites(&h, c).collect::<Vec<_>>(), vec![0, 1]);
        let lone = h.subnets[5].clients.start;
        assert_eq!(full_mask(&h, lone), 1);
    }

    #[test]
    fn every_policy_mix_conserves_ccrs_and_per_system_holds_one_file() {
        let s = smssim_scenario::load_str(MIXED, "t", &[]).unwrap();
        let mut policies = vec![Policy::legacy(), Policy::hotfix()];
        for knob in [Knob::CcmRetryNaming, Knob::CcmVersionCheck] {
            policies.push(Policy::legacy_with(knob));
        }
        let mut attempts = Vec::new();
        for p in &policies {
            let out = metrics_of(&s, p);
            let m = |k: &str| out.get(k).unwrap();
            assert!(m("ccr.created") > 0.0);
            if p.ccm_retry_naming == CcrRetryNaming::PerSystem {
                assert_eq!(m("ccrretry.max_per_client"), 1.0, "{}", p.name);
            } else {
                assert!(m("ccrretry.max_per_client") > 1.0, "{}", p.name);
            }
            if p.ccm_version_check == CcmVersionCheck::SkipNewer {
                assert_eq!(m("ccm.cross_version_attempts"), 0.0, "{}", p.name);
            }
            attempts.push(m("ccm.attempts"));
        }
        assert!(attempts[1] < attempts[0], "hotfix attempts {attempts:?}");
    }

    fn metrics_of(s: &smssim_scenario::Scenario, p: &Policy) -> crate::record::Metrics {
        crate::testbed::run_scenario(s, p).metrics
    }

    #[test]
    fn copylog_claims_not_sp1_ccm_attempts_make_mixed_clients() {
        let s = smssim_scenario::load_str(MIXED, "t", &[]).unwrap();
        let legacy = metrics_of(&s, &Policy::legacy());
        let m = |x: &crate::record::Metrics, k: &str| x.get(k).unwrap();
        // Q249077: unfixed SP1 sites claim the SP2 Clicore.exe, and their
        // clients copy it into the mixed state.
        assert!(m(&legacy, "lsm.copylog_claims_newer") > 0.0);
        assert!(m(&legacy, "clients.mixed_ever") > 0.0);
        assert!(m(&legacy, "ccm.cross_version_attempts") > 0.0);
        // Q264630: not applying Q252717 does not cause the mixed state; the
        // CCM check changes nothing of it.
        let check = metrics_of(&s, &Policy::legacy_with(Knob::CcmVersionCheck));
        assert_eq!(m(&check, "ccm.cross_version_attempts"), 0.0);
        for k in ["clients.mixed_ever", "clients.mixed", "clients.mixed_hours"] {
            assert_eq!(m(&check, k), m(&legacy, k), "{k}");
        }
        // Q249077's fix alone removes every mixed client but not the SP1
        // CCM's attempts on SP2 machines.
        let fixed = metrics_of(&s, &Policy::legacy_with(Knob::LogonCopylog));
        assert_eq!(m(&fixed, "lsm.copylog_claims_newer"), 0.0);
        assert_eq!(m(&fixed, "clients.mixed_ever"), 0.0);
        assert!(m(&fixed, "ccm.cross_version_attempts") > 0.0);
        // One release throughout: no logon point is ever simulated.
        let text = MIXED.replace(r#""rollout":{"start":"6h","every":"1d"}"#, r#""domains":1"#);
        let flat = smssim_scenario::load_str(&text, "t", &[]).unwrap();
        let f = metrics_of(&flat, &Policy::legacy());
        assert_eq!(m(&f, "lsm.passes"), 0.0);
        assert_eq!(m(&f, "clients.mixed_ever"), 0.0);
        assert!(m(&legacy, "lsm.passes") > 0.0);
    }

    #[test]
    fn mixed_clients_are_repaired_only_with_a_local_administrator_logged_on() {
        let m = |x: &crate::record::Metrics, k: &str| x.get(k).unwrap();
        let with = |share: &str| {
            let text = MIXED.replace(
                r#""ccr":{"#,
                &format!(r#""ccr":{{"logon_points":{{"local_admin_share":{share}}},"#),
            );
            let s = smssim_scenario::load_str(&text, "t", &[]).unwrap();
            metrics_of(&s, &Policy::legacy())
        };
        let all = with("1");
        assert!(m(&all, "clients.repaired") > 0.0);
        assert_eq!(m(&all, "clients.orphaned"), 0.0);
        let none = with("0");
        assert_eq!(m(&none, "clients.repaired"), 0.0);
        assert!(m(&none, "clients.orphaned") > 0.0);
        // Who becomes mixed does not depend on who can repair.
        assert_eq!(
            m(&all, "clients.mixed_ever"),
            m(&none, "clients.mixed_ever")
        );
        assert_eq!(m(&none, "clients.mixed"), m(&none, "clients.mixed_ever"));
    }
}
