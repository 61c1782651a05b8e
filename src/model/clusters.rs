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
//! event twice. Otherwise the story starts a cluster of its own. A
//! cluster keeps the id of its first story's cluster for as long as it
//! lives.

use rustc_hash::{FxHashMap, FxHashSet};

/// A cluster's id: the number of clusters begun before it.
pub type ClusterId = u32;

/// The bars a story must clear to join a cluster.
#[derive(Debug, Clone, Copy)]
pub struct Tuning {
    /// The cosine of the story's words with the cluster's centroid.
    pub join: f32,
    /// Added to `join` when the cluster has a story of the same source.
    pub same_source: f32,
    /// Seconds after a cluster's last story in which it takes new ones.
    pub window: i64,
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
            centroid_terms: 40,
            merge: 0.1,
        }
    }
}

/// A story as clustering sees it: its words and how often each stands
/// there (the headline's twice, the text's opening once), its source and
/// its date (seconds since the epoch). Made on any thread.
pub struct Features {
    terms: Vec<(u64, f32)>,
    pub source: u64,
    pub date: Option<i64>,
}

impl Features {
    pub fn terms(&self) -> &[(u64, f32)] {
        &self.terms
    }

    pub fn new(title: &str, text: &str, source: u64, date: Option<i64>) -> Features {
        let mut terms: FxHashMap<u64, f32> = FxHashMap::default();
        let mut add = |text: &str, limit: usize, weight: f32| {
            for token in crate::text::tokens::of(text).iter().take(limit) {
                *terms.entry(term(token)).or_default() += weight;
            }
        };
        add(title, usize::MAX, 2.0);
        add(text, TEXT_WORDS, 1.0);
        Features {
            terms: terms.into_iter().collect(),
            source,
            date,
        }
    }
}

/// A word as a term: a plural's final `s` dropped, so that "strikes" and
/// "strike" are one.
fn term(token: &str) -> u64 {
    let word = match token.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') => stem,
        _ => token,
    };
    xxhash_rust::xxh3::xxh3_64(word.as_bytes())
}

/// How many of a story's text's words count (its opening, where news
/// says what happened).
const TEXT_WORDS: usize = 60;

#[derive(Debug)]
struct Cluster {
    /// Term to summed weight, of the heaviest terms only.
    centroid: FxHashMap<u64, f32>,
    norm: f32,
    sources: FxHashSet<u64>,
    last: Option<i64>,
    size: u32,
}

