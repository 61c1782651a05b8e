//! Where each pane goes for a given terminal size. Shared by drawing and by
//! input (paging needs the body height, a click needs to know what is
//! under it), so both always agree.

use ratatui::layout::{Constraint, Layout, Rect};

use super::Pane;
use crate::config::{ReaderSettings, SidebarOrder};

/// Below this width or height the panes do not fit side by side and only
/// the focused one is shown.
pub const MIN_SPLIT_WIDTH: u16 = 60;
pub const MIN_SPLIT_HEIGHT: u16 = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Areas {
    /// Zero-sized when a pane is hidden.
    pub sources: Rect,
    pub story: Rect,
    pub related: Rect,
    pub index: Rect,
    pub status: Rect,
}

impl Areas {
    /// `sources`: whether the sources pane is shown (a column on the left).
    pub fn new(area: Rect, focus: Pane, settings: &ReaderSettings, sources: bool) -> Areas {
        let [main, status] =
            Layout::vertical([Constraint::Fill(1), Constraint::Length(1)]).areas(area);
        let mut areas = Areas {
            status,
            ..Areas::default()
        };
        if area.width < MIN_SPLIT_WIDTH || area.height < MIN_SPLIT_HEIGHT {
            match focus {
                Pane::Sources => areas.sources = main,
                Pane::Story => areas.story = main,
                Pane::Related => areas.related = main,
                Pane::Index => areas.index = main,
            }
            return areas;
        }
        let auto = (u32::from(area.width) * 38 / 100) as u16;
        let sidebar = settings
            .sidebar_width
            .unwrap_or(auto)
            .clamp(20, area.width / 2);
        let [sources, story, side] = Layout::horizontal([
            Constraint::Length(if sources { source_width(area.width) } else { 0 }),
            Constraint::Fill(1),
            Constraint::Length(sidebar),
        ])
        .areas(main);
        areas.sources = sources;
        let [top, bottom] =
            Layout::vertical([Constraint::Percentage(45), Constraint::Fill(1)]).areas(side);
        areas.story = story;
        (areas.related, areas.index) = match settings.sidebar_order {
            SidebarOrder::RelatedFirst => (top, bottom),
            SidebarOrder::IndexFirst => (bottom, top),
        };
        areas
    }

    pub fn pane_at(&self, column: u16, row: u16) -> Option<Pane> {
        let position = ratatui::layout::Position { x: column, y: row };
        [
            (self.sources, Pane::Sources),
            (self.story, Pane::Story),
            (self.related, Pane::Related),
            (self.index, Pane::Index),
        ]
        .into_iter()
        .find(|(rect, _)| rect.contains(position))
        .map(|(_, pane)| pane)
    }
}

/// The sources column: a sixth of the width, from 18 to 30 columns.
fn source_width(width: u16) -> u16 {
    (width / 6).clamp(18, 30)
}

/// The parts of the story pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct StoryAreas {
    pub title: Rect,
    pub meta: Rect,
    /// The row between the facts and the body: says whose text is shown
    /// when it is the web page's.
    pub note: Rect,
    /// Where the wrapped body goes, already narrowed to the reading width.
    pub body: Rect,
    pub scrollbar: Rect,
}

impl StoryAreas {
    pub fn new(pane: Rect, text_width: u16) -> StoryAreas {
        let inner = pane.inner(ratatui::layout::Margin {
            horizontal: 1,
            vertical: 1,
        });
        let header = match inner.height {
            0..=2 => 0,
            3..=5 => 1,
            _ => 3,
        };
        let [head, body_row] =
            Layout::vertical([Constraint::Length(header), Constraint::Fill(1)]).areas(inner);
        let title = Rect {
            height: head.height.min(1),
            ..head
        };
        let meta = if header >= 2 {
            Rect {
                y: head.y + 1,
                height: 1,
                ..head
            }
        } else {
            Rect::default()
        };
        let note = if header >= 3 {
            Rect {
                y: head.y + 2,
                height: 1,
                ..head
            }
        } else {
            Rect::default()
        };
        // One column of padding on the left, the scrollbar on the right.
        let [_, text, _, scrollbar] = Layout::horizontal([
            Constraint::Length(u16::from(body_row.width > 4)),
            Constraint::Fill(1),
            Constraint::Length(u16::from(body_row.width > 4)),
            Constraint::Length(u16::from(body_row.width > 1)),
        ])
        .areas(body_row);
        let body = if text_width > 0 && text.width > text_width {
            Rect {
                x: text.x + (text.width - text_width) / 2,
                width: text_width,
                ..text
            }
        } else {
            text
        };
        StoryAreas {
            title: pad(title),
            meta: pad(meta),
            note: pad(note),
            body,
            scrollbar,
        }
    }
}

fn pad(rect: Rect) -> Rect {
    if rect.width > 4 {
        Rect {
            x: rect.x + 1,
            width: rect.width - 2,
            ..rect
        }
    } else {
        rect
    }
}

/// The rows of a bordered list pane.
pub fn list_rows(pane: Rect) -> Rect {
    pane.inner(ratatui::layout::Margin {
        horizontal: 1,
        vertical: 1,
    })
}
