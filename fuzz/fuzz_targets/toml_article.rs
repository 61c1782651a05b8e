//! The TOML article parser, through the loader's decoding and the model.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::load::load_sources;
use tidings::model::Library;

fuzz_target!(|data: &[u8]| {
    let library = Library::build(load_sources([("fuzz.toml", data)]));
    for diagnostic in &library.diagnostics {
        assert!(!diagnostic.message.chars().any(char::is_control), "a control character in a message");
    }
});
