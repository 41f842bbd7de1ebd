#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| looplab_fuzz::python(data));
