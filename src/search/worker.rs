//! Searching off the input thread. The reader hands each query to a worker
//! and goes on drawing; the worker drops queries that a newer one has
//! replaced, and stops a search half-way when a newer query arrives. When
//! story text is on disk, the results come first and the sentences shown
//! with them follow in batches, until a newer query comes.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};

use super::{Engine, Field, Results, SNIPPETS_AT_ONCE, Terms, snippets};
use crate::model::Library;

/// The reader shows at most this many results.
pub const RESULT_LIMIT: usize = 1000;

pub struct Searcher {
    requests: Sender<(u64, Request)>,
    responses: Receiver<(u64, Response)>,
    latest: Arc<AtomicU64>,
}

/// A query as the worker takes it: the text typed (which the results
/// carry back), the words to search for, and the stories its filters
/// keep, if it has any.
pub struct Request {
    pub query: String,
    pub words: String,
    pub keep: Option<Arc<Vec<bool>>>,
}

/// What the worker sends back about a query.
pub enum Response {
    Results(Results),
    /// Sentences for the text hits from `from` on, for results already
    /// sent.
    Snippets {
        from: usize,
        snippets: Vec<Option<String>>,
    },
}

impl Searcher {
    /// Starts the worker. It prepares its index at once, in the
    /// background, so the first query does not wait for it.
    pub fn spawn(library: Arc<Library>) -> Searcher {
        let (requests, inbox) = mpsc::channel::<(u64, Request)>();
        let (outbox, responses) = mpsc::channel();
        let latest = Arc::new(AtomicU64::new(0));
        let newest = Arc::clone(&latest);
        std::thread::Builder::new()
            .name("search".into())
            .spawn(move || {
                let mut engine = Engine::new(&library);
                // The story filters take longer; they are built beside the
                // worker and used from the first query after they are ready.
                let (filters_ready, filters) = mpsc::channel();
                if engine.wants_filters(&library) {
                    let for_filters = Arc::clone(&library);
                    std::thread::spawn(move || {
                        filters_ready.send(Engine::build_filters(&for_filters))
                    });
                }
                while let Ok(mut request) = inbox.recv() {
                    if let Ok(built) = filters.try_recv() {
                        engine.use_filters(built);
                    }
                    // Only the newest waiting query matters.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let (generation, Request { query, words, keep }) = request;
                    let stale = || newest.load(Ordering::Relaxed) != generation;
                    let keep = keep.as_deref().map(Vec::as_slice);
                    let Some(mut results) =
                        engine.search_within(&library, &words, RESULT_LIMIT, keep, &stale)
                    else {
                        continue;
                    };
                    results.query = query;
                    let query = words;
                    let mut hits = results.hits.clone();
                    if outbox
                        .send((generation, Response::Results(results)))
                        .is_err()
                    {
                        return;
                    }
                    let terms = Terms::parse(&query);
                    let missing = |h: &super::Hit| h.field == Field::Body && h.snippet.is_none();
                    let mut from = hits.iter().position(missing).unwrap_or(hits.len());
                    while from < hits.len() && !stale() {
                        let to = (from + SNIPPETS_AT_ONCE).min(hits.len());
                        snippets(&library, &terms, &mut hits[from..to]);
                        let batch = hits[from..to].iter_mut().map(|h| h.snippet.take());
                        let update = Response::Snippets {
                            from,
                            snippets: batch.collect(),
                        };
                        if outbox.send((generation, update)).is_err() {
                            return;
                        }
                        from = to;
                    }
                }
            })
            .ok();
        Searcher {
            requests,
            responses,
            latest,
        }
    }

    /// Asks for `query`; any earlier query still running is abandoned.
    pub fn submit(&self, query: &str) {
        self.submit_request(Request {
            query: query.to_owned(),
            words: query.to_owned(),
            keep: None,
        });
    }

    /// Asks for a query with filters; any earlier query still running is
    /// abandoned.
    pub fn submit_request(&self, request: Request) {
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        let _ = self.requests.send((generation, request));
    }

    /// What arrived about the newest query, in order.
    pub fn try_responses(&self) -> Vec<Response> {
        let mut arrived = Vec::new();
        loop {
            match self.responses.try_recv() {
                Ok((generation, response)) if generation == self.latest.load(Ordering::Relaxed) => {
                    arrived.push(response)
                }
                Ok(_) => {}
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return arrived,
            }
        }
    }
}
