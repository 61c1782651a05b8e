//! The source against ARCHITECTURE.md: every top-level module is in its
//! table of layers, imports run down the table (within a layer, without a
//! cycle), the files of one folder never import each other in a circle,
//! and no file is over 700 lines before its tests nor any function over
//! 100 lines. A map that has drifted from the tree fails here.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

const MAX_FILE_LINES: usize = 700;
const MAX_FUNCTION_LINES: usize = 100;

/// A source file: its module path (`["index", "open"]`; `mod.rs` is its
/// folder's module) and its text before its tests, without comments and
/// with string and character literals emptied.
struct Source {
    path: PathBuf,
    module: Vec<String>,
    code: String,
}

fn sources() -> Vec<Source> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    let mut folders = vec![root.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
        .into_iter()
        .map(|path| {
            let relative = path.strip_prefix(&root).unwrap().with_extension("");
            let mut module: Vec<String> = relative
                .iter()
                .map(|p| p.to_string_lossy().into_owned())
                .collect();
            if matches!(
                module.last().map(String::as_str),
                Some("mod" | "lib" | "main")
            ) {
                module.pop();
            }
            let text = std::fs::read_to_string(&path).unwrap();
            let before_tests = text
                .find("#[cfg(test)]\nmod tests")
                .map_or(&text[..], |at| &text[..at]);
            let code = without_comments_and_literals(before_tests);
            let path = Path::new("src").join(path.strip_prefix(&root).unwrap());
            Source { path, module, code }
        })
        .collect()
}

/// Comments removed and literals emptied, line breaks kept, so that
/// braces and paths are only the code's.
fn without_comments_and_literals(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '/' if chars.peek() == Some(&'/') => {
                for c in chars.by_ref() {
                    if c == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            '"' => {
                out.push_str("\"\"");
                while let Some(c) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        '\n' => out.push('\n'),
                        _ => {}
                    }
                }
            }
            // A character literal ('{'), not a lifetime ('a).
            '\'' => {
                let rest: String = chars.clone().take(3).collect();
                let literal = rest.starts_with('\\') || rest.chars().nth(1) == Some('\'');
                if literal {
                    while let Some(c) = chars.next() {
                        match c {
                            '\\' => {
                                chars.next();
                            }
                            '\'' => break,
                            _ => {}
                        }
                    }
                    out.push_str("' '");
                } else {
                    out.push(c);
                }
            }
            c => out.push(c),
        }
    }
    out
}

/// Every path the code names after `prefix` (`crate::`, `super::`), as
/// its segments, with `{a, b::c}` groups spread out.
fn paths_after(code: &str, prefix: &str) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    for (at, _) in code.match_indices(prefix) {
        let before = code[..at].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        spread(&code[at + prefix.len()..], Vec::new(), &mut found);
    }
    found
}

fn spread(rest: &str, mut path: Vec<String>, found: &mut Vec<Vec<String>>) {
    let ident: String = rest
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    let after = &rest[ident.len()..];
    if ident.is_empty() {
        if let Some(group) = after.strip_prefix('{') {
            let mut depth = 0;
            let mut item = String::new();
            for c in group.chars() {
                match c {
                    '{' => depth += 1,
                    '}' if depth == 0 => break,
                    '}' => depth -= 1,
                    ',' if depth == 0 => {
                        spread(item.trim(), path.clone(), found);
                        item.clear();
                        continue;
                    }
                    _ => {}
                }
                item.push(c);
            }
            spread(item.trim(), path, found);
        } else if !path.is_empty() {
            found.push(path);
        }
        return;
    }
    path.push(ident);
    match after.strip_prefix("::") {
        Some(rest) => spread(rest, path, found),
        None => found.push(path),
    }
}

/// The table of layers: top-level module -> its layer.
fn layers() -> BTreeMap<String, usize> {
    let map = include_str!("../../ARCHITECTURE.md");
    let mut layers = BTreeMap::new();
    for line in map.lines() {
        let Some(row) = line.strip_prefix("| ") else {
            continue;
        };
        let Some(layer) = row.split_whitespace().next().and_then(|n| n.parse().ok()) else {
            continue;
        };
        let modules = row.split('|').nth(1).unwrap_or("");
        for name in modules.split(',') {
            layers.insert(name.trim().trim_matches('`').to_owned(), layer);
        }
    }
    layers
}

