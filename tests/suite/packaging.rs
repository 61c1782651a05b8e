//! What a packager and a new user meet before the reader: shell
//! completion, the man page, the picture in the README, the version, a
//! binary that works from anywhere, and the changelog.

use std::path::Path;
use std::process::Command;

use crate::common::pty::Session;
use crate::common::{Corpus, tidings};

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

/// The man page: clap_mangen's sections from the command line's
/// definition, then the commands, the default keys, the files and the
/// environment.
fn manual() -> String {
    use clap::CommandFactory;
    use clap_mangen::roff::{Roff, bold, italic, roman};
    use tidings::action::Action;
    use tidings::config::KeyMap;

    // The plain version: the page must not change with every commit.
    let command = tidings::cli::Cli::command().version(env!("CARGO_PKG_VERSION"));
    let man = clap_mangen::Man::new(command.clone()).manual("tidings manual");
    let mut page = Vec::new();
    man.render_title(&mut page).unwrap();
    man.render_name_section(&mut page).unwrap();
    man.render_synopsis_section(&mut page).unwrap();
    man.render_description_section(&mut page).unwrap();
    man.render_options_section(&mut page).unwrap();

    let mut roff = Roff::new();
    roff.control("SH", ["COMMANDS"]);
    for sub in command.get_subcommands().filter(|s| s.get_name() != "help") {
        command_entry(&mut roff, &format!("tidings {}", sub.get_name()), sub);
    }

    roff.control("SH", ["KEYS"]);
    roff.text([roman(
        "The default keys of the reader; the [keys] table of the configuration changes them.",
    )]);
    let keymap = KeyMap::default();
    for action in Action::all() {
        // Arrows in words: a man page is read on any terminal.
        let keys: Vec<String> = keymap
            .keys_for(action)
            .iter()
            .map(|key| match key.to_string().as_str() {
                "↓" => "Down".to_owned(),
                "↑" => "Up".to_owned(),
                other => other.to_owned(),
            })
            .collect();
        if !keys.is_empty() {
            roff.control("TP", []).text([bold(keys.join(", "))]);
            roff.text([roman(action.help())]);
        }
    }

    roff.control("SH", ["FILTERS"]);
    roff.text([roman(
        "The search prompt (/), tidings search, tidings mark --query and saved searches \
         ([[source]] in the configuration, with name and query) take filters beside words. \
         Filters alone list their stories newest first.",
    )]);
    let filters = [
        (
            "feed:NAME",
            "Stories of the feeds whose title or address holds NAME.",
        ),
        ("tag:NAME", "Stories tagged NAME, in any case."),
        ("is:unread, is:read, is:starred", "Stories by their marks."),
        (
            "since:WHEN, before:WHEN",
            "Stories dated at or after, or before, WHEN: a time ago (30m, 12h, 7d, 2w) \
             or a date (2026-11-01, from its midnight in the local time zone).",
        ),
        (
            "-FILTER",
            "The opposite of the filter: -tag:sport, -is:read.",
        ),
    ];
    for (filter, what) in filters {
        roff.control("TP", []).text([bold(filter)]);
        roff.text([roman(what)]);
    }

    roff.control("SH", ["EVENTS"]);
    roff.text([roman(
        "Stories of several feeds that tell one event form a cluster, found by their words, \
         their dates (an event is days long; an undated story is in none) and their sources. \
         The index shows one row per event, with how many sources told it (· 12), unread \
         while any of its stories is; Enter opens its first unread story, and reading one \
         marks the event read ([reader] read_whole_event). c unfolds the index and folds it \
         again. tidings clusters lists the clusters; list --json names each story's cluster; \
         tidings mark --cluster ID marks one.",
    )]);

    roff.control("SH", ["FILES"]);
    let files = [
        (
            "$XDG_CONFIG_HOME/tidings/config.toml",
            "The configuration: keys, colours and behaviour (else under ~/.config). \
             tidings --print-default-config prints every option, explained.",
        ),
        (
            "$XDG_STATE_HOME/tidings/state.toml",
            "Read marks, stars, reading positions and the source shown last \
             (else under ~/.local/state), saved as they change and merged with what \
             another tidings saved.",
        ),
        (
            "$XDG_CONFIG_HOME/tidings/feeds.toml",
            "The feeds followed, one [[feed]] table each (url, title, tags, max_items, \
             full_text: fetch each new story's web page and keep its article); \
             tidings feeds add, remove and import edit it, keeping comments.",
        ),
        (
            "$XDG_DATA_HOME/tidings/feeds/",
            "The feeds' stories, one TOML story file per item in a folder per feed \
             (else under ~/.local/share), and each feed's .feed.toml: what the last \
             update was told, and every story id stored. A story's web page fetched \
             by F or a full_text feed is kept in its file as full_text.",
        ),
        (
            "$XDG_DATA_HOME/tidings/sync/",
            "With [sync] in the configuration: the server's articles, one TOML story \
             file each in a folder per feed, and .sync.toml, what the last sync saw.",
        ),
        (
            "$XDG_STATE_HOME/tidings/sync-journal.toml",
            "Marks made here that the server has not had yet, sent at the next sync.",
        ),
        (
            "$XDG_CACHE_HOME/tidings/index.sqlite",
            "The index (else under ~/.cache): what tidings learned of each file. \
             It is a cache: deleting it costs one slower start.",
        ),
    ];
    for (path, what) in files {
        roff.control("TP", []).text([italic(path)]);
        roff.text([roman(what)]);
    }

    roff.control("SH", ["ENVIRONMENT"]);
    let variables = [
        (
            "XDG_CONFIG_HOME, XDG_STATE_HOME, XDG_CACHE_HOME",
            "Where the files above live; HOME when they are unset.",
        ),
        (
            "NO_COLOR",
            "When set and not empty, no colours: every distinction is made by bold, \
             dim, reverse and underline instead.",
        ),
        (
            "BROWSER",
            "The program that opens a story's address (the o key), unless the \
             configuration names an opener; else xdg-open.",
        ),
        (
            "TZ",
            "The time zone a story's date and time are shown in; else the system's.",
        ),
    ];
    for (name, what) in variables {
        roff.control("TP", []).text([bold(name)]);
        roff.text([roman(what)]);
    }

    roff.control("SH", ["EXIT STATUS"]);
    roff.text([roman(
        "0 on success; 1 when a file could not be loaded (check) or on a runtime error; \
         2 on a usage error, such as a mistake in the configuration.",
    )]);
    roff.control("SH", ["SEE ALSO"]);
    roff.text([roman(
        "The README, for the story file formats and the index.",
    )]);
    page.extend(roff.render().into_bytes());
    man.render_version_section(&mut page).unwrap();
    String::from_utf8(page).unwrap()
}

