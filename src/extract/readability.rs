//! A page's article as plain paragraphs: Mozilla Readability's algorithm
//! (the `dom_smoothie` port) finds it, the feeds' HTML converter writes it
//! (links and images numbered, listed at the end), and every line gets the
//! cleaning all network text gets.
//!
//! Readability returns something for almost any page, so what it returns
//! is judged: too little prose, or more words in links than out of them,
//! is a login wall, a cookie notice or an index of links, not an article.
//! Prose is counted in search tokens, so a Chinese article counts by its
//! characters, and an article of many short paragraphs counts them all.

use dom_smoothie::{Config, Readability, ReadabilityError};

use crate::text::html;
use crate::text::sanitize::clean_line;

/// Fewer tokens of prose than this is not an article: three sentences.
pub const MIN_PROSE: usize = 50;

/// Readability's own limit on the elements it scores: a page beyond it is
/// refused rather than scored for seconds (a long article has a few
/// thousand).
const MAX_ELEMENTS: usize = 100_000;

/// The article of the page `html` (fetched from `url`, for its relative
/// links), without a first line that repeats `title`; or why there is none.
pub fn article(html: &str, url: &str, title: Option<&str>) -> Result<Vec<String>, String> {
    let config = Config {
        max_elements_to_parse: MAX_ELEMENTS,
        ..Config::default()
    };
    let found = crate::contained::contained(|| {
        Readability::new(html, Some(url), Some(config)).and_then(|mut page| page.parse())
    });
    let found = match found {
        Some(Ok(found)) => found,
        Some(Err(ReadabilityError::TooManyElements(found, _))) => {
            return Err(format!(
                "the page is too large to read ({} elements)",
                crate::text::grouped(found)
            ));
        }
        _ => return Err("no article found on the page".into()),
    };
    let converted = html::convert(&found.content);
    if converted.prose < MIN_PROSE || converted.linked > converted.prose {
        return Err(format!(
            "no article found on the page ({} words of text, {} in links)",
            converted.prose, converted.linked
        ));
    }
    let mut lines: Vec<String> = converted
        .lines
        .iter()
        .map(|line| clean_line(line))
        .filter(|line| !line.is_empty())
        .collect();
    let repeats = |line: &str| {
        [title, Some(found.title.as_str())]
            .into_iter()
            .flatten()
            .any(|t| same_words(t, line))
    };
    if lines.first().is_some_and(|first| repeats(first)) {
        lines.remove(0);
    }
    Ok(lines)
}

/// Whether two lines say the same, whatever their case and punctuation.
fn same_words(a: &str, b: &str) -> bool {
    let words = |s: &str| crate::text::tokens::of(s);
    !a.trim().is_empty() && words(a) == words(b)
}

#[cfg(test)]
mod tests {
    use super::*;

    mod pages {
        include!("../../benches/support/pages.rs");
    }
    use pages::news_page;

    #[test]
    fn the_article_comes_without_the_page_around_it() {
        let lines = article(
            &news_page(6),
            "https://harbor.example/news/ferries",
            Some("Night Ferries Return"),
        )
        .unwrap();
        let text = lines.join("\n");
        assert!(text.contains("Paragraph 0: the harbor authority"), "{text}");
        assert!(text.contains("Paragraph 5:"), "{text}");
        for absent in [
            "Sport",
            "Share on Facebook",
            "Tweet",
            "Copy link",
            "Spam",
            "Terrible ferries",
            "Copyright",
            "tracking",
            "color: red",
        ] {
            assert!(!text.contains(absent), "{absent} in {text}");
        }
        // The title is not repeated; the rest is readable.
        assert!(!text.contains("Night Ferries Return"), "{text}");
        for kept in [
            "What changes",
            "* Boats every hour",
            "> We are glad to be back, said the captain.",
            "departures: 22:00",
            "returns: 05:00",
            "Route | Time",
            "North | 40 min",
            "The first boat.",
            "Read [the timetable][",
        ] {
            assert!(
                lines.iter().any(|l| l.contains(kept)),
                "{kept} not in {text}"
            );
        }
        // Images are a line with their alt text and a numbered address,
        // made absolute; addresses are listed at the end.
        let image = lines.iter().find(|l| l.starts_with("[image: ")).unwrap();
        assert!(image.starts_with("[image: A ferry at dawn]["), "{image}");
        let n = &image["[image: A ferry at dawn][".len()..image.len() - 1];
        assert!(
            lines.contains(&format!("[{n}]: https://harbor.example/img/ferry.jpg")),
            "{text}"
        );
    }

    #[test]
    fn a_page_without_prose_is_no_article_but_short_paragraphs_are() {
        let login = "<html><body><nav><a href='/'>Home</a></nav><form><p>Sign in to keep reading.</p>\
                     <input name=user><button>Log in</button></form><p>Subscribe for full access.</p></body></html>";
        let cookies = "<html><body><div class='consent'><p>We use cookies to improve your experience. \
                       By continuing you accept our use of cookies.</p><a href='/accept'>Accept all</a> \
                       <a href='/manage'>Manage choices</a></div></body></html>";
        let mut index = String::from("<html><body><h1>Latest</h1><ul>");
        for i in 0..60 {
            index.push_str(&format!(
                "<li><a href='/story/{i}'>Another headline about the council budget number {i}</a></li>"
            ));
        }
        index.push_str("</ul></body></html>");
        for page in [login, cookies, &index] {
            let refused = article(page, "https://x.example/", None).unwrap_err();
            assert!(
                refused.starts_with("no article found on the page"),
                "{refused}"
            );
        }
        let mut short = String::from("<html><body><article>");
        for i in 0..12 {
            short.push_str(&format!("<p>Short line {i} of the poem, here.</p>"));
        }
        short.push_str("</article></body></html>");
        let lines = article(&short, "https://x.example/", None).unwrap();
        assert_eq!(lines.len(), 12, "{lines:?}");
    }

    #[test]
    fn chinese_prose_counts_by_character() {
        let paragraph = "港口管理局周二表示，夜间渡轮将从下个月一日起恢复运行。";
        let page = format!(
            "<html><body><article><p>{paragraph}</p><p>{paragraph}</p></article></body></html>"
        );
        let lines = article(&page, "https://x.example/", None).unwrap();
        assert_eq!(lines, [paragraph, paragraph]);
    }
}
