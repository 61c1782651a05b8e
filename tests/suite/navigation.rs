//! Navigation as state: what each key does to the open story, the
//! selections and the scroll position.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;
use tidings::action::Action;
use tidings::app::{App, Pane};
use tidings::config::{KeyMap, ReaderSettings, Theme};
use tidings::model::Library;
use tidings::state::ReadState;

use crate::common::bundled_reader as bundled_app;

fn title(app: &App) -> &str {
    &app.library.stories[app.open.unwrap()].title
}

fn select_in_index(app: &mut App, prefix: &str) {
    while app.focus != Pane::Index {
        app.update(Action::FocusNext);
    }
    let row = app
        .index
        .rows
        .iter()
        .position(|&s| app.library.stories[s].title.starts_with(prefix))
        .unwrap();
    app.update(Action::First);
    for _ in 0..row {
        app.update(Action::ScrollDown);
    }
}

#[test]
fn starts_on_the_first_unread_story_with_the_story_focused() {
    let app = bundled_app(100, 30);
    assert_eq!(app.open, Some(0));
    assert_eq!(app.focus, Pane::Story);
    let mut read = ReadState::default();
    let library = Library::build(tidings::bundled::load());
    read.set_read(&library.stories[0].id, true, 1);
    let app = App::new(
        library,
        read,
        ReaderSettings::default(),
        KeyMap::default(),
        Theme::default(),
        Rect::new(0, 0, 100, 30),
    );
    assert_eq!(app.open, Some(1));
}

#[test]
fn opening_a_related_story_and_going_back_restores_story_and_position() {
    let mut app = bundled_app(100, 30);
    select_in_index(&mut app, "Getting Started");
    app.update(Action::OpenSelected);
    assert!(title(&app).starts_with("Getting Started"));
    assert_eq!(app.focus, Pane::Story);
    for _ in 0..5 {
        app.update(Action::ScrollDown);
    }
    let scrolled = app.page.scroll;
    assert_eq!(scrolled, 5.min(app.max_scroll()));
    assert!(scrolled > 0, "the guide is longer than one screen");

    app.update(Action::FocusNext);
    assert_eq!(app.focus, Pane::Related);
    app.update(Action::OpenSelected);
    assert!(title(&app).starts_with("Moving Around"), "{}", title(&app));
    assert_eq!(app.page.scroll, 0);

    app.update(Action::Back);
    assert!(title(&app).starts_with("Getting Started"));
    assert_eq!(app.page.scroll, scrolled);

    app.update(Action::Back);
    assert!(title(&app).starts_with("U.S.-Russia"));
    app.update(Action::Back);
    assert_eq!(
        app.message.as_deref(),
        Some("no earlier story to go back to")
    );
}

#[test]
fn enter_on_a_headline_without_a_story_says_so() {
    let mut app = bundled_app(100, 30);
    app.update(Action::FocusNext);
    app.update(Action::OpenSelected);
    assert_eq!(app.open, Some(0));
    let message = app.message.clone().unwrap();
    assert!(
        message.starts_with("no story loaded for “Cuba Quietly"),
        "{message}"
    );
}

#[test]
fn the_position_survives_a_resize() {
    let mut app = bundled_app(100, 30);
    app.update(Action::PageDown);
    let top = crate::common::top_story_line(&app);
    let first_word = top.split_whitespace().next().unwrap().to_owned();
    app.resize(60, 20);
    let wrapped = crate::common::top_story_line(&app);
    assert!(
        wrapped.contains(&first_word) || app.page.scroll == app.max_scroll(),
        "{top:?} became {wrapped:?}"
    );
}

#[test]
fn toggling_read_and_the_unread_filter() {
    let mut app = bundled_app(100, 30);
    let unread = app.unread_count();
    app.update(Action::ToggleRead);
    assert_eq!(app.unread_count(), unread - 1);
    assert!(app.is_read(0));
    app.update(Action::NextUnread);
    assert_eq!(app.open, Some(1));
    app.update(Action::ToggleUnreadOnly);
    assert!(
        app.index
            .rows
            .iter()
            .all(|&s| !app.is_read(s) || Some(s) == app.open)
    );
    assert!(!app.index.rows.contains(&0));
    app.update(Action::ToggleUnreadOnly);
    assert_eq!(app.index.rows.len(), app.library.stories.len());
}

