//! JSON Feed 1.0 and 1.1, read as feedparser and Miniflux read it: the
//! version's address with or without its final slash (or missing), and a
//! field of the wrong type passed over rather than the feed refused.

use serde_json::Value;

use super::items::{Enclosure, Item, ParsedFeed, Text};

/// Reads a JSON document; the error says why it is not a feed.
pub fn read(text: &str) -> Result<ParsedFeed, String> {
    let document: Value = serde_json::from_str(text).map_err(|e| {
        format!(
            "not JSON: {} at line {}, column {}",
            category_in_words(&e),
            e.line(),
            e.column()
        )
    })?;
    let version = string(&document, "version").unwrap_or_default();
    let said_json_feed = version.contains("jsonfeed.org/version");
    let Some(items) = document.get("items").and_then(Value::as_array) else {
        return Err(if said_json_feed {
            "the feed's items could not be read: \"items\" is not a list".into()
        } else {
            "not a feed: JSON that is not a JSON Feed (no \"version\" or list of \"items\")".into()
        });
    };
    let mut parsed = ParsedFeed {
        title: string(&document, "title").map(|t| crate::text::sanitize::clean_line(&t)),
        repaired: !said_json_feed,
        ..ParsedFeed::default()
    };
    for entry in items {
        match crate::contained::contained(|| item(entry)).flatten() {
            Some(item) => parsed.items.push(item),
            None => parsed.skipped += 1,
        }
    }
    Ok(parsed)
}

fn item(entry: &Value) -> Option<Item> {
    let id = entry.get("id").and_then(|id| match id {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let title = string(entry, "title").map(Text::Plain);
    let text = string(entry, "content_html")
        .map(Text::Html)
        .or_else(|| string(entry, "content_text").map(Text::Plain))
        .or_else(|| string(entry, "summary").map(Text::Plain))
        .filter(|t| !t.is_empty());
    let date = ["date_published", "date_modified"]
        .iter()
        .find_map(|field| string(entry, field).and_then(|d| crate::dates::feed_date(&d)));
    let url = string(entry, "url").or_else(|| string(entry, "external_url"));
    let enclosures = entry
        .get("attachments")
        .and_then(Value::as_array)
        .map(|all| all.iter().filter_map(attachment).collect())
        .unwrap_or_default();
    Item::new(id, title, text, date, url, enclosures)
}

fn attachment(value: &Value) -> Option<Enclosure> {
    let number = |field: &str| {
        value
            .get(field)
            .and_then(Value::as_f64)
            .filter(|n| *n >= 0.0)
    };
    Some(Enclosure {
        url: string(value, "url")?,
        kind: string(value, "mime_type"),
        length: number("size_in_bytes").map(|n| n as u64),
        duration: number("duration_in_seconds").map(|n| n as u64),
    })
}

/// A field that is a string; any other type is as good as missing.
fn string(value: &Value, field: &str) -> Option<String> {
    value
        .get(field)
        .and_then(Value::as_str)
        .map(str::to_owned)
        .filter(|s| !s.trim().is_empty())
}

/// serde_json's kinds of error, in words.
fn category_in_words(error: &serde_json::Error) -> &'static str {
    match error.classify() {
        serde_json::error::Category::Eof => "it ends too soon",
        serde_json::error::Category::Syntax => "a syntax error",
        serde_json::error::Category::Data | serde_json::error::Category::Io => "unreadable",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_and_wrong_types_do_not_refuse_the_feed() {
        let parsed = read(
            r#"{"version": "http://jsonfeed.org/version/1", "title": "Notes",
                "items": [
                  {"id": 7, "title": "Workflow", "tags": "workflow,omnifocus", "content_html": "<p>Use it.</p>",
                   "date_published": "2020-01-02T03:04:05-05:00",
                   "attachments": [{"url": "https://cdn.example/ep.mp3", "mime_type": "audio/mpeg",
                                    "size_in_bytes": 100, "duration_in_seconds": 2700}]},
                  {"id": "b", "title": ["not", "a", "string"], "content_text": "Untitled text"},
                  {"id": "c", "url": 3}
                ]}"#,
        )
        .unwrap();
        assert_eq!(parsed.title.as_deref(), Some("Notes"));
        assert_eq!(parsed.items.len(), 2);
        assert_eq!(parsed.skipped, 1);
        let first = &parsed.items[0];
        assert_eq!(
            (first.key.as_str(), first.title.as_deref()),
            ("7", Some("Workflow"))
        );
        assert_eq!(first.paragraphs, ["Use it."]);
        assert_eq!(first.date, Some(1_577_952_245));
        assert_eq!(first.enclosures[0].duration, Some(2700));
        assert_eq!(parsed.items[1].paragraphs, ["Untitled text"]);
        assert!(!parsed.repaired);
    }

    #[test]
    fn json_that_is_no_feed_says_so() {
        assert_eq!(
            read(r#"{"a": 1, "items": 7}"#).unwrap_err(),
            "not a feed: JSON that is not a JSON Feed (no \"version\" or list of \"items\")"
        );
        assert_eq!(
            read("{\"version\": ").unwrap_err(),
            "not JSON: it ends too soon at line 1, column 12"
        );
    }
}