/// Clusters grown story by story.
#[derive(Debug)]
pub struct Clusterer {
    tuning: Tuning,
    /// Term to how many stories have it.
    frequency: FxHashMap<u64, u32>,
    stories: u32,
    clusters: Vec<Cluster>,
    /// Term to the clusters whose centroid has it.
    postings: FxHashMap<u64, Vec<ClusterId>>,
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
        if !counted {
            self.stories += 1;
            for (term, _) in &story.terms {
                *self.frequency.entry(*term).or_default() += 1;
            }
        }
        self.newest = self.newest.max(story.date);
        let weights = self.weigh(&story.terms);
        self.prune(weights.iter().map(|(term, _)| *term));
        let id = match self.best_cluster(&weights, story) {
            Some(id) => id,
            None => {
                let id = self.clusters.len() as ClusterId;
                self.clusters.push(Cluster {
                    centroid: FxHashMap::default(),
                    norm: 0.0,
                    sources: FxHashSet::default(),
                    last: None,
                    size: 0,
                });
                self.merged_into.push(id);
                id
            }
        };
        self.join(id, &weights, story.source, story.date);
        self.merge_around(id)
    }

    /// Merges `id` with the open clusters whose centroids are close to
    /// its own, into the oldest; gives the cluster it is part of then.
    fn merge_around(&mut self, mut id: ClusterId) -> ClusterId {
        loop {
            let terms: Vec<u64> = self.clusters[id as usize]
                .centroid
                .keys()
                .copied()
                .collect();
            self.prune(terms.into_iter());
            let cluster = &self.clusters[id as usize];
            let mut dot: FxHashMap<ClusterId, f32> = FxHashMap::default();
            for (term, weight) in &cluster.centroid {
                for &other in self.postings.get(term).map_or(&[][..], Vec::as_slice) {
                    if other != id {
                        *dot.entry(other).or_default() +=
                            weight * self.clusters[other as usize].centroid[term];
                    }
                }
            }
            let close = dot
                .into_iter()
                .filter_map(|(other_id, dot)| {
                    let other = &self.clusters[other_id as usize];
                    let open = match (cluster.last, other.last) {
                        (Some(a), Some(b)) => (a - b).abs() <= self.tuning.window,
                        _ => true,
                    };
                    let cosine = dot / (cluster.norm * other.norm);
                    (open && cosine >= self.tuning.merge).then_some((other_id, cosine))
                })
                .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)));
            let Some((other, _)) = close else {
                return id;
            };
            let (kept, gone) = (id.min(other), id.max(other));
            let gone_cluster = std::mem::replace(
                &mut self.clusters[gone as usize],
                Cluster {
                    centroid: FxHashMap::default(),
                    norm: 0.0,
                    sources: FxHashSet::default(),
                    last: None,
                    size: 0,
                },
            );
            for term in gone_cluster.centroid.keys() {
                if let Some(postings) = self.postings.get_mut(term)
                    && let Some(at) = postings.iter().position(|&c| c == gone)
                {
                    postings.swap_remove(at);
                }
            }
            let weights: Vec<(u64, f32)> = gone_cluster.centroid.into_iter().collect();
            for source in gone_cluster.sources {
                self.clusters[kept as usize].sources.insert(source);
            }
            self.join(kept, &weights, 0, gone_cluster.last);
            self.clusters[kept as usize].size += gone_cluster.size - 1;
            self.merged_into[gone as usize] = kept;
            id = kept;
        }
    }

    /// Drops the clusters that closed from the postings of `terms`, so
    /// that a large library's long-finished events cost nothing. (A story
    /// dated more than a window before the newest cannot join them
    /// either: it starts a cluster of its own.)
    fn prune(&mut self, terms: impl Iterator<Item = u64>) {
        let (clusters, window) = (&self.clusters, self.tuning.window);
        let Some(newest) = self.newest else {
            return;
        };
        for term in terms {
            if let Some(postings) = self.postings.get_mut(&term) {
                postings.retain(|&c| {
                    clusters[c as usize]
                        .last
                        .is_none_or(|last| newest - last <= window)
                });
            }
        }
    }

    /// Each term's weight in a story: how often it stands there (damped)
    /// times how rare it is, the whole of unit length (so that the sum of
    /// products of two stories' weights is their cosine).
    pub fn weigh(&self, terms: &[(u64, f32)]) -> Vec<(u64, f32)> {
        let stories = self.stories as f32;
        let mut weights: Vec<(u64, f32)> = terms
            .iter()
            .map(|(term, count)| {
                let frequency = self.frequency.get(term).copied().unwrap_or(1) as f32;
                (*term, (1.0 + count.ln()) * (1.0 + stories / frequency).ln())
            })
            .collect();
        let norm = weights.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        if norm > 0.0 {
            weights.iter_mut().for_each(|(_, w)| *w /= norm);
        }
        weights
    }

    fn best_cluster(&self, weights: &[(u64, f32)], story: &Features) -> Option<ClusterId> {
        let mut dot: FxHashMap<ClusterId, f32> = FxHashMap::default();
        for (term, weight) in weights {
            for &id in self.postings.get(term).map_or(&[][..], Vec::as_slice) {
                let cluster = &self.clusters[id as usize];
                *dot.entry(id).or_default() += weight * cluster.centroid[term];
            }
        }
        dot.into_iter()
            .filter_map(|(id, dot)| {
                let cluster = &self.clusters[id as usize];
                let open = match (cluster.last, story.date) {
                    (Some(last), Some(date)) => (date - last).abs() <= self.tuning.window,
                    _ => true,
                };
                let mut bar = self.tuning.join;
                if cluster.sources.contains(&story.source) {
                    bar += self.tuning.same_source;
                }
                let cosine = dot / cluster.norm;
                (open && cosine >= bar).then_some((id, cosine))
            })
            .max_by(|a, b| a.1.total_cmp(&b.1).then(b.0.cmp(&a.0)))
            .map(|(id, _)| id)
    }

    /// Adds `weights` (a story's, or a merged cluster's centroid) to
    /// cluster `id`.
    fn join(&mut self, id: ClusterId, weights: &[(u64, f32)], source: u64, date: Option<i64>) {
        let cluster = &mut self.clusters[id as usize];
        for (term, weight) in weights {
            *cluster.centroid.entry(*term).or_default() += weight;
        }
        let before: FxHashSet<u64> = cluster.centroid.keys().copied().collect();
        if cluster.centroid.len() > self.tuning.centroid_terms {
            let mut kept: Vec<(u64, f32)> = cluster.centroid.drain().collect();
            kept.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            kept.truncate(self.tuning.centroid_terms);
            cluster.centroid = kept.into_iter().collect();
        }
        cluster.norm = cluster.centroid.values().map(|w| w * w).sum::<f32>().sqrt();
        cluster.sources.insert(source);
        cluster.last = cluster.last.max(date);
        cluster.size += 1;
        for term in &before {
            let kept = cluster.centroid.contains_key(term);
            let postings = self.postings.entry(*term).or_default();
            let at = postings.iter().position(|&c| c == id);
            match (kept, at) {
                (true, None) => postings.push(id),
                (false, Some(at)) => {
                    postings.swap_remove(at);
                }
                _ => {}
            }
        }
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
}
