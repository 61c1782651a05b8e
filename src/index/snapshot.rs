//! A library as last built from a set of paths, with the walk it was built
//! from: when a new walk finds the same files with the same stats (and the
//! same problems), this is the library, and no file needs opening.
//!
//! Stored as two postcard values, the walk and the library, in columns of
//! their own, so that a walk that differs is found without reading the
//! rest.

use compact_str::CompactString;
use rayon::prelude::*;
use rustc_hash::FxHashMap;
use serde::{Deserialize, Serialize};
use std::ffi::OsString;
use std::os::unix::ffi::{OsStrExt, OsStringExt};
use std::path::PathBuf;

use super::records::{MetaFacts, decode, encode};
use super::walk::Walk;
use crate::load::{Diagnostic, FileStat, FileToLoad, display};
use crate::model::{FileText, Headline, Library, Story, Text, TitleSource};

/// One entry of the walk a library was built from: a file (its path's
/// bytes and its stat) or a problem the walk met.
#[derive(Debug, Serialize, Deserialize)]
enum Walked<'a> {
    File(#[serde(borrow)] &'a [u8], FileStat),
    Problem(Diagnostic),
}

impl Walked<'_> {
    /// Whether this is what the walk found at the same place.
    fn is(&self, entry: &Result<FileToLoad, Diagnostic>, stat: Option<&FileStat>) -> bool {
        match (self, entry, stat) {
            (Walked::File(path, then), Ok(file), Some(now)) => {
                *path == file.path.as_os_str().as_bytes() && then == now
            }
            (Walked::Problem(then), Err(now), _) => then == now,
            _ => false,
        }
    }
}

/// The library, its stories and headlines in chunks that are decoded in
/// parallel.
#[derive(Serialize, Deserialize)]
struct Built<'a> {
    #[serde(borrow)]
    stories: Vec<&'a [u8]>,
    #[serde(borrow)]
    headlines: Vec<&'a [u8]>,
    diagnostics: Vec<Diagnostic>,
}

/// Stories or headlines per chunk.
const CHUNK: usize = 4096;

#[derive(Serialize, Deserialize)]
struct StoryRecord<'a> {
    id: &'a str,
    /// None when the title is the text of its headline.
    title: Option<&'a str>,
    title_source: TitleSource,
    related: Vec<u32>,
    /// Its file's place in the walk, and which story of the file it is.
    file: u32,
    article: u32,
    row: i64,
    meta: Option<MetaFacts>,
    headline: Option<u32>,
    tokens: u32,
}

/// The snapshot of `library`, built from `walk`: the walk and the library;
/// None if a story's text is not in one of the walk's files (it was not
/// built through the index), or a file could not be stat'ed.
pub fn encode_library(library: &Library, walk: &Walk) -> Option<(Vec<u8>, Vec<u8>)> {
    let walked: Vec<Walked> = walk
        .entries
        .iter()
        .zip(walk.stats())
        .map(|(entry, stat)| match (entry, stat) {
            (Ok(file), Some(stat)) => Some(Walked::File(file.path.as_os_str().as_bytes(), *stat)),
            (Ok(_), None) => None,
            (Err(problem), _) => Some(Walked::Problem(problem.clone())),
        })
        .collect::<Option<_>>()?;
    let places: FxHashMap<&std::path::Path, u32> = walk
        .entries
        .iter()
        .enumerate()
        .filter_map(|(i, entry)| Some((entry.as_ref().ok()?.path.as_path(), i as u32)))
        .collect();
    let mut stories = Vec::with_capacity(library.stories.len());
    for (index, story) in library.stories.iter().enumerate() {
        let Some(Text::File(text)) = library.text_source(index) else {
            return None;
        };
        let title_is_headline = story.title_source == TitleSource::Headline;
        stories.push(StoryRecord {
            id: &story.id,
            title: (!title_is_headline).then_some(story.title.as_str()),
            title_source: story.title_source,
            related: story.related.to_vec(),
            file: *places.get(text.path.as_path())?,
            article: text.article,
            row: text.row,
            meta: story.meta.as_deref().map(MetaFacts::from),
            headline: story.headline,
            tokens: story.tokens,
        });
    }
    let headlines: Vec<(&str, Option<u32>)> = library
        .headlines
        .iter()
        .map(|h| (h.text.as_str(), h.story.map(|s| s as u32)))
        .collect();
    let stories: Vec<Vec<u8>> = stories.chunks(CHUNK).map(encode).collect();
    let headlines: Vec<Vec<u8>> = headlines.chunks(CHUNK).map(encode).collect();
    let built = Built {
        stories: stories.iter().map(Vec::as_slice).collect(),
        headlines: headlines.iter().map(Vec::as_slice).collect(),
        diagnostics: library.diagnostics.clone(),
    };
    Some((encode(&walked), encode(&built)))
}

