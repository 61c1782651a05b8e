//! A hint to the processor that memory will be read soon, for loops that
//! visit records scattered over the heap and know a few steps ahead which.

/// Asks for the cache line holding `data`.
#[inline(always)]
pub fn prefetch<T>(data: *const T) {
    #[cfg(target_arch = "x86_64")]
    // SAFETY: a prefetch only hints at the cache; it reads nothing the
    // program sees and cannot fault, whatever the address.
    unsafe {
        use std::arch::x86_64::{_MM_HINT_T0, _mm_prefetch};
        _mm_prefetch::<_MM_HINT_T0>(data.cast());
    }
    #[cfg(not(target_arch = "x86_64"))]
    let _ = data;
}
