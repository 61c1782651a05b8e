//! The plain parser, through the loader's decoding and into the model:
//! nothing a file holds may panic either.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::load::load_sources;
use tidings::model::Library;

fuzz_target!(|data: &[u8]| {
    let library = Library::build(load_sources([("fuzz.txt", data), ("other.txt", data)]));
    for story in &library.stories {
        assert!(!story.title.chars().any(char::is_control), "a control character in a title");
    }
});
