//! The `priority-queue` crate: an indexed heap that also supports changing
//! and removing arbitrary items, at the price of a hash map.

use super::EventQueue;
use priority_queue::PriorityQueue;
use std::cmp::Reverse;

/// `priority_queue::PriorityQueue` keyed by the packed key; events live beside
/// it in a slab so that they need not be `Hash + Eq`.
#[derive(Debug)]
pub struct KeyedPriorityQueue<E> {
    queue: PriorityQueue<u64, Reverse<u64>>,
    slab: Vec<Option<E>>,
    free: Vec<u64>,
}

impl<E> EventQueue<E> for KeyedPriorityQueue<E> {
    fn new() -> Self {
        KeyedPriorityQueue {
            queue: PriorityQueue::new(),
            slab: Vec::new(),
            free: Vec::new(),
        }
    }
    fn push(&mut self, key: u64, event: E) {
        let slot = match self.free.pop() {
            Some(s) => {
                self.slab[s as usize] = Some(event);
                s
            }
            None => {
                self.slab.push(Some(event));
                (self.slab.len() - 1) as u64
            }
        };
        self.queue.push(slot, Reverse(key));
    }
    fn pop(&mut self) -> Option<(u64, E)> {
        let (slot, Reverse(key)) = self.queue.pop()?;
        self.free.push(slot);
        let event = self.slab[slot as usize]
            .take()
            .expect("slot holds an event");
        Some((key, event))
    }
    fn peek_key(&self) -> Option<u64> {
        self.queue.peek().map(|(_, r)| r.0)
    }
    fn len(&self) -> usize {
        self.queue.len()
    }
    fn drain_all(&mut self) -> Vec<(u64, E)> {
        let mut out = Vec::with_capacity(self.queue.len());
        while let Some(x) = self.pop() {
            out.push(x);
        }
        out
    }
}
