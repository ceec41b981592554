//! Random stream purposes. The numbers are part of the reproducibility
//! contract: never renumber, only add. Ranges: world 1–15, status 16–31,
//! CCR 32–47, distribution 48–63.

/// Per-client set-up draws: night-off flag, clock skew.
pub const CLIENT_INIT: u16 = 1;
/// Per-client, per-day draws: arrival, logon, leaving.
pub const CLIENT_DAY: u16 = 2;

/// CCR: per-machine set-up draws: new machine?, join time, no `admin$`.
pub const CCR_MACHINE: u16 = 32;
/// CCR: per-machine membership of access-denied window `i` (occurrence `i`).
pub const CCR_DENY: u16 = 33;
/// CCR: random 8-character CCR names, per machine, by the machine's name
/// counter.
pub const CCR_NAME: u16 = 34;
/// CCR: step durations of a CCM attempt, per machine, by its attempt counter.
pub const CCR_ATTEMPT: u16 = 35;
/// CCR: delay from discovery to Discovery Data Manager, per machine, by the
/// second of discovery.
pub const CCR_DDR_DELAY: u16 = 36;
/// CCR: per-site phase of the Heartbeat Discovery cycle.
pub const CCR_HEARTBEAT: u16 = 37;
/// Distribution Manager's processing time of one package at one site
/// (entity: site << 32 | update; occurrence: the n-th processing).
pub const DIST_PROCESS: u16 = 48;
/// A sending's share of its address bandwidth (entity: destination site
/// << 32 | update; occurrence: the n-th sending of that update there).
pub const DIST_SENDING: u16 = 49;
