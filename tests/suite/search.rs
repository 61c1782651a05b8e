//! Search with known answers on a fixture corpus (tests/fixtures/search/
//! and the seed): folding, smart case, ranking, fields and highlights.

use crate::common::{SEED_TITLE, seed};
use tidings::load::load_sources;
use tidings::model::Library;
use tidings::search::{Field, Hit, Results, search};

fn library() -> Library {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search");
    let mut files: Vec<(String, String)> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .map(|p| {
            (
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read_to_string(&p).unwrap(),
            )
        })
        .collect();
    files.push(("seed.txt".into(), seed().into()));
    Library::build(load_sources(
        files.iter().map(|(p, t)| (p.as_str(), t.as_bytes())),
    ))
}

fn texts<'a>(library: &'a Library, results: &'a Results) -> Vec<&'a str> {
    results.hits.iter().map(|h| h.text(library)).collect()
}

fn position(library: &Library, results: &Results, text: &str) -> usize {
    texts(library, results)
        .iter()
        .position(|t| *t == text)
        .unwrap_or_else(|| panic!("{text} not in {:?}", texts(library, results)))
}

#[test]
fn diacritics_fold_and_highlights_count_characters() {
    let library = library();
    let results = search(&library, "cafe");
    let first = &results.hits[0];
    assert_eq!(first.text(&library), "Café Owners Protest Rent Rise");
    assert_eq!(first.field, Field::Headline);
    assert_eq!(first.highlights, [0, 1, 2, 3]);
    // A headline with no story is found too, and says so by having none;
    // its highlight positions are characters, not bytes.
    let flore = results
        .hits
        .iter()
        .find(|h| h.text(&library) == "Le Café de Flore Reopens")
        .unwrap();
    assert_eq!(flore.story, None);
    assert_eq!(flore.highlights, [3, 4, 5, 6]);
}

#[test]
fn typographic_quotes_fold() {
    let library = library();
    let results = search(&library, "trump's");
    assert!(
        texts(&library, &results)[0].starts_with("Trump’s Name Appears"),
        "{:?}",
        texts(&library, &results)
    );
    let results = search(&library, "Trump’s name");
    assert!(texts(&library, &results)[0].starts_with("Trump’s Name Appears"));
}

#[test]
fn smart_case() {
    let library = library();
    let upper = texts(&library, &search(&library, "NASA")).join("|");
    assert!(
        upper.contains("NASA Delays Moon Launch") && !upper.contains("Nasal Spray"),
        "{upper}"
    );
    let lower = texts(&library, &search(&library, "nasa")).join("|");
    assert!(
        lower.contains("NASA Delays Moon Launch") && lower.contains("Nasal Spray"),
        "{lower}"
    );
}

#[test]
fn an_exact_headline_beats_a_scattered_fuzzy_match() {
    let library = library();
    let results = search(&library, "rail strike");
    assert_eq!(
        texts(&library, &results)[0],
        "Rail Strike Enters Third Day as Talks Stall"
    );
    let exact = position(
        &library,
        &results,
        "Rail Strike Enters Third Day as Talks Stall",
    );
    let scattered = position(&library, &results, "Regional Airline Strikes Increase");
    assert!(exact < scattered);
}

#[test]
fn a_phrase_ranks_before_the_words_apart() {
    let library = library();
    let results = search(&library, "rail strike");
    let body: Vec<&Hit> = results
        .hits
        .iter()
        .filter(|h| h.field == Field::Body)
        .collect();
    let titles: Vec<&str> = body.iter().map(|h| h.text(&library)).collect();
    assert_eq!(
        titles,
        [
            "Ferries Fill Up as Commuters Look for Other Ways In",
            "Buses Run Extra Services on Busy Routes"
        ]
    );
    assert_eq!(
        body[0].snippet.as_deref(),
        Some(
            "Operators said the rail strike had doubled the number of passengers on the morning crossings."
        )
    );
    // The strike story itself is listed once, by its headline.
    assert_eq!(
        results
            .hits
            .iter()
            .filter(|h| h.text(&library).starts_with("Rail Strike Enters"))
            .count(),
        1
    );
}

