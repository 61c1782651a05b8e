//! A feed's XML as a tree, read the way feedparser's loose parser reads
//! what the web sends: HTML entities such as `&nbsp;` resolved, a bare `&`
//! kept, an end tag that closes nothing ignored, one that closes several
//! closing them all, the document cut off closed where it ends, and
//! whatever comes before the root (a BOM, whitespace, an HTML page around
//! the feed) passed over. Every such mend is counted, so that a feed read
//! only thanks to them can say so.
//!
//! Names are lower-cased and their namespaces named as feedparser names
//! them (`dc`, `content`, `media`, ...; the feed formats' own is `""`), by
//! the namespace's address when it is declared and by its prefix when not.
//! Entities a document declares itself are not expanded (no "billion
//! laughs"), and nesting deeper than [`MAX_DEPTH`] is read as text.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};

/// Elements deeper than this are flattened into their parent's text.
pub const MAX_DEPTH: usize = 200;

/// After this many mends the rest of a document is not worth reading.
const MAX_RESTARTS: usize = 1_000;

/// An element's name: its namespace as feedparser names it, and its local
/// name, both lower case. Borrowed from the document (or the table of
/// known namespaces) unless lower-casing changed them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name<'a> {
    pub namespace: Cow<'a, str>,
    pub local: Cow<'a, str>,
}

#[derive(Debug)]
pub struct Element<'a> {
    pub name: Name<'a>,
    /// Attribute names as written, lower case (`rdf:about`, `href`), and
    /// values with their entities resolved.
    pub attributes: Box<[(Cow<'a, str>, Cow<'a, str>)]>,
    /// Its first and last child in [`Tree::nodes`] ([`NONE`] when empty).
    first_child: u32,
    last_child: u32,
    /// Whether its end came (an end tag, or its parent's): an element the
    /// document was cut off inside is incomplete.
    pub closed: bool,
}

/// What an element holds, in order: a list linked through `next`, all
/// elements' children in one vector, so that an element costs no vector
/// of its own.
#[derive(Debug)]
struct Node<'a> {
    content: Content<'a>,
    next: u32,
}

#[derive(Debug)]
enum Content<'a> {
    Element(u32),
    /// Borrowed from the document unless entities or pieces were joined.
    Text(Cow<'a, str>),
    /// White space alone (between elements, mostly): read as one space.
    Space,
}

/// No node: the end of a list of children.
const NONE: u32 = u32::MAX;

/// A document: its elements (index 0 is a root that holds the top level),
/// how many mends reading it took, and where it ended early, if it did.
/// It borrows the text it was read from.
#[derive(Debug)]
pub struct Tree<'a> {
    pub elements: Vec<Element<'a>>,
    nodes: Vec<Node<'a>>,
    pub repairs: usize,
    /// The byte at which the document stopped with elements still open.
    pub cut_off_at: Option<usize>,
}

impl<'a> Tree<'a> {
    pub const ROOT: usize = 0;

