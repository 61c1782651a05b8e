//! Applying input to the app: actions from the keymap, mouse events.

use ratatui::crossterm::event::{
    KeyCode, KeyEvent, KeyEventKind, MouseButton, MouseEvent, MouseEventKind,
};
use ratatui::layout::Position;

use super::{Action, App, Effect, ListState, Overlay, Pane, layout};

/// Lines the mouse wheel moves per notch.
const WHEEL_LINES: usize = 3;

impl App {
    /// A key press: Esc closes an overlay whatever the keymap says, so no
    /// rebinding can trap the user in one; everything else goes through the
    /// keymap.
    pub fn on_key(&mut self, key: &KeyEvent) {
        if key.kind != KeyEventKind::Press {
            return;
        }
        if self.overlay.is_some() && key.code == KeyCode::Esc {
            self.overlay = None;
            return;
        }
        if self.prompt.is_some() {
            self.message = None;
            self.on_prompt_key(key);
            return;
        }
        match self.keymap.action(key) {
            Some(action) => self.update(action),
            None => self.message = None,
        }
    }

    pub fn update(&mut self, action: Action) {
        self.message = None;
        // A catch-up can be undone by the very next action only.
        let undo = self.take_undo();
        if let Some(overlay) = self.overlay {
            self.update_overlay(overlay, action);
            return;
        }
        match action {
            Action::Quit => self.effects.push(Effect::Quit),
            Action::Suspend => self.effects.push(Effect::Suspend),
            Action::Help => self.overlay = Some(Overlay::Help { scroll: 0 }),
            Action::ShowProblems => self.overlay = Some(Overlay::Problems { scroll: 0 }),
            Action::FocusNext => self.cycle_focus(true),
            Action::FocusPrevious => self.cycle_focus(false),
            Action::ShowSources => self.show_sources(),
            Action::ToggleStar => self.toggle_star(),
            Action::CatchUp => self.catch_up(),
            Action::Undo => self.undo(undo),
            Action::ScrollDown => self.move_by(1, false),
            Action::ScrollUp => self.move_by(-1, false),
            Action::PageDown => self.move_by(1, true),
            Action::PageUp => self.move_by(-1, true),
            Action::HalfPageDown => self.move_half_page(1),
            Action::HalfPageUp => self.move_half_page(-1),
            Action::First => self.move_to(0),
            Action::Last => self.move_to(usize::MAX),
            Action::OpenSelected => self.open_selected(),
            Action::Back => self.back(),
            Action::ToggleRead => self.toggle_read(),
            Action::ToggleUnreadOnly => self.toggle_unread_only(),
            Action::ToggleFold => self.toggle_fold(),
            Action::NextUnread => self.open_unread(true),
            Action::PreviousUnread => self.open_unread(false),
            Action::OpenUrl => self.open_url(),
            Action::OpenEnclosure => self.open_enclosure(),
            Action::FullText => self.full_text(),
            Action::UpdateFeeds => self.update_feeds(),
            Action::Search => self.open_prompt(),
            Action::NextMatch => self.next_match(true),
            Action::PreviousMatch => self.next_match(false),
        }
    }

    fn update_overlay(&mut self, overlay: Overlay, action: Action) {
        let (Overlay::Help { scroll } | Overlay::Problems { scroll }) = overlay;
        let scroll = match action {
            Action::ScrollDown => scroll + 1,
            Action::ScrollUp => scroll.saturating_sub(1),
            Action::PageDown | Action::HalfPageDown => {
                scroll + usize::from(self.area.height / 2).max(1)
            }
            Action::PageUp | Action::HalfPageUp => {
                scroll.saturating_sub(usize::from(self.area.height / 2).max(1))
            }
            Action::First => 0,
            Action::Last => usize::MAX / 2,
            Action::Suspend => {
                self.effects.push(Effect::Suspend);
                scroll
            }
            // Any other action closes the overlay, as Esc does.
            _ => {
                self.overlay = None;
                return;
            }
        };
        self.overlay = Some(match overlay {
            Overlay::Help { .. } => Overlay::Help { scroll },
            Overlay::Problems { .. } => Overlay::Problems { scroll },
        });
    }

