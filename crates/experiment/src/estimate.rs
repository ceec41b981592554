//! How much memory an invocation needs, from its scenarios alone.
//!
//! Every allocation of the model that grows with the input is counted here,
//! by dimension, in bytes:
//!
//! * the **hierarchy** of a grid point (`smssim_model::Hierarchy`), built
//!   once per point and shared read-only by the point's runs: a column of
//!   each client attribute, the subnets, CAPs, DPs, domains and sites;
//! * the **state of one run** (the world, the subsystems, the event
//!   calendar, the time series the run records), held by every run in
//!   flight: `min(jobs, runs of the point)` at once;
//! * the **records** of every run of the invocation
//!   (`smssim_results::RunRecord`: metrics and the whole time series), held
//!   until the results files are written;
//! * the **grid points** (each `Point` holds a validated `Scenario`), held
//!   for the whole invocation.
//!
//! Each constant below says what it covers and how it was measured: release
//! builds (`cargo build --release`), one dimension scaled up at a time from
//! `t.json` = `{"name":"t","duration_days":1,"topology":{"child_sites":1,
//! "clients_per_cap":10}}` (2 sites, 20 clients; 5.4 MB peak resident),
//! peak resident memory from `/usr/bin/time -f %M`, `--jobs 1`. The cost of
//! a unit is the difference of two peaks over the difference of the units,
//! rounded up. Where resident memory undercounts an allocation (a zeroed
//! `vec!` whose pages are never touched) the constant is the allocation's
//! size, since an allocation fails on its size, not on the pages touched.
//!
//! What the estimate leaves out: state that grows with how often things
//! happen rather than how many there are (copy queues when
//! `status.heartbeat_interval` or `status.inventory_interval` are set far
//! below their defaults of 7 days, sends of package updates retried
//! through a long link outage). With intervals near the defaults that
//! state is part of the per-client and per-update costs measured here.

use smssim_engine::DAY;
use smssim_scenario::Scenario;
use std::fmt;
use std::mem::size_of;

/// Bytes of the hierarchy per client: its site (`u16`), CAP (`u32`) and
/// subnet (`u32`) columns, 10 bytes, rounded up. Measured: 1,000,000
/// clients build a 10 MB hierarchy.
pub const CLIENT_HIERARCHY_BYTES: u64 = 12;

/// Bytes of the hierarchy per boundary subnet (`Subnet`: site, range of
/// clients, the sites that also list it, and its entry in its sites'
/// boundary lists). 40 bytes of struct and 8 of list entries; 96 leaves
/// room for the heap block of `also_in` with overlapping boundaries.
pub const SUBNET_BYTES: u64 = 96;

/// Bytes of one run's state per client, whatever the run's length: the
/// world's columns (power, night-off, clock skew, SMS client; twice, since
/// the status lane keeps its own copy), Copy Queue Manager's
/// 32-byte record, the CCR subsystem's columns (flags, release,
/// membership, join time, first CCR, install time, counters, box counts)
/// and the client's pending events in the calendar.
///
/// Measured on `t.json --set topology.caps_per_site=5 --set
/// topology.clients_per_cap=20000|100000 --set duration_days=7` (200,000 and
/// 1,000,000 clients): 52.8 and 225.4 MB peak, 221 bytes a client; and on
/// `scenarios/million-clients.json` (1,000,000 clients, 7 days): 241 MB,
/// 236 bytes a client with the hierarchy. Rounded up to 256.
pub const CLIENT_RUN_BYTES: u64 = 256;

/// Bytes of one run's state per client and simulated day: what the run
/// keeps once made (distribution jobs, the latency histogram's tail, CCR
/// bookkeeping) grows slowly with the run's length.
///
/// Measured with 200,000 clients (`t.json --set topology.caps_per_site=5
/// --set topology.clients_per_cap=20000`): 26.2, 52.8, 68.2, 89.4 and
/// 103.3 MB peak at 1, 7, 21, 60 and 200 days; beyond the first week,
/// 0.6 to 5.5 bytes a client a day, of which [`CCR_REQUEST_BYTES`] covers
/// the CCRs of the default 2% new machines (up to 1.9). 2 covers the rest
/// with the 256 of [`CLIENT_RUN_BYTES`] (60 days: 491 bytes estimated
/// against 420 measured; 200 days: 1,040 against 501).
pub const CLIENT_DAY_BYTES: u64 = 2;

