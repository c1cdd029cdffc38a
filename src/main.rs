//! The `chainit` binary. `no_main`: Rust's runtime start-up would set SIGPIPE
//! to "ignored", and a chain must hand its programs the dispositions it got.
#![no_main]

use std::ffi::{CStr, OsString, c_char, c_int};
use std::os::unix::ffi::OsStringExt;

/// musl's own malloc is slow for a chain's many small blocks (see
/// `alloc_cache`); glibc's is fast already.
#[cfg(target_env = "musl")]
#[global_allocator]
static ALLOC: chainit::alloc_cache::CachingAlloc = chainit::alloc_cache::CachingAlloc::new();

#[unsafe(no_mangle)]
extern "C" fn main(argc: c_int, argv: *const *const c_char) -> c_int {
    // The arguments are read from `argv` itself: without Rust's start-up,
    // `std::env::args` is empty on musl (glibc hands it over separately).
    let args = (0..usize::try_from(argc).unwrap_or(0))
        .map(|i| {
            // SAFETY: the C runtime passes `argc` valid, NUL-terminated
            // strings in `argv`, alive for the whole process.
            let arg = unsafe { CStr::from_ptr(*argv.add(i)) };
            OsString::from_vec(arg.to_bytes().to_vec())
        })
        .collect();
    chainit::entry(args)
}
