//! The index on disk changes how fast tidings is, never what it says:
//! after any change to the files, `list`, `search` and `check` print the
//! same through the index as without it, over a damaged index too.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, SystemTime};

use crate::common::Corpus;
use proptest::prelude::*;

/// Runs `tidings ARGS` with state and config kept in `home`.
fn run(home: &Path, args: &[&str]) -> (i32, String, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(args)
        .env("HOME", home)
        .env("XDG_STATE_HOME", home.join("state"))
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_CACHE_HOME", home.join("cache"))
        .output()
        .unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

const QUERIES: &[&str] = &["ferry", "rail strike", "strik*", "council budget", "东京"];

/// Everything the three commands print about `dir`, through `index` or
/// without one.
fn outputs(home: &Path, dir: &str, index: Option<&Path>) -> Vec<(i32, String, String)> {
    let mode: Vec<String> = match index {
        Some(path) => vec!["--index".into(), path.to_string_lossy().into_owned()],
        None => vec!["--no-index".into()],
    };
    let mode: Vec<&str> = mode.iter().map(String::as_str).collect();
    let mut commands: Vec<Vec<&str>> = vec![
        vec!["list", "--json"],
        vec!["check", "--json"],
        vec!["check"],
        vec!["list"],
    ];
    for query in QUERIES {
        commands.push(vec!["search", "--json", query]);
    }
    commands.push(vec!["search", "strike"]);
    commands
        .into_iter()
        .map(|mut args| {
            args.extend(&mode);
            args.push(dir);
            run(home, &args)
        })
        .collect()
}

/// Stories that compete for one pool of headlines, so that a change in one
/// file can retitle a story in another.
const BODIES: &[&str] = &[
    "The national rail strike entered its third day as talks stalled again.\nCommuters crowded onto buses.",
    "The rail strike ended on Friday after the union accepted a deal.\nTrains ran again by evening.",
    "The harbour ferry will run every fifteen minutes from March.\nExtra crews have been hired.",
    "The city council approved the budget after a long night of debate.\nThe vote was close.",
    "Strikers gathered outside the ministry, striking drums.\nPolice watched from a distance.",
    "东京的地铁今天早上恢复运行。\n乘客很多。",
    "Ferry crews voted to strike over pay.\nThe port said talks continue.",
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
enum Change {
    /// Writes file `slot` with body `body` and related headlines `related`.
    Write {
        slot: usize,
        body: usize,
        related: Vec<usize>,
    },
    Delete(usize),
    Rename(usize, usize),
    /// A file that cannot be read as text.
    Break(usize),
    /// A headlines-only file.
    Headlines(usize, Vec<usize>),
    /// A TOML story with a stated title.
    Toml(usize, usize, usize),
}

fn change() -> impl Strategy<Value = Change> {
    let slot = 0usize..8;
    let related = prop::collection::vec(0..HEADLINES.len(), 0..4);
    prop_oneof![
        4 => (slot.clone(), 0..BODIES.len(), related.clone())
            .prop_map(|(slot, body, related)| Change::Write { slot, body, related }),
        1 => slot.clone().prop_map(Change::Delete),
        1 => (slot.clone(), slot.clone()).prop_map(|(a, b)| Change::Rename(a, b)),
        1 => slot.clone().prop_map(Change::Break),
        1 => (slot.clone(), related).prop_map(|(s, r)| Change::Headlines(s, r)),
        1 => (slot, 0..HEADLINES.len(), 0..BODIES.len()).prop_map(|(s, h, b)| Change::Toml(s, h, b)),
    ]
}

/// Applies a change; each file written gets a modification time of its
/// own, far enough in the past that the index trusts its stat (a real
/// edit would get the clock's time, and be read again next time anyway).
fn apply(dir: &Path, change: &Change, clock: &mut u64) {
    let name = |slot: usize, ext: &str| dir.join(format!("story-{slot}.{ext}"));
    let remove = |slot: usize| {
        for ext in ["txt", "toml"] {
            let _ = std::fs::remove_file(name(slot, ext));
        }
    };
    let mut write = |path: PathBuf, bytes: Vec<u8>| {
        std::fs::write(&path, bytes).unwrap();
        *clock += 1;
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + *clock);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    };
    match change {
        Change::Write {
            slot,
            body,
            related,
        } => {
            remove(*slot);
            let mut text = format!("{}\n\n\n", BODIES[*body]);
            for &h in related {
                text.push_str(HEADLINES[h]);
                text.push('\n');
            }
            write(name(*slot, "txt"), text.into_bytes());
        }
        Change::Delete(slot) => remove(*slot),
        Change::Rename(from, to) => {
            for ext in ["txt", "toml"] {
                if name(*from, ext).exists() && from != to {
                    remove(*to);
                    std::fs::rename(name(*from, ext), name(*to, ext)).unwrap();
                }
            }
        }
        Change::Break(slot) => {
            remove(*slot);
            write(name(*slot, "txt"), b"caf\xe9 latin-1 text\n".to_vec());
        }
        Change::Headlines(slot, related) => {
            remove(*slot);
            let lines: Vec<&str> = related.iter().map(|&h| HEADLINES[h]).collect();
            write(
                name(*slot, "txt"),
                format!("\n\n{}\n", lines.join("\n")).into_bytes(),
            );
        }
        Change::Toml(slot, headline, body) => {
            remove(*slot);
            let text = format!(
                "title = {:?}\nbody = {:?}\nrelated = [{:?}]\n",
                HEADLINES[*headline],
                BODIES[*body].replace('\n', "\n\n"),
                HEADLINES[(*headline + 1) % HEADLINES.len()]
            );
            write(name(*slot, "toml"), text.into_bytes());
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    #[test]
    fn the_index_never_changes_what_the_commands_say(
        changes in prop::collection::vec(change(), 1..7)
    ) {
        let corpus = Corpus::new();
        let home = tempfile::tempdir().unwrap();
        let stories = corpus.path().join("stories");
        std::fs::create_dir(&stories).unwrap();
        let index = home.path().join("index.sqlite");
        let dir = stories.to_str().unwrap();
        let mut clock = 0;
        for change in &changes {
            apply(&stories, change, &mut clock);
            let with = outputs(home.path(), dir, Some(&index));
            let without = outputs(home.path(), dir, None);
            prop_assert_eq!(with, without, "after {:?}", change);
        }
        // And once more with nothing changed: from the stored library.
        let again = outputs(home.path(), dir, Some(&index));
        prop_assert_eq!(again, outputs(home.path(), dir, None));
    }
}

/// A folder of the competing stories, each file old enough to trust.
fn stories() -> (Corpus, PathBuf) {
    let corpus = Corpus::new();
    let dir = corpus.path().join("stories");
    std::fs::create_dir(&dir).unwrap();
    let mut clock = 0;
    for (slot, body) in [0, 2, 3, 5, 6].into_iter().enumerate() {
        let related = vec![slot, (slot + 2) % HEADLINES.len(), 7];
        apply(
            &dir,
            &Change::Write {
                slot,
                body,
                related,
            },
            &mut clock,
        );
    }
    (corpus, dir)
}

/// Runs `check` (text and JSON) and `list --json` with `args`, expecting
/// the same as without the index, and gives stderr's lines.
fn same_as_without(home: &Path, dir: &Path, index: &Path) -> Vec<String> {
    let dir = dir.to_str().unwrap();
    let index = index.to_str().unwrap();
    let mut warnings = Vec::new();
    for command in [["check", "--json"], ["list", "--json"]] {
        let (status, stdout, stderr) = run(home, &[command[0], command[1], "--index", index, dir]);
        let (status_without, stdout_without, stderr_without) =
            run(home, &[command[0], command[1], "--no-index", dir]);
        assert_eq!(status, status_without);
        assert_eq!(stdout, stdout_without);
        for line in stderr.lines() {
            if !stderr_without.lines().any(|l| l == line) {
                warnings.push(line.to_owned());
            }
        }
    }
    warnings.dedup();
    warnings
}

fn index_version(index: &Path) -> i64 {
    let conn = rusqlite::Connection::open(index).unwrap();
    conn.query_row("PRAGMA user_version", [], |r| r.get(0))
        .unwrap()
}

#[test]
fn a_damaged_stored_library_is_built_again_from_the_files() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
    let conn = rusqlite::Connection::open(&index).unwrap();
    // Cut short; a list of a huge number of chunks; a chunk claiming more
    // stories than its bytes could hold.
    for damage in ["x'0502'", "x'ffffffffffffffff7f'", "x'0105ffffffff0f0000'"] {
        conn.execute_batch(&format!("UPDATE libraries SET snapshot = {damage}"))
            .unwrap();
        assert!(same_as_without(home.path(), &dir, &index).is_empty());
    }
}

#[test]
fn a_file_that_is_not_a_database_is_left_alone() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("notes.txt");
    std::fs::write(&index, "my notes, not an index\n").unwrap();
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: not a tidings index (not an SQLite database); left as it is, running without it",
            index.display()
        )]
    );
    assert_eq!(
        std::fs::read_to_string(&index).unwrap(),
        "my notes, not an index\n"
    );
}

