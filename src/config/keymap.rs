//! Keys to actions: the default bindings, key names as written in the
//! config file, and how keys are shown in the help overlay.

use std::collections::BTreeMap;
use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::Action;

/// A key with its modifiers, normalized so that `G` and `Shift-G` are the
/// same key and Shift-Tab is always `BackTab`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Key {
    code: KeyCodeOrd,
    ctrl: bool,
    alt: bool,
    shift: bool,
}

/// `KeyCode` without `Ord`, wrapped so keys can sit in a sorted map.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum KeyCodeOrd {
    Char(char),
    F(u8),
    Named(NamedKey),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum NamedKey {
    Enter,
    Esc,
    Backspace,
    Tab,
    BackTab,
    Up,
    Down,
    Left,
    Right,
    Home,
    End,
    PageUp,
    PageDown,
    Insert,
    Delete,
}

/// Names accepted in the config, and the one shown for each key.
const NAMES: &[(&str, NamedKey)] = &[
    ("enter", NamedKey::Enter),
    ("esc", NamedKey::Esc),
    ("backspace", NamedKey::Backspace),
    ("tab", NamedKey::Tab),
    ("backtab", NamedKey::BackTab),
    ("up", NamedKey::Up),
    ("down", NamedKey::Down),
    ("left", NamedKey::Left),
    ("right", NamedKey::Right),
    ("home", NamedKey::Home),
    ("end", NamedKey::End),
    ("pageup", NamedKey::PageUp),
    ("pagedown", NamedKey::PageDown),
    ("insert", NamedKey::Insert),
    ("delete", NamedKey::Delete),
];

impl Key {
    pub fn from_event(event: &KeyEvent) -> Option<Key> {
        let m = event.modifiers;
        let code = match event.code {
            KeyCode::Char(c) => KeyCodeOrd::Char(c),
            KeyCode::F(n) => KeyCodeOrd::F(n),
            KeyCode::Enter => KeyCodeOrd::Named(NamedKey::Enter),
            KeyCode::Esc => KeyCodeOrd::Named(NamedKey::Esc),
            KeyCode::Backspace => KeyCodeOrd::Named(NamedKey::Backspace),
            KeyCode::Tab if m.contains(KeyModifiers::SHIFT) => KeyCodeOrd::Named(NamedKey::BackTab),
            KeyCode::Tab => KeyCodeOrd::Named(NamedKey::Tab),
            KeyCode::BackTab => KeyCodeOrd::Named(NamedKey::BackTab),
            KeyCode::Up => KeyCodeOrd::Named(NamedKey::Up),
            KeyCode::Down => KeyCodeOrd::Named(NamedKey::Down),
            KeyCode::Left => KeyCodeOrd::Named(NamedKey::Left),
            KeyCode::Right => KeyCodeOrd::Named(NamedKey::Right),
            KeyCode::Home => KeyCodeOrd::Named(NamedKey::Home),
            KeyCode::End => KeyCodeOrd::Named(NamedKey::End),
            KeyCode::PageUp => KeyCodeOrd::Named(NamedKey::PageUp),
            KeyCode::PageDown => KeyCodeOrd::Named(NamedKey::PageDown),
            KeyCode::Insert => KeyCodeOrd::Named(NamedKey::Insert),
            KeyCode::Delete => KeyCodeOrd::Named(NamedKey::Delete),
            _ => return None,
        };
        Some(Key::new(
            code,
            m.contains(KeyModifiers::CONTROL),
            m.contains(KeyModifiers::ALT),
            m.contains(KeyModifiers::SHIFT),
        ))
    }

    fn new(code: KeyCodeOrd, ctrl: bool, alt: bool, shift: bool) -> Key {
        let (code, shift) = match code {
            // A character already says whether Shift was held: `G`, `?`.
            KeyCodeOrd::Char(c) if ctrl || alt => (
                KeyCodeOrd::Char(c.to_ascii_lowercase()),
                shift || c.is_ascii_uppercase(),
            ),
            KeyCodeOrd::Char(c) => (KeyCodeOrd::Char(c), false),
            KeyCodeOrd::Named(NamedKey::BackTab) => (code, false),
            KeyCodeOrd::Named(NamedKey::Tab) if shift => {
                (KeyCodeOrd::Named(NamedKey::BackTab), false)
            }
            _ => (code, shift),
        };
        Key {
            code,
            ctrl,
            alt,
            shift,
        }
    }

