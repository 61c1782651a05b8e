//! The related-headlines sidebar, the story index, and search results in
//! the index's place. Only the rows on screen are built, so a list of any
//! length costs the same to draw.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Widget};
use unicode_segmentation::UnicodeSegmentation;

use super::fit::fit;
use crate::app::{App, ListState, Pane, layout};
use crate::search::{Field, Hit};
use crate::sources::Kind;
use crate::text::grouped;

/// A row as drawn: two marker columns, an optional tag, the text with
/// some characters highlighted, and optional detail after it.
#[derive(Default)]
struct Row<'a> {
    /// Two columns: `●` unread, `★` starred, `·` no story; then a space.
    marker: &'static str,
    tag: &'static str,
    text: &'a str,
    style: Style,
    highlights: &'a [u32],
    detail: Option<&'a str>,
    /// Right-aligned after the text (a source's unread count).
    count: Option<&'a str>,
}

/// What a list pane shows around its rows: which pane it is, its title,
/// what it says when empty, how many rows it has and where it is scrolled.
struct ListFrame<'t> {
    pane: Pane,
    title: &'t str,
    empty: &'t str,
    len: usize,
    state: ListState,
}

pub fn render_related(app: &App, area: Rect, buf: &mut Buffer) {
    let related = &app.related.rows;
    let title = format!(" Related · {} ", related.len());
    let frame = ListFrame {
        pane: Pane::Related,
        title: &title,
        empty: "no related headlines",
        len: related.len(),
        state: app.related.list,
    };
    // The open story's event's other stories say who told them first
    // ("Radio: Ships Queue Off..."): made for the rows on screen only.
    let event = app.open.and_then(|open| app.library.cluster(open));
    let offset = app.related.list.offset;
    let labels: Vec<Option<String>> = related[offset.min(related.len())..]
        .iter()
        .take(usize::from(area.height))
        .map(|&h| {
            let headline = &app.library.headlines[h];
            let story = headline
                .story()
                .filter(|&s| app.library.cluster(s) == event)?;
            event?;
            let source = app.library.stories[story].source_name();
            Some(format!("{source}: {}", headline.text))
        })
        .collect();
    render_list(app, &frame, area, buf, |row| {
        let headline = &app.library.headlines[related[row]];
        let (marker, style) = story_marker(app, headline.story());
        let label = labels.get(row - offset).and_then(Option::as_deref);
        Row {
            marker,
            text: label.unwrap_or(&headline.text),
            style,
            ..Row::default()
        }
    });
}

