//! Memory prefetch hints.

/// Asks the processor to start loading `slice[i]` into its caches; does
/// nothing if `i` is out of range or the target has no prefetch
/// instruction. Never changes a value, never faults.
#[inline(always)]
pub fn prefetch<T>(slice: &[T], i: usize) {
    if i < slice.len() {
        #[cfg(target_arch = "x86_64")]
        // SAFETY: a prefetch is a hint on an address inside the slice; it
        // reads nothing and cannot fault.
        unsafe {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            _mm_prefetch::<_MM_HINT_T0>(slice.as_ptr().add(i).cast());
        }
    }
}