    pub fn element(&self, id: usize) -> &Element<'a> {
        &self.elements[id]
    }

    /// What `id` holds, in order.
    fn children(&self, id: usize) -> impl Iterator<Item = &Content<'a>> + '_ {
        let mut at = self.elements[id].first_child;
        std::iter::from_fn(move || {
            let node = self.nodes.get(at as usize)?;
            at = node.next;
            Some(&node.content)
        })
    }

    /// The element children of `id`, in order.
    pub fn child_elements(&self, id: usize) -> impl Iterator<Item = usize> + '_ {
        self.children(id).filter_map(|content| match content {
            Content::Element(child) => Some(*child as usize),
            Content::Text(_) | Content::Space => None,
        })
    }

    /// The first element, breadth first from the top, that `wanted` picks.
    pub fn find(&self, wanted: impl Fn(&Element) -> bool) -> Option<usize> {
        let mut queue = std::collections::VecDeque::from([Tree::ROOT]);
        while let Some(id) = queue.pop_front() {
            if id != Tree::ROOT && wanted(&self.elements[id]) {
                return Some(id);
            }
            queue.extend(self.child_elements(id));
        }
        None
    }

    /// The text of `id` and everything inside it, markup dropped;
    /// borrowed when it is one piece, as it mostly is.
    pub fn text(&self, id: usize) -> Cow<'_, str> {
        let element = &self.elements[id];
        if element.first_child == element.last_child
            && let Some(Content::Text(text)) = self
                .nodes
                .get(element.first_child as usize)
                .map(|n| &n.content)
        {
            return Cow::Borrowed(text);
        }
        let mut out = String::new();
        self.collect_text(id, &mut out);
        Cow::Owned(out)
    }

    fn collect_text(&self, id: usize, out: &mut String) {
        for content in self.children(id) {
            match content {
                Content::Text(text) => out.push_str(text),
                Content::Space => out.push(' '),
                Content::Element(child) => self.collect_text(*child as usize, out),
            }
        }
    }

    /// What is inside `id` as markup again (for HTML written unescaped
    /// inside a feed's element, and Atom's `type="xhtml"`).
    pub fn inner_markup(&self, id: usize) -> String {
        let mut out = String::new();
        for content in self.children(id) {
            self.write_markup(content, &mut out);
        }
        out
    }

    fn write_markup(&self, content: &Content, out: &mut String) {
        match content {
            Content::Text(text) => out.push_str(&quick_xml::escape::escape(&**text)),
            Content::Space => out.push(' '),
            Content::Element(id) => {
                let element = &self.elements[*id as usize];
                out.push('<');
                out.push_str(&element.name.local);
                for (name, value) in &element.attributes {
                    out.push(' ');
                    out.push_str(name);
                    out.push_str("=\"");
                    out.push_str(&quick_xml::escape::escape(&**value));
                    out.push('"');
                }
                out.push('>');
                for child in self.children(*id as usize) {
                    self.write_markup(child, out);
                }
                out.push_str("</");
                out.push_str(&element.name.local);
                out.push('>');
            }
        }
    }

    /// Whether `id` has element children (HTML written unescaped).
    pub fn has_child_elements(&self, id: usize) -> bool {
        self.child_elements(id).next().is_some()
    }
}

impl Element<'_> {
    /// An attribute's value by its name as written (`href`, `rdf:about`),
    /// or by its local name when written with a prefix.
    pub fn attribute(&self, name: &str) -> Option<&str> {
        let local = |written: &str| written.rsplit(':').next() == Some(name);
        self.attributes
            .iter()
            .find(|(written, _)| &**written == name)
            .or_else(|| self.attributes.iter().find(|(written, _)| local(written)))
            .map(|(_, value)| &**value)
    }

    pub fn is(&self, namespace: &str, local: &str) -> bool {
        &*self.name.namespace == namespace && &*self.name.local == local
    }
}

/// Reads `text` into a tree; never fails (a document with no elements is
/// a tree with none).
pub fn read(text: &str) -> Tree<'_> {
    let mut builder = Builder::new(text);
    let mut offset = 0;
    for _ in 0..MAX_RESTARTS {
        match builder.read_from(offset) {
            Ok(()) => break,
            Err(at) => {
                // Mend by passing over what could not be read: one byte
                // past where the reader stopped, on a character boundary.
                builder.tree.repairs += 1;
                let mut next = at.max(offset) + 1;
                while next < text.len() && !text.is_char_boundary(next) {
                    next += 1;
                }
                if next >= text.len() {
                    break;
                }
                offset = next;
            }
        }
    }
    builder.finish()
}

/// The namespace bindings of an open element: prefix to feedparser's name.
type Bindings<'a> = Vec<(Cow<'a, str>, Cow<'a, str>)>;

struct Builder<'a> {
    document: &'a str,
    tree: Tree<'a>,
    /// The open elements, innermost last, with what each one declared.
    open: Vec<(usize, Bindings<'a>)>,
    /// Start tags past [`MAX_DEPTH`] not yet ended.
    too_deep: usize,
}

