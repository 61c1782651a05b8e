//! Searching off the input thread. The reader hands each query to a worker
//! and goes on drawing; the worker drops queries that a newer one has
//! replaced, and stops a search half-way when a newer query arrives.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, Sender, TryRecvError};
use std::time::Duration;

use super::{Engine, Results};
use crate::model::Library;

/// The reader shows at most this many results.
pub const RESULT_LIMIT: usize = 1000;

pub struct Searcher {
    requests: Sender<(u64, String)>,
    responses: Receiver<(u64, Results)>,
    latest: Arc<AtomicU64>,
}

impl Searcher {
    /// Starts the worker. It prepares its index at once, in the
    /// background, so the first query does not wait for it.
    pub fn spawn(library: Arc<Library>) -> Searcher {
        let (requests, inbox) = mpsc::channel::<(u64, String)>();
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
                let for_filters = Arc::clone(&library);
                std::thread::spawn(move || filters_ready.send(Engine::build_filters(&for_filters)));
                while let Ok(mut request) = inbox.recv() {
                    if let Ok(built) = filters.try_recv() {
                        engine.use_filters(built);
                    }
                    // Only the newest waiting query matters.
                    while let Ok(newer) = inbox.try_recv() {
                        request = newer;
                    }
                    let (generation, query) = request;
                    let stale = || newest.load(Ordering::Relaxed) != generation;
                    if let Some(results) = engine.search(&library, &query, RESULT_LIMIT, &stale)
                        && outbox.send((generation, results)).is_err()
                    {
                        return;
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
        let generation = self.latest.fetch_add(1, Ordering::Relaxed) + 1;
        let _ = self.requests.send((generation, query.to_owned()));
    }

    /// The results of the newest query, if they have arrived.
    pub fn try_results(&self) -> Option<Results> {
        let mut newest = None;
        loop {
            match self.responses.try_recv() {
                Ok((generation, results)) if generation == self.latest.load(Ordering::Relaxed) => {
                    newest = Some(results)
                }
                Ok(_) => {}
                Err(TryRecvError::Empty | TryRecvError::Disconnected) => return newest,
            }
        }
    }

    /// Waits up to `timeout` for the newest query's results.
    pub fn wait_results(&self, timeout: Duration) -> Option<Results> {
        let deadline = std::time::Instant::now() + timeout;
        loop {
            if let Some(results) = self.try_results() {
                return Some(results);
            }
            let left = deadline.saturating_duration_since(std::time::Instant::now());
            match self.responses.recv_timeout(left) {
                Ok((generation, results)) if generation == self.latest.load(Ordering::Relaxed) => {
                    return Some(results);
                }
                Ok(_) => {}
                Err(_) => return None,
            }
        }
    }
}
