//! A synthetic corpus of plain-format stories, shared by the gen_corpus
//! example and the benchmarks. Each story has 3 to 7 paragraphs (about
//! 3 KB) and a related block of about 15 headlines of other stories, with
//! its own headline among them for nine stories in ten. Words follow a
//! Zipf-like curve over a large invented vocabulary, and each story has
//! names of its own, so title inference has the same kind of work as on
//! real news. The same N and seed always give the same stories.
#![allow(dead_code)]

use std::fmt::Write as _;
use std::path::Path;

/// SplitMix64: tiny, fast, and fixed forever, so a seed means the same
/// corpus on every machine and every version of every crate.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn range(&mut self, low: usize, high: usize) -> usize {
        low + self.below(high - low + 1)
    }

    /// A Zipf-like pick: small indexes are much more likely.
    fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next() >> 11) as f64 / (1u64 << 53) as f64;
        ((n as f64).powf(u) - 1.0) as usize % n
    }
}

const FUNCTION_WORDS: &[&str] = &[
    "the", "of", "and", "to", "in", "a", "that", "for", "on", "with", "as", "was", "by", "at",
    "it", "from", "said", "its", "after", "over", "but", "has", "have", "were", "their", "which",
    "would", "will",
];
const SYLLABLES: &[&str] = &[
    "ka", "lo", "ve", "ran", "di", "mor", "sa", "tel", "pi", "nu", "gor", "ba", "lin", "che", "to",
    "rus", "mi", "den", "qua", "fe", "zo", "hal", "ne", "ost", "ri", "van", "sel", "um", "ta",
    "bri",
];

fn invented_word(rng: &mut Rng) -> String {
    let syllables = rng.range(2, 4);
    (0..syllables)
        .map(|_| SYLLABLES[rng.below(SYLLABLES.len())])
        .collect()
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map_or_else(String::new, |c| c.to_uppercase().chain(chars).collect())
}

struct Plan {
    vocabulary: Vec<String>,
    /// Per story: its two names and the other words of its headline.
    subjects: Vec<(String, String, Vec<usize>)>,
    headlines: Vec<String>,
}

fn plan(n: usize, rng: &mut Rng) -> Plan {
    let vocabulary: Vec<String> = (0..20_000).map(|_| invented_word(rng)).collect();
    let mut subjects = Vec::with_capacity(n);
    let mut headlines = Vec::with_capacity(n);
    for i in 0..n {
        let first = capitalized(&invented_word(rng));
        let last = format!("{}{}", capitalized(&invented_word(rng)), i % 97);
        let words: Vec<usize> = (0..rng.range(4, 7))
            .map(|_| 200 + rng.zipf(vocabulary.len() - 200))
            .collect();
        let mut headline = format!("{first} {last}");
        for &w in &words {
            headline.push(' ');
            headline.push_str(&capitalized(&vocabulary[w]));
        }
        headlines.push(headline);
        subjects.push((first, last, words));
    }
    Plan {
        vocabulary,
        subjects,
        headlines,
    }
}

fn sentence(plan: &Plan, rng: &mut Rng, out: &mut String, must: &[&str]) {
    let length = rng.range(8, 17);
    let mut words: Vec<&str> = (0..length)
        .map(|_| {
            if rng.below(3) == 0 {
                FUNCTION_WORDS[rng.zipf(FUNCTION_WORDS.len())]
            } else {
                plan.vocabulary[rng.zipf(plan.vocabulary.len())].as_str()
            }
        })
        .collect();
    for &word in must {
        let at = rng.below(words.len());
        words.insert(at, word);
    }
    let text = words.join(" ");
    out.push_str(&capitalized(&text));
    out.push_str(". ");
}

fn story(plan: &Plan, i: usize, rng: &mut Rng) -> String {
    let (first, last, words) = &plan.subjects[i];
    let mut text = String::with_capacity(3500);
    for p in 0..rng.range(3, 7) {
        for s in 0..rng.range(3, 6) {
            let must: Vec<&str> = if p == 0 && s == 0 {
                let mut m = vec![first.as_str(), last.as_str()];
                m.extend(words.iter().map(|&w| plan.vocabulary[w].as_str()));
                m
            } else if s == 0 {
                vec![last.as_str()]
            } else {
                Vec::new()
            };
            sentence(plan, rng, &mut text, &must);
        }
        text.truncate(text.trim_end().len());
        text.push('\n');
    }
    text.push_str("\n\n");
    let mut related: Vec<usize> = (0..rng.range(12, 18))
        .map(|_| {
            // Mostly neighbours, as related news clusters, some from anywhere.
            if rng.below(4) == 0 {
                rng.below(plan.headlines.len())
            } else {
                (i + rng.range(1, 200)) % plan.headlines.len()
            }
        })
        .collect();
    if rng.below(10) != 0 {
        let at = rng.below(related.len() + 1);
        related.insert(at, i);
    }
    for r in related {
        let _ = writeln!(text, "{}", plan.headlines[r]);
    }
    text
}

/// The file name and text of each of `n` stories.
pub fn stories(n: usize, seed: u64) -> impl Iterator<Item = (String, String)> {
    let mut rng = Rng(seed);
    let plan = plan(n.max(1), &mut rng);
    (0..n).map(move |i| {
        let mut story_rng = Rng(seed ^ (i as u64).wrapping_mul(0x2545_f491_4f6c_dd1d));
        (format!("{i:06}.txt"), story(&plan, i, &mut story_rng))
    })
}

/// The same stories as structured files, the way feed items arrive: a
/// stated title and a body, no related headlines (so the model finds them),
/// from one of 300 feeds, 500 a day.
pub fn feed_stories(n: usize, seed: u64) -> impl Iterator<Item = (String, String)> {
    let titles = headlines(n, seed);
    let stories = stories(n, seed).zip(titles).enumerate();
    stories.map(|(i, ((name, text), title))| {
        let body = text.split("\n\n\n").next().unwrap_or_default().trim_end();
        let body = body.replace('\n', "\n\n");
        let day = jiff::civil::date(2026, 1, 1) + jiff::Span::new().days((i / 500) as i64);
        let minute = i % 500 * 1440 / 500;
        let date = format!("{day}T{:02}:{:02}:00Z", minute / 60, minute % 60);
        (
            name.replace(".txt", ".toml"),
            format!(
                "title = \"{title}\"\nbody = \"\"\"\n{body}\"\"\"\ndate = {date}\n\
                 source = \"Feed {}\"\n",
                i % 300
            ),
        )
    })
}

/// Writes `n` stories into `dir`; returns the bytes written.
pub fn write(dir: &Path, n: usize, seed: u64) -> std::io::Result<usize> {
    write_files(dir, stories(n, seed))
}

/// Writes each (file name, text) into `dir`; returns the bytes written.
pub fn write_files(
    dir: &Path,
    files: impl Iterator<Item = (String, String)>,
) -> std::io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    let mut bytes = 0;
    for (name, text) in files {
        bytes += text.len();
        std::fs::write(dir.join(name), text)?;
    }
    Ok(bytes)
}

/// `n` distinct headlines of the kind the stories carry.
pub fn headlines(n: usize, seed: u64) -> Vec<String> {
    plan(n.max(1), &mut Rng(seed)).headlines
}