    /// Parses a config key name: `j`, `G`, `?`, `space`, `ctrl-d`,
    /// `shift-tab`, `alt-enter`, `pagedown`, `f5`. Case matters only for a
    /// single character.
    pub fn parse(name: &str) -> Result<Key, UnknownKey> {
        let bad = || UnknownKey(name.to_owned());
        let mut parts: Vec<&str> = name.split('-').collect();
        // "-" itself, or a binding for "ctrl--".
        if name.ends_with("--") || name == "-" {
            parts.retain(|p| !p.is_empty());
            parts.push("-");
        }
        let Some(last) = parts.pop().filter(|l| !l.is_empty()) else {
            return Err(bad());
        };
        let (mut ctrl, mut alt, mut shift) = (false, false, false);
        for modifier in parts {
            match modifier.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => ctrl = true,
                "alt" | "meta" | "m" => alt = true,
                "shift" | "s" => shift = true,
                _ => return Err(bad()),
            }
        }
        if name.chars().any(char::is_control) {
            return Err(bad());
        }
        let mut chars = last.chars();
        let code = match (chars.next(), chars.next()) {
            // With Ctrl or Alt, a letter's case means nothing; Shift is said
            // with "shift-".
            (Some(c), None) if ctrl || alt => KeyCodeOrd::Char(c.to_ascii_lowercase()),
            (Some(c), None) => KeyCodeOrd::Char(c),
            _ => {
                let lower = last.to_ascii_lowercase();
                match lower.as_str() {
                    "space" => KeyCodeOrd::Char(' '),
                    "pgup" => KeyCodeOrd::Named(NamedKey::PageUp),
                    "pgdn" => KeyCodeOrd::Named(NamedKey::PageDown),
                    "escape" => KeyCodeOrd::Named(NamedKey::Esc),
                    "return" => KeyCodeOrd::Named(NamedKey::Enter),
                    "del" => KeyCodeOrd::Named(NamedKey::Delete),
                    f if f.starts_with('f') && f.len() > 1 => match f[1..].parse::<u8>() {
                        Ok(n @ 1..=24) => KeyCodeOrd::F(n),
                        _ => return Err(bad()),
                    },
                    other => match NAMES.iter().find(|(n, _)| *n == other) {
                        Some((_, key)) => KeyCodeOrd::Named(*key),
                        None => return Err(bad()),
                    },
                }
            }
        };
        if let KeyCodeOrd::Char(c) = code
            && shift
            && !ctrl
            && !alt
            && c.is_ascii_lowercase()
        {
            return Ok(Key::new(
                KeyCodeOrd::Char(c.to_ascii_uppercase()),
                false,
                false,
                false,
            ));
        }
        Ok(Key::new(code, ctrl, alt, shift))
    }
}

/// A key name the config gave that names no key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown key name \"{0}\"")]
pub struct UnknownKey(pub String);

/// How keys are shown to people: `j`, `G`, `Ctrl-D`, `Shift-Tab`, `PgDn`.
impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.ctrl {
            f.write_str("Ctrl-")?;
        }
        if self.alt {
            f.write_str("Alt-")?;
        }
        if self.shift {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCodeOrd::Char(' ') => f.write_str("Space"),
            KeyCodeOrd::Char(c) if self.ctrl || self.alt => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCodeOrd::Char(c) => write!(f, "{c}"),
            KeyCodeOrd::F(n) => write!(f, "F{n}"),
            KeyCodeOrd::Named(key) => f.write_str(match key {
                NamedKey::Enter => "Enter",
                NamedKey::Esc => "Esc",
                NamedKey::Backspace => "Backspace",
                NamedKey::Tab => "Tab",
                NamedKey::BackTab => "Shift-Tab",
                NamedKey::Up => "↑",
                NamedKey::Down => "↓",
                NamedKey::Left => "←",
                NamedKey::Right => "→",
                NamedKey::Home => "Home",
                NamedKey::End => "End",
                NamedKey::PageUp => "PgUp",
                NamedKey::PageDown => "PgDn",
                NamedKey::Insert => "Insert",
                NamedKey::Delete => "Delete",
            }),
        }
    }
}

/// The bindings in force.
#[derive(Debug, Clone, PartialEq)]
pub struct KeyMap {
    bindings: BTreeMap<Key, Action>,
}

/// The default keys (README, "The reader", and a few that less and vim users
/// reach for).
pub const DEFAULT_BINDINGS: &[(&str, Action)] = &[
    ("q", Action::Quit),
    ("ctrl-c", Action::Quit),
    ("?", Action::Help),
    ("tab", Action::FocusNext),
    ("shift-tab", Action::FocusPrevious),
    ("S", Action::ShowSources),
    ("j", Action::ScrollDown),
    ("down", Action::ScrollDown),
    ("k", Action::ScrollUp),
    ("up", Action::ScrollUp),
    ("pagedown", Action::PageDown),
    ("space", Action::PageDown),
    ("pageup", Action::PageUp),
    ("b", Action::PageUp),
    ("ctrl-d", Action::HalfPageDown),
    ("ctrl-u", Action::HalfPageUp),
    ("g", Action::First),
    ("home", Action::First),
    ("G", Action::Last),
    ("end", Action::Last),
    ("enter", Action::OpenSelected),
    ("backspace", Action::Back),
    ("/", Action::Search),
    ("n", Action::NextMatch),
    ("N", Action::PreviousMatch),
    ("m", Action::ToggleRead),
    ("s", Action::ToggleStar),
    ("A", Action::CatchUp),
    ("z", Action::Undo),
    ("u", Action::ToggleUnreadOnly),
    ("c", Action::ToggleFold),
    ("]", Action::NextUnread),
    ("[", Action::PreviousUnread),
    ("o", Action::OpenUrl),
    ("e", Action::OpenEnclosure),
    ("F", Action::FullText),
    ("r", Action::UpdateFeeds),
    ("!", Action::ShowProblems),
    ("ctrl-z", Action::Suspend),
];

