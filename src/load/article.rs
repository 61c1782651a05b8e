//! The format-independent result of parsing one file: what a parser yields
//! and the model consumes. Every string in it has been sanitized.

use toml::value::Datetime;

/// One article as found in a file, before the model gives it an id, a title
/// and links.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Article {
    /// Display path of the file it came from.
    pub path: String,
    /// A title the file states; plain stories have none and get one inferred.
    pub title: Option<String>,
    pub paragraphs: Vec<String>,
    /// The text of its web page, fetched (`full_text` in TOML): shown and
    /// searched instead of `paragraphs`, which stay its own words (its id
    /// is made of them).
    pub full_text: Option<Vec<String>>,
    /// Related headlines in file order, possibly repeated.
    pub related: Lines,
    pub id: Option<String>,
    /// Most files state none of it, so it takes no room unless they do.
    pub meta: Option<Box<Meta>>,
}

/// Lines of text in one string: a block of fifteen headlines is one
/// allocation, not fifteen, which matters at a hundred thousand files.
/// Lines are never empty and never hold a line break (sanitizing removed
/// them).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Lines(String);

impl Lines {
    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.split('\n').filter(|line| !line.is_empty())
    }
}

impl Article {
    /// What is shown and searched: the page's text if fetched, else its own.
    pub fn text(&self) -> &[String] {
        self.full_text.as_deref().unwrap_or(&self.paragraphs)
    }
}

impl<S: AsRef<str>> FromIterator<S> for Lines {
    fn from_iter<I: IntoIterator<Item = S>>(lines: I) -> Self {
        let mut joined = String::new();
        for line in lines {
            let line = line.as_ref();
            if !line.is_empty() {
                if !joined.is_empty() {
                    joined.push('\n');
                }
                joined.push_str(line);
            }
        }
        Lines(joined)
    }
}

impl<const N: usize> PartialEq<[&str; N]> for Lines {
    fn eq(&self, other: &[&str; N]) -> bool {
        self.iter().eq(other.iter().copied())
    }
}

/// Optional facts about an article, shown in the story pane's metadata line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub date: Option<Datetime>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
    /// Files the story carries (a podcast's episode), in feed order.
    pub enclosures: Vec<Enclosure>,
}

/// A file a story carries: `[[enclosure]]` in its TOML file, from a feed's
/// enclosure or Media RSS content.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Enclosure {
    pub url: String,
    /// Its media type, as the feed says it ("audio/mpeg").
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// Bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub length: Option<u64>,
    /// Seconds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub duration: Option<u64>,
}

impl Enclosure {
    /// "audio · 45 min", "video", "image/png · 2 MB": what the facts line
    /// says of it.
    pub fn in_words(&self) -> String {
        let kind = self.kind.as_deref().unwrap_or("file");
        let mut words = match kind.split_once('/') {
            Some((general @ ("audio" | "video" | "image"), _)) => general.to_owned(),
            _ => kind.to_owned(),
        };
        match (self.duration, self.length) {
            (Some(seconds), _) if seconds >= 60 => {
                words.push_str(&format!(" · {} min", minutes(seconds)));
            }
            (Some(seconds), _) if seconds > 0 => words.push_str(&format!(" · {seconds} s")),
            (_, Some(bytes)) if bytes >= 1 << 20 => {
                words.push_str(&format!(" · {} MB", (bytes + (1 << 19)) >> 20));
            }
            _ => {}
        }
        words
    }

    /// "audio/mpeg · 45 min · 41.0 MB": everything known of it, as the
    /// story's text lists it.
    pub fn details(&self) -> String {
        let mut facts = vec![self.kind.clone().unwrap_or_else(|| "file".into())];
        facts.extend(self.duration.map(|d| format!("{} min", minutes(d))));
        facts.extend(
            self.length
                .map(|b| format!("{:.1} MB", b as f64 / 1_048_576.0)),
        );
        facts.join(" · ")
    }
}

/// Seconds as whole minutes, rounded.
fn minutes(seconds: u64) -> u64 {
    (seconds + 30) / 60
}

/// Everything one file contributed.
#[derive(Debug, Default)]
pub struct Parsed {
    pub articles: Vec<Article>,
    /// Headlines that belong to no article (a headlines-only file); they
    /// join the pool so other stories can take them as titles.
    pub loose_headlines: Vec<String>,
    pub diagnostics: Vec<super::Diagnostic>,
}

impl Meta {
    pub const NONE: Meta = Meta {
        date: None,
        source: None,
        url: None,
        tags: Vec::new(),
        enclosures: Vec::new(),
    };
}
