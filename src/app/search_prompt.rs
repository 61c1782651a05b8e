//! The search prompt in the reader: typing, results arriving from the
//! worker, opening one, and jumping between matches in the story.

use std::sync::Arc;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::{App, LastSearch, ListState, Pane, SearchPrompt};
use crate::query::Query;
use crate::search::worker::{Request, Response};
use crate::search::{Hit, Results, Searcher, Terms, TextMatch};
use crate::sources;

impl App {
    /// Starts the search worker, so its index is ready by the first `/`.
    pub fn start_searcher(&mut self) {
        if self.work.searcher.is_none() {
            self.work.searcher = Some(Searcher::spawn(Arc::clone(&self.library)));
        }
    }

    pub(super) fn open_prompt(&mut self) {
        self.start_searcher();
        self.prompt = Some(SearchPrompt {
            query: String::new(),
            results: Results::default(),
            waiting: false,
            list: ListState::default(),
            saved_focus: self.focus,
            saved_index: self.index.list,
        });
        // The results take the index pane's place; in a narrow terminal it
        // must be the pane on screen.
        self.focus = Pane::Index;
        self.resize(self.area.width, self.area.height);
    }

    /// A key while the prompt is open: editing, moving through results,
    /// Enter to open, Esc to cancel.
    pub(super) fn on_prompt_key(&mut self, key: &KeyEvent) {
        let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
        match key.code {
            KeyCode::Esc => self.cancel_prompt(),
            KeyCode::Char('c' | 'g') if ctrl => self.cancel_prompt(),
            KeyCode::Enter => self.open_result(),
            KeyCode::Up => self.move_result(-1),
            KeyCode::Char('p' | 'k') if ctrl => self.move_result(-1),
            KeyCode::Down | KeyCode::Tab => self.move_result(1),
            KeyCode::Char('n' | 'j') if ctrl => self.move_result(1),
            KeyCode::PageUp => self.move_result(-(self.list_height(Pane::Index).max(1) as isize)),
            KeyCode::PageDown => self.move_result(self.list_height(Pane::Index).max(1) as isize),
            KeyCode::Backspace => self.edit_query(|q| {
                q.pop();
            }),
            KeyCode::Char('u') if ctrl => self.edit_query(String::clear),
            KeyCode::Char('a') if ctrl => self.catch_up(),
            KeyCode::Char('w') if ctrl => self.edit_query(|q| {
                let kept = q.trim_end().rfind(char::is_whitespace).map_or(0, |i| i + 1);
                q.truncate(kept);
            }),
            KeyCode::Char(c) if !ctrl && !key.modifiers.contains(KeyModifiers::ALT) => {
                self.edit_query(|q| q.push(c))
            }
            _ => {}
        }
    }

    fn edit_query(&mut self, edit: impl FnOnce(&mut String)) {
        let Some(prompt) = &mut self.prompt else {
            return;
        };
        let before = prompt.query.clone();
        edit(&mut prompt.query);
        if prompt.query == before {
            return;
        }
        if prompt.query.trim().is_empty() {
            prompt.results = Results::default();
            prompt.waiting = false;
            return;
        }
        let query = prompt.query.clone();
        self.submit_query(&query);
    }

    /// Runs a query typed at the prompt: its filters here, its words (if
    /// any) in the worker. A mistake in a filter is said in the status
    /// line, and the results stay as they were.
    pub(super) fn submit_query(&mut self, text: &str) {
        let parsed = Query::parse(text, crate::query::now())
            .map_err(|e| e.to_string())
            .and_then(|query| {
                let resolved = self
                    .sources
                    .catalog
                    .resolve(&self.library, &query.filters)?;
                Ok((query, resolved))
            });
        let Some(prompt) = &mut self.prompt else {
            return;
        };
        let (query, resolved) = match parsed {
            Ok(parsed) => parsed,
            Err(why) => {
                self.message = Some(why);
                return;
            }
        };
        if query.filters.is_empty() {
            if let Some(searcher) = &self.work.searcher {
                searcher.submit(text);
                prompt.waiting = true;
            }
            return;
        }
        let kept = sources::filtered(&self.sources.catalog, &resolved, self.marks.flags());
        if query.is_filters_only() {
            // A list, newest first, as a query feed is: no search needed.
            prompt.results = Results {
                query: text.to_owned(),
                total: kept.len(),
                hits: kept.into_iter().map(Hit::story).collect(),
            };
            prompt.waiting = false;
            prompt.list = ListState::default();
            return;
        }
        let mut keep = vec![false; self.library.stories.len()];
        for story in kept {
            keep[story] = true;
        }
        if let Some(searcher) = &self.work.searcher {
            searcher.submit_request(Request {
                query: text.to_owned(),
                words: query.words,
                keep: Some(Arc::new(keep)),
            });
            prompt.waiting = true;
        }
    }

