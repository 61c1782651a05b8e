//! Tokens: the units full-text search matches, the same whether the words
//! are looked up in memory or in the index on disk, so that both give the
//! same answer. Text is folded first ([`fold_into`]: case, typographic
//! quotes and dashes, Latin diacritics), then split into runs of word
//! characters (letters, digits and combining marks). In scripts written
//! without spaces (Chinese, Japanese, Thai, ...) every character is a token
//! of its own, so a word is found inside unspaced text as a run of tokens.
//!
//! Apostrophes and dots split words: "Kremlin’s" is `kremlin` `s`, so that
//! a search for "kremlin" finds it and "kremlin's" finds it as a phrase.

use std::ops::Range;

use super::fold::fold_into;
use super::script::{is_unspaced, is_word_char};

/// How a character takes part in tokens.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Separator,
    Word,
    /// A word character that is a token by itself.
    Single,
}

fn class(c: char) -> Class {
    if c.is_ascii() {
        if c.is_ascii_alphanumeric() {
            Class::Word
        } else {
            Class::Separator
        }
    } else if is_unspaced(c) {
        Class::Single
    } else if is_word_char(c) {
        Class::Word
    } else {
        Class::Separator
    }
}

/// The class of the character starting at byte `at` of `text`, if any.
fn class_at(text: &str, at: usize) -> Option<(Class, usize)> {
    let c = text.get(at..)?.chars().next()?;
    Some((class(c), c.len_utf8()))
}

fn class_before(text: &str, at: usize) -> Option<Class> {
    text.get(..at)?.chars().next_back().map(class)
}

/// Whether a token of `text` (folded) starts at byte `at`.
pub fn starts_token(text: &str, at: usize) -> bool {
    match class_at(text, at) {
        Some((Class::Single, _)) => true,
        Some((Class::Word, _)) => class_before(text, at) != Some(Class::Word),
        _ => false,
    }
}

/// The end of the token that starts at byte `start` of `text` (folded).
pub fn token_end(text: &str, start: usize) -> usize {
    let bytes = text.as_bytes();
    let mut at = start;
    while at < bytes.len() {
        // ASCII letters and digits, the bulk of most text, byte by byte.
        if bytes[at].is_ascii_alphanumeric() {
            at += 1;
            continue;
        }
        match class_at(text, at) {
            Some((Class::Single, len)) if at == start => return at + len,
            Some((Class::Word, len)) => at += len,
            _ => break,
        }
    }
    at
}

/// The start of the first token at or after byte `from` of `text`.
pub fn next_token_start(text: &str, from: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut at = from;
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii_alphanumeric() {
            return Some(at);
        }
        if b.is_ascii() {
            at += 1;
            continue;
        }
        match class_at(text, at) {
            Some((Class::Separator, len)) => at += len,
            Some(_) => return Some(at),
            None => return None,
        }
    }
    None
}

/// The tokens of already folded text, as byte ranges, in order.
pub fn ranges(folded: &str) -> impl Iterator<Item = Range<usize>> + '_ {
    let mut from = 0;
    std::iter::from_fn(move || {
        let start = next_token_start(folded, from)?;
        let end = token_end(folded, start);
        from = end;
        Some(start..end)
    })
}

/// How many tokens `text` holds. Folding never moves a token boundary
/// (a test checks every character), so the text is counted as it is,
/// ASCII byte by byte: this runs over every story at load.
pub fn count(text: &str) -> u32 {
    let bytes = text.as_bytes();
    let (mut tokens, mut in_word, mut at) = (0u32, false, 0);
    while at < bytes.len() {
        let b = bytes[at];
        if b.is_ascii() {
            let word = b.is_ascii_alphanumeric();
            tokens += u32::from(word && !in_word);
            in_word = word;
            at += 1;
            continue;
        }
        let Some((class, len)) = class_at(text, at) else {
            break;
        };
        match class {
            Class::Single => {
                tokens += 1;
                in_word = false;
            }
            Class::Word => {
                tokens += u32::from(!in_word);
                in_word = true;
            }
            Class::Separator => in_word = false,
        }
        at += len;
    }
    tokens
}

/// Appends the tokens of `text` to `out`, folded and separated by single
/// spaces: the form the index's full-text table is given, so that its
/// tokenizer need only split at spaces. Gives how many there were; `buf`
/// is scratch.
pub fn push_joined(text: &str, buf: &mut String, out: &mut String) -> u32 {
    buf.clear();
    fold_into(text, buf);
    let mut count = 0;
    for range in ranges(buf) {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(&buf[range]);
        count += 1;
    }
    count
}

/// The tokens of `text`, folded, each as its own string.
pub fn of(text: &str) -> Vec<String> {
    let mut folded = String::new();
    fold_into(text, &mut folded);
    ranges(&folded).map(|r| folded[r].to_owned()).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_split_at_punctuation_apostrophes_and_dots() {
        assert_eq!(
            of("The Kremlin’s “U.S.–Russia” talks, 3.5% up"),
            [
                "the", "kremlin", "s", "u", "s", "russia", "talks", "3", "5", "up"
            ]
        );
    }

    #[test]
    fn folding_comes_first() {
        assert_eq!(of("CAFÉ Ünïcode"), ["cafe", "unicode"]);
    }

    #[test]
    fn unspaced_scripts_give_a_token_per_character() {
        assert_eq!(of("東京都 in Tokyo"), ["東", "京", "都", "in", "tokyo"]);
        assert_eq!(of("abc東def"), ["abc", "東", "def"]);
        assert_eq!(of("สวัสดี").len(), "สวัสดี".chars().count());
    }

    #[test]
    fn combining_marks_stay_in_their_word() {
        // Devanagari vowel signs are combining marks: one word, not four.
        assert_eq!(of("हिन्दी भाषा").len(), 2);
        assert_eq!(of("cafe\u{301} x"), ["cafe\u{301}", "x"]);
    }

    #[test]
    fn boundaries_agree_with_ranges() {
        let text = "a-b 東京 c\u{301}d ‘e’";
        let mut folded = String::new();
        fold_into(text, &mut folded);
        let starts: Vec<usize> = ranges(&folded).map(|r| r.start).collect();
        let found: Vec<usize> = (0..folded.len())
            .filter(|&i| folded.is_char_boundary(i) && starts_token(&folded, i))
            .collect();
        assert_eq!(found, starts);
        assert_eq!(count(text), starts.len() as u32);
    }

    #[test]
    fn folding_never_changes_a_characters_class() {
        // What lets `count` skip folding, and the index agree with memory.
        let mut folded = String::new();
        for c in (0..=0x10ffff).filter_map(char::from_u32) {
            folded.clear();
            fold_into(c.encode_utf8(&mut [0; 4]), &mut folded);
            let want = class(c);
            for (i, f) in folded.chars().enumerate() {
                // A letter may fold into a letter and combining marks.
                let got = class(f);
                assert!(
                    got == want || (i > 0 && want == Class::Word && got == Class::Word),
                    "{c:?} folds to {folded:?}"
                );
            }
        }
    }

    #[test]
    fn joined_form_separates_tokens_with_single_spaces() {
        let mut out = String::new();
        push_joined("Rail -- strike!  Day 3", &mut String::new(), &mut out);
        assert_eq!(out, "rail strike day 3");
    }
}
