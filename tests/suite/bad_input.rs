//! Every row of the README's bad-input table ("Bad files"), through the real
//! binary: the message a user sees, and the good files still loading beside the
//! bad.

use crate::common::{Corpus, tidings};

const GOOD: &str =
    "A perfectly good story about the harbour ferry.\n\n\nHarbour Ferry Runs Again\n";

/// The stderr line for `name` inside the corpus.
fn line_for<'a>(stderr: &'a str, corpus: &Corpus, name: &str) -> &'a str {
    let path = corpus.path().join(name);
    let prefix = format!("tidings: {}: ", path.display());
    stderr
        .lines()
        .find(|l| l.starts_with(&prefix))
        .unwrap_or_else(|| panic!("no line for {name} in:\n{stderr}"))
}

fn message<'a>(stderr: &'a str, corpus: &Corpus, name: &str) -> &'a str {
    let line = line_for(stderr, corpus, name);
    &line[format!("tidings: {}: ", corpus.path().join(name).display()).len()..]
}

#[test]
fn check_reports_each_bad_file_and_loads_the_good_ones() {
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    corpus.write("latin1.txt", b"Caf\xe9 au lait.\n");
    corpus.write("binary.txt", b"ELF\0\x01\x02 story");
    corpus.write("broken.toml", "title = \"Unclosed\nbody = \"x\"\n");
    corpus.write(
        "unknown.toml",
        "title = \"T\"\nbody = \"B\"\nauthor = \"Ann\"\n",
    );
    corpus.write("mistyped.toml", "title = \"T\"\nbody = \"B\"\ntags = 3\n");
    corpus.write("empty.txt", "");
    corpus.write("blank.txt", "  \n\n\t\n");
    corpus.write("headlines.txt", "\n\nOne Headline\nAnother Headline\n");
    corpus.write("copy.txt", GOOD);
    let big = std::fs::File::create(corpus.path().join("huge.txt")).unwrap();
    big.set_len(17 * 1024 * 1024).unwrap();

    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 1, "{}", run.stderr);
    let err = &run.stderr;
    assert_eq!(
        message(err, &corpus, "latin1.txt"),
        "not UTF-8 text: invalid byte at offset 3"
    );
    assert_eq!(
        message(err, &corpus, "binary.txt"),
        "binary file (NUL byte at offset 3); not read"
    );
    assert_eq!(
        message(err, &corpus, "huge.txt"),
        "larger than the 16 MiB limit; not read"
    );
    assert!(
        message(err, &corpus, "broken.toml").starts_with("line 1, column 18: invalid basic string"),
        "{err}"
    );
    assert!(
        message(err, &corpus, "unknown.toml")
            .starts_with("line 3, column 1: unknown field `author`"),
        "{err}"
    );
    assert!(
        message(err, &corpus, "mistyped.toml")
            .starts_with("line 3, column 8: invalid type: integer `3`"),
        "{err}"
    );
    assert_eq!(
        message(err, &corpus, "empty.txt"),
        "warning: empty file: no story in it"
    );
    assert_eq!(
        message(err, &corpus, "blank.txt"),
        "warning: blank file: no story in it"
    );
    assert_eq!(
        message(err, &corpus, "headlines.txt"),
        "warning: headlines only, no story text: 2 headlines added, no story made"
    );
    let copy = message(err, &corpus, "good.txt");
    assert!(copy.starts_with("warning: same story (id "), "{err}");
    assert!(
        copy.ends_with(&format!(
            "as {}; only that one is kept",
            corpus.path().join("copy.txt").display()
        )),
        "{err}"
    );

    // The good story loaded once; the summary counts the rest.
    assert_eq!(run.stdout, "1 story, 3 headlines, 6 errors, 4 warnings\n");
}

#[test]
fn check_exits_zero_when_only_warnings() {
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    corpus.write("empty.txt", "");
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn walk_skips_hidden_entries_and_other_extensions_silently() {
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    corpus.write(".hidden.txt", "\0");
    corpus.write(".git/objects/x.txt", "\0");
    corpus.write("notes.md", "\0");
    corpus.write("deep/er/story.TXT", "Another good story, deep down.\n");
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.stderr, "");
    assert_eq!(run.stdout, "2 stories, 1 headline, 0 errors, 0 warnings\n");
}

#[test]
fn a_named_file_of_another_extension_is_an_error() {
    let corpus = Corpus::new();
    let notes = corpus.write("notes.md", "# notes");
    let run = tidings(&["check", notes.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        format!(
            "tidings: {}: unsupported file type: tidings reads .txt or .toml files\n",
            notes.display()
        )
    );
}

#[test]
fn a_missing_path_is_reported() {
    let run = tidings(&["check", "/nonexistent/stories"]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        "tidings: /nonexistent/stories: no such file or directory\n"
    );
}

#[test]
fn a_symlink_loop_is_reported_once_without_hanging() {
    let corpus = Corpus::new();
    corpus.write("news/good.txt", GOOD);
    std::os::unix::fs::symlink(corpus.path().join("news"), corpus.path().join("news/again"))
        .unwrap();
    let run = tidings(&["check", corpus.path().join("news").to_str().unwrap()]);
    assert_eq!(run.status, 1);
    let loops: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains("symbolic link loop"))
        .collect();
    assert_eq!(loops.len(), 1, "{}", run.stderr);
    assert!(
        loops[0].contains("again: symbolic link loop back to"),
        "{}",
        run.stderr
    );
    assert_eq!(run.stdout, "1 story, 1 headline, 1 error, 0 warnings\n");
}

#[test]
fn an_unreadable_file_is_reported() {
    use std::os::unix::fs::PermissionsExt;
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    let locked = corpus.write("locked.txt", "Secret story.\n");
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o000)).unwrap();
    if std::fs::read(&locked).is_ok() {
        // Running as root: permissions do not apply, nothing to observe.
        return;
    }
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(
        message(&run.stderr, &corpus, "locked.txt"),
        "permission denied"
    );
}

#[test]
fn special_files_are_skipped_without_being_opened() {
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    let fifo = corpus.path().join("pipe.txt");
    let made = std::process::Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .unwrap();
    assert!(made.success());
    // Walked: skipped silently (opening it would wait for a writer forever).
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stdout, "1 story, 1 headline, 0 errors, 0 warnings\n");
    // Named: refused, still without opening it.
    let run = tidings(&["check", fifo.to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(
        run.stderr,
        format!(
            "tidings: {}: not a regular file; not read\n",
            fifo.display()
        )
    );
}

#[test]
fn a_file_gone_by_the_time_it_is_read_is_reported() {
    let corpus = Corpus::new();
    corpus.write("good.txt", GOOD);
    // A link to nothing stands for a file that vanished after the walk
    // saw its name.
    std::os::unix::fs::symlink(
        corpus.path().join("gone.txt"),
        corpus.path().join("vanished.txt"),
    )
    .unwrap();
    let run = tidings(&["check", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(
        message(&run.stderr, &corpus, "vanished.txt"),
        "no such file or directory"
    );
    assert_eq!(run.stdout, "1 story, 1 headline, 1 error, 0 warnings\n");
}