/// Bytes of one CCR (Client Configuration Request) record. The CCR store
/// keeps every record a run creates until the run ends; Discovery Data
/// Manager writes one for each discovery of a machine that is not yet a
/// client of the discovering site (a logon, or a Network Discovery cycle),
/// so new machines (`ccr.new_machines.share`) that stay uninstalled add
/// records every day.
///
/// Measured on `scenarios/ccr-retry.json --set topology.clients_per_cap=100000
/// --set ccr.faults.no_admin_share=1` (200,000 machines that never
/// install): 296.2 MB at 9 days with 3,323,344 CCRs, 854.0 MB at 27 days
/// with 10,739,027: 77 bytes a CCR. Rounded up to 96.
pub const CCR_REQUEST_BYTES: u64 = 96;

/// Bytes of one run's state per client and advertisement: the
/// advertisement's byte per client (targeted, ran, status counts). Zeroed
/// on allocation, so resident only once touched; counted in full.
pub const AD_CLIENT_BYTES: u64 = 1;

/// Bytes of the hierarchy per CAP (`Cap`: its site and range of clients).
pub const CAP_HIERARCHY_BYTES: u64 = 16;

/// Bytes of one run's state per CAP: three inboxes (a name set and a file
/// queue each), the Inbox Manager Assistant's flag and its pending poll in
/// the calendar. A CAP's files are counted with the clients that copy them.
///
/// Measured on `t.json --set topology.clients_per_cap=0 --set
/// topology.caps_per_site=1000000|2000000` (2,000,000 and 4,000,000 CAPs):
/// 589.1 and 1,132.4 MB peak at 1 day, 278 bytes a CAP; 604.3 MB for
/// 2,000,000 CAPs at 7 days, 307 bytes a CAP. Rounded up to 320.
pub const CAP_RUN_BYTES: u64 = 320;

/// Bytes of the hierarchy per distribution point: its site (`u16`).
pub const DP_HIERARCHY_BYTES: u64 = 2;

/// Bytes of one run's state per DP and package: the version of each
/// package on each DP (`u32`). Zeroed on allocation, so resident only once
/// touched; counted in full. A DP costs this once more for the list of a
/// site's DPs Distribution Manager builds when it sends a package there.
///
/// Measured on `t.json --set topology.dps_per_site=10000000|50000000`
/// (20,000,000 and 100,000,000 DPs, one package): 83.1 and 395.6 MB peak,
/// 4 bytes a DP resident of the 2 + 4 allocated.
pub const DP_PACKAGE_BYTES: u64 = 4;

/// Bytes of the hierarchy per Windows NT domain: its name (a `String` and
/// its heap block) and number of controllers.
///
/// Measured on `t.json --set topology.domains=1000000|10000000`: 67.6 and
/// 630.0 MB peak, 64 bytes a domain. No run keeps anything per domain.
pub const DOMAIN_HIERARCHY_BYTES: u64 = 64;

/// Bytes of the hierarchy per site: code, parent, children, ranges,
/// boundary list.
pub const SITE_HIERARCHY_BYTES: u64 = 512;

/// Bytes of one run's state per site: Client Configuration Manager's queue
/// and threads, Distribution Manager's tasks, retries and Sender
/// addresses, the site's code, its discovery and heartbeat cycles.
///
/// Measured on `t.json --set topology.clients_per_cap=1 --set
/// topology.child_sites=1|2599 --set duration_days=7`: 5.1 and 12.8 MB
/// peak, 3.07 KB a site with its CAP, client and 7 package updates (about
/// 1 KB of those). 512 + 3,072 covers it.
pub const SITE_RUN_BYTES: u64 = 3072;