pub fn render_index(app: &App, area: Rect, buf: &mut Buffer) {
    if let Some(prompt) = &app.prompt {
        let results = &prompt.results;
        let title = if prompt.waiting && results.hits.is_empty() {
            " Search · searching… ".to_owned()
        } else if results.hits.first().is_some_and(Hit::is_listed) {
            format!(
                " Filtered · {} stories, newest first ",
                grouped(results.total)
            )
        } else if results.total > results.hits.len() {
            format!(
                " Search · best {} of {} · H headline, T text ",
                results.hits.len(),
                results.total
            )
        } else {
            format!(" Search · {} · H headline, T text ", results.total)
        };
        let empty = if prompt.query.trim().is_empty() {
            "type to search headlines and stories"
        } else {
            "no matches"
        };
        let hits = &results.hits;
        let frame = ListFrame {
            pane: Pane::Index,
            title: &title,
            empty,
            len: hits.len(),
            state: prompt.list,
        };
        render_list(app, &frame, area, buf, |row| result_row(app, &hits[row]));
        return;
    }
    let title = match (app.sources.narrowed_to(), app.unread_only) {
        (Some(name), unread_only) => {
            let source = &app.sources.sources.list[app.sources.chosen];
            let only = if unread_only { " · unread only" } else { "" };
            format!(
                " Index · {name} · {} unread / {}{only} ",
                grouped(source.unread),
                grouped(source.total)
            )
        }
        (None, true) => format!(" Index · unread · {} ", grouped(app.index.rows.len())),
        (None, false) if app.shows_events() => format!(
            " Index · {} events · {} stories ",
            grouped(app.index.rows.len()),
            grouped(app.sources.stories.len())
        ),
        (None, false) => format!(" Index · {} ", grouped(app.index.rows.len())),
    };
    let frame = ListFrame {
        pane: Pane::Index,
        title: &title,
        empty: "no stories",
        len: app.index.rows.len(),
        state: app.index.list,
    };
    // An event's row names how many sources told it (`· 12`): counted
    // for the rows on screen only.
    let shown = app.index.list.offset..app.index.rows.len();
    let counts: Vec<Option<String>> = app.index.rows[shown]
        .iter()
        .take(usize::from(area.height))
        .map(|&story| {
            let event = app.event_of(story)?;
            Some(format!("· {}", app.library.sources_of(event)))
        })
        .collect();
    render_list(app, &frame, area, buf, |row| {
        let story = app.index.rows[row];
        let event = app.event_of(story).is_some();
        let (marker, style) = row_marker(app, story);
        let shown_as = match app.library.cluster(story) {
            Some(cluster) if event => app.library.cluster_headline(cluster).unwrap_or(story),
            _ => story,
        };
        let count = counts
            .get(row - app.index.list.offset)
            .and_then(Option::as_deref);
        Row {
            marker,
            text: &app.library.stories[shown_as].title,
            style,
            count,
            ..Row::default()
        }
    });
}

/// An index row's marker: its story's, unread while any story of its
/// event is.
fn row_marker(app: &App, story: usize) -> (&'static str, Style) {
    let unread = app.row_unread(story);
    let style = if unread {
        app.theme.unread
    } else {
        app.theme.read
    };
    let marker = match (app.is_starred(story), unread) {
        (true, _) => "★ ",
        (false, true) => "● ",
        (false, false) => "  ",
    };
    (marker, style)
}

/// `●` for an unread story, blank for a read one, `★` for a starred one
/// (in the unread style while unread), `·` where no story is loaded.
fn story_marker(app: &App, story: Option<usize>) -> (&'static str, Style) {
    match story {
        Some(story) => {
            let style = if app.is_read(story) {
                app.theme.read
            } else {
                app.theme.unread
            };
            let marker = match (app.is_starred(story), app.is_read(story)) {
                (true, _) => "★ ",
                (false, false) => "● ",
                (false, true) => "  ",
            };
            (marker, style)
        }
        None => ("· ", app.theme.no_story),
    }
}

/// The sources: each with its unread count (and how many in all) on the
/// right; `▸` marks the one the index shows.
pub fn render_sources(app: &App, area: Rect, buf: &mut Buffer) {
    let pane = &app.sources;
    let list = &pane.sources.list;
    let frame = ListFrame {
        pane: Pane::Sources,
        title: " Sources ",
        empty: "no sources",
        len: list.len(),
        state: pane.list,
    };
    let counts: Vec<String> = list
        .iter()
        .map(|s| match (&s.problem, s.kind) {
            (Some(_), _) => "!".to_owned(),
            // Stars are kept to be read again: how many there are.
            (None, Kind::Starred) => grouped(s.total),
            (None, _) => grouped(s.unread),
        })
        .collect();
    let names: Vec<String> = list
        .iter()
        .map(|s| match s.kind {
            Kind::Tag => format!("#{}", s.name),
            Kind::Saved => format!("/{}", s.name),
            Kind::Folder => format!("{}/", s.name),
            _ => s.name.clone(),
        })
        .collect();
    render_list(app, &frame, area, buf, |row| {
        let source = &list[row];
        let style = if source.unread > 0 {
            app.theme.unread
        } else {
            app.theme.read
        };
        Row {
            marker: if row == pane.chosen { "▸ " } else { "  " },
            text: &names[row],
            style,
            count: Some(&counts[row]),
            ..Row::default()
        }
    });
}

