//! A 4-ary implicit min-heap: shallower than a binary heap, and a node's
//! children share a cache line.

use super::EventQueue;

const ARITY: usize = 4;

/// A 4-ary min-heap over packed keys.
#[derive(Debug, Clone)]
pub struct QuadHeap<E> {
    items: Vec<(u64, E)>,
}

impl<E> QuadHeap<E> {
    /// The smallest item.
    #[inline]
    pub fn peek(&self) -> Option<&(u64, E)> {
        self.items.first()
    }

    fn sift_up(&mut self, mut i: usize) {
        let items = &mut self.items;
        let key = items[i].0;
        while i > 0 {
            let parent = (i - 1) / ARITY;
            if items[parent].0 <= key {
                break;
            }
            items.swap(i, parent);
            i = parent;
        }
    }

    fn sift_down(&mut self, mut i: usize) {
        let items = &mut self.items;
        let n = items.len();
        loop {
            let first = i * ARITY + 1;
            if first >= n {
                break;
            }
            let last = (first + ARITY).min(n);
            let mut best = first;
            let mut best_key = items[first].0;
            for (c, item) in items[first + 1..last].iter().enumerate() {
                if item.0 < best_key {
                    best = first + 1 + c;
                    best_key = item.0;
                }
            }
            if items[i].0 <= best_key {
                break;
            }
            items.swap(i, best);
            i = best;
        }
    }
}

impl<E> EventQueue<E> for QuadHeap<E> {
    fn new() -> Self {
        QuadHeap { items: Vec::new() }
    }

    #[inline]
    fn push(&mut self, key: u64, event: E) {
        self.items.push((key, event));
        let i = self.items.len() - 1;
        self.sift_up(i);
    }

    #[inline]
    fn pop(&mut self) -> Option<(u64, E)> {
        let n = self.items.len();
        if n == 0 {
            return None;
        }
        let top = self.items.swap_remove(0);
        if n > 1 {
            self.sift_down(0);
        }
        Some(top)
    }

    fn peek_key(&self) -> Option<u64> {
        self.items.first().map(|e| e.0)
    }

    fn len(&self) -> usize {
        self.items.len()
    }

    fn drain_all(&mut self) -> Vec<(u64, E)> {
        std::mem::take(&mut self.items)
    }
}
