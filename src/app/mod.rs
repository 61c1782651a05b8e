//! The reader's state and how input changes it. Views only read it.

mod effect;
mod feed_updates;
mod fold;
mod input;
pub mod layout;
mod page_fetch;
mod replace;
mod search_prompt;
mod source_pane;
pub mod story_view;

use std::sync::Arc;

use compact_str::CompactString;
use ratatui::layout::Rect;
use rustc_hash::FxHashMap;

pub use effect::Effect;
pub use feed_updates::{FeedsNews, FeedsWork};
pub use layout::{Areas, StoryAreas};
pub use page_fetch::{PageNews, PageRequest, PageWork};
pub use source_pane::{SourcePane, SourceSetup};
pub use story_view::StoryView;

use crate::action::Action;
use crate::config::{KeyMap, ReaderSettings, Theme};
use crate::index::{Background, Done};
use crate::load::ProgressReport;
use crate::model::{Anchor, HeadlineIndex, Library, StoryIndex, StoryTexts};
use crate::search::{Results, Searcher, Terms, TextMatch};
use crate::sources::Flags;
use crate::state::{Mark, ReadState, SaveStatus};
use crate::text::script::ReadingLength;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Sources,
    Story,
    Related,
    Index,
}

/// A scrollable list's selected row and first visible row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ListState {
    pub selected: usize,
    pub offset: usize,
}

/// A story opened before, with where it was being read: the exact line
/// while the width is unchanged, else the place in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Visit {
    pub story: StoryIndex,
    pub anchor: Anchor,
    pub scroll: usize,
    pub width: u16,
}

/// Something drawn over the panes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Overlay {
    Help { scroll: usize },
    Problems { scroll: usize },
}

/// The search prompt while it is open, and what it replaced.
pub struct SearchPrompt {
    pub query: String,
    /// The newest results that have arrived.
    pub results: Results,
    /// A query is out and its results have not arrived yet.
    pub waiting: bool,
    pub list: ListState,
    /// Focus and index position to put back when the search is cancelled.
    saved_focus: Pane,
    saved_index: ListState,
}

/// The last search opened from, whose words stay highlighted.
pub struct LastSearch {
    pub query: String,
    pub terms: Terms,
}

pub struct App {
    /// Shared with the search worker.
    pub library: Arc<Library>,
    pub settings: ReaderSettings,
    pub keymap: KeyMap,
    pub theme: Theme,
    pub marks: Marks,
    /// The terminal's size.
    pub area: Rect,
    /// Where the panes are, for `area` and `focus`; kept by `relayout`.
    areas: Areas,
    story_areas: StoryAreas,
    pub focus: Pane,
    pub open: Option<StoryIndex>,
    pub page: Page,
    /// The open story's related headlines; only those of unread stories
    /// while the unread filter is on.
    pub related: Rows<HeadlineIndex>,
    /// The chosen source's stories in index order (only the unread ones
    /// while the filter is on).
    pub index: Rows<StoryIndex>,
    /// The sources, their counts and which one is chosen.
    pub sources: SourcePane,
    /// The index folded by event.
    pub fold: fold::Fold,
    pub unread_only: bool,
    pub history: Vec<Visit>,
    pub overlay: Option<Overlay>,
    /// A message for the status line, until the next key.
    pub message: Option<String>,
    pub prompt: Option<SearchPrompt>,
    pub last_search: Option<LastSearch>,
    /// What the last catch-up marked read, while `z` can still undo it.
    undo: Option<Vec<StoryIndex>>,
    /// When the last update of the feeds ended, as shown ("10:42").
    pub last_update: Option<String>,
    /// When the next automatic update is due, and how often they come.
    next_update: Option<std::time::Instant>,
    update_every: Option<std::time::Duration>,
    work: Work,
    /// What the last input asked of the world outside, in order.
    effects: Vec<Effect>,
}

/// Read marks and stars by story id, as saved; and the same by story
/// index, with the unread count, so that drawing a list row or the status
/// line never hashes an id.
pub struct Marks {
    pub saved: ReadState,
    flags: Vec<Flags>,
    unread: usize,
}

impl Marks {
    fn new(saved: ReadState, library: &Library) -> Marks {
        let flags: Vec<Flags> = library.stories.iter().map(|s| saved.flags(&s.id)).collect();
        let unread = flags.iter().filter(|f| !f.read).count();
        Marks {
            saved,
            flags,
            unread,
        }
    }