impl Default for KeyMap {
    fn default() -> Self {
        let mut bindings = BTreeMap::new();
        for (name, action) in DEFAULT_BINDINGS {
            if let Ok(key) = Key::parse(name) {
                bindings.insert(key, *action);
            }
        }
        KeyMap { bindings }
    }
}

impl KeyMap {
    /// No keys at all.
    #[cfg(test)]
    pub fn empty() -> KeyMap {
        KeyMap {
            bindings: BTreeMap::new(),
        }
    }

    pub fn action(&self, event: &KeyEvent) -> Option<Action> {
        Key::from_event(event).and_then(|key| self.bindings.get(&key).copied())
    }

    pub fn bind(&mut self, key: Key, action: Action) {
        self.bindings.insert(key, action);
    }

    pub fn unbind(&mut self, key: &Key) {
        self.bindings.remove(key);
    }

    /// The keys bound to `action`, in a stable order.
    /// Plain keys come before chorded ones.
    pub fn keys_for(&self, action: Action) -> Vec<Key> {
        let mut keys: Vec<Key> = self
            .bindings
            .iter()
            .filter(|(_, a)| **a == action)
            .map(|(k, _)| *k)
            .collect();
        keys.sort_by_key(|k| (k.ctrl || k.alt, *k));
        keys
    }

    /// The keys for `action` as shown in hints: "j/↓".
    pub fn describe_keys(&self, action: Action) -> String {
        let keys: Vec<String> = self.keys_for(action).iter().map(Key::to_string).collect();
        keys.join("/")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(code: KeyCode, modifiers: KeyModifiers) -> KeyEvent {
        KeyEvent::new(code, modifiers)
    }

    #[test]
    fn every_default_binding_parses() {
        for (name, _) in DEFAULT_BINDINGS {
            assert!(Key::parse(name).is_ok(), "{name}");
        }
        assert_eq!(KeyMap::default().bindings.len(), DEFAULT_BINDINGS.len());
    }

    #[test]
    fn events_match_names() {
        let map = KeyMap::default();
        assert_eq!(
            map.action(&event(KeyCode::Char('G'), KeyModifiers::SHIFT)),
            Some(Action::Last)
        );
        assert_eq!(
            map.action(&event(KeyCode::Char('g'), KeyModifiers::NONE)),
            Some(Action::First)
        );
        assert_eq!(
            map.action(&event(KeyCode::Char('c'), KeyModifiers::CONTROL)),
            Some(Action::Quit)
        );
        assert_eq!(
            map.action(&event(KeyCode::BackTab, KeyModifiers::SHIFT)),
            Some(Action::FocusPrevious)
        );
        assert_eq!(
            map.action(&event(KeyCode::Char(' '), KeyModifiers::NONE)),
            Some(Action::PageDown)
        );
        assert_eq!(
            map.action(&event(KeyCode::Char('?'), KeyModifiers::SHIFT)),
            Some(Action::Help)
        );
        assert_eq!(
            map.action(&event(KeyCode::Char('x'), KeyModifiers::NONE)),
            None
        );
    }

    #[test]
    fn names_parse_and_display() {
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert_eq!(Key::parse("Ctrl-D").unwrap().to_string(), "Ctrl-D");
        assert_eq!(Key::parse("pgdn"), Key::parse("pagedown"));
        assert_eq!(Key::parse("space").unwrap().to_string(), "Space");
        assert_eq!(Key::parse("shift-tab").unwrap().to_string(), "Shift-Tab");
        assert_eq!(Key::parse("f5").unwrap().to_string(), "F5");
        assert_eq!(Key::parse("-").unwrap().to_string(), "-");
        assert_eq!(Key::parse("ctrl--").unwrap().to_string(), "Ctrl--");
        assert!(Key::parse("ctrl-").is_err());
        assert!(Key::parse("hyper-x").is_err());
        assert_eq!(
            Key::parse("pagedwon").unwrap_err().to_string(),
            "unknown key name \"pagedwon\""
        );
    }

    #[test]
    fn keys_for_lists_every_binding() {
        let map = KeyMap::default();
        assert_eq!(map.describe_keys(Action::ScrollDown), "j/↓");
        assert_eq!(map.describe_keys(Action::Quit), "q/Ctrl-C");
    }
}
