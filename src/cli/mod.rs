//! The binary's edge: parse the command line, run a command, turn the
//! outcome into an exit status and one-line messages on stderr.

mod args;
mod commands;

use std::io::{self, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use clap::Parser;
use clap::error::ErrorKind;

pub use args::{Cli, Command, Files};

use crate::app::{App, KeyMap, Settings, Theme};
use crate::model::Library;
use crate::state::ReadState;
use crate::{bundled, load, tui};

/// Exit statuses of SPEC section 4.
pub mod exit {
    pub const SUCCESS: u8 = 0;
    /// A file could not be loaded (`check`), or a runtime error.
    pub const FAILURE: u8 = 1;
    pub const USAGE: u8 = 2;
}

/// A failure that ends the program with a message and a status.
#[derive(Debug)]
pub struct Failure {
    pub message: String,
    pub status: u8,
}

impl Failure {
    pub fn usage(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            status: exit::USAGE,
        }
    }

    pub fn runtime(message: impl Into<String>) -> Self {
        Failure {
            message: message.into(),
            status: exit::FAILURE,
        }
    }
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return clap_exit(&e),
    };
    match run(cli) {
        Ok(status) => ExitCode::from(status),
        Err(failure) => {
            eprintln!("tidings: {}", failure.message);
            ExitCode::from(failure.status)
        }
    }
}

pub fn run(cli: Cli) -> Result<u8, Failure> {
    check_named_config(&cli.files)?;
    match cli.command {
        None => read(&cli.paths),
        Some(Command::List {
            json,
            unread,
            paths,
        }) => commands::list(&load_library(&paths), json, unread),
        Some(Command::Search { json, query, paths }) => {
            commands::search(&load_library(&paths), &query, json)
        }
        Some(Command::Check { json, paths }) => commands::check(&load_library(&paths), json),
    }
}

/// Opens the reader on PATHs.
fn read(paths: &[PathBuf]) -> Result<u8, Failure> {
    use std::io::IsTerminal;
    if !io::stdin().is_terminal() || !io::stdout().is_terminal() {
        return Err(Failure::runtime(
            "the reader needs a terminal; `tidings list` prints the stories instead",
        ));
    }
    let library = load_library(paths);
    let area = ratatui::layout::Rect::default();
    let app = App::new(
        library,
        ReadState::default(),
        Settings::default(),
        KeyMap::default(),
        Theme::default(),
        area,
    );
    tui::run(app).map_err(|e| Failure::runtime(format!("terminal error: {e}")))?;
    Ok(exit::SUCCESS)
}

/// Loads PATHs, or the bundled stories when there are none.
pub fn load_library(paths: &[PathBuf]) -> Library {
    let loaded = if paths.is_empty() {
        bundled::load()
    } else {
        load::load_paths(paths)
    };
    Library::build(loaded)
}

/// A config file named on the command line must exist; the default one may
/// be missing.
fn check_named_config(files: &Files) -> Result<(), Failure> {
    match &files.config {
        Some(path) if !path.is_file() => {
            let reason = match std::fs::metadata(path) {
                Ok(_) => "not a file".to_owned(),
                Err(e) => load::describe_io(&e),
            };
            Err(Failure::usage(format!(
                "{}: {reason}",
                crate::text::sanitize(&path.to_string_lossy())
            )))
        }
        _ => Ok(()),
    }
}

/// Help and version go to stdout as clap writes them; a usage error becomes
/// one line on stderr and exit status 2.
fn clap_exit(e: &clap::Error) -> ExitCode {
    if matches!(e.kind(), ErrorKind::DisplayHelp | ErrorKind::DisplayVersion) {
        let _ = e.print();
        return ExitCode::SUCCESS;
    }
    let rendered = e.render().to_string();
    let first = rendered.lines().next().unwrap_or("invalid arguments");
    let first = first.strip_prefix("error: ").unwrap_or(first);
    eprintln!(
        "tidings: {} (see tidings --help)",
        crate::text::sanitize(first)
    );
    ExitCode::from(exit::USAGE)
}

/// Writes to stdout; a closed pipe (`tidings list | head`) ends the output
/// quietly instead of failing.
pub(crate) fn write_stdout(
    write: impl FnOnce(&mut dyn Write) -> io::Result<()>,
) -> Result<(), Failure> {
    let stdout = io::stdout();
    let mut out = io::BufWriter::new(stdout.lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Err(e) if e.kind() != io::ErrorKind::BrokenPipe => {
            Err(Failure::runtime(format!("cannot write output: {e}")))
        }
        _ => Ok(()),
    }
}