    /// Every story's marks, by story index.
    pub fn flags(&self) -> &[Flags] {
        &self.flags
    }
}

/// The open story as it is read.
#[derive(Default)]
pub struct Page {
    /// Its paragraphs (read from its file when the library keeps text on
    /// disk).
    pub text: Vec<String>,
    /// Laid out for the body's width.
    pub view: StoryView,
    /// How much there is to read, counted once when it opens.
    pub length: ReadingLength,
    /// First body line on screen.
    pub scroll: usize,
    /// Where the last search's words stand in it: paragraph and byte
    /// range, in text order.
    pub matches: Vec<TextMatch>,
    pub current_match: Option<usize>,
    /// Whose text `text` is: the story's own, or its web page's.
    pub kind: TextKind,
    /// The other text, when the story has both (`F` turns to it).
    pub other: Option<Vec<String>>,
}

/// Whose text the story pane shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextKind {
    /// The story's own: its file's, or its feed's.
    #[default]
    Own,
    /// Its web page's, fetched by `F` or by a `full_text` feed.
    Page,
}

/// A list pane's rows and its selection.
pub struct Rows<T> {
    pub rows: Vec<T>,
    pub list: ListState,
}

impl<T> Rows<T> {
    fn new(rows: Vec<T>) -> Rows<T> {
        Rows {
            rows,
            list: ListState::default(),
        }
    }
}

/// Work going on in the background.
#[derive(Default)]
struct Work {
    searcher: Option<Searcher>,
    /// The index being built, and how far it was when last drawn.
    indexing: Option<(Background, Option<ProgressReport>)>,
    /// The feeds being updated, and how many were done when last drawn.
    feeds: Option<(FeedsWork, usize)>,
    /// A story's web page being fetched (`F`).
    page: Option<PageWork>,
}

/// How many visits Backspace can go back through.
const HISTORY_LIMIT: usize = 1000;

impl App {
    /// The reader on a library, its sources made of its tags and nothing
    /// more (see [`App::with_sources`]).
    pub fn new(
        library: Library,
        read: ReadState,
        settings: ReaderSettings,
        keymap: KeyMap,
        theme: Theme,
        area: Rect,
    ) -> App {
        let setup = SourceSetup::default();
        App::with_sources(library, read, settings, keymap, theme, area, setup)
    }

    /// The reader on a library with its sources (feeds, folders, saved
    /// searches), narrowed to the source kept from last time if it is
    /// still there, on the first unread story of the index.
    pub fn with_sources(
        library: Library,
        read: ReadState,
        settings: ReaderSettings,
        keymap: KeyMap,
        theme: Theme,
        area: Rect,
        setup: SourceSetup,
    ) -> App {
        let index_rows = (0..library.stories.len()).collect();
        let read_unfolded = read.source.as_ref().is_some_and(|c| c.unfolded);
        let marks = Marks::new(read, &library);
        let sources = SourcePane::new(setup, &library, marks.flags());
        let mut app = App {
            library: Arc::new(library),
            settings,
            keymap,
            theme,
            marks,
            sources,
            fold: fold::Fold::new(!read_unfolded),
            area,
            areas: Areas::default(),
            story_areas: StoryAreas::default(),
            focus: Pane::Story,
            open: None,
            page: Page::default(),
            related: Rows::new(Vec::new()),
            index: Rows::new(index_rows),
            unread_only: false,
            history: Vec::new(),
            overlay: None,
            message: None,
            prompt: None,
            last_search: None,
            undo: None,
            last_update: None,
            next_update: None,
            update_every: None,
            work: Work::default(),
            effects: Vec::new(),
        };
        app.fold.count(&app.library, app.marks.flags());
        app.group_events();
        app.choose_kept_source();
        app.refill_index();
        app.relayout();
        let rows = &app.index.rows;
        let first_unread = rows.iter().copied().find(|&s| app.row_unread(s));
        if let Some(start) = first_unread.or(rows.first().copied()) {
            app.show_story(app.row_opens(start));
        }
        app
    }

    pub fn areas(&self) -> Areas {
        self.areas
    }

    pub fn story_areas(&self) -> StoryAreas {
        self.story_areas
    }

