//! Numbers for headlines and words, shared by the threads that parse
//! changed files: those the index has, and new ones, which the writer
//! stores with the first rows that use them. Taken under the writers' lock,
//! so no other process hands out numbers meanwhile.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use rustc_hash::FxHashMap;

const SHARDS: usize = 64;

/// Headline key -> its number and stored text.
type HeadlineIds = FxHashMap<u128, (u32, Arc<str>)>;

pub struct Ids {
    headlines: Vec<Mutex<HeadlineIds>>,
    words: Vec<Mutex<FxHashMap<u64, u32>>>,
    next_headline: AtomicU32,
    next_word: AtomicU32,
    new_headlines: Mutex<Vec<(u32, u128, Arc<str>)>>,
    new_words: Mutex<Vec<(u32, u64)>>,
}

/// What was numbered since the last time the writer asked.
pub struct New {
    pub headlines: Vec<(u32, u128, Arc<str>)>,
    pub words: Vec<(u32, u64)>,
}

pub(super) fn locked<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

impl Ids {
    /// The numbers the index has: headlines (key and text) and words (hash)
    /// by number.
    pub fn new(headlines: &[Option<(u128, Arc<str>)>], words: &[u64]) -> Ids {
        let ids = Ids {
            headlines: (0..SHARDS).map(|_| Mutex::default()).collect(),
            words: (0..SHARDS).map(|_| Mutex::default()).collect(),
            next_headline: AtomicU32::new(headlines.len().max(1) as u32),
            next_word: AtomicU32::new(words.len().max(1) as u32),
            new_headlines: Mutex::default(),
            new_words: Mutex::default(),
        };
        for (id, entry) in headlines.iter().enumerate() {
            if let Some((key, text)) = entry {
                locked(&ids.headlines[*key as usize % SHARDS])
                    .insert(*key, (id as u32, Arc::clone(text)));
            }
        }
        // 0: no word has that number (any more: see gc.rs).
        for (id, &hash) in words.iter().enumerate().filter(|&(_, &hash)| hash != 0) {
            locked(&ids.words[hash as usize % SHARDS]).insert(hash, id as u32);
        }
        ids
    }

    /// The headline's number and stored text; a new headline is stored
    /// with `text`.
    pub fn headline(&self, key: u128, text: &str) -> (u32, Arc<str>) {
        let mut shard = locked(&self.headlines[key as usize % SHARDS]);
        if let Some((id, canonical)) = shard.get(&key) {
            return (*id, Arc::clone(canonical));
        }
        let id = self.next_headline.fetch_add(1, Ordering::Relaxed);
        let text: Arc<str> = Arc::from(text);
        shard.insert(key, (id, Arc::clone(&text)));
        locked(&self.new_headlines).push((id, key, Arc::clone(&text)));
        (id, text)
    }

    /// The word's number; `known` is the thread's own copy, so most words
    /// take no lock.
    pub fn word(&self, hash: u64, known: &mut FxHashMap<u64, u32>) -> u32 {
        if let Some(&id) = known.get(&hash) {
            return id;
        }
        let id = {
            let mut shard = locked(&self.words[hash as usize % SHARDS]);
            *shard.entry(hash).or_insert_with(|| {
                let id = self.next_word.fetch_add(1, Ordering::Relaxed);
                locked(&self.new_words).push((id, hash));
                id
            })
        };
        known.insert(hash, id);
        id
    }

    /// What was numbered since the last call, for the writer to store.
    pub fn take_new(&self) -> New {
        New {
            headlines: std::mem::take(&mut *locked(&self.new_headlines)),
            words: std::mem::take(&mut *locked(&self.new_words)),
        }
    }

    /// Every word's hash by number: the stored ones and the new ones.
    pub fn dictionary(&self, mut stored: Vec<u64>) -> Vec<u64> {
        let size = self.next_word.load(Ordering::Relaxed) as usize;
        stored.resize(size.max(stored.len()), 0);
        for shard in &self.words {
            for (&hash, &id) in locked(shard).iter() {
                stored[id as usize] = hash;
            }
        }
        stored
    }
}
