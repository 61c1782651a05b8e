//! A story laid out for one width: which part of which paragraph each
//! screen line shows. Built once per story and width, so drawing a frame
//! touches only the lines on screen, however long the story.

use std::ops::Range;

use textwrap::{Options, WordSeparator, WrapAlgorithm};

use crate::model::Story;

/// One screen line of the body: a byte range of a paragraph, or the blank
/// line before a paragraph. Lines are in text order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VisualLine {
    pub paragraph: u32,
    pub start: u32,
    pub end: u32,
    pub gap: bool,
}

impl VisualLine {
    pub fn range(&self) -> Range<usize> {
        self.start as usize..self.end as usize
    }
}

/// A place in the text that survives re-wrapping: paragraph and byte offset.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Anchor {
    pub paragraph: u32,
    pub offset: u32,
}

#[derive(Debug, Clone, Default)]
pub struct StoryView {
    pub width: u16,
    pub lines: Vec<VisualLine>,
}

impl StoryView {
    pub fn new(story: &Story, width: u16) -> StoryView {
        let width = width.max(1);
        let options = Options::new(usize::from(width))
            .wrap_algorithm(WrapAlgorithm::FirstFit)
            .word_separator(WordSeparator::UnicodeBreakProperties)
            .break_words(true);
        let mut lines = Vec::new();
        for (index, paragraph) in story.paragraphs.iter().enumerate() {
            if index > 0 {
                lines.push(VisualLine {
                    paragraph: index as u32,
                    start: 0,
                    end: 0,
                    gap: true,
                });
            }
            for line in textwrap::wrap(paragraph, &options) {
                // Without indents or hyphens every line borrows from the
                // paragraph, so its place is where its bytes start.
                let start = (line.as_ptr() as usize).saturating_sub(paragraph.as_ptr() as usize);
                let start = start.min(paragraph.len());
                let end = (start + line.len()).min(paragraph.len());
                lines.push(VisualLine {
                    paragraph: index as u32,
                    start: start as u32,
                    end: end as u32,
                    gap: false,
                });
            }
        }
        StoryView { width, lines }
    }

    pub fn len(&self) -> usize {
        self.lines.len()
    }

    pub fn is_empty(&self) -> bool {
        self.lines.is_empty()
    }

    /// The text of screen line `line`.
    pub fn text<'a>(&self, story: &'a Story, line: usize) -> &'a str {
        match self.lines.get(line) {
            Some(l) if !l.gap => story
                .paragraphs
                .get(l.paragraph as usize)
                .and_then(|p| p.get(l.range()))
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
    use crate::model::{Story, TitleSource};

    fn story(paragraphs: &[&str]) -> Story {
        Story {
            id: "x".into(),
            title: "T".into(),
            title_source: TitleSource::Explicit,
            paragraphs: paragraphs.iter().map(|p| p.to_string()).collect(),
            related: Vec::new(),
            path: "p".into(),
            meta: Default::default(),
            headline: None,
        }
    }

    #[test]
    fn wraps_paragraphs_with_gaps_and_keeps_byte_ranges() {
        let s = story(&["one two three four", "five six"]);
        let view = StoryView::new(&s, 9);
        let texts: Vec<&str> = (0..view.len()).map(|i| view.text(&s, i)).collect();
        assert_eq!(texts, ["one two", "three", "four", "", "five six"]);
    }

    #[test]
    fn cjk_breaks_between_ideographs_by_width() {
        let s = story(&["東京都の天気は晴れです"]);
        let view = StoryView::new(&s, 6);
        for i in 0..view.len() {
            assert!(unicode_width::UnicodeWidthStr::width(view.text(&s, i).trim_end()) <= 6);
        }
        assert!(view.len() >= 4);
    }

    #[test]
    fn anchors_survive_rewrapping() {
        let s = story(&[
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