/// Bytes of one run's state per package update (the update, its event):
/// see [`UPDATE_SITE_BYTES`].
pub const UPDATE_RUN_BYTES: u64 = 128;

/// Bytes of one run's state per package update and site: when and how
/// often each site processed and was sent the update, its jobs and tasks.
///
/// Measured on `t.json --set distribution.routine.first=0s --set
/// distribution.routine.every=1s|10s` (86,401 and 8,641 updates, 2 sites):
/// 14.1 and 6.5 MB peak, 100 bytes an update; with `--set
/// topology.child_sites=49` (50 sites) and `every=10s`: 28.0 MB against 5.2
/// with `every=1h`, 2,710 bytes an update, 54 a site. 128 + 64 a site
/// covers both.
pub const UPDATE_SITE_BYTES: u64 = 64;

/// Bytes of one time-series point (`smssim_model::Point`: time, name,
/// value), kept in a `Vec` that doubles as it grows.
///
/// Measured on `t.json --set sample_interval=1s|10s` (864,010 and 86,410
/// points of 10 series): 43.0 and 8.9 MB peak, 44.9 bytes a point: 40 of
/// struct and a tenth of [`SERIES_NAME_BYTES`] (one series in ten is named
/// for its site).
pub const SERIES_POINT_BYTES: u64 = size_of::<smssim_model::Point>() as u64;

/// Bytes of the name of a series that is named for its site
/// (`sched.backlog.<CODE>`, one per site with child sites), formatted at
/// each sample: a 28-byte `String` in a 48-byte heap block.
///
/// Measured on `t.json --set topology.child_sites=100 --set
/// topology.grandchild_sites=100 --set topology.clients_per_cap=1 --set
/// sample_interval=10s` (110 series, 101 of them named for a site, 8,641
/// samples): 83.7 MB peak against 6.4 with `sample_interval=1h`, 83 bytes a
/// point (40 + 48 × 101/110 = 84).
pub const SERIES_NAME_BYTES: u64 = 48;

/// Bytes of one metric of a run's record (`smssim_model::Metric`).
pub const METRIC_BYTES: u64 = size_of::<smssim_model::Metric>() as u64;

/// Bytes of a run's record beyond its metrics and series: the record
/// itself and its slot in the per-point results, the planned run, the
/// scenario and policy names.
///
/// Measured on `smssim run t.json --jobs 2 --replications 1000|10000`:
/// 57.1 and 516.6 MB peak, 52.3 KB a run, of which the series are 45.6 KB
/// (970 points in a 1,024-point `Vec`, 97 site-named) and the metrics 6.1
/// KB (83 in a 128-row `Vec`). 1 KB covers the rest.
pub const RECORD_BYTES: u64 = 1024;

/// Bytes of a varied key and value, in a grid point and in each of its
/// runs' records (a pair of `String`s and their heap blocks).
pub const PARAM_BYTES: u64 = 128;

/// Bytes of a loaded grid point apart from its sites: the validated
/// scenario (every section of the spec) and the point.
///
/// Measured on `smssim sweep t.json --vary seed=1..100|1..1000 --vary
/// duration_days=1..100 --shard 0/4294967295` (10,000 and 100,000 points,
/// one run made): 24.2 and 197.1 MB peak, 1.97 KB a point with two varied
/// keys. Rounded up to 2 KB and [`PARAM_BYTES`] a key.
pub const POINT_BYTES: u64 = 2048;

/// Bytes of a loaded grid point per site it plans (`PlannedSite`).
///
/// Measured as for [`POINT_BYTES`] with `--set topology.child_sites=199`:
/// 2,746.7 MB for 100,000 points of 200 sites, 27.5 KB a point, 128 bytes
/// a site.
pub const PLANNED_SITE_BYTES: u64 = 128;

