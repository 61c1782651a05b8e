//! Whole screens as a user sees them, drawn with ratatui's TestBackend and
//! compared with reviewed snapshots (tests/snapshots/).

use ratatui::style::Modifier;
use tidings::action::Action;
use tidings::app::{App, Pane};
use tidings::model::Library;

use crate::common::{bundled_reader as bundled_app, draw, reader as app_for};

fn screen(app: &App) -> String {
    draw(app).backend().to_string()
}

#[test]
fn start_screen_on_the_bundled_stories() {
    let app = bundled_app(100, 30);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn start_screen_styles_unread_and_unlinked_headlines_apart() {
    let app = bundled_app(100, 30);
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let row_text = |y: u16| {
        (0..100)
            .map(|x| buffer[(x, y)].symbol())
            .collect::<String>()
    };
    // The story title of an unread story is bold; the related headlines of
    // the seed have no stories and are drawn dim and italic.
    let title_row = (0..30)
        .find(|&y| row_text(y).contains("● U.S.-Russia Talks"))
        .unwrap();
    let title_x = row_text(title_row).find('●').unwrap() as u16;
    assert!(
        buffer[(title_x + 2, title_row)]
            .modifier
            .contains(Modifier::BOLD)
    );
    let cuba = (0..30)
        .find(|&y| row_text(y).contains("· Cuba Quietly"))
        .unwrap();
    let cuba_x = row_text(cuba).chars().position(|c| c == 'C').unwrap() as u16;
    assert!(buffer[(cuba_x, cuba)].modifier.contains(Modifier::ITALIC));
}

#[test]
fn a_story_scrolled_to_its_end() {
    let mut app = bundled_app(100, 30);
    app.update(Action::Last);
    assert_eq!(app.page.scroll, app.max_scroll());
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn the_related_sidebar_focused_with_a_selection() {
    let mut app = bundled_app(100, 30);
    app.update(Action::FocusNext);
    app.update(Action::ScrollDown);
    app.update(Action::ScrollDown);
    assert_eq!(app.focus, Pane::Related);
    let terminal = draw(&app);
    let buffer = terminal.backend().buffer();
    let selected_row = (0..30u16)
        .find(|&y| (0..100u16).any(|x| buffer[(x, y)].modifier.contains(Modifier::REVERSED)))
        .unwrap();
    let text: String = (0..100)
        .map(|x| buffer[(x, selected_row)].symbol())
        .collect();
    assert!(text.contains("Trump’s Name Appears"), "{text}");
    insta::assert_snapshot!(terminal.backend().to_string());
}

#[test]
fn the_help_overlay_lists_the_keys() {
    let mut app = bundled_app(100, 30);
    app.update(Action::Help);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn an_80_by_24_screen() {
    let app = bundled_app(80, 24);
    insta::assert_snapshot!(screen(&app));
}

#[test]
fn a_40_by_12_screen_shows_the_focused_pane() {
    let mut app = bundled_app(40, 12);
    insta::assert_snapshot!("40x12_story", screen(&app));
    app.update(Action::FocusNext);
    insta::assert_snapshot!("40x12_related", screen(&app));
}

#[test]
fn cjk_and_emoji_in_title_and_body() {
    let corpus = crate::common::Corpus::new();
    corpus.write(
        "snow.toml",
        include_str!("../fixtures/unicode/cjk-emoji.toml"),
    );
    let library = Library::load(&[corpus.path().join("snow.toml")]);
    let mut app = app_for(library, 60, 20);
    // The file path differs per run; the source stands in the metadata.
    app.update(Action::FocusNext);
    insta::assert_snapshot!(screen(&app));
}

/// Hebrew and Arabic, emoji with skin tones and joiners, combining
/// accents, flags, CJK: in a title, a body and related headlines.
const SCRIPTS: &str = "title = \"שלום עולם · مرحبا بالعالم · Zoë’s café · 👩🏽‍💻 👍🏿\"
body = \"\"\"עברית נכתבת מימין לשמאל; العربية أيضا تكتب من اليمين إلى اليسار.

Combining: e\\u0301e\\u0301e\\u0301 and a\\u0308o\\u0308u\\u0308, emoji 👍🏽👍🏾👍🏿 and a family 👨‍👩‍👧 and flags 🇫🇷🇯🇵.

漢字とかなの混ざった文章も折り返されます。\"\"\"
related = [\"עוד כותרת ארוכה מאוד שצריכה להיחתך בקצה החלונית\", \"عنوان آخر طويل جدا يجب أن يقطع عند حافة اللوحة\"]
";

#[test]
fn scripts_emoji_and_combining_marks_fit_their_panes() {
    for (width, height) in [(61, 20), (47, 16)] {
        let library = Library::build(tidings::load::load_sources([(
            "scripts.toml",
            SCRIPTS.as_bytes(),
        )]));
        assert!(library.diagnostics.is_empty(), "{:?}", library.diagnostics);
        let app = app_for(library, width, height);
        let terminal = draw(&app);
        let buffer = terminal.backend().buffer();
        // A wide character is followed by the blank cell it covers, never
        // by a border or another character drawn over its second half.
        for y in 0..height {
            for x in 0..width.saturating_sub(1) {
                if unicode_width::UnicodeWidthStr::width(buffer[(x, y)].symbol()) == 2 {
                    let covered = buffer[(x + 1, y)].symbol();
                    assert!(
                        covered.trim().is_empty(),
                        "the wide cell at {x},{y} is overdrawn by {covered:?}"
                    );
                }
            }
        }
        insta::assert_snapshot!(
            format!("scripts_{width}x{height}"),
            terminal.backend().to_string()
        );
    }
}

#[test]
fn large_counts_are_grouped_by_thousands() {
    let files: Vec<(String, String)> = (0..1234)
        .map(|i| {
            (
                format!("{i:04}.toml"),
                format!("title = \"Story number {i}\"\nbody = \"Text of story {i}.\"\n"),
            )
        })
        .collect();
    let library = Library::build(tidings::load::load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ));
    assert_eq!(library.stories.len(), 1234);
    let shown = screen(&app_for(library, 100, 30));
    assert!(shown.contains(" 1,234 unread / 1,234 "), "{shown}");
    assert!(shown.contains("Index · 1,234"), "{shown}");
}