    /// Recomputes where the panes go, after a resize or a focus change.
    fn relayout(&mut self) {
        let sources = self.sources.shown || self.focus == Pane::Sources;
        self.areas = Areas::new(self.area, self.focus, &self.settings, sources);
        self.story_areas = StoryAreas::new(self.areas.story, self.settings.text_width);
    }

    pub fn is_read(&self, story: StoryIndex) -> bool {
        self.marks.flags.get(story).is_some_and(|f| f.read)
    }

    pub fn is_starred(&self, story: StoryIndex) -> bool {
        self.marks.flags.get(story).is_some_and(|f| f.starred)
    }

    pub fn unread_count(&self) -> usize {
        self.marks.unread
    }

    /// Body lines that fit on screen.
    pub fn body_height(&self) -> usize {
        usize::from(self.story_areas().body.height)
    }

    pub fn max_scroll(&self) -> usize {
        self.page.view.len().saturating_sub(self.body_height())
    }

    /// Rows of the related list and the index that fit on screen.
    pub fn list_height(&self, pane: Pane) -> usize {
        let areas = self.areas();
        let rect = match pane {
            Pane::Related => areas.related,
            Pane::Sources => areas.sources,
            _ => areas.index,
        };
        usize::from(layout::list_rows(rect).height)
    }

    pub fn list_len(&self, pane: Pane) -> usize {
        match pane {
            Pane::Related => self.related.rows.len(),
            Pane::Index => self.index.rows.len(),
            Pane::Sources => self.sources.sources.list.len(),
            Pane::Story => 0,
        }
    }

    /// Makes `story` the open story, laid out for the current width, at its
    /// remembered reading position.
    fn show_story(&mut self, story: StoryIndex) {
        self.open = Some(story);
        let id = &self.library.stories[story].id;
        let anchor = self.marks.saved.position(id);
        let texts = match self.library.texts(story) {
            Ok(texts) => texts,
            Err(why) => StoryTexts {
                shown: vec![format!("This story could not be read: {why}.")],
                own: None,
            },
        };
        self.page.kind = match texts.own {
            Some(_) => TextKind::Page,
            None => TextKind::Own,
        };
        self.page.other = texts.own;
        let mut shown = texts.shown;
        shown.extend(enclosure_lines(self.library.stories[story].meta()));
        self.lay_out_text(shown);
        self.page.scroll = self.page.view.line_of(anchor).min(self.max_scroll());
        self.related.list = ListState::default();
        self.related.rows = self.related_rows_of(Some(story));
        let shown_as = self.row_of(story);
        if let Some(row) = self.index.rows.iter().position(|&s| s == shown_as) {
            self.index.list.selected = row;
            self.keep_visible(Pane::Index);
        }
    }

    /// Makes `text` the open story's text, laid out and measured, its
    /// search matches found; at the top.
    fn lay_out_text(&mut self, text: Vec<String>) {
        self.page.text = text;
        self.page.view = StoryView::new(&self.page.text, self.story_areas().body.width);
        self.page.length = ReadingLength::of(&self.page.text);
        self.page.matches = self
            .last_search
            .as_ref()
            .map(|s| s.terms.ranges_in(&self.page.text))
            .unwrap_or_default();
        self.page.current_match = None;
        self.page.scroll = 0;
    }

    pub(super) fn related_rows_of(&self, story: Option<StoryIndex>) -> Vec<HeadlineIndex> {
        let Some(story) = story else {
            return Vec::new();
        };
        let mut rows = self.event_headlines(story);
        let given = self.library.stories[story].related();
        let given: Vec<HeadlineIndex> = given.filter(|h| !rows.contains(h)).collect();
        rows.extend(given);
        if self.unread_only {
            rows.retain(|&h| {
                self.library.headlines[h]
                    .story()
                    .is_some_and(|s| !self.is_read(s))
            });
        }
        rows
    }

    /// Opens `story`, remembering the current one for Back.
    pub fn open_story(&mut self, story: StoryIndex) {
        if let Some(current) = self.open {
            // The story shown at start counts as opened once the reader
            // moves on from it; quitting at once leaves it unread.
            if self.history.is_empty() && self.settings.mark_read_on_open {
                self.set_read(current, true);
                if self.settings.read_whole_event {
                    self.read_event_of(current);
                }
            }
            self.remember_position();
            if self.history.len() == HISTORY_LIMIT {
                self.history.remove(0);
            }
            self.history.push(Visit {
                story: current,
                anchor: self.page.view.anchor(self.page.scroll),
                scroll: self.page.scroll,
                width: self.page.view.width,
            });
        }
        self.show_story(story);
        if self.settings.mark_read_on_open {
            self.set_read(story, true);
            if self.settings.read_whole_event {
                self.read_event_of(story);
            }
            if self.unread_only {
                self.refill_index();
            }
        }
        self.focus = Pane::Story;
    }