#[test]
fn another_programs_database_is_left_alone() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("other.db");
    rusqlite::Connection::open(&index)
        .unwrap()
        .execute_batch("CREATE TABLE mine(x); INSERT INTO mine VALUES (1);")
        .unwrap();
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: not a tidings index (a database of another program); left as it is, running without it",
            index.display()
        )]
    );
    let kept: i64 = rusqlite::Connection::open(&index)
        .unwrap()
        .query_row("SELECT x FROM mine", [], |r| r.get(0))
        .unwrap();
    assert_eq!(kept, 1);
}

#[test]
fn an_index_from_another_version_is_rebuilt() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
    let current = index_version(&index);
    rusqlite::Connection::open(&index)
        .unwrap()
        .pragma_update(None, "user_version", 999)
        .unwrap();
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: made by another version of tidings; rebuilt",
            index.display()
        )]
    );
    assert_eq!(index_version(&index), current);
}

#[test]
fn a_truncated_index_is_rebuilt() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
    let len = std::fs::metadata(&index).unwrap().len();
    std::fs::File::options()
        .write(true)
        .open(&index)
        .unwrap()
        .set_len(len / 2)
        .unwrap();
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: damaged (shorter than it says it is); rebuilt",
            index.display()
        )]
    );
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
}

#[test]
fn a_damaged_index_is_rebuilt() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
    // Scribble over every page but the first: the header still says this
    // is an index, and everything in it is garbage.
    let len = std::fs::metadata(&index).unwrap().len() as usize;
    let mut bytes = std::fs::read(&index).unwrap();
    for (i, byte) in bytes.iter_mut().enumerate().skip(4096).take(len - 4096) {
        *byte = (i * 7 % 251) as u8;
    }
    std::fs::write(&index, bytes).unwrap();
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: damaged (database disk image is malformed); rebuilt",
            index.display()
        )]
    );
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
}

