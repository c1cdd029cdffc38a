#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| chainit::fuzzing::svc_options(data));
