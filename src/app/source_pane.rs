//! The sources pane and what narrows to a source: choosing one, stars,
//! catching up and undoing it, and the index rows a source leaves.

use super::{App, Effect, ListState, Pane};
use crate::config::SavedSearch;
use crate::model::{Library, StoryIndex};
use crate::sources::{Catalog, Flags, Root, Sources};
use crate::state::Chosen;

/// What the sources are made from beside the library: the feeds followed
/// (address and title), the folders opened, the saved searches.
#[derive(Debug, Clone, Default)]
pub struct SourceSetup {
    pub feeds: Vec<(String, Option<String>)>,
    pub roots: Vec<Root>,
    pub saved: Vec<SavedSearch>,
}

/// The sources of the library shown, and which one narrows the index.
pub struct SourcePane {
    pub setup: SourceSetup,
    pub catalog: Catalog,
    pub sources: Sources,
    /// The chosen source, in `sources.list`.
    pub chosen: usize,
    pub list: ListState,
    /// Shown on the left: there is more than one way to narrow, or the
    /// user asked for it.
    pub shown: bool,
    /// The chosen source's stories, in index order.
    pub stories: Vec<StoryIndex>,
}

impl SourcePane {
    pub fn new(setup: SourceSetup, library: &Library, flags: &[Flags]) -> SourcePane {
        let catalog = Catalog::new(library, &setup.feeds, &setup.roots);
        let sources = Sources::new(library, &catalog, &setup.saved, flags, |words| {
            crate::search::stories_found(library, words)
        });
        SourcePane {
            shown: sources.narrowing() > 1,
            stories: (0..library.stories.len()).collect(),
            setup,
            catalog,
            sources,
            chosen: 0,
            list: ListState::default(),
        }
    }

    /// The chosen source's name, unless it is All.
    pub fn narrowed_to(&self) -> Option<&str> {
        (self.chosen > 0).then(|| self.sources.list[self.chosen].name.as_str())
    }
}

impl App {
    /// Narrows to the source kept from last time, if it is still there.
    pub(super) fn choose_kept_source(&mut self) {
        let kept = self.marks.saved.source.as_ref().map(|c| c.key.clone());
        if let Some(source) = kept.and_then(|key| self.sources.sources.find(&key)) {
            self.narrow_to(source);
            self.sources.shown = true;
        }
    }

    /// Builds the sources again for a new library, keeping the one chosen.
    pub(super) fn renew_sources(&mut self) {
        let key = self.sources.sources.list[self.sources.chosen].key.clone();
        let (list, shown) = (self.sources.list, self.sources.shown);
        let setup = std::mem::take(&mut self.sources.setup);
        self.sources = SourcePane::new(setup, &self.library, self.marks.flags());
        self.sources.list = list;
        self.sources.shown = shown || self.sources.shown;
        let chosen = self.sources.sources.find(&key).unwrap_or(0);
        self.sources.chosen = chosen;
        self.sources.stories =
            self.sources
                .sources
                .stories(&self.sources.catalog, chosen, self.marks.flags());
        self.group_events();
    }

    /// Narrows the index, `]` and `[` to a source's stories.
    fn narrow_to(&mut self, source: usize) {
        let pane = &mut self.sources;
        pane.chosen = source;
        pane.list.selected = source;
        pane.stories = pane
            .sources
            .stories(&pane.catalog, source, &self.marks.flags);
        self.group_events();
        self.refill_index();
        self.index.list = ListState::default();
        self.keep_visible(Pane::Index);
    }

    /// The index rows: the source's stories, only the unread ones (and the
    /// open one) while the unread filter is on.
    pub(super) fn refill_index(&mut self) {
        let selected = self.index.rows.get(self.index.list.selected).copied();
        let open = self.open.map(|open| self.row_of(open));
        self.index.rows = self
            .sources
            .stories
            .iter()
            .copied()
            .filter(|&s| self.shows_row(s))
            .filter(|&s| !self.unread_only || self.row_unread(s) || Some(s) == open)
            .collect();
        self.index.list.selected = selected
            .map(|s| self.row_of(s))
            .and_then(|s| self.index.rows.iter().position(|&r| r == s))
            .unwrap_or(0);
        self.keep_visible(Pane::Index);
    }

    /// S: shows the sources and focuses them; again, hides them.
    pub(super) fn show_sources(&mut self) {
        if self.focus == Pane::Sources {
            self.sources.shown = false;
            self.focus = Pane::Story;
        } else {
            self.sources.shown = true;
            self.focus = Pane::Sources;
            self.sources.list.selected = self.sources.chosen;
        }
        self.resize(self.area.width, self.area.height);
    }