#[test]
fn an_index_that_cannot_be_made_is_done_without() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    // A file where its folder should be: no one, root included, can
    // create the index there.
    let blocker = home.path().join("cache");
    std::fs::write(&blocker, "").unwrap();
    let index = blocker.join("tidings").join("index.sqlite");
    let warnings = same_as_without(home.path(), &dir, &index);
    assert_eq!(
        warnings,
        [format!(
            "tidings: {}: cannot be used (not a directory); running without it",
            index.display()
        )]
    );
}

#[test]
fn a_missing_folder_is_made_without_a_word() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("new").join("deeper").join("index.sqlite");
    assert!(same_as_without(home.path(), &dir, &index).is_empty());
    assert!(index.exists());
}

#[test]
fn the_default_index_lives_in_the_cache_folder() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let (status, _, stderr) = run(home.path(), &["check", dir.to_str().unwrap()]);
    assert_eq!(status, 0, "{stderr}");
    assert!(home.path().join("cache/tidings/index.sqlite").exists());
}

#[test]
fn two_processes_indexing_one_library_at_once_agree() {
    let corpus = Corpus::new();
    for i in 0..400 {
        corpus.write(
            &format!("s{i:03}.txt"),
            format!(
                "Story {i} tells of the ferry number {i} and its crew.\nMore text {i}.\n\n\nFerry {i} Sails\nFerry {} Sails\n",
                (i + 1) % 400
            ),
        );
    }
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let dir = corpus.path().to_str().unwrap();
    let spawn = || {
        Command::new(env!("CARGO_BIN_EXE_tidings"))
            .args(["list", "--json", "--index", index.to_str().unwrap(), dir])
            .env("HOME", home.path())
            .env("XDG_STATE_HOME", home.path().join("state"))
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap()
    };
    let (a, b) = (spawn(), spawn());
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    let (_, without, _) = run(home.path(), &["list", "--json", "--no-index", dir]);
    for output in [a, b] {
        assert!(output.status.success());
        assert_eq!(String::from_utf8_lossy(&output.stderr), "");
        assert_eq!(String::from_utf8_lossy(&output.stdout), without);
    }
    let (_, after, stderr) = run(
        home.path(),
        &["list", "--json", "--index", index.to_str().unwrap(), dir],
    );
    assert_eq!(stderr, "");
    assert_eq!(after, without);
}

