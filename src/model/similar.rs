//! Related headlines for stories that bring none (feed items, structured
//! stories without `related`, plain files without a block): the titles of
//! the other stories whose headlines the story's words cover best, weighed
//! by rarity exactly as title inference weighs them. Two stories about one
//! event share their rare words (names, places, numbers), so each finds the
//! other's headline; a story that shares only common words finds none
//! rather than a list of noise.

use rayon::prelude::*;

use super::titles::{Tally, Vocabulary, WordId};

/// At most this many related headlines are found for a story.
pub const MAX_RELATED: usize = 8;
/// A headline must have this share of its weight in a story's words to be
/// named related. Lower than a title's bar, since another story tells the
/// same event in other words; the two-word rule of title inference still
/// holds, so one shared name is never enough.
const MIN_COVERAGE: f32 = 0.4;

/// For each story that seeks related headlines (given by its own headline,
/// if it has one), the headlines of up to [`MAX_RELATED`] other stories,
/// best first. Only headlines that are `titles` (they open a story) are
/// found; `keys` break ties, so the order does not depend on load order.
/// `words` gives each seeking story's words in the headlines' vocabulary.
pub fn related(
    headlines: &[&str],
    keys: &[u128],
    titles: &[bool],
    seeking: &[Option<usize>],
    words: impl FnOnce(&Vocabulary) -> Vec<Vec<WordId>>,
) -> Vec<Vec<usize>> {
    if seeking.is_empty() || !titles.contains(&true) {
        return vec![Vec::new(); seeking.len()];
    }
    let vocabulary = Vocabulary::new(headlines, titles);
    let words = words(&vocabulary);
    let index = vocabulary.index(&words, MIN_COVERAGE);
    seeking
        .par_iter()
        .zip(&words)
        .map_init(Tally::default, |tally, (&own, words)| {
            let mut found = index.candidates(words, &[], tally);
            found.retain(|c| Some(c.headline as usize) != own);
            found.sort_by(|a, b| {
                b.coverage
                    .total_cmp(&a.coverage)
                    .then_with(|| keys[a.headline as usize].cmp(&keys[b.headline as usize]))
            });
            found.truncate(MAX_RELATED);
            found.into_iter().map(|c| c.headline as usize).collect()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::titles::WordSet;

    /// Related headlines for each story (its text, its own headline) over
    /// `pool`, every headline a title.
    fn related_over(pool: &[&str], stories: &[(&str, Option<usize>)]) -> Vec<Vec<usize>> {
        let keys: Vec<u128> = (0..pool.len() as u128).collect();
        let seeking: Vec<Option<usize>> = stories.iter().map(|s| s.1).collect();
        related(pool, &keys, &vec![true; pool.len()], &seeking, |v| {
            stories
                .iter()
                .map(|(text, _)| v.story_words([*text], &mut WordSet::default()))
                .collect()
        })
    }

    #[test]
    fn two_reports_of_one_event_name_each_other_and_nothing_else() {
        let pool = [
            "Harbor Cranes Stop as Dockworkers Strike Over Pay",
            "Port of Lindmouth Idle on First Day of Dock Strike",
            "Council Approves New Cycle Lanes on Mill Road",
            "Strike Talks Planned for Next Week",
        ];
        let found = related_over(
            &pool,
            &[
                (
                    "Harbor cranes stopped at dawn as dockworkers in Lindmouth began a \
                     strike over pay. By noon the port was idle on the first day of the \
                     dock strike, and ships waited offshore.",
                    Some(0),
                ),
                (
                    "The port of Lindmouth stood idle on the first day of the dock strike, \
                     with harbor cranes still and dockworkers picketing over pay.",
                    Some(1),
                ),
                ("The council approved cycle lanes on Mill Road.", Some(2)),
            ],
        );
        assert_eq!(found[0], [1]);
        assert_eq!(found[1], [0]);
        assert!(found[2].is_empty(), "{:?}", found[2]);
    }

    #[test]
    fn at_most_eight_best_first() {
        let pool: Vec<String> = (0..12)
            .map(|i| format!("Glacier Melt Report {i} From Svalbard"))
            .collect();
        let pool: Vec<&str> = pool.iter().map(String::as_str).collect();
        let found = related_over(
            &pool,
            &[(
                "A glacier melt report from Svalbard, the fourth: report 4 of 12.",
                None,
            )],
        );
        assert_eq!(found[0].len(), MAX_RELATED);
        assert_eq!(found[0][0], 4, "the one naming report 4 covers most");
    }
}
