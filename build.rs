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
    // Built again when HEAD moves: a commit, a checkout, a gc that packs
    // refs. Only files that exist are named: cargo takes a missing one for
    // a changed one and would build tidings again every time (a branch
    // whose ref is packed has no file of its own). The folder of loose
    // refs is watched whole, so a ref written there later is seen.
    if let Some(dir) = own
        .then(|| git(&["rev-parse", "--absolute-git-dir"]))
        .flatten()
    {
        let dir = std::path::Path::new(&dir);
        let branch = git(&["symbolic-ref", "-q", "HEAD"]);
        let refs = branch
            .as_deref()
            .and_then(|b| std::path::Path::new(b).parent().map(|p| dir.join(p)));
        let watched = [Some(dir.join("HEAD")), Some(dir.join("packed-refs")), refs];
        for path in watched.into_iter().flatten().filter(|p| p.exists()) {
            println!("cargo::rerun-if-changed={}", path.display());
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
