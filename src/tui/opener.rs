//! Opening a story's web address in the browser: only http and https, the
//! address passed as one argument to the program, never through a shell.

use std::io;
use std::process::{Command, Stdio};

use crate::io_error;

/// Why a web address was not opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("not opened: only http and https addresses are opened, not “{0}”")]
    NotWeb(String),
    #[error("not opened: “{0}” is not a valid web address")]
    Invalid(String),
    #[error("no program to open web addresses with")]
    NoProgram,
    #[error("cannot start {program}: {}", io_error::in_words(source))]
    Start { program: String, source: io::Error },
}

/// Starts the opener on `url` and returns its name, or says why not.
/// `program` is the configured opener; without one, `$BROWSER`, else the
/// platform's (`xdg-open`, or `open` on macOS).
pub fn open(program: Option<&str>, url: &str) -> Result<String, OpenError> {
    check_url(url)?;
    let browser = std::env::var("BROWSER").ok();
    let platform = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    let command_line = program
        .or(browser.as_deref().and_then(|b| b.split(':').next()))
        .filter(|p| !p.trim().is_empty())
        .unwrap_or(platform);
    // A configured opener may carry its own arguments ("firefox
    // --new-tab"); they are split on white space, never given to a shell.
    let words: Vec<String> = command_line.split_whitespace().map(str::to_owned).collect();
    open_with(&words, url)
}

/// Starts `argv` (a program and its arguments) on `url`: in place of each
/// `{url}`, else as the last argument. Gives the program's name.
pub fn open_with(argv: &[String], url: &str) -> Result<String, OpenError> {
    check_url(url)?;
    let Some((name, arguments)) = argv.split_first() else {
        return Err(OpenError::NoProgram);
    };
    let mut arguments: Vec<String> = arguments.iter().map(|a| a.replace("{url}", url)).collect();
    if !argv.iter().any(|a| a.contains("{url}")) {
        arguments.push(url.to_owned());
    }
    let mut child = Command::new(name)
        .args(arguments)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|source| OpenError::Start {
            program: name.to_owned(),
            source,
        })?;
    // Reap it in the background so it never lingers as a zombie.
    std::thread::spawn(move || child.wait());
    Ok(name.to_owned())
}

fn check_url(url: &str) -> Result<(), OpenError> {
    let lower = url.to_ascii_lowercase();
    let scheme_ok = lower.starts_with("http://") || lower.starts_with("https://");
    if !scheme_ok {
        return Err(OpenError::NotWeb(url.to_owned()));
    }
    if url.chars().any(|c| c.is_whitespace() || c.is_control()) || url.len() <= "https://".len() {
        return Err(OpenError::Invalid(url.to_owned()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::check_url;

    #[test]
    fn only_http_and_https_pass() {
        assert!(check_url("https://example.org/a?b=c").is_ok());
        assert!(check_url("HTTP://example.org").is_ok());
        assert!(check_url("file:///etc/passwd").is_err());
        assert!(check_url("javascript:alert(1)").is_err());
        assert!(check_url("https://exa mple.org").is_err());
        assert!(check_url("-https://x").is_err());
        assert!(check_url("https://").is_err());
    }
}