#[test]
fn killing_tidings_while_it_indexes_leaves_an_index_that_works() {
    let corpus = Corpus::new();
    for i in 0..1500 {
        corpus.write(
            &format!("s{i:04}.txt"),
            format!(
                "Story {i} tells of the council and budget number {i}. {}\n\n\nBudget {i} Approved\nBudget {} Approved\n",
                "Words fill the page. ".repeat(40),
                (i + 7) % 1500
            ),
        );
    }
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let dir = corpus.path().to_str().unwrap();
    let (_, without, _) = run(home.path(), &["check", "--json", "--no-index", dir]);
    let lock = home.path().join("index.sqlite.lock");
    let log = home.path().join("index.sqlite-wal");
    let size = |path: &Path| std::fs::metadata(path).map_or(0, |m| m.len());
    // Points to kill it at, each seen from outside: it has started
    // writing; its log has begun; the log has grown (rows written, not
    // all committed). Each twice: on a first build, then over what the
    // killed run left.
    let moments: [(&str, &dyn Fn() -> bool); 3] = [
        ("the lock is taken", &|| lock.exists()),
        ("the log has begun", &|| log.exists()),
        ("the log has grown", &|| size(&log) > 1 << 20),
    ];
    for (moment, reached) in moments {
        for _ in 0..2 {
            let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
                .args(["check", "--json", "--index", index.to_str().unwrap(), dir])
                .env("HOME", home.path())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
            let deadline = std::time::Instant::now() + Duration::from_secs(30);
            while !reached() && std::time::Instant::now() < deadline {
                if child.try_wait().unwrap().is_some() {
                    break;
                }
                std::thread::yield_now();
            }
            let _ = child.kill();
            let _ = child.wait();
            let (status, stdout, stderr) = run(
                home.path(),
                &["check", "--json", "--index", index.to_str().unwrap(), dir],
            );
            assert_eq!(status, 0, "killed when {moment}: {stderr}");
            assert_eq!(stderr, "", "killed when {moment}");
            assert_eq!(stdout, without, "killed when {moment}");
        }
        for suffix in ["", "-wal", "-shm", ".lock"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", index.display()));
        }
    }
}

/// `n` small stories, each naming another: enough that indexing them
/// takes longer than one of the index's batches. Written an hour ago, as
/// far as their times say: files modified just now are read again.
fn many_stories(n: usize) -> Corpus {
    let corpus = Corpus::new();
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for i in 0..n {
        let path = corpus.write(
            &format!("s{i:05}.txt"),
            format!(
                "Story {i} tells of the council and budget number {i}. Words fill the page.\n\n\n\
                 Budget {i} Approved\nBudget {} Approved\n",
                (i + 7) % n
            ),
        );
        let file = std::fs::File::options().write(true).open(path).unwrap();
        file.set_modified(an_hour_ago).unwrap();
    }
    corpus
}

