//! The configuration: one TOML file for keys, colours and behaviour.
//!
//! The defaults are the embedded `assets/config.toml`, which documents every
//! option; the user's file is read over them, so a file of one line changes
//! one thing. Mistakes stop start-up with the file, line and column and what
//! is wrong, before the terminal is touched.

mod config_error;
mod keymap;
mod settings;
mod style;
mod theme;

use std::path::Path;

use toml::de::{DeTable, DeValue};

pub use config_error::{ConfigError, did_you_mean, value_in_words};
pub use keymap::{DEFAULT_BINDINGS, Key, KeyMap, UnknownKey};
pub use settings::{
    FeedSettings, OpenSettings, PasswordFrom, ReaderSettings, SavedSearch, Service, SidebarOrder,
    SyncSettings, UpdateSchedule,
};
pub use style::{StyleError, parse_color, parse_style};
pub use theme::Theme;

use crate::action::Action;
use crate::text::sanitize;

/// The default configuration, printed by `--print-default-config`.
pub const DEFAULT_CONFIG: &str = include_str!("../../assets/config.toml");

#[derive(Debug, Clone, PartialEq, Default)]
pub struct Config {
    pub settings: ReaderSettings,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub feeds: FeedSettings,
    pub open: OpenSettings,
    /// Saved searches, `[[source]]`, in the order written.
    pub sources: Vec<SavedSearch>,
    /// The feed server to sync with, if any.
    pub sync: Option<SyncSettings>,
}

