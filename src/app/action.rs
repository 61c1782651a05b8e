//! What the reader can be told to do. Keys map to these by name in the
//! config's `[keys]` table, so the names are the snake_case of the variants.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Quit,
    Help,
    FocusNext,
    FocusPrevious,
    /// Scroll the story, or move the selection in a list.
    ScrollDown,
    ScrollUp,
    PageDown,
    PageUp,
    HalfPageDown,
    HalfPageUp,
    First,
    Last,
    OpenSelected,
    Back,
    Search,
    NextMatch,
    PreviousMatch,
    ToggleRead,
    ToggleUnreadOnly,
    NextUnread,
    PreviousUnread,
    OpenUrl,
    ShowProblems,
    Suspend,
}

impl Action {
    /// Every action, in the order the help overlay lists them.
    pub const ALL: [Action; 24] = [
        Action::ScrollDown,
        Action::ScrollUp,
        Action::PageDown,
        Action::PageUp,
        Action::HalfPageDown,
        Action::HalfPageUp,
        Action::First,
        Action::Last,
        Action::FocusNext,
        Action::FocusPrevious,
        Action::OpenSelected,
        Action::Back,
        Action::Search,
        Action::NextMatch,
        Action::PreviousMatch,
        Action::ToggleRead,
        Action::ToggleUnreadOnly,
        Action::NextUnread,
        Action::PreviousUnread,
        Action::OpenUrl,
        Action::ShowProblems,
        Action::Help,
        Action::Suspend,
        Action::Quit,
    ];

    /// The name used in the config file.
    pub fn name(self) -> String {
        serde_json::to_value(self)
            .ok()
            .and_then(|v| v.as_str().map(str::to_owned))
            .unwrap_or_default()
    }

    /// What the action does, for the help overlay.
    pub fn describe(self) -> &'static str {
        match self {
            Action::Quit => "quit",
            Action::Help => "show this help",
            Action::FocusNext => "focus the next pane",
            Action::FocusPrevious => "focus the previous pane",
            Action::ScrollDown => "scroll down / next row",
            Action::ScrollUp => "scroll up / previous row",
            Action::PageDown => "page down",
            Action::PageUp => "page up",
            Action::HalfPageDown => "half a page down",
            Action::HalfPageUp => "half a page up",
            Action::First => "go to the top",
            Action::Last => "go to the bottom",
            Action::OpenSelected => "open the selected story",
            Action::Back => "back to the story before",
            Action::Search => "search headlines and stories",
            Action::NextMatch => "next match in the story",
            Action::PreviousMatch => "previous match in the story",
            Action::ToggleRead => "mark read / unread",
            Action::ToggleUnreadOnly => "show unread only / all",
            Action::NextUnread => "open the next unread story",
            Action::PreviousUnread => "open the previous unread story",
            Action::OpenUrl => "open the story's web address",
            Action::ShowProblems => "list files that did not load",
            Action::Suspend => "suspend to the shell (fg resumes)",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Action;

    #[test]
    fn names_are_snake_case_and_all_is_complete() {
        assert_eq!(Action::ScrollDown.name(), "scroll_down");
        assert_eq!(Action::OpenSelected.name(), "open_selected");
        let mut names: Vec<String> = Action::ALL.iter().map(|a| a.name()).collect();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), Action::ALL.len());
    }
}
