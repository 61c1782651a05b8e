//! The styles the views draw with. Colours come from the config; without
//! colour (NO_COLOR) every distinction is still made by bold, dim, reverse
//! and the row markers.

use ratatui::style::{Color, Modifier, Style};

/// Declares the styles once: each is a field of [`Theme`], and the field's
/// name is its name in the config's `[theme]` table.
macro_rules! styles {
    ($($name:ident),* $(,)?) => {
        #[derive(Debug, Clone, PartialEq)]
        pub struct Theme {
            $(pub $name: Style,)*
        }

        impl Theme {
            /// The names of the styles in the config's `[theme]` table.
            pub const NAMES: &[&str] = &[$(stringify!($name)),*];

            /// The style called `name` in the config.
            pub fn slot(&mut self, name: &str) -> Option<&mut Style> {
                match name {
                    $(stringify!($name) => Some(&mut self.$name),)*
                    _ => None,
                }
            }
        }
    };
}

styles! {
    border,
    border_focused,
    title,
    meta,
    text,
    selection,
    selection_unfocused,
    unread,
    read,
    no_story,
    search_match,
    status,
    message,
    key,
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
