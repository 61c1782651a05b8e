//! What a packager and a new user meet before the reader: shell
//! completion, the man page, the picture in the README, the version, a
//! binary that works from anywhere, and the changelog.

mod common;

use std::process::Command;

use common::pty::Session;
use common::{Corpus, tidings};

#[test]
fn bash_completes_commands_options_and_paths() {
    let run = tidings(&["completions", "bash"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let corpus = Corpus::new();
    let script = corpus.write("tidings.bash", &run.stdout);
    corpus.write("stories/harbor-strike.txt", "The harbor strike ends.\n");

    // An interactive bash, as the user has it, with the script loaded.
    let env = [("PS1", "$ "), ("INPUTRC", "/dev/null")];
    let args = ["--norc", "--noprofile", "-i"];
    let mut bash = Session::start_program("bash", &args, corpus.path(), (100, 20), &env);
    bash.send(&format!("source '{}'\r", script.display()));
    bash.send("tidings check stories/har\t");
    bash.wait_for("$ tidings check stories/harbor-strike.txt");
    bash.send("\x15tidings list --un\t");
    bash.wait_for("$ tidings list --unread");
    bash.send("\x15tidings --state stor\t");
    bash.wait_for("$ tidings --state stories/");
    bash.send("\x15tidings completions f\t");
    bash.wait_for("$ tidings completions fish");
    // Two candidates: the second Tab lists them.
    bash.send("\x15tidings c\t\t");
    bash.wait_until(
        |screen| screen.contains("check") && screen.contains("completions"),
        "both commands offered",
    );
}

#[test]
fn every_shell_gets_a_script_naming_every_command_and_option() {
    for shell in ["bash", "zsh", "fish", "elvish", "powershell"] {
        let run = tidings(&["completions", shell]);
        assert_eq!(run.status, 0, "{shell}: {}", run.stderr);
        for word in [
            "list",
            "search",
            "check",
            "completions",
            "--json",
            "--unread",
            "--state",
            "--config",
            "--index",
            "--no-index",
        ] {
            let bare = word.trim_start_matches('-');
            assert!(run.stdout.contains(bare), "{shell} script lacks {word}");
        }
    }
    let run = tidings(&["completions", "tcsh"]);
    assert_eq!(run.status, 2);
    assert!(run.stderr.contains("tcsh"), "{}", run.stderr);
}

#[test]
fn a_broken_config_does_not_stop_completions() {
    let corpus = Corpus::new();
    let config = corpus.write("config.toml", "[reader\n");
    let run = tidings(&["--config", config.to_str().unwrap(), "completions", "bash"]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    assert!(run.stdout.contains("_tidings"));
}

#[test]
fn the_version_names_the_commit_in_a_checkout() {
    let run = tidings(&["--version"]);
    assert_eq!(run.status, 0);
    let version = env!("CARGO_PKG_VERSION");
    let head = Command::new("git")
        .args(["rev-parse", "--short=7", "HEAD"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8(o.stdout).unwrap().trim().to_owned());
    let expected = match head {
        Some(commit) => format!("tidings {version} ({commit})\n"),
        None => format!("tidings {version}\n"),
    };
    assert_eq!(run.stdout, expected);
}
