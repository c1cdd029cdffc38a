#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chainit::fuzzing::s6_log_script(data));
