//! The shared state of the world that every subsystem reads: which clients
//! are powered on, when their users arrive and log on, and each site's
//! current service pack. The world's own events (power, logon, upgrades)
//! are handled here and announced to the subsystems.

use crate::hierarchy::{ClientId, Hierarchy, SiteId};
use crate::streams;
use rand::RngExt;
use rand_distr::{Distribution, Exp, Normal};
use smssim_engine::{SimTime, Streams, DAY, MINUTE};
use smssim_scenario::{spec::Clients, Calendar, Scenario, SiteVersion};

/// Events of the world itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorldEvent {
    /// A user switches a client on.
    PowerOn(ClientId),
    /// A user switches a client off.
    PowerOff(ClientId),
    /// A user logs on to a client (on calendar day `day`).
    Logon(ClientId, u16),
    /// A site's service pack upgrade completes.
    SiteUpgrade(SiteId, SiteVersion),
    /// Take a time-series sample.
    Sample,
    /// Write the inbox snapshot of `trace --at`.
    Snapshot,
}

impl WorldEvent {
    /// The event's kind and the entity it concerns, for fingerprints.
    pub fn key(&self) -> (&'static str, u64) {
        match *self {
            WorldEvent::PowerOn(c) => ("PowerOn", u64::from(c)),
            WorldEvent::PowerOff(c) => ("PowerOff", u64::from(c)),
            WorldEvent::Logon(c, d) => ("Logon", u64::from(d) << 32 | u64::from(c)),
            WorldEvent::SiteUpgrade(s, v) => {
                ("SiteUpgrade", u64::from(v.build()) << 32 | u64::from(s))
            }
            WorldEvent::Sample => ("Sample", 0),
            WorldEvent::Snapshot => ("Snapshot", 0),
        }
    }
}

/// One user's day: absolute virtual times (negative: before the run).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DayPlan {
    /// Arrival (and power-on, for users who switch off at night).
    pub arrive: i64,
    /// Logon.
    pub logon: i64,
    /// Leaving (and power-off, for users who switch off at night).
    pub leave: i64,
}

/// Mutable state shared by the subsystems.
#[derive(Debug, Clone)]
pub struct World {
    /// Whether each client is powered on.
    pub powered: Vec<bool>,
    /// Whether each client's user switches it off at night.
    pub night_off: Vec<bool>,
    /// Each client clock's offset from site time, in milliseconds.
    pub skew_ms: Vec<i32>,
    /// Each site's current service pack.
    pub site_version: Vec<SiteVersion>,
    /// Clients powered on now.
    pub powered_count: u64,
    calendar: Calendar,
    params: Clients,
}

impl World {
    /// The world at virtual time 0: client attributes drawn, site versions
    /// as planned.
    pub fn new(scenario: &Scenario, h: &Hierarchy, streams: &Streams) -> Self {
        let params = scenario.spec.clients.clone();
        let n = h.clients.len();
        let share = params.power_off_at_night.get();
        let skew = Normal::new(0.0, params.clock_skew_sigma.millis() as f64).expect("sigma >= 0");
        let mut night_off = Vec::with_capacity(n);
        let mut skew_ms = Vec::with_capacity(n);
        for c in 0..n as u64 {
            let mut rng = streams.open(streams::CLIENT_INIT, c, 0);
            night_off.push(rng.random_bool(share));
            let s: f64 = skew.sample(&mut rng);
            skew_ms.push(s.round().clamp(i32::MIN as f64, i32::MAX as f64) as i32);
        }
        World {
            powered: vec![false; n],
            night_off,
            skew_ms,
            site_version: h.sites.iter().map(|s| s.version).collect(),
            powered_count: 0,
            calendar: scenario.spec.start,
            params,
        }
    }

    /// The calendar of the run.
    pub fn calendar(&self) -> &Calendar {
        &self.calendar
    }

    /// Whether users come in on calendar day `d` (0 = the start's day).
    pub fn is_workday(&self, d: u64) -> bool {
        if self.params.weekend_work {
            return true;
        }
        let start_wd = u64::from(self.calendar.civil(0).weekday);
        (start_wd + d) % 7 < 5
    }

    /// The first workday after day `d`.
    pub fn next_workday(&self, d: u64) -> u64 {
        (d + 1..)
            .find(|&x| self.is_workday(x))
            .expect("a workday within a week")
    }

    /// Client `c`'s plan for calendar day `d`, drawn from its own stream so
    /// that every policy sees the same day.
    pub fn plan(&self, streams: &Streams, c: ClientId, d: u64) -> DayPlan {
        let p = &self.params;
        let mut rng = streams.open(streams::CLIENT_DAY, u64::from(c), d);
        let midnight = (d * DAY) as i64 - self.calendar.time_of_day(0) as i64;
        let arrive_n = Normal::new(p.arrive.millis() as f64, p.arrive_sigma.millis() as f64)
            .expect("sigma >= 0");
        let leave_n = Normal::new(p.leave.millis() as f64, p.leave_sigma.millis() as f64)
            .expect("sigma >= 0");
        let arrive = arrive_n.sample(&mut rng).clamp(0.0, (DAY - MINUTE) as f64) as i64;
        // At least half an hour at work, and gone before midnight (an
        // arrival drawn late in the day leaves at the last millisecond).
        let earliest_leave = (arrive + 30 * MINUTE as i64).min(DAY as i64 - 1);
        let leave = (leave_n.sample(&mut rng) as i64).clamp(earliest_leave, DAY as i64 - 1);
        let delay = if p.logon_delay.millis() == 0 {
            0
        } else {
            Exp::new(1.0 / p.logon_delay.millis() as f64)
                .expect("rate > 0")
                .sample(&mut rng) as i64
        };
        let logon = (arrive + delay).min(leave - 1);
        DayPlan {
            arrive: midnight + arrive,
            logon: midnight + logon,
            leave: midnight + leave,
        }
    }

    /// The calendar day of virtual time `t`.
    pub fn day_of(&self, t: SimTime) -> u64 {
        self.calendar.day_index(t)
    }
}

/// Converts a plan time that may precede the run to a time to schedule at.
pub fn at(t: i64) -> SimTime {
    t.max(0) as SimTime
}
