//! Times the reader from start to its first frame, as a user sees it: the
//! real binary in a pseudo-terminal, the clock stopped when the frame's
//! bottom line has arrived. Also reads the process's peak resident memory,
//! once the search index built after the first frame is ready.
//!
//!     cargo run --release --example first_frame -- [RUNS] [TIDINGS ARGS]...
//!
//! Uses target/release/tidings; build it first (cargo build --release).

use std::io::Read;
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
    let binary = concat!(env!("CARGO_MANIFEST_DIR"), "/target/release/tidings");
    let mut times = Vec::new();
    let mut peaks = Vec::new();
    for _ in 0..runs {
        let (time, peak_kb) = first_frame(binary, &args);
        println!(
            "first frame {:.0} ms, peak resident {} MB",
            time.as_secs_f64() * 1000.0,
            peak_kb / 1024
        );
        times.push(time);
        peaks.push(peak_kb);
    }
    times.sort();
    peaks.sort();
    println!(
        "median of {runs}: first frame {:.0} ms, peak resident {} MB",
        times[runs / 2].as_secs_f64() * 1000.0,
        peaks[runs / 2] / 1024
    );
}

fn first_frame(binary: &str, args: &[String]) -> (Duration, u64) {
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 40,
            cols: 120,
            pixel_width: 0,
            pixel_height: 0,
        })
        .expect("a pseudo-terminal");
    let mut command = CommandBuilder::new(binary);
    command.args(args);
    command.env("TERM", "xterm-256color");
    let start = Instant::now();
    let mut child = pair.slave.spawn_command(command).expect("tidings starts");
    let mut reader = pair.master.try_clone_reader().expect("a reader");
    let mut seen = Vec::new();
    let mut buf = [0u8; 65536];
    // The status line is drawn last: its unread count ends the first frame.
    while !String::from_utf8_lossy(&seen).contains(" unread / ") {
        let n = reader.read(&mut buf).expect("output");
        assert!(n > 0, "tidings ended before drawing");
        seen.extend_from_slice(&buf[..n]);
    }
    let elapsed = start.elapsed();
    let pid = child.process_id().expect("a pid");
    // The search index is built in the background after the first frame;
    // let it finish before reading the high-water mark.
    std::thread::sleep(Duration::from_secs(6));
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let peak_kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        .unwrap_or(0);
    let _ = child.kill();
    let _ = child.wait();
    (elapsed, peak_kb)
}