/// The stories' rows committed to the index, by row number.
fn committed_rows(index: &Path) -> Vec<i64> {
    let Ok(conn) = rusqlite::Connection::open(index) else {
        return Vec::new();
    };
    let rows = conn
        .prepare("SELECT id FROM stories ORDER BY id")
        .and_then(|mut s| s.query_map([], |r| r.get(0))?.collect());
    rows.unwrap_or_default()
}

/// The rows of `before` still in the index (a row is never reused: a
/// story written again gets a new one).
fn kept(before: &[i64], index: &Path) -> usize {
    let now: std::collections::HashSet<i64> = committed_rows(index).into_iter().collect();
    before.iter().filter(|row| now.contains(row)).count()
}

#[test]
fn a_check_killed_part_way_keeps_its_work_and_the_next_goes_on_from_there() {
    const STORIES: usize = 30_000;
    let corpus = many_stories(STORIES);
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let dir = corpus.path().to_str().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["check", "--json", "--index", index.to_str().unwrap(), dir])
        .env("HOME", home.path())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    // Killed as soon as a batch is committed.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let mut before = Vec::new();
    while before.is_empty() && std::time::Instant::now() < deadline {
        assert!(child.try_wait().unwrap().is_none(), "check ended first");
        std::thread::sleep(Duration::from_millis(2));
        before = committed_rows(&index);
    }
    child.kill().unwrap();
    child.wait().unwrap();
    let before = committed_rows(&index);
    assert!(
        !before.is_empty() && before.len() < STORIES,
        "{} of {STORIES} stories committed when killed",
        before.len()
    );
    // The next run reads only the rest, and says what one run says.
    let (_, without, _) = run(home.path(), &["check", "--json", "--no-index", dir]);
    let (status, stdout, stderr) = run(
        home.path(),
        &["check", "--json", "--index", index.to_str().unwrap(), dir],
    );
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(stdout, without);
    assert_eq!(kept(&before, &index), before.len());
    assert_eq!(committed_rows(&index).len(), STORIES);
}

#[test]
fn quitting_the_reader_while_it_indexes_keeps_what_it_indexed() {
    const STORIES: usize = 30_000;
    let corpus = many_stories(STORIES);
    let dir = corpus.path().to_str().unwrap();
    let mut reader = crate::common::pty::Session::start(&[dir], 100, 30);
    reader.wait_for("Index · 30,000");
    let home = reader.home.path().to_owned();
    let index = home.join("cache/tidings/index.sqlite");
    // Quit as soon as the background has committed a batch: on a fast
    // machine the whole index takes a second, too soon to read on screen.
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    while committed_rows(&index).is_empty() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(2));
    }
    reader.send("q");
    assert_eq!(reader.wait_exit(), 0);
    let home = home.as_path();
    let before = committed_rows(&index);
    assert!(
        !before.is_empty() && before.len() < STORIES,
        "{} of {STORIES} stories kept",
        before.len()
    );
    let (_, without, _) = run(home, &["list", "--json", "--no-index", dir]);
    let (status, stdout, stderr) = run(home, &["list", "--json", dir]);
    assert_eq!((status, stderr.as_str()), (0, ""));
    assert_eq!(stdout, without);
    assert_eq!(kept(&before, &index), before.len());
}

#[test]
fn a_large_library_unchanged_is_shown_as_stored_and_nothing_is_left_to_do() {
    use tidings::index::{Done, Mode, open_library};
    const STORIES: usize = 6_000;
    let corpus = many_stories(STORIES);
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let paths = [corpus.path().to_owned()];
    let progress = Default::default();
    let built = open_library(&paths, Some(&index), Mode::Search, &progress).library;
    let opened = open_library(&paths, Some(&index), Mode::Soon, &progress);
    assert_eq!(described(&opened.library), described(&built));
    let done = opened.pending.expect("files checked after").run(&progress);
    assert!(matches!(done, Ok(Done::Nothing)));
}

