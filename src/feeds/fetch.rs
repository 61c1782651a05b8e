//! One HTTP(S) request for a feed: conditional on what the last fetch was
//! told (ETag, Last-Modified), bounded in time and in size, so that an
//! endless or slow response costs neither memory nor the other feeds.

use ureq::ResponseExt;

use super::folder::Bookkeeping;
use crate::web::{body, failure_in_words};

/// What the server answered.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing new since the last fetch.
    NotModified,
    Body {
        bytes: Vec<u8>,
        /// What the server said the body is (its charset counts).
        content_type: Option<String>,
        /// Where it came from, after redirects (for links relative to it).
        url: String,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// Fetches `url`; the error is said in words: "HTTP 404", "timed out
/// after 20 s", "larger than 16 MiB", or what the connection met.
pub fn fetch(
    agent: &ureq::Agent,
    url: &str,
    book: &Bookkeeping,
    max_bytes: u64,
    timeout: u64,
) -> Result<Fetched, String> {
    let mut request = agent.get(url);
    if let Some(etag) = &book.etag {
        request = request.header("If-None-Match", etag);
    }
    if let Some(modified) = &book.last_modified {
        request = request.header("If-Modified-Since", modified);
    }
    let said = |e: ureq::Error| failure_in_words(e, max_bytes, timeout);
    let mut response = request.call().map_err(said)?;
    let status = response.status().as_u16();
    if status == 304 {
        return Ok(Fetched::NotModified);
    }
    if !(200..300).contains(&status) {
        return Err(format!("HTTP {status}"));
    }
    let header = |name: &str| {
        response
            .headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned)
    };
    let (etag, last_modified) = (header("etag"), header("last-modified"));
    let content_type = header("content-type");
    let final_url = response.get_uri().to_string();
    let bytes = body(&mut response, max_bytes, timeout)?;
    Ok(Fetched::Body {
        bytes,
        content_type,
        url: final_url,
        etag,
        last_modified,
    })
}
