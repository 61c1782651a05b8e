//! What the writing system of a character means for matching and counting:
//! which characters make words, which scripts are written without spaces
//! between words, and which are read character by character.

use unicode_normalization::char::is_combining_mark;
use unicode_segmentation::UnicodeSegmentation;

/// Letters, digits and the marks that combine with them (Hindi's vowel
/// signs, Thai's tone marks, Arabic's vowel points).
pub fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || is_combining_mark(c)
}

/// Scripts written without spaces between words: Chinese, Japanese, Thai,
/// Lao, Khmer, Myanmar.
pub fn is_unspaced(c: char) -> bool {
    matches!(c,
        '\u{0e00}'..='\u{0eff}'     // Thai, Lao
        | '\u{1000}'..='\u{109f}'   // Myanmar
        | '\u{1780}'..='\u{17ff}'   // Khmer
        | '\u{3040}'..='\u{30ff}'   // Hiragana, Katakana
        | '\u{3400}'..='\u{4dbf}'   // CJK Extension A
        | '\u{4e00}'..='\u{9fff}'   // CJK Unified Ideographs
        | '\u{f900}'..='\u{faff}'   // CJK Compatibility Ideographs
        | '\u{20000}'..='\u{2fa1f}' // CJK Extensions B and later
    )
}

/// Hangul: Korean separates words by spaces, but each syllable block
/// carries as much as a short word of other scripts.
pub fn is_hangul(c: char) -> bool {
    matches!(c, '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}' | '\u{ac00}'..='\u{d7af}')
}

/// Read, and counted, character by character rather than word by word.
fn is_read_by_character(c: char) -> bool {
    is_unspaced(c) || is_hangul(c)
}

/// Words read per minute in scripts read word by word.
pub const WORDS_PER_MINUTE: usize = 230;
/// Characters read per minute in Chinese, Japanese, Korean and the other
/// scripts counted by character.
pub const CHARACTERS_PER_MINUTE: usize = 500;

/// How much there is to read: words, as Unicode word segmentation finds
/// them, and characters of the scripts read by character.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReadingLength {
    pub words: usize,
    pub characters: usize,
}

impl ReadingLength {
    pub fn of(paragraphs: &[String]) -> ReadingLength {
        let mut length = ReadingLength::default();
        for paragraph in paragraphs {
            for word in paragraph.unicode_words() {
                let by_character = word.chars().filter(|&c| is_read_by_character(c)).count();
                if by_character > 0 {
                    length.characters += by_character;
                } else {
                    length.words += 1;
                }
            }
        }
        length
    }

    /// Minutes to read it, at least one.
    pub fn minutes(&self) -> usize {
        let words = self.words as f64 / WORDS_PER_MINUTE as f64;
        let characters = self.characters as f64 / CHARACTERS_PER_MINUTE as f64;
        ((words + characters).ceil() as usize).max(1)
    }

    /// "540 words", or "150 characters" where most of the text is read by
    /// character.
    pub fn label(&self) -> String {
        let plural = |n: usize| if n == 1 { "" } else { "s" };
        if self.characters > self.words {
            let n = self.characters;
            format!("{} character{}", super::grouped(n), plural(n))
        } else {
            let n = self.words;
            format!("{} word{}", super::grouped(n), plural(n))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn length(text: &str) -> ReadingLength {
        ReadingLength::of(&[text.to_owned()])
    }

    #[test]
    fn spaced_scripts_count_words_by_unicode_segmentation() {
        // Punctuation and dashes are not words; an apostrophe stays inside.
        assert_eq!(length("The Kremlin’s talks — and “warmth”.").words, 5);
        assert_eq!(length("Власти Новосибирска объявили о продлении").words, 5);
        assert_eq!(length("दिल्ली सरकार ने सोमवार को घोषणा की").words, 7);
    }

    #[test]
    fn chinese_japanese_and_korean_count_characters() {
        let chinese = length("北京市政府周一宣布，将新开通三条地铁线路。");
        assert_eq!(
            chinese,
            ReadingLength {
                words: 0,
                characters: 19
            }
        );
        assert_eq!(chinese.label(), "19 characters");
        assert_eq!(length("서울시는 노선을 개편한다").characters, 11);
        assert_eq!(length("大阪府は2025年に").characters, 6);
    }

    #[test]
    fn reading_time_adds_words_and_characters() {
        let long = ReadingLength {
            words: 460,
            characters: 0,
        };
        assert_eq!(long.minutes(), 2);
        assert_eq!(
            ReadingLength {
                words: 0,
                characters: 150
            }
            .minutes(),
            1
        );
        assert_eq!(
            ReadingLength {
                words: 0,
                characters: 1001
            }
            .minutes(),
            3
        );
        assert_eq!(ReadingLength::default().minutes(), 1);
        assert_eq!(
            ReadingLength {
                words: 1,
                characters: 0
            }
            .label(),
            "1 word"
        );
    }
}
