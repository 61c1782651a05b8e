//! What the index keeps of each file and each story, encoded with
//! postcard (compact, with variable-length integers). Headlines and words
//! are stored once, in their own tables, and referred to here by number.

use serde::{Deserialize, Serialize};
use toml::value::Datetime;

use crate::load::{Enclosure, Meta, Severity};

/// A file's contribution besides its stories.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct FileFacts {
    /// Headlines of a headlines-only file, in file order.
    pub loose: Vec<HeadlineRef>,
    /// What the loader said of the file, without its path (the path is the
    /// one it is opened by).
    pub diagnostics: Vec<(Severity, String)>,
}

/// A headline as a file spells it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct HeadlineRef {
    pub id: u32,
    /// This file's spelling, when it differs from the headline's stored
    /// text (the library shows the spelling seen first).
    pub spelling: Option<String>,
}

/// Everything the loader derived from one story in a file.
#[derive(Debug, Serialize, Deserialize)]
pub struct StoryFacts {
    pub id: String,
    /// The title the file states.
    pub title: Option<String>,
    /// The headline that stated title is.
    pub title_headline: Option<u32>,
    /// The related block, in file order, repeats included.
    pub related: Vec<HeadlineRef>,
    pub meta: Option<MetaFacts>,
    /// Length in search tokens, stated title and body.
    pub tokens: u32,
    /// The title the story gets if no headline fits it.
    pub first_sentence: String,
    /// Its text's opening as cluster terms.
    pub opening: Box<[u32]>,
}

/// [`Meta`], with the date as TOML writes it.
#[derive(Debug, Serialize, Deserialize)]
pub struct MetaFacts {
    pub date: Option<String>,
    pub source: Option<String>,
    pub url: Option<String>,
    pub tags: Vec<String>,
    pub enclosures: Vec<Enclosure>,
}

impl From<&Meta> for MetaFacts {
    fn from(meta: &Meta) -> Self {
        MetaFacts {
            date: meta.date.as_ref().map(Datetime::to_string),
            source: meta.source.clone(),
            url: meta.url.clone(),
            tags: meta.tags.clone(),
            enclosures: meta.enclosures.clone(),
        }
    }
}

impl MetaFacts {
    pub fn into_meta(self) -> Meta {
        Meta {
            date: self.date.and_then(|d| d.parse().ok()),
            source: self.source,
            url: self.url,
            tags: self.tags,
            enclosures: self.enclosures,
        }
    }
}

pub fn encode<T: Serialize + ?Sized>(value: &T) -> Vec<u8> {
    // Serializing into a vector fails only on types postcard cannot
    // represent, which none of these are.
    postcard::to_stdvec(value).unwrap_or_default()
}

pub fn decode<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, postcard::Error> {
    postcard::from_bytes(bytes)
}

/// A story's distinct words (sorted ids) as the gaps between them: small
/// numbers, so most take one or two bytes.
pub fn encode_words(sorted: &[u32]) -> Vec<u8> {
    let mut previous = 0;
    let gaps: Vec<u32> = sorted
        .iter()
        .map(|&id| {
            let gap = id - previous;
            previous = id;
            gap
        })
        .collect();
    encode(&gaps)
}

pub fn decode_words(bytes: &[u8]) -> Result<Vec<u32>, postcard::Error> {
    let mut gaps: Vec<u32> = decode(bytes)?;
    let mut total = 0u32;
    for gap in &mut gaps {
        total = total.wrapping_add(*gap);
        *gap = total;
    }
    Ok(gaps)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_round_trip_and_stay_small() {
        let words = [3, 4, 90, 1000, 100_000];
        let bytes = encode_words(&words);
        assert_eq!(decode_words(&bytes).unwrap(), words);
        assert!(bytes.len() <= 10, "{} bytes", bytes.len());
    }

    #[test]
    fn dates_keep_their_form() {
        let meta = Meta {
            date: Some("2026-11-20T08:30:00+02:00".parse().unwrap()),
            ..Meta::default()
        };
        let back = MetaFacts::from(&meta).into_meta();
        assert_eq!(back, meta);
    }
}