/// Bytes of a loaded grid point per site of an explicit `topology.sites`
/// list, per workload advertisement and per workload package (the spec's
/// entries and their strings).
pub const SPEC_ENTRY_BYTES: u64 = 256;

/// Bytes the process needs whatever it runs: code, the runtime, the worker
/// threads. Measured: 5.4 MB peak for `t.json`.
pub const PROCESS_BYTES: u64 = 16 << 20;

/// A share of the estimate: what it counts, for messages and advice.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Part {
    /// Clients: the hierarchy's columns and subnets, and each run's state.
    Clients,
    /// CCR records of new machines, kept until a run ends.
    CcrRequests,
    /// Each advertisement's byte per client.
    Advertisements,
    /// CAPs: the hierarchy's, and each run's inboxes.
    Caps,
    /// Distribution points: the hierarchy's, and each run's package versions.
    Dps,
    /// Windows NT domains (the hierarchy's).
    Domains,
    /// Sites: the hierarchy's, and each run's site servers.
    Sites,
    /// Package updates and their state at each site.
    Updates,
    /// The time series of the runs in flight.
    Samples,
    /// The records of finished runs: metrics and time series.
    Records,
    /// The loaded grid points.
    Points,
    /// The process itself.
    Process,
}

impl Part {
    const ALL: [Part; 12] = [
        Part::Clients,
        Part::CcrRequests,
        Part::Advertisements,
        Part::Caps,
        Part::Dps,
        Part::Domains,
        Part::Sites,
        Part::Updates,
        Part::Samples,
        Part::Records,
        Part::Points,
        Part::Process,
    ];
}

/// Bytes of a grid point's model state, by dimension.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Dims {
    /// Clients (and their subnets).
    pub clients: u64,
    /// CCR records of new machines.
    pub ccr_requests: u64,
    /// Advertisements × clients.
    pub advertisements: u64,
    /// CAPs.
    pub caps: u64,
    /// Distribution points (× packages).
    pub dps: u64,
    /// Domains.
    pub domains: u64,
    /// Sites.
    pub sites: u64,
    /// Package updates (× sites).
    pub updates: u64,
    /// Time-series samples × series.
    pub samples: u64,
}

impl Dims {
    /// The bytes of one part (0 for the parts that are not dimensions).
    pub fn get(&self, part: Part) -> u64 {
        match part {
            Part::Clients => self.clients,
            Part::CcrRequests => self.ccr_requests,
            Part::Advertisements => self.advertisements,
            Part::Caps => self.caps,
            Part::Dps => self.dps,
            Part::Domains => self.domains,
            Part::Sites => self.sites,
            Part::Updates => self.updates,
            Part::Samples => self.samples,
            Part::Records | Part::Points | Part::Process => 0,
        }
    }

    /// All dimensions together.
    pub fn total(&self) -> u64 {
        Part::ALL
            .iter()
            .fold(0u64, |a, &p| a.saturating_add(self.get(p)))
    }
}

/// How many of each thing a grid point has, for messages.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Clients.
    pub clients: u64,
    /// Machines that are not clients at the start (`ccr.new_machines.share`).
    pub new_machines: u64,
    /// Workload advertisements.
    pub advertisements: u64,
    /// CAPs.
    pub caps: u64,
    /// Distribution points.
    pub dps: u64,
    /// Distinct packages.
    pub packages: u64,
    /// Domains.
    pub domains: u64,
    /// Sites.
    pub sites: u64,
    /// Package updates in the run.
    pub updates: u64,
    /// Time-series samples a run takes.
    pub samples: u64,
    /// Series per sample.
    pub series: u64,
    /// Whole simulated days (rounded up).
    pub days: u64,
}

/// What one grid point costs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PointCost {
    /// How many of each thing it has.
    pub counts: Counts,
    /// Its hierarchy, built once and shared by its runs.
    pub hierarchy: Dims,
    /// The state of one of its runs in flight, time series included.
    pub run: Dims,
    /// A finished run's record: metrics, time series, names.
    pub record: u64,
    /// The loaded point, held for the whole invocation.
    pub held: u64,
}

