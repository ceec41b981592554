//! A CAP's inboxes as the sets of file names present, and the order the
//! site's Inbox Manager Assistant moves them in.

use crate::hierarchy::ClientId;
use std::collections::VecDeque;

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
    names: NameSet,
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

/// The names present in one inbox: an open-addressing set of `u32` with
/// linear probing, at most half full, and deletion by shifting the
/// following entries back (no tombstones, so a folder whose files come and
/// go all day never needs rehashing, and a lookup probes only live names).
/// A name is hashed by one multiplication: names are already spread over
/// their space, and membership is the only question asked, so its order
/// never reaches an output. [`NameSet::prefetch`] lets the run loop start
/// loading a name's slot one event ahead.
#[derive(Debug, Clone, Default)]
pub struct NameSet {
    /// `EMPTY` or a name; the length is 0 or a power of two.
    slots: Vec<u32>,
    len: usize,
}

/// An empty slot (names are below 10^8).
const EMPTY: u32 = u32::MAX;

impl NameSet {
    #[inline]
    fn home(&self, name: u32) -> usize {
        let h = u64::from(name).wrapping_mul(0x9E37_79B9_7F4A_7C15);
        // The high bits of the product are the well-mixed ones.
        (h >> 32) as usize & (self.slots.len() - 1)
    }

    /// Where `name` is (`Ok`), or the empty slot that ends its probe
    /// (`Err`); the table must have a slot.
    #[inline]
    fn find(&self, name: u32) -> Result<usize, usize> {
        let mask = self.slots.len() - 1;
        let mut i = self.home(name);
        loop {
            match self.slots[i] {
                EMPTY => return Err(i),
                n if n == name => return Ok(i),
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `name`; `false` if it was present.
    pub fn insert(&mut self, name: u32) -> bool {
        debug_assert_ne!(name, EMPTY);
        if 2 * (self.len + 1) > self.slots.len() {
            self.grow();
        }
        match self.find(name) {
            Ok(_) => false,
            Err(i) => {
                self.slots[i] = name;
                self.len += 1;
                true
            }
        }
    }

    /// Removes `name`; `false` if it was absent.
    pub fn remove(&mut self, name: u32) -> bool {
        if self.len == 0 {
            return false;
        }
        let mask = self.slots.len() - 1;
        let Ok(i) = self.find(name) else {
            return false;
        };
        // Shift back every following entry that may move into the hole
        // (its home is not cyclically within (hole, its slot]).
        let mut hole = i;
        let mut j = i;
        loop {
            j = (j + 1) & mask;
            let n = self.slots[j];
            if n == EMPTY {
                break;
            }
            let home = self.home(n);
            let stays = if hole <= j {
                hole < home && home <= j
            } else {
                hole < home || home <= j
            };
            if !stays {
                self.slots[hole] = n;
                hole = j;
            }
        }
        self.slots[hole] = EMPTY;
        self.len -= 1;
        true
    }

    /// Whether `name` is present.
    #[cfg(test)]
    pub fn contains(&self, name: u32) -> bool {
        self.len > 0 && self.find(name).is_ok()
    }

    /// Names present.
    #[cfg(test)]
    pub fn len(&self) -> usize {
        self.len
    }

    /// A hint: `name` is looked up next.
    #[inline]
    pub fn prefetch(&self, name: u32) {
        if !self.slots.is_empty() {
            smssim_engine::hint::prefetch(&self.slots, self.home(name));
        }
    }

    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(16);
        let old = std::mem::replace(&mut self.slots, vec![EMPTY; cap]);
        self.len = 0;
        for n in old.into_iter().filter(|&n| n != EMPTY) {
            self.insert(n);
        }
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
        self.names.remove(f.name);
        Some(f)
    }

    /// A hint: a file named `name` is created next.
    #[inline]
    pub fn prefetch(&self, name: u32) {
        self.names.prefetch(name);
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
    use proptest::prelude::*;

    proptest! {
        /// The set behaves as std's under any mix of inserts and removes,
        /// names crowded into few slots included.
        #[test]
        fn name_set_agrees_with_a_std_set(ops in proptest::collection::vec((any::<bool>(), 0u32..64), 0..2_000)) {
            let mut ours = NameSet::default();
            let mut std = std::collections::HashSet::new();
            for (add, n) in ops {
                let n = n * 1_000_003 % 100_000_000;
                if add {
                    prop_assert_eq!(ours.insert(n), std.insert(n));
                } else {
                    prop_assert_eq!(ours.remove(n), std.remove(&n));
                }
                prop_assert_eq!(ours.len(), std.len());
            }
            for n in 0..64u32 {
                let n = n * 1_000_003 % 100_000_000;
                prop_assert_eq!(ours.contains(n), std.contains(&n));
            }
        }
    }

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
