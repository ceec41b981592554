//! Random stream purposes. The numbers are part of the reproducibility
//! contract: never renumber, only add. Ranges: world 1–15, status 16–31,
//! CCR 32–47, distribution 48–63.

/// Per-client set-up draws: night-off flag, clock skew.
pub const CLIENT_INIT: u16 = 1;
/// Per-client, per-day draws: arrival, logon, leaving.
pub const CLIENT_DAY: u16 = 2;
/// Distribution Manager's processing time of one package at one site
/// (entity: site << 32 | update; occurrence: the n-th processing).
pub const DIST_PROCESS: u16 = 48;
/// A sending's share of its address bandwidth (entity: destination site
/// << 32 | update; occurrence: the n-th sending of that update there).
pub const DIST_SENDING: u16 = 49;