impl<'a> Builder<'a> {
    fn new(document: &'a str) -> Builder<'a> {
        let root = Element {
            name: Name {
                namespace: Cow::Borrowed(""),
                local: Cow::Borrowed(""),
            },
            attributes: Box::default(),
            first_child: NONE,
            last_child: NONE,
            closed: true,
        };
        Builder {
            document,
            tree: Tree {
                elements: vec![root],
                nodes: Vec::new(),
                repairs: 0,
                cut_off_at: None,
            },
            open: vec![(Tree::ROOT, Vec::new())],
            too_deep: 0,
        }
    }

    /// Reads the document from byte `offset` to its end; an error gives
    /// the byte where reading stopped.
    fn read_from(&mut self, offset: usize) -> Result<(), usize> {
        let document: &'a str = self.document;
        let mut reader = quick_xml::Reader::from_str(&document[offset..]);
        let config = reader.config_mut();
        config.check_end_names = false;
        config.allow_unmatched_ends = true;
        config.allow_dangling_amp = true;
        config.check_comments = false;
        loop {
            let event = reader
                .read_event()
                .map_err(|_| offset + reader.error_position() as usize)?;
            match event {
                Event::Start(start) => self.start(&start, false),
                Event::Empty(start) => self.start(&start, true),
                Event::End(end) => self.end(end.name().0),
                Event::Text(text) => self.push_text(text.html_content()),
                Event::CData(data) => self.push_text(data.html_content()),
                Event::GeneralRef(reference) => {
                    let name = reference.html_content();
                    let resolved = resolve(&name);
                    // Only XML's own five and numbered ones are well-formed.
                    let xml = name.starts_with('#')
                        || quick_xml::escape::resolve_xml_entity(&name).is_some();
                    if !xml {
                        self.tree.repairs += 1;
                    }
                    self.push_text(resolved.unwrap_or_else(|| format!("&{name};").into()));
                }
                Event::Eof => return Ok(()),
                Event::Comment(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            }
        }
    }

    /// `part` (a piece of an event, which quick-xml hands out borrowed
    /// from the event) as the piece of the document it is, so that the
    /// tree can keep it without a copy.
    fn in_document(&self, part: &str) -> Cow<'a, str> {
        let start = (part.as_ptr() as usize).wrapping_sub(self.document.as_ptr() as usize);
        match self.document.get(start..start.saturating_add(part.len())) {
            Some(piece) if piece.as_ptr() == part.as_ptr() => Cow::Borrowed(piece),
            _ => Cow::Owned(part.to_owned()),
        }
    }

    /// Lower case, borrowed when it already was.
    fn lower(&self, part: &str) -> Cow<'a, str> {
        if part.bytes().any(|b| b.is_ascii_uppercase()) {
            Cow::Owned(part.to_ascii_lowercase())
        } else {
            self.in_document(part)
        }
    }

    fn start(&mut self, start: &BytesStart, empty: bool) {
        if self.open.len() > MAX_DEPTH {
            self.too_deep += usize::from(!empty);
            return;
        }
        let mut attributes = Vec::new();
        let mut bindings: Bindings = Vec::new();
        for attribute in start.html_attributes().with_checks(false).flatten() {
            let name = self.lower(attribute.key.0);
            let value = match unescape(&attribute.value) {
                Cow::Borrowed(value) => self.in_document(value),
                Cow::Owned(value) => Cow::Owned(value),
            };
            if name == "xmlns" {
                bindings.push((
                    Cow::Borrowed(""),
                    namespace_named(&value, Cow::Borrowed("")),
                ));
            } else if name.starts_with("xmlns:") {
                let prefix = piece(&name, 6..name.len());
                bindings.push((prefix.clone(), namespace_named(&value, prefix)));
            }
            attributes.push((name, value));
        }
        let written = self.lower(start.name().0);
        let (prefix, local) = match written.find(':') {
            Some(at) => (
                piece(&written, 0..at),
                piece(&written, at + 1..written.len()),
            ),
            None => (Cow::Borrowed(""), written),
        };
        let namespace = bindings
            .iter()
            .chain(self.open.iter().rev().flat_map(|(_, b)| b.iter()))
            .find(|(bound, _)| *bound == prefix)
            .map_or(prefix, |(_, named)| named.clone());
        let id = self.tree.elements.len();
        self.tree.elements.push(Element {
            name: Name { namespace, local },
            attributes: attributes.into_boxed_slice(),
            first_child: NONE,
            last_child: NONE,
            closed: empty,
        });
        self.push_node(Content::Element(id as u32));
        if !empty {
            self.open.push((id, bindings));
        }
    }
    /// An end tag: closes the innermost open element of that name and any
    /// left open inside it; closes nothing when none is open.
    fn end(&mut self, written: &str) {
        if self.too_deep > 0 {
            self.too_deep -= 1;
            return;
        }
        let local = written.rsplit(':').next().unwrap_or(written);
        let found = self.open.iter().skip(1).rposition(|(id, _)| {
            self.tree.elements[*id]
                .name
                .local
                .eq_ignore_ascii_case(local)
        });
        let Some(at) = found.map(|at| at + 1) else {
            self.tree.repairs += 1;
            return;
        };
        if at + 1 != self.open.len() {
            self.tree.repairs += 1;
        }
        for (id, _) in self.open.drain(at..) {
            self.tree.elements[id].closed = true;
        }
    }

