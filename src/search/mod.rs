//! Search over headlines and story text.

use serde::Serialize;

use crate::model::{HeadlineIndex, Library, StoryIndex};
use crate::text::fold_for_matching;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Field {
    Headline,
    Body,
}

/// One result: a headline of the pool, or a story whose text matched.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    pub field: Field,
    /// The matching headline, or for a body match the story's title.
    pub headline: String,
    pub story: Option<StoryIndex>,
    pub headline_index: Option<HeadlineIndex>,
}

/// Case-insensitive substring search, folding typographic quotes, dashes
/// and diacritics. Headlines first, then stories not already found by their
/// headline.
pub fn search(library: &Library, query: &str) -> Vec<Hit> {
    let needle = fold_for_matching(query.trim());
    if needle.is_empty() {
        return Vec::new();
    }
    let mut hits: Vec<Hit> = library
        .headlines
        .iter()
        .enumerate()
        .filter(|(_, h)| fold_for_matching(&h.text).contains(&needle))
        .map(|(index, h)| Hit {
            field: Field::Headline,
            headline: h.text.clone(),
            story: h.story,
            headline_index: Some(index),
        })
        .collect();
    let found: std::collections::HashSet<StoryIndex> =
        hits.iter().filter_map(|h| h.story).collect();
    hits.extend(
        library
            .stories
            .iter()
            .enumerate()
            .filter(|(index, story)| {
                !found.contains(index)
                    && story
                        .paragraphs
                        .iter()
                        .any(|p| fold_for_matching(p).contains(&needle))
            })
            .map(|(index, story)| Hit {
                field: Field::Body,
                headline: story.title.clone(),
                story: Some(index),
                headline_index: story.headline,
            }),
    );
    hits
}
