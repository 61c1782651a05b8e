//! The words of a query, for full-text search, and where they stand in a
//! text. Both sides are cut into tokens the same way ([`crate::text::tokens`]),
//! so a word matches a whole token, a word written `strik*` any token that
//! starts so, and a word of several tokens (東京, Kremlin's) those tokens
//! in a row. The index on disk is given the same tokens, so searching it
//! finds exactly what searching the text in memory finds.

use std::ops::Range;

use memchr::memmem::Finder;

use crate::text::fold::{fold_into, word_ranges};
use crate::text::tokens;

/// At most this many distinct words take part.
const MAX_TERMS: usize = 32;
/// A query token longer than this is cut to it and matched as a prefix
/// (the index keeps tokens only so long; see [`crate::index`]).
pub const MAX_TOKEN_BYTES: usize = 256;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    pub text: String,
    /// Matches any token that starts with `text`.
    pub prefix: bool,
}

/// One word of the query: the tokens it is made of, to be found in a row.
#[derive(Clone)]
pub struct Term {
    tokens: Vec<Token>,
    first: Finder<'static>,
}

impl Term {
    fn new(tokens: Vec<Token>) -> Option<Term> {
        let first = Finder::new(tokens.first()?.text.as_bytes()).into_owned();
        Some(Term { tokens, first })
    }

    pub fn tokens(&self) -> &[Token] {
        &self.tokens
    }

    /// Where the term stands in folded `hay`, first token to last.
    pub fn find_iter<'h>(&'h self, hay: &'h str) -> impl Iterator<Item = Range<usize>> + 'h {
        self.first
            .find_iter(hay.as_bytes())
            .filter_map(move |at| self.match_at(hay, at))
    }

    fn match_at(&self, hay: &str, at: usize) -> Option<Range<usize>> {
        if !tokens::starts_token(hay, at) {
            return None;
        }
        let (mut start, mut end) = (at, at);
        for (i, token) in self.tokens.iter().enumerate() {
            if i > 0 {
                start = tokens::next_token_start(hay, end)?;
            }
            end = tokens::token_end(hay, start);
            let found = &hay[start..end];
            let matches = if token.prefix {
                found.starts_with(&token.text)
            } else {
                found == token.text
            };
            if !matches {
                return None;
            }
        }
        Some(at..end)
    }

    /// The same term with its last token taken as a prefix: what a
    /// half-typed word points at.
    fn as_prefix(&self) -> Term {
        let mut tokens = self.tokens.clone();
        if let Some(last) = tokens.last_mut() {
            last.prefix = true;
        }
        Term {
            tokens,
            first: self.first.clone(),
        }
    }
}

pub struct Terms {
    words: Vec<Term>,
    /// All the words' tokens in order, when there are two or more words.
    phrase: Option<Term>,
}

/// How often each word, and the whole phrase, stands in a text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub words: Vec<u32>,
    pub phrase: u32,
}

impl Counts {
    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|&n| n == 0)
    }

    pub fn has_all(&self) -> bool {
        !self.words.is_empty() && self.words.iter().all(|&n| n > 0)
    }
}

impl Terms {
    /// The words of `query`. A word ending in `*` matches as a prefix.
    /// Fuzzy-search syntax (`^`, `$`, `'`) falls away as punctuation;
    /// words negated with `!` are left out.
    pub fn parse(query: &str) -> Terms {
        let mut words: Vec<Term> = Vec::new();
        for atom in query.split_whitespace().filter(|a| !a.starts_with('!')) {
            let prefix = atom.ends_with('*');
            let ranges: Vec<Range<usize>> = word_ranges(atom).collect();
            for (i, range) in ranges.iter().enumerate() {
                let mut parts: Vec<Token> = tokens::of(&atom[range.clone()])
                    .into_iter()
                    .map(|text| Token {
                        text,
                        prefix: false,
                    })
                    .collect();
                if let Some(last) = parts.last_mut() {
                    last.prefix = prefix && i + 1 == ranges.len();
                }
                for token in &mut parts {
                    cap(token);
                }
                if words.len() < MAX_TERMS
                    && !words.iter().any(|w| w.tokens == parts)
                    && let Some(term) = Term::new(parts)
                {
                    words.push(term);
                }
            }
        }
        let phrase = (words.len() > 1)
            .then(|| Term::new(words.iter().flat_map(|w| w.tokens.clone()).collect()))
            .flatten();
        Terms { words, phrase }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    pub fn words(&self) -> &[Term] {
        &self.words
    }

    pub fn phrase(&self) -> Option<&Term> {
        self.phrase.as_ref()
    }

    /// Whether folded `text` holds every word.
    pub fn all_in(&self, folded: &str) -> bool {
        !self.words.is_empty()
            && self
                .words
                .iter()
                .all(|t| t.find_iter(folded).next().is_some())
    }

    /// Counts each word and the phrase in folded `text`, adding to `counts`.
    pub fn count_in(&self, folded: &str, counts: &mut Counts) {
        counts.words.resize(self.words.len(), 0);
        for (n, term) in counts.words.iter_mut().zip(&self.words) {
            *n += term.find_iter(folded).count() as u32;
        }
        if let Some(phrase) = &self.phrase {
            counts.phrase += phrase.find_iter(folded).count() as u32;
        }
    }

    /// The sentence to show for a match: the first holding the phrase, else
    /// the first holding any of the words.
    pub fn snippet(&self, paragraphs: &[String]) -> Option<String> {
        let mut buf = String::new();
        let wanted: Vec<&Term> = self.phrase.iter().collect();
        let any: Vec<&Term> = self.words.iter().collect();
        for terms in [wanted, any] {
            for paragraph in paragraphs {
                for sentence in unicode_segmentation::UnicodeSegmentation::split_sentence_bounds(
                    paragraph.as_str(),
                ) {
                    buf.clear();
                    fold_into(sentence, &mut buf);
                    if terms.iter().any(|t| t.find_iter(&buf).next().is_some()) {
                        return Some(sentence.trim().to_owned());
                    }
                }
            }
        }
        None
    }

    /// Byte ranges, per paragraph, of the words of the query in the text,
    /// found as the search finds them, or, when none stands anywhere, as
    /// the starts of words, so that a half-typed query still shows where it
    /// points.
    pub fn ranges_in(&self, paragraphs: &[String]) -> Vec<TextMatch> {
        let folded: Vec<(String, Vec<u32>)> =
            paragraphs.iter().map(|p| fold_with_offsets(p)).collect();
        let whole = collect_ranges(&self.words, &folded);
        if !whole.is_empty() {
            return whole;
        }
        let prefixes: Vec<Term> = self.words.iter().map(Term::as_prefix).collect();
        collect_ranges(&prefixes, &folded)
    }
}

/// Where a word of a query stands in a text: its paragraph and byte range.
/// Ordered as the text reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct TextMatch {
    pub paragraph: u32,
    pub start: u32,
    pub end: u32,
}

