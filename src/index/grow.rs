//! Growing the stored library by the stories of files added since it was
//! built (see [`crate::model::growth`]): what `tidings check` does after a
//! feed update or a copy of new stories, in a fraction of a full build.

use std::path::PathBuf;

use super::libraries::{keep, roots_key, stored_snapshot};
use super::plan::{Mode, Plan, Want};
use super::records::{StoryFacts, decode, decode_words};
use super::refresh::{Built, update};
use super::rows::IndexRows;
use super::snapshot::Added;
use super::walked::Walk;
use super::{Index, Problem, fill, gc, schema, snapshot};
use crate::load::Progress;
use crate::model::{Growth, Library, StoredStory};

/// Under the writers' lock: the library stored for `paths` grown by the
/// files `walk` finds added since, if that is all that changed and nothing
/// about them takes a full build (for the reader, which shows the stored
/// library meanwhile).
pub(super) fn grow_stored(
    index: &mut Index,
    paths: &[PathBuf],
    walk: &Walk,
    progress: &Progress,
) -> Result<Option<Library>, Problem> {
    let stored = index
        .conn
        .prepare_cached(schema::SELECT_SNAPSHOT)?
        .query_row([roots_key(paths)], |row| {
            let id = row.get(0)?;
            let walked = row.get_ref(1)?.as_blob()?;
            let Some(added) = snapshot::added(walked, walk) else {
                return Ok(None);
            };
            let mut library = stored_snapshot(&index.conn, id)?;
            let library = snapshot::decode_stored(walked, &mut library, 0);
            Ok(library.map(|library| (library, id, added)))
        });
    let Ok(Some((library, id, added))) = stored else {
        return Ok(None);
    };
    grow(
        index,
        paths,
        walk,
        (library, id),
        added,
        Mode::Search,
        progress,
    )
}

/// What growing needs of a story's row.
fn read_story(row: &rusqlite::Row) -> rusqlite::Result<StoredStory> {
    let damaged = |e: postcard::Error| rusqlite::Error::ToSqlConversionFailure(e.into());
    let facts: StoryFacts = decode(row.get_ref(0)?.as_blob()?).map_err(damaged)?;
    let words = decode_words(row.get_ref(1)?.as_blob()?).map_err(damaged)?;
    Ok(StoredStory {
        words,
        first_sentence: facts.first_sentence,
    })
}

/// Under the writers' lock: the stored `library` (the `libraries` row
/// `id`) grown by the stories of the `added` files (see
/// [`Library::grow`]), which are read and written to the index; then kept.
/// None if it takes a full build (the added files' rows are written all
/// the same).
pub(super) fn grow(
    index: &mut Index,
    paths: &[PathBuf],
    walk: &Walk,
    (library, id): (Library, i64),
    added: Added,
    mode: Mode,
    progress: &Progress,
) -> Result<Option<Library>, Problem> {
    let growth: Option<Growth> = index.conn.query_row(schema::SELECT_GROWTH, [id], |row| {
        Ok(decode(row.get_ref(0)?.as_blob()?).ok())
    })?;
    let Some(growth) = growth else {
        return Ok(None);
    };
    let rows = IndexRows::numbers(&index.conn)?;
    let plan = Plan {
        paths: walk.absolute_paths(),
        changed: added.files,
        vanished: Vec::new(),
    };
    let want = Want::Added {
        text: mode != Mode::Now,
    };
    let Some(Built {
        pieces,
        spellings,
        dictionary,
        settled,
    }) = update(&mut index.conn, walk, rows, &plan, want, progress)?
    else {
        return Ok(None);
    };
    progress.start_building();
    let conn = &index.conn;
    // Read in the order of their rows, which neighbour on disk.
    let stored = |rows: &[i64]| -> Option<Vec<StoredStory>> {
        let mut select = conn.prepare_cached(schema::SELECT_STORY).ok()?;
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_unstable_by_key(|&i| rows[i]);
        let mut found: Vec<Option<StoredStory>> = (0..rows.len()).map(|_| None).collect();
        for i in order {
            found[i] = select.query_row([rows[i]], read_story).ok();
        }
        found.into_iter().collect()
    };
    let Some((library, growth)) =
        library.grow(growth, &added.moved, pieces, spellings, &dictionary, stored)
    else {
        return Ok(None);
    };
    if settled {
        keep(&index.conn, paths, walk, &library, Some(&growth))?;
    }
    if mode != Mode::Soon {
        gc::collect_if_due(&index.conn)?;
    }
    if mode == Mode::Search {
        let files = fill::TextWanted::new(plan.paths.iter().map(Vec::as_slice));
        fill::fill(&mut index.conn, &files, progress)?;
    }
    Ok(Some(library))
}

