//! Stories in every script: one fixture per language
//! (`tests/fixtures/scripts/`), each with its own headline in its related
//! block among distractors that share a word or two with it, and written
//! with the inflections and attached words of its language (Russian case
//! endings, the Arabic article, Hebrew prefixes, Korean particles) or
//! without spaces (Chinese, Japanese, Thai). The Spanish story has no
//! headline of its own and falls back to its first sentence.

use std::path::PathBuf;

use crate::common::tidings;
use tidings::model::Library;

const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/scripts");

/// Each fixture: its file, its own headline (none for Spanish), how much it
/// holds to read (words, or characters for the scripts read by
/// character), and a search that must find it.
const STORIES: &[(&str, Option<&str>, &str, &str)] = &[
    (
        "de.txt",
        Some("Freiburg baut Straßenbahnverkehr in der Innenstadt aus"),
        "46 words",
        "Straßenbahnverkehr",
    ),
    (
        "ru.txt",
        Some("Новосибирск продлит трамвайные маршруты на левом берегу"),
        "41 words",
        "трамва*",
    ),
    (
        "ar.txt",
        Some("افتتاح مستشفى جديد بالزرقاء"),
        "32 words",
        "الزرقاء",
    ),
    (
        "he.txt",
        Some("בחיפה נפתח קו הרכבת הקלה החדש"),
        "32 words",
        "רכבת",
    ),
    (
        "zh.txt",
        Some("北京将新开通三条地铁线路"),
        "87 characters",
        "交通拥堵",
    ),
    (
        "ja.txt",
        Some("大阪府、公立高校の授業料を無償化へ"),
        "92 characters",
        "記者会見",
    ),
    (
        "ko.txt",
        Some("서울시, 시내버스 노선 대폭 개편"),
        "83 characters",
        "시내버스",
    ),
    (
        "hi.txt",
        Some("दिल्ली में चलेंगी पाँच सौ नई इलेक्ट्रिक बसें"),
        "43 words",
        "प्रदूषण",
    ),
    (
        "th.txt",
        Some("กรุงเทพฯ เปิดรถไฟฟ้าสายใหม่เดือนหน้า"),
        "185 characters",
        "ค่าโดยสาร",
    ),
    ("es.txt", None, "42 words", "árboles"),
];

fn list(extra: &[&str]) -> Vec<serde_json::Value> {
    let mut args = vec!["list", "--json"];
    args.extend(extra);
    args.push(FIXTURES);
    let run = tidings(&args);
    assert_eq!(run.status, 0, "{}", run.stderr);
    run.json().as_array().unwrap().clone()
}

fn story<'a>(stories: &'a [serde_json::Value], file: &str) -> &'a serde_json::Value {
    stories
        .iter()
        .find(|s| s["path"].as_str().unwrap().ends_with(file))
        .unwrap_or_else(|| panic!("{file} not listed"))
}

#[test]
fn every_story_gets_its_own_headline_or_its_first_sentence() {
    // The same with the index (as stored and read back) and without it.
    let home = tempfile::tempdir().unwrap();
    let index = home.path().join("index.sqlite");
    let index = index.to_str().unwrap();
    for stories in [
        list(&["--no-index"]),
        list(&["--index", index]),
        list(&["--index", index]),
    ] {
        for &(file, own, _, _) in STORIES {
            let story = story(&stories, file);
            match own {
                Some(headline) => {
                    assert_eq!(story["title"], headline, "{file}");
                    assert_eq!(story["title_source"], "headline", "{file}");
                }
                None => assert_eq!(story["title_source"], "first_sentence", "{file}"),
            }
        }
    }
}

#[test]
fn words_are_counted_by_script_and_shown_with_the_reading_time() {
    // A copy in a temporary folder: the facts line shows the path, which
    // must fit whatever folder the repository is in.
    let corpus = crate::common::Corpus::new();
    for &(file, ..) in STORIES {
        let text = std::fs::read(PathBuf::from(FIXTURES).join(file)).unwrap();
        corpus.write(file, text);
    }
    let library = Library::load(&[corpus.path().to_owned()]);
    let mut app = crate::common::reader(library, 160, 30);
    for &(file, _, length, _) in STORIES {
        let story = app
            .library
            .stories
            .iter()
            .position(|s| s.path.ends_with(file))
            .unwrap();
        app.open_story(story);
        let screen = crate::common::draw(&app).backend().to_string();
        let facts = format!("{file} · {length} · 1 min read");
        assert!(screen.contains(&facts), "{facts} not on\n{screen}");
    }
}

#[test]
fn search_finds_every_script_inside_words_and_unspaced_text() {
    let listed = list(&["--no-index"]);
    for &(file, _, _, query) in STORIES {
        let id = story(&listed, file)["id"].clone();
        let run = tidings(&["search", "--json", "--no-index", query, FIXTURES]);
        assert_eq!(run.status, 0, "{}", run.stderr);
        let hits = run.json();
        assert!(
            hits.as_array()
                .unwrap()
                .iter()
                .any(|hit| hit["story"] == id),
            "{query:?} does not find {file}: {hits}"
        );
    }
}

#[test]
fn letters_a_language_keeps_apart_stay_apart() {
    // й is not и, ß is not ss: see "Search in every script" in the README.
    for query in ["трамваи", "Strassenbahnverkehr"] {
        let run = tidings(&["search", "--json", "--no-index", query, FIXTURES]);
        assert_eq!(run.json(), serde_json::json!([]), "{query}");
    }
}

#[test]
fn lists_draw_combining_marks_with_their_letters() {
    // Hindi's vowel signs and Thai's vowels and tone marks are characters
    // of their own; drawn one by one they would be lost.
    let library = Library::load(&[PathBuf::from(FIXTURES)]);
    let app = crate::common::reader(library, 160, 30);
    let terminal = crate::common::draw(&app);
    let buffer = terminal.backend().buffer();
    // Without spaces: a cell after a wide cluster is blank.
    let rows: Vec<String> = (0..30)
        .map(|y| {
            (0..160)
                .map(|x| buffer[(x, y)].symbol())
                .collect::<String>()
        })
        .map(|row| row.replace(' ', ""))
        .collect();
    for headline in [
        "दिल्ली में चलेंगी पाँच सौ नई इलेक्ट्रिक बसें",
        "กรุงเทพฯ เปิดรถไฟฟ้าสายใหม่เดือนหน้า",
    ] {
        assert!(
            rows.iter()
                .any(|row| row.contains(&headline.replace(' ', ""))),
            "{headline} not in the index:\n{}",
            rows.join("\n")
        );
    }
}