    /// Keeps where the open story is being read, for when it opens again.
    pub fn remember_position(&mut self) {
        if let Some(open) = self.open {
            let anchor = self.page.view.anchor(self.page.scroll);
            let id = &self.library.stories[open].id;
            if let Some(mark) =
                self.marks
                    .saved
                    .set_position(id, anchor, crate::dates::now_millis())
            {
                self.effects.push(Effect::Save(id.clone(), mark));
            }
        }
    }

    pub fn set_read(&mut self, story: StoryIndex, read: bool) {
        let Some(&before) = self.marks.flags.get(story) else {
            return;
        };
        if before.read != read {
            self.set_flags(story, Flags { read, ..before });
        }
        let id = &self.library.stories[story].id;
        if let Some(mark) = self
            .marks
            .saved
            .set_read(id, read, crate::dates::now_millis())
        {
            self.effects.push(Effect::Save(id.clone(), mark));
        }
    }

    pub fn set_starred(&mut self, story: StoryIndex, starred: bool) {
        let Some(&before) = self.marks.flags.get(story) else {
            return;
        };
        if before.starred != starred {
            self.set_flags(story, Flags { starred, ..before });
        }
        let id = &self.library.stories[story].id;
        if let Some(mark) = self
            .marks
            .saved
            .set_starred(id, starred, crate::dates::now_millis())
        {
            self.effects.push(Effect::Save(id.clone(), mark));
        }
    }

    /// A story's marks as the lists show them, with the counts following.
    fn set_flags(&mut self, story: StoryIndex, after: Flags) {
        let before = std::mem::replace(&mut self.marks.flags[story], after);
        if before.read && !after.read {
            self.marks.unread += 1;
        } else if !before.read && after.read {
            self.marks.unread -= 1;
        }
        if before.read != after.read {
            self.fold.changed(&self.library, story, after.read);
        }
        let pane = &mut self.sources;
        pane.sources.changed(&pane.catalog, story, before, after);
    }

    /// What the input applied since the last call asked of the world
    /// outside, for the loop to carry out.
    pub fn take_effects(&mut self) -> Vec<Effect> {
        std::mem::take(&mut self.effects)
    }

    /// How opening a web address went (an [`Effect::OpenUrl`] carried out):
    /// the program it was given to, or why not.
    pub fn opened_url(&mut self, url: &str, outcome: Result<String, impl std::fmt::Display>) {
        self.message = Some(match outcome {
            Ok(program) => format!("opening {url} with {program}"),
            Err(why) => why.to_string(),
        });
    }

    /// Takes news of the saving of marks; true if the screen changed.
    pub fn saved(&mut self, status: SaveStatus) -> bool {
        match status {
            SaveStatus::Failed(reason) => {
                self.message = Some(format!(
                    "marks not saved: {reason}; trying again on the next change"
                ));
                true
            }
            SaveStatus::Notice(notice) => {
                self.message = Some(notice);
                true
            }
            SaveStatus::Merged(marks) => self.take_in_marks(marks),
            SaveStatus::Saved => false,
        }
    }

    /// Marks another tidings saved: the counts and the index follow them,
    /// and the status line says whose they were. True if a story's read
    /// mark changed.
    fn take_in_marks(&mut self, marks: Vec<(CompactString, Mark)>) -> bool {
        let theirs = ReadState {
            marks: marks.into_iter().collect(),
            source: None,
        };
        let changed: FxHashMap<CompactString, Flags> = self
            .marks
            .saved
            .merge(theirs)
            .into_iter()
            .map(|(id, mark)| (id, mark.flags()))
            .collect();
        if changed.is_empty() {
            return false;
        }
        let mut flipped = 0;
        for story in 0..self.marks.flags.len() {
            if let Some(&flags) = changed.get(&self.library.stories[story].id)
                && self.marks.flags[story] != flags
            {
                self.set_flags(story, flags);
                flipped += 1;
            }
        }
        if flipped == 0 {
            return false;
        }
        self.message = Some(match flipped {
            1 => "1 story's marks updated by another tidings".to_owned(),
            n => format!("{n} stories' marks updated by another tidings"),
        });
        true
    }

