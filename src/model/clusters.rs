//! Story clusters: stories of different sources that tell one event,
//! found one story at a time (so that a library grows its clusters as
//! stories arrive, without recomputing them).
//!
//! A story is its words (the tokens search uses, in every script), weighed
//! by how rare each is among the stories seen so far, its source and its
//! date. It joins the cluster whose words it shares most, measured against
//! the cluster's centroid (the sum of its stories' weights), when that
//! cluster is still open (its last story within [`Tuning::window`] of this
//! one) and the share is high enough; a cluster that already has a story
//! from the same source asks for more, since one feed rarely tells one
//! event twice. Otherwise the story starts a cluster of its own (and a
//! story without a date is in none: see [`ALONE`]). The
//! other clusters a story comes close to may be its event told in other
//! words (a trial and its verdict): they merge with its cluster when their
//! centroids are close too, into the older one, whose id the whole keeps.

use rustc_hash::{FxHashMap, FxHashSet};
use serde::{Deserialize, Serialize};

/// A cluster's id: the number of clusters begun before it.
pub type ClusterId = u32;

/// The cluster of a story without a date, which stands alone: an event is
/// days long, and a story that cannot be placed in time is in none.
pub const ALONE: ClusterId = ClusterId::MAX;

/// What a story must share with a cluster to join it, and two clusters
/// to merge.
#[derive(Debug, Clone, Copy, Serialize, Deserialize)]
pub struct Tuning {
    /// The cosine of the story's words with the cluster's centroid.
    pub join: f32,
    /// Added to `join` when the cluster has a story of the same source.
    pub same_source: f32,
    /// Seconds after a cluster's last story in which it takes new ones.
    pub window: i64,
    /// Seconds after a cluster's first story in which it takes new ones:
    /// an event is days long, and a topic that never stops (a war, a
    /// league) is many events, not one that grows for ever.
    pub span: i64,
    /// Terms a centroid keeps (its heaviest), which bounds its memory.
    pub centroid_terms: usize,
    /// The cosine of two clusters' centroids at which they are one event
    /// told in two sets of words (a trial and its verdict), and merge.
    pub merge: f32,
}

impl Default for Tuning {
    fn default() -> Self {
        Tuning {
            join: 0.2,
            same_source: 0.1,
            window: 4 * 24 * 3600,
            span: 7 * 24 * 3600,
            centroid_terms: 40,
            merge: 0.08,
        }
    }
}

/// A story as clustering sees it: its words and how often each stands
/// there (the headline's twice, the text's opening once), its source and
/// its date (seconds since the epoch). Made on any thread.
pub struct Features {
    terms: Vec<(u32, f32)>,
    pub source: u64,
    pub date: Option<i64>,
}

impl Features {
    /// Its terms (word hashes) and how often each stands in it.
    pub fn terms(&self) -> &[(u32, f32)] {
        &self.terms
    }

    pub fn new(title: &str, text: &str, source: u64, date: Option<i64>) -> Features {
        Features::of(title, &opening([text]), source, date)
    }

    /// A story of `title` whose text opens with the terms `opening` (as
    /// [`opening`] gives them).
    pub fn of(title: &str, opening: &[u32], source: u64, date: Option<i64>) -> Features {
        let mut terms: FxHashMap<u32, f32> = FxHashMap::default();
        for token in crate::text::tokens::of(title) {
            if !is_stop_word(&token) {
                *terms.entry(term(&token)).or_default() += 2.0;
            }
        }
        for &term in opening {
            *terms.entry(term).or_default() += 1.0;
        }
        Features {
            terms: terms.into_iter().collect(),
            source,
            date,
        }
    }
}

/// The terms of a text's opening words, where news says what happened:
/// all a story's text that clustering keeps, made where it is read.
pub fn opening<S: AsRef<str>>(paragraphs: impl IntoIterator<Item = S>) -> Box<[u32]> {
    let mut terms = Vec::new();
    for paragraph in paragraphs {
        let left = TEXT_WORDS - terms.len();
        if left == 0 {
            break;
        }
        let tokens = crate::text::tokens::of(paragraph.as_ref());
        let words = tokens.iter().filter(|token| !is_stop_word(token));
        terms.extend(words.take(left).map(|token| term(token)));
    }
    terms.into_boxed_slice()
}

