//! The headline pool of a grown library: the old headlines and those the
//! added articles name, in the order first named, each with the spelling
//! seen first, as a build over every file would have them.

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::model::assemble::Links;
use crate::model::growth::LOOSE;
use crate::model::prepare::{Place, Prepared, Spellings, line_place};
use crate::model::{Headline, packed};
use crate::text::headline_key;

/// The headlines of the grown library: in the order first named, with the
/// spelling seen first, as a build over every file would have them.
pub(super) struct GrownPool {
    pub(super) headlines: Vec<Headline>,
    pub(super) keys: Vec<u128>,
    /// Key -> headline, in the grown pool.
    pub(super) by_key: FxHashMap<u128, usize>,
    pub(super) first: Vec<Place>,
    pub(super) spelled: Vec<Place>,
    /// Old headline -> its number now.
    pub(super) renumber: Vec<usize>,
    /// Old headlines in places of their own.
    pub(super) moved: bool,
    /// Headlines whose spelling is now a new file's.
    pub(super) respelled: Vec<bool>,
}

/// A headline of the grown pool, being placed.
pub(super) struct Entry {
    pub(super) key: u128,
    pub(super) first: Place,
    pub(super) spelled: Place,
    /// Its spelling, where a new file gives the one shown now.
    pub(super) spelling: Option<String>,
}

impl GrownPool {
    /// `old` and where each was first named and spelled (`places`, as the
    /// old walk numbers files: `moved` renumbers them), grown by what the
    /// `added` articles name.
    pub(super) fn new(
        old: Vec<Headline>,
        places: impl Iterator<Item = (Place, Place)>,
        moved: &[usize],
        added: &[Prepared],
        spellings: Spellings,
    ) -> Option<GrownPool> {
        let (mut entries, mut by_key) = old_entries(&old, places, moved)?;
        name_added(&mut entries, &mut by_key, added, spellings);
        let order = first_named_order(&entries)?;
        let mut renumber = vec![0; entries.len()];
        for (now, &h) in order.iter().enumerate() {
            renumber[h] = now;
        }
        by_key.values_mut().for_each(|h| *h = renumber[*h]);
        let moved = (0..old.len()).any(|h| renumber[h] != h);
        renumber.truncate(old.len());
        let (headlines, respelled) = headlines_in_order(old, &entries, &order)?;
        Some(GrownPool {
            headlines,
            keys: order.iter().map(|&h| entries[h].key).collect(),
            by_key,
            first: order.iter().map(|&h| entries[h].first).collect(),
            spelled: order.iter().map(|&h| entries[h].spelled).collect(),
            renumber,
            moved,
            respelled,
        })
    }

    /// Each added article's stated title and related block.
    pub(super) fn links(&self, added: &[Prepared]) -> Vec<Links> {
        added
            .iter()
            .map(|article| {
                let mut related: Vec<usize> = Vec::with_capacity(article.related_keys.len());
                for key in &article.related_keys {
                    let h = self.by_key[key];
                    if !related.contains(&h) {
                        related.push(h);
                    }
                }
                let stated = article.title_key.map(|key| self.by_key[&key]);
                Links { stated, related }
            })
            .collect()
    }

    /// The headline with this text.
    pub(super) fn find(&self, text: &str) -> Option<usize> {
        self.by_key
            .get(&headline_key(text, &mut String::new()))
            .copied()
    }
}

/// The old headlines as entries, their places renumbered by `moved`, and
/// each key's headline.
fn old_entries(
    old: &[Headline],
    places: impl Iterator<Item = (Place, Place)>,
    moved: &[usize],
) -> Option<(Vec<Entry>, FxHashMap<u128, usize>)> {
    let remap = |place: Place| -> Option<Place> {
        let file = ((place & !LOOSE) >> 32) as usize;
        let now = *moved.get(file)? as u64;
        Some(place & LOOSE | now << 32 | place & 0xffff_ffff)
    };
    let old_keys: Vec<u128> = old
        .par_iter()
        .map_init(String::new, |buf, h| headline_key(&h.text, buf))
        .collect();
    let entries: Vec<Entry> = old_keys
        .iter()
        .zip(places)
        .map(|(&key, (first, spelled))| {
            Some(Entry {
                key,
                first: remap(first)?,
                spelled: remap(spelled)?,
                spelling: None,
            })
        })
        .collect::<Option<_>>()?;
    let by_key = old_keys.iter().enumerate().map(|(h, &k)| (k, h)).collect();
    Some((entries, by_key))
}

/// Where the added articles name headlines: earlier than the old files, a
/// headline moves up the pool; spelled earlier, it takes their spelling.
fn name_added(
    entries: &mut Vec<Entry>,
    by_key: &mut FxHashMap<u128, usize>,
    added: &[Prepared],
    mut spellings: Spellings,
) {
    let mut named = Vec::new();
    for article in added {
        let stated = article.title_key.iter().map(|&key| (key, 0));
        let related = article.related_keys.iter().enumerate();
        for (key, line) in stated.chain(related.map(|(l, &key)| (key, l + 1))) {
            let at = line_place(article.place, line);
            let h = *by_key.entry(key).or_insert_with(|| {
                entries.push(Entry {
                    key,
                    first: at,
                    spelled: Place::MAX,
                    spelling: None,
                });
                entries.len() - 1
            });
            entries[h].first = entries[h].first.min(at);
            named.push(key);
        }
    }
    named.sort_unstable();
    named.dedup();
    for key in named {
        let (at, spelling) = spellings.take(key);
        let entry = &mut entries[by_key[&key]];
        if at < entry.spelled {
            (entry.spelled, entry.spelling) = (at, Some(spelling));
        }
    }
}

/// The entries in the order first named; None if two share a place.
fn first_named_order(entries: &[Entry]) -> Option<Vec<usize>> {
    let mut order: Vec<usize> = (0..entries.len()).collect();
    order.par_sort_unstable_by_key(|&h| entries[h].first);
    // Places are distinct but for lines beyond the 65,535th of a block.
    let tied = order
        .windows(2)
        .any(|w| entries[w[0]].first == entries[w[1]].first);
    (!tied).then_some(order)
}

/// The headlines in `order`: old ones as they were, unless a new file
/// gives the spelling shown now (then respelled).
fn headlines_in_order(
    old: Vec<Headline>,
    entries: &[Entry],
    order: &[usize],
) -> Option<(Vec<Headline>, Vec<bool>)> {
    let spellings: Vec<&str> = order
        .iter()
        .filter_map(|&h| entries[h].spelling.as_deref())
        .collect();
    let mut spellings = packed(&spellings).into_iter();
    let mut old: Vec<Option<Headline>> = old.into_iter().map(Some).collect();
    let mut respelled = vec![false; entries.len()];
    let headlines = order
        .iter()
        .zip(&mut respelled)
        .map(|(&h, respelled)| {
            let story = None;
            let kept = old.get_mut(h).and_then(Option::take);
            match (&entries[h].spelling, kept) {
                (None, Some(kept)) => Some(Headline { story, ..kept }),
                (Some(_), _) => {
                    *respelled = true;
                    let text = spellings.next()?;
                    Some(Headline { text, story })
                }
                (None, None) => None,
            }
        })
        .collect::<Option<_>>()?;
    Some((headlines, respelled))
}