#[cfg(test)]
mod tests {
    use std::path::Path;
    use std::time::{Duration, SystemTime};

    use proptest::prelude::*;

    use super::super::open_library;
    use super::*;

    /// Bodies that compete for one pool of headlines (as in
    /// tests/suite/index.rs), so that a new story can take an old one's title.
    const BODIES: &[&str] = &[
        "The national rail strike entered its third day as talks stalled again.",
        "The rail strike ended on Friday after the union accepted a deal.",
        "The harbour ferry will run every fifteen minutes from March.",
        "The city council approved the budget after a long night of debate.",
        "Strikers gathered outside the ministry, striking drums.",
        "东京的地铁今天早上恢复运行。",
        "Ferry crews voted to strike over pay as the port said talks continue.",
    ];
    const HEADLINES: &[&str] = &[
        "Rail Strike Enters Third Day as Talks Stall",
        "Rail Strike Ends After Union Accepts Deal",
        "Harbour Ferry to Run Every Fifteen Minutes",
        "City Council Approves Budget",
        "Strikers Gather Outside Ministry",
        "Ferry Crews Vote to Strike",
        "东京地铁恢复运行",
        "Bridge Repairs Delayed Until Summer",
    ];

    #[derive(Debug, Clone)]
    enum NewFile {
        /// A plain story: body, related headlines (each maybe spelled in
        /// lower case).
        Plain(usize, Vec<(usize, bool)>),
        /// A TOML story stating a headline as its title, maybe dated.
        Stated(usize, usize, Option<u8>),
        /// The same story as another file's (the same id).
        Copy(usize),
        /// A headlines-only file.
        Headlines(Vec<usize>),
    }

    fn new_file() -> impl Strategy<Value = NewFile> {
        let related = prop::collection::vec((0..HEADLINES.len(), any::<bool>()), 0..4);
        prop_oneof![
            6 => (0..BODIES.len(), related).prop_map(|(b, r)| NewFile::Plain(b, r)),
            2 => (0..HEADLINES.len(), 0..BODIES.len(), prop::option::of(0u8..5))
                .prop_map(|(h, b, d)| NewFile::Stated(h, b, d)),
            1 => (0..BODIES.len()).prop_map(NewFile::Copy),
            1 => prop::collection::vec(0..HEADLINES.len(), 1..3).prop_map(NewFile::Headlines),
        ]
    }

