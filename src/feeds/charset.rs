//! A feed's bytes as text, in the order browsers and feedparser decide a
//! document's encoding: a byte order mark, then the HTTP charset, then the
//! XML declaration, then a guess from the bytes (Mozilla's chardetng, as
//! Firefox guesses), then Windows-1252. A label that lies about the bytes
//! (bytes its encoding cannot have) is overruled by what the bytes are.

use std::borrow::Cow;

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};

use super::codepages::{ALIASES, CODE_PAGES};

/// The decoded text, and whether a label had to be overruled.
#[derive(Debug)]
pub struct Decoded<'a> {
    /// Borrowed when the bytes were UTF-8 already (most feeds).
    pub text: Cow<'a, str>,
    /// The encoding it was read in, by its name.
    pub encoding: &'static str,
    /// A declared charset the bytes were not in, or bytes that no
    /// encoding takes whole (replaced by U+FFFD).
    pub repaired: bool,
}

/// An encoding a label names: one of the web's (encoding_rs), or a code
/// page only Python and feedparser read (a table of its 256 characters).
#[derive(Clone, Copy)]
enum Charset {
    Web(&'static Encoding),
    Table(&'static str, &'static str),
}

impl Charset {
    /// The charset `label` names, however Python or a browser spells it.
    fn named(label: &str) -> Option<Charset> {
        let label = label.trim().to_ascii_lowercase().replace(['_', ' '], "-");
        let web = |label: &str| Encoding::for_label(label.as_bytes());
        if let Some(encoding) = web(&label) {
            // A document that says UTF-16 in ASCII bytes is not UTF-16.
            return Some(Charset::Web(encoding.output_encoding()));
        }
        if let Some((_, target)) = ALIASES.iter().find(|(alias, _)| *alias == label) {
            return web(target).map(Charset::Web);
        }
        CODE_PAGES
            .iter()
            .find(|(labels, _)| labels.contains(&label.as_str()))
            .map(|(labels, table)| Charset::Table(labels[0], table))
    }

    /// The text of `bytes` (borrowed when they are UTF-8 already), and
    /// whether some could not be read.
    fn decode(self, bytes: &[u8]) -> (Cow<'_, str>, bool) {
        match self {
            Charset::Web(encoding) => encoding.decode_without_bom_handling(bytes),
            Charset::Table(_, table) => {
                let chars: Vec<char> = table.chars().collect();
                let text: String = bytes
                    .iter()
                    .map(|&b| chars.get(usize::from(b)).copied().unwrap_or('\u{fffd}'))
                    .collect();
                let malformed = text.contains('\u{fffd}');
                (Cow::Owned(text), malformed)
            }
        }
    }

    fn name(self) -> &'static str {
        match self {
            Charset::Web(encoding) => encoding.name(),
            Charset::Table(name, _) => name,
        }
    }
}

/// Decodes `bytes`, told `content_type` by the server (if it said one).
pub fn decode<'a>(bytes: &'a [u8], content_type: Option<&str>) -> Decoded<'a> {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        let (text, malformed) = encoding.decode_without_bom_handling(&bytes[bom..]);
        return Decoded {
            text,
            encoding: encoding.name(),
            repaired: malformed,
        };
    }
    let labelled = content_type
        .and_then(charset_parameter)
        .and_then(Charset::named)
        .or_else(|| declared_in_xml(bytes).and_then(Charset::named))
        .or_else(|| ebcdic(bytes));
    if let Some(charset) = labelled {
        let (text, malformed) = charset.decode(bytes);
        if !malformed {
            return Decoded {
                text,
                encoding: charset.name(),
                repaired: false,
            };
        }
        let mut guessed = unlabelled(bytes);
        guessed.repaired = true;
        return guessed;
    }
    unlabelled(bytes)
}

/// No label (or a false one): UTF-8 when the bytes are, else the guess.
fn unlabelled(bytes: &[u8]) -> Decoded<'_> {
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Decoded {
            text: Cow::Borrowed(text),
            encoding: UTF_8.name(),
            repaired: false,
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(bytes, true);
    let guess = detector.guess(None, Utf8Detection::Allow);
    let encoding = if guess == UTF_8 { WINDOWS_1252 } else { guess };
    let (text, malformed) = encoding.decode_without_bom_handling(bytes);
    Decoded {
        text,
        encoding: encoding.name(),
        repaired: malformed,
    }
}

/// A document that starts `<?xm` in EBCDIC: the encoding its declaration
/// names, read in EBCDIC (code page 037, as feedparser reads it).
fn ebcdic(bytes: &[u8]) -> Option<Charset> {
    if !bytes.starts_with(&[0x4c, 0x6f, 0xa7, 0x94]) {
        return None;
    }
    let cp037 = Charset::named("cp037")?;
    let head = cp037.decode(&bytes[..bytes.len().min(512)]).0;
    declared_in_xml(head.as_bytes())
        .and_then(Charset::named)
        .or(Some(cp037))
}

