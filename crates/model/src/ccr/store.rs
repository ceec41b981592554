//! The CCRs of a run and the `CcrRetry.box` inbox they wait in.
//!
//! A CCR is a record addressed by a `u32` id (never reused, so a stale event
//! is recognised by the record's state). A record is *in the box* from its
//! first failure (or its successful attempt, awaiting verification) until it
//! is deleted; the box keeps the number of files each machine has there, and
//! the largest it ever reached, at every change.

use crate::hierarchy::{ClientId, SiteId};
use smssim_engine::SimTime;
use smssim_scenario::policy::CcrRetryNaming;

/// Id of a CCR record.
pub type CcrId = u32;
/// No record.
pub const NONE: CcrId = u32::MAX;

/// Where a CCR is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum State {
    /// Waiting for a CCM processing thread (from `ccr.box`, or a due retry).
    Queued,
    /// Being processed by a thread.
    Processing,
    /// In `CcrRetry.box`, waiting for its next hourly attempt.
    Retry,
    /// In `CcrRetry.box` after a successful attempt, waiting for
    /// verification of the SMS Client Service.
    Verify,
    /// Deleted.
    Gone,
}

/// What a processing attempt found; decided when the thread connects.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// `Ccmbtldr.exe` copied and started; it installed the SMS Client
    /// Service.
    Installed,
    /// The SMS client service is already there (Q298433): stop, delete.
    AlreadyClient,
    /// The machine has files of a later release (Q252717 hotfix): skip,
    /// delete.
    SkippedNewer,
    /// An SP1 site's bootstrap tried to install its components on a machine
    /// with files of a later release (Q252717 defect) and could not
    /// (Q264630); the CCR is retried.
    CrossVersion,
    /// The connection failed with this Win32 error (5, 53, 67).
    Failed(u16),
}

/// Win32 error CCM records when the bootstrap could not install an SP1
/// site's components on a machine with SP2 files (**assumed**:
/// `ERROR_SERVICE_REQUEST_TIMEOUT`; the articles give no code).
pub const ERROR_SERVICE_DID_NOT_START: u16 = 1053;

/// One Client Configuration Request.
#[derive(Debug, Clone)]
pub struct Request {
    /// The machine to install.
    pub client: ClientId,
    /// The site whose Discovery Data Manager wrote it.
    pub site: SiteId,
    /// Where it is.
    pub state: State,
    /// Whether its file is in `CcrRetry.box`.
    pub in_box: bool,
    /// The processing thread's slot while `Processing`.
    pub thread: u8,
    /// The outcome of the attempt under way.
    pub outcome: Outcome,
    /// Last error code (0 none).
    pub last_error: u16,
    /// Processing attempts so far.
    pub attempts: u32,
    /// Retries from `CcrRetry.box` so far.
    pub retries: u32,
    /// When Discovery Data Manager wrote it (`Initial Request Date`).
    pub created: SimTime,
    /// Start of the latest attempt.
    pub last_attempt: SimTime,
    /// When the next retry (or verification) is due.
    pub next_due: SimTime,
    /// When the first error status message was created.
    pub error_event: Option<SimTime>,
    /// Its current random file name (8 characters, as `01MOLQGI` in Q262298).
    pub name: [u8; 8],
}

impl Request {
    /// The random name as text.
    pub fn random_name(&self) -> &str {
        std::str::from_utf8(&self.name).unwrap_or("????????")
    }
}

/// How the records of a run left the system, for the conservation law.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Fates {
    /// Deleted after a verified installation.
    pub installed: u64,
    /// Deleted because the machine already had the SMS client service.
    pub already_client: u64,
    /// Deleted because the machine had a later release (hotfix check).
    pub skipped_newer: u64,
    /// Deleted after the retry period.
    pub expired: u64,
    /// Replaced by a newer failure of the same machine (`per_system`).
    pub replaced: u64,
    /// Deleted by the administrator clearing `CcrRetry.box` (Q264630).
    pub cleared: u64,
}

impl Fates {
    /// Records deleted, all reasons.
    pub fn deleted(&self) -> u64 {
        self.installed
            + self.already_client
            + self.skipped_newer
            + self.expired
            + self.replaced
            + self.cleared
    }
}

/// All CCRs and the `CcrRetry.box` bookkeeping.
#[derive(Debug, Default)]
pub struct Store {
    /// Every record ever created, by id.
    pub ccrs: Vec<Request>,
    /// Files each machine has in `CcrRetry.box` now.
    pub files: Vec<u16>,
    /// The most files each machine ever had there.
    pub peak: Vec<u16>,
    /// The record holding each machine's `COMPUTER.DOMAIN.CCR` file.
    pub per_system: Vec<CcrId>,
    /// Files in every site's `CcrRetry.box` now.
    pub box_files: u64,
    /// The most files there ever were.
    pub box_peak: u64,
    /// The most files one machine ever had.
    pub max_per_client: u16,
    /// Why records were deleted.
    pub fates: Fates,
}