    /// Shows `background`'s progress until it is done.
    pub fn index_with(&mut self, background: Background) {
        self.work.indexing = Some((background, None));
    }

    /// How far the background indexing got, while it runs.
    pub fn indexing(&self) -> Option<ProgressReport> {
        self.work.indexing.as_ref().and_then(|(_, shown)| *shown)
    }

    /// Takes the indexing's news; true if the screen changed.
    pub fn poll_indexing(&mut self) -> bool {
        let Some((background, shown)) = &mut self.work.indexing else {
            return false;
        };
        match background.finished() {
            Some(outcome) => {
                self.work.indexing = None;
                match outcome {
                    Ok(Done::Rebuilt(library) | Done::Grown(library)) => {
                        self.replace_library(library)
                    }
                    Ok(Done::Indexed) => {
                        self.message =
                            Some("index built: the next start reads only what changed".into())
                    }
                    Ok(Done::Nothing) => {}
                    Err(problem) => self.message = Some(format!("index not built: {problem}")),
                }
                true
            }
            None => {
                let now = Some(background.progress());
                std::mem::replace(shown, now) != now
            }
        }
    }

    /// On quit: keeps where the open story is being read; gives what is
    /// left to carry out (the last marks to save).
    pub fn finish(&mut self) -> Vec<Effect> {
        self.remember_position();
        // Indexing keeps what it did: the next start goes on from there.
        if let Some((background, _)) = &mut self.work.indexing {
            background.stop(std::time::Duration::from_secs(3));
        }
        self.take_effects()
    }

    /// Re-lays the open story for a new terminal size, keeping the line at
    /// the top of the body on screen.
    pub fn resize(&mut self, width: u16, height: u16) {
        let anchor = self.page.view.anchor(self.page.scroll);
        self.area = Rect::new(0, 0, width, height);
        self.relayout();
        let body_width = self.story_areas().body.width.max(1);
        if self.open.is_some() && body_width != self.page.view.width {
            self.page.view = StoryView::new(&self.page.text, body_width);
            self.page.scroll = self.page.view.line_of(anchor);
        }
        self.page.scroll = self.page.scroll.min(self.max_scroll());
        self.keep_visible(Pane::Related);
        self.keep_visible(Pane::Index);
        self.keep_visible(Pane::Sources);
    }

    fn list_mut(&mut self, pane: Pane) -> &mut ListState {
        match pane {
            Pane::Related => &mut self.related.list,
            Pane::Sources => &mut self.sources.list,
            _ => &mut self.index.list,
        }
    }

    /// Clamps the selection into the list and scrolls it into view.
    fn keep_visible(&mut self, pane: Pane) {
        let (len, height) = (self.list_len(pane), self.list_height(pane));
        scroll_into_view(self.list_mut(pane), len, height);
    }
}

/// Clamps a list's selection to its length and moves its first row so the
/// selection is on screen and no rows are wasted past the end.
fn scroll_into_view(list: &mut ListState, len: usize, height: usize) {
    list.selected = list.selected.min(len.saturating_sub(1));
    if list.selected < list.offset {
        list.offset = list.selected;
    } else if height > 0 && list.selected >= list.offset + height {
        list.offset = list.selected + 1 - height;
    }
    list.offset = list.offset.min(len.saturating_sub(height.max(1)));
}

/// The story's enclosures, listed after its text: "Enclosure: audio/mpeg
/// · 45 min · 43 MB · https://..." (`e` opens the first).
fn enclosure_lines(meta: &crate::load::Meta) -> impl Iterator<Item = String> + '_ {
    meta.enclosures.iter().enumerate().map(|(i, e)| {
        let mut facts = vec![e.kind.clone().unwrap_or_else(|| "file".into())];
        facts.extend(e.duration.map(|d| format!("{} min", (d + 30) / 60)));
        facts.extend(
            e.length
                .map(|b| format!("{:.1} MB", b as f64 / 1_048_576.0)),
        );
        let opens = if i == 0 { " (e opens it)" } else { "" };
        format!("Enclosure: {} · {}{opens}", facts.join(" · "), e.url)
    })
}
