//! Pairing stories with headlines one to one, best match first: the last
//! step of title inference, once candidates are scored.

use rayon::prelude::*;

/// A possible title for a story.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Candidate {
    pub headline: u32,
    pub coverage: f32,
}

/// A candidate pairing, with what breaks ties between equal coverages.
pub struct Pairing<K> {
    pub story: usize,
    pub candidate: Candidate,
    /// The headline stands in the story's own related block.
    pub own_block: bool,
    /// Order-independent tie-breaker (story id, headline key), so titles do
    /// not depend on the order files were loaded in.
    pub tie: K,
}

/// A greedy assignment made in steps: when no pairing of a step ranks
/// above one taken in an earlier step (other than itself again), the steps
/// give what one pass over all of them would.
pub(super) struct Assignment {
    pub(super) title: Vec<Option<usize>>,
    taken: Vec<bool>,
}

impl Assignment {
    pub(super) fn new(stories: usize, headlines: usize) -> Self {
        Assignment {
            title: vec![None; stories],
            taken: vec![false; headlines],
        }
    }

    /// Best first, each pairing whose story and headline are both free.
    /// (No two pairings tie whole: a story and a headline pair once.)
    pub(super) fn take<K: Ord + Send>(&mut self, mut pairings: Vec<Pairing<K>>) {
        pairings.par_sort_unstable_by(|a, b| {
            b.candidate
                .coverage
                .total_cmp(&a.candidate.coverage)
                .then(b.own_block.cmp(&a.own_block))
                .then_with(|| a.tie.cmp(&b.tie))
        });
        for pairing in pairings {
            let headline = pairing.candidate.headline as usize;
            if self.title[pairing.story].is_none() && !self.taken[headline] {
                self.title[pairing.story] = Some(headline);
                self.taken[headline] = true;
            }
        }
    }
}
