//! Fuzzy search over headlines with nucleo-matcher: smart case, Latin
//! diacritics normalized by nucleo, typographic quotes and dashes folded
//! here first, character for character, so match positions stay those of
//! the headline as shown.

use nucleo_matcher::pattern::{Atom, AtomKind, CaseMatching, Normalization, Pattern};
use nucleo_matcher::{Config, Matcher, Utf32Str};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use super::Scored;
use crate::model::{Headline, Library};
use crate::text::fold_typography;

/// Headlines are matched in chunks of this many, checking between chunks
/// whether a newer query has made this one stale.
const CHUNK: usize = 8192;

/// What fuzzy matching needs beside the headlines themselves: which are
/// pure ASCII (the quick pass skips nucleo for them), and a folded copy of
/// the few whose typography folds. The rest are read where the library
/// keeps them: in shared buffers, front to back (see
/// [`crate::model::packed`]), so a keystroke does not take a cache miss
/// for each of a million headlines, nor a second copy of them.
pub struct Haystacks {
    ascii: Vec<bool>,
    folded: FxHashMap<u32, Box<str>>,
}

impl Haystacks {
    pub fn new(library: &Library) -> Haystacks {
        let mut folded = FxHashMap::default();
        let ascii = (library.headlines.iter().enumerate())
            .map(|(h, headline)| {
                let ascii = headline.text.is_ascii();
                if !ascii && headline.text.chars().any(|c| fold_typography(c) != c) {
                    folded.insert(
                        h as u32,
                        headline.text.chars().map(fold_typography).collect(),
                    );
                }
                ascii
            })
            .collect();
        Haystacks { ascii, folded }
    }

    /// The haystacks of `library`'s headlines.
    pub fn over<'a>(&'a self, library: &'a Library) -> Hay<'a> {
        Hay {
            haystacks: self,
            headlines: &library.headlines,
        }
    }
}

/// [`Haystacks`] with the headlines they are of.
#[derive(Clone, Copy)]
pub struct Hay<'a> {
    haystacks: &'a Haystacks,
    headlines: &'a [Headline],
}

impl<'a> Hay<'a> {
    /// A headline with its typography folded, character for character,
    /// so match positions stay those of the headline as shown.
    fn text(self, headline: usize) -> &'a str {
        let shown = self.headlines.get(headline).map_or("", |h| &*h.text);
        if self.is_ascii(headline) {
            return shown;
        }
        self.haystacks
            .folded
            .get(&(headline as u32))
            .map_or(shown, |folded| folded)
    }

    fn is_ascii(self, headline: usize) -> bool {
        self.haystacks.ascii.get(headline).copied().unwrap_or(false)
    }
}

pub fn pattern(query: &str) -> Pattern {
    let folded: String = query.chars().map(fold_typography).collect();
    Pattern::parse(&folded, CaseMatching::Smart, Normalization::Smart)
}

/// Whether the hits of `old` contain every hit of `new`, so that `new` need
/// only search them: true when `new` extends `old`, except through negation
/// (`!`) or escapes (`\`), which can widen a match.
pub fn narrows(old: &str, new: &str) -> bool {
    !old.trim().is_empty() && new.starts_with(old) && !new.contains(['!', '\\'])
}

/// Headlines matching `pattern`, as (headline, quick score), unsorted.
/// `within` limits the search to earlier hits. None when `cancelled` says
/// stop.
///
/// nucleo's exact scoring costs about a microsecond per headline here, too
/// much for a million per keystroke. So every candidate gets a quick score
/// instead (is the word a subsequence, does it stand whole, at a word
/// start), and [`rescore`] gives nucleo's exact score to the few that can
/// be shown. Whether a headline matches at all is decided exactly either
/// way, so the hits are complete.
pub fn matches(
    hay: Hay<'_>,
    pattern: &Pattern,
    within: Option<&[u32]>,
    cancelled: &(dyn Fn() -> bool + Sync),
) -> Option<Vec<Scored>> {
    let atoms: Vec<QuickAtom> = pattern.atoms.iter().map(QuickAtom::new).collect();
    let all: Vec<u32>;
    let candidates = match within {
        Some(within) => within,
        None => {
            all = (0..hay.headlines.len() as u32).collect();
            &all
        }
    };
    let chunks: Vec<Option<Vec<Scored>>> = candidates
        .par_chunks(CHUNK)
        .map_init(
            || (Matcher::new(Config::DEFAULT), Vec::new()),
            |(matcher, buf), chunk| {
                if cancelled() {
                    return None;
                }
                let hits = chunk.iter().filter_map(|&h| {
                    let text = hay.text(h as usize);
                    let score = if hay.is_ascii(h as usize) {
                        quick_score_ascii(&atoms, text.as_bytes(), matcher)
                    } else {
                        fallback(&atoms, Utf32Str::new(text, buf), matcher)
                    };
                    score.map(|score| (h, score))
                });
                Some(hits.collect())
            },
        )
        .collect();
    let mut hits = Vec::new();
    for chunk in chunks {
        hits.extend(chunk?);
    }
    Some(hits)
}