    /// A click on a result row selects it; a second click opens it.
    pub(super) fn click_result(&mut self, row: usize) {
        let Some(prompt) = &mut self.prompt else {
            return;
        };
        if row >= prompt.results.hits.len() {
            return;
        }
        if prompt.list.selected == row {
            self.open_result();
        } else {
            prompt.list.selected = row;
        }
    }

    fn move_result(&mut self, by: isize) {
        let height = self.list_height(Pane::Index);
        let Some(prompt) = &mut self.prompt else {
            return;
        };
        let len = prompt.results.hits.len();
        let target = prompt.list.selected.saturating_add_signed(by);
        prompt.list.selected = target.min(len.saturating_sub(1));
        super::scroll_into_view(&mut prompt.list, len, height);
    }

    pub(super) fn cancel_prompt(&mut self) {
        if let Some(prompt) = self.prompt.take() {
            self.focus = prompt.saved_focus;
            self.index.list = prompt.saved_index;
            self.resize(self.area.width, self.area.height);
        }
    }

    fn open_result(&mut self) {
        let Some(prompt) = &self.prompt else { return };
        let Some(hit) = prompt.results.hits.get(prompt.list.selected).cloned() else {
            self.message = Some(
                if prompt.waiting {
                    "still searching…"
                } else {
                    "nothing to open"
                }
                .into(),
            );
            return;
        };
        let Some(story) = hit.story else {
            self.message = Some(format!("no story loaded for “{}”", hit.text(&self.library)));
            return;
        };
        let query = prompt.query.clone();
        self.cancel_prompt();
        let words = Query::parse(&query, 0).map_or_else(|_| query.clone(), |q| q.words);
        self.last_search = Some(LastSearch {
            terms: Terms::parse(&words),
            query,
        });
        self.open_story(story);
        // A match in the text is why this story was found: show it.
        if hit.field == crate::search::Field::Body && !self.page.matches.is_empty() {
            self.jump_to_match(0, false);
        }
    }

    /// Whether results are awaited, so the loop should check for them soon.
    pub fn search_pending(&self) -> bool {
        self.prompt.as_ref().is_some_and(|p| p.waiting)
    }

    /// Takes what arrived from the search worker; true if the screen
    /// changed.
    pub fn poll_search(&mut self) -> bool {
        let arrived = self
            .work
            .searcher
            .as_ref()
            .map(Searcher::try_responses)
            .unwrap_or_default();
        self.apply_responses(arrived)
    }

    fn apply_responses(&mut self, arrived: Vec<Response>) -> bool {
        let Some(prompt) = &mut self.prompt else {
            return false;
        };
        let mut changed = false;
        for response in arrived {
            match response {
                Response::Results(results) if results.query == prompt.query => {
                    prompt.results = results;
                    prompt.waiting = false;
                    prompt.list = ListState::default();
                    changed = true;
                }
                Response::Results(_) => {}
                Response::Snippets { from, snippets } if !prompt.waiting => {
                    let hits = prompt.results.hits.iter_mut().skip(from);
                    for (hit, snippet) in hits.zip(snippets) {
                        hit.snippet = snippet;
                    }
                    changed = true;
                }
                Response::Snippets { .. } => {}
            }
        }
        changed
    }

    /// n and N: the next or previous match of the last search, wrapping
    /// around the story, scrolled into view.
    pub(super) fn next_match(&mut self, forward: bool) {
        let Some(last) = &self.last_search else {
            self.message = Some("no search yet: press / to search".into());
            return;
        };
        if self.page.matches.is_empty() {
            self.message = Some(format!("no matches for “{}” in this story", last.query));
            return;
        }
        let count = self.page.matches.len();
        let (next, wrapped) = match self.page.current_match {
            Some(i) if forward => ((i + 1) % count, i + 1 == count),
            Some(i) => ((i + count - 1) % count, i == 0),
            None => {
                // From the top of the screen.
                let top = self.page.view.anchor(self.page.scroll);
                let after = self
                    .page
                    .matches
                    .partition_point(|m| (m.paragraph, m.start) < (top.paragraph, top.offset));
                if forward {
                    (after % count, after == count)
                } else {
                    ((after + count - 1) % count, after == 0)
                }
            }
        };
        self.jump_to_match(next, wrapped);
    }

    fn jump_to_match(&mut self, index: usize, wrapped: bool) {
        let Some(&TextMatch {
            paragraph, start, ..
        }) = self.page.matches.get(index)
        else {
            return;
        };
        self.page.current_match = Some(index);
        let line = self.page.view.line_of(crate::model::Anchor {
            paragraph,
            offset: start,
        });
        let height = self.body_height();
        if line < self.page.scroll || line >= self.page.scroll + height {
            self.page.scroll = line.saturating_sub(height / 3).min(self.max_scroll());
        }
        let note = if wrapped { " (wrapped)" } else { "" };
        self.message = Some(format!(
            "match {} of {}{note}",
            index + 1,
            self.page.matches.len()
        ));
    }
}
