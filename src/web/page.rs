//! A web page (a story's, for its full text), fetched as a feed is (the
//! same agent, limits and User-Agent) and decoded to text by its charset: the HTTP header's, else
//! the page's own `<meta>`, else a byte-order mark, else UTF-8, else
//! Windows-1252 (what browsers guess for undeclared Western pages).

use encoding_rs::{Encoding, UTF_8, WINDOWS_1252};
use ureq::ResponseExt;

/// A fetched page: its text, and its address after redirects (for links
/// relative to it).
#[derive(Debug)]
pub struct Document {
    pub html: String,
    pub url: String,
}

/// Fetches the page at `url`; only http and https addresses, HTML answers
/// and bodies within `max_bytes` are taken, and the error says which was
/// not ("not a web page: image/png", "larger than 16 MiB").
pub fn fetch(
    agent: &ureq::Agent,
    url: &str,
    max_bytes: u64,
    timeout: u64,
) -> Result<Document, String> {
    let parsed = url::Url::parse(url).map_err(|e| format!("not a web address ({e})"))?;
    if !matches!(parsed.scheme(), "http" | "https") {
        return Err(format!(
            "only http and https pages are fetched, not {}:",
            parsed.scheme()
        ));
    }
    let said = |e| super::failure_in_words(e, max_bytes, timeout);
    let mut response = agent.get(url).call().map_err(said)?;
    let status = response.status().as_u16();
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let content_type = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let media = content_type.split(';').next().unwrap_or("").trim();
    if !media.is_empty() && !matches!(media, "text/html" | "application/xhtml+xml") {
        return Err(format!("not a web page: {}", crate::text::sanitize(media)));
    }
    let final_url = response.get_uri().to_string();
    let bytes = super::body(&mut response, max_bytes, timeout)?;
    Ok(Document {
        html: decode(&bytes, charset(&content_type)),
        url: final_url,
    })
}

/// The `charset=` of a Content-Type, or of the page's `<meta>` tags.
fn charset(declared: &str) -> Option<&str> {
    let at = declared.find("charset=")? + "charset=".len();
    let value = declared[at..].trim_start_matches(['"', '\'', ' ']);
    let end = value
        .find(|c: char| !(c.is_ascii_alphanumeric() || "-_:.".contains(c)))
        .unwrap_or(value.len());
    Some(&value[..end]).filter(|v| !v.is_empty())
}

/// The page's text in its charset; see the module's note for the order.
pub fn decode(bytes: &[u8], header: Option<&str>) -> String {
    if let Some((encoding, bom)) = Encoding::for_bom(bytes) {
        return encoding
            .decode_without_bom_handling(&bytes[bom..])
            .0
            .into_owned();
    }
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).to_ascii_lowercase();
    let declared = header
        .or_else(|| charset(&head))
        .and_then(|label| Encoding::for_label(label.as_bytes()))
        // A page that says UTF-16 in ASCII is not UTF-16.
        .map(|e| e.output_encoding());
    let encoding = match declared {
        Some(encoding) => encoding,
        None if std::str::from_utf8(bytes).is_ok() => UTF_8,
        None => WINDOWS_1252,
    };
    encoding.decode_without_bom_handling(bytes).0.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_charset_comes_from_the_header_then_the_page_then_a_guess() {
        let latin1 = b"<meta charset=\"iso-8859-1\"><p>Caf\xe9 cr\xe8me</p>";
        assert!(decode(latin1, None).contains("Café crème"));
        let http_equiv =
            b"<meta http-equiv=Content-Type content='text/html; charset=windows-1252'>\x93Hi\x94";
        assert!(decode(http_equiv, None).contains("\u{201c}Hi\u{201d}"));
        // The header outranks the page.
        assert!(decode("<p>Café</p>".as_bytes(), Some("utf-8")).contains("Café"));
        assert!(decode(b"<p>Caf\xe9</p>", Some("iso-8859-1")).contains("Café"));
        // Undeclared: UTF-8 when it is, else Windows-1252.
        assert!(decode("<p>Ünïcode</p>".as_bytes(), None).contains("Ünïcode"));
        assert!(decode(b"<p>na\xefve</p>", None).contains("naïve"));
        assert_eq!(charset("text/html; charset=\"UTF-8\"; x=y"), Some("UTF-8"));
    }
}
