//! Folding: the ways two texts are treated as the same. Headlines are the same
//! when they match after folding case, typographic quotes and dashes and runs
//! of white space (README, "Headlines, links and ids"); words match for title
//! inference and search after folding case, typography and Latin diacritics.

use unicode_normalization::UnicodeNormalization;

use super::script::{is_hangul, is_unspaced, is_word_char};

/// Maps typographic quotes and dashes to their ASCII forms.
pub fn fold_typography(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    }
}

/// The identity of a headline: two lines with the same key are one
/// headline. A 128-bit hash of the folded text, so that millions of
/// related lines can be compared without a string each; `buf` is scratch
/// space, reused between calls.
pub fn headline_key(text: &str, buf: &mut String) -> u128 {
    buf.clear();
    for word in text.split_whitespace() {
        if !buf.is_empty() {
            buf.push(' ');
        }
        if word.is_ascii() {
            let start = buf.len();
            buf.push_str(word);
            if let Some(added) = buf.get_mut(start..) {
                added.make_ascii_lowercase();
            }
        } else {
            for c in word.chars().map(fold_typography) {
                buf.extend(c.to_lowercase());
            }
        }
    }
    xxhash_rust::xxh3::xxh3_128(buf.as_bytes())
}

/// Lowercases, folds typography and strips the diacritics of Latin letters
/// ("Café" -> "cafe"), as [`fold_into`] does: other scripts keep their
/// marks, since there they make different letters (Russian й and и,
/// Japanese が and か, Hindi's vowel signs). Decomposed input is composed
/// first, so that it folds as its composed twin does.
pub fn fold_for_matching(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    if text.is_ascii() {
        fold_into(text, &mut out);
    } else {
        fold_into(&text.nfc().collect::<String>(), &mut out);
    }
    out
}

/// Appends `text` folded for full-text search to `out`: lowercase, with
/// typographic quotes and dashes made ASCII and Latin diacritics dropped.
/// Unlike [`fold_for_matching`] it allocates nothing per call and keeps
/// ASCII on a quick path, since it runs over every story body a search
/// looks at.
pub fn fold_into(text: &str, out: &mut String) {
    if text.is_ascii() {
        let start = out.len();
        out.push_str(text);
        if let Some(added) = out.get_mut(start..) {
            added.make_ascii_lowercase();
        }
        return;
    }
    for c in text.chars() {
        match c {
            c if c.is_ascii() => out.push(c.to_ascii_lowercase()),
            '\u{2018}' | '\u{2019}' | '\u{201c}' | '\u{201d}' | '\u{2013}' | '\u{2014}' => {
                out.push(fold_typography(c))
            }
            // Latin-1 Supplement and Latin Extended-A/B: the base letter.
            '\u{c0}'..='\u{24f}' => {
                let mut base = None;
                unicode_normalization::char::decompose_canonical(c, |d| {
                    base.get_or_insert(d);
                });
                out.extend(base.unwrap_or(c).to_lowercase());
            }
            c => out.extend(c.to_lowercase()),
        }
    }
}

/// Splits text into words for matching: runs of letters and digits, with
/// apostrophes and dots inside a word kept together ("U.S." is one word,
/// "Putin’s" is "putin"). Each word is folded and lightly stemmed, and
/// `emit` receives it as a stable 64-bit hash, so no word is allocated.
/// This runs over every story body at load, so ASCII text, the bulk of any
/// corpus, is scanned byte by byte.
const SEPARATOR: u8 = 0;
const ALNUM: u8 = 1;
const JOINER: u8 = 2;
const NON_ASCII: u8 = 3;

/// How the word scanner treats each byte.
static BYTE_CLASS: [u8; 256] = {
    let mut table = [SEPARATOR; 256];
    let mut b = 0;
    while b < 256 {
        table[b] = match b as u8 {
            b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' => ALNUM,
            b'\'' | b'.' => JOINER,
            0x80.. => NON_ASCII,
            _ => SEPARATOR,
        };
        b += 1;
    }
    table
};

pub fn for_each_word_hash(text: &str, mut emit: impl FnMut(u64)) {
    for_each_word_unit(text, |hash, _| emit(hash));
}

