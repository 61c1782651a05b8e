//! How well tidings finds events: the development set of headlines
//! labelled by event (`../shared/data/events/uci-news-dev.csv`, see its
//! README) clustered in time order, scored with BCubed precision, recall
//! and F1 (Bagga and Baldwin).
//!
//!     cargo run --release --example events -- [CSV] [JOIN SAME_SOURCE MERGE]
//!
//! With GROWN=1 words are weighed by the stories seen so far (as a library
//! that grows from nothing), else by the whole set; EXPLAIN=1 shows how the
//! largest events were split and what the largest clusters mix; SCALE=N
//! repeats the set a week apart to N stories, for the cost; SHUFFLE=SEED
//! interleaves the events' stories.

// A developer's tool: a failure ends the run, with its message.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use tidings::model::clusters::{Clusterer, Features, Tuning};

struct Row {
    title: String,
    publisher: String,
    event: String,
    time: i64,
}

fn rows(path: &str) -> Vec<Row> {
    let mut reader = csv::Reader::from_path(path).expect("the events CSV");
    let mut rows: Vec<Row> = reader
        .records()
        .map(|r| {
            let r = r.expect("a CSV row");
            Row {
                title: r[1].to_owned(),
                publisher: r[3].to_owned(),
                event: r[5].to_owned(),
                time: r[7].parse::<i64>().unwrap() / 1000,
            }
        })
        .collect();
    rows.sort_by_key(|r| r.time);
    rows
}