/// English words that tell no event from another: in a small library
/// their rarity would make "as" and "the" look like what two stories
/// share. (Other scripts' and languages' common words weigh little once
/// a library has a few hundred stories.)
fn is_stop_word(token: &str) -> bool {
    const WORDS: &[&str] = &[
        "a", "about", "after", "all", "also", "an", "and", "any", "are", "as", "at", "be", "been",
        "before", "but", "by", "can", "could", "did", "do", "does", "for", "from", "had", "has",
        "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "may",
        "more", "new", "no", "not", "now", "of", "on", "one", "or", "our", "out", "over", "said",
        "says", "she", "so", "than", "that", "the", "their", "them", "then", "there", "these",
        "they", "this", "to", "up", "us", "was", "we", "were", "what", "when", "which", "who",
        "why", "will", "with", "would", "you", "your",
    ];
    WORDS.binary_search(&token).is_ok()
}

/// A word as a term: a plural's final `s` dropped, so that "strikes" and
/// "strike" are one.
fn term(token: &str) -> u32 {
    let word = match token.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem,
        _ => token,
    };
    xxhash_rust::xxh3::xxh3_64(word.as_bytes()) as u32
}

/// A cluster this small merges on its words alone.
const SMALL: u32 = 2;

/// At most this many clusters a story bridges are weighed for merging.
const MAX_BRIDGED: usize = 8;

/// How many of a story's text's words count.
const TEXT_WORDS: usize = 48;

/// How many of a story's terms, the heaviest, it is placed by.
const STORY_TERMS: usize = 24;

/// How many of those find the clusters it is weighed against.
const CANDIDATE_TERMS: usize = 8;

/// How many of a cluster's terms, its heaviest, find it.
const POSTED_TERMS: usize = 12;

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
struct Cluster {
    /// Term to summed weight, of the heaviest terms only.
    centroid: FxHashMap<u32, f32>,
    /// The heaviest of those, by which stories find it (in the postings).
    posted: Vec<u32>,
    norm: f32,
    sources: FxHashSet<u64>,
    first: Option<i64>,
    last: Option<i64>,
    size: u32,
}

/// Clusters of a whole library at once: words weighed by every story,
/// stories placed in date order (undated last), as they would have
/// arrived. Gives each story's cluster, and the clusterer to place the
/// stories that arrive later.
pub fn build(stories: &[Features], tuning: Tuning) -> (Clusterer, Vec<ClusterId>) {
    let mut order: Vec<usize> = (0..stories.len()).collect();
    order.sort_by_key(|&i| (stories[i].date.is_none(), stories[i].date, i));
    let mut clusterer = Clusterer::new(tuning);
    stories.iter().for_each(|story| clusterer.count(story));
    let mut found = vec![0; stories.len()];
    for &i in &order {
        found[i] = clusterer.add(&stories[i], true);
    }
    for id in &mut found {
        *id = clusterer.current(*id);
    }
    (clusterer, found)
}

impl Cluster {
    /// The cosine of two clusters' centroids.
    fn cosine(&self, other: &Cluster) -> f32 {
        let (small, large) = if self.centroid.len() <= other.centroid.len() {
            (self, other)
        } else {
            (other, self)
        };
        let dot: f32 = small
            .centroid
            .iter()
            .filter_map(|(term, w)| Some(w * large.centroid.get(term)?))
            .sum();
        dot / (self.norm * other.norm)
    }

    /// Its heaviest term: the word that names its event.
    fn top(&self) -> u32 {
        self.centroid
            .iter()
            .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
            .map_or(0, |(term, _)| *term)
    }
}

/// Clusters grown story by story.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Clusterer {
    tuning: Tuning,
    /// Term to how many stories have it.
    frequency: FxHashMap<u32, u32>,
    stories: u32,
    clusters: Vec<Cluster>,
    /// Term to the clusters whose centroid has it.
    postings: FxHashMap<u32, Vec<ClusterId>>,
    /// For each cluster, the one it was merged into (itself if none).
    merged_into: Vec<ClusterId>,
    /// The latest date of a story placed: clusters whose last story is a
    /// window older are closed, and leave the postings.
    newest: Option<i64>,
}

