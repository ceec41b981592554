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
