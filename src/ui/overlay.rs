//! Overlays drawn over the panes: the help and the list of load problems.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Clear, Widget};

use super::fit::fit;
use crate::action::Action;
use crate::app::{App, Overlay};

pub fn render(app: &App, overlay: Overlay, screen: Rect, buf: &mut Buffer) {
    match overlay {
        Overlay::Help { scroll } => {
            let lines = help_lines(app);
            let width = lines.iter().map(Line::width).max().unwrap_or(0) + 4;
            let frame = BoxFrame {
                title: " Keys · Esc closes ",
                width,
                count: lines.len(),
                scroll,
            };
            draw_box(app, screen, buf, &frame, |i| lines[i].clone());
        }
        Overlay::Problems { scroll } => {
            let count = (app.library.diagnostics.len() * 2).max(1);
            let (errors, warnings) = (app.library.error_count(), app.library.warning_count());
            let title =
                format!(" Load problems · {errors} not loaded, {warnings} warnings · Esc closes ");
            let frame = BoxFrame {
                title: &title,
                width: usize::MAX,
                count,
                scroll,
            };
            draw_box(app, screen, buf, &frame, |i| problem_line(app, i));
        }
    }
}

/// One line per action that has keys: the keys in force, then what it does.
fn help_lines(app: &App) -> Vec<Line<'static>> {
    let rows: Vec<(String, &str)> = Action::all()
        .map(|a| (app.keymap.describe_keys(a), a.help()))
        .filter(|(keys, _)| !keys.is_empty())
        .collect();
    let key_width = rows
        .iter()
        .map(|(k, _)| unicode_width::UnicodeWidthStr::width(k.as_str()))
        .max()
        .unwrap_or(0);
    rows.into_iter()
        .map(|(keys, what)| {
            let pad = key_width - unicode_width::UnicodeWidthStr::width(keys.as_str());
            Line::from(vec![
                Span::styled(format!(" {keys}{}", " ".repeat(pad)), app.theme.key),
                Span::raw(format!("  {what}")),
            ])
        })
        .collect()
}

/// Each diagnostic takes two lines: severity and path, then the reason.
fn problem_line(app: &App, line: usize) -> Line<'static> {
    let Some(d) = app.library.diagnostics.get(line / 2) else {
        return Line::from(" Every file loaded.");
    };
    if line % 2 == 1 {
        return Line::from(format!("         {}", d.message));
    }
    let (label, style) = if d.is_error() {
        ("error", app.theme.message)
    } else {
        ("warning", app.theme.meta)
    };
    Line::from(vec![
        Span::styled(format!(" {label:7} "), style),
        Span::raw(d.path.clone()),
    ])
}

/// An overlay's box: its title, the width it asks for, how many lines it
/// holds and how far they are scrolled.
struct BoxFrame<'t> {
    title: &'t str,
    width: usize,
    count: usize,
    scroll: usize,
}

/// A centred box of `count` lines, of which only those on screen are made.
fn draw_box<'a>(
    app: &App,
    screen: Rect,
    buf: &mut Buffer,
    frame: &BoxFrame,
    line: impl Fn(usize) -> Line<'a>,
) {
    let BoxFrame {
        title,
        width,
        count,
        scroll,
    } = *frame;
    let width = (width
        .min(usize::from(screen.width.saturating_sub(4)))
        .max(1) as u16)
        .min(screen.width);
    let height =
        ((count + 2).min(usize::from(screen.height.saturating_sub(2))) as u16).min(screen.height);
    let area = Rect {
        x: screen.x + (screen.width - width) / 2,
        y: screen.y + (screen.height - height) / 2,
        width,
        height,
    };
    Clear.render(area, buf);
    Block::bordered()
        .border_style(app.theme.border_focused)
        .title(fit(title, usize::from(width.saturating_sub(2))).into_owned())
        .render(area, buf);
    let inner = area.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 1,
    });
    let visible = usize::from(inner.height);
    let scroll = scroll.min(count.saturating_sub(visible));
    for (row, index) in (scroll..count).take(visible).enumerate() {
        let line = line(index);
        let y = inner.y + row as u16;
        let text: String = line.spans.iter().map(|s| s.content.as_ref()).collect();
        if line.width() > usize::from(inner.width) {
            let style = line.spans.first().map_or(Style::new(), |s| s.style);
            buf.set_stringn(
                inner.x,
                y,
                fit(&text, usize::from(inner.width)),
                usize::from(inner.width),
                style,
            );
        } else {
            buf.set_line(inner.x, y, &line, inner.width);
        }
    }
}
