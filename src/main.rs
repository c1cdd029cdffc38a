//! The `chainit` binary. `no_main`: Rust's runtime start-up would set SIGPIPE
//! to "ignored", and a chain must hand its programs the dispositions it got.
#![no_main]

#[unsafe(no_mangle)]
pub extern "C" fn main(
    _argc: std::ffi::c_int,
    _argv: *const *const std::ffi::c_char,
) -> std::ffi::c_int {
    chainit::entry(std::env::args_os().collect())
}