#[test]
fn body_matches_are_whole_words_and_say_body() {
    let library = library();
    let results = search(&library, "Witkoff");
    assert_eq!(texts(&library, &results), [SEED_TITLE]);
    assert_eq!(results.hits[0].field, Field::Body);
    assert!(
        results.hits[0]
            .snippet
            .as_deref()
            .unwrap()
            .contains("Witkoff")
    );
    // Whole words: "Witk" finds no text, and no headline fuzzily either.
    assert!(
        search(&library, "witk")
            .hits
            .iter()
            .all(|h| h.field != Field::Body)
    );
}

#[test]
fn an_empty_query_finds_nothing() {
    let library = library();
    assert!(search(&library, "   ").hits.is_empty());
}

#[test]
fn cli_search_json_is_best_first() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/search");
    let run = crate::common::tidings(&["search", "--json", "rail strike", dir]);
    assert_eq!(run.status, 0, "{}", run.stderr);
    let hits = run.json();
    let hits = hits.as_array().unwrap();
    assert_eq!(
        hits[0]["headline"],
        "Rail Strike Enters Third Day as Talks Stall"
    );
    assert_eq!(hits[0]["field"], "headline");
    assert!(hits[0]["story"].is_string());
    let fields: Vec<&str> = hits.iter().map(|h| h["field"].as_str().unwrap()).collect();
    assert_eq!(&fields[1..3], ["body", "body"]);
    assert_eq!(
        hits[1]["headline"],
        "Ferries Fill Up as Commuters Look for Other Ways In"
    );
}

#[test]
fn story_filters_never_lose_a_result() {
    use tidings::search::Engine;
    let library = library();
    let mut filtered = Engine::new(&library);
    filtered.use_filters(Engine::build_filters(&library));
    for query in [
        "rail strike",
        "kremlin",
        "Kremlin’s",
        "cafe",
        "u.s",
        "trump's",
        "east",
        "東京",
        "bus",
        "café owners",
    ] {
        let plain = search(&library, query);
        let with = filtered
            .search(&library, query, usize::MAX, &|| false)
            .unwrap();
        assert_eq!(texts(&library, &plain), texts(&library, &with), "{query}");
    }
}

#[test]
fn a_trailing_star_finds_every_word_it_starts() {
    let library = library();
    let body = |query: &str| -> Vec<String> {
        let results = search(&library, query);
        let mut found: Vec<String> = results
            .hits
            .iter()
            .filter(|h| h.field == Field::Body)
            .map(|h| h.text(&library).to_owned())
            .collect();
        found.sort();
        found
    };
    assert_eq!(
        body("commut*"),
        [
            "Ferries Fill Up as Commuters Look for Other Ways In",
            "Rail Strike Enters Third Day as Talks Stall"
        ]
    );
    assert!(
        body("commut").is_empty(),
        "without the star, whole words only"
    );
}

#[test]
fn among_stories_holding_the_words_apart_more_occurrences_rank_first() {
    // One story names the ferry early and once, in a long text; the other
    // later but three times: the second is more about it.
    let once = format!(
        "The ferry was late on Monday. {}\n",
        "Traffic in the city was heavy all day. ".repeat(20)
    );
    let often = "Storms closed the harbour road.\nThe ferry ran all night, the ferry crew said, and the ferry will run again.\n";
    let library = Library::build(load_sources([
        ("once.txt", once.as_bytes()),
        ("often.txt", often.as_bytes()),
    ]));
    let results = search(&library, "ferry");
    let order: Vec<&str> = results
        .hits
        .iter()
        .map(|h| library.stories[h.story.unwrap()].path.as_str())
        .collect();
    assert_eq!(order, ["often.txt", "once.txt"]);
}