fn mul(a: u64, b: u64) -> u64 {
    a.saturating_mul(b)
}

/// The capacity a `Vec` grown one push at a time reaches for `n` items.
fn vec_capacity(n: u64) -> u64 {
    if n == 0 {
        0
    } else {
        n.max(4).checked_next_power_of_two().unwrap_or(u64::MAX)
    }
}

impl PointCost {
    /// The cost of a validated scenario with these varied keys.
    pub fn of(scenario: &Scenario, params: &[(String, String)]) -> Self {
        let spec = &scenario.spec;
        let topo = &spec.topology;
        let days = scenario.horizon.div_ceil(DAY).max(1);
        let per_subnet = u64::from(topo.clients_per_subnet.get()).max(1);
        let overlap = topo.overlap_share.get();
        let new_share = spec.ccr.new_machines.share.get();
        let d = &spec.ccr.discovery;

        let sites = scenario.sites.len() as u64;
        let mut clients = 0u64;
        let mut caps = 0u64;
        let mut dps = 0u64;
        let mut subnets = 0u64;
        // Machines × the sites whose boundaries hold them: each such site
        // writes its own CCRs.
        let mut reach = 0f64;
        let mut senders = vec![false; scenario.sites.len()];
        for s in &scenario.sites {
            let site_clients = mul(u64::from(s.caps), u64::from(s.clients_per_cap));
            clients = clients.saturating_add(site_clients);
            caps = caps.saturating_add(u64::from(s.caps));
            dps = dps.saturating_add(u64::from(s.dps));
            subnets = subnets.saturating_add(mul(
                u64::from(s.caps),
                u64::from(s.clients_per_cap).div_ceil(per_subnet),
            ));
            let others = (s.also_in_boundaries_of.len() as f64 + overlap).min(7.0);
            reach += site_clients as f64 * (1.0 + others);
            if let Some(p) = s.parent {
                if let Some(x) = senders.get_mut(p) {
                    *x = true;
                }
            }
        }
        let senders = senders.iter().filter(|&&x| x).count() as u64;
        let new_machines = (clients as f64 * new_share).ceil() as u64;
        // Discoveries of a machine a day that can write a CCR: one logon,
        // and each Network Discovery cycle.
        let per_day = f64::from(u8::from(d.logon))
            + d.network_every
                .map_or(0.0, |e| DAY as f64 / e.millis().max(1) as f64);
        let ccrs = reach * new_share * per_day * days as f64;
        let ccrs = if ccrs >= u64::MAX as f64 {
            u64::MAX
        } else {
            ccrs.ceil() as u64
        };

        let ads = spec.workload.advertisements.len() as u64;
        let mut names: Vec<&str> = spec
            .workload
            .packages
            .iter()
            .map(|p| p.package.as_str())
            .collect();
        let mut updates = spec.workload.packages.len() as u64;
        if let Some(r) = &spec.distribution.routine {
            names.push(&r.package);
            let (first, every) = (r.first.millis(), r.every.millis());
            if every > 0 && first <= scenario.horizon {
                updates = updates.saturating_add((scenario.horizon - first) / every + 1);
            }
        }
        names.sort_unstable();
        names.dedup();
        let packages = names.len() as u64;

        let domains = u64::from(topo.domains.get());
        let samples = scenario.horizon / spec.sample_interval.millis().max(1) + 1;
        let (fixed, per_site) = series_per_sample();
        let series = fixed.saturating_add(mul(per_site, senders));
        let points = mul(samples, series);
        let series_bytes = mul(vec_capacity(points), SERIES_POINT_BYTES)
            .saturating_add(mul(mul(samples, mul(per_site, senders)), SERIES_NAME_BYTES));

        let hierarchy = Dims {
            clients: mul(clients, CLIENT_HIERARCHY_BYTES)
                .saturating_add(mul(subnets, SUBNET_BYTES)),
            caps: mul(caps, CAP_HIERARCHY_BYTES),
            dps: mul(dps, DP_HIERARCHY_BYTES),
            domains: mul(domains, DOMAIN_HIERARCHY_BYTES),
            sites: mul(sites, SITE_HIERARCHY_BYTES),
            ..Dims::default()
        };
        let run = Dims {
            clients: mul(
                clients,
                CLIENT_RUN_BYTES.saturating_add(mul(days, CLIENT_DAY_BYTES)),
            ),
            ccr_requests: mul(ccrs, CCR_REQUEST_BYTES),
            advertisements: mul(mul(ads, clients), AD_CLIENT_BYTES),
            caps: mul(caps, CAP_RUN_BYTES),
            dps: mul(dps, mul(packages.saturating_add(1), DP_PACKAGE_BYTES)),
            domains: 0,
            sites: mul(sites, SITE_RUN_BYTES),
            updates: mul(
                updates,
                UPDATE_RUN_BYTES.saturating_add(mul(sites, UPDATE_SITE_BYTES)),
            ),
            samples: series_bytes,
        };
        let keys = params.len() as u64;
        let record = series_bytes
            .saturating_add(mul(vec_capacity(metric_rows()), METRIC_BYTES))
            .saturating_add(RECORD_BYTES)
            .saturating_add(mul(keys, PARAM_BYTES));
        let explicit = topo.sites.as_ref().map_or(0, |v| v.len() as u64);
        let held = POINT_BYTES
            .saturating_add(mul(keys, PARAM_BYTES))
            .saturating_add(mul(sites, PLANNED_SITE_BYTES))
            .saturating_add(mul(
                explicit
                    .saturating_add(ads)
                    .saturating_add(spec.workload.packages.len() as u64),
                SPEC_ENTRY_BYTES,
            ));
        PointCost {
            counts: Counts {
                clients,
                new_machines,
                advertisements: ads,
                caps,
                dps,
                packages,
                domains,
                sites,
                updates,
                samples,
                series,
                days,
            },
            hierarchy,
            run,
            record,
            held,
        }
    }