/// The cycles in a graph, each as the set of its nodes.
fn cycles(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<BTreeSet<String>> {
    let reaches = |from: &String| {
        let mut seen = BTreeSet::new();
        let mut todo = vec![from.clone()];
        while let Some(node) = todo.pop() {
            for next in edges.get(&node).into_iter().flatten() {
                if seen.insert(next.clone()) {
                    todo.push(next.clone());
                }
            }
        }
        seen
    };
    let reach: BTreeMap<&String, BTreeSet<String>> =
        edges.keys().map(|n| (n, reaches(n))).collect();
    let mut found: Vec<BTreeSet<String>> = Vec::new();
    for (node, reached) in &reach {
        let cycle: BTreeSet<String> = reached
            .iter()
            .filter(|other| reach.get(other).is_some_and(|r| r.contains(*node)))
            .cloned()
            .collect();
        if cycle.len() > 1 && !found.contains(&cycle) {
            found.push(cycle);
        }
    }
    found
}

#[test]
fn imports_run_down_the_layers_of_architecture_md() {
    let layers = layers();
    let sources = sources();
    let mut problems = Vec::new();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for source in sources.iter().filter(|s| !s.module.is_empty()) {
        let from = &source.module[0];
        let Some(&from_layer) = layers.get(from) else {
            problems.push(format!("src/{from} is not in ARCHITECTURE.md's layers"));
            continue;
        };
        for path in paths_after(&source.code, "crate::") {
            let to = &path[0];
            match layers.get(to) {
                _ if to == from => {}
                Some(&to_layer) if to_layer > from_layer => problems.push(format!(
                    "{} uses crate::{to} (layer {to_layer}) from layer {from_layer}",
                    source.path.display()
                )),
                Some(&to_layer) if to_layer == from_layer => {
                    edges.entry(from.clone()).or_default().insert(to.clone());
                }
                Some(_) => {}
                None => problems.push(format!("crate::{to} is not in ARCHITECTURE.md's layers")),
            }
        }
    }
    for cycle in cycles(&edges) {
        problems.push(format!("a cycle within a layer: {cycle:?}"));
    }
    problems.sort();
    problems.dedup();
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn the_files_of_a_folder_never_import_each_other_in_a_circle() {
    let sources = sources();
    // Folder -> the modules of its files (mod.rs is its folder's own).
    let mut folders: BTreeMap<Vec<String>, BTreeSet<String>> = BTreeMap::new();
    for source in &sources {
        if let Some((name, folder)) = source.module.split_last() {
            let is_folder = source.path.ends_with("mod.rs");
            if !is_folder {
                folders
                    .entry(folder.to_vec())
                    .or_default()
                    .insert(name.clone());
            }
        }
    }
    let mut problems = Vec::new();
    for (folder, files) in &folders {
        let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for source in sources.iter().filter(|s| {
            !s.path.ends_with("mod.rs") && s.module.split_last().is_some_and(|(_, f)| f == folder)
        }) {
            let name = source.module.last().unwrap();
            let named = paths_after(&source.code, "super::").into_iter().chain(
                paths_after(&source.code, "crate::")
                    .into_iter()
                    .filter_map(|p| p.strip_prefix(folder.as_slice()).map(<[String]>::to_vec)),
            );
            for path in named {
                if let Some(sibling) = path.first().filter(|s| files.contains(*s) && *s != name) {
                    edges
                        .entry(name.clone())
                        .or_default()
                        .insert(sibling.clone());
                }
            }
        }
        for cycle in cycles(&edges) {
            problems.push(format!("src/{}: {cycle:?}", folder.join("/")));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

#[test]
fn no_file_over_700_lines_nor_function_over_100() {
    let mut problems = Vec::new();
    for source in sources() {
        let lines: Vec<&str> = source.code.lines().collect();
        if lines.len() > MAX_FILE_LINES {
            let shown = source.path.display();
            problems.push(format!("{shown}: {} lines before its tests", lines.len()));
        }
        for (start, line) in lines.iter().enumerate() {
            let Some(name) = function_name(line) else {
                continue;
            };
            let (mut depth, mut opened) = (0i32, false);
            for (end, line) in lines.iter().enumerate().skip(start) {
                for c in line.chars() {
                    match c {
                        '{' => (depth, opened) = (depth + 1, true),
                        '}' => depth -= 1,
                        _ => {}
                    }
                }
                let declared_only = !opened && line.trim_end().ends_with(';');
                if declared_only || (opened && depth <= 0) {
                    let length = end - start + 1;
                    if length > MAX_FUNCTION_LINES {
                        let shown = source.path.display();
                        problems.push(format!("{shown}:{}: fn {name}, {length} lines", start + 1));
                    }
                    break;
                }
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The name of the function a line declares, if it declares one.
fn function_name(line: &str) -> Option<&str> {
    let mut words = line.split_whitespace().peekable();
    while let Some(word) = words.next() {
        match word {
            "fn" => {
                let name = words.next()?;
                return Some(name.split(['(', '<']).next().unwrap_or(name));
            }
            "pub" | "const" | "async" | "unsafe" | "extern" | "\"\"" => {}
            word if word.starts_with("pub(") => {}
            _ => return None,
        }
    }
    None
}
