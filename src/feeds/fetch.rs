//! One HTTP(S) request for a feed: conditional on what the last fetch was
//! told (ETag, Last-Modified), bounded in time and in size, so that an
//! endless or slow response costs neither memory nor the other feeds.

use std::time::Duration;

use super::store::Bookkeeping;

/// What the server answered.
#[derive(Debug)]
pub enum Fetched {
    /// 304: nothing new since the last fetch.
    NotModified,
    Body {
        bytes: Vec<u8>,
        etag: Option<String>,
        last_modified: Option<String>,
    },
}

/// An agent for every fetch of one update: rustls, gzip, redirects,
/// `User-Agent: tidings/VERSION`, and the whole request (connecting,
/// redirects, reading) within `timeout` seconds.
pub fn agent(timeout: u64) -> ureq::Agent {
    ureq::Agent::config_builder()
        .timeout_global(Some(Duration::from_secs(timeout)))
        .user_agent(format!("tidings/{}", env!("CARGO_PKG_VERSION")))
        .http_status_as_error(false)
        .max_redirects(10)
        .build()
        .into()
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
    let said = |e: ureq::Error| describe(e, max_bytes, timeout);
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
    let bytes = body(&mut response, max_bytes, timeout)?;
    Ok(Fetched::Body {
        bytes,
        etag,
        last_modified,
    })
}

/// A response's body, read no further than `max_bytes`.
pub fn body(
    response: &mut ureq::http::Response<ureq::Body>,
    max_bytes: u64,
    timeout: u64,
) -> Result<Vec<u8>, String> {
    response
        .body_mut()
        .with_config()
        .limit(max_bytes)
        .read_to_vec()
        .map_err(|e| describe(e, max_bytes, timeout))
}

pub fn describe(error: ureq::Error, max_bytes: u64, timeout: u64) -> String {
    match error {
        ureq::Error::Timeout(_) => format!("timed out after {timeout} s"),
        ureq::Error::BodyExceedsLimit(_) => format!("larger than {}", bytes(max_bytes)),
        ureq::Error::StatusCode(status) => format!("HTTP {status}"),
        ureq::Error::TooManyRedirects => "more than 10 redirects (a loop?)".to_owned(),
        ureq::Error::Io(e) => crate::io_error::describe(&e),
        other => other.to_string(),
    }
}

/// 16777216 as "16 MiB".
fn bytes(n: u64) -> String {
    match n {
        n if n >= 1 << 20 && n % (1 << 20) == 0 => format!("{} MiB", n >> 20),
        n if n >= 1 << 10 && n % (1 << 10) == 0 => format!("{} KiB", n >> 10),
        n => format!("{n} bytes"),
    }
}
