//! The words of a query, for full-text search: whole words, folded for
//! case, typography and diacritics, and the phrase they make together.

use memchr::memmem::Finder;

use crate::model::Story;
use crate::text::fold::{fold_into, word_ranges};

/// At most this many distinct words take part (a bitmask tracks them).
const MAX_TERMS: usize = 32;

pub struct Terms {
    words: Vec<Term>,
    /// All the words in order, when there are two or more.
    phrase: Option<Term>,
}

struct Term {
    text: String,
    finder: Finder<'static>,
    /// Scripts written without spaces (CJK) have no word boundaries to
    /// check.
    bounded: bool,
}

impl Term {
    fn new(text: String) -> Term {
        let bounded = !text.chars().any(is_unspaced_script);
        Term {
            finder: Finder::new(text.as_bytes()).into_owned(),
            text,
            bounded,
        }
    }

    /// The first place the term stands as a whole word in folded `hay`.
    fn find_in(&self, hay: &str) -> Option<usize> {
        self.finder
            .find_iter(hay.as_bytes())
            .find(|&at| !self.bounded || is_whole_word(hay, at, self.text.len()))
    }
}

pub(super) fn is_unspaced_script(c: char) -> bool {
    matches!(c, '\u{3040}'..='\u{30ff}' | '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}')
}

fn is_whole_word(hay: &str, at: usize, len: usize) -> bool {
    let before = hay[..at].chars().next_back();
    let after = hay[at + len..].chars().next();
    !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
}

/// Where a story matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct BodyMatch {
    /// The words stand together, in order.
    pub phrase: bool,
    /// Paragraph and folded offset of the earliest match that was looked at.
    pub paragraph: u32,
    pub offset: u32,
}