/// Every key at every size from 1x1 to 200x60: selections and scroll stay
/// in range, and every screen draws.
#[test]
fn every_key_at_every_size_keeps_state_in_range() {
    let mut app = bundled_app(100, 30);
    let keys: Vec<Action> = Action::all().collect();
    for width in 1..=200u16 {
        for height in 1..=60u16 {
            app.resize(width, height);
            check(&app, width, height, None);
            for &action in &keys {
                app.update(action);
                app.take_effects();
                check(&app, width, height, Some(action));
            }
            app.overlay = None;
        }
    }
    // Drawing is the slower part; every tiny size, then a sample of the rest.
    let mut sizes: Vec<(u16, u16)> = (1..=12)
        .flat_map(|w| (1..=12).map(move |h| (w, h)))
        .collect();
    sizes.extend(
        (13..=200)
            .step_by(7)
            .flat_map(|w| (13..=60).step_by(5).map(move |h| (w, h))),
    );
    for (width, height) in sizes {
        app.resize(width, height);
        for action in [
            Action::Last,
            Action::FocusNext,
            Action::Help,
            Action::ScrollDown,
        ] {
            app.update(action);
            let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
            terminal
                .draw(|frame| tidings::ui::render(&app, frame))
                .unwrap();
        }
        app.overlay = None;
    }
}

fn check(app: &App, width: u16, height: u16, after: Option<Action>) {
    let at = format!("{width}x{height} after {after:?}");
    assert!(
        app.page.scroll <= app.max_scroll(),
        "scroll {} > {} at {at}",
        app.page.scroll,
        app.max_scroll()
    );
    for pane in [Pane::Related, Pane::Index] {
        let list = if pane == Pane::Related {
            app.related.list
        } else {
            app.index.list
        };
        let (len, rows) = (app.list_len(pane), app.list_height(pane));
        assert!(
            list.selected < len.max(1),
            "{pane:?} selection {} of {len} at {at}",
            list.selected
        );
        assert!(
            list.offset <= list.selected,
            "{pane:?} offset {} past selection at {at}",
            list.offset
        );
        if rows > 0 {
            assert!(
                list.selected < list.offset + rows,
                "{pane:?} selection off screen at {at}"
            );
        }
    }
    assert!(app.open.is_some_and(|s| s < app.library.stories.len()));
}

fn mouse(kind: MouseEventKind, column: u16, row: u16) -> MouseEvent {
    MouseEvent {
        kind,
        column,
        row,
        modifiers: KeyModifiers::NONE,
    }
}

#[test]
fn a_click_focuses_and_selects_and_a_second_click_opens() {
    let mut app = bundled_app(100, 30);
    let index = app.areas().index;
    let (x, y) = (index.x + 3, index.y + 1 + 2);
    app.on_mouse(mouse(MouseEventKind::Down(MouseButton::Left), x, y));
    assert_eq!(app.focus, Pane::Index);
    assert_eq!(app.index.list.selected, 2);
    assert_eq!(app.open, Some(0));
    app.on_mouse(mouse(MouseEventKind::Down(MouseButton::Left), x, y));
    assert_eq!(app.open, Some(app.index.rows[2]));

    let story = app.areas().story;
    app.on_mouse(mouse(
        MouseEventKind::Down(MouseButton::Left),
        story.x + 5,
        story.y + 5,
    ));
    assert_eq!(app.focus, Pane::Story);
}

