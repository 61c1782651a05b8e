//! The status line: counts, the latest message, and the main keys.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};

use super::fit::fit;
use crate::action::Action;
use crate::app::App;
use crate::load::Stage;
use crate::text::grouped;

/// The keys a new user needs first, in the order shown.
const HINTS: &[(Action, &str)] = &[
    (Action::FocusNext, "focus"),
    (Action::OpenSelected, "open"),
    (Action::Back, "back"),
    (Action::Search, "search"),
    (Action::Help, "help"),
    (Action::Quit, "quit"),
];

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let theme = &app.theme;
    buf.set_style(area, theme.status);
    let counts = if app.shows_events() {
        let (unread, events) = app.event_counts();
        format!(" {} unread / {} events ", grouped(unread), grouped(events))
    } else {
        format!(
            " {} unread / {} ",
            grouped(app.unread_count()),
            grouped(app.library.stories.len())
        )
    };
    let mut spans = vec![Span::styled(counts, theme.status)];
    // Files that did not load are always said, next to the counts.
    let failed = app.library.error_count();
    if failed > 0 {
        let key = app
            .keymap
            .keys_for(Action::ShowProblems)
            .first()
            .map_or_else(String::new, |k| format!(", {k} lists them"));
        let files = if failed == 1 { "file" } else { "files" };
        spans.push(Span::styled(
            format!(" {failed} {files} not loaded{key} "),
            theme.status.patch(theme.message),
        ));
    }
    if let Some(progress) = app.indexing() {
        let doing = match progress.stage {
            Stage::Finding => " looking for changed files… ".to_owned(),
            Stage::Reading => format!(
                " indexing {} of {} ",
                grouped(progress.read),
                grouped(progress.files)
            ),
            Stage::Building => " matching titles… ".to_owned(),
        };
        spans.push(Span::styled(doing, theme.status));
    }
    if let Some((done, total)) = app.feeds_progress() {
        spans.push(Span::styled(
            format!(" updating feeds {} of {} ", grouped(done), grouped(total)),
            theme.status,
        ));
    }
    if let Some(title) = app.page_progress() {
        spans.push(Span::styled(
            format!(" fetching the page of “{title}”… "),
            theme.status,
        ));
    }
    if let Some(prompt) = &app.prompt {
        spans.push(Span::styled(
            format!(" /{}▏", prompt.query),
            theme.status.patch(theme.key),
        ));
        let state = if prompt.waiting { " searching…" } else { "" };
        let hint = app.message.as_deref().map_or_else(
            || format!("{state}  ↑↓ move  Enter open  Esc cancel "),
            |m| format!("  {m} "),
        );
        spans.push(Span::styled(hint, theme.status));
    } else if let Some(message) = &app.message {
        spans.push(Span::styled(
            format!(" {message} "),
            theme.status.patch(theme.message),
        ));
    } else {
        // When the feeds were last updated gives way to any message.
        if let Some(when) = &app.last_update {
            spans.push(Span::styled(format!(" updated {when} "), theme.status));
        }
        for (action, label) in HINTS {
            if let Some(key) = app.keymap.keys_for(*action).first() {
                spans.push(Span::styled(
                    format!(" {key}"),
                    theme.status.patch(theme.key),
                ));
                spans.push(Span::styled(format!(" {label} "), theme.status));
            }
        }
    }
    draw_line(spans, area, theme.status, buf);
}

/// Draws a status line of `spans` over `area`, styled `style`; when it is
/// too wide, as plain text cut to fit, so the counts on its left stay.
pub(super) fn draw_line(spans: Vec<Span>, area: Rect, style: Style, buf: &mut Buffer) {
    let width = usize::from(area.width);
    let text: String = spans.iter().map(|s| s.content.as_ref()).collect();
    if unicode_width::UnicodeWidthStr::width(text.as_str()) > width {
        buf.set_stringn(area.x, area.y, fit(&text, width), width, style);
    } else {
        buf.set_line(area.x, area.y, &Line::from(spans), area.width);
    }
}
