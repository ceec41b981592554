//! The standard library's binary heap, for comparison.

use super::EventQueue;
use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;

/// An entry ordered by key alone, so that events need no `Ord`.
#[derive(Debug, Clone)]
struct Entry<E>(u64, E);

impl<E> PartialEq for Entry<E> {
    fn eq(&self, other: &Self) -> bool {
        self.0 == other.0
    }
}
impl<E> Eq for Entry<E> {}
impl<E> PartialOrd for Entry<E> {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl<E> Ord for Entry<E> {
    fn cmp(&self, other: &Self) -> Ordering {
        self.0.cmp(&other.0)
    }
}

/// `std::collections::BinaryHeap` over packed keys.
#[derive(Debug, Clone)]
pub struct BinaryHeapQueue<E> {
    heap: BinaryHeap<Reverse<Entry<E>>>,
}

impl<E> EventQueue<E> for BinaryHeapQueue<E> {
    fn new() -> Self {
        BinaryHeapQueue {
            heap: BinaryHeap::new(),
        }
    }
    fn push(&mut self, key: u64, event: E) {
        self.heap.push(Reverse(Entry(key, event)));
    }
    fn pop(&mut self) -> Option<(u64, E)> {
        self.heap.pop().map(|Reverse(Entry(k, e))| (k, e))
    }
    fn peek_key(&self) -> Option<u64> {
        self.heap.peek().map(|r| r.0 .0)
    }
    fn len(&self) -> usize {
        self.heap.len()
    }
    fn drain_all(&mut self) -> Vec<(u64, E)> {
        self.heap
            .drain()
            .map(|Reverse(Entry(k, e))| (k, e))
            .collect()
    }
}