    /// Writes file number `slot`, old enough for the index to trust.
    fn write(dir: &Path, slot: usize, added: &NewFile) {
        let body = |b: usize| format!("{} Report {slot}.", BODIES[b]);
        let (name, text) = match added {
            NewFile::Plain(b, related) => {
                let mut text = format!("{}\n\n\n", body(*b));
                for &(h, lower) in related {
                    let line = HEADLINES[h];
                    text.push_str(&if lower {
                        line.to_lowercase()
                    } else {
                        line.into()
                    });
                    text.push('\n');
                }
                (format!("{slot:02}.txt"), text)
            }
            NewFile::Stated(h, b, date) => {
                let date = date.map_or(String::new(), |d| format!("date = 2026-11-1{d}\n"));
                let text = format!("title = {:?}\nbody = {:?}\n{date}", HEADLINES[*h], body(*b));
                (format!("{slot:02}.toml"), text)
            }
            NewFile::Copy(b) => (format!("{slot:02}.txt"), format!("{}\n", BODIES[*b])),
            NewFile::Headlines(related) => {
                let lines: Vec<&str> = related.iter().map(|&h| HEADLINES[h]).collect();
                (
                    format!("{slot:02}.txt"),
                    format!("\n\n{}\n", lines.join("\n")),
                )
            }
        };
        let path = dir.join(name);
        std::fs::write(&path, text).unwrap();
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + slot as u64);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    }

    /// Everything a library shows: stories in order with titles, related
    /// headlines and the headlines they open, the pool in order, and the
    /// problems.
    fn described(library: &Library) -> Vec<String> {
        let headline = |h: usize| {
            let opens = library.headlines[h].story().map(|s| &library.stories[s].id);
            format!("{} -> {opens:?}", library.headlines[h].text)
        };
        let stories = library.stories.iter().map(|s| {
            let related: Vec<String> = s.related().map(headline).collect();
            let own = s.headline().map(headline);
            format!(
                "{} {:?} {:?} {} {own:?} {related:?}",
                s.id, s.title, s.title_source, s.path
            )
        });
        let pool = (0..library.headlines.len()).map(headline);
        let problems = library.diagnostics.iter().map(|d| format!("{d:?}"));
        stories.chain(pool).chain(problems).collect()
    }

    /// Adds each batch of files in turn, comparing the library the index
    /// gives with one built without it; gives how many times it grew.
    fn add_in_batches(batches: &[Vec<(usize, NewFile)>]) -> Result<usize, TestCaseError> {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("stories");
        std::fs::create_dir(&dir).unwrap();
        let paths = vec![dir.clone()];
        let index = home.path().join("index.sqlite");
        let mut grown = 0;
        let mut used = [false; 64];
        for batch in batches {
            for (slot, added) in batch {
                if !std::mem::replace(&mut used[*slot], true) {
                    write(&dir, *slot, added);
                }
            }
            let progress = Progress::default();
            let with = open_library(&paths, Some(&index), Mode::Now, &progress);
            grown += usize::from(with.grown);
            let without = Library::load(&paths);
            prop_assert_eq!(
                described(&with.library),
                described(&without),
                "after {:?}",
                batch
            );
        }
        Ok(grown)
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

        /// The library grown by added files is the one built from all of
        /// them, wherever the new files fall in load order.
        #[test]
        fn a_grown_library_is_the_one_built_from_every_file(
            batches in prop::collection::vec(
                prop::collection::vec((0usize..64, new_file()), 1..4),
                2..6,
            )
        ) {
            add_in_batches(&batches)?;
        }
    }

    #[test]
    fn the_reader_shows_a_large_library_as_stored_then_grown() {
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("stories");
        std::fs::create_dir(&dir).unwrap();
        let story = |n: usize| NewFile::Plain(n % BODIES.len(), vec![(n % HEADLINES.len(), false)]);
        // More files than the reader shows stored without looking at them
        // first (`open::SHOW_STORED_ABOVE`).
        for n in 0..5_001 {
            write(&dir, 100 + n, &story(n));
        }
        let (paths, index) = (vec![dir.clone()], home.path().join("index.sqlite"));
        let progress = Progress::default();
        let before = open_library(&paths, Some(&index), Mode::Now, &progress).library;
        write(&dir, 7, &story(7));
        write(&dir, 9_999, &NewFile::Stated(0, 1, Some(3)));

        let opened = open_library(&paths, Some(&index), Mode::Soon, &progress);
        assert_eq!(described(&opened.library), described(&before));
        let done = opened
            .pending
            .expect("a check in the background")
            .run(&progress);
        let grown = match done {
            Ok(super::super::Done::Grown(grown)) => grown,
            Ok(super::super::Done::Rebuilt(_)) => panic!("built again, not grown"),
            _ => panic!("the library shown was not replaced"),
        };
        assert_eq!(described(&grown), described(&Library::load(&paths)));
        assert_eq!(grown.stories.len(), 5_003);
    }

    /// A library's clusters as sets of story ids, in a fixed order.
    fn partition(library: &Library) -> Vec<Vec<String>> {
        let mut groups: std::collections::BTreeMap<u32, Vec<String>> = Default::default();
        for story in &library.stories {
            groups
                .entry(story.cluster)
                .or_default()
                .push(story.id.to_string());
        }
        let mut groups: Vec<Vec<String>> = groups.into_values().collect();
        groups.iter_mut().for_each(|g| g.sort());
        groups.sort();
        groups
    }

    /// Events whose reports share every word with each other and none
    /// with another event's.
    const EVENTS: &[&str] = &[
        "Lindmouth dockworkers strike harbor cranes",
        "Council approves Mill Road cycle lanes",
        "Cathedral choir tours Norway",
        "Old bakery reopens as bread museum",
    ];

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

        /// Clusters grown story by story, as files arrive in batches, are
        /// those a build of every file at once gives, where the order
        /// cannot matter by construction: each event's reports are alike
        /// in every word, and events share none. (Otherwise they may
        /// differ: a build weighs words by the whole library and places
        /// stories in date order; growing weighs them by the stories seen
        /// so far and places each batch after the ones before.)
        #[test]
        fn clusters_grown_as_files_arrive_are_the_clusters_built_at_once(
            batches in prop::collection::vec(
                prop::collection::vec((0usize..48, 0..EVENTS.len(), 0u8..3), 1..6),
                2..5,
            )
        ) {
            let home = tempfile::tempdir().unwrap();
            let dir = home.path().join("stories");
            std::fs::create_dir(&dir).unwrap();
            let (paths, index) = (vec![dir.clone()], home.path().join("index.sqlite"));
            let mut used = [false; 48];
            for batch in &batches {
                for &(slot, event, hour) in batch {
                    if std::mem::replace(&mut used[slot], true) {
                        continue;
                    }
                    let text = format!(
                        "id = \"s{slot}\"\ntitle = {:?}\nbody = {:?}\nsource = \"Feed {slot}\"\n\
                         date = 2026-11-20T0{hour}:00:00Z\n",
                        EVENTS[event], EVENTS[event]
                    );
                    let path = dir.join(format!("{slot:02}.toml"));
                    std::fs::write(&path, text).unwrap();
                    let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000);
                    std::fs::File::options().write(true).open(&path).unwrap()
                        .set_modified(when).unwrap();
                }
                let progress = Progress::default();
                let with = open_library(&paths, Some(&index), Mode::Now, &progress);
                prop_assert_eq!(partition(&with.library), partition(&Library::load(&paths)));
            }
        }
    }

    #[test]
    fn new_stories_take_old_titles_and_spellings_and_the_library_grows() {
        use NewFile::*;
        let batches = vec![
            vec![
                (10, Plain(0, vec![(1, false), (0, false)])),
                (20, Plain(3, vec![(3, false), (7, false)])),
                (30, Plain(2, vec![])),
            ],
            // Earlier in load order: names headline 0 first, in lower case,
            // and states headline 3, which file 20 had as its title.
            vec![
                (5, Plain(1, vec![(0, true), (1, true), (5, false)])),
                (6, Stated(3, 3, Some(2))),
            ],
            // A story with no related headlines finds some.
            vec![(40, Plain(6, vec![]))],
        ];
        let grown = add_in_batches(&batches).unwrap();
        assert_eq!(grown, 2, "each batch after the first grows the library");
    }
}