/// The configuration in force: the defaults with the file at `path` read
/// over them. A missing file is fine unless `required` (it was named on the
/// command line). Without colour (`no_color`), the theme is the monochrome
/// one.
pub fn load(path: &Path, required: bool, no_color: bool) -> Result<Config, ConfigError> {
    let shown = sanitize(&path.to_string_lossy()).into_owned();
    let whole = |message: String| ConfigError {
        path: shown.clone(),
        line: 0,
        column: 0,
        message,
    };
    let mut config = Config::default();
    match std::fs::read(path) {
        Ok(bytes) => {
            let text = String::from_utf8(bytes).map_err(|e| {
                whole(format!(
                    "not UTF-8 text (byte {})",
                    e.utf8_error().valid_up_to()
                ))
            })?;
            apply(&mut config, &text, &shown)?;
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound && !required => {}
        Err(e) => return Err(whole(crate::io_error::in_words(&e))),
    }
    if no_color {
        config.theme = Theme::monochrome();
    }
    Ok(config)
}

/// Reads `text` (a config file shown as `path`) over `config`.
pub fn apply(config: &mut Config, text: &str, path: &str) -> Result<(), ConfigError> {
    let at = |span: std::ops::Range<usize>, message: String| {
        ConfigError::at(path, text, span.start, &message)
    };
    let document = DeTable::parse(text)
        .map_err(|e| at(e.span().unwrap_or(0..0), e.message().trim().to_owned()))?;
    for (name, value) in document.get_ref() {
        if name.get_ref() == "source" {
            saved_searches(&mut config.sources, value).map_err(|(span, m)| at(span, m))?;
            continue;
        }
        let section = || {
            at(
                value.span(),
                format!("[{}] must be a table of options", name.get_ref()),
            )
        };
        let table = value.get_ref().as_table().ok_or_else(section)?;
        match name.get_ref().as_ref() {
            "reader" => options(&mut config.settings, table, &READER, "[reader]")
                .map_err(|(span, message)| at(span, message))?,
            "theme" => {
                theme(&mut config.theme, table).map_err(|(span, message)| at(span, message))?
            }
            "keys" => {
                keys(&mut config.keymap, table).map_err(|(span, message)| at(span, message))?
            }
            "feeds" => options(&mut config.feeds, table, &FEEDS, "[feeds]")
                .map_err(|(span, message)| at(span, message))?,
            "open" => options(&mut config.open, table, &OPEN, "[open]")
                .map_err(|(span, message)| at(span, message))?,
            "sync" => {
                config.sync =
                    Some(sync_settings(table, value.span()).map_err(|(span, m)| at(span, m))?)
            }
            other => {
                let sections = ["reader", "theme", "keys", "feeds", "open", "source", "sync"];
                let hint = did_you_mean(other, sections);
                return Err(at(name.span(), format!("unknown section [{other}]{hint}")));
            }
        }
    }
    Ok(())
}

/// A problem at a place in the file.
type Located = (std::ops::Range<usize>, String);

/// How a value sets its option in `S`; the error says what the value
/// should have been.
type SetOption<S> = fn(&mut S, &DeValue) -> Result<(), &'static str>;

/// The `[reader]` options, each once: its name, and how its value is read.
const READER: [(&str, SetOption<ReaderSettings>); 6] = [
    ("mark_read_on_open", |settings, value| {
        settings.mark_read_on_open = value.as_bool().ok_or("true or false")?;
        Ok(())
    }),
    ("read_whole_event", |settings, value| {
        settings.read_whole_event = value.as_bool().ok_or("true or false")?;
        Ok(())
    }),
    ("sidebar_width", |settings, value| {
        let width = integer(value)
            .filter(|w| *w == 0 || (20..=500).contains(w))
            .ok_or("0 or a width from 20 to 500")?;
        settings.sidebar_width = (width > 0).then_some(width as u16);
        Ok(())
    }),
    ("sidebar_first", |settings, value| {
        settings.sidebar_order = match value.as_str() {
            Some("related") => SidebarOrder::RelatedFirst,
            Some("index") => SidebarOrder::IndexFirst,
            _ => return Err("\"related\" or \"index\""),
        };
        Ok(())
    }),
    ("text_width", |settings, value| {
        let width = integer(value)
            .filter(|w| *w == 0 || (20..=2000).contains(w))
            .ok_or("0 or a width from 20 to 2000")?;
        settings.text_width = width as u16;
        Ok(())
    }),
    ("opener", |settings, value| {
        let opener = value.as_str().ok_or("a program name (a string)")?;
        settings.opener = (!opener.trim().is_empty()).then(|| opener.to_owned());
        Ok(())
    }),
];

/// The `[open]` options.
const OPEN: [(&str, SetOption<OpenSettings>); 1] = [("media", |open, value| {
    open.media = value
        .as_array()
        .and_then(|a| {
            a.iter()
                .map(|p| p.get_ref().as_str().map(str::to_owned))
                .collect::<Option<Vec<_>>>()
        })
        .filter(|argv| argv.first().is_none_or(|p| !p.trim().is_empty()))
        .ok_or("a program and its arguments, such as [\"mpv\", \"{url}\"]")?;
    Ok(())
})];

/// The `[feeds]` options.
const FEEDS: [(&str, SetOption<FeedSettings>); 6] = [
    ("timeout", |feeds, value| {
        feeds.timeout = integer(value)
            .filter(|s| (1..=3600).contains(s))
            .ok_or("seconds from 1 to 3600")? as u64;
        Ok(())
    }),
    ("jobs", |feeds, value| {
        feeds.jobs = integer(value)
            .filter(|n| (1..=64).contains(n))
            .ok_or("a number from 1 to 64")? as usize;
        Ok(())
    }),
    ("max_bytes", |feeds, value| {
        feeds.max_bytes = integer(value)
            .filter(|n| *n >= 1024)
            .ok_or("a number of bytes, at least 1024")? as u64;
        Ok(())
    }),
    ("max_items", |feeds, value| {
        feeds.max_items = integer(value)
            .filter(|n| (1..=100_000).contains(n))
            .ok_or("a number from 1 to 100000")? as usize;
        Ok(())
    }),
    ("update_on_start", |feeds, value| {
        feeds.update.on_start = value.as_bool().ok_or("true or false")?;
        Ok(())
    }),
    ("update_every", |feeds, value| {
        const WANTED: &str = "a time such as \"30m\", \"2h\" or \"1d\", or \"0\" for never";
        let every = value
            .as_str()
            .and_then(crate::query::duration)
            .ok_or(WANTED)?;
        feeds.update.every = (every > 0).then(|| std::time::Duration::from_secs(every as u64));
        Ok(())
    }),
];

/// `[sync]`: the server, the user, and where the password comes from.
fn sync_settings(table: &DeTable, whole: std::ops::Range<usize>) -> Result<SyncSettings, Located> {
    const KEYS: [&str; 6] = [
        "service",
        "url",
        "user",
        "password_command",
        "password_env",
        "password",
    ];
    let (mut service, mut url, mut user, mut password) = (None, None, None, None);
    for (key, item) in table {
        let (name, found, span) = (key.get_ref().as_ref(), item.get_ref(), item.span());
        let wrong = |expected: &str| {
            (
                span.clone(),
                format!("{name} must be {expected}, not {}", value_in_words(found)),
            )
        };
        match name {
            "service" => {
                service = Some(match found.as_str() {
                    Some("ttrss") => Service::TtRss,
                    Some("fever") => Service::Fever,
                    _ => {
                        return Err(wrong(
                            "\"ttrss\" (Tiny Tiny RSS) or \"fever\" (FreshRSS, Miniflux and others)",
                        ));
                    }
                })
            }
            "url" => {
                let text = found
                    .as_str()
                    .ok_or_else(|| wrong("the server's web address"))?;
                url = Some(crate::web::checked_url(text).map_err(|m| (span.clone(), m))?);
            }
            "user" => user = Some(found.as_str().ok_or_else(|| wrong("a string"))?.to_owned()),
            "password_command" => {
                let parts = found
                    .as_array()
                    .and_then(|a| {
                        a.iter()
                            .map(|p| p.get_ref().as_str().map(str::to_owned))
                            .collect::<Option<Vec<_>>>()
                    })
                    .filter(|argv| !argv.is_empty())
                    .ok_or_else(|| {
                        wrong("a program and its arguments, such as [\"pass\", \"show\", \"rss\"]")
                    })?;
                password = Some(PasswordFrom::Command(parts));
            }
            "password_env" => {
                let name = found
                    .as_str()
                    .ok_or_else(|| wrong("the name of an environment variable"))?;
                password = Some(PasswordFrom::Env(name.to_owned()));
            }
            "password" => {
                return Err((
                    key.span(),
                    "a password is not kept in the configuration, which is often shared and \
                     readable by others: use password_command (a program that prints it, such as \
                     [\"pass\", \"show\", \"rss\"]) or password_env (a variable that holds it)"
                        .into(),
                ));
            }
            other => {
                return Err(unknown("key", other, &key.span(), "[sync]", KEYS));
            }
        }
    }
    let missing = |what: &str| (whole.clone(), format!("[sync] needs {what}"));
    Ok(SyncSettings {
        service: service.ok_or_else(|| missing("a service (\"ttrss\" or \"fever\")"))?,
        url: url.ok_or_else(|| missing("the server's url"))?,
        user: user.ok_or_else(|| missing("a user"))?,
        password: password.ok_or_else(|| missing("password_command or password_env"))?,
    })
}

/// `[[source]]` tables: saved searches, each a `name` and a `query` that
/// must parse.
fn saved_searches(
    sources: &mut Vec<SavedSearch>,
    value: &toml::Spanned<DeValue<'_>>,
) -> Result<(), Located> {
    let not_tables = || {
        (
            value.span(),
            "source must be [[source]] tables, each with name and query".to_owned(),
        )
    };
    let tables = value.get_ref().as_array().ok_or_else(not_tables)?;
    for table in tables.iter() {
        let fields = table.get_ref().as_table().ok_or_else(not_tables)?;
        let (mut name, mut query) = (None, None);
        for (key, item) in fields {
            let text = || {
                item.get_ref().as_str().map(str::to_owned).ok_or_else(|| {
                    let message = format!(
                        "{} must be a string, not {}",
                        key.get_ref(),
                        value_in_words(item.get_ref())
                    );
                    (item.span(), message)
                })
            };
            match key.get_ref().as_ref() {
                "name" => name = Some((text()?, item.span())),
                "query" => query = Some((text()?, item.span())),
                other => {
                    let names = ["name", "query"].into_iter();
                    return Err(unknown("key", other, &key.span(), "[[source]]", names));
                }
            }
        }
        let missing = |what: &str| (table.span(), format!("[[source]] needs a {what}"));
        let (name, name_span) = name.ok_or_else(|| missing("name"))?;
        let (query, query_span) = query.ok_or_else(|| missing("query"))?;
        if name.trim().is_empty() {
            return Err((name_span, "a source's name cannot be empty".into()));
        }
        if sources.iter().any(|s| s.name == name) {
            return Err((
                name_span,
                format!("a source named \"{name}\" is defined twice"),
            ));
        }
        let parsed = crate::query::Query::parse(&query, 0)
            .map_err(|e| (query_span.clone(), e.to_string()))?;
        if parsed.words.trim().is_empty() && parsed.filters.is_empty() {
            return Err((query_span, "a source's query cannot be empty".into()));
        }
        sources.push(SavedSearch { name, query });
    }
    Ok(())
}

/// Reads a section of options, each set by its entry in `known`.
fn options<S>(
    target: &mut S,
    table: &DeTable,
    known: &[(&str, SetOption<S>)],
    section: &str,
) -> Result<(), Located> {
    for (name, value) in table {
        let Some((_, set)) = known.iter().find(|(k, _)| *k == name.get_ref()) else {
            let names = known.iter().map(|(k, _)| *k);
            return Err(unknown(
                "option",
                name.get_ref(),
                &name.span(),
                section,
                names,
            ));
        };
        set(target, value.get_ref()).map_err(|expected| {
            let message = format!(
                "{} must be {expected}, not {}",
                name.get_ref(),
                value_in_words(value.get_ref())
            );
            (value.span(), message)
        })?;
    }
    Ok(())
}

fn theme(theme: &mut Theme, table: &DeTable) -> Result<(), Located> {
    for (name, value) in table {
        let style = value
            .get_ref()
            .as_str()
            .ok_or_else(|| {
                (
                    value.span(),
                    format!(
                        "{} must be a style such as \"bold cyan\", not {}",
                        name.get_ref(),
                        value_in_words(value.get_ref())
                    ),
                )
            })
            .and_then(|text| parse_style(text).map_err(|e| (value.span(), e.to_string())))?;
        let Some(slot) = theme.slot(name.get_ref()) else {
            return Err(unknown(
                "style",
                name.get_ref(),
                &name.span(),
                "[theme]",
                Theme::NAMES.iter().copied(),
            ));
        };
        *slot = style;
    }
    Ok(())
}

fn keys(keymap: &mut KeyMap, table: &DeTable) -> Result<(), Located> {
    for (name, value) in table {
        let key = Key::parse(name.get_ref()).map_err(|e| (name.span(), e.to_string()))?;
        let Some(action) = value.get_ref().as_str() else {
            return Err((
                value.span(),
                format!(
                    "a key is bound to an action name (a string), not {}",
                    value_in_words(value.get_ref())
                ),
            ));
        };
        if action == "none" {
            keymap.unbind(&key);
            continue;
        }
        match Action::named(action) {
            Some(action) => keymap.bind(key, action),
            None => {
                let hint = did_you_mean(action, Action::all().map(Action::name));
                return Err((value.span(), format!("unknown action \"{action}\"{hint}")));
            }
        }
    }
    Ok(())
}

fn integer(value: &DeValue) -> Option<i64> {
    let integer = value.as_integer()?;
    i64::from_str_radix(integer.as_str(), integer.radix()).ok()
}

fn unknown<'a>(
    what: &str,
    name: &str,
    span: &std::ops::Range<usize>,
    section: &str,
    known: impl IntoIterator<Item = &'a str>,
) -> Located {
    (
        span.clone(),
        format!(
            "unknown {what} \"{name}\" in {section}{}",
            did_you_mean(name, known)
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        let mut config = Config::default();
        apply(&mut config, text, "config.toml")
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn the_embedded_defaults_are_the_built_in_defaults() {
        // Start from a config unlike the defaults in every part: the file
        // must set each option back, and bind exactly the default keys.
        let mut config = Config {
            settings: ReaderSettings {
                mark_read_on_open: false,
                read_whole_event: false,
                sidebar_width: Some(33),
                sidebar_order: SidebarOrder::IndexFirst,
                text_width: 0,
                opener: Some("x".into()),
            },
            keymap: KeyMap::empty(),
            theme: Theme::monochrome(),
            open: OpenSettings {
                media: vec!["x".into()],
            },
            feeds: FeedSettings {
                timeout: 1,
                jobs: 1,
                max_bytes: 1024,
                max_items: 1,
                update: UpdateSchedule {
                    on_start: true,
                    every: Some(std::time::Duration::from_secs(60)),
                },
            },
            sources: Vec::new(),
            sync: None,
        };
        apply(&mut config, DEFAULT_CONFIG, "assets/config.toml").unwrap();
        assert_eq!(config, Config::default());
    }

    #[test]
    fn one_line_changes_one_thing() {
        let mut config = Config::default();
        apply(&mut config, "[reader]\ntext_width = 80\n", "c").unwrap();
        assert_eq!(config.settings.text_width, 80);
        assert_eq!(
            Config {
                settings: ReaderSettings::default(),
                ..config
            },
            Config::default()
        );
    }

    #[test]
    fn keys_rebind_add_and_unbind() {
        let mut config = Config::default();
        apply(
            &mut config,
            "[keys]\nx = \"quit\"\nj = \"page_down\"\nq = \"none\"\n",
            "c",
        )
        .unwrap();
        let keymap = &config.keymap;
        assert_eq!(keymap.describe_keys(Action::Quit), "x/Ctrl-C");
        assert_eq!(keymap.describe_keys(Action::ScrollDown), "↓");
        assert_eq!(keymap.describe_keys(Action::PageDown), "Space/j/PgDn");
    }

    #[test]
    fn mistakes_name_line_column_and_suggest() {
        assert_eq!(
            error("[keys]\nj = \"scroll_down\"\n\nk =    \"scroll_dwon\"\n"),
            "config.toml:4:8: unknown action \"scroll_dwon\"; did you mean \"scroll_down\"?"
        );
        assert_eq!(
            error("[keys]\nctrl-pgdwn = \"quit\"\n"),
            "config.toml:2:1: unknown key name \"ctrl-pgdwn\""
        );
        assert_eq!(
            error("[theme]\nunread = \"bold yelow\"\n"),
            "config.toml:2:10: \"yelow\" is not a colour; did you mean \"yellow\"?"
        );
        assert_eq!(
            error("[reader]\nsidebar_widht = 30\n"),
            "config.toml:2:1: unknown option \"sidebar_widht\" in [reader]; did you mean \"sidebar_width\"?"
        );
        assert_eq!(
            error("[reder]\n"),
            "config.toml:1:2: unknown section [reder]; did you mean \"reader\"?"
        );
        assert_eq!(
            error("[reader]\nmark_read_on_open = \"yes\"\n"),
            "config.toml:2:21: mark_read_on_open must be true or false, not \"yes\""
        );
        assert!(
            error("[reader\n").starts_with("config.toml:1:"),
            "{}",
            error("[reader\n")
        );
    }
}