    /// Bytes while `at_once` of the point's runs execute: its hierarchy
    /// and their state (none without runs: no hierarchy is built).
    pub fn peak(&self, at_once: u64) -> u64 {
        if at_once == 0 {
            return 0;
        }
        self.hierarchy
            .total()
            .saturating_add(mul(self.run.total(), at_once))
    }
}

/// Series every sample has, and series per site with child sites, from the
/// metric catalogue (a series named `…<CODE>` is one per such site).
fn series_per_sample() -> (u64, u64) {
    let mut fixed = 0;
    let mut per_site = 0;
    for part in smssim_model::parts() {
        for s in part.series {
            if s.name.ends_with("<CODE>") {
                per_site += 1;
            } else {
                fixed += 1;
            }
        }
    }
    (fixed, per_site)
}

/// Metrics a run records at most, from the metric catalogue.
fn metric_rows() -> u64 {
    smssim_model::parts()
        .iter()
        .map(|p| p.metrics.len() as u64)
        .sum()
}

/// Adds up an estimate point by point.
#[derive(Debug, Clone)]
pub struct Tally {
    jobs: u64,
    peak: Option<(PointCost, u64)>,
    runs: u64,
    records: u64,
    n_points: u64,
    points: u64,
}

impl Tally {
    /// Nothing yet, for `jobs` runs executed at once.
    pub fn new(jobs: usize) -> Self {
        Tally {
            jobs: (jobs as u64).max(1),
            peak: None,
            runs: 0,
            records: 0,
            n_points: 0,
            points: 0,
        }
    }