impl Clusterer {
    pub fn new(tuning: Tuning) -> Clusterer {
        Clusterer {
            tuning,
            frequency: FxHashMap::default(),
            stories: 0,
            clusters: Vec::new(),
            postings: FxHashMap::default(),
            merged_into: Vec::new(),
            newest: None,
        }
    }

    /// The cluster `id` is part of now (clusters merge as they grow).
    pub fn current(&self, mut id: ClusterId) -> ClusterId {
        if id == ALONE {
            return ALONE;
        }
        while self.merged_into[id as usize] != id {
            id = self.merged_into[id as usize];
        }
        id
    }

    /// Counts a story's words without placing it: a build that knows
    /// every story weighs words by the whole library from the start.
    pub fn count(&mut self, story: &Features) {
        self.stories += 1;
        for (term, _) in &story.terms {
            *self.frequency.entry(*term).or_default() += 1;
        }
    }

    /// Places one story: the id of the cluster it joined or began.
    /// `counted`: its words were counted already.
    pub fn add(&mut self, story: &Features, counted: bool) -> ClusterId {
        if story.date.is_none() {
            return ALONE;
        }
        if !counted {
            self.stories += 1;
            for (term, _) in &story.terms {
                *self.frequency.entry(*term).or_default() += 1;
            }
        }
        self.newest = self.newest.max(story.date);
        let weights = self.weigh(&story.terms);
        self.prune(weights.iter().take(CANDIDATE_TERMS).map(|(term, _)| *term));
        let scores = self.scores(&weights, story.date);
        let best = scores.iter().find(|(id, cosine)| {
            let mut bar = self.tuning.join;
            if self.clusters[*id as usize].sources.contains(&story.source) {
                bar += self.tuning.same_source;
            }
            *cosine >= bar
        });
        let id = match best {
            Some((id, _)) => *id,
            None => {
                let id = self.clusters.len() as ClusterId;
                self.clusters.push(Cluster::default());
                self.merged_into.push(id);
                id
            }
        };
        self.add_weights(id, &weights);
        let cluster = &mut self.clusters[id as usize];
        cluster.sources.insert(story.source);
        cluster.first = cluster.first.or(story.date).min(story.date);
        cluster.last = cluster.last.max(story.date);
        cluster.size += 1;
        // The other clusters this story is close to may be its event too,
        // told in other words: a story that bridges them merges them.
        let bridged: Vec<ClusterId> = scores
            .iter()
            .filter(|(other, cosine)| *other != id && *cosine >= self.tuning.merge)
            .take(MAX_BRIDGED)
            .map(|(other, _)| *other)
            .collect();
        self.merge_bridged(id, bridged)
    }

    /// The open clusters that share words with a story of `weights`
    /// dated `date`, and the cosine of each one's centroid with it, most
    /// alike first.
    fn scores(&self, weights: &[(u32, f32)], date: Option<i64>) -> Vec<(ClusterId, f32)> {
        // The clusters that have one of its heaviest terms are the ones it
        // can be close to; each is then weighed on every term.
        let mut candidates: FxHashSet<ClusterId> = FxHashSet::default();
        for (term, _) in weights.iter().take(CANDIDATE_TERMS) {
            candidates.extend(self.postings.get(term).map_or(&[][..], Vec::as_slice));
        }
        let dot = |id: &ClusterId| -> f32 {
            let centroid = &self.clusters[*id as usize].centroid;
            let shared = weights
                .iter()
                .filter_map(|(t, w)| Some(w * centroid.get(t)?));
            shared.sum()
        };
        let mut scores: Vec<(ClusterId, f32)> = candidates
            .into_iter()
            .map(|id| (id, dot(&id)))
            .filter(|(_, dot)| *dot > 0.0)
            .filter(|(id, _)| {
                let cluster = &self.clusters[*id as usize];
                match (cluster.first, cluster.last, date) {
                    (Some(first), Some(last), Some(date)) => {
                        (date - last).abs() <= self.tuning.window
                            && (date - first).abs() <= self.tuning.span
                    }
                    _ => true,
                }
            })
            .map(|(id, dot)| (id, dot / self.clusters[id as usize].norm))
            .collect();
        scores.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scores
    }

