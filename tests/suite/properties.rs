//! Properties over generated input, bounded so the suite stays quick: the
//! parsers and the model never panic on any bytes; sanitized text cannot
//! drive a terminal; the reader keeps selection and scroll in range under
//! any keys at any size.

use proptest::prelude::*;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::layout::Rect;
use tidings::action::Action;
use tidings::app::{App, Pane};
use tidings::config::{KeyMap, ReaderSettings, Theme};
use tidings::load::load_sources;
use tidings::model::Library;
use tidings::state::ReadState;
use tidings::text::sanitize;

/// Bytes that look like story files often enough to reach deep code:
/// text, blank lines, headline blocks, escapes, invalid UTF-8.
fn file_bytes() -> impl Strategy<Value = Vec<u8>> {
    let pieces = prop_oneof![
        Just(b"\n".to_vec()),
        Just(b"\n\n\n".to_vec()),
        Just(b"\r\n".to_vec()),
        Just(b"\x1b]0;title\x07".to_vec()),
        Just(b"\x1b[31m".to_vec()),
        Just("\u{9b}2J".as_bytes().to_vec()),
        Just(b"\xff\xfe".to_vec()),
        Just(b"\0".to_vec()),
        Just("Rail Strike Enters Third Day".as_bytes().to_vec()),
        Just(
            "title = \"T\"\nbody = \"\"\"B\n\nC\"\"\"\n"
                .as_bytes()
                .to_vec()
        ),
        "[ -~]{0,40}".prop_map(String::into_bytes),
        "\\PC{0,20}".prop_map(String::into_bytes),
        proptest::collection::vec(any::<u8>(), 0..16),
    ];
    proptest::collection::vec(pieces, 0..24).prop_map(|parts| parts.concat())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 200, ..ProptestConfig::default() })]

    #[test]
    fn parsing_and_building_never_panic(plain in file_bytes(), toml in file_bytes(), other in file_bytes()) {
        let library = Library::build(load_sources([
            ("a.txt", plain.as_slice()),
            ("b.toml", toml.as_slice()),
            ("c.txt", other.as_slice()),
            ("d.txt", plain.as_slice()),
        ]));
        for (index, story) in library.stories.iter().enumerate() {
            prop_assert!(!story.title.chars().any(char::is_control));
            let text = library.text(index).unwrap();
            prop_assert!(text.iter().all(|p| !p.chars().any(char::is_control)));
        }
    }

    #[test]
    fn sanitized_text_cannot_drive_a_terminal(text in "(\\PC|[\\x00-\\x1f\\x7f-\\u{9f}\\u{200b}-\\u{200f}\\u{202a}-\\u{202e}\\u{2066}-\\u{2069}\\u{feff}]){0,64}") {
        let clean = sanitize(&text);
        for c in clean.chars() {
            prop_assert!(!c.is_control(), "control {:?} survived in {:?}", c, clean);
            let invisible = matches!(c, '\u{200b}'..='\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{feff}');
            prop_assert!(!invisible, "invisible {:?} survived", c);
        }
        prop_assert_eq!(sanitize(&clean), clean.clone());
    }
}

/// Every action: update only says what quitting, suspending or opening a
/// web address would take, so none of them leaves the test.
fn actions() -> impl Strategy<Value = Action> {
    proptest::sample::select(Action::all().collect::<Vec<_>>())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn any_keys_at_any_size_keep_the_reader_in_range(
        keys in proptest::collection::vec((actions(), 1u16..=300, 1u16..=100), 1..40),
    ) {
        let library = Library::build(tidings::bundled::load());
        let mut app = App::new(library, ReadState::default(), ReaderSettings::default(), KeyMap::default(), Theme::default(), Rect::new(0, 0, 80, 24));
        for (action, width, height) in keys {
            app.resize(width, height);
            app.update(action);
            prop_assert!(app.page.scroll <= app.max_scroll());
            for pane in [Pane::Related, Pane::Index] {
                let list = if pane == Pane::Related { app.related.list } else { app.index.list };
                prop_assert!(list.selected < app.list_len(pane).max(1));
                prop_assert!(list.offset <= list.selected);
            }
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal.draw(|frame| tidings::ui::render(&app, frame)).unwrap();
        }
    }
}
