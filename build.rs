//! Names the commit in `tidings --version` when built from a git checkout
//! (`0.1.0 (1a2b3c4)`); a build from a source package says `0.1.0`.

use std::process::Command;

fn main() {
    println!("cargo::rerun-if-changed=build.rs");
    let version = env!("CARGO_PKG_VERSION");
    // Only tidings' own checkout: a packager's tree that holds the
    // sources has commits of its own.
    let own = git(&["rev-parse", "--show-toplevel"]).is_some_and(|top| {
        let canonical = |path: &str| std::fs::canonicalize(path).ok();
        canonical(&top).is_some() && canonical(&top) == canonical(env!("CARGO_MANIFEST_DIR"))
    });
    let commit = own
        .then(|| git(&["rev-parse", "--short=7", "HEAD"]))
        .flatten();
    let shown = match commit {
        Some(commit) => format!("{version} ({commit})"),
        None => version.to_owned(),
    };
    println!("cargo::rustc-env=TIDINGS_VERSION={shown}");
    // Built again when HEAD moves: a commit, a checkout, a fetch that packs
    // refs.
    if let Some(dir) = own
        .then(|| git(&["rev-parse", "--absolute-git-dir"]))
        .flatten()
    {
        println!("cargo::rerun-if-changed={dir}/HEAD");
        println!("cargo::rerun-if-changed={dir}/packed-refs");
        if let Some(branch) = git(&["symbolic-ref", "-q", "HEAD"]) {
            println!("cargo::rerun-if-changed={dir}/{branch}");
        }
    }
}

/// What a git command prints, trimmed; None outside a checkout or
/// without git.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    let text = String::from_utf8(output.stdout).ok()?;
    (output.status.success() && !text.trim().is_empty()).then(|| text.trim().to_owned())
}
