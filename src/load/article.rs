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
    /// Related headlines in file order, possibly repeated.
    pub related: Vec<String>,
    pub id: Option<String>,
    pub meta: Meta,
}

/// Optional facts about an article, shown in the story pane's metadata line.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Meta {
    pub date: Option<Datetime>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
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