    fn push_text(&mut self, text: Cow<'a, str>) {
        if text.is_empty() {
            return;
        }
        let parent = self.open.last().map_or(Tree::ROOT, |(id, _)| *id);
        let last = self.tree.elements[parent].last_child;
        let blank = text.chars().all(char::is_whitespace);
        match self
            .tree
            .nodes
            .get_mut(last as usize)
            .map(|n| &mut n.content)
        {
            Some(Content::Text(before)) => before.to_mut().push_str(&text),
            Some(Content::Space) if blank => {}
            Some(space @ Content::Space) => *space = Content::Text(format!(" {text}").into()),
            _ if blank => self.push_node(Content::Space),
            _ => self.push_node(Content::Text(text)),
        }
    }

    /// Adds `content` as the last child of the innermost open element.
    fn push_node(&mut self, content: Content<'a>) {
        let parent = self.open.last().map_or(Tree::ROOT, |(id, _)| *id);
        let at = self.tree.nodes.len() as u32;
        self.tree.nodes.push(Node {
            content,
            next: NONE,
        });
        let parent = &mut self.tree.elements[parent];
        match parent.last_child {
            NONE => parent.first_child = at,
            last => self.tree.nodes[last as usize].next = at,
        }
        parent.last_child = at;
    }

    fn finish(mut self) -> Tree<'a> {
        if self.open.len() > 1 {
            self.tree.cut_off_at = Some(self.document.len());
        }
        // What the lists grew by and did not use is free for the stories
        // made from the tree.
        self.tree.elements.shrink_to_fit();
        self.tree.nodes.shrink_to_fit();
        self.tree
    }
}

/// A piece of `text`, borrowed as `text` is.
fn piece<'a>(text: &Cow<'a, str>, range: std::ops::Range<usize>) -> Cow<'a, str> {
    match text {
        Cow::Borrowed(text) => Cow::Borrowed(&text[range]),
        Cow::Owned(text) => Cow::Owned(text[range].to_owned()),
    }
}

/// What an entity stands for: a character reference, one of XML's five,
/// or one of HTML's; None for one only a DTD could define.
fn resolve(name: &str) -> Option<Cow<'static, str>> {
    if let Some(number) = name.strip_prefix('#') {
        let code = match number.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok(),
            None => number.parse().ok(),
        }?;
        // Windows-1252's C1 range, as browsers and feedparser read it.
        let code = match code {
            0x80..=0x9f => {
                let byte = [code as u8];
                let c = encoding_rs::WINDOWS_1252
                    .decode_without_bom_handling(&byte)
                    .0;
                return Some(Cow::Owned(c.into_owned()));
            }
            0 => 0xfffd,
            code => code,
        };
        return Some(Cow::Owned(
            char::from_u32(code).unwrap_or('\u{fffd}').into(),
        ));
    }
    quick_xml::escape::resolve_xml_entity(name)
        .or_else(|| quick_xml::escape::resolve_html5_entity(name))
        .map(Cow::Borrowed)
}

/// An attribute value's entities resolved; an unknown one, or a bare `&`,
/// kept as written.
fn unescape(value: &str) -> Cow<'_, str> {
    if !value.contains('&') {
        return Cow::Borrowed(value);
    }
    let mut out = String::with_capacity(value.len());
    let mut rest = value;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let resolved = rest
            .find(';')
            .filter(|end| *end <= 32)
            .and_then(|end| Some((resolve(&rest[1..end])?, end)));
        match resolved {
            Some((text, end)) => {
                out.push_str(&text);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    Cow::Owned(out)
}

/// feedparser's name for the namespace at `address` (declared with
/// `prefix`): the feed formats' own namespaces are `""`, the modules have
/// their usual prefixes, and an unknown one keeps the prefix it was given.
fn namespace_named<'a>(address: &str, prefix: Cow<'a, str>) -> Cow<'a, str> {
    let address = address.trim().trim_end_matches(['/', '#']);
    NAMESPACES
        .iter()
        .find(|(known, _)| known.eq_ignore_ascii_case(address))
        .map_or(prefix, |(_, name)| Cow::Borrowed(*name))
}

