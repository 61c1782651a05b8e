//! The model (README, "Headlines, links and ids"): titles, related headlines,
//! links and ids.

use crate::common::{Corpus, SEED_TITLE, seed};
use tidings::load::load_sources;
use tidings::model::{Library, TitleSource};

fn library(files: &[(&str, &str)]) -> Library {
    Library::build(load_sources(files.iter().map(|(p, t)| (*p, t.as_bytes()))))
}

fn title_of<'a>(library: &'a Library, path: &str) -> &'a str {
    &library
        .stories
        .iter()
        .find(|s| s.path == path)
        .unwrap()
        .title
}

#[test]
fn the_seed_is_titled_by_its_own_headline_with_fifteen_related() {
    let library = library(&[("seed.txt", seed())]);
    let story = &library.stories[0];
    assert_eq!(&*story.title, SEED_TITLE);
    assert_eq!(story.title_source, TitleSource::Headline);
    assert_eq!(library.text(0).unwrap().len(), 5);
    assert_eq!(story.related().len(), 15);
    assert!(
        story
            .related()
            .all(|h| &*library.headlines[h].text != SEED_TITLE)
    );
    assert_eq!(library.headlines.len(), 16);
}

const STRIKE_DAY: &str = "The national rail strike entered its third day on Wednesday as talks between the drivers' union and the operator stalled again.\nCommuters crowded onto buses, and the union said the walkout would go on.\n\n\nRail Strike Enters Third Day as Talks Stall\nRail Strike Ends After Union Accepts Deal\n";
const STRIKE_END: &str = "The national rail strike ended on Friday after the drivers' union accepted a pay deal from the operator.\nTrains will run normally from Monday, the union said after the vote.\n\n\nRail Strike Ends After Union Accepts Deal\nRail Strike Enters Third Day as Talks Stall\n";

#[test]
fn headlines_sharing_many_words_go_to_the_right_stories() {
    let library = library(&[("a.txt", STRIKE_DAY), ("b.txt", STRIKE_END)]);
    assert_eq!(
        title_of(&library, "a.txt"),
        "Rail Strike Enters Third Day as Talks Stall"
    );
    assert_eq!(
        title_of(&library, "b.txt"),
        "Rail Strike Ends After Union Accepts Deal"
    );
    // Each story lists the other's headline, linked, and not its own.
    for story in &library.stories {
        assert_eq!(story.related().len(), 1);
        let other = library.headlines[story.related().next().unwrap()]
            .story()
            .unwrap();
        assert_ne!(library.stories[other].id, story.id);
    }
}

#[test]
fn a_story_finds_its_headline_in_another_files_block() {
    let harbor = "The harbour ferry will run every fifteen minutes from March, the port authority announced.\nExtra crews have been hired for the busier timetable.\n";
    let other = "A story about something else entirely, with words of its own.\n\n\nHarbour Ferry to Run Every Fifteen Minutes From March\n";
    let library = library(&[("harbor.txt", harbor), ("other.txt", other)]);
    assert_eq!(
        title_of(&library, "harbor.txt"),
        "Harbour Ferry to Run Every Fifteen Minutes From March"
    );
    let other = library
        .stories
        .iter()
        .find(|s| s.path == "other.txt")
        .unwrap();
    assert_eq!(other.title_source, TitleSource::FirstSentence);
    assert_eq!(
        library.headlines[other.related().next().unwrap()].story(),
        story_by_id(
            &library,
            &library
                .stories
                .iter()
                .find(|s| s.path == "harbor.txt")
                .unwrap()
                .id
        )
    );
}

#[test]
fn each_headline_titles_at_most_one_story_and_the_better_match_wins() {
    let close = "The rail strike entered its third day as talks stalled, with no deal in sight.\n\n\nRail Strike Enters Third Day as Talks Stall\n";
    let loose = "Talks on the rail timetable stalled on the third day of the review.\n\n\nRail Strike Enters Third Day as Talks Stall\n";
    // Alone, the looser story would take the headline...
    let alone = library(&[("loose.txt", loose)]);
    assert_eq!(
        &*alone.stories[0].title,
        "Rail Strike Enters Third Day as Talks Stall"
    );
    // ...but beside a better match it loses it.
    let library = library(&[("close.txt", close), ("loose.txt", loose)]);
    assert_eq!(
        title_of(&library, "close.txt"),
        "Rail Strike Enters Third Day as Talks Stall"
    );
    let loose = library
        .stories
        .iter()
        .find(|s| s.path == "loose.txt")
        .unwrap();
    assert_eq!(loose.title_source, TitleSource::FirstSentence);
    assert_eq!(
        &*loose.title,
        "Talks on the rail timetable stalled on the third day of the review."
    );
    // The loser still lists the headline, which opens the winner.
    let h = loose.related().next().unwrap();
    assert_eq!(
        library.stories[library.headlines[h].story().unwrap()].path,
        "close.txt"
    );
}