/// The `charset=` parameter of a Content-Type.
pub fn charset_parameter(content_type: &str) -> Option<&str> {
    content_type.split(';').skip(1).find_map(|parameter| {
        let (name, value) = parameter.split_once('=')?;
        name.trim()
            .eq_ignore_ascii_case("charset")
            .then(|| value.trim().trim_matches(['"', '\'']))
            .filter(|v| !v.is_empty())
    })
}

/// The `encoding="..."` of an XML declaration at the start of `bytes`
/// (after whitespace), read as ASCII.
fn declared_in_xml(bytes: &[u8]) -> Option<&str> {
    let start = bytes.iter().position(|b| !b.is_ascii_whitespace())?;
    let head = &bytes[start..bytes.len().min(start + 512)];
    if !head.starts_with(b"<?xml") {
        return None;
    }
    let end = memchr::memmem::find(head, b"?>")?;
    let declaration = std::str::from_utf8(&head[..end]).ok()?;
    let at = declaration.find("encoding")? + "encoding".len();
    let value = declaration[at..]
        .trim_start()
        .strip_prefix('=')?
        .trim_start();
    let quote = value.chars().next().filter(|c| *c == '"' || *c == '\'')?;
    let value = &value[1..];
    Some(&value[..value.find(quote)?])
}

#[cfg(test)]
mod tests {
    use super::*;

    fn text(bytes: &[u8], content_type: Option<&str>) -> (String, &'static str) {
        let decoded = decode(bytes, content_type);
        (decoded.text.into_owned(), decoded.encoding)
    }

    #[test]
    fn the_order_is_bom_header_declaration_guess() {
        let latin1 = b"<?xml version='1.0' encoding='iso-8859-1'?><t>Caf\xe9</t>";
        assert_eq!(text(latin1, None).1, "windows-1252");
        assert!(text(latin1, None).0.contains("Café"));
        // The header outranks the declaration.
        let koi8 = b"<?xml version='1.0' encoding='utf-8'?><t>\xf0\xd2\xc9\xd7\xc5\xd4</t>";
        let (koi8_text, name) = text(koi8, Some("text/xml; charset=\"KOI8-R\""));
        assert_eq!((koi8_text.contains("Привет"), name), (true, "KOI8-R"));
        // The byte order mark outranks both.
        let bom = b"\xef\xbb\xbf<?xml version='1.0' encoding='iso-8859-1'?><t>\xc3\xa9</t>";
        assert!(
            text(bom, Some("text/xml; charset=koi8-r"))
                .0
                .contains("<t>é</t>")
        );
    }

    #[test]
    fn undeclared_bytes_are_guessed_and_lies_overruled() {
        // Shift_JIS with no declaration: "日本語のニュース".
        let sjis = encoding_rs::SHIFT_JIS
            .encode("<t>日本語のニュースです。東京の天気</t>")
            .0;
        assert_eq!(
            text(&sjis, None),
            (
                "<t>日本語のニュースです。東京の天気</t>".into(),
                "Shift_JIS"
            )
        );
        // Says UTF-8, is Latin-1.
        let lie = b"<?xml version=\"1.0\" encoding=\"utf-8\"?><t>S\xe3o Paulo, na\xe7\xe3o</t>";
        let decoded = decode(lie, None);
        assert!(
            decoded.text.contains("São Paulo, nação"),
            "{}",
            decoded.text
        );
        assert!(decoded.repaired);
        // Code pages only Python knows, by Python's names for them.
        assert_eq!(
            text(b"<?xml version='1.0' encoding='cp437'?><t>\x80</t>", None).0,
            "<?xml version='1.0' encoding='cp437'?><t>Ç</t>"
        );
        assert_eq!(
            text(b"<t>\x80</t>", Some("text/xml; charset=mac_greek")).0,
            "<t>Ä</t>"
        );
        assert_eq!(
            text(b"\x4c\xa3\x6e", Some("text/xml; charset=ebcdic-cp-us")),
            ("<t>".into(), "037")
        );
        // Says UTF-16 in ASCII: read as UTF-8.
        let ascii = b"<?xml version='1.0' encoding='utf-16'?><t>plain</t>";
        assert_eq!(text(ascii, None).1, "UTF-8");
    }

    #[test]
    fn charset_parameters_are_found_however_written() {
        assert_eq!(
            charset_parameter("text/xml; Charset='utf-8'"),
            Some("utf-8")
        );
        assert_eq!(charset_parameter("application/rss+xml"), None);
        assert_eq!(
            charset_parameter("text/xml; x=1; charset=gb2312"),
            Some("gb2312")
        );
    }
}