impl Store {
    /// An empty store for `n` machines.
    pub fn new(n: usize) -> Self {
        Store {
            files: vec![0; n],
            peak: vec![0; n],
            per_system: vec![NONE; n],
            ..Store::default()
        }
    }

    /// Records still present (queued, processing, in the box).
    pub fn pending(&self) -> u64 {
        self.ccrs.iter().filter(|r| r.state != State::Gone).count() as u64
    }

    /// Puts record `id`'s file into `CcrRetry.box` (or renames it there),
    /// under `naming`. With `per_system` the machine's existing file, if
    /// another record's, is replaced: that record is deleted. Returns the
    /// replaced record.
    pub fn store_in_box(&mut self, id: CcrId, naming: CcrRetryNaming) -> Option<CcrId> {
        let c = self.ccrs[id as usize].client as usize;
        let mut replaced = None;
        if naming == CcrRetryNaming::PerSystem {
            let old = self.per_system[c];
            if old != NONE && old != id {
                self.delete(old);
                self.fates.replaced += 1;
                replaced = Some(old);
            }
            self.per_system[c] = id;
        }
        let r = &mut self.ccrs[id as usize];
        if !r.in_box {
            r.in_box = true;
            self.files[c] += 1;
            self.box_files += 1;
            self.box_peak = self.box_peak.max(self.box_files);
            if self.files[c] > self.peak[c] {
                self.peak[c] = self.files[c];
                self.max_per_client = self.max_per_client.max(self.files[c]);
            }
        }
        replaced
    }

    /// How record `id`'s file in `CcrRetry.box` is named: `per_system` if
    /// it holds its machine's `COMPUTER.DOMAIN.CCR`, else its random name
    /// (a site without the Q242926 fix stored it).
    pub fn naming_of(&self, id: CcrId) -> CcrRetryNaming {
        let c = self.ccrs[id as usize].client as usize;
        if self.per_system[c] == id {
            CcrRetryNaming::PerSystem
        } else {
            CcrRetryNaming::Random
        }
    }

    /// Deletes record `id`: its file leaves the box. The caller counts the
    /// reason in [`Store::fates`].
    pub fn delete(&mut self, id: CcrId) {
        let r = &mut self.ccrs[id as usize];
        debug_assert!(r.state != State::Gone, "CCR {id} deleted twice");
        r.state = State::Gone;
        let c = r.client as usize;
        if r.in_box {
            r.in_box = false;
            self.files[c] -= 1;
            self.box_files -= 1;
        }
        if self.per_system[c] == id {
            self.per_system[c] = NONE;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rec(client: ClientId) -> Request {
        Request {
            client,
            site: 0,
            state: State::Processing,
            in_box: false,
            thread: 0,
            outcome: Outcome::Failed(5),
            last_error: 0,
            attempts: 1,
            retries: 0,
            created: 0,
            last_attempt: 0,
            next_due: 0,
            error_event: None,
            name: *b"01MOLQGI",
        }
    }

    #[test]
    fn random_names_pile_up_and_per_system_names_replace() {
        let mut s = Store::new(2);
        s.ccrs.extend([rec(0), rec(0), rec(0)]);
        s.store_in_box(0, CcrRetryNaming::Random);
        s.store_in_box(1, CcrRetryNaming::Random);
        // A second failure of the same record renames it: no new file.
        s.store_in_box(1, CcrRetryNaming::Random);
        assert_eq!((s.files[0], s.box_files, s.max_per_client), (2, 2, 2));

        let mut s = Store::new(2);
        s.ccrs.extend([rec(0), rec(0), rec(1)]);
        assert_eq!(s.store_in_box(0, CcrRetryNaming::PerSystem), None);
        assert_eq!(s.store_in_box(1, CcrRetryNaming::PerSystem), Some(0));
        assert_eq!(s.store_in_box(2, CcrRetryNaming::PerSystem), None);
        assert_eq!(s.ccrs[0].state, State::Gone);
        assert_eq!((s.files[0], s.files[1], s.box_files), (1, 1, 2));
        assert_eq!(s.max_per_client, 1);
        assert_eq!(s.fates.replaced, 1);
        s.delete(1);
        assert_eq!((s.files[0], s.box_files, s.per_system[0]), (0, 1, NONE));
    }
}
