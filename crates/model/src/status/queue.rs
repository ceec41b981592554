//! Copy Queue Manager's items: a slab of live items and, per client, a
//! singly linked queue through them, so that a million mostly idle clients
//! cost one `u32` each and an item costs no heap allocation of its own.
//!
//! The `u32` head of each client's queue is kept by the caller (in the
//! client's one Copy Queue Manager record, so that an event touches one
//! cache line per client) and passed in.

use crate::hierarchy::ClientId;

/// No item.
pub const NONE: u32 = u32::MAX;

/// What a client component submitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Status message 10002: the program was received.
    Received,
    /// Status message 10005: the program started.
    Started,
    /// Status message 10008: the program succeeded.
    Succeeded,
    /// Status message 10006: the program failed.
    Failed,
    /// A discovery data record written at a user logon.
    LogonDdr,
    /// A heartbeat discovery data record.
    HeartbeatDdr,
    /// A hardware inventory file.
    Inventory,
}

impl Kind {
    /// Whether the item is a status message.
    pub fn is_status(self) -> bool {
        matches!(
            self,
            Kind::Received | Kind::Started | Kind::Succeeded | Kind::Failed
        )
    }
}

/// One submitted file waiting in a client's copy queue.
#[derive(Debug, Clone, Copy)]
pub struct Item {
    /// The submitting client.
    pub client: ClientId,
    /// The next item in the client's queue.
    pub next: u32,
    /// When it was submitted (virtual ms).
    pub submitted: u64,
    /// The client's ordinal of this item (keys its random streams).
    pub ordinal: u32,
    /// The name being tried.
    pub name: u32,
    /// The advertisement, for status messages.
    pub ad: u16,
    /// What it is.
    pub kind: Kind,
    /// Names tried in the current copy try (1 = the first).
    pub tries: u16,
    /// Copy tries so far (the log's "copy try no. N").
    pub copy_try: u8,
    /// Its retries ran out and it waits for the next copy cycle.
    pub waiting: bool,
    /// A copy attempt is under way.
    pub copying: bool,
}

/// The live items of every client.
#[derive(Debug, Clone, Default)]
pub struct Queues {
    items: Vec<Item>,
    free: Vec<u32>,
    live: u64,
}

impl Queues {
    /// No items.
    pub fn new() -> Self {
        Queues::default()
    }

    /// Appends an item to the queue whose head is `head` (its client's);
    /// returns its id.
    pub fn push(&mut self, head: &mut u32, item: Item) -> u32 {
        let id = match self.free.pop() {
            Some(id) => {
                self.items[id as usize] = item;
                id
            }
            None => {
                self.items.push(item);
                (self.items.len() - 1) as u32
            }
        };
        self.items[id as usize].next = NONE;
        let mut at = *head;
        if at == NONE {
            *head = id;
        } else {
            while self.items[at as usize].next != NONE {
                at = self.items[at as usize].next;
            }
            self.items[at as usize].next = id;
        }
        self.live += 1;
        id
    }

    /// Unlinks an item from the queue whose head is `head` and frees it.
    pub fn remove(&mut self, head: &mut u32, id: u32) {
        let next = self.items[id as usize].next;
        if *head == id {
            *head = next;
        } else {
            let mut at = *head;
            while at != NONE {
                if self.items[at as usize].next == id {
                    self.items[at as usize].next = next;
                    break;
                }
                at = self.items[at as usize].next;
            }
        }
        self.free.push(id);
        self.live -= 1;
    }

    /// An item.
    #[inline]
    pub fn get(&self, id: u32) -> &Item {
        &self.items[id as usize]
    }

    /// A hint: item `id` is read next.
    #[inline]
    pub fn prefetch(&self, id: u32) {
        smssim_engine::hint::prefetch(&self.items, id as usize);
    }

    /// An item, to change.
    #[inline]
    pub fn get_mut(&mut self, id: u32) -> &mut Item {
        &mut self.items[id as usize]
    }

    /// The item ids of the queue whose head is `head`, in queue order.
    pub fn ids(&self, head: u32) -> Vec<u32> {
        let mut out = Vec::new();
        let mut at = head;
        while at != NONE {
            out.push(at);
            at = self.items[at as usize].next;
        }
        out
    }

    /// The first item of the queue whose head is `head` that may be
    /// copied now.
    pub fn next_ready(&self, head: u32) -> Option<u32> {
        let mut at = head;
        while at != NONE {
            let it = &self.items[at as usize];
            if !it.waiting && !it.copying {
                return Some(at);
            }
            at = it.next;
        }
        None
    }

    /// Items submitted and not yet copied or deleted.
    pub fn live(&self) -> u64 {
        self.live
    }

    /// The items of the queue whose head is `head`, in queue order.
    pub fn iter(&self, head: u32) -> impl Iterator<Item = &Item> + '_ {
        std::iter::successors((head != NONE).then_some(head), move |&i| {
            let n = self.items[i as usize].next;
            (n != NONE).then_some(n)
        })
        .map(move |i| &self.items[i as usize])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(client: ClientId, ordinal: u32) -> Item {
        Item {
            client,
            next: NONE,
            submitted: 0,
            ordinal,
            name: 0,
            ad: 0,
            kind: Kind::Received,
            tries: 0,
            copy_try: 0,
            waiting: false,
            copying: false,
        }
    }

    #[test]
    fn queues_keep_order_and_reuse_slots() {
        let mut q = Queues::new();
        let mut h = [NONE; 2];
        let a = q.push(&mut h[0], item(0, 1));
        let b = q.push(&mut h[0], item(0, 2));
        let c = q.push(&mut h[1], item(1, 1));
        let d = q.push(&mut h[0], item(0, 3));
        assert_eq!(q.ids(h[0]), vec![a, b, d]);
        assert_eq!(q.ids(h[1]), vec![c]);
        q.remove(&mut h[0], b);
        assert_eq!(q.ids(h[0]), vec![a, d]);
        q.get_mut(a).waiting = true;
        assert_eq!(q.next_ready(h[0]), Some(d));
        let e = q.push(&mut h[1], item(1, 2));
        assert_eq!(e, b, "freed slot reused");
        assert_eq!(q.live(), 4);
        assert_eq!(q.iter(h[0]).count() + q.iter(h[1]).count(), 4);
        q.remove(&mut h[0], a);
        q.remove(&mut h[0], d);
        assert_eq!(h[0], NONE);
        assert_eq!(q.ids(h[1]), vec![c, e]);
    }
}