/// What the library stored for a set of paths is to the walk just made.
pub enum Kept {
    /// Built from the same walk: the library.
    Same(Library),
    /// Built from another walk (files changed since): the library as it
    /// was then, over the files found then.
    Stale(Library),
    None,
}

/// The library in `bytes` (walked then, built), if it was built from the
/// same walk as `walk`; else, if `stale` is wanted, as it was built. The
/// files are stat'ed and compared while the library is decoded, each on a
/// core of its own.
pub fn decode_library((walked, rest): (&[u8], &[u8]), walk: &Walk, stale: bool) -> Kept {
    if records_in(walked) == Some(walk.entries.len()) {
        let file = |place: u32| {
            let file = walk.entries.get(place as usize)?.as_ref().ok()?;
            Some((file.display.clone(), file.path.clone()))
        };
        let (same, library) = rayon::join(|| built_from(walked, walk), || decode_built(rest, file));
        if same && let Some(library) = library {
            return Kept::Same(library);
        }
    }
    if !stale {
        return Kept::None;
    }
    match decode_as_built(walked, rest) {
        Some(library) => Kept::Stale(library),
        None => Kept::None,
    }
}

/// The library in `bytes` (walked then, built) as it was built, without
/// looking at the files, if it was built from more than `files` of them.
pub fn decode_stored((walked, rest): (&[u8], &[u8]), files: usize) -> Option<Library> {
    (records_in(walked)? > files)
        .then(|| decode_as_built(walked, rest))
        .flatten()
}

/// Whether `walked` is the same walk as `walk` (its files stat'ed now):
/// the library built from it is then the one of the files as they are.
/// Compared entry by entry as it is decoded, so that a walk of a million
/// files is never in memory twice.
pub fn built_from(walked: &[u8], walk: &Walk) -> bool {
    let same = SameWalk {
        walk,
        stats: walk.stats(),
    };
    let mut decoder = postcard::Deserializer::from_bytes(walked);
    serde::de::DeserializeSeed::deserialize(same, &mut decoder).unwrap_or(false)
}

/// Decodes a stored walk into whether it is `walk`.
struct SameWalk<'w> {
    walk: &'w Walk,
    stats: &'w [Option<FileStat>],
}

impl<'de> serde::de::DeserializeSeed<'de> for SameWalk<'_> {
    type Value = bool;

    fn deserialize<D: serde::Deserializer<'de>>(self, decoder: D) -> Result<bool, D::Error> {
        decoder.deserialize_seq(self)
    }
}

impl<'de> serde::de::Visitor<'de> for SameWalk<'_> {
    type Value = bool;

    fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str("a walk")
    }

    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut then: A) -> Result<bool, A::Error> {
        let mut now = self.walk.entries.iter().zip(self.stats);
        while let Some(walked) = then.next_element::<Walked>()? {
            match now.next() {
                Some((entry, stat)) if walked.is(entry, stat.as_ref()) => {}
                _ => return Ok(false),
            }
        }
        Ok(now.next().is_none())
    }
}

/// The library over the files of the walk it was built from (`walked`).
fn decode_as_built(walked: &[u8], rest: &[u8]) -> Option<Library> {
    // Only the paths are kept while the stories are decoded.
    let paths: Vec<Option<&[u8]>> = decode::<Vec<Walked>>(walked)
        .ok()?
        .into_iter()
        .map(|walked| match walked {
            Walked::File(path, _) => Some(path),
            Walked::Problem(_) => None,
        })
        .collect();
    let file = |place: u32| {
        let path = PathBuf::from(OsString::from_vec(
            paths.get(place as usize)?.as_ref()?.to_vec(),
        ));
        Some((display(&path), path))
    };
    decode_built(rest, file)
}