impl Terms {
    /// The words of `query`. Fuzzy-search syntax (`^`, `$`, `'`) falls away
    /// as punctuation; words negated with `!` are left out.
    pub fn parse(query: &str) -> Terms {
        let mut words: Vec<String> = Vec::new();
        for atom in query.split_whitespace().filter(|a| !a.starts_with('!')) {
            for range in word_ranges(atom) {
                let mut folded = String::new();
                fold_into(&atom[range], &mut folded);
                if !words.contains(&folded) && words.len() < MAX_TERMS {
                    words.push(folded);
                }
            }
        }
        let phrase = (words.len() > 1).then(|| Term::new(words.join(" ")));
        Terms {
            words: words.into_iter().map(Term::new).collect(),
            phrase,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// The words as the story filters look them up.
    pub fn probes(&self) -> Vec<super::bloom::Probe> {
        self.words
            .iter()
            .map(|t| super::bloom::Probe::new(&t.text))
            .collect()
    }

    /// Whether folded `text` holds every word.
    pub fn all_in(&self, folded: &str) -> bool {
        !self.words.is_empty() && self.words.iter().all(|t| t.find_in(folded).is_some())
    }

    /// How `story` matches: every word somewhere in it, the phrase noted.
    /// Stops reading as soon as nothing more can change the answer.
    pub fn match_story(&self, story: &Story, buf: &mut String) -> Option<BodyMatch> {
        let all = (1u64 << self.words.len()) - 1;
        let mut found = 0u64;
        let mut first: Option<(u32, u32)> = None;
        let mut phrase_at: Option<(u32, u32)> = None;
        for (p, paragraph) in story.paragraphs.iter().enumerate() {
            buf.clear();
            fold_into(paragraph, buf);
            for (t, term) in self.words.iter().enumerate() {
                if let Some(at) = term.find_in(buf) {
                    found |= 1 << t;
                    first = first.or(Some((p as u32, at as u32)));
                }
            }
            if let Some(phrase) = &self.phrase
                && phrase_at.is_none()
                && let Some(at) = phrase.find_in(buf)
            {
                phrase_at = Some((p as u32, at as u32));
            }
            // With the phrase found, or a single word found, the rank is
            // settled.
            if phrase_at.is_some() || (self.phrase.is_none() && found == all) {
                break;
            }
        }
        if found != all {
            return None;
        }
        let (paragraph, offset) = phrase_at.or(first)?;
        Some(BodyMatch {
            phrase: phrase_at.is_some(),
            paragraph,
            offset,
        })
    }

    /// The sentence to show for a match: the first holding the phrase, else
    /// the first holding any of the words.
    pub fn snippet(&self, story: &Story) -> Option<String> {
        let mut buf = String::new();
        let wanted: Vec<&Term> = self.phrase.iter().collect();
        let any: Vec<&Term> = self.words.iter().collect();
        for terms in [wanted, any] {
            for paragraph in &story.paragraphs {
                for sentence in unicode_segmentation::UnicodeSegmentation::split_sentence_bounds(
                    paragraph.as_str(),
                ) {
                    buf.clear();
                    fold_into(sentence, &mut buf);
                    if terms.iter().any(|t| t.find_in(&buf).is_some()) {
                        return Some(sentence.trim().to_owned());
                    }
                }
            }
        }
        None
    }

    /// Byte ranges, per paragraph, of the words of the query in `story`,
    /// found as the search finds them (whole words of the folded text), or,
    /// when none stands whole anywhere, as the starts of words, so that a
    /// half-typed query still shows where it points.
    pub fn ranges_in(&self, story: &Story) -> Vec<(u32, u32, u32)> {
        let folded: Vec<(String, Vec<u32>)> = story
            .paragraphs
            .iter()
            .map(|p| fold_with_offsets(p))
            .collect();
        let whole = self.collect_ranges(&folded, true);
        if !whole.is_empty() {
            return whole;
        }
        self.collect_ranges(&folded, false)
    }

    fn collect_ranges(
        &self,
        paragraphs: &[(String, Vec<u32>)],
        whole: bool,
    ) -> Vec<(u32, u32, u32)> {
        let mut out = Vec::new();
        for (p, (folded, offsets)) in paragraphs.iter().enumerate() {
            for term in &self.words {
                for at in term.finder.find_iter(folded.as_bytes()) {
                    let end = at + term.text.len();
                    let starts_word = !folded[..at]
                        .chars()
                        .next_back()
                        .is_some_and(char::is_alphanumeric);
                    let ok = if whole {
                        !term.bounded || is_whole_word(folded, at, term.text.len())
                    } else {
                        starts_word
                    };
                    if ok {
                        out.push((p as u32, offsets[at], offsets[end]));
                    }
                }
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// `text` folded as [`fold_into`] does, with the byte offset in `text` of
/// each byte of the result (and of its end), to map matches back.
fn fold_with_offsets(text: &str) -> (String, Vec<u32>) {
    let mut folded = String::with_capacity(text.len());
    let mut offsets = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let before = folded.len();
        fold_into(c.encode_utf8(&mut [0; 4]), &mut folded);
        offsets.extend(std::iter::repeat_n(at as u32, folded.len() - before));
    }
    offsets.push(text.len() as u32);
    (folded, offsets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_must_be_whole_and_all_present() {
        let terms = Terms::parse("rail strike");
        let mut buf = String::new();
        assert!(
            terms
                .match_story(
                    &Story::of_paragraphs(&["The strike on the rail line."]),
                    &mut buf
                )
                .is_some()
        );
        assert!(
            terms
                .match_story(
                    &Story::of_paragraphs(&["The strikers on the railway."]),
                    &mut buf
                )
                .is_none()
        );
        assert!(
            terms
                .match_story(&Story::of_paragraphs(&["Only the rail."]), &mut buf)
                .is_none()
        );
    }

    #[test]
    fn phrase_is_noted() {
        let terms = Terms::parse("Rail Strike");
        let mut buf = String::new();
        let phrase = terms
            .match_story(
                &Story::of_paragraphs(&["A national rail strike began."]),
                &mut buf,
            )
            .unwrap();
        let words = terms
            .match_story(
                &Story::of_paragraphs(&["The strike hit rail services."]),
                &mut buf,
            )
            .unwrap();
        assert!(phrase.phrase && !words.phrase);
        assert!(phrase > words, "phrase matches rank first");
    }

    #[test]
    fn case_typography_and_diacritics_fold() {
        let mut buf = String::new();
        assert!(
            Terms::parse("cafe")
                .match_story(&Story::of_paragraphs(&["The CAFÉ opened."]), &mut buf)
                .is_some()
        );
        assert!(
            Terms::parse("trump's")
                .match_story(&Story::of_paragraphs(&["Trump’s name."]), &mut buf)
                .is_some()
        );
        assert!(
            Terms::parse("東京")
                .match_story(&Story::of_paragraphs(&["東京都心では"]), &mut buf)
                .is_some()
        );
    }

    #[test]
    fn snippet_is_the_sentence_with_the_phrase() {
        let s = Story::of_paragraphs(&[
            "The strike went on. Rail staff met.",
            "A rail strike is over. Trains run.",
        ]);
        assert_eq!(
            Terms::parse("rail strike").snippet(&s).as_deref(),
            Some("A rail strike is over.")
        );
        assert_eq!(
            Terms::parse("trains").snippet(&s).as_deref(),
            Some("Trains run.")
        );
    }

    #[test]
    fn ranges_point_at_the_original_text() {
        let s = Story::of_paragraphs(&["Café owners and the CAFE crowd; cafés too."]);
        let ranges = Terms::parse("cafe").ranges_in(&s);
        let texts: Vec<&str> = ranges
            .iter()
            .map(|&(_, a, b)| &s.paragraphs[0][a as usize..b as usize])
            .collect();
        assert_eq!(texts, ["Café", "CAFE"]);
        let prefix = Terms::parse("caf").ranges_in(&s);
        assert_eq!(prefix.len(), 3);
        let possessive = Story::of_paragraphs(&["The Kremlin’s view."]);
        let ranges = Terms::parse("kremlin").ranges_in(&possessive);
        assert_eq!(ranges, [(0, 4, 11)]);
    }
}