/// [`for_each_word_hash`], also saying which units begin a new word: in
/// most scripts a word is one unit; a word of an inflected script gives
/// several character trigrams, and unspaced text gives bigrams that each
/// stand for a word (see [`emit_unicode_word`]).
pub fn for_each_word_unit(text: &str, mut emit: impl FnMut(u64, bool)) {
    const RIGHT_QUOTE: &[u8] = "\u{2019}".as_bytes();
    let bytes = text.as_bytes();
    let mut buf = Vec::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if BYTE_CLASS[b as usize] == SEPARATOR || BYTE_CLASS[b as usize] == JOINER {
            i += 1;
            continue;
        }
        // Fast path: ASCII letters and digits go straight into `buf`,
        // lowercased; dots and apostrophes inside the word are dropped.
        let start = i;
        buf.clear();
        let (mut after_apostrophe, mut possessive, mut other_unicode) = (false, false, false);
        while let Some(&b) = bytes.get(i) {
            match BYTE_CLASS[b as usize] {
                ALNUM => {
                    possessive = after_apostrophe && b | 0x20 == b's';
                    after_apostrophe = false;
                    // Sets the lowercase bit of letters; digits have it already.
                    buf.push(b | 0x20);
                    i += 1;
                }
                JOINER => {
                    after_apostrophe = b == b'\'';
                    i += 1;
                }
                SEPARATOR => break,
                _ if bytes[i..].starts_with(RIGHT_QUOTE) => {
                    after_apostrophe = true;
                    i += RIGHT_QUOTE.len();
                }
                _ => {
                    // A letter beyond ASCII makes this a word for the slow
                    // path; typographic punctuation simply ends it.
                    other_unicode = text[i..].chars().next().is_some_and(is_word_char);
                    break;
                }
            }
        }
        if other_unicode {
            i = emit_unicode_word(text, start, &mut buf, &mut emit);
            continue;
        }
        if i == start {
            // Typographic punctuation before any word: step over it.
            i += text[i..].chars().next().map_or(1, char::len_utf8);
            continue;
        }
        if possessive {
            buf.pop();
        }
        stem(&mut buf);
        if !buf.is_empty() {
            emit(xxhash_rust::xxh3::xxh3_64(&buf), true);
        }
    }
}

/// The slow path for a word with letters beyond ASCII: folds it and emits
/// its units, returning where the word ends.
///
/// A word that folds to ASCII ("Café") is one unit, stemmed as its ASCII
/// twin is. Other words are cut into units that survive inflection and
/// need no spaces:
/// - runs of an unspaced script (Chinese, Japanese, Thai, ...) give
///   overlapping character bigrams, each counted as a word of its own,
///   since a bigram is about as much as a word there;
/// - Hangul gives syllable bigrams, other scripts (Cyrillic, Arabic,
///   Hebrew, Devanagari, Greek, ...) character trigrams, all of one word:
///   "трамвайных" and "трамвайные" share seven of their eight trigrams, as
///   "المدينة" holds every trigram of "مدينة";
/// - a run no longer than its n-gram is one unit.
///
/// Title inference weighs units by rarity, so endings shared by many words
/// weigh little.
fn emit_unicode_word(
    text: &str,
    start: usize,
    buf: &mut Vec<u8>,
    emit: &mut impl FnMut(u64, bool),
) -> usize {
    let end = text[start..]
        .char_indices()
        .find(|&(_, c)| !(is_word_char(c) || is_word_joiner(c)))
        .map_or(text.len(), |(offset, _)| start + offset);
    if end == start {
        // Not a word at all: step over this one character.
        return start + text[start..].chars().next().map_or(1, char::len_utf8);
    }
    let folded = fold_for_matching(text[start..end].trim_matches(is_word_joiner));
    let folded = folded.strip_suffix("'s").unwrap_or(&folded);
    let chars: Vec<char> = folded.chars().filter(|&c| !is_word_joiner(c)).collect();
    if chars.iter().all(char::is_ascii) {
        buf.clear();
        buf.extend(chars.iter().map(|&c| c as u8));
        // Folded Latin ("Café" -> "cafe") must stem as its ASCII twin does.
        stem(buf);
        if !buf.is_empty() {
            emit(xxhash_rust::xxh3::xxh3_64(buf), true);
        }
        return end;
    }
    let mut new_word = true;
    for run in chars.chunk_by(|a, b| unit_kind(*a) == unit_kind(*b)) {
        let kind = unit_kind(run[0]);
        let size = match kind {
            UnitKind::Unspaced | UnitKind::Hangul => 2,
            UnitKind::Other => 3,
        };
        let grams = run.windows(size.min(run.len()));
        for gram in grams {
            buf.clear();
            let mut char_buf = [0; 4];
            for c in gram {
                buf.extend_from_slice(c.encode_utf8(&mut char_buf).as_bytes());
            }
            emit(
                xxhash_rust::xxh3::xxh3_64(buf),
                new_word || kind == UnitKind::Unspaced,
            );
            new_word = false;
        }
    }
    end
}

