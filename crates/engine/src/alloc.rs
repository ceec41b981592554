//! A global allocator that asks Linux for transparent huge pages on large
//! allocations.
//!
//! A run at millions of clients visits its per-client arrays and its event
//! queue's buckets in no particular order, so most of its memory accesses
//! miss the translation look-aside buffer: with 4 KiB pages each miss walks
//! the page tables, itself a memory access. Backing the large allocations
//! with 2 MiB pages (`madvise(MADV_HUGEPAGE)`, which works where the
//! system's transparent-huge-page setting is `madvise` or `always`) takes
//! most of those walks away. Allocations under [`HUGE_FROM`] are left
//! alone, so small objects do not pin 2 MiB each. Everything else is the
//! system allocator's. The measurement is in `docs/performance.md`.
//!
//! The binary opts in with
//! `#[global_allocator] static A: HugePages = HugePages;`; elsewhere (and on
//! other systems) nothing changes.

use std::alloc::{GlobalAlloc, Layout, System};

/// Allocations of at least this many bytes are advised to use huge pages.
pub const HUGE_FROM: usize = 4 << 20;

/// The system allocator, with huge pages advised for large allocations.
#[derive(Debug, Default, Clone, Copy)]
pub struct HugePages;

#[cfg(target_os = "linux")]
fn advise(ptr: *mut u8, size: usize) {
    const PAGE: usize = 4096;
    if ptr.is_null() || size < HUGE_FROM {
        return;
    }
    let start = (ptr as usize).next_multiple_of(PAGE);
    let end = (ptr as usize + size) & !(PAGE - 1);
    if end > start {
        // SAFETY: the range lies within an allocation just made by the
        // system allocator, page-aligned; MADV_HUGEPAGE changes only how the
        // kernel backs it, never its contents. A refusal (an old kernel,
        // huge pages off) leaves ordinary pages, so the result is ignored.
        unsafe {
            let _ = rustix::mm::madvise(
                start as *mut std::ffi::c_void,
                end - start,
                rustix::mm::Advice::LinuxHugepage,
            );
        }
    }
}

#[cfg(not(target_os = "linux"))]
fn advise(_: *mut u8, _: usize) {}

// SAFETY: every call is forwarded to `System` unchanged; `advise` only
// adds a hint on memory `System` returned.
unsafe impl GlobalAlloc for HugePages {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc(layout);
        advise(p, layout.size());
        p
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        let p = System.alloc_zeroed(layout);
        advise(p, layout.size());
        p
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        System.dealloc(ptr, layout)
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        let p = System.realloc(ptr, layout, new_size);
        advise(p, new_size);
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn large_and_small_allocations_work_as_the_system_s() {
        let a = HugePages;
        for size in [8, 4096, HUGE_FROM, HUGE_FROM + 12_345] {
            let layout = Layout::from_size_align(size, 16).unwrap();
            // SAFETY: a non-zero layout; the memory is written within its
            // size and freed with the same layout.
            unsafe {
                let p = a.alloc_zeroed(layout);
                assert!(!p.is_null());
                assert_eq!(*p.add(size - 1), 0);
                *p.add(size - 1) = 7;
                let q = a.realloc(p, layout, size * 2);
                assert_eq!(*q.add(size - 1), 7);
                a.dealloc(q, Layout::from_size_align(size * 2, 16).unwrap());
            }
        }
    }
}
