//! The screen shown while the stories load: how far the load has got, and
//! how to quit. Like the reader's views it only draws.

use ratatui::buffer::Buffer;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Gauge, Padding, Paragraph, Widget};

use super::fit::fit;
use crate::config::Theme;
use crate::load::{ProgressReport, Stage};
use crate::text::grouped;

/// Draws the load's progress in a box in the middle of `area`, and a status
/// line naming the key that quits (`quit_key`, if one is bound).
pub fn render(
    progress: ProgressReport,
    theme: &Theme,
    quit_key: Option<&str>,
    area: Rect,
    buf: &mut Buffer,
) {
    if area.is_empty() {
        return;
    }
    let [screen, status] =
        Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);

    let what = progress_in_words(progress);
    let box_width = (what.chars().count() as u16 + 6).max(40).min(screen.width);
    let middle = screen.centered(Constraint::Length(box_width), Constraint::Length(4));
    let block = Block::bordered()
        .padding(Padding::horizontal(1))
        .border_style(theme.border)
        .title(Span::styled(" tidings ", theme.title));
    let inner = block.inner(middle);
    block.render(middle, buf);
    let [text, gauge] =
        Layout::vertical([Constraint::Length(1), Constraint::Length(1)]).areas(inner);
    let width = usize::from(text.width);
    Paragraph::new(Line::styled(fit(&what, width).into_owned(), theme.text)).render(text, buf);
    Gauge::default()
        .gauge_style(theme.unread)
        .ratio(ratio(progress))
        .render(gauge, buf);

    buf.set_style(status, theme.status);
    let mut spans = vec![Span::styled(" loading… ", theme.status)];
    if let Some(key) = quit_key {
        spans.push(Span::styled(
            format!(" {key}"),
            theme.status.patch(theme.key),
        ));
        spans.push(Span::styled(" quit ", theme.status));
    }
    super::status::draw_line(spans, status, theme.status, buf);
}

fn progress_in_words(progress: ProgressReport) -> String {
    match progress.stage {
        Stage::Finding => "Looking for stories…".to_owned(),
        Stage::Reading => format!(
            "Reading {} of {} files",
            grouped(progress.read),
            grouped(progress.files)
        ),
        Stage::Building => format!(
            "Read {} files; finding titles and links…",
            grouped(progress.files)
        ),
    }
}

/// The gauge: reading fills it; building, the last stretch, shows it full.
fn ratio(progress: ProgressReport) -> f64 {
    match progress.stage {
        Stage::Finding => 0.0,
        Stage::Reading if progress.files == 0 => 1.0,
        Stage::Reading => (progress.read as f64 / progress.files as f64).min(1.0),
        Stage::Building => 1.0,
    }
}
