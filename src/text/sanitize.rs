//! The one gate every text from a file passes before anything can draw it
//! (README, "Bad files"). Escape sequences are removed whole, so no fragment of
//! a sequence can reach the terminal; other controls and characters that
//! reorder or hide text are dropped; tabs become spaces.

use std::borrow::Cow;

const ESC: char = '\u{1b}';
const BEL: char = '\u{07}';
/// 8-bit String Terminator.
const ST: char = '\u{9c}';

/// Returns `text` with every escape sequence, control character and
/// invisible reordering character removed. Borrows when nothing changes,
/// which is the common case and keeps loading fast.
pub fn sanitize(text: &str) -> Cow<'_, str> {
    if !needs_sanitizing(text) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\t' => out.push(' '),
            ESC => match chars.next() {
                Some('[') => skip_csi(&mut chars),
                Some(']') => skip_string(&mut chars, true),
                Some('P' | 'X' | '^' | '_') => skip_string(&mut chars, false),
                // nF escape: intermediates (0x20..=0x2F) then one final byte.
                Some(' '..='/') => {
                    while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
                    chars.next();
                }
                // Fp, Fe and Fs escapes are two characters long; a lone ESC
                // at the end of the text simply disappears.
                Some(_) | None => {}
            },
            '\u{9b}' => skip_csi(&mut chars),
            '\u{9d}' => skip_string(&mut chars, true),
            '\u{90}' | '\u{98}' | '\u{9e}' | '\u{9f}' => skip_string(&mut chars, false),
            c if is_removed(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// CSI: parameter bytes 0x30..=0x3F, intermediate bytes 0x20..=0x2F, then a
/// final byte 0x40..=0x7E. A malformed sequence ends at the first character
/// that fits none of these, and that character is kept.
fn skip_csi(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) {
    while chars.next_if(|c| matches!(c, '0'..='?')).is_some() {}
    while chars.next_if(|c| matches!(c, ' '..='/')).is_some() {}
    chars.next_if(|c| matches!(c, '@'..='~'));
}

/// OSC, DCS, SOS, PM and APC carry a string up to ST (ESC \ or 0x9C); OSC
/// may also end with BEL. An unterminated string runs to the end of the
/// text, all of it removed.
fn skip_string(chars: &mut std::iter::Peekable<std::str::Chars<'_>>, bel_ends: bool) {
    while let Some(c) = chars.next() {
        match c {
            ST => return,
            BEL if bel_ends => return,
            ESC if chars.peek() == Some(&'\\') => {
                chars.next();
                return;
            }
            _ => {}
        }
    }
}

/// Controls other than the escape introducers, and the characters that
/// reorder or hide text.
fn is_removed(c: char) -> bool {
    c.is_control()
        || matches!(c,
            '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{200b}'..='\u{200f}' | '\u{feff}')
}

/// A quick byte scan: plain printable text, the bulk of any corpus, needs no
/// copy. Bytes that can start something to remove: C0 controls, DEL, the
/// lead byte of C1 controls (0xC2), and the lead bytes of the removed
/// invisible characters (0xE2 for U+200B..U+2069, 0xEF for U+FEFF).
fn needs_sanitizing(text: &str) -> bool {
    text.bytes()
        .any(|b| b < 0x20 || b == 0x7f || b == 0xc2 || b == 0xe2 || b == 0xef)
        && text.chars().any(|c| c == '\t' || is_removed(c))
}

/// One line of text from the network, made safe for the terminal, with
/// the spaces that stood around what was removed run together.
pub fn clean_line(text: &str) -> String {
    let safe = sanitize(text);
    // Most lines are clean already: single ASCII spaces between words.
    let bytes = safe.as_bytes();
    let spaced_once = !bytes.windows(2).any(|pair| pair == b"  ");
    let no_other_space = !bytes.iter().any(|&b| b.is_ascii_whitespace() && b != b' ')
        && (safe.is_ascii() || !safe.chars().any(|c| c.is_whitespace() && c != ' '));
    if spaced_once && no_other_space && !safe.starts_with(' ') && !safe.ends_with(' ') {
        return safe.into_owned();
    }
    let mut line = String::with_capacity(safe.len());
    for word in safe.split_whitespace() {
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    line
}

#[cfg(test)]
mod tests {
    use super::sanitize;

    #[test]
    fn plain_text_is_borrowed() {
        assert!(matches!(
            sanitize("Plain “quoted” text – fine"),
            std::borrow::Cow::Borrowed(_)
        ));
    }

    #[test]
    fn osc_title_with_bel_and_st_is_removed_whole() {
        assert_eq!(sanitize("a\u{1b}]0;pwned\u{7}b"), "ab");
        assert_eq!(sanitize("a\u{1b}]2;pwned\u{1b}\\b"), "ab");
        assert_eq!(sanitize("a\u{9d}0;pwned\u{9c}b"), "ab");
    }

    #[test]
    fn osc52_clipboard_write_is_removed() {
        assert_eq!(sanitize("copy\u{1b}]52;c;ZXZpbA==\u{7} me"), "copy me");
    }

    #[test]
    fn csi_and_8bit_csi_are_removed() {
        assert_eq!(sanitize("\u{1b}[2J\u{1b}[1;31mred\u{1b}[0m"), "red");
        assert_eq!(sanitize("\u{9b}2Jclear"), "clear");
        assert_eq!(sanitize("\u{1b}[?1049hx"), "x");
    }

    #[test]
    fn dcs_sos_pm_apc_are_removed_up_to_st() {
        for intro in ['P', 'X', '^', '_'] {
            assert_eq!(
                sanitize(&format!("a\u{1b}{intro}payload\u{7}still\u{1b}\\b")),
                "ab"
            );
        }
        assert_eq!(sanitize("a\u{90}payload\u{9c}b"), "ab");
    }

    #[test]
    fn unterminated_string_runs_to_the_end() {
        assert_eq!(sanitize("kept\u{1b}]0;never ends"), "kept");
    }

    #[test]
    fn two_character_escapes_are_removed() {
        assert_eq!(sanitize("a\u{1b}cb"), "ab");
        assert_eq!(sanitize("a\u{1b}(Bb"), "ab");
        assert_eq!(sanitize("trailing\u{1b}"), "trailing");
    }

    #[test]
    fn controls_del_and_invisibles_are_removed_tab_becomes_space() {
        assert_eq!(sanitize("a\u{7}b\u{8}c\u{7f}d\u{85}e"), "abcde");
        assert_eq!(sanitize("col\tumn"), "col umn");
        assert_eq!(sanitize("\u{202e}evil\u{202c} \u{2066}x\u{2069}"), "evil x");
        assert_eq!(sanitize("zero\u{200b}width\u{feff}"), "zerowidth");
    }

    #[test]
    fn visible_non_ascii_text_survives() {
        let text = "Café – 東京 “quoted” 👍🏽 ’s";
        assert_eq!(sanitize(text), text);
    }
}