/// The library in `bytes`; `file` gives the display form and path of the
/// file at a place in the walk it was built from.
fn decode_built(
    bytes: &[u8],
    file: impl Fn(u32) -> Option<(String, PathBuf)> + Sync,
) -> Option<Library> {
    let built: Built = decode(bytes).ok()?;
    let headlines: Vec<Vec<(&str, Option<u32>)>> = built
        .headlines
        .par_iter()
        .map(|chunk| decode(chunk).ok())
        .collect::<Option<_>>()?;
    let headlines: Vec<(&str, Option<u32>)> = headlines.into_iter().flatten().collect();
    // Each chunk's stories are decoded in parallel straight into their
    // places in the library's lists: no story is in memory twice.
    let counts: Vec<usize> = built
        .stories
        .iter()
        .map(|chunk| records_in(chunk))
        .collect::<Option<_>>()?;
    let count = counts.iter().sum();
    let mut stories: Vec<Story> = (0..count).map(|_| Story::default()).collect();
    let mut texts: Vec<Text> = (0..count)
        .map(|_| Text::File(FileText::default()))
        .collect();
    let places: Vec<_> = split_mut(&mut stories, &counts)
        .into_iter()
        .zip(split_mut(&mut texts, &counts))
        .zip(&built.stories)
        .collect();
    let decoded = places.into_par_iter().all(|((stories, texts), chunk)| {
        let Ok(records) = decode::<Vec<StoryRecord>>(chunk) else {
            return false;
        };
        records.len() == stories.len()
            && records.into_iter().zip(stories.iter_mut().zip(texts)).all(
                |(record, (story, text))| {
                    story_of(record, &file, &headlines)
                        .map(|(s, t)| (*story, *text) = (s, t))
                        .is_some()
                },
            )
    });
    if !decoded {
        return None;
    }
    let story_count = stories.len();
    let headlines = headlines
        .into_par_iter()
        .map(|(text, story)| Headline {
            text: text.to_owned(),
            story: story.map(|s| s as usize).filter(|&s| s < story_count),
        })
        .collect();
    Some(Library::from_parts(
        stories,
        headlines,
        built.diagnostics,
        texts,
    ))
}

/// How many records a chunk holds: postcard writes a list's length first.
fn records_in(chunk: &[u8]) -> Option<usize> {
    postcard::take_from_bytes::<usize>(chunk)
        .ok()
        .map(|(n, _)| n)
}

/// `list` cut into consecutive pieces of `lengths`.
fn split_mut<'a, T>(mut list: &'a mut [T], lengths: &[usize]) -> Vec<&'a mut [T]> {
    lengths
        .iter()
        .map(|&n| {
            let (piece, rest) = std::mem::take(&mut list).split_at_mut(n);
            list = rest;
            piece
        })
        .collect()
}

/// A story back from its record, with its file from the walk; None if a
/// number in it points nowhere.
fn story_of(
    record: StoryRecord,
    file: impl Fn(u32) -> Option<(String, PathBuf)>,
    headlines: &[(&str, Option<u32>)],
) -> Option<(Story, Text)> {
    let (display, path) = file(record.file)?;
    let count = headlines.len();
    if !record.related.iter().all(|&h| (h as usize) < count) {
        return None;
    }
    let headline = record.headline.map(|h| h as usize);
    let title = match record.title {
        Some(title) => title.to_owned(),
        None => headlines.get(headline?)?.0.to_owned(),
    };
    let story = Story {
        id: CompactString::new(record.id),
        title,
        title_source: record.title_source,
        related: record.related.into_boxed_slice(),
        path: display,
        meta: record.meta.map(|m| Box::new(m.into_meta())),
        headline: record.headline,
        tokens: record.tokens,
    };
    let text = Text::File(FileText {
        path,
        article: record.article,
        row: record.row,
    });
    Some((story, text))
}
