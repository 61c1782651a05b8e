//! Folding: the ways two texts are treated as the same. Headlines are the
//! same when they match after folding case, typographic quotes and dashes
//! and runs of white space (SPEC section 2); words match for title inference
//! and search after folding case, typography and Latin diacritics.

use unicode_normalization::UnicodeNormalization;
use unicode_normalization::char::is_combining_mark;

/// Maps typographic quotes and dashes to their ASCII forms.
pub fn fold_typography(c: char) -> char {
    match c {
        '\u{2018}' | '\u{2019}' => '\'',
        '\u{201c}' | '\u{201d}' => '"',
        '\u{2013}' | '\u{2014}' => '-',
        c => c,
    }
}

/// The identity of a headline: two lines with the same key are one headline.
pub fn headline_key(text: &str) -> String {
    let mut key = String::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !key.is_empty() {
            key.push(' ');
        }
        for c in word.chars().map(fold_typography) {
            key.extend(c.to_lowercase());
        }
    }
    key
}

/// Lowercases, folds typography and strips Latin diacritics ("Café" ->
/// "cafe"). ASCII text, the common case, takes the quick path.
pub fn fold_for_matching(text: &str) -> String {
    if text.is_ascii() {
        return text.to_ascii_lowercase();
    }
    text.nfd()
        .filter(|&c| !is_combining_mark(c))
        .map(fold_typography)
        .flat_map(char::to_lowercase)
        .collect()
}

/// Splits text into words for matching: runs of letters and digits, with
/// apostrophes and dots inside a word kept together ("U.S." is one word,
/// "Putin’s" is "putin"). Each word is folded and lightly stemmed, and
/// `emit` receives it as a stable 64-bit hash, so no word is allocated on the
/// hot path.
pub fn for_each_word_hash(text: &str, mut emit: impl FnMut(u64)) {
    let mut buf = String::new();
    for raw in text.split(|c: char| !(c.is_alphanumeric() || is_word_joiner(c))) {
        let raw = raw.trim_matches(is_word_joiner);
        if raw.is_empty() {
            continue;
        }
        buf.clear();
        if raw.is_ascii() {
            buf.extend(raw.chars().map(|c| c.to_ascii_lowercase()));
        } else {
            buf.push_str(&fold_for_matching(raw));
        }
        let word = normalize_word(&mut buf);
        if !word.is_empty() {
            emit(xxhash_rust::xxh3::xxh3_64(word.as_bytes()));
        }
    }
}

fn is_word_joiner(c: char) -> bool {
    matches!(c, '\'' | '.' | '\u{2019}')
}

/// Drops a possessive, inner dots and apostrophes, then strips common
/// English suffixes so that "enters", "entered" and "entering" are one word.
/// Deliberately crude: both sides of every comparison go through it, so it
/// only has to be consistent, and it has to be fast over whole corpora.
fn normalize_word(buf: &mut String) -> &str {
    for possessive in ["'s", "\u{2019}s"] {
        if buf.ends_with(possessive) {
            buf.truncate(buf.len() - possessive.len());
        }
    }
    buf.retain(|c| !is_word_joiner(c));
    if buf.is_ascii() {
        stem(buf);
    }
    buf
}

fn stem(word: &mut String) {
    let len = word.len();
    if len > 4 && word.ends_with("ies") {
        word.truncate(len - 3);
        word.push('y');
    } else if len > 3 && word.ends_with('s') && !word.ends_with("us") && !word.ends_with("ss") {
        word.truncate(len - 1);
    }
    let len = word.len();
    if len > 5 && word.ends_with("ing") {
        word.truncate(len - 3);
    } else if len > 4 && word.ends_with("ed") {
        word.truncate(len - 2);
    }
    if word.len() > 4 && word.ends_with('e') {
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
        assert_eq!(
            headline_key("Trump’s  Name –  “Here”"),
            headline_key("trump's name - \"here\"")
        );
        assert_ne!(headline_key("Café"), headline_key("Cafe"));
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
        assert_ne!(words("third"), words("deal"));
    }

    #[test]
    fn dashes_split_words() {
        assert_eq!(words("U.S.–Russia").len(), 2);
        assert_eq!(words("U.S.–Russia"), words("U.S. Russia"));
    }
}