/// A command of the man page: its usage, what it does, its own options;
/// one entry per subcommand for a command that has them (`feeds add`).
fn command_entry(roff: &mut clap_mangen::roff::Roff, name: &str, command: &clap::Command) {
    use clap_mangen::roff::{bold, roman};
    let nested: Vec<&clap::Command> = command
        .get_subcommands()
        .filter(|s| s.get_name() != "help")
        .collect();
    if !nested.is_empty() {
        for sub in nested {
            command_entry(roff, &format!("{name} {}", sub.get_name()), sub);
        }
        return;
    }
    let own = || {
        command
            .get_arguments()
            .filter(|a| !a.is_global_set() && a.get_id() != "help")
    };
    let mut usage = vec![bold(name.to_owned())];
    for arg in own() {
        let shown = match (arg.get_long(), arg.get_value_names()) {
            (Some(long), _) => format!(" [--{long}]"),
            (None, Some(names)) if arg.is_required_set() => format!(" {}", names[0]),
            (None, Some(names)) => format!(" [{}]...", names[0]),
            (None, None) => format!(" {}", arg.get_id().as_str().to_uppercase()),
        };
        usage.push(roman(shown));
    }
    roff.control("TP", []).text(usage);
    let about = command
        .get_about()
        .map(|a| a.to_string())
        .unwrap_or_default();
    roff.text([roman(about)]);
    for arg in own() {
        if let (Some(long), Some(help)) = (arg.get_long(), arg.get_help()) {
            roff.control("RS", []);
            roff.control("TP", []).text([bold(format!("--{long}"))]);
            roff.text([roman(help.to_string())]);
            roff.control("RE", []);
        }
    }
}

