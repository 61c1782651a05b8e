//! What is wrong with a TOML file tidings reads (`config.toml`,
//! `feeds.toml`), and where: the file, line and column, what was found and,
//! for a misspelt name, the one meant.

use toml::de::DeValue;

use crate::text::sanitize;

/// What is wrong with a config file, and where: `PATH:LINE:COLUMN: what`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{path}{}: {message}", place(*.line, *.column))]
pub struct ConfigError {
    pub path: String,
    /// Line and column, from 1; 0 when the problem is the file as a whole.
    pub line: usize,
    pub column: usize,
    pub message: String,
}

impl ConfigError {
    /// The problem at byte `offset` of `text`, a file shown as `path`.
    pub fn at(path: &str, text: &str, offset: usize, message: &str) -> ConfigError {
        let (line, column) = line_and_column(text, offset);
        ConfigError {
            path: path.to_owned(),
            line,
            column,
            message: sanitize(message).into_owned(),
        }
    }
}

fn place(line: usize, column: usize) -> String {
    match line {
        0 => String::new(),
        _ => format!(":{line}:{column}"),
    }
}

/// A value as a mistake names it: `"text"`, `3`, `true`, `an array`.
pub fn value_in_words(value: &DeValue) -> String {
    match value {
        DeValue::String(s) => format!("\"{s}\""),
        DeValue::Integer(i) => i.as_str().to_owned(),
        DeValue::Boolean(b) => b.to_string(),
        other => format!("a {}", other.type_str()),
    }
}

/// "; did you mean "scroll_down"?" when one known word is close to `word`.
pub fn did_you_mean<'a>(word: &str, known: impl IntoIterator<Item = &'a str>) -> String {
    known
        .into_iter()
        .map(|candidate| (strsim::damerau_levenshtein(word, candidate), candidate))
        .filter(|(distance, candidate)| *distance <= 2.max(candidate.len() / 4))
        .min()
        .map_or_else(String::new, |(_, candidate)| {
            format!("; did you mean \"{candidate}\"?")
        })
}

/// Line and column (from 1, in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}