fn result_row<'a>(app: &'a App, hit: &'a Hit) -> Row<'a> {
    let (marker, style) = story_marker(app, hit.story);
    let tag = match hit.field {
        _ if hit.is_listed() => "",
        Field::Headline => "H",
        Field::Body => "T",
    };
    Row {
        marker,
        tag,
        text: hit.text(&app.library),
        style,
        highlights: &hit.highlights,
        detail: hit.snippet.as_deref(),
        count: None,
    }
}

fn render_list<'a>(
    app: &App,
    frame: &ListFrame,
    area: Rect,
    buf: &mut Buffer,
    row: impl Fn(usize) -> Row<'a>,
) {
    let ListFrame {
        pane,
        title,
        empty,
        len,
        state,
    } = *frame;
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
    let title = fit(title, usize::from(area.width.saturating_sub(2))).into_owned();
    Block::bordered()
        .border_style(border)
        .title(title)
        .render(area, buf);
    let rows = layout::list_rows(area);
    if rows.is_empty() {
        return;
    }
    let width = usize::from(rows.width);
    if len == 0 {
        buf.set_stringn(rows.x, rows.y, fit(empty, width), width, theme.meta);
        return;
    }
    for (line, index) in (state.offset..len)
        .take(usize::from(rows.height))
        .enumerate()
    {
        let y = rows.y + line as u16;
        let row = row(index);
        let line_style = match (index == state.selected, focused) {
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
        draw_row(
            app,
            &row,
            line_style,
            Rect {
                y,
                height: 1,
                ..rows
            },
            buf,
        );
    }
}

fn draw_row(app: &App, row: &Row, line_style: Style, area: Rect, buf: &mut Buffer) {
    let count_width = row.count.map_or(0, |c| c.len() + 1);
    let width = usize::from(area.width).saturating_sub(count_width);
    let style = row.style.patch(line_style);
    if let Some(count) = row.count
        && width > 4
    {
        let x = area.x + width as u16;
        buf.set_stringn(x, area.y, format!(" {count}"), count_width, style);
    }
    let area = Rect {
        width: width as u16,
        ..area
    };
    let mut spans = vec![Span::styled(row.marker, style)];
    if !row.tag.is_empty() {
        spans.push(Span::styled(
            format!("{} ", row.tag),
            app.theme.meta.patch(line_style),
        ));
    }
    let used: usize = spans.iter().map(Span::width).sum();
    let text = fit(row.text, width.saturating_sub(used));
    let highlight = style.patch(app.theme.search_match);
    // Runs of whole graphemes, lit or not: a combining mark drawn on its
    // own would be dropped (Hindi's vowel signs, Thai's tone marks).
    let mut chars = 0;
    let mut lit_chars = row.highlights.iter().map(|&h| h as usize).peekable();
    let mut run = String::new();
    let mut run_lit = false;
    for grapheme in text.graphemes(true) {
        let end = chars + grapheme.chars().count();
        while lit_chars.next_if(|&h| h < chars).is_some() {}
        let lit = lit_chars.peek().is_some_and(|&h| h < end);
        if lit != run_lit && !run.is_empty() {
            let style = if run_lit { highlight } else { style };
            spans.push(Span::styled(std::mem::take(&mut run), style));
        }
        run_lit = lit;
        run.push_str(grapheme);
        chars = end;
    }
    if !run.is_empty() {
        spans.push(Span::styled(run, if run_lit { highlight } else { style }));
    }
    if let Some(detail) = row.detail {
        let used: usize = spans.iter().map(Span::width).sum();
        let room = width.saturating_sub(used + 3);
        if room > 8 {
            spans.push(Span::styled(
                format!(" — {}", fit(detail, room)),
                app.theme.meta.patch(line_style),
            ));
        }
    }
    buf.set_line(area.x, area.y, &Line::from(spans), area.width);
}