    /// Tab: story, related, index, and the sources when they are shown.
    fn cycle_focus(&mut self, forward: bool) {
        const ORDER: [Pane; 4] = [Pane::Story, Pane::Related, Pane::Index, Pane::Sources];
        let panes = if self.sources.shown { 4 } else { 3 };
        let at = ORDER[..panes]
            .iter()
            .position(|&p| p == self.focus)
            .unwrap_or(0);
        let next = if forward {
            (at + 1) % panes
        } else {
            (at + panes - 1) % panes
        };
        self.focus = ORDER[next];
        // In a narrow terminal the focused pane takes the whole screen, so
        // sizes change with focus.
        self.resize(self.area.width, self.area.height);
    }

    fn page(&self) -> usize {
        match self.focus {
            Pane::Story => self.body_height(),
            pane => self.list_height(pane),
        }
        .max(1)
    }

    fn move_by(&mut self, direction: isize, by_page: bool) {
        let step = if by_page { self.page() } else { 1 };
        self.step(direction, step);
    }

    fn move_half_page(&mut self, direction: isize) {
        let step = (self.page() / 2).max(1);
        self.step(direction, step);
    }

    fn step(&mut self, direction: isize, step: usize) {
        let current = match self.focus {
            Pane::Story => self.page.scroll,
            Pane::Related => self.related.list.selected,
            Pane::Index => self.index.list.selected,
            Pane::Sources => self.sources.list.selected,
        };
        let target = if direction > 0 {
            current.saturating_add(step)
        } else {
            current.saturating_sub(step)
        };
        self.move_to(target);
    }

    /// Scrolls the story or selects a row, clamped to what exists.
    fn move_to(&mut self, target: usize) {
        match self.focus {
            Pane::Story => self.page.scroll = target.min(self.max_scroll()),
            pane => {
                self.list_mut(pane).selected = target;
                self.keep_visible(pane);
            }
        }
    }

    fn open_selected(&mut self) {
        match self.focus {
            Pane::Story => {}
            Pane::Sources => self.choose_source(),
            Pane::Index => {
                if let Some(&story) = self.index.rows.get(self.index.list.selected) {
                    self.open_story(self.row_opens(story));
                }
            }
            Pane::Related => {
                let Some(&headline) = self.related.rows.get(self.related.list.selected) else {
                    return;
                };
                match self.library.headlines[headline].story() {
                    Some(story) => self.open_story(story),
                    None => {
                        self.message = Some(format!(
                            "no story loaded for “{}”",
                            self.library.headlines[headline].text
                        ));
                    }
                }
            }
        }
    }

    fn back(&mut self) {
        let Some(visit) = self.history.pop() else {
            self.message = Some("no earlier story to go back to".into());
            return;
        };
        self.remember_position();
        self.show_story(visit.story);
        let line = if visit.width == self.page.view.width {
            visit.scroll
        } else {
            self.page.view.line_of(visit.anchor)
        };
        self.page.scroll = line.min(self.max_scroll());
    }

    /// The story a mark applies to: the selected row of a list, else the
    /// open story.
    pub(super) fn target_story(&self) -> Option<usize> {
        match self.focus {
            Pane::Story => self.open,
            Pane::Sources => None,
            Pane::Index => self.index.rows.get(self.index.list.selected).copied(),
            Pane::Related => {
                let headline = *self.related.rows.get(self.related.list.selected)?;
                self.library.headlines[headline].story()
            }
        }
    }

    /// m: the selected or open story marked read or unread; on a folded
    /// index row, every story of its event.
    fn toggle_read(&mut self) {
        let Some(story) = self.target_story() else {
            self.message = Some("no story to mark".into());
            return;
        };
        let row = self.focus == Pane::Index;
        let stories = match self.event_of(story) {
            Some(event) if row => event.to_vec(),
            _ => vec![story],
        };
        let read = if row {
            self.row_unread(story)
        } else {
            !self.is_read(story)
        };
        for &story in &stories {
            self.set_read(story, read);
        }
        let done = if read { "marked read" } else { "marked unread" };
        self.message = Some(match stories.len() {
            1 => done.into(),
            n => format!("{done}: the event's {n} stories"),
        });
        if self.unread_only {
            self.refill_index();
        }
    }

