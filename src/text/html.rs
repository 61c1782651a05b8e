//! HTML as plain paragraphs, from a tokenizer (html5gum) and no tree: one
//! pass over the text, so a megabyte converts in milliseconds and no
//! document, however odd, costs more than its length. No tags, nothing of
//! scripts, styles, forms or the head; entities decoded; each paragraph,
//! heading, list item or table row a line of its own (list items marked
//! `* ` or `1. `, table cells parted by ` | `, quotations marked `> `,
//! preformatted text kept line by line); links written `[text][1]` and
//! images `[image: its alt text][2]`, their targets listed at the end.

use std::borrow::Cow;

use html5gum::emitters::callback::{CallbackEmitter, CallbackEvent};
use html5gum::{Span, Tokenizer};

/// The lines of `html`'s text.
pub fn paragraphs(html: &str) -> Vec<String> {
    convert(html).lines
}

/// HTML's text on one line, as a headline wants it: tags dropped (and
/// scripts and styles with their content), entities decoded, no link
/// references, white space collapsed.
pub fn line(html: &str) -> String {
    let mut out = String::new();
    let mut hidden = 0usize;
    walk(html, |piece| match piece {
        Piece::Start(tag) if matches!(&*tag.name, "script" | "style") => {
            hidden += usize::from(!tag.self_closing);
        }
        Piece::End("script" | "style") => {
            hidden = hidden.saturating_sub(1);
        }
        Piece::Start(_) | Piece::End(_) => out.push(' '),
        Piece::Text(text) if hidden == 0 => out.push_str(text),
        Piece::Text(_) => {}
    });
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// HTML converted: its lines, and how much of its text is prose and how
/// much the words of links (in search tokens, so that unspaced scripts
/// count by character), which tells an article from a page of links.
#[derive(Debug, Default)]
pub struct Converted {
    pub lines: Vec<String>,
    pub prose: usize,
    pub linked: usize,
}

/// Converts `html`; see [`Converted`].
pub fn convert(html: &str) -> Converted {
    let mut out = Converter::default();
    walk(html, |piece| match piece {
        Piece::Start(tag) => {
            let target = match &*tag.name {
                "a" => tag.href.clone(),
                "img" => tag.src.clone(),
                _ => None,
            };
            let alt = if tag.name == "img" {
                tag.alt.clone()
            } else {
                None
            };
            out.start(&tag.name, target, alt, tag.self_closing);
        }
        Piece::End(name) => out.end(name),
        Piece::Text(text) => out.text(text),
    });
    out.finish()
}

/// A start tag: its name and the attributes the conversion reads (the
/// first of each, as browsers take it).
#[derive(Default)]
struct Tag {
    name: String,
    href: Option<String>,
    src: Option<String>,
    alt: Option<String>,
    self_closing: bool,
}

enum Piece<'a> {
    Start(&'a Tag),
    End(&'a str),
    Text(&'a str),
}

/// Tokenizes `html` (html5gum, script and style content as raw text),
/// handing `visit` each start tag, end tag and run of text. Pieces are
/// borrowed from the tokenizer's buffers: no token is allocated.
fn walk(html: &str, mut visit: impl FnMut(Piece<'_>)) {
    let mut tag = Tag::default();
    // Which of the tag's fields the next attribute value is for.
    let mut wanted: Option<fn(&mut Tag) -> &mut Option<String>> = None;
    let mut emitter = CallbackEmitter::new(|event: CallbackEvent<'_>, _: Span<()>| -> Option<()> {
        match event {
            CallbackEvent::OpenStartTag { name } => {
                tag.name.clear();
                tag.name.push_str(&text(name));
                (tag.href, tag.src, tag.alt) = (None, None, None);
            }
            CallbackEvent::AttributeName { name } => {
                wanted = match name {
                    b"href" => Some(|tag| &mut tag.href),
                    b"src" => Some(|tag| &mut tag.src),
                    b"alt" => Some(|tag| &mut tag.alt),
                    _ => None,
                };
            }
            CallbackEvent::AttributeValue { value } => {
                if let Some(slot) = wanted.take().map(|field| field(&mut tag))
                    && slot.is_none()
                {
                    *slot = Some(text(value).into_owned());
                }
            }
            CallbackEvent::CloseStartTag { self_closing } => {
                tag.self_closing = self_closing;
                visit(Piece::Start(&tag));
            }
            CallbackEvent::EndTag { name } => visit(Piece::End(&text(name))),
            CallbackEvent::String { value } => visit(Piece::Text(&text(value))),
            _ => {}
        }
        None
    });
    // Script and style content is raw text, not tags.
    emitter.naively_switch_states(true);
    for _ in Tokenizer::new_with_emitter(html, emitter) {}
}

fn text(bytes: &[u8]) -> Cow<'_, str> {
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
    /// Inside `pre`: text is kept as it is, line by line.
    preformatted: usize,
    /// Open quotations: each line inside starts with one `> ` per level.
    quoted: usize,
    /// Open lists, innermost last: the next item's number, None if bulleted.
    lists: Vec<Option<usize>>,
    /// Cells begun in the open table row.
    cells: usize,
    /// The open link's target, and where its text starts in `line`.
    link: Option<(String, Option<usize>)>,
    /// The link targets so far, in order, and each one's number.
    links: Vec<String>,
    numbers: std::collections::HashMap<String, usize>,
    /// Tokens of text outside links, and inside them.
    prose: usize,
    linked: usize,
}

/// Tags whose content is never shown. (A `match`, not a list searched:
/// it is asked for every tag.)
fn is_hidden(name: &str) -> bool {
    matches!(
        name,
        "script"
            | "style"
            | "head"
            | "template"
            | "noscript"
            | "svg"
            | "math"
            | "button"
            | "form"
            | "select"
            | "textarea"
            | "iframe"
            | "object"
            | "nav"
    )
}

/// Tags that begin and end a line.
fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "br"
            | "li"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "tr"
            | "blockquote"
            | "pre"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "table"
            | "caption"
            | "figure"
            | "figcaption"
            | "hr"
            | "aside"
            | "main"
            | "address"
            | "details"
            | "summary"
    )
}