/// Compares `generated` with the file at `path` in the repository; if they
/// differ, writes the new one (to be reviewed and committed) and fails.
fn assert_current(path: &str, generated: &str) {
    let file = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    let committed = std::fs::read_to_string(&file).unwrap_or_default();
    if committed != generated {
        std::fs::write(&file, generated).unwrap();
        panic!("{path} was out of date and has been written again: review and commit it");
    }
}

#[test]
fn the_man_page_is_current() {
    let page = manual();
    for part in [
        "COMMANDS",
        "KEYS",
        "FILTERS",
        "EVENTS",
        "FILES",
        "ENVIRONMENT",
        "NO_COLOR",
        "BROWSER",
    ] {
        assert!(page.contains(part), "the man page lacks {part}");
    }
    assert_current("assets/tidings.1", &page);
}

/// The screen in `buffer` as an SVG picture: one text run per stretch of
/// cells in one style, each stretched to its cells' width so that the
/// columns line up whatever monospace font draws it.
fn screen_svg(buffer: &ratatui::buffer::Buffer) -> String {
    use ratatui::style::{Color, Modifier};
    use std::fmt::Write;

    const CELL_W: f32 = 8.4;
    const CELL_H: f32 = 18.0;
    const FG: &str = "#d8d8d8";
    const BG: &str = "#1c1c1c";
    // The sixteen colours as a common dark terminal theme shows them.
    let hex = |color: Color, default: &'static str| -> String {
        let named = match color {
            Color::Reset => default,
            Color::Black => "#1c1c1c",
            Color::Red => "#d75f5f",
            Color::Green => "#87af5f",
            Color::Yellow => "#e5c07b",
            Color::Blue => "#5f87d7",
            Color::Magenta => "#af87d7",
            Color::Cyan => "#56b6c2",
            Color::Gray => "#bcbcbc",
            Color::DarkGray => "#7a7a7a",
            Color::LightRed => "#ff8787",
            Color::LightGreen => "#afd787",
            Color::LightYellow => "#ffd787",
            Color::LightBlue => "#87afff",
            Color::LightMagenta => "#d7afff",
            Color::LightCyan => "#87d7d7",
            Color::White => "#eeeeee",
            Color::Rgb(r, g, b) => return format!("#{r:02x}{g:02x}{b:02x}"),
            Color::Indexed(_) => default,
        };
        named.to_owned()
    };
    let area = buffer.area;
    let (width, height) = (
        f32::from(area.width) * CELL_W,
        f32::from(area.height) * CELL_H,
    );
    let mut svg = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" \
         viewBox=\"0 0 {width} {height}\" font-family=\"'DejaVu Sans Mono', Menlo, Consolas, monospace\" \
         font-size=\"14\">\n<rect width=\"100%\" height=\"100%\" fill=\"{BG}\"/>\n"
    );
    for y in 0..area.height {
        let mut x = 0;
        while x < area.width {
            let style = buffer[(x, y)].style();
            let start = x;
            let mut text = String::new();
            let (mut fg, mut bg) = (
                hex(style.fg.unwrap_or(Color::Reset), FG),
                hex(style.bg.unwrap_or(Color::Reset), BG),
            );
            if style.add_modifier.contains(Modifier::REVERSED) {
                std::mem::swap(&mut fg, &mut bg);
            }
            let mut lines = String::new();
            while x < area.width && buffer[(x, y)].style() == style {
                // The cell after a wide character is empty: the character
                // covers it.
                let symbol = buffer[(x, y)].symbol();
                let (left, top) = (f32::from(x) * CELL_W, f32::from(y) * CELL_H);
                match box_drawing(symbol, left, top, CELL_W, CELL_H) {
                    Some(path) => {
                        lines.push_str(&path);
                        text.push(' ');
                    }
                    None => text.push_str(symbol),
                }
                x += 1;
            }
            let (left, top) = (f32::from(start) * CELL_W, f32::from(y) * CELL_H);
            let span = f32::from(x - start) * CELL_W;
            if bg != BG {
                writeln!(
                    svg,
                    "<rect x=\"{left}\" y=\"{top}\" width=\"{span}\" height=\"{CELL_H}\" fill=\"{bg}\"/>"
                )
                .unwrap();
            }
            if style.add_modifier.contains(Modifier::UNDERLINED) {
                let under = top + CELL_H - 2.0;
                lines.push_str(&format!("M{left} {under}h{span}"));
            }
            if !lines.is_empty() {
                writeln!(svg, "<path d=\"{lines}\" stroke=\"{fg}\" fill=\"{fg}\"/>").unwrap();
            }
            if text.trim().is_empty() {
                continue;
            }
            let mut attributes = format!("fill=\"{fg}\"");
            for (modifier, attribute) in [
                (Modifier::BOLD, " font-weight=\"bold\""),
                (Modifier::ITALIC, " font-style=\"italic\""),
                (Modifier::DIM, " opacity=\"0.6\""),
            ] {
                if style.add_modifier.contains(modifier) {
                    attributes.push_str(attribute);
                }
            }
            let escaped = text
                .replace('&', "&amp;")
                .replace('<', "&lt;")
                .replace('>', "&gt;");
            writeln!(
                svg,
                "<text x=\"{left}\" y=\"{}\" textLength=\"{span}\" lengthAdjust=\"spacingAndGlyphs\" \
                 xml:space=\"preserve\" {attributes}>{escaped}</text>",
                top + CELL_H * 0.75
            )
            .unwrap();
        }
    }
    svg.push_str("</svg>\n");
    svg
}

