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

/// Asks the processor to start loading the cache line that holds `ptr`,
/// an address about to be written (the end of a growing buffer): with
/// intent to write where the build targets an instruction for it
/// (`prefetchw`), else as a plain prefetch (the default x86-64 target).
/// Any address may be given, in or out of an allocation: a prefetch never
/// faults and changes nothing.
#[inline(always)]
pub fn prefetch_write<T>(ptr: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch is a hint; it reads nothing and cannot fault,
    // whatever the address.
    unsafe {
        use std::arch::x86_64::{_mm_prefetch, _MM_HINT_ET0};
        _mm_prefetch::<_MM_HINT_ET0>(ptr.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = ptr;
}