impl Converter {
    fn start(&mut self, name: &str, target: Option<String>, alt: Option<String>, closed: bool) {
        if is_hidden(name) {
            self.hidden += usize::from(!closed);
            return;
        }
        if is_block(name) {
            self.break_line();
        }
        if self.hidden > 0 {
            return;
        }
        let target = target.filter(|t| !t.trim().is_empty());
        match name {
            "pre" => self.preformatted += usize::from(!closed),
            "blockquote" => self.quoted += usize::from(!closed),
            "ul" | "menu" => self.lists.push(None),
            "ol" => self.lists.push(Some(1)),
            "li" => match self.lists.last_mut() {
                Some(Some(n)) => {
                    self.line.push_str(&format!("{n}. "));
                    *n += 1;
                }
                _ => self.line.push_str("* "),
            },
            "tr" => self.cells = 0,
            "td" | "th" => {
                if self.cells > 0 {
                    self.line.push_str(" | ");
                }
                self.cells += 1;
                self.space = false;
            }
            "a" => self.link = target.map(|t| (t, None)),
            "img" => self.image(target, alt),
            _ => {}
        }
    }

    fn end(&mut self, name: &str) {
        if is_hidden(name) {
            self.hidden = self.hidden.saturating_sub(1);
            return;
        }
        if self.hidden > 0 {
            return;
        }
        match name {
            "a" => self.close_link(),
            "ul" | "ol" | "menu" => {
                self.lists.pop();
            }
            _ => {}
        }
        if is_block(name) {
            self.break_line();
        }
        match name {
            "pre" => self.preformatted = self.preformatted.saturating_sub(1),
            "blockquote" => self.quoted = self.quoted.saturating_sub(1),
            _ => {}
        }
    }

    /// A target's number in the list at the end, given when first seen.
    fn number(&mut self, target: String) -> usize {
        match self.numbers.get(&target) {
            Some(&n) => n,
            None => {
                self.links.push(target.clone());
                self.numbers.insert(target, self.links.len());
                self.links.len()
            }
        }
    }

    /// Ends the open link, if any: "[the table][1]".
    fn close_link(&mut self) {
        let Some((target, Some(start))) = self.link.take() else {
            return;
        };
        let n = self.number(target);
        self.line.insert(start, '[');
        self.line.push_str(&format!("][{n}]"));
    }

    /// An image is a line of its own: "[image: A ferry at dawn][3]". An
    /// image inside a link (a thumbnail) gives the link its words.
    fn image(&mut self, source: Option<String>, alt: Option<String>) {
        let alt = alt.map(|a| a.split_whitespace().collect::<Vec<_>>().join(" "));
        let alt = alt.filter(|a| !a.is_empty());
        if self.link.is_some() {
            if let Some(alt) = alt {
                self.text(&format!(" {alt} "));
            }
            return;
        }
        // Inline pictures (data: addresses) have nowhere to be opened.
        let source = source.filter(|s| !s.trim_start().starts_with("data:"));
        if alt.is_none() && source.is_none() {
            return;
        }
        self.break_line();
        self.line.push_str("[image");
        if let Some(alt) = alt {
            self.line.push_str(": ");
            self.line.push_str(&alt);
        }
        self.line.push(']');
        if let Some(source) = source {
            let n = self.number(source);
            self.line.push_str(&format!("[{n}]"));
        }
        self.break_line();
    }

    fn text(&mut self, text: &str) {
        if self.hidden > 0 {
            return;
        }
        if self.preformatted > 0 {
            return self.preformatted_text(text);
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
            let tokens = crate::text::tokens::count(word) as usize;
            match self.link {
                Some(_) => self.linked += tokens,
                None => self.prose += tokens,
            }
        }
        self.space = text.ends_with(char::is_whitespace) || (self.space && text.trim().is_empty());
    }

    /// Text inside `pre`: each of its lines a line, spaces kept.
    fn preformatted_text(&mut self, text: &str) {
        self.prose += crate::text::tokens::count(text) as usize;
        let mut parts = text.split('\n');
        if let Some(first) = parts.next() {
            self.line.push_str(&first.replace('\t', "    "));
        }
        for part in parts {
            let line = self.line.trim_end().to_owned();
            if !line.is_empty() {
                self.push_line(line);
            }
            self.line = part.replace('\t', "    ");
        }
    }

    fn break_line(&mut self) {
        let line = if self.preformatted > 0 {
            self.line.trim_end()
        } else {
            self.line.trim()
        };
        if !line.trim().is_empty() && line != "*" {
            self.push_line(line.to_owned());
        }
        self.line.clear();
        self.space = false;
        // A link cut by a line break starts again on the next line.
        if let Some((_, start)) = &mut self.link {
            *start = None;
        }
    }

    fn push_line(&mut self, line: String) {
        if self.quoted == 0 {
            self.lines.push(line);
        } else {
            self.lines.push("> ".repeat(self.quoted) + &line);
        }
    }

    fn finish(mut self) -> Converted {
        self.close_link();
        self.break_line();
        for (i, target) in self.links.iter().enumerate() {
            self.lines.push(format!("[{}]: {target}", i + 1));
        }
        Converted {
            lines: self.lines,
            prose: self.prose,
            linked: self.linked,
        }
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
