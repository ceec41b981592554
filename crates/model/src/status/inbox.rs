//! A CAP's inboxes as the sets of file names present, and the order the
//! site's Inbox Manager Assistant moves them in.

use crate::hierarchy::ClientId;
use std::collections::{HashSet, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

/// The CAP inboxes Copy Queue Manager copies to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BoxKind {
    /// `statmsgs.box`: status messages (`.SVF`).
    StatMsgs = 0,
    /// `ddr.box`: discovery data records (`.DDR`).
    Ddr = 1,
    /// `inventry.box`: inventory (`.MIF`).
    Inventory = 2,
}

/// Inboxes per CAP.
pub const BOXES: usize = 3;

impl BoxKind {
    /// Every kind, in index order.
    pub const ALL: [BoxKind; BOXES] = [BoxKind::StatMsgs, BoxKind::Ddr, BoxKind::Inventory];

    /// The inbox folder on the CAP.
    pub fn folder(self) -> &'static str {
        match self {
            BoxKind::StatMsgs => "statmsgs.box",
            BoxKind::Ddr => "ddr.box",
            BoxKind::Inventory => "inventry.box",
        }
    }

    /// The extension of the files in it.
    pub fn ext(self) -> &'static str {
        match self {
            BoxKind::StatMsgs => "SVF",
            BoxKind::Ddr => "DDR",
            BoxKind::Inventory => "MIF",
        }
    }
}

/// One inbox folder on one CAP: the names present, and the files in the
/// order they arrived.
///
/// The set answers "does this name exist?" (the only question a copy asks,
/// so its hash order never reaches an output); the queue is what the Inbox
/// Manager Assistant walks and what a snapshot lists.
#[derive(Debug, Clone, Default)]
pub struct Inbox {
    names: HashSet<u32, BuildHasherDefault<NameHasher>>,
    files: VecDeque<InboxFile>,
}

/// A file in an inbox.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct InboxFile {
    /// The 8-digit name.
    pub name: u32,
    /// The client that copied it.
    pub client: ClientId,
    /// When it arrived (virtual ms).
    pub at: u64,
}

/// Hashes a name by one multiplication: names are already spread over
/// their space, and membership is the only question asked, so SipHash's
/// protection buys nothing here and costs a tenth of a copy attempt.
#[derive(Debug, Clone, Copy, Default)]
pub struct NameHasher(u64);

impl Hasher for NameHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 ^ u64::from(b)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        }
    }
    fn write_u32(&mut self, n: u32) {
        self.0 = (self.0 ^ u64::from(n)).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    }
}

impl Inbox {
    /// Creates the file `name` unless one by that name exists (the
    /// create-new semantics a copy relies on); `false` on a collision.
    pub fn create(&mut self, file: InboxFile) -> bool {
        if self.names.insert(file.name) {
            self.files.push_back(file);
            true
        } else {
            false
        }
    }

    /// Moves the oldest file out (to the site server), freeing its name.
    pub fn take_oldest(&mut self) -> Option<InboxFile> {
        let f = self.files.pop_front()?;
        self.names.remove(&f.name);
        Some(f)
    }

    /// Files present.
    pub fn len(&self) -> usize {
        self.files.len()
    }

    /// Whether the inbox is empty.
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The files, oldest first.
    pub fn files(&self) -> impl Iterator<Item = &InboxFile> {
        self.files.iter()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(name: u32) -> InboxFile {
        InboxFile {
            name,
            client: 0,
            at: 0,
        }
    }

    #[test]
    fn a_name_exists_once_until_moved() {
        let mut b = Inbox::default();
        assert!(b.create(f(7)));
        assert!(!b.create(f(7)), "second create of one name must collide");
        assert!(b.create(f(8)));
        assert_eq!(b.len(), 2);
        assert_eq!(b.take_oldest().map(|x| x.name), Some(7));
        assert!(b.create(f(7)), "a moved file frees its name");
        let order: Vec<u32> = b.files().map(|x| x.name).collect();
        assert_eq!(order, vec![8, 7]);
    }
}
