//! Key names from the config: any text either parses or is refused with a
//! message; a key that parses shows as text without control characters.
#![no_main]

use libfuzzer_sys::fuzz_target;
use tidings::config::Key;

fuzz_target!(|name: &str| {
    match Key::parse(name) {
        Ok(key) => {
            let shown = key.to_string();
            assert!(!shown.is_empty() && !shown.chars().any(char::is_control), "{shown:?}");
        }
        Err(message) => assert!(message.starts_with("unknown key name")),
    }
});
