//! Writes a synthetic corpus of plain-format stories for benchmarks and
//! scale tests:
//!
//!     cargo run --release --example gen_corpus -- DIR N [SEED]
//!
//! See benches/support/corpus.rs for what the stories are like.

use std::path::PathBuf;
use std::process::ExitCode;

#[path = "../benches/support/corpus.rs"]
mod corpus;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(dir), Some(Ok(n))) = (args.first(), args.get(1).map(|n| n.parse::<usize>())) else {
        eprintln!("usage: gen_corpus DIR N [SEED]");
        return ExitCode::from(2);
    };
    let seed = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let dir = PathBuf::from(dir);
    match corpus::write(&dir, n, seed) {
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