#[test]
fn an_index_whose_stories_churn_stays_the_size_of_a_fresh_one() {
    const STORIES: usize = 1000;
    let corpus = many_stories(STORIES);
    let dir = corpus.path().to_str().unwrap();
    let home = tempfile::tempdir().unwrap();
    let (churned, fresh) = (
        home.path().join("churned.sqlite"),
        home.path().join("fresh.sqlite"),
    );
    let search = |index: &Path| {
        let (status, _, stderr) = run(
            home.path(),
            &[
                "search",
                "--limit",
                "1",
                "--index",
                index.to_str().unwrap(),
                "budget",
                dir,
            ],
        );
        assert_eq!((status, stderr.as_str()), (0, ""));
    };
    search(&churned);
    // Twenty rounds of rewriting a tenth of the stories: new words, new
    // headlines, each round's files dated a second later.
    let an_hour_ago = SystemTime::now() - Duration::from_secs(3600);
    for round in 1..=20u64 {
        for n in 0..STORIES / 10 {
            let i = (n * 37 + round as usize * 101) % STORIES;
            let words: Vec<String> = (0..60).map(|w| format!("r{round}w{n}x{w}")).collect();
            let path = corpus.write(
                &format!("s{i:05}.txt"),
                format!(
                    "{}.\n\n\nRound {round} Headline {n}\nRound {round} Other {n}\n",
                    words.join(" ")
                ),
            );
            let file = std::fs::File::options().write(true).open(path).unwrap();
            file.set_modified(an_hour_ago + Duration::from_secs(round))
                .unwrap();
        }
        search(&churned);
    }
    search(&fresh);
    let size = |path: &Path| std::fs::metadata(path).unwrap().len() as f64;
    let ratio = size(&churned) / size(&fresh);
    assert!(ratio <= 1.2, "{ratio:.2} times the size of a fresh index");
    let count = |index: &Path, table: &str| -> i64 {
        let conn = rusqlite::Connection::open(index).unwrap();
        conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))
            .unwrap()
    };
    for table in ["headlines", "words", "stories"] {
        assert_eq!(count(&churned, table), count(&fresh, table), "{table}");
    }
    // And it answers as one built fresh does.
    assert!(same_as_without(home.path(), corpus.path(), &churned).is_empty());
}

#[test]
fn a_story_whose_file_changed_after_indexing_shows_its_new_text() {
    use tidings::index::{Mode, open_library};
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let paths = [dir.clone()];
    open_library(&paths, Some(&index), Mode::Now, &Default::default());
    let library = open_library(&paths, Some(&index), Mode::Now, &Default::default()).library;
    assert!(!library.has_text_in_memory(), "the text stays on disk");
    let story = library
        .stories
        .iter()
        .position(|s| s.path.ends_with("story-1.txt"))
        .unwrap();
    assert!(library.text(story).unwrap()[0].starts_with("The harbour ferry"));
    std::fs::write(
        dir.join("story-1.txt"),
        "The ferry timetable was rewritten overnight.\n",
    )
    .unwrap();
    let mut app = crate::common::reader(library, 100, 30);
    app.open_story(story);
    assert_eq!(
        app.page.text,
        ["The ferry timetable was rewritten overnight."]
    );
}

#[test]
fn check_stores_no_full_text_and_search_fills_it_in() {
    let (_corpus, dir) = stories();
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let (dir, shown) = (dir.to_str().unwrap(), index.to_str().unwrap());
    let without_text = || -> i64 {
        rusqlite::Connection::open(&index)
            .unwrap()
            .query_row(
                "SELECT count(*) FROM stories WHERE searchable = 0",
                [],
                |r| r.get(0),
            )
            .unwrap()
    };
    let (status, _, _) = run(home.path(), &["check", "--index", shown, dir]);
    assert_eq!(status, 0);
    assert_eq!(without_text(), 5, "check reads no text, and stores none");
    let (status, found, _) = run(
        home.path(),
        &["search", "--json", "ferry", "--index", shown, dir],
    );
    assert_eq!(status, 0);
    assert_eq!(without_text(), 0, "the search put every story's text in");
    let (_, again, _) = run(
        home.path(),
        &["search", "--json", "ferry", "--index", shown, dir],
    );
    assert_eq!(again, found);
}