/// The exact nucleo score of each hit, best first; hits the exact matcher
/// rejects are dropped.
pub fn rescore(hay: Hay<'_>, pattern: &Pattern, hits: &[Scored]) -> Vec<Scored> {
    let mut scored: Vec<Scored> = hits
        .par_chunks(256)
        .map_init(
            || (Matcher::new(Config::DEFAULT), Vec::new()),
            |(matcher, buf), chunk| {
                chunk
                    .iter()
                    .filter_map(|&(h, _)| {
                        let haystack = Utf32Str::new(hay.text(h as usize), buf);
                        pattern.score(haystack, matcher).map(|score| (h, score))
                    })
                    .collect::<Vec<_>>()
            },
        )
        .flatten()
        .collect();
    scored.sort_unstable_by_key(|&(h, score)| (std::cmp::Reverse(score), h));
    scored
}

/// How the quick pass treats one atom of the pattern.
enum QuickAtom<'a> {
    /// A plain fuzzy word of ASCII: matched byte by byte, case ignored
    /// unless the word has a capital (smart case, as nucleo does).
    Ascii { needle: Vec<u8>, ignore_case: bool },
    /// Anything else (negation, anchors, non-ASCII): nucleo itself.
    Nucleo(&'a Atom),
}

impl<'a> QuickAtom<'a> {
    fn new(atom: &'a Atom) -> Self {
        let needle: String = atom.needle_text().chars().collect();
        if atom.kind == AtomKind::Fuzzy && !atom.negative && needle.is_ascii() {
            let ignore_case = !needle.bytes().any(|b| b.is_ascii_uppercase());
            QuickAtom::Ascii {
                needle: needle.into_bytes(),
                ignore_case,
            }
        } else {
            QuickAtom::Nucleo(atom)
        }
    }
}

/// Quick scores: a scattered match counts 1, the word typed as it stands 4,
/// at the start of a word 6, at the start of the headline 7.
const SCATTERED: u32 = 1;
const CONTIGUOUS: u32 = 4;
const AT_WORD: u32 = 6;
const AT_START: u32 = 7;

fn quick_score_ascii(atoms: &[QuickAtom], hay: &[u8], matcher: &mut Matcher) -> Option<u32> {
    let mut total = 0;
    for quick in atoms {
        total += match quick {
            QuickAtom::Ascii {
                needle,
                ignore_case,
            } => ascii_score(needle, *ignore_case, hay)?,
            QuickAtom::Nucleo(atom) => {
                let score = atom.score(Utf32Str::Ascii(hay), matcher)?;
                if atom.negative {
                    0
                } else {
                    CONTIGUOUS.max(u32::from(score) / 32)
                }
            }
        };
    }
    Some(total)
}

/// Non-ASCII headlines go through nucleo whole (diacritics and all).
fn fallback(atoms: &[QuickAtom], haystack: Utf32Str<'_>, matcher: &mut Matcher) -> Option<u32> {
    let mut total = 0;
    for quick in atoms {
        let atom = match quick {
            QuickAtom::Ascii {
                needle,
                ignore_case,
            } => {
                let text = std::str::from_utf8(needle).unwrap_or_default();
                let case = if *ignore_case {
                    CaseMatching::Smart
                } else {
                    CaseMatching::Respect
                };
                &Atom::new(text, case, Normalization::Smart, AtomKind::Fuzzy, false)
            }
            QuickAtom::Nucleo(atom) => *atom,
        };
        let score = atom.score(haystack, matcher)?;
        total += if atom.negative {
            0
        } else {
            SCATTERED.max(u32::from(score) / 32)
        };
    }
    Some(total)
}

/// The needle as a subsequence of the haystack, and how well it stands.
/// memchr jumps between candidate bytes, so most headlines cost a few
/// vector compares.
fn ascii_score(needle: &[u8], ignore_case: bool, hay: &[u8]) -> Option<u32> {
    let &first = needle.first()?;
    let find = |byte: u8, from: usize| -> Option<usize> {
        let rest = hay.get(from..)?;
        let found = if ignore_case && byte.is_ascii_alphabetic() {
            memchr::memchr2(byte, byte.to_ascii_uppercase(), rest)
        } else {
            memchr::memchr(byte, rest)
        };
        found.map(|i| from + i)
    };
    let same = |h: &[u8]| {
        if ignore_case {
            h.eq_ignore_ascii_case(needle)
        } else {
            h == needle
        }
    };
    // The word as typed, if it stands anywhere.
    let mut at = 0;
    while let Some(start) = find(first, at) {
        if hay.get(start..start + needle.len()).is_some_and(same) {
            return Some(match start {
                0 => AT_START,
                _ if !hay[start - 1].is_ascii_alphanumeric() => AT_WORD,
                _ => CONTIGUOUS,
            });
        }
        at = start + 1;
    }
    // Else, scattered.
    let mut at = 0;
    for &byte in needle {
        at = find(byte, at)? + 1;
    }
    Some(SCATTERED)
}

/// Character positions of `headline` that `pattern` matched, for
/// highlighting.
pub fn indices(
    hay: Hay<'_>,
    pattern: &Pattern,
    headline: usize,
    matcher: &mut Matcher,
) -> Vec<u32> {
    let mut buf = Vec::new();
    let mut indices = Vec::new();
    pattern.indices(
        Utf32Str::new(hay.text(headline), &mut buf),
        matcher,
        &mut indices,
    );
    indices.sort_unstable();
    indices.dedup();
    indices
}