    fn toggle_unread_only(&mut self) {
        self.unread_only = !self.unread_only;
        self.refill_index();
        self.related.rows = self.related_rows_of(self.open);
        self.related.list = ListState::default();
        self.message = Some(
            if self.unread_only {
                "showing unread stories only"
            } else {
                "showing all stories"
            }
            .into(),
        );
    }

    fn open_url(&mut self) {
        let Some(open) = self.open else { return };
        match self.library.stories[open].meta().url.as_deref() {
            None => self.message = Some("this story has no web address".into()),
            Some(url) => self.effects.push(Effect::OpenUrl(url.to_owned())),
        }
    }

    fn open_enclosure(&mut self) {
        let Some(open) = self.open else { return };
        match self.library.stories[open].meta().enclosures.first() {
            None => self.message = Some("this story has no enclosure".into()),
            Some(enclosure) => self.effects.push(Effect::OpenMedia(enclosure.url.clone())),
        }
    }

    pub fn on_mouse(&mut self, mouse: MouseEvent) {
        if self.overlay.is_some() {
            match mouse.kind {
                MouseEventKind::ScrollDown => self.update(Action::ScrollDown),
                MouseEventKind::ScrollUp => self.update(Action::ScrollUp),
                MouseEventKind::Down(_) => self.overlay = None,
                _ => {}
            }
            return;
        }
        let areas = self.areas();
        let Some(pane) = areas.pane_at(mouse.column, mouse.row) else {
            return;
        };
        match mouse.kind {
            MouseEventKind::ScrollDown | MouseEventKind::ScrollUp => {
                let down = mouse.kind == MouseEventKind::ScrollDown;
                self.scroll_pane(pane, down);
            }
            MouseEventKind::Down(MouseButton::Left) if self.prompt.is_some() => {
                let rows = layout::list_rows(areas.index);
                if pane == Pane::Index
                    && rows.contains(Position {
                        x: mouse.column,
                        y: mouse.row,
                    })
                {
                    let offset = self.prompt.as_ref().map_or(0, |p| p.list.offset);
                    self.click_result(offset + usize::from(mouse.row - rows.y));
                }
            }
            MouseEventKind::Down(MouseButton::Left) => {
                self.message = None;
                let previous = self.focus;
                self.focus = pane;
                if pane != Pane::Story {
                    let rows = layout::list_rows(match pane {
                        Pane::Related => areas.related,
                        Pane::Sources => areas.sources,
                        _ => areas.index,
                    });
                    if rows.contains(Position {
                        x: mouse.column,
                        y: mouse.row,
                    }) {
                        let row = self.list_mut(pane).offset + usize::from(mouse.row - rows.y);
                        if row < self.list_len(pane) {
                            let again = previous == pane && self.list_mut(pane).selected == row;
                            self.list_mut(pane).selected = row;
                            // A click on the row already selected opens it.
                            if again {
                                self.open_selected();
                            }
                        }
                    }
                }
            }
            _ => {}
        }
    }

    /// The wheel moves the view, not the selection, as in most programs.
    fn scroll_pane(&mut self, pane: Pane, down: bool) {
        match pane {
            Pane::Story => {
                self.page.scroll = if down {
                    self.page.scroll + WHEEL_LINES
                } else {
                    self.page.scroll.saturating_sub(WHEEL_LINES)
                };
                self.page.scroll = self.page.scroll.min(self.max_scroll());
            }
            list => {
                let max = self
                    .list_len(list)
                    .saturating_sub(self.list_height(list).max(1));
                let state = self.list_mut(list);
                state.offset = if down {
                    state.offset + WHEEL_LINES
                } else {
                    state.offset.saturating_sub(WHEEL_LINES)
                };
                state.offset = state.offset.min(max);
            }
        }
    }
}
