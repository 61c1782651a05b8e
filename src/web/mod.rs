//! The web, as every part of tidings that fetches reaches it (feeds, full
//! text, sync): one agent with its limits (a timeout for the whole request,
//! redirects, `User-Agent: tidings/VERSION`), bodies read no further than a
//! bound, failures said in words, and pages decoded by their charset.

pub mod page;

use std::time::Duration;

pub use page::{Document, decode};

/// An agent for every fetch of one update or sync: rustls, gzip, redirects,
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
        .map_err(|e| failure_in_words(e, max_bytes, timeout))
}

/// A failed request in words: "HTTP 404", "timed out after 20 s",
/// "larger than 16 MiB", or what the connection met.
pub fn failure_in_words(error: ureq::Error, max_bytes: u64, timeout: u64) -> String {
    match error {
        ureq::Error::Timeout(_) => format!("timed out after {timeout} s"),
        ureq::Error::BodyExceedsLimit(_) => format!("larger than {}", bytes(max_bytes)),
        ureq::Error::StatusCode(status) => format!("HTTP {status}"),
        ureq::Error::TooManyRedirects => "more than 10 redirects (a loop?)".to_owned(),
        ureq::Error::Io(e) => crate::io_error::in_words(&e),
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

/// `url` if it is an http or https address; else what is wrong.
pub fn checked_url(url: &str) -> Result<String, String> {
    let trimmed = url.trim();
    match url::Url::parse(trimmed) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") && parsed.host().is_some() => {
            Ok(trimmed.to_owned())
        }
        _ => Err(format!(
            "url must be an http or https address, not \"{trimmed}\""
        )),
    }
}