/// BCubed precision, recall and F1 of `found` against `truth`.
fn bcubed(found: &[u32], truth: &[&str]) -> (f64, f64, f64) {
    let mut clusters: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut events: HashMap<&str, usize> = HashMap::new();
    for (i, c) in found.iter().enumerate() {
        clusters.entry(*c).or_default().push(i);
        *events.entry(truth[i]).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    for (i, c) in found.iter().enumerate() {
        let members = &clusters[c];
        let same = members.iter().filter(|&&j| truth[j] == truth[i]).count() as f64;
        precision += same / members.len() as f64;
        recall += same / events[truth[i]] as f64;
    }
    let n = found.len() as f64;
    let (p, r) = (precision / n, recall / n);
    (p, r, 2.0 * p * r / (p + r))
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let path = args
        .first()
        .cloned()
        .unwrap_or_else(|| "../shared/data/events/uci-news-dev.csv".into());
    let mut tuning = Tuning::default();
    if let [_, join, same, merge, ..] = &args[..] {
        tuning.join = join.parse().unwrap();
        tuning.same_source = same.parse().unwrap();
        tuning.merge = merge.parse().unwrap();
    }
    let mut rows = rows(&path);
    // SCALE=N: the set repeated, a week apart each time, to N stories (for
    // the cost of clustering a large library).
    if let Some(scale) = std::env::var("SCALE")
        .ok()
        .and_then(|s| s.parse::<usize>().ok())
    {
        let one = rows.len();
        rows = (0..scale)
            .map(|i| {
                let r = &rows[i % one];
                Row {
                    title: r.title.clone(),
                    publisher: r.publisher.clone(),
                    event: format!("{}-{}", r.event, i / one),
                    time: r.time + (i / one) as i64 * 7 * 86_400,
                }
            })
            .collect();
    }
    // SHUFFLE=SEED: the stories in another order, given the same times in
    // that order, so that events interleave instead of coming in bursts
    // (the set's times are the aggregator's, a minute for each event).
    if let Some(mut seed) = std::env::var("SHUFFLE")
        .ok()
        .and_then(|s| s.parse::<u64>().ok())
    {
        let times: Vec<i64> = rows.iter().map(|r| r.time).collect();
        for i in (1..rows.len()).rev() {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            rows.swap(i, (seed % (i as u64 + 1)) as usize);
        }
        for (row, time) in rows.iter_mut().zip(times) {
            row.time = time;
        }
    }
    let started = std::time::Instant::now();
    let features: Vec<Features> = rows
        .iter()
        .map(|r| {
            let source = xxhash_rust::xxh3::xxh3_64(r.publisher.as_bytes());
            Features::new(&r.title, "", source, Some(r.time))
        })
        .collect();
    // As a library built at once does, or (GROWN=1) as one that grew from
    // nothing, its words weighed by the stories seen so far.
    let grown = std::env::var_os("GROWN").is_some();
    let (clusterer, found) = if grown {
        let mut clusterer = Clusterer::new(tuning);
        let placed: Vec<u32> = features.iter().map(|f| clusterer.add(f, false)).collect();
        let found = placed.iter().map(|&id| clusterer.current(id)).collect();
        (clusterer, found)
    } else {
        tidings::model::clusters::build(&features, tuning)
    };
    eprintln!("clustered in {:?}", started.elapsed());
    if std::env::var_os("EXPLAIN").is_some() {
        explain(&found, &rows);
    }
    let truth: Vec<&str> = rows.iter().map(|r| r.event.as_str()).collect();
    if std::env::var_os("SCALE").is_none() {
        let weights: Vec<Vec<(u32, f32)>> = features
            .iter()
            .map(|f| clusterer.weigh(f.terms()))
            .collect();
        related_quality(&found, &weights, &truth);
    }
    let (p, r, f) = bcubed(&found, &truth);
    let clusters = found.iter().collect::<std::collections::HashSet<_>>().len();
    println!(
        "{} headlines, {} events: {clusters} clusters; BCubed precision {p:.3}, recall {r:.3}, F1 {f:.3}",
        rows.len(),
        truth.iter().collect::<std::collections::HashSet<_>>().len()
    );
}

/// How the largest events were split among clusters, and what the
/// largest clusters mix.
fn explain(found: &[u32], rows: &[Row]) {
    let events = groups(rows.len(), |i| rows[i].event.clone());
    show_splits("event of", events, |i| found[i].to_string(), rows);
    let clusters = groups(rows.len(), |i| found[i].to_string());
    show_splits("cluster of", clusters, |i| rows[i].event.clone(), rows);
}

/// Stories `0..n` grouped by `key`, largest group first.
fn groups(n: usize, key: impl Fn(usize) -> String) -> Vec<Vec<usize>> {
    let mut by: HashMap<String, Vec<usize>> = HashMap::new();
    for i in 0..n {
        by.entry(key(i)).or_default().push(i);
    }
    let mut groups: Vec<Vec<usize>> = by.into_values().collect();
    groups.sort_by_key(|g| (std::cmp::Reverse(g.len()), g[0]));
    groups
}

/// For each of the eight largest `groups`, its parts by `part`: their
/// sizes, and a few headlines of the largest.
fn show_splits(what: &str, groups: Vec<Vec<usize>>, part: impl Fn(usize) -> String, rows: &[Row]) {
    for members in groups.iter().take(8) {
        let parts = groups_of(members, &part);
        let sizes: Vec<usize> = parts.iter().map(Vec::len).take(12).collect();
        println!(
            "== {what} {} in {} parts: {sizes:?}",
            members.len(),
            parts.len()
        );
        for part in parts.iter().take(4) {
            let titles: Vec<&str> = part
                .iter()
                .take(3)
                .map(|&i| rows[i].title.as_str())
                .collect();
            println!("   [{}] {}", part.len(), titles.join(" | "));
        }
    }
}

fn groups_of(members: &[usize], part: impl Fn(usize) -> String) -> Vec<Vec<usize>> {
    groups(members.len(), |k| part(members[k]))
        .into_iter()
        .map(|g| g.into_iter().map(|k| members[k]).collect())
        .collect()
}

/// The cosine of two stories' weights.
fn cosine(a: &[(u32, f32)], b: &[(u32, f32)]) -> f32 {
    let b: HashMap<u32, f32> = b.iter().copied().collect();
    a.iter()
        .map(|(t, w)| w * b.get(t).copied().unwrap_or(0.0))
        .sum()
}

/// Related headlines as the sidebar would show them for a story that
/// brings none: the other stories of its cluster, nearest first, at most
/// eight. Precision: those of its event / shown; recall: those /
/// min(8, the other headlines of its event).
fn related_quality(found: &[u32], weights: &[Vec<(u32, f32)>], truth: &[&str]) {
    let mut clusters: HashMap<u32, Vec<usize>> = HashMap::new();
    let mut events: HashMap<&str, usize> = HashMap::new();
    for (i, c) in found.iter().enumerate() {
        clusters.entry(*c).or_default().push(i);
        *events.entry(truth[i]).or_default() += 1;
    }
    let (mut precision, mut recall) = (0.0, 0.0);
    let (mut shown_any, mut none, mut with_others) = (0usize, 0usize, 0usize);
    for (i, c) in found.iter().enumerate() {
        let mut near: Vec<(usize, f32)> = clusters[c]
            .iter()
            .filter(|&&j| j != i)
            .map(|&j| (j, cosine(&weights[i], &weights[j])))
            .collect();
        near.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        near.truncate(8);
        let right = near.iter().filter(|(j, _)| truth[*j] == truth[i]).count() as f64;
        let possible = (events[truth[i]] - 1).min(8);
        if !near.is_empty() {
            precision += right / near.len() as f64;
            shown_any += 1;
        } else {
            none += 1;
        }
        if possible > 0 {
            recall += right / possible as f64;
            with_others += 1;
        }
    }
    println!(
        "related headlines: precision {:.3}, recall {:.3}; {:.1}% of stories get none",
        precision / shown_any as f64,
        recall / with_others as f64,
        100.0 * none as f64 / found.len() as f64
    );
}
