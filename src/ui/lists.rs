//! The related-headlines sidebar and the story index. Only the rows on
//! screen are built, so a list of any length costs the same to draw.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::widgets::{Block, Widget};

use super::text::fit;
use crate::app::{App, ListState, Pane, layout};

/// A row as drawn: a marker column and the text, each with a style.
struct Row<'a> {
    marker: &'static str,
    text: &'a str,
    style: Style,
}

pub fn render_related(app: &App, area: Rect, buf: &mut Buffer) {
    let related = app
        .open
        .map_or(&[][..], |s| &app.library.stories[s].related[..]);
    let title = format!(" Related · {} ", related.len());
    render_list(
        app,
        Pane::Related,
        &title,
        area,
        buf,
        related.len(),
        app.related,
        |row| {
            let headline = &app.library.headlines[related[row]];
            match headline.story {
                Some(story) if !app.is_read(story) => Row {
                    marker: "●",
                    text: &headline.text,
                    style: app.theme.unread,
                },
                Some(_) => Row {
                    marker: " ",
                    text: &headline.text,
                    style: app.theme.read,
                },
                None => Row {
                    marker: "·",
                    text: &headline.text,
                    style: app.theme.no_story,
                },
            }
        },
    );
}

pub fn render_index(app: &App, area: Rect, buf: &mut Buffer) {
    let title = if app.unread_only {
        format!(" Index · unread · {} ", app.index_rows.len())
    } else {
        format!(" Index · {} ", app.index_rows.len())
    };
    render_list(
        app,
        Pane::Index,
        &title,
        area,
        buf,
        app.index_rows.len(),
        app.index,
        |row| {
            let story = app.index_rows[row];
            let title = &app.library.stories[story].title;
            if app.is_read(story) {
                Row {
                    marker: " ",
                    text: title,
                    style: app.theme.read,
                }
            } else {
                Row {
                    marker: "●",
                    text: title,
                    style: app.theme.unread,
                }
            }
        },
    );
}

#[allow(clippy::too_many_arguments)]
fn render_list<'a>(
    app: &App,
    pane: Pane,
    title: &str,
    area: Rect,
    buf: &mut Buffer,
    len: usize,
    state: ListState,
    row: impl Fn(usize) -> Row<'a>,
) {
    if area.is_empty() {
        return;
    }
    let focused = app.focus == pane;
    let theme = &app.theme;
    let border = if focused {
        theme.border_focused
    } else {
        theme.border
    };
    Block::bordered()
        .border_style(border)
        .title(fit(title, usize::from(area.width.saturating_sub(2))).into_owned())
        .render(area, buf);
    let rows = layout::list_rows(area);
    if rows.is_empty() {
        return;
    }
    if len == 0 {
        let empty = if pane == Pane::Related {
            "no related headlines"
        } else {
            "no stories"
        };
        buf.set_stringn(
            rows.x,
            rows.y,
            fit(empty, usize::from(rows.width)),
            usize::from(rows.width),
            theme.meta,
        );
        return;
    }
    let width = usize::from(rows.width);
    for (line, index) in (state.offset..len)
        .take(usize::from(rows.height))
        .enumerate()
    {
        let y = rows.y + line as u16;
        let Row {
            marker,
            text,
            style,
        } = row(index);
        let selected = index == state.selected;
        let line_style = match (selected, focused) {
            (true, true) => theme.selection,
            (true, false) => theme.selection_unfocused,
            _ => Style::new(),
        };
        buf.set_style(
            Rect {
                x: rows.x,
                y,
                width: rows.width,
                height: 1,
            },
            line_style,
        );
        buf.set_stringn(rows.x, y, marker, width, style.patch(line_style));
        if width > 2 {
            buf.set_stringn(
                rows.x + 2,
                y,
                fit(text, width - 2),
                width - 2,
                style.patch(line_style),
            );
        }
    }
}