#[test]
fn the_wheel_scrolls_the_pane_under_the_pointer() {
    let mut app = bundled_app(100, 30);
    let story = app.areas().story;
    app.on_mouse(mouse(MouseEventKind::ScrollDown, story.x + 5, story.y + 5));
    assert_eq!(app.page.scroll, 3);
    app.on_mouse(mouse(MouseEventKind::ScrollUp, story.x + 5, story.y + 5));
    assert_eq!(app.page.scroll, 0);

    // The related list of the seed is longer than its pane.
    let related = app.areas().related;
    assert!(app.list_len(Pane::Related) > app.list_height(Pane::Related));
    app.on_mouse(mouse(
        MouseEventKind::ScrollDown,
        related.x + 5,
        related.y + 2,
    ));
    assert_eq!(
        app.related.list.offset,
        3.min(app.list_len(Pane::Related) - app.list_height(Pane::Related))
    );
    assert_eq!(app.focus, Pane::Story, "the wheel does not move the focus");
    assert_eq!(app.page.scroll, 0, "the story did not scroll");
}

#[test]
fn a_library_rebuilt_under_the_reader_keeps_its_place() {
    use tidings::action::Action;
    use tidings::load::load_sources;
    use tidings::model::Library;
    let story = |i: usize| {
        format!(
            "Story {i} is about the harbour, ferry {i} and a long day at sea. {}\n\n\nFerry {i} Sails at Dawn\nFerry {} Sails at Dawn\n",
            "The crew worked on. ".repeat(60),
            (i + 1) % 6
        )
    };
    let files: Vec<(String, String)> = (0..6).map(|i| (format!("s{i}.txt"), story(i))).collect();
    let library = |files: &[(String, String)]| {
        Library::build(load_sources(
            files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
        ))
    };
    let mut app = crate::common::reader(library(&files), 80, 24);
    let first = app.open.unwrap();
    app.open_story((first + 2) % 6);
    app.update(Action::PageDown);
    let open_id = app.library.stories[app.open.unwrap()].id.clone();
    let first_id = app.library.stories[first].id.clone();
    let line = crate::common::top_story_line(&app);

    // Two new stories, named so that they come first in the index.
    let mut grown = files.clone();
    grown.push(("a-new.txt".into(), story(10)));
    grown.push(("b-new.txt".into(), story(11)));
    app.replace_library(library(&grown));

    let open = app.open.unwrap();
    assert_eq!(
        app.library.stories[open].id, open_id,
        "the same story is open"
    );
    assert_eq!(
        crate::common::top_story_line(&app),
        line,
        "at the same line"
    );
    let back = app.history.last().unwrap().story;
    assert_eq!(
        app.library.stories[back].id, first_id,
        "Back goes where it went"
    );
    assert!(app.is_read(back), "marks follow the stories");
    assert_eq!(app.unread_count(), 6);
    assert_eq!(app.message.as_deref(), Some("2 new stories"));
    assert_eq!(app.index.rows.len(), 8);
}

#[test]
fn update_says_what_the_world_must_do_and_does_none_of_it() {
    use tidings::action::Action;
    use tidings::app::Effect;
    use tidings::load::load_sources;
    use tidings::model::Library;
    let toml = b"title = \"Harbour Reopens\"\nbody = \"The harbour reopened.\"\nurl = \"https://example.org/harbour\"\n";
    let library = Library::build(load_sources([("a.toml", &toml[..])]));
    let mut app = crate::common::reader(library, 80, 24);
    app.update(Action::OpenUrl);
    assert_eq!(
        app.take_effects(),
        [Effect::OpenUrl("https://example.org/harbour".into())]
    );
    assert_eq!(app.message, None, "nothing said until it is done");
    app.opened_url(
        "https://example.org/harbour",
        Ok::<_, String>("firefox".into()),
    );
    assert_eq!(
        app.message.as_deref(),
        Some("opening https://example.org/harbour with firefox")
    );
    app.update(Action::ToggleRead);
    let effects = app.take_effects();
    assert!(
        matches!(&effects[..], [Effect::Save(id, mark)] if *id == app.library.stories[0].id && mark.read),
        "{effects:?}"
    );
    app.update(Action::Suspend);
    app.update(Action::Quit);
    assert_eq!(app.take_effects(), [Effect::Suspend, Effect::Quit]);
}