    /// Merges `id` with those of `bridged` whose centroids are close to
    /// its own, into the oldest; gives the cluster it is part of then.
    fn merge_bridged(&mut self, mut id: ClusterId, bridged: Vec<ClusterId>) -> ClusterId {
        for other in bridged {
            let (a, b) = (&self.clusters[id as usize], &self.clusters[other as usize]);
            // Two events of some size are one when the word that names
            // either is in both, not only a "bankruptcy" they share; a
            // story or two joins on its words.
            let named = a.size.min(b.size) <= SMALL
                || b.centroid.contains_key(&a.top())
                || a.centroid.contains_key(&b.top());
            if !named || a.cosine(b) < self.tuning.merge {
                continue;
            }
            let (kept, gone) = (id.min(other), id.max(other));
            // Its postings go when next read (see `prune`).
            let gone_cluster = std::mem::take(&mut self.clusters[gone as usize]);
            let weights: Vec<(u32, f32)> = gone_cluster.centroid.into_iter().collect();
            self.add_weights(kept, &weights);
            let cluster = &mut self.clusters[kept as usize];
            cluster.sources.extend(gone_cluster.sources);
            cluster.first = cluster.first.min(gone_cluster.first);
            cluster.last = cluster.last.max(gone_cluster.last);
            cluster.size += gone_cluster.size;
            self.merged_into[gone as usize] = kept;
            id = kept;
        }
        id
    }

    /// What is kept of it between runs: closed clusters keep their size
    /// alone (no story can join them; their words would be most of what
    /// is stored).
    pub fn stored(mut self) -> Clusterer {
        let Some(newest) = self.newest else {
            return self;
        };
        let window = self.tuning.window;
        let closed = |c: &Cluster| c.last.is_some_and(|last| newest - last > window);
        for cluster in self.clusters.iter_mut().filter(|c| closed(c)) {
            cluster.centroid = FxHashMap::default();
            cluster.posted = Vec::new();
            cluster.sources = FxHashSet::default();
        }
        let clusters = &self.clusters;
        self.postings.retain(|term, ids| {
            ids.retain(|&id| clusters[id as usize].posted.contains(term));
            !ids.is_empty()
        });
        self
    }

    /// Drops the clusters that closed, or no longer have the term, from
    /// the postings of `terms`, so that a large library's long-finished
    /// events cost nothing. (A story
    /// dated more than a window before the newest cannot join them
    /// either: it starts a cluster of its own.)
    fn prune(&mut self, terms: impl Iterator<Item = u32>) {
        let (clusters, window) = (&self.clusters, self.tuning.window);
        let Some(newest) = self.newest else {
            return;
        };
        for term in terms {
            if let Some(postings) = self.postings.get_mut(&term) {
                postings.retain(|&c| {
                    let cluster = &clusters[c as usize];
                    cluster.posted.contains(&term)
                        && cluster.last.is_none_or(|last| newest - last <= window)
                });
            }
        }
    }

    /// Each term's weight in a story: how often it stands there (damped)
    /// times how rare it is, its heaviest [`STORY_TERMS`] only, the whole
    /// of unit length (so that the sum of
    /// products of two stories' weights is their cosine).
    pub fn weigh(&self, terms: &[(u32, f32)]) -> Vec<(u32, f32)> {
        let stories = self.stories as f32;
        let mut weights: Vec<(u32, f32)> = terms
            .iter()
            .map(|(term, count)| {
                let frequency = self.frequency.get(term).copied().unwrap_or(1) as f32;
                (*term, (1.0 + count.ln()) * (1.0 + stories / frequency).ln())
            })
            .collect();
        // Heaviest first (see [`Clusterer::scores`]). Those say what it
        // tells; the rest, words every other story has, would only make it
        // meet every open cluster.
        weights.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        weights.truncate(STORY_TERMS);
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            weights.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        weights
    }

