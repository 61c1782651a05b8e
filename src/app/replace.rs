//! Putting a new library in place of the one shown: the same stories,
//! built again from the files as they are now (or with new stories), while
//! the reader keeps its place. Story and headline numbers change between
//! libraries; what the reader holds is carried over by story id and
//! headline text.

use std::sync::Arc;

use compact_str::CompactString;
use rustc_hash::FxHashMap;

use super::{App, Pane, Visit};
use crate::model::{Anchor, Library, StoryIndex};
use crate::search::Results;

/// Where the reader is, by story id and headline text, which survive a
/// new library.
struct Place {
    open: Option<CompactString>,
    anchor: Anchor,
    selected: Option<CompactString>,
    related: Option<arcstr::Substr>,
    history: Vec<(CompactString, Visit)>,
}

impl App {
    /// Shows `library` instead: the open story stays open where it is being
    /// read, the index keeps its selection, Back its stories, and a search
    /// being typed is run again over the new stories. Says so in the status
    /// line.
    pub fn replace_library(&mut self, library: Library) {
        let place = self.place();
        let added = library
            .stories
            .len()
            .saturating_sub(self.library.stories.len());
        self.library = Arc::new(library);
        self.marks = super::Marks::new(std::mem::take(&mut self.marks.saved), &self.library);
        self.fold.count(&self.library, self.marks.flags());
        self.renew_sources();
        self.put_back(place);
        self.search_again();
        self.message = Some(match added {
            0 => "stories updated from their files".to_owned(),
            1 => "1 new story".to_owned(),
            n => format!("{} new stories", crate::text::grouped(n)),
        });
    }

    fn place(&self) -> Place {
        let old = &self.library;
        let id = |story: StoryIndex| old.stories.get(story).map(|s| s.id.clone());
        Place {
            open: self.open.and_then(id),
            anchor: self.page.view.anchor(self.page.scroll),
            selected: self
                .index
                .rows
                .get(self.index.list.selected)
                .copied()
                .and_then(id),
            related: self
                .related
                .rows
                .get(self.related.list.selected)
                .and_then(|&h| old.headlines.get(h))
                .map(|h| h.text.clone()),
            history: self
                .history
                .iter()
                .filter_map(|visit| Some((id(visit.story)?, *visit)))
                .collect(),
        }
    }

    /// The reader at `place` in the library now shown, as near as its
    /// stories allow: else on the first unread story.
    fn put_back(&mut self, place: Place) {
        let by_id: FxHashMap<CompactString, StoryIndex> = self
            .library
            .stories
            .iter()
            .enumerate()
            .map(|(index, story)| (story.id.clone(), index))
            .collect();
        let find = |id: &CompactString| by_id.get(id).copied();
        self.history = place
            .history
            .into_iter()
            .filter_map(|(id, visit)| {
                Some(Visit {
                    story: find(&id)?,
                    ..visit
                })
            })
            .collect();
        let open = place.open.as_ref().and_then(find);
        self.open = open;
        self.refill_index();

        match open.or_else(|| (0..self.library.stories.len()).find(|&s| !self.is_read(s))) {
            Some(story) => {
                self.show_story(story);
                if Some(story) == open {
                    let line = self.page.view.line_of(place.anchor);
                    self.page.scroll = line.min(self.max_scroll());
                }
            }
            None => {
                self.open = None;
                self.page.text.clear();
                self.page.view = Default::default();
                self.related.rows.clear();
            }
        }
        if let Some(row) = place
            .selected
            .as_ref()
            .and_then(find)
            .and_then(|s| self.index.rows.iter().position(|&r| r == s))
        {
            self.index.list.selected = row;
        }
        if let Some(row) = place.related.and_then(|text| {
            self.related
                .rows
                .iter()
                .position(|&h| self.library.headlines[h].text == text)
        }) {
            self.related.list.selected = row;
        }
        self.keep_visible(Pane::Index);
        self.keep_visible(Pane::Related);
    }

    /// The search worker holds the old library: a new one starts, and a
    /// query being typed runs again.
    fn search_again(&mut self) {
        self.work.searcher = None;
        if let Some(prompt) = &mut self.prompt {
            prompt.results = Results::default();
            prompt.list = Default::default();
        }
        if let Some(query) = self.prompt.as_ref().map(|p| p.query.clone())
            && !query.trim().is_empty()
        {
            self.start_searcher();
            self.submit_query(&query);
        }
    }
}