    /// Adds `points` grid points that each cost `cost`, making `runs` runs
    /// in all and at most `max_runs` each.
    pub fn add(&mut self, cost: &PointCost, points: u64, runs: u64, max_runs: u64) {
        if points == 0 {
            return;
        }
        self.n_points = self.n_points.saturating_add(points);
        self.points = self.points.saturating_add(mul(cost.held, points));
        self.runs = self.runs.saturating_add(runs);
        self.records = self.records.saturating_add(mul(cost.record, runs));
        let at_once = self.jobs.min(max_runs);
        // The series of the runs in flight are counted with the records
        // (every run's), so the point that needs the most while its runs
        // execute is the one with the most besides them.
        let beyond = |c: &PointCost, k: u64| c.peak(k).saturating_sub(mul(c.run.samples, k));
        let bigger = match &self.peak {
            None => true,
            Some((p, k)) => beyond(cost, at_once) > beyond(p, *k),
        };
        if bigger && at_once > 0 {
            self.peak = Some((cost.clone(), at_once));
        }
    }

    /// The estimate so far.
    pub fn estimate(&self) -> Estimate {
        let (cost, at_once) = self.peak.clone().unwrap_or_default();
        // The series of the runs in flight are counted with their state;
        // the records count every other run's.
        let in_flight = mul(cost.run.samples, at_once);
        Estimate {
            hierarchy: if at_once > 0 {
                cost.hierarchy
            } else {
                Dims::default()
            },
            per_run: cost.run,
            runs_at_once: at_once,
            counts: cost.counts,
            runs: self.runs,
            records: self.records.saturating_sub(in_flight),
            n_points: self.n_points,
            points: self.points,
            process: PROCESS_BYTES,
        }
    }
}

/// The memory an invocation needs, by part.
///
/// While a grid point's runs execute the process holds that point's
/// hierarchy and the state of its runs in flight; the point chosen is the
/// one for which that is largest. Besides, it holds the records of every
/// run of the invocation and every grid point.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Estimate {
    /// The hierarchy of the point whose runs need the most, by dimension.
    pub hierarchy: Dims,
    /// The state of one run of that point, by dimension.
    pub per_run: Dims,
    /// Runs of that point executed at once: `min(jobs, its runs)`.
    pub runs_at_once: u64,
    /// How many of each thing that point has.
    pub counts: Counts,
    /// Runs the invocation makes.
    pub runs: u64,
    /// Bytes of the records of every run not in flight (metrics and time
    /// series), and the planned runs.
    pub records: u64,
    /// Grid points.
    pub n_points: u64,
    /// Bytes of the grid points held.
    pub points: u64,
    /// Bytes the process needs whatever it runs.
    pub process: u64,
}

impl Estimate {
    /// The estimate for one run of a scenario.
    pub fn single(scenario: &Scenario) -> Self {
        let mut t = Tally::new(1);
        t.add(&PointCost::of(scenario, &[]), 1, 1, 1);
        t.estimate()
    }

    /// Bytes of one part.
    pub fn part(&self, part: Part) -> u64 {
        match part {
            Part::Records => self.records,
            Part::Points => self.points,
            Part::Process => self.process,
            p => self
                .hierarchy
                .get(p)
                .saturating_add(mul(self.per_run.get(p), self.runs_at_once)),
        }
    }

    /// Every part with its bytes, largest first.
    pub fn parts(&self) -> Vec<(Part, u64)> {
        let mut v: Vec<(Part, u64)> = Part::ALL.iter().map(|&p| (p, self.part(p))).collect();
        v.sort_by_key(|&(_, b)| std::cmp::Reverse(b));
        v
    }

    /// The largest part.
    pub fn largest(&self) -> Part {
        self.parts()[0].0
    }

    /// Bytes in all.
    pub fn total(&self) -> u64 {
        Part::ALL
            .iter()
            .fold(0u64, |a, &p| a.saturating_add(self.part(p)))
    }

