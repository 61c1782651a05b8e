//! A story laid out for one width: which part of which paragraph each
//! screen line shows. Built once per story and width, so drawing a frame
//! touches only the lines on screen, however long the story.

use textwrap::core::Word;
use textwrap::{WordSeparator, wrap_algorithms};
use unicode_segmentation::UnicodeSegmentation;
use unicode_width::UnicodeWidthStr;

use crate::model::Anchor;

/// One screen line of the body: a byte range of a paragraph, or the blank
/// line before a paragraph. Lines are in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualLine {
    pub paragraph: u32,
    pub start: u32,
    pub end: u32,
    pub gap: bool,
}

/// Measures `word` as the terminal will draw it (grapheme by grapheme) and,
/// if it is wider than a line, cuts it between graphemes: a letter keeps
/// its accents and an emoji its modifier. (textwrap's own splitting cuts
/// between characters.)
fn split_to_fit<'a>(word: Word<'a>, width: usize, out: &mut Vec<Word<'a>>) {
    let text = word.word;
    let measured = if text.is_ascii() {
        text.len()
    } else {
        text.graphemes(true).map(|g| g.width()).sum()
    };
    if measured <= width {
        out.push(Word {
            width: measured,
            ..word
        });
        return;
    }
    let (mut start, mut used) = (0, 0);
    for (at, grapheme) in text.grapheme_indices(true) {
        let w = grapheme.width();
        if used > 0 && used + w > width {
            out.push(Word {
                word: &text[start..at],
                width: used,
                whitespace: "",
                penalty: "",
            });
            (start, used) = (at, 0);
        }
        used += w;
    }
    out.push(Word {
        word: &text[start..],
        width: used,
        ..word
    });
}

#[derive(Debug, Clone, Default)]
pub struct StoryView {
    pub width: u16,
    pub lines: Vec<VisualLine>,
}

impl StoryView {
    pub fn new(paragraphs: &[String], width: u16) -> StoryView {
        let width = usize::from(width.max(1));
        let mut lines = Vec::new();
        let mut words = Vec::new();
        for (index, paragraph) in paragraphs.iter().enumerate() {
            if index > 0 {
                lines.push(VisualLine {
                    paragraph: index as u32,
                    start: 0,
                    end: 0,
                    gap: true,
                });
            }
            words.clear();
            for word in WordSeparator::UnicodeBreakProperties.find_words(paragraph) {
                split_to_fit(word, width, &mut words);
            }
            for line in wrap_algorithms::wrap_first_fit(&words, &[width as f64]) {
                let (Some(first), Some(last)) = (line.first(), line.last()) else {
                    continue;
                };
                // Every word borrows from the paragraph, so its place is
                // where its bytes start.
                let offset = |s: &str| {
                    (s.as_ptr() as usize)
                        .saturating_sub(paragraph.as_ptr() as usize)
                        .min(paragraph.len())
                };
                let start = offset(first.word);
                let end = (offset(last.word) + last.word.len()).min(paragraph.len());
                lines.push(VisualLine {
                    paragraph: index as u32,
                    start: start as u32,
                    end: end as u32,
                    gap: false,
                });
            }
        }
        StoryView {
            width: width as u16,
            lines,
        }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text of screen line `line` of `paragraphs` (those it was laid
    /// out for).
    #[cfg(test)]
    pub fn text<'a>(&self, paragraphs: &'a [String], line: usize) -> &'a str {
        match self.lines.get(line) {
            Some(l) if !l.gap => paragraphs
                .get(l.paragraph as usize)
                .and_then(|p| p.get(l.start as usize..l.end as usize))
                .unwrap_or(""),
            _ => "",
        }
    }

    /// Where line `line` starts in the text (a gap: where the paragraph
    /// after it starts).
    pub fn anchor(&self, line: usize) -> Anchor {
        self.lines.get(line).map_or(Anchor::default(), |l| Anchor {
            paragraph: l.paragraph,
            offset: l.start,
        })
    }

    /// The screen line showing `anchor`.
    pub fn line_of(&self, anchor: Anchor) -> usize {
        let key = |l: &VisualLine| (l.paragraph, l.start, !l.gap);
        let after = self
            .lines
            .partition_point(|l| key(l) <= (anchor.paragraph, anchor.offset, true));
        after.saturating_sub(1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paragraphs(texts: &[&str]) -> Vec<String> {
        texts.iter().map(|t| t.to_string()).collect()
    }

    #[test]
    fn wraps_paragraphs_with_gaps_and_keeps_byte_ranges() {
        let s = paragraphs(&["one two three four", "five six"]);
        let view = StoryView::new(&s, 9);
        let texts: Vec<&str> = (0..view.len()).map(|i| view.text(&s, i)).collect();
        assert_eq!(texts, ["one two", "three", "four", "", "five six"]);
    }

    #[test]
    fn cjk_breaks_between_ideographs_by_width() {
        let s = paragraphs(&["東京都の天気は晴れです"]);
        let view = StoryView::new(&s, 6);
        for i in 0..view.len() {
            assert!(unicode_width::UnicodeWidthStr::width(view.text(&s, i).trim_end()) <= 6);
        }
        assert!(view.len() >= 4);
    }

    #[test]
    fn long_words_break_between_graphemes_and_fit() {
        // No spaces: a letter with combining accents, an emoji with a
        // skin-tone modifier, repeated past several lines.
        let text = "e\u{301}\u{302}👍🏽".repeat(40);
        let s = paragraphs(&[&text]);
        for width in 1..12u16 {
            let view = StoryView::new(&s, width);
            let mut rebuilt = String::new();
            for i in 0..view.len() {
                let line = view.text(&s, i);
                assert!(
                    line.graphemes(true)
                        .all(|g| g == "e\u{301}\u{302}" || g == "👍🏽"),
                    "{line:?} at {width}"
                );
                assert!(
                    line.width() <= usize::from(width).max(2),
                    "{line:?} is wider than {width}"
                );
                rebuilt.push_str(line);
            }
            assert_eq!(rebuilt, text, "nothing lost or doubled at width {width}");
        }
    }

    #[test]
    fn anchors_survive_rewrapping() {
        let s = paragraphs(&[
            "alpha beta gamma delta epsilon zeta eta theta",
            "iota kappa lambda mu",
        ]);
        let narrow = StoryView::new(&s, 6);
        let line = (0..narrow.len())
            .find(|&i| narrow.text(&s, i).starts_with("kappa"))
            .unwrap();
        let anchor = narrow.anchor(line);
        let wide = StoryView::new(&s, 30);
        let again = wide.line_of(anchor);
        assert!(
            wide.text(&s, again).contains("kappa"),
            "{}",
            wide.text(&s, again)
        );
        assert_eq!(wide.line_of(Anchor::default()), 0);
    }
}
