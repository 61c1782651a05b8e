//! Running code on input from outside (a feed, an HTML page) so that a
//! panic in it, ours or a parser's, costs only that input: it is caught,
//! and it stays off the terminal, where the reader may be drawing.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};

thread_local! {
    /// Whether this thread is inside [`contained`].
    static CONTAINING: Cell<bool> = const { Cell::new(false) };
}

/// Runs `work`; None if it panicked.
pub fn contained<T>(work: impl FnOnce() -> T) -> Option<T> {
    let outer = CONTAINING.replace(true);
    let result = catch_unwind(AssertUnwindSafe(work));
    CONTAINING.set(outer);
    result.ok()
}

/// Whether a panic now is one [`contained`] will catch: panic hooks then
/// say nothing and leave the terminal as it is.
pub fn is_contained() -> bool {
    CONTAINING.get()
}

/// Wraps the panic hook so that contained panics are silent. Called once
/// at start; the reader's own hook checks [`is_contained`] too.
pub fn quiet_contained_panics() {
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !is_contained() {
            hook(info);
        }
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_panic_inside_is_caught_and_the_flag_restored() {
        assert_eq!(contained(|| 7), Some(7));
        let caught: Option<()> = contained(|| {
            assert!(is_contained());
            let inner: Option<()> = contained(|| panic!("hostile input"));
            assert!(inner.is_none());
            assert!(is_contained(), "still inside the outer one");
            panic!("again")
        });
        assert!(caught.is_none());
        assert!(!is_contained());
    }
}
