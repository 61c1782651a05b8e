//! Feeds that go wrong in the ways real ones do, or as an attacker would
//! make them: shared by the feed_server example (the 2,000-feed figure in
//! BENCHMARKS.md) and tests/suite/update.rs. Each must cost only its own feed.
#![allow(dead_code)]

/// How many kinds of feed [`answer`] has.
pub const KINDS: usize = 15;

/// An HTTP answer: status, headers, body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
}

/// What feed `n`, asked for at `path`, answers: kind `n % KINDS`. Kinds 0,
/// 1, 2, 12 (its entities left as they are, not expanded) and 13 are feeds
/// tidings must store; the rest must fail alone.
pub fn answer(n: usize, path: &str) -> Answer {
    let ok = |body: Vec<u8>| Answer {
        status: 200,
        headers: Vec::new(),
        body,
    };
    let status = |status| Answer {
        status,
        headers: Vec::new(),
        body: Vec::new(),
    };
    match n % KINDS {
        0 => ok(rss(n, &format!("Harbor Works {n} Finish Early"), "The works finish early.").into()),
        1 => ok(format!(
            "<feed xmlns=\"http://www.w3.org/2005/Atom\"><title>Atom {n}</title><id>urn:{n}</id>\
             <entry><id>urn:{n}:1</id><title>Tram Line {n} Opens</title>\
             <content type=\"html\">&lt;p&gt;The tram line opens.&lt;/p&gt;</content></entry></feed>"
        )
        .into()),
        2 => ok(format!(
            "{{\"version\":\"https://jsonfeed.org/version/1.1\",\"title\":\"Json {n}\",\
             \"items\":[{{\"id\":\"1\",\"title\":\"Library {n} Opens Sundays\",\"content_text\":\"It opens.\"}}]}}"
        )
        .into()),
        3 => status(404),
        4 => status(500),
        5 => ok(b"<!DOCTYPE html><html><head><title>Welcome</title></head><body><p>Not a feed</p></body></html>".to_vec()),
        // Cut off half way, as a dropped connection leaves it.
        6 => {
            let full = rss(n, "Half a Story", "Cut off.");
            ok(full.as_bytes()[..full.len() / 2].to_vec())
        }
        // Binary: NULs and bytes that are not UTF-8.
        7 => ok((0..=255u8).cycle().take(4096).collect()),
        8 => ok(Vec::new()),
        // A redirect to itself, for ever.
        9 => Answer {
            status: 302,
            headers: vec![("Location", path.to_owned())],
            body: Vec::new(),
        },
        10 => ok(b"{\"a\": 1, \"items\": 7}".to_vec()),
        // Nested a hundred thousand deep.
        11 => ok(format!("<rss><channel>{}", "<a>".repeat(100_000)).into()),
        // Entities that would expand to gigabytes if expanded.
        12 => ok(BILLION_LAUGHS.as_bytes().to_vec()),
        // Escape sequences and bidi controls in a 100 KB title, and HTML
        // nested fifty thousand deep in the text.
        13 => ok(rss(
            n,
            &format!(
                "\u{1b}]0;pwned\u{7}\u{202e}Evil{}\u{202c} Title",
                " Word".repeat(20_000)
            ),
            &"&lt;div&gt;".repeat(50_000),
        )
        .into()),
        // Says gzip, is not.
        _ => Answer {
            status: 200,
            headers: vec![("Content-Encoding", "gzip".to_owned())],
            body: rss(n, "Not Really Gzip", "Plain.").into(),
        },
    }
}

fn rss(n: usize, title: &str, text: &str) -> String {
    format!(
        "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>Feed {n}</title>\
         <item><guid>{n}</guid><title>{title}</title><description>{text}</description></item>\
         </channel></rss>"
    )
}

const BILLION_LAUGHS: &str = r#"<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rss version="2.0"><channel><title>&lol9;</title><item><title>&lol9;</title><description>&lol9;</description></item></channel></rss>"#;
