//! Where each story's text is, in eight bytes a story for nearly all of a
//! stored library's.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use super::{FileText, StoryIndex, Text};

/// By story: the full-text row of each story that is the first of the
/// file its path shows (nearly every story of a stored library), and
/// beside them the few that are otherwise (text in memory, a file's later
/// stories, a file shown by another path). A million [`Text`]s would take
/// 40 MB more.
#[derive(Debug, Default)]
pub struct Texts {
    /// By story; unused for those in `other`.
    rows: Vec<i64>,
    other: FxHashMap<u32, Text>,
}

impl Texts {
    /// `rows` by story, but where `other` says otherwise.
    pub fn from_parts(rows: Vec<i64>, other: FxHashMap<u32, Text>) -> Texts {
        Texts { rows, other }
    }

    pub fn get(&self, story: StoryIndex) -> Option<Cow<'_, Text>> {
        let &row = self.rows.get(story)?;
        Some(match self.other.get(&(story as u32)) {
            Some(text) => Cow::Borrowed(text),
            None => Cow::Owned(Text::File(FileText {
                path: None,
                article: 0,
                row,
            })),
        })
    }

    /// Whether any story's text is in memory.
    pub fn any_in_memory(&self) -> bool {
        self.other.values().any(|t| matches!(t, Text::Memory(..)))
    }

    /// The row of `text`, if that is all there is to know of it.
    pub fn row_alone(text: &Text) -> Option<i64> {
        match text {
            Text::File(FileText {
                path: None,
                article: 0,
                row,
            }) => Some(*row),
            _ => None,
        }
    }
}

impl Extend<Text> for Texts {
    fn extend<I: IntoIterator<Item = Text>>(&mut self, texts: I) {
        for text in texts {
            let row = Texts::row_alone(&text).unwrap_or_else(|| {
                self.other.insert(self.rows.len() as u32, text);
                0
            });
            self.rows.push(row);
        }
    }
}