/// How a run of a word's characters is cut into units.
#[derive(Clone, Copy, PartialEq, Eq)]
enum UnitKind {
    Unspaced,
    Hangul,
    Other,
}

fn unit_kind(c: char) -> UnitKind {
    if is_unspaced(c) {
        UnitKind::Unspaced
    } else if is_hangul(c) {
        UnitKind::Hangul
    } else {
        UnitKind::Other
    }
}

/// The byte ranges of the words in `text`, by the same rules as
/// [`for_each_word_hash`]: letters, digits and combining marks, with
/// apostrophes and dots inside a word. Used where the words' places matter (highlighting), not
/// on the hot path.
pub fn word_ranges(text: &str) -> impl Iterator<Item = std::ops::Range<usize>> + '_ {
    let mut rest = text.char_indices().peekable();
    std::iter::from_fn(move || {
        let (start, _) = rest.by_ref().find(|&(_, c)| c.is_alphanumeric())?;
        let mut end = start;
        while let Some(&(i, c)) = rest.peek() {
            if !(is_word_char(c) || is_word_joiner(c)) {
                break;
            }
            rest.next();
            if is_word_char(c) {
                end = i + c.len_utf8();
            }
        }
        // The first character was alphanumeric, so the word is not empty.
        Some(start..end.max(start + text[start..].chars().next().map_or(1, char::len_utf8)))
    })
}

pub(crate) fn is_word_joiner(c: char) -> bool {
    matches!(c, '\'' | '.' | '\u{2019}')
}