#[test]
fn without_a_matching_headline_the_title_is_the_first_sentence_cut_to_120() {
    let long = format!(
        "{} stop. Second sentence.\n\n\nUnrelated Headline About Cheese Prices\n",
        "Words go on ".repeat(15)
    );
    let library = library(&[("long.txt", &long)]);
    let story = &library.stories[0];
    assert_eq!(story.title_source, TitleSource::FirstSentence);
    assert!(story.title.chars().count() <= 120);
    assert!(story.title.ends_with("on…"), "{}", story.title);
    assert_eq!(story.related().len(), 1);
}

#[test]
fn duplicate_lines_in_a_block_count_once_and_folding_joins_headlines() {
    let text = "Body text here.\n\n\nTrump’s Deal – Signed\ntrump's deal - signed\nTRUMP’S  DEAL — SIGNED\nOther\n";
    let library = library(&[("d.txt", text)]);
    assert_eq!(library.headlines.len(), 2);
    assert_eq!(library.stories[0].related().len(), 2);
    assert_eq!(&*library.headlines[0].text, "Trump’s Deal – Signed");
}

#[test]
fn a_stated_title_is_a_headline_that_opens_its_story() {
    let toml =
        "title = \"Library Extends Weekend Hours\"\nbody = \"The library opens on Sundays.\"\n";
    let plain = "The library opens on Sundays now, with longer weekend hours for exam season.\n\n\nLibrary Extends Weekend Hours\n";
    let library = library(&[("a.toml", toml), ("b.txt", plain)]);
    let stated = library.stories.iter().find(|s| s.path == "a.toml").unwrap();
    assert_eq!(stated.title_source, TitleSource::Explicit);
    // The plain story cannot take a headline already stated as a title.
    let plain = library.stories.iter().find(|s| s.path == "b.txt").unwrap();
    assert_eq!(plain.title_source, TitleSource::FirstSentence);
    assert_eq!(
        library.headlines[plain.related().next().unwrap()].story(),
        story_by_id(&library, &stated.id)
    );
}

#[test]
fn index_lists_dated_stories_newest_first_then_undated_by_path() {
    let dated = |day: u8| {
        format!("title = \"Day {day}\"\nbody = \"Text of day {day}.\"\ndate = 2026-11-{day:02}\n")
    };
    let library = library(&[
        ("z.txt", "Undated z story.\n"),
        ("old.toml", &dated(1)),
        ("a.txt", "Undated a story.\n"),
        ("new.toml", &dated(20)),
    ]);
    let paths: Vec<&str> = library.stories.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(paths, ["new.toml", "old.toml", "a.txt", "z.txt"]);
}

#[test]
fn ids_survive_renaming_moving_and_load_order() {
    let corpus = Corpus::new();
    let a = corpus.write("a.txt", STRIKE_DAY);
    corpus.write("b.txt", STRIKE_END);
    let ids = |library: &Library| {
        let mut ids: Vec<(String, String)> = library
            .stories
            .iter()
            .map(|s| (s.title.to_string(), s.id.to_string()))
            .collect();
        ids.sort();
        ids
    };
    let before = ids(&Library::load(&[corpus.path().to_owned()]));

    std::fs::create_dir(corpus.path().join("moved")).unwrap();
    std::fs::rename(&a, corpus.path().join("moved/zz-renamed.txt")).unwrap();
    let after = ids(&Library::load(&[corpus.path().to_owned()]));
    assert_eq!(before, after);

    let reversed = Library::load(&[
        corpus.path().join("b.txt"),
        corpus.path().join("moved/zz-renamed.txt"),
    ]);
    assert_eq!(before, ids(&reversed));

    corpus.write("c.txt", "Another story joins the folder.\n");
    let grown = Library::load(&[corpus.path().to_owned()]);
    for (title, id) in &before {
        assert!(
            grown
                .stories
                .iter()
                .any(|s| *s.title == **title && s.id == id)
        );
    }
}

#[test]
fn a_toml_id_overrides_the_computed_one() {
    let library = library(&[("a.toml", "title = \"T\"\nbody = \"B\"\nid = \"my-story\"\n")]);
    assert_eq!(library.stories[0].id, "my-story");
}

fn story_by_id(library: &Library, id: &str) -> Option<usize> {
    library.stories.iter().position(|s| s.id == id)
}