/// Box-drawing and block characters as lines and shapes, since fonts
/// draw them at heights that leave gaps between rows.
fn box_drawing(symbol: &str, left: f32, top: f32, w: f32, h: f32) -> Option<String> {
    let (mid_x, mid_y) = (left + w / 2.0, top + h / 2.0);
    let (right, bottom) = (left + w, top + h);
    let up = format!("M{mid_x} {top}V{mid_y}");
    let down = format!("M{mid_x} {mid_y}V{bottom}");
    let west = format!("M{left} {mid_y}H{mid_x}");
    let east = format!("M{mid_x} {mid_y}H{right}");
    let path = match symbol {
        "─" => format!("{west}{east}"),
        "│" => format!("{up}{down}"),
        "┌" => format!("{east}{down}"),
        "┐" => format!("{west}{down}"),
        "└" => format!("{up}{east}"),
        "┘" => format!("{up}{west}"),
        "║" => format!(
            "M{} {top}V{bottom}M{} {top}V{bottom}",
            mid_x - 1.5,
            mid_x + 1.5
        ),
        "█" => format!("M{left} {top}H{right}V{bottom}H{left}Z"),
        _ => return None,
    };
    Some(path)
}

#[test]
fn the_readme_picture_shows_the_reader_as_it_is() {
    // The first guide, whose related headlines name stories that are
    // loaded, with the focus on them.
    let mut app = crate::common::bundled_reader(120, 36);
    app.update(tidings::action::Action::NextUnread);
    app.update(tidings::action::Action::FocusNext);
    let terminal = crate::common::draw(&app);
    let buffer = terminal.backend().buffer();
    let svg = screen_svg(buffer);
    // The three panes are in the picture.
    for pane in ["Story", "Related", "Index"] {
        assert!(svg.contains(&format!("{pane} ")), "no {pane} pane");
    }
    assert_current("assets/screenshot.svg", &svg);
}

