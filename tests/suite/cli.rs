//! The command line (README, "Command line") through the real binary: JSON
//! shapes, exit statuses and the one-line error format.

use crate::common::{Corpus, SEED_TITLE, seed, tidings};
use serde_json::Value;

fn keys(value: &Value) -> Vec<&str> {
    let mut keys: Vec<&str> = value
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    keys.sort();
    keys
}

#[test]
fn list_json_on_the_bundled_stories_shows_the_seed_and_linked_guides() {
    let run = tidings(&["list", "--json"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let stories = run.json();
    let stories = stories.as_array().unwrap();
    assert!(stories.len() >= 4);
    for story in stories {
        assert_eq!(
            keys(story),
            [
                "cluster",
                "date",
                "enclosures",
                "feed",
                "id",
                "path",
                "read",
                "related",
                "sources",
                "starred",
                "tags",
                "title",
                "title_source"
            ]
        );
        for related in story["related"].as_array().unwrap() {
            assert_eq!(keys(related), ["headline", "story"]);
        }
    }
    let seed = stories.iter().find(|s| s["title"] == SEED_TITLE).unwrap();
    assert_eq!(seed["title_source"], "headline");
    assert_eq!(seed["related"].as_array().unwrap().len(), 15);
    assert_eq!(seed["read"], false);

    // The guides name each other, and the names lead to the guides.
    let ids: Vec<&str> = stories.iter().map(|s| s["id"].as_str().unwrap()).collect();
    let guide = stories
        .iter()
        .find(|s| s["title"].as_str().unwrap().starts_with("Getting Started"))
        .unwrap();
    let linked: Vec<&str> = guide["related"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|r| r["story"].as_str())
        .collect();
    assert!(linked.len() >= 3, "{guide}");
    assert!(linked.iter().all(|id| ids.contains(id)));
    assert!(linked.contains(&seed["id"].as_str().unwrap()));
}

#[test]
fn list_text_marks_unread_and_unread_filter_is_accepted() {
    let corpus = Corpus::new();
    corpus.write("seed.txt", seed());
    let run = tidings(&["list", "--unread", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.starts_with("N "), "{}", run.stdout);
    assert!(run.stdout.trim_end().ends_with(SEED_TITLE));
}

#[test]
fn search_json_folds_typographic_quotes() {
    let corpus = Corpus::new();
    corpus.write("seed.txt", seed());
    let run = tidings(&[
        "search",
        "--json",
        "trump's",
        corpus.path().to_str().unwrap(),
    ]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let hits = run.json();
    let hits = hits.as_array().unwrap();
    assert!(!hits.is_empty());
    for hit in hits {
        assert_eq!(keys(hit), ["field", "headline", "story"]);
    }
    assert_eq!(hits[0]["field"], "headline");
    assert!(
        hits[0]["headline"]
            .as_str()
            .unwrap()
            .starts_with("Trump’s Name Appears")
    );
    assert_eq!(hits[0]["story"], Value::Null);
}

#[test]
fn search_finds_story_text_as_a_body_match() {
    let corpus = Corpus::new();
    corpus.write("seed.txt", seed());
    let run = tidings(&[
        "search",
        "--json",
        "Witkoff",
        corpus.path().to_str().unwrap(),
    ]);
    let hits = run.json();
    let body: Vec<&Value> = hits
        .as_array()
        .unwrap()
        .iter()
        .filter(|h| h["field"] == "body")
        .collect();
    assert_eq!(body.len(), 1);
    assert_eq!(body[0]["headline"], SEED_TITLE);
    assert!(body[0]["story"].is_string());
}

#[test]
fn check_json_has_the_spec_shape() {
    let corpus = Corpus::new();
    corpus.write("seed.txt", seed());
    corpus.write("empty.txt", "");
    corpus.write("bad.toml", "title = 1\n");
    let run = tidings(&["check", "--json", corpus.path().to_str().unwrap()]);
    assert_eq!(run.status, 1);
    assert_eq!(run.stderr, "", "JSON mode keeps diagnostics on stdout");
    let report = run.json();
    assert_eq!(
        keys(&report),
        ["diagnostics", "errors", "headlines", "stories", "warnings"]
    );
    assert_eq!(report["stories"], 1);
    assert_eq!(report["headlines"], 16);
    assert_eq!(report["errors"], 1);
    assert_eq!(report["warnings"], 1);
    let diagnostics = report["diagnostics"].as_array().unwrap();
    assert_eq!(diagnostics.len(), 2);
    for d in diagnostics {
        assert_eq!(keys(d), ["message", "path", "severity"]);
    }
    let bad = diagnostics
        .iter()
        .find(|d| d["severity"] == "error")
        .unwrap();
    assert!(bad["path"].as_str().unwrap().ends_with("bad.toml"));
    assert!(
        bad["message"]
            .as_str()
            .unwrap()
            .starts_with("line 1, column 9: invalid type")
    );
}

#[test]
fn check_on_the_bundled_stories_is_clean() {
    let run = tidings(&["check"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert_eq!(run.stderr, "");
    assert!(
        run.stdout.ends_with("0 errors, 0 warnings\n"),
        "{}",
        run.stdout
    );
}

#[test]
fn usage_errors_are_one_line_with_status_2() {
    let run = tidings(&["list", "--bogus"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    assert!(
        run.stderr
            .starts_with("tidings: unexpected argument '--bogus'"),
        "{}",
        run.stderr
    );

    let run = tidings(&["search"]);
    assert_eq!(run.status, 2);
    assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
}

#[test]
fn a_named_config_that_is_missing_is_an_error_but_state_is_accepted() {
    let run = tidings(&["list", "--config", "/nonexistent/config.toml"]);
    assert_eq!(run.status, 2);
    assert_eq!(
        run.stderr,
        "tidings: /nonexistent/config.toml: no such file or directory\n"
    );

    let corpus = Corpus::new();
    let state = corpus.path().join("state.toml");
    let run = tidings(&["list", "--state", state.to_str().unwrap()]);
    assert_eq!(run.status, 0, "{}", run.stderr);
}

#[test]
fn options_before_the_command_apply_to_it() {
    let corpus = Corpus::new();
    corpus.write("seed.txt", seed());
    let state = corpus.path().join("state.toml");
    let dir = corpus.path().to_str().unwrap();
    for args in [
        vec!["--state", state.to_str().unwrap(), "list", dir],
        vec!["--no-index", "list", "--json", dir],
    ] {
        let run = tidings(&args);
        assert_eq!(run.status, 0, "{args:?}: {}", run.stderr);
        assert!(run.stdout.contains(SEED_TITLE), "{args:?}: {}", run.stdout);
    }
}

#[test]
fn help_and_version_succeed() {
    let run = tidings(&["--help"]);
    assert_eq!(run.status, 0);
    assert!(run.stdout.contains("search"));
    assert!(tidings(&["--version"]).stdout.starts_with("tidings "));
}

#[test]
fn escape_sequences_in_files_never_reach_the_output() {
    let corpus = Corpus::new();
    corpus.write(
        "evil.txt",
        "Plain \u{1b}]0;pwned\u{7}words \u{1b}]52;c;ZXZpbA==\u{7}stay \u{1b}[2Jvisible \u{9b}31mhere\u{202e} and\tthere\u{200b}.\n\n\nEvil \u{1b}]0;x\u{1b}\\Headline Here\n",
    );
    corpus.write(
        "\u{1b}[31mname.txt",
        "A story whose file name holds an escape.\n",
    );
    corpus.write("\u{1b}]0;t\u{7}.toml", "title = 5\n");
    for args in [
        vec!["list", "--json"],
        vec!["list"],
        vec!["search", "here"],
        vec!["check"],
    ] {
        let mut args = args.clone();
        args.push(corpus.path().to_str().unwrap());
        let run = tidings(&args);
        for text in [&run.stdout, &run.stderr] {
            assert!(
                !text.contains('\u{1b}') && !text.contains('\u{9b}') && !text.contains('\u{202e}'),
                "{text:?}"
            );
            assert!(
                !text.contains('\u{200b}') && !text.contains('\t') && !text.contains("pwned"),
                "{text:?}"
            );
        }
    }
    let run = tidings(&[
        "search",
        "--json",
        "visible",
        corpus.path().to_str().unwrap(),
    ]);
    assert_eq!(
        run.json()[0]["headline"],
        "Plain words stay visible here and there."
    );
    let run = tidings(&["list", "--json", corpus.path().to_str().unwrap()]);
    let all = run.stdout;
    assert!(all.contains("Evil Headline Here"));
    assert!(
        all.contains("/name.txt\""),
        "the file name keeps its visible part: {all}"
    );
}

#[test]
fn output_into_a_closed_pipe_is_not_an_error() {
    use std::process::{Command, Stdio};
    let mut child = Command::new(env!("CARGO_BIN_EXE_tidings"))
        .args(["list", "--json"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    drop(child.stdout.take());
    let output = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
}

#[test]
fn search_limit_prints_the_best_n_and_help_says_the_default() {
    let all = tidings(&["search", "--json", "tidings"]);
    let all = all.json();
    let all = all.as_array().unwrap();
    assert!(all.len() > 2, "{all:?}");
    let two = tidings(&["search", "--json", "--limit", "2", "tidings"]);
    assert_eq!(two.json().as_array().unwrap()[..], all[..2]);
    let help = tidings(&["search", "--help"]);
    assert!(help.stdout.contains("--limit <N>"), "{}", help.stdout);
    assert!(
        help.stdout.contains("[default: every match]"),
        "{}",
        help.stdout
    );
}
