//! Random stream purposes. The numbers are part of the reproducibility
//! contract: never renumber, only add. Ranges: world 1–15, status 16–31,
//! CCR 32–47, distribution 48–63.

/// Per-client set-up draws: night-off flag, clock skew.
pub const CLIENT_INIT: u16 = 1;
/// Per-client, per-day draws: arrival, logon, leaving.
pub const CLIENT_DAY: u16 = 2;

/// Per-client, per-advertisement draws (status subsystem): targeting and
/// notice delay at occurrence `ad << 2`, run time and outcome at
/// `ad << 2 | 1`.
pub const STATUS_AD_CLIENT: u16 = 16;
/// Per-client duration of one copy attempt, at occurrence
/// `ordinal << 16 | copy_try << 10 | try`.
pub const STATUS_COPY_TIME: u16 = 17;
/// Per-client `unique` file names (hotfix), keyed like the copy time.
pub const STATUS_UNIQUE_NAME: u16 = 18;
/// Per-client phase of Copy Queue Manager's wake-up cycle for clients that
/// were already on at the start.
pub const STATUS_CYCLE_PHASE: u16 = 19;
/// Per-client phases of heartbeat discovery and inventory.
pub const STATUS_BACKGROUND_PHASE: u16 = 20;

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