/// A token too long for the index becomes a prefix of the length it keeps.
fn cap(token: &mut Token) {
    if token.text.len() > MAX_TOKEN_BYTES {
        let mut end = MAX_TOKEN_BYTES;
        while !token.text.is_char_boundary(end) {
            end -= 1;
        }
        token.text.truncate(end);
        token.prefix = true;
    }
}

fn collect_ranges(terms: &[Term], paragraphs: &[(String, Vec<u32>)]) -> Vec<TextMatch> {
    let mut out = Vec::new();
    for (p, (folded, offsets)) in paragraphs.iter().enumerate() {
        for term in terms {
            for found in term.find_iter(folded) {
                out.push(TextMatch {
                    paragraph: p as u32,
                    start: offsets[found.start],
                    end: offsets[found.end],
                });
            }
        }
    }
    out.sort_unstable();
    out.dedup();
    out
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

    fn counts(query: &str, text: &str) -> Counts {
        let mut folded = String::new();
        fold_into(text, &mut folded);
        let mut counts = Counts::default();
        Terms::parse(query).count_in(&folded, &mut counts);
        counts
    }

    #[test]
    fn words_must_be_whole_and_all_present() {
        assert!(counts("rail strike", "The strike on the rail line.").has_all());
        assert!(!counts("rail strike", "The strikers on the railway.").has_all());
        assert!(!counts("rail strike", "Only the rail.").has_all());
    }

    #[test]
    fn every_occurrence_counts_and_the_phrase_is_noted() {
        let found = counts(
            "rail strike",
            "A rail strike, then rail STRIKE again; rail.",
        );
        assert_eq!(found.words, [3, 2]);
        assert_eq!(found.phrase, 2);
        assert_eq!(
            counts("rail strike", "The strike hit rail services.").phrase,
            0
        );
        // Punctuation between the words does not break the phrase.
        assert_eq!(counts("rail strike", "rail -- strike").phrase, 1);
    }

    #[test]
    fn a_trailing_star_matches_word_starts() {
        let found = counts("strik*", "Strikers struck; the strike; a restrike.");
        assert_eq!(found.words, [2]);
        assert_eq!(counts("трамва*", "сеть трамвайных линий").words, [1]);
        assert_eq!(counts("strik* deal", "a striking deal").phrase, 1);
    }

    #[test]
    fn case_typography_and_diacritics_fold() {
        assert!(counts("cafe", "The CAFÉ opened.").has_all());
        assert!(counts("trump's", "Trump’s name.").has_all());
        assert!(counts("kremlin", "The Kremlin’s view.").has_all());
        assert!(!counts("kremlin's", "The Kremlin view.").has_all());
    }

    #[test]
    fn unspaced_words_are_found_inside_longer_runs() {
        assert!(counts("東京", "東京都心では").has_all());
        assert!(!counts("京東", "東京都心では").has_all());
    }

    #[test]
    fn snippet_is_the_sentence_with_the_phrase() {
        let paragraphs = [
            "The strike went on. Rail staff met.".to_owned(),
            "A rail strike is over. Trains run.".to_owned(),
        ];
        let terms = Terms::parse("rail strike");
        assert_eq!(
            terms.snippet(&paragraphs).as_deref(),
            Some("A rail strike is over.")
        );
        assert_eq!(
            Terms::parse("trains").snippet(&paragraphs).as_deref(),
            Some("Trains run.")
        );
    }

    #[test]
    fn ranges_point_at_the_original_text() {
        let paragraphs = ["Café owners and the CAFE crowd; cafés too.".to_owned()];
        let ranges = Terms::parse("cafe").ranges_in(&paragraphs);
        let texts: Vec<&str> = ranges
            .iter()
            .map(|m| &paragraphs[0][m.start as usize..m.end as usize])
            .collect();
        assert_eq!(texts, ["Café", "CAFE"]);
        let prefix = Terms::parse("caf").ranges_in(&paragraphs);
        assert_eq!(prefix.len(), 3);
        let possessive = ["The Kremlin’s view.".to_owned()];
        assert_eq!(
            Terms::parse("kremlin").ranges_in(&possessive),
            [TextMatch {
                paragraph: 0,
                start: 4,
                end: 11
            }]
        );
    }

    #[test]
    fn overlong_words_become_prefixes() {
        let long = "x".repeat(MAX_TOKEN_BYTES + 10);
        let terms = Terms::parse(&long);
        let token = &terms.words()[0].tokens()[0];
        assert!(token.prefix);
        assert_eq!(token.text.len(), MAX_TOKEN_BYTES);
    }
}
