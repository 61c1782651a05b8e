//! Times the reader from start as a user sees it: the real binary in a
//! pseudo-terminal, one clock stopped when the first frame's bottom line has
//! arrived (the load's progress, or the stories if they came first), one
//! when the stories are on screen. Then searches (`/the`, a word nearly
//! every story holds) and reads the process's peak resident memory once the
//! results are shown and the search's background work is done.
//!
//!     cargo run --release --example first_frame -- [RUNS] [TIDINGS ARGS]...
//!
//! Uses target/release/tidings; build it first (cargo build --release).
//! To time another reader side by side (its list on screen; no search):
//!
//!     ... first_frame -- [RUNS] --program newsboat --shown TEXT [ARGS]...
//!
//! with `--then-enter TEXT`: once TEXT of `--shown` is on screen, press
//! Enter and stop the clock when this TEXT is (newsboat shows its feeds
//! first, and a feed's headlines when it is opened).

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let runs = match args.first().and_then(|a| a.parse::<usize>().ok()) {
        Some(runs) => {
            args.remove(0);
            runs
        }
        None => 5,
    };
    let mut program = Program {
        binary: concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/tidings").to_owned(),
        shown: " unread / ".to_owned(),
        then_enter: None,
        search: true,
    };
    while let Some(flag) = args
        .first()
        .filter(|a| ["--program", "--shown", "--then-enter"].contains(&a.as_str()))
        .cloned()
    {
        let value = args.get(1).cloned().expect("a value after the flag");
        args.drain(..2);
        match flag.as_str() {
            "--program" => {
                program.binary = value;
                program.search = false;
            }
            "--shown" => program.shown = value,
            _ => program.then_enter = Some(value),
        }
    }
    let (mut firsts, mut readers, mut peaks) = (Vec::new(), Vec::new(), Vec::new());
    for _ in 0..runs {
        let run = first_frame(&program, &args);
        println!(
            "first frame {:.0} ms, stories shown {:.0} ms, peak resident {} MB",
            ms(run.first_frame),
            ms(run.stories_shown),
            run.peak_kb / 1024
        );
        firsts.push(run.first_frame);
        readers.push(run.stories_shown);
        peaks.push(run.peak_kb);
    }
    firsts.sort();
    readers.sort();
    peaks.sort();
    println!(
        "median of {runs}: first frame {:.0} ms, stories shown {:.0} ms, peak resident {} MB",
        ms(firsts[runs / 2]),
        ms(readers[runs / 2]),
        peaks[runs / 2] / 1024
    );
}

fn ms(time: Duration) -> f64 {
    time.as_secs_f64() * 1000.0
}

/// What is timed: the binary, what its screen shows once its list is
/// there, and whether to search then.
struct Program {
    binary: String,
    shown: String,
    then_enter: Option<String>,
    search: bool,
}

struct Run {
    first_frame: Duration,
    stories_shown: Duration,
    peak_kb: u64,
}

fn first_frame(program: &Program, args: &[String]) -> Run {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(&program.binary);
    command.args(args);
    command.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(command).expect("tidings starts");
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let mut buf = [0u8; 65536];
    // The screen as a terminal would show it: frames after the first send
    // only the cells that changed. The status line is drawn last:
    // "loading…" ends the progress screen's frame, the unread count the
    // reader's.
    let size = |n: u16| std::num::NonZeroU16::new(n).expect("a size");
    let mut screen = vt100::Parser::new(size(40), size(120), 0);
    let mut first_frame = None;
    loop {
        let n = reader.read(&mut buf).expect("output");
        assert!(n > 0, "tidings ended before drawing");
        screen.process(&buf[..n]);
        let shown = screen.screen().contents();
        if first_frame.is_none() && (shown.contains("loading…") || shown.contains(&program.shown))
        {
            first_frame = Some(start.elapsed());
        }
        if shown.contains(&program.shown) {
            break;
        }
    }
    let mut writer = pair.master.take_writer().expect("a writer");
    if let Some(then) = &program.then_enter {
        writer.write_all(b"\r").expect("keys sent");
        while !screen.screen().contents().contains(then.as_str()) {
            let n = reader.read(&mut buf).expect("output");
            assert!(n > 0, "the program ended before showing {then:?}");
            screen.process(&buf[..n]);
        }
    }
    let stories_shown = start.elapsed();
    let pid = child.process_id().expect("a pid");
    eprintln!(
        "  peak resident with the stories shown: {} MB",
        peak_resident_kb(pid) / 1024
    );
    // Search, and wait for the results.
    if program.search {
        writer.write_all(b"/the").expect("keys sent");
        loop {
            let n = reader.read(&mut buf).expect("output");
            assert!(n > 0, "tidings ended while searching");
            screen.process(&buf[..n]);
            if screen.screen().contents().contains(" Search · best ") {
                break;
            }
        }
    }
    // The search worker's index (and, without the index on disk, the story
    // filters) and the results' sentences come in the background; let them
    // finish before reading the high-water mark.
    std::thread::sleep(Duration::from_secs(6));
    let peak_kb = peak_resident_kb(pid);
    let _ = child.kill();
    let _ = child.wait();
    Run {
        first_frame: first_frame.unwrap_or(stories_shown),
        stories_shown,
        peak_kb,
    }
}

/// The process's high-water mark of resident memory so far (`VmHWM`).
fn peak_resident_kb(pid: u32) -> u64 {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0)
}
