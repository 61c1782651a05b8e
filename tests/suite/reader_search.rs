//! The reader's search: the prompt, results arriving, Esc putting the view
//! back, opening a result, and n/N through the matches.

use std::time::Duration;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use tidings::action::Action;
use tidings::app::{App, Pane};
use tidings::search::Field;

fn bundled_app() -> App {
    crate::common::bundled_reader(100, 30)
}

fn key(app: &mut App, code: KeyCode) {
    app.on_key(&KeyEvent::new(code, KeyModifiers::NONE));
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        key(app, KeyCode::Char(c));
    }
    assert!(
        crate::common::wait_for_search(app, Duration::from_secs(10)),
        "no results for {text:?}"
    );
}

fn title(app: &App) -> &str {
    &app.library.stories[app.open.unwrap()].title
}

#[test]
fn results_narrow_as_you_type_and_enter_opens() {
    let mut app = bundled_app();
    app.update(Action::Search);
    assert!(app.prompt.is_some());
    assert_eq!(app.focus, Pane::Index);
    type_text(&mut app, "t");
    let broad = app.prompt.as_ref().unwrap().results.total;
    type_text(&mut app, "aiwan");
    let narrow = &app.prompt.as_ref().unwrap().results;
    assert!(narrow.total < broad, "{} then {}", broad, narrow.total);
    assert!(narrow.hits[0].text(&app.library).contains("Taiwan"));

    key(&mut app, KeyCode::Backspace);
    for _ in 0..6 {
        key(&mut app, KeyCode::Backspace);
    }
    type_text(&mut app, "keyboard mouse");
    let hits = &app.prompt.as_ref().unwrap().results.hits;
    let first = &hits[0];
    assert_eq!(first.field, Field::Headline);
    assert!(
        first
            .text(&app.library)
            .starts_with("Moving Around Tidings")
    );
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_none());
    assert!(title(&app).starts_with("Moving Around Tidings"));
    assert_eq!(app.focus, Pane::Story);
    assert!(
        !app.page.matches.is_empty(),
        "the query's words are highlighted in the story"
    );
}

#[test]
fn esc_cancels_and_restores_the_view() {
    let mut app = bundled_app();
    app.update(Action::FocusNext);
    app.update(Action::ScrollDown);
    app.update(Action::ScrollDown);
    let (focus, related, index, open) = (app.focus, app.related.list, app.index.list, app.open);
    app.update(Action::Search);
    type_text(&mut app, "config");
    key(&mut app, KeyCode::Down);
    key(&mut app, KeyCode::Esc);
    assert!(app.prompt.is_none());
    assert_eq!(
        (app.focus, app.related.list, app.index.list, app.open),
        (focus, related, index, open)
    );
}

#[test]
fn a_body_result_opens_at_its_match_and_n_and_n_wrap() {
    let mut app = bundled_app();
    app.update(Action::Search);
    type_text(&mut app, "kremlin");
    let hit = &app.prompt.as_ref().unwrap().results.hits[0];
    assert_eq!(hit.field, Field::Body);
    key(&mut app, KeyCode::Enter);
    assert!(title(&app).starts_with("U.S.-Russia Talks"));
    let count = app.page.matches.len();
    assert_eq!(count, 3, "The Kremlin, Kremlin talks, the Kremlin’s");
    assert_eq!(app.message.as_deref(), Some("match 1 of 3"));

    app.update(Action::NextMatch);
    app.update(Action::NextMatch);
    assert_eq!(app.message.as_deref(), Some("match 3 of 3"));
    app.update(Action::NextMatch);
    assert_eq!(app.message.as_deref(), Some("match 1 of 3 (wrapped)"));
    app.update(Action::PreviousMatch);
    assert_eq!(app.message.as_deref(), Some("match 3 of 3 (wrapped)"));
    // The current match is on screen.
    let current = app.page.matches[2];
    let line = app.page.view.line_of(tidings::model::Anchor {
        paragraph: current.paragraph,
        offset: current.start,
    });
    assert!(line >= app.page.scroll && line < app.page.scroll + app.body_height());
}

#[test]
fn n_without_a_search_says_how_to_search() {
    let mut app = bundled_app();
    app.update(Action::NextMatch);
    assert_eq!(
        app.message.as_deref(),
        Some("no search yet: press / to search")
    );
}

#[test]
fn enter_on_a_headline_without_a_story_keeps_the_prompt() {
    let mut app = bundled_app();
    app.update(Action::Search);
    type_text(&mut app, "cuba quietly");
    key(&mut app, KeyCode::Enter);
    assert!(app.prompt.is_some());
    assert!(
        app.message
            .as_deref()
            .unwrap()
            .starts_with("no story loaded for “Cuba Quietly")
    );
}
