//! HTML as plain paragraphs, from a tokenizer (html5gum) and no tree: one
//! pass over the text, so a megabyte converts in milliseconds and no
//! document, however odd, costs more than its length. No tags, nothing of
//! scripts, styles or the head; entities decoded; each paragraph, heading
//! or list item a line of its own (list items marked `* `); links written
//! `[text][1]`, their targets listed at the end.

use html5gum::{DefaultEmitter, Token, Tokenizer};

/// The lines of `html`'s text.
pub fn paragraphs(html: &str) -> Vec<String> {
    let mut emitter = DefaultEmitter::default();
    // Script and style content is raw text, not tags.
    emitter.naively_switch_states(true);
    let mut out = Converter::default();
    for token in Tokenizer::new_with_emitter(html, emitter).flatten() {
        match token {
            Token::StartTag(tag) => {
                let href = tag
                    .attributes
                    .get(b"href".as_slice())
                    .map(|h| text(h).into_owned());
                out.start(&text(&tag.name), href, tag.self_closing);
            }
            Token::EndTag(tag) => out.end(&text(&tag.name)),
            Token::String(s) => out.text(&text(&s)),
            _ => {}
        }
    }
    out.finish()
}

fn text(bytes: &[u8]) -> std::borrow::Cow<'_, str> {
    String::from_utf8_lossy(bytes)
}

#[derive(Default)]
struct Converter {
    lines: Vec<String>,
    line: String,
    /// White space seen since the last word: one space if a word follows.
    space: bool,
    /// Inside script, style, head, template or the like: text is dropped.
    hidden: usize,
    /// The open link's target, and where its text starts in `line`.
    link: Option<(String, Option<usize>)>,
    /// The link targets so far, in order, and each one's number.
    links: Vec<String>,
    numbers: std::collections::HashMap<String, usize>,
}

/// Tags whose content is never shown.
const HIDDEN: &[&str] = &[
    "script", "style", "head", "template", "noscript", "svg", "math",
];
/// Tags that begin and end a line.
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "br",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "tr",
    "blockquote",
    "pre",
    "section",
    "article",
    "header",
    "footer",
    "ul",
    "ol",
    "dl",
    "dt",
    "dd",
    "table",
    "figure",
    "figcaption",
    "hr",
    "aside",
    "nav",
    "main",
    "address",
];

impl Converter {
    fn start(&mut self, name: &str, href: Option<String>, self_closing: bool) {
        if HIDDEN.contains(&name) {
            self.hidden += usize::from(!self_closing);
            return;
        }
        if BLOCKS.contains(&name) {
            self.break_line();
        }
        if self.hidden > 0 {
            return;
        }
        match name {
            "li" => self.line.push_str("* "),
            "a" => self.link = href.filter(|h| !h.trim().is_empty()).map(|h| (h, None)),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if HIDDEN.contains(&name) {
            self.hidden = self.hidden.saturating_sub(1);
            return;
        }
        if name == "a" {
            self.close_link();
        }
        if BLOCKS.contains(&name) {
            self.break_line();
        }
    }

    /// Ends the open link, if any: "[the table][1]".
    fn close_link(&mut self) {
        let Some((href, Some(start))) = self.link.take() else {
            return;
        };
        let n = match self.numbers.get(&href) {
            Some(&n) => n,
            None => {
                self.links.push(href.clone());
                self.numbers.insert(href, self.links.len());
                self.links.len()
            }
        };
        self.line.insert(start, '[');
        self.line.push_str(&format!("][{n}]"));
    }

    fn text(&mut self, text: &str) {
        if self.hidden > 0 {
            return;
        }
        self.space |= text.starts_with(char::is_whitespace);
        for word in text.split_whitespace() {
            if self.space && !self.line.is_empty() && !self.line.ends_with(' ') {
                self.line.push(' ');
            }
            if let Some((_, start @ None)) = &mut self.link {
                *start = Some(self.line.len());
            }
            self.line.push_str(word);
            self.space = true;
        }
        self.space = text.ends_with(char::is_whitespace) || (self.space && text.trim().is_empty());
    }

    fn break_line(&mut self) {
        let line = self.line.trim();
        if !line.is_empty() && line != "*" {
            self.lines.push(line.to_owned());
        }
        self.line.clear();
        self.space = false;
        // A link cut by a line break starts again on the next line.
        if let Some((_, start)) = &mut self.link {
            *start = None;
        }
    }

    fn finish(mut self) -> Vec<String> {
        self.close_link();
        self.break_line();
        for (i, href) in self.links.iter().enumerate() {
            self.lines.push(format!("[{}]: {href}", i + 1));
        }
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn inline_tags_keep_words_whole_and_blocks_make_lines() {
        assert_eq!(
            paragraphs(
                "<h1>Night&nbsp;Trains</h1><p>They re<b>turn</b>\n  in <i>spring</i>.<br>Twice a week.</p>"
            ),
            ["Night Trains", "They return in spring.", "Twice a week."]
        );
    }

    #[test]
    fn scripts_styles_and_the_head_are_not_text() {
        let html = "<html><head><title>Site</title><style>p{}</style></head><body>\
                    <script>document.write('<p>not this</p>')</script><p>Only this.</p></body></html>";
        assert_eq!(paragraphs(html), ["Only this."]);
    }

    #[test]
    fn links_are_numbered_once_and_listed_at_the_end() {
        let html = "<p>See <a href='https://a.example/x'>the full table</a> and \
                    <a href='https://b.example/'>this</a>, or <a href='https://a.example/x'>that</a>.</p>\
                    <ul><li>One<li>Two</ul>";
        assert_eq!(
            paragraphs(html),
            [
                "See [the full table][1] and [this][2], or [that][1].",
                "* One",
                "* Two",
                "[1]: https://a.example/x",
                "[2]: https://b.example/",
            ]
        );
    }

    #[test]
    fn broken_and_deep_documents_cost_only_their_length() {
        assert_eq!(
            paragraphs("<p>Unclosed <b>bold <a href=x>link"),
            ["Unclosed bold [link][1]", "[1]: x"]
        );
        let deep = "<div>".repeat(100_000) + "deep" + &"</div>".repeat(100_000);
        assert_eq!(paragraphs(&deep), ["deep"]);
        assert_eq!(
            paragraphs("&lt;p&gt; is a tag &amp; &#x41;&#66;"),
            ["<p> is a tag & AB"]
        );
    }
}
