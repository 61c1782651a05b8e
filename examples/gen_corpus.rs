//! Writes a synthetic corpus of plain-format stories for benchmarks and
//! scale tests:
//!
//!     cargo run --release --example gen_corpus -- DIR N [SEED] [--feeds]
//!
//! See benches/support/corpus.rs for what the stories are like. With
//! `--feeds` they are written as feed items are stored: structured files
//! with a title and a body, and no related headlines.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() -> ExitCode {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let feeds = args.iter().any(|a| a == "--feeds");
    args.retain(|a| a != "--feeds");
    let (Some(dir), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: gen_corpus DIR N [SEED] [--feeds]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = PathBuf::from(dir);
    let written = if feeds {
        corpus::write_files(&dir, corpus::feed_stories(n, seed))
    } else {
        corpus::write(&dir, n, seed)
    };
    match written {
        Ok(bytes) => {
            println!(
                "wrote {n} stories, {} MB, to {}",
                bytes / 1_000_000,
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("gen_corpus: {}: {e}", dir.display());
            ExitCode::FAILURE
        }
    }
}
