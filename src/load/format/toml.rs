//! The structured format (README, "Structured"): one article per TOML file.

use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::Format;
use crate::load::Diagnostic;
use crate::load::article::{Article, Enclosure, Meta, Parsed};
use crate::text::sanitize;

pub struct Toml;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TomlArticle {
    title: Spanned<String>,
    body: String,
    #[serde(default)]
    related: Vec<String>,
    date: Option<Spanned<Datetime>>,
    source: Option<String>,
    url: Option<String>,
    #[serde(default)]
    tags: Vec<String>,
    id: Option<Spanned<String>>,
    full_text: Option<String>,
    #[serde(default, rename = "enclosure")]
    enclosures: Vec<Enclosure>,
}

impl Format for Toml {
    fn extensions(&self) -> &'static [&'static str] {
        &["toml"]
    }

    fn parse(&self, text: &str, path: &str) -> Parsed {
        let mut parsed = Parsed::default();
        match to_article(text, path) {
            Ok(article) => parsed.articles.push(article),
            Err(message) => parsed.diagnostics.push(Diagnostic::error(path, message)),
        }
        parsed
    }
}

fn to_article(text: &str, path: &str) -> Result<Article, String> {
    let raw: TomlArticle = toml::from_str(text).map_err(|e| {
        let at = e.span().map_or(0, |span| span.start);
        located(text, at, e.message().trim())
    })?;

    let title = clean(raw.title.get_ref());
    if title.is_empty() {
        return Err(located(text, raw.title.span().start, "title is empty"));
    }
    let id = match raw.id {
        Some(id) => {
            let clean_id = clean(id.get_ref());
            if clean_id.is_empty() || clean_id.contains(char::is_whitespace) {
                return Err(located(
                    text,
                    id.span().start,
                    "id must be a non-empty word without spaces",
                ));
            }
            Some(clean_id)
        }
        None => None,
    };
    let date = match raw.date {
        Some(date) if date.get_ref().date.is_none() => {
            return Err(located(
                text,
                date.span().start,
                "date has a time but no day",
            ));
        }
        date => date.map(Spanned::into_inner),
    };
    let non_empty = |items: Vec<String>| -> Vec<String> {
        items
            .iter()
            .map(|s| clean(s))
            .filter(|s| !s.is_empty())
            .collect()
    };

    Ok(Article {
        path: path.to_owned(),
        title: Some(title),
        paragraphs: paragraphs(&raw.body),
        full_text: raw
            .full_text
            .map(|text| paragraphs(&text))
            .filter(|p| !p.is_empty()),
        related: non_empty(raw.related).into_iter().collect(),
        id,
        meta: Some(Box::new(Meta {
            date,
            source: raw.source.map(|s| clean(&s)).filter(|s| !s.is_empty()),
            url: raw.url.map(|s| clean(&s)).filter(|s| !s.is_empty()),
            tags: non_empty(raw.tags),
            enclosures: raw
                .enclosures
                .into_iter()
                .map(|e| Enclosure {
                    url: clean(&e.url),
                    kind: e.kind.map(|k| clean(&k)).filter(|k| !k.is_empty()),
                    ..e
                })
                .filter(|e| !e.url.is_empty())
                .collect(),
        })),
    })
}

fn clean(text: &str) -> String {
    sanitize(text).trim().to_owned()
}

/// Paragraphs are separated by blank lines; the lines of one paragraph are
/// joined with a space, so hard-wrapped text reads as one paragraph.
fn paragraphs(body: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut current = String::new();
    for line in body.lines() {
        let line = clean(line);
        if line.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(&line);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// "line 4, column 7: message", counted from 1, columns in characters.
fn located(text: &str, offset: usize, message: &str) -> String {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!("line {line}, column {column}: {message}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Parsed {
        Toml.parse(text, "a.toml")
    }

    fn error(text: &str) -> String {
        let parsed = parse(text);
        assert!(parsed.articles.is_empty());
        parsed.diagnostics[0].to_string()
    }

    #[test]
    fn full_article() {
        let parsed = parse(
            r#"title   = "Library Extends Weekend Hours for Exam Season"
body    = """First paragraph
wrapped here.

Second paragraph."""
related = ["Another Headline", "A Third One"]
date    = 2026-11-20
source  = "Harbor Gazette"
url     = "https://example.org/library-hours"
tags    = ["education", "city"]
id      = "library-hours"
"#,
        );
        assert!(parsed.diagnostics.is_empty());
        let a = &parsed.articles[0];
        assert_eq!(
            a.title.as_deref(),
            Some("Library Extends Weekend Hours for Exam Season")
        );
        assert_eq!(
            a.paragraphs,
            ["First paragraph wrapped here.", "Second paragraph."]
        );
        assert_eq!(a.related, ["Another Headline", "A Third One"]);
        assert_eq!(a.id.as_deref(), Some("library-hours"));
        let meta = a.meta.as_deref().unwrap();
        assert_eq!(meta.date.unwrap().to_string(), "2026-11-20");
        assert_eq!(meta.source.as_deref(), Some("Harbor Gazette"));
        assert_eq!(meta.tags, ["education", "city"]);
    }

    #[test]
    fn unknown_key_names_key_line_and_column() {
        let message = error("title = \"T\"\nbody = \"B\"\n\nauthor = \"me\"\n");
        assert!(
            message
                .starts_with("a.toml: line 4, column 1: unknown field `author`, expected one of"),
            "{message}"
        );
    }

    #[test]
    fn wrong_type_names_line_and_column() {
        let message = error("title = \"T\"\nbody = \"B\"\ntags = \"x\"\n");
        assert!(
            message.starts_with("a.toml: line 3, column 8: invalid type"),
            "{message}"
        );
    }

    #[test]
    fn invalid_toml_and_missing_fields() {
        assert!(error("title = \"unterminated\nbody=\"\"").starts_with("a.toml: line 1, column"));
        assert!(error("body = \"B\"\n").contains("missing field `title`"));
        assert_eq!(
            error("title = \" \"\nbody = \"B\"\n"),
            "a.toml: line 1, column 9: title is empty"
        );
        assert_eq!(
            error("title = \"T\"\nbody = \"B\"\ndate = 10:30:00\n"),
            "a.toml: line 3, column 8: date has a time but no day"
        );
    }

    #[test]
    fn fields_are_sanitized() {
        let parsed = parse("title = \"A\\u001b]0;x\\u0007B\"\nbody = \"C\\u009b2JD\"\n");
        let a = &parsed.articles[0];
        assert_eq!(a.title.as_deref(), Some("AB"));
        assert_eq!(a.paragraphs, ["CD"]);
    }
}