    /// What a part counts, in words: `4294967295 domains`.
    pub fn describe(&self, part: Part) -> String {
        let c = &self.counts;
        let text = match part {
            Part::Clients => format!("{} clients", c.clients),
            Part::CcrRequests => format!(
                "the CCRs of {} new machines over {} days",
                c.new_machines, c.days
            ),
            Part::Advertisements => {
                format!(
                    "{} advertisements × {} clients",
                    c.advertisements, c.clients
                )
            }
            Part::Caps => format!("{} CAPs", c.caps),
            Part::Dps => format!(
                "{} DPs × {} package{}",
                c.dps,
                c.packages,
                if c.packages == 1 { "" } else { "s" }
            ),
            Part::Domains => format!("{} domains", c.domains),
            Part::Sites => format!("{} sites", c.sites),
            Part::Updates => format!("{} package updates × {} sites", c.updates, c.sites),
            Part::Samples => format!("{} samples × {} series", c.samples, c.series),
            Part::Records => format!("the records of {} runs", self.runs),
            Part::Points => format!("{} grid points", self.n_points),
            Part::Process => "the program and its threads".to_string(),
        };
        let per_run = self.per_run.get(part) > 0 && self.runs_at_once > 1;
        if per_run {
            format!("{text} ({} runs at once)", self.runs_at_once)
        } else {
            text
        }
    }

    /// What to change to need less, from the largest part.
    pub fn advice(&self) -> String {
        let part = self.largest();
        let what = match part {
            Part::Clients => {
                "lower topology.clients_per_cap or the number of sites (e.g. --set topology.clients_per_cap=N)"
            }
            Part::CcrRequests => {
                "lower ccr.new_machines.share, discover less often (ccr.discovery.network_every) or shorten duration_days"
            }
            Part::Advertisements => "list fewer workload.advertisements or lower topology.clients_per_cap",
            Part::Caps => "lower topology.caps_per_site (e.g. --set topology.caps_per_site=N)",
            Part::Dps => "lower topology.dps_per_site (e.g. --set topology.dps_per_site=N)",
            Part::Domains => "lower topology.domains (e.g. --set topology.domains=N)",
            Part::Sites => "lower topology.child_sites or topology.grandchild_sites",
            Part::Updates => "raise distribution.routine.every or list fewer workload.packages",
            Part::Samples => "raise sample_interval (e.g. --set sample_interval=1h) or shorten duration_days",
            Part::Records => {
                let series = mul(self.counts.samples, self.counts.series);
                if series > metric_rows().saturating_mul(4) {
                    "make fewer runs (lower --replications, fewer policies or --vary values) or raise sample_interval"
                } else {
                    "make fewer runs (lower --replications, fewer policies or --vary values)"
                }
            }
            Part::Points => "give fewer --vary values",
            Part::Process => "nothing to lower",
        };
        if self.runs_at_once > 1 && self.per_run.get(part) > 0 {
            format!(
                "lower --jobs ({} runs at once) or {what}",
                self.runs_at_once
            )
        } else {
            what.to_string()
        }
    }
}

/// Bytes for people: `512 KiB`, `37 MiB`, `137.4 GiB`, `60.0 TiB`.
pub fn human(bytes: u64) -> String {
    const KIB: u64 = 1 << 10;
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    const TIB: u64 = 1 << 40;
    if bytes >= TIB {
        format!("{:.1} TiB", bytes as f64 / TIB as f64)
    } else if bytes >= GIB {
        format!("{:.1} GiB", bytes as f64 / GIB as f64)
    } else if bytes >= MIB {
        format!("{} MiB", bytes.div_ceil(MIB))
    } else {
        format!("{} KiB", bytes.div_ceil(KIB))
    }
}

impl Estimate {
    /// The largest parts (up to three, each at least 1% of the total), in
    /// words: `4294967295 domains need about 256.0 GiB, 2 sites need about
    /// 8 KiB`.
    pub fn summary(&self) -> String {
        let total = self.total();
        self.parts()
            .into_iter()
            .filter(|&(_, b)| b > 0 && b >= total / 100)
            .take(3)
            .map(|(p, b)| format!("{} need about {}", self.describe(p), human(b)))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

impl fmt::Display for Estimate {
    /// The total and its largest parts: `256.0 GiB (4294967295 domains
    /// need about 256.0 GiB, ...)`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", human(self.total()), self.summary())
    }
}
