//! The sanitizer: whatever goes in, nothing that drives a terminal comes
//! out, and sanitizing twice changes nothing.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::text::sanitize;

fuzz_target!(|text: &str| {
    let clean = sanitize(text);
    for c in clean.chars() {
        assert!(!c.is_control(), "control {:?} survived", c);
        assert!(
            !matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}'),
            "invisible {:?} survived",
            c
        );
    }
    assert_eq!(sanitize(&clean), clean, "sanitizing twice changed the text");
});
