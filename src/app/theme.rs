//! The styles the views draw with. Colours come from the config; without
//! colour (NO_COLOR) every distinction is still made by bold, dim, reverse
//! and the row markers.

use ratatui::style::{Color, Modifier, Style};

#[derive(Debug, Clone, PartialEq)]
pub struct Theme {
    pub border: Style,
    pub border_focused: Style,
    pub title: Style,
    pub meta: Style,
    pub text: Style,
    pub selection: Style,
    pub selection_unfocused: Style,
    pub unread: Style,
    pub read: Style,
    pub no_story: Style,
    pub search_match: Style,
    pub status: Style,
    pub message: Style,
    pub key: Style,
}

impl Default for Theme {
    fn default() -> Self {
        Theme {
            border: Style::new().fg(Color::DarkGray),
            border_focused: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            meta: Style::new().fg(Color::DarkGray),
            text: Style::new().fg(Color::Reset),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            selection_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            unread: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            read: Style::new().fg(Color::Reset),
            no_story: Style::new()
                .fg(Color::DarkGray)
                .add_modifier(Modifier::ITALIC),
            search_match: Style::new().fg(Color::Black).bg(Color::Yellow),
            status: Style::new().add_modifier(Modifier::REVERSED),
            message: Style::new().fg(Color::Yellow).add_modifier(Modifier::BOLD),
            key: Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD),
        }
    }
}

impl Theme {
    /// The names of the styles in the config's `[theme]` table.
    pub const NAMES: [&'static str; 14] = [
        "border",
        "border_focused",
        "title",
        "meta",
        "text",
        "selection",
        "selection_unfocused",
        "unread",
        "read",
        "no_story",
        "search_match",
        "status",
        "message",
        "key",
    ];

    /// The style called `name` in the config.
    pub fn slot(&mut self, name: &str) -> Option<&mut Style> {
        Some(match name {
            "border" => &mut self.border,
            "border_focused" => &mut self.border_focused,
            "title" => &mut self.title,
            "meta" => &mut self.meta,
            "text" => &mut self.text,
            "selection" => &mut self.selection,
            "selection_unfocused" => &mut self.selection_unfocused,
            "unread" => &mut self.unread,
            "read" => &mut self.read,
            "no_story" => &mut self.no_story,
            "search_match" => &mut self.search_match,
            "status" => &mut self.status,
            "message" => &mut self.message,
            "key" => &mut self.key,
            _ => return None,
        })
    }

    /// The same distinctions without any colour.
    pub fn monochrome() -> Self {
        Theme {
            border: Style::new(),
            border_focused: Style::new().add_modifier(Modifier::BOLD),
            title: Style::new().add_modifier(Modifier::BOLD),
            meta: Style::new().add_modifier(Modifier::DIM),
            text: Style::new(),
            selection: Style::new().add_modifier(Modifier::REVERSED),
            selection_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
            unread: Style::new().add_modifier(Modifier::BOLD),
            read: Style::new(),
            no_story: Style::new().add_modifier(Modifier::DIM | Modifier::ITALIC),
            search_match: Style::new().add_modifier(Modifier::REVERSED | Modifier::UNDERLINED),
            status: Style::new().add_modifier(Modifier::REVERSED),
            message: Style::new().add_modifier(Modifier::BOLD),
            key: Style::new().add_modifier(Modifier::BOLD),
        }
    }
}
