//! What the reader can be told to do. Keys map to these by name in the
//! config's `[keys]` table. The enum is the one list: its order is the help
//! overlay's, its names (the snake_case of the variants) the config's, and
//! each variant's message what the help says it does.

use strum::{EnumIter, EnumMessage, EnumString, IntoEnumIterator, IntoStaticStr};

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, EnumIter, EnumString, IntoStaticStr, EnumMessage,
)]
#[strum(serialize_all = "snake_case")]
pub enum Action {
    /// Scroll the story, or move the selection in a list.
    #[strum(message = "scroll down / next row")]
    ScrollDown,
    #[strum(message = "scroll up / previous row")]
    ScrollUp,
    #[strum(message = "page down")]
    PageDown,
    #[strum(message = "page up")]
    PageUp,
    #[strum(message = "half a page down")]
    HalfPageDown,
    #[strum(message = "half a page up")]
    HalfPageUp,
    #[strum(message = "go to the top")]
    First,
    #[strum(message = "go to the bottom")]
    Last,
    #[strum(message = "focus the next pane")]
    FocusNext,
    #[strum(message = "focus the previous pane")]
    FocusPrevious,
    #[strum(message = "show / hide the sources")]
    ShowSources,
    #[strum(message = "open the selected story")]
    OpenSelected,
    #[strum(message = "back to the story before")]
    Back,
    #[strum(message = "search headlines and stories")]
    Search,
    #[strum(message = "next match in the story")]
    NextMatch,
    #[strum(message = "previous match in the story")]
    PreviousMatch,
    #[strum(message = "mark read / unread")]
    ToggleRead,
    #[strum(message = "star / unstar")]
    ToggleStar,
    #[strum(message = "mark the whole source read")]
    CatchUp,
    #[strum(message = "undo that catch-up")]
    Undo,
    #[strum(message = "show unread only / all")]
    ToggleUnreadOnly,
    #[strum(message = "one row per event / every story its own row")]
    ToggleFold,
    #[strum(message = "open the next unread story")]
    NextUnread,
    #[strum(message = "open the previous unread story")]
    PreviousUnread,
    #[strum(message = "open the story's web address")]
    OpenUrl,
    #[strum(message = "open the story's enclosure")]
    OpenEnclosure,
    #[strum(message = "page's full text / feed's text")]
    FullText,
    #[strum(message = "update the feeds followed")]
    UpdateFeeds,
    #[strum(message = "list files that did not load")]
    ShowProblems,
    #[strum(message = "show this help")]
    Help,
    #[strum(message = "suspend to the shell (fg resumes)")]
    Suspend,
    #[strum(message = "quit")]
    Quit,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub fn all() -> impl Iterator<Item = Action> {
        Action::iter()
    }

    /// The name used in the config file.
    pub fn name(self) -> &'static str {
        self.into()
    }

    /// The action a config file names, if any.
    pub fn named(name: &str) -> Option<Action> {
        name.parse().ok()
    }

    /// What the action does, for the help overlay.
    pub fn help(self) -> &'static str {
        self.get_message().unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn names_are_snake_case_and_each_action_says_what_it_does() {
        assert_eq!(Action::ScrollDown.name(), "scroll_down");
        assert_eq!(Action::OpenSelected.name(), "open_selected");
        assert_eq!(Action::named("half_page_up"), Some(Action::HalfPageUp));
        assert_eq!(Action::named("HalfPageUp"), None);
        for action in Action::all() {
            assert_eq!(Action::named(action.name()), Some(action));
            assert!(!action.help().is_empty(), "{action:?}");
        }
    }
}