#[test]
fn an_installed_binary_works_from_any_folder() {
    // As `cargo install` leaves it: the binary alone, far from the
    // sources, run from a folder with nothing in it.
    let bin = Corpus::new();
    let installed = bin.path().join("tidings");
    std::fs::copy(env!("CARGO_BIN_EXE_tidings"), &installed).unwrap();
    let elsewhere = Corpus::new();
    let home = Corpus::new();
    let run = |args: &[&str]| {
        let mut command = Command::new(&installed);
        command
            .args(args)
            .current_dir(elsewhere.path())
            .env("HOME", home.path())
            .env_remove("XDG_CONFIG_HOME")
            .env_remove("XDG_STATE_HOME")
            .env_remove("XDG_CACHE_HOME");
        // Another test's child, forked while the copy was being written,
        // holds the file open until it execs: "text file busy" until then.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        loop {
            match command.output() {
                Err(e)
                    if e.kind() == std::io::ErrorKind::ExecutableFileBusy
                        && std::time::Instant::now() < deadline =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(10));
                }
                result => break result.unwrap(),
            }
        }
    };
    let list = run(&["list", "--json"]);
    assert!(list.status.success(), "{list:?}");
    let stories: serde_json::Value = serde_json::from_slice(&list.stdout).unwrap();
    let titles: Vec<&str> = stories
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["title"].as_str().unwrap())
        .collect();
    assert!(titles.contains(&crate::common::SEED_TITLE), "{titles:?}");
    assert!(titles.len() > 1, "the guides are there too: {titles:?}");

    let check = run(&["check"]);
    assert!(check.status.success(), "{check:?}");
    let config = run(&["--print-default-config"]);
    assert!(String::from_utf8_lossy(&config.stdout).contains("[keys]"));
}

#[test]
fn long_loads_show_progress_on_a_terminal_and_nothing_when_piped() {
    let corpus = Corpus::new();
    for i in 0..600 {
        corpus.write(
            &format!("s{i:03}.txt"),
            format!("Story {i} is about the ferry.\n"),
        );
    }
    let dir = corpus.path().to_str().unwrap();
    let mut session = Session::start(&["check", "--no-index", dir], 100, 10);
    let screen = session.wait_for("600 stories");
    session.wait_exit();
    let transcript = session.transcript();
    assert!(
        transcript.contains("reading files") && transcript.contains("of 600 files"),
        "{transcript:?}"
    );
    assert!(
        !screen.contains("reading files"),
        "the line is cleared: {screen}"
    );

    let piped = tidings(&["check", "--no-index", dir]);
    assert_eq!(piped.status, 0);
    assert_eq!(piped.stderr, "");
    assert!(piped.stdout.starts_with("600 stories"), "{}", piped.stdout);
}

#[test]
fn the_changelog_keeps_its_form_and_names_this_version() {
    let changelog = include_str!("../../CHANGELOG.md");
    let versions: Vec<&str> = changelog
        .lines()
        .filter_map(|l| l.strip_prefix("## "))
        .collect();
    assert_eq!(versions.first(), Some(&"[Unreleased]"), "{versions:?}");
    let this = format!("[{}] - ", env!("CARGO_PKG_VERSION"));
    let released = versions
        .iter()
        .find(|v| v.starts_with(&this))
        .unwrap_or_else(|| panic!("no entry for {this}: {versions:?}"));
    let date = &released[this.len()..];
    assert!(
        date.len() == 10 && date.chars().filter(|c| *c == '-').count() == 2,
        "dates are YYYY-MM-DD: {released}"
    );
    for heading in changelog.lines().filter_map(|l| l.strip_prefix("### ")) {
        assert!(
            [
                "Added",
                "Changed",
                "Deprecated",
                "Removed",
                "Fixed",
                "Security"
            ]
            .contains(&heading),
            "not a Keep a Changelog heading: {heading}"
        );
    }
}