/// Strips common English suffixes so that "enters", "entered" and
/// "entering" are one word. Deliberately crude: both sides of every
/// comparison go through it, so it only has to be consistent, and it has to
/// be fast.
fn stem(word: &mut Vec<u8>) {
    let len = word.len();
    if len > 4 && word.ends_with(b"ies") {
        word.truncate(len - 3);
        word.push(b'y');
    } else if len > 4
        && [&b"ses"[..], b"xes", b"zes", b"ches", b"shes"]
            .iter()
            .any(|e| word.ends_with(e))
    {
        word.truncate(len - 2);
    } else if len > 3 && word.ends_with(b"s") && !word.ends_with(b"us") && !word.ends_with(b"ss") {
        word.truncate(len - 1);
    }
    let len = word.len();
    if len > 5 && word.ends_with(b"ing") {
        word.truncate(len - 3);
    } else if len > 4 && word.ends_with(b"ed") {
        word.truncate(len - 2);
    } else if len > 3 && word.ends_with(b"e") {
        // "agree" meets "agreed" at "agre".
        word.pop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<u64> {
        let mut out = Vec::new();
        for_each_word_hash(text, |h| out.push(h));
        out
    }

    #[test]
    fn headline_key_folds_case_quotes_dashes_and_spaces() {
        let key = |text: &str| headline_key(text, &mut String::new());
        assert_eq!(
            key("Trump’s  Name –  “Here”"),
            key("trump's name - \"here\"")
        );
        assert_eq!(key("  CAFÉ  Owners "), key("café owners"));
        assert_ne!(key("Café"), key("Cafe"));
        assert_ne!(key("one two"), key("onetwo"));
    }

    #[test]
    fn fold_into_matches_fold_for_matching_on_latin_text() {
        for text in [
            "Café Ünïcode",
            "Trump’s “Deal” – Signed",
            "ÀÉÎÕÜ çñ ß Ωmega",
            "東京 Tokyo",
        ] {
            let mut out = String::new();
            fold_into(text, &mut out);
            assert_eq!(out, fold_for_matching(text), "{text}");
        }
    }

    #[test]
    fn matching_fold_strips_diacritics() {
        assert_eq!(fold_for_matching("Café Ünïcode"), "cafe unicode");
    }

    #[test]
    fn word_forms_and_punctuation_fold_together() {
        assert_eq!(words("Enters"), words("entered"));
        assert_eq!(words("entering"), words("enters"));
        assert_eq!(words("Ended"), words("ends"));
        assert_eq!(words("U.S."), words("US"));
        assert_eq!(words("Putin’s"), words("putin"));
        assert_eq!(words("Talks"), words("talk"));
        assert_eq!(words("agreed"), words("agrees"));
        assert_eq!(words("Café"), words("cafe"));
        assert_eq!(words("buses"), words("bus"));
        assert_eq!(words("churches"), words("church"));
        assert_eq!(words("cases"), words("case"));
        assert_eq!(words("houses"), words("house"));
        assert_ne!(words("third"), words("deal"));
    }

    #[test]
    fn word_ranges_follow_the_word_rules() {
        let text = "“U.S.–Russia” talks, Putin’s 東京 x.";
        let words: Vec<&str> = word_ranges(text).map(|r| &text[r]).collect();
        assert_eq!(words, ["U.S", "Russia", "talks", "Putin’s", "東京", "x"]);
    }

    #[test]
    fn dashes_split_words() {
        assert_eq!(words("U.S.–Russia").len(), 2);
        assert_eq!(words("U.S.–Russia"), words("U.S. Russia"));
    }

    /// Units of `text`, each with whether it starts a new word.
    fn units(text: &str) -> Vec<(u64, bool)> {
        let mut out = Vec::new();
        for_each_word_unit(text, |hash, new_word| out.push((hash, new_word)));
        out
    }

    fn shared(a: &str, b: &str) -> usize {
        let b = units(b);
        units(a)
            .iter()
            .filter(|(h, _)| b.iter().any(|(g, _)| g == h))
            .count()
    }

    #[test]
    fn inflected_words_share_most_of_their_trigrams() {
        // тра рам амв мва вай айн йны, then ных or ные: seven of eight.
        assert_eq!(units("трамвайных").len(), 8);
        assert_eq!(shared("трамвайных", "трамвайные"), 7);
        // Every trigram of "city" is in "the city", with its article.
        assert_eq!(shared("مدينة", "المدينة"), units("مدينة").len());
        // One word: only its first unit starts a word.
        let starts: Vec<bool> = units("Новосибирск").iter().map(|u| u.1).collect();
        assert_eq!(starts.iter().filter(|s| **s).count(), 1);
        // A short word is one unit.
        assert_eq!(units("на").len(), 1);
    }

    #[test]
    fn unspaced_text_gives_bigrams_that_each_count_as_a_word() {
        let bigrams = units("地铁线路");
        assert_eq!(bigrams.len(), 3);
        assert!(bigrams.iter().all(|(_, new_word)| *new_word));
        assert_eq!(shared("地铁线路", "新开通三条地铁线路，以缓解"), 3);
        // Korean syllables pair up within a word.
        assert_eq!(shared("시내버스", "시내버스를"), 3);
    }

    #[test]
    fn marks_beyond_latin_are_letters() {
        assert_eq!(fold_for_matching("Café MÜNCHEN"), "cafe munchen");
        // Decomposed input folds as the composed form does.
        assert_eq!(fold_for_matching("Cafe\u{301}"), "cafe");
        assert_eq!(fold_for_matching("Трамвай"), "трамвай");
        assert_ne!(fold_for_matching("й"), fold_for_matching("и"));
        assert_ne!(fold_for_matching("が"), fold_for_matching("か"));
        assert_eq!(fold_for_matching("Straße"), "straße");
        assert_eq!(fold_for_matching("ılık"), "ılık");
        // A Hindi word is one word, vowel signs and all.
        let starts = units("प्रदूषण").iter().filter(|u| u.1).count();
        assert_eq!(starts, 1);
        assert_ne!(words("कि"), words("क"));
    }
}