#[test]
fn a_search_fills_the_text_of_every_story_of_its_library_and_of_no_other() {
    // More stories than two of the pages the text fill reads at a time.
    const STORIES: usize = 9_000;
    let corpus = many_stories(STORIES);
    let other = many_stories(10);
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let shown = index.to_str().unwrap();
    let (dir, other_dir) = (
        corpus.path().to_str().unwrap(),
        other.path().to_str().unwrap(),
    );
    for library in [other_dir, dir] {
        let (status, _, _) = run(home.path(), &["check", "--index", shown, library]);
        assert_eq!(status, 0);
    }
    let (status, found, _) = run(
        home.path(),
        &["search", "--json", "council", "--index", shown, dir],
    );
    assert_eq!(status, 0);
    let found: Vec<serde_json::Value> = serde_json::from_str(&found).unwrap();
    let in_text: std::collections::HashSet<&str> = found
        .iter()
        .filter(|found| found["field"] != "headline")
        .map(|found| found["story"].as_str().unwrap())
        .collect();
    assert_eq!(in_text.len(), STORIES, "every story's text is searched");
    let without_text: i64 = rusqlite::Connection::open(&index)
        .unwrap()
        .query_row(
            "SELECT count(*) FROM stories WHERE searchable = 0",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(without_text, 10, "the other library's text is its own");
}

/// What a library says of its stories, in order: as `list --json` does.
fn described(library: &tidings::model::Library) -> Vec<String> {
    library
        .stories
        .iter()
        .map(|s| {
            let related: Vec<&str> = s
                .related()
                .map(|h| library.headlines[h].text.as_ref())
                .collect();
            format!(
                "{} {} {:?} {} {related:?}",
                s.id, s.title, s.title_source, s.path
            )
        })
        .collect()
}

#[test]
fn a_large_library_whose_files_changed_shows_as_stored_until_rebuilt() {
    use tidings::index::{Done, Mode, open_library};
    use tidings::model::Library;
    let corpus = Corpus::new();
    let dir = corpus.path().join("stories");
    let mut clock = 0;
    let mut write = |name: &str, text: String| {
        let path = dir.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        std::fs::write(&path, text).unwrap();
        clock += 1;
        let when = SystemTime::UNIX_EPOCH + Duration::from_secs(1_700_000_000 + clock);
        std::fs::File::options()
            .write(true)
            .open(&path)
            .unwrap()
            .set_modified(when)
            .unwrap();
    };
    let story = |i: usize| {
        format!(
            "Harbour crew {i} tells of ferry {i} and its timetable.\n\n\nFerry {i} Runs Late\nFerry {} Runs Late\n",
            i + 1
        )
    };
    for i in 0..5_001 {
        write(&format!("s{i:05}.txt"), story(i));
    }
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let paths = [dir.clone()];
    let before = open_library(&paths, Some(&index), Mode::Search, &Default::default()).library;
    write("s00007.txt", "A rewritten story of ferry 7.\n".into());
    write("t00001.txt", story(90_001));
    write("t00002.txt", story(90_002));

    let opened = open_library(&paths, Some(&index), Mode::Soon, &Default::default());
    assert_eq!(
        described(&opened.library),
        described(&before),
        "shown as stored, at once"
    );
    let pending = opened
        .pending
        .expect("the library to be rebuilt in the background");
    let Ok(Done::Rebuilt(rebuilt)) = pending.run(&Default::default()) else {
        panic!("the library was not rebuilt");
    };
    assert_eq!(described(&rebuilt), described(&Library::load(&paths)));
    assert_eq!(rebuilt.stories.len(), 5_003);
    // The next start shows that one, stored.
    let opened = open_library(&paths, Some(&index), Mode::Soon, &Default::default());
    assert_eq!(described(&opened.library), described(&rebuilt));
}
