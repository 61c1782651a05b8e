//! The story pane: title, metadata line, the wrapped body with a scrollbar
//! and the reading position.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Block, Scrollbar, ScrollbarOrientation, ScrollbarState, StatefulWidget, Widget,
};

use super::fit::fit;
use crate::app::layout::StoryAreas;
use crate::app::{App, Pane, TextKind};
use crate::model::Story;
use crate::text::script::ReadingLength;

pub fn render(app: &App, area: Rect, buf: &mut Buffer) {
    if area.is_empty() {
        return;
    }
    let border = if app.focus == Pane::Story {
        app.theme.border_focused
    } else {
        app.theme.border
    };
    let mut block = Block::bordered().border_style(border).title(" Story ");
    let Some(open) = app.open else {
        block.render(area, buf);
        let inner = block_inner(area);
        let width = usize::from(inner.width);
        let message = fit("No stories loaded.", width);
        buf.set_stringn(inner.x, inner.y, message, width, app.theme.meta);
        return;
    };
    // Laid out on resize; `area` is the story pane it was laid out for.
    let parts = app.story_areas();
    let body_height = usize::from(parts.body.height);
    if let Some(position) = position(app.page.scroll, body_height, app.page.view.len()) {
        block = block.title_bottom(Line::from(format!(" {position} ")).right_aligned());
    }
    block.render(area, buf);
    render_heading(app, open, &parts, buf);
    for (row, line) in (app.page.scroll..app.page.view.len())
        .take(body_height)
        .enumerate()
    {
        let y = parts.body.y + row as u16;
        buf.set_line(parts.body.x, y, &body_line(app, line), parts.body.width);
    }
    if app.page.view.len() > body_height && !parts.scrollbar.is_empty() {
        render_scrollbar(app, border, &parts, buf);
    }
}

/// The title (marked while unread) and the facts line under it.
fn render_heading(app: &App, open: usize, parts: &StoryAreas, buf: &mut Buffer) {
    let theme = &app.theme;
    let story = &app.library.stories[open];
    let read = app.is_read(open);
    let (marker, title_style) = if read {
        ("", theme.title)
    } else {
        ("● ", theme.title.patch(theme.unread))
    };
    let width = usize::from(parts.title.width);
    let title = format!("{marker}{}", story.title);
    let (x, y) = (parts.title.x, parts.title.y);
    buf.set_stringn(x, y, fit(&title, width), width, title_style);
    if !parts.meta.is_empty() {
        let width = usize::from(parts.meta.width);
        let facts = metadata(story, app.page.length, read, app.is_starred(open));
        let (x, y) = (parts.meta.x, parts.meta.y);
        buf.set_stringn(x, y, fit(&facts, width), width, theme.meta);
    }
    if app.page.kind == TextKind::Page && !parts.note.is_empty() {
        let width = usize::from(parts.note.width);
        let note = "The web page's text · F: the feed's text";
        let (x, y) = (parts.note.x, parts.note.y);
        buf.set_stringn(x, y, fit(note, width), width, theme.meta);
    }
}

fn render_scrollbar(app: &App, thumb: Style, parts: &StoryAreas, buf: &mut Buffer) {
    // ratatui counts positions, so the last one is max_scroll.
    let mut state = ScrollbarState::new(app.max_scroll() + 1)
        .position(app.page.scroll)
        .viewport_content_length(usize::from(parts.body.height));
    Scrollbar::new(ScrollbarOrientation::VerticalRight)
        .begin_symbol(None)
        .end_symbol(None)
        .thumb_style(thumb)
        .track_style(app.theme.border)
        .render(parts.scrollbar, buf, &mut state);
}

/// One screen line of the body, with the last search's matches on it
/// highlighted (the current match more strongly).
fn body_line(app: &App, line: usize) -> Line<'_> {
    let theme = &app.theme;
    let Some(visual) = app.page.view.lines.get(line).filter(|l| !l.gap) else {
        return Line::default();
    };
    let Some(paragraph) = app.page.text.get(visual.paragraph as usize) else {
        return Line::default();
    };
    let (start, end) = (visual.start, visual.end);
    // Matches are in text order: find the first that ends inside this line.
    let first = app
        .page
        .matches
        .partition_point(|m| (m.paragraph, m.end) <= (visual.paragraph, start));
    let mut spans = Vec::new();
    let mut at = start;
    for (i, m) in app.page.matches.iter().enumerate().skip(first) {
        let (p, from, to) = (m.paragraph, m.start, m.end);
        if p != visual.paragraph || from >= end {
            break;
        }
        let (from, to) = (from.max(start), to.min(end));
        if from > at {
            spans.push(Span::styled(
                &paragraph[at as usize..from as usize],
                theme.text,
            ));
        }
        let style = if app.page.current_match == Some(i) {
            theme
                .search_match
                .add_modifier(ratatui::style::Modifier::BOLD | ratatui::style::Modifier::UNDERLINED)
        } else {
            theme.search_match
        };
        spans.push(Span::styled(&paragraph[from as usize..to as usize], style));
        at = to;
    }
    if at < end {
        spans.push(Span::styled(
            &paragraph[at as usize..end as usize],
            theme.text,
        ));
    }
    Line::from(spans)
}

/// "★ starred · source · 2026-11-20 · audio · 45 min · 540 words · 3 min
/// read · unread"
/// (or "150 characters" for a story read by character).
fn metadata(story: &Story, length: ReadingLength, read: bool, starred: bool) -> String {
    let mut parts = Vec::with_capacity(7);
    if starred {
        parts.push("★ starred".to_owned());
    }
    parts.push(
        story
            .meta()
            .source
            .clone()
            .unwrap_or_else(|| story.path.to_string()),
    );
    if let Some(date) = &story.meta().date {
        parts.push(crate::dates::shown(date));
    }
    if let Some(enclosure) = story.meta().enclosures.first() {
        parts.push(enclosure.in_words());
    }
    parts.push(length.label());
    parts.push(format!("{} min read", length.minutes()));
    parts.push(if read { "read" } else { "unread" }.to_owned());
    parts.join(" · ")
}

/// "1-24/120 20%", like less: the lines on screen, the total, and how far
/// through the text the bottom of the screen is.
fn position(scroll: usize, height: usize, total: usize) -> Option<String> {
    if total == 0 || height == 0 {
        return None;
    }
    let last = (scroll + height).min(total);
    Some(format!(
        "{}-{last}/{total} {}%",
        scroll + 1,
        last * 100 / total
    ))
}

fn block_inner(area: Rect) -> Rect {
    area.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 1,
    })
}