/// Known namespaces, written lower case without a final `/` or `#`.
const NAMESPACES: [(&str, &str); 28] = [
    ("", ""),
    ("http://backend.userland.com/rss", ""),
    ("http://backend.userland.com/rss2", ""),
    ("http://blogs.law.harvard.edu/tech/rss", ""),
    ("http://purl.org/rss/1.0", ""),
    ("http://my.netscape.com/rdf/simple/0.9", ""),
    ("http://purl.org/atom/ns", ""),
    ("http://www.w3.org/2005/atom", ""),
    ("http://purl.org/rss/1.0/modules/rss091", ""),
    ("http://purl.org/echo", ""),
    ("http://purl.org/pie", ""),
    ("http://purl.org/rss/1.0/modules/content", "content"),
    ("http://purl.org/dc/elements/1.1", "dc"),
    ("http://purl.org/dc/terms", "dcterms"),
    ("http://rssnamespace.org/feedburner/ext/1.0", "feedburner"),
    ("http://www.itunes.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://example.com/dtds/podcast-1.0.dtd", "itunes"),
    ("http://search.yahoo.com/mrss", "media"),
    ("http://www.w3.org/1999/02/22-rdf-syntax-ns", "rdf"),
    ("http://www.w3.org/1999/xhtml", "xhtml"),
    ("http://www.w3.org/xml/1998/namespace", "xml"),
    ("http://purl.org/rss/1.0/modules/slash", "slash"),
    ("http://wellformedweb.org/commentapi", "wfw"),
    ("http://purl.org/rss/1.0/modules/syndication", "sy"),
    ("http://prismstandard.org/namespaces/1.2/basic", "prism"),
    ("http://www.georss.org/georss", "georss"),
    ("http://podlove.org/simple-chapters", "psc"),
    ("http://purl.org/rss/1.0/modules/taxonomy", "taxo"),
];

#[cfg(test)]
mod tests {
    use super::*;

    fn names(tree: &Tree) -> Vec<String> {
        tree.elements[1..]
            .iter()
            .map(|e| format!("{}:{}", e.name.namespace, e.name.local))
            .collect()
    }

    #[test]
    fn namespaces_are_named_by_address_then_by_prefix() {
        let tree = read(
            "<rss xmlns:DC='http://purl.org/dc/elements/1.1/' xmlns:m='http://search.yahoo.com/mrss'>\
             <item><DC:title>A</DC:title><m:title>B</m:title><itunes:summary>C</itunes:summary></item></rss>",
        );
        assert_eq!(
            names(&tree),
            [":rss", ":item", "dc:title", "media:title", "itunes:summary"]
        );
        let atom = read("<feed xmlns='http://www.w3.org/2005/Atom'><entry/></feed>");
        assert_eq!(names(&atom), [":feed", ":entry"]);
        assert_eq!(atom.repairs, 0);
    }

    #[test]
    fn what_the_web_gets_wrong_is_mended_and_counted() {
        let tree = read(
            "\u{feff}  <?xml version='1.0'?><rss><channel><item><title>Caf&eacute; &amp; bar&nbsp;&</title>\
             <description><p>One<br>two</description></item></channel></rss>",
        );
        let title = tree.find(|e| e.is("", "title")).unwrap();
        assert_eq!(tree.text(title), "Café & bar\u{a0}&");
        let description = tree.find(|e| e.is("", "description")).unwrap();
        assert_eq!(tree.inner_markup(description), "<p>One<br>two</br></p>");
        assert!(tree.element(description).closed);
        assert!(tree.repairs > 0);
        assert_eq!(tree.cut_off_at, None);
    }

    #[test]
    fn a_document_cut_off_says_where_and_keeps_what_came() {
        let text = "<rss><channel><item><title>Whole</title></item><item><title>Ha";
        let tree = read(text);
        assert_eq!(tree.cut_off_at, Some(text.len()));
        let items: Vec<bool> = tree
            .elements
            .iter()
            .filter(|e| e.is("", "item"))
            .map(|e| e.closed)
            .collect();
        assert_eq!(items, [true, false]);
    }

    #[test]
    fn deep_nesting_and_declared_entities_stay_bounded() {
        let deep = format!("<rss>{}</rss>", "<a>".repeat(100_000));
        assert!(read(&deep).elements.len() <= MAX_DEPTH + 2);
        let laughs =
            "<!DOCTYPE x [<!ENTITY lol \"lol\"><!ENTITY lol2 \"&lol;&lol;\">]><t>&lol2;</t>";
        let tree = read(laughs);
        assert_eq!(tree.text(1), "&lol2;");
    }
}