    /// Adds `weights` (a story's, or a merged cluster's centroid) to the
    /// centroid of cluster `id`, and keeps the postings true.
    fn add_weights(&mut self, id: ClusterId, weights: &[(u32, f32)]) {
        let cluster = &mut self.clusters[id as usize];
        for (term, weight) in weights {
            *cluster.centroid.entry(*term).or_default() += weight;
        }
        let mut kept: Vec<(u32, f32)> = cluster.centroid.iter().map(|(t, w)| (*t, *w)).collect();
        kept.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        if kept.len() > self.tuning.centroid_terms {
            kept.truncate(self.tuning.centroid_terms);
            cluster.centroid = kept.iter().copied().collect();
        }
        cluster.norm = cluster.centroid.values().map(|w| w * w).sum::<f32>().sqrt();
        // Only its heaviest terms are posted: a word many events share
        // would list every open cluster. Terms no longer posted leave the
        // postings when next read (see `prune`): finding this cluster in a
        // long list costs more than a stale entry does.
        let posted: Vec<u32> = kept.iter().take(POSTED_TERMS).map(|(t, _)| *t).collect();
        for term in &posted {
            if !cluster.posted.contains(term) {
                self.postings.entry(*term).or_default().push(id);
            }
        }
        cluster.posted = posted;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn story(title: &str, source: u64, day: i64) -> Features {
        Features::new(title, "", source, Some(day * 86_400))
    }

    #[test]
    fn reports_of_one_event_join_and_others_stay_apart() {
        let mut clusters = Clusterer::new(Tuning::default());
        let ids: Vec<ClusterId> = [
            story("Dockworkers strike at Lindmouth harbor over pay", 1, 0),
            story("Council approves cycle lanes on Mill Road", 2, 0),
            story("Lindmouth harbor idle as dockworkers strike", 3, 0),
            story("Strike by Lindmouth dockworkers enters second day", 4, 1),
            story("Mill Road cycle lanes approved by council", 5, 1),
        ]
        .iter()
        .map(|s| clusters.add(s, false))
        .collect();
        assert_eq!(ids, [0, 1, 0, 0, 1]);
    }

    #[test]
    fn a_closed_cluster_takes_no_story() {
        let mut clusters = Clusterer::new(Tuning::default());
        let first = clusters.add(
            &story("Dockworkers strike at Lindmouth harbor", 1, 0),
            false,
        );
        let later = clusters.add(
            &story("Dockworkers strike at Lindmouth harbor", 2, 30),
            false,
        );
        assert_ne!(first, later, "a month later is another event");
    }

    #[test]
    fn a_source_telling_an_event_twice_needs_more_in_common() {
        let tuning = Tuning {
            join: 0.3,
            same_source: 0.5,
            merge: 1.0,
            ..Tuning::default()
        };
        let place = |second_source: u64| {
            let mut clusters = Clusterer::new(tuning);
            let first = clusters.add(&story("Lindmouth dockworkers strike over pay", 1, 0), false);
            let second = clusters.add(
                &story(
                    "Lindmouth dockworkers strike enters second week",
                    second_source,
                    0,
                ),
                false,
            );
            first == second
        };
        assert!(place(2), "another source's report joins");
        assert!(!place(1), "the same source's second story stands apart");
    }

    proptest::proptest! {
        /// A library's clusters do not depend on the order its stories are
        /// read in: the same stories give the same partition.
        #[test]
        fn clusters_do_not_depend_on_the_order_stories_are_read(
            picks in proptest::collection::vec((0usize..6, 0usize..6, 0u64..4), 2..40),
            seed in 0u64..1000,
        ) {
            const WORDS: [&str; 6] = ["harbor strike", "dockworkers pay", "council vote",
                "cycle lanes", "ferry fares", "storm warning"];
            let titles: Vec<String> = picks
                .iter()
                .map(|(a, b, _)| format!("{} {}", WORDS[*a], WORDS[*b]))
                .collect();
            let stories = |order: &[usize]| -> Vec<Features> {
                order
                    .iter()
                    .map(|&i| Features::new(&titles[i], "", picks[i].2, Some(i as i64 * 600)))
                    .collect()
            };
            let forward: Vec<usize> = (0..picks.len()).collect();
            let mut shuffled = forward.clone();
            let mut state = seed + 1;
            for i in (1..shuffled.len()).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let (_, in_order) = build(&stories(&forward), Tuning::default());
            let (_, read_shuffled) = build(&stories(&shuffled), Tuning::default());
            let mut again = vec![0; picks.len()];
            for (at, &i) in shuffled.iter().enumerate() {
                again[i] = read_shuffled[at];
            }
            proptest::prop_assert_eq!(in_order, again);
        }
    }
}