    /// Enter on a source: the index narrows to it, and takes the focus.
    pub(super) fn choose_source(&mut self) {
        let source = self.sources.list.selected;
        let Some(chosen) = self.sources.sources.list.get(source) else {
            return;
        };
        if let Some(problem) = &chosen.problem {
            self.message = Some(format!("saved search “{}”: {problem}", chosen.name));
            return;
        }
        let key = chosen.key.clone();
        self.narrow_to(source);
        self.focus = Pane::Index;
        self.resize(self.area.width, self.area.height);
        self.keep_view(key);
    }

    /// Keeps the source shown (by its key) and whether its index is
    /// folded, for the next start.
    pub(super) fn keep_view(&mut self, key: String) {
        let chosen = Chosen {
            key,
            at: crate::dates::now_millis(),
            unfolded: !self.fold.on,
        };
        self.marks.saved.source = Some(chosen.clone());
        self.effects.push(Effect::ChooseSource(chosen));
    }

    /// s: stars or unstars the selected or open story.
    pub(super) fn toggle_star(&mut self) {
        match self.target_story() {
            Some(story) => {
                let starred = !self.is_starred(story);
                self.set_starred(story, starred);
                self.message = Some(if starred { "starred" } else { "unstarred" }.into());
            }
            None => self.message = Some("no story to star".into()),
        }
    }

    /// A: every unread story of the source (or of the search results on
    /// screen) marked read at once; z undoes it until the next action.
    pub(super) fn catch_up(&mut self) {
        let (stories, what): (Vec<StoryIndex>, &str) = match self.prompt.take() {
            Some(prompt) => {
                let found = prompt.results.hits.iter().filter_map(|h| h.story).collect();
                self.prompt = Some(prompt);
                self.cancel_prompt();
                (found, "search results")
            }
            None => (self.sources.stories.clone(), "stories"),
        };
        let unread: Vec<StoryIndex> = stories.into_iter().filter(|&s| !self.is_read(s)).collect();
        // Folded, the index counts events: so does the message.
        let events: rustc_hash::FxHashSet<StoryIndex> =
            unread.iter().map(|&s| self.row_of(s)).collect();
        let (counted, what) = match (self.shows_events(), what) {
            (true, "stories") => (events.len(), "events"),
            _ => (unread.len(), what),
        };
        if unread.is_empty() {
            self.message = Some(format!("no unread {what} to mark read"));
            return;
        }
        for &story in &unread {
            self.set_read(story, true);
        }
        if self.unread_only {
            self.refill_index();
        }
        let undo = self
            .keymap
            .keys_for(super::Action::Undo)
            .first()
            .map_or_else(String::new, |key| format!("; {key} undoes it"));
        let count = crate::text::grouped(counted);
        let noun = match (counted, what) {
            (1, "stories") => "story",
            (1, "events") => "event",
            (1, _) => "search result",
            _ => what,
        };
        self.message = Some(format!("marked {count} {noun} read{undo}"));
        self.undo = Some(unread);
    }

    /// z: the catch-up just done, undone.
    pub(super) fn undo(&mut self, undo: Option<Vec<StoryIndex>>) {
        let Some(stories) = undo else {
            self.message = Some("nothing to undo".into());
            return;
        };
        for &story in &stories {
            self.set_read(story, false);
        }
        if self.unread_only {
            self.refill_index();
        }
        let count = crate::text::grouped(stories.len());
        self.message = Some(format!("{count} marked unread again"));
    }

    /// ] and [: the next (or previous) unread story of the source after
    /// the open one, wrapping around.
    pub(super) fn open_unread(&mut self, forward: bool) {
        let stories = &self.sources.stories;
        let count = stories.len();
        let at = self
            .open
            .and_then(|open| stories.iter().position(|&s| s == open));
        let found = (1..=count)
            .map(|step| match (at, forward) {
                (Some(at), true) => (at + step) % count,
                (Some(at), false) => (at + count - step % count) % count,
                (None, true) => step - 1,
                (None, false) => count - step,
            })
            .map(|row| stories[row])
            .find(|&s| Some(s) != self.open && !self.is_read(s));
        match found {
            Some(story) => self.open_story(story),
            None => self.message = Some("no other unread story".into()),
        }
    }

    /// Takes the undo of the last catch-up, which only the next action
    /// may use.
    pub(super) fn take_undo(&mut self) -> Option<Vec<StoryIndex>> {
        self.undo.take()
    }
}
