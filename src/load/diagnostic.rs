//! What the loader says about a file that could not (fully) become a story.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::text::sanitize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Error,
    Warning,
}

/// One problem with one file, written for the person who owns the file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub path: String,
    pub severity: Severity,
    pub message: String,
}

impl Diagnostic {
    /// Both the path and the message can carry text from the file system or
    /// a file's contents, so both are sanitized here.
    pub fn new(severity: Severity, path: &str, message: impl AsRef<str>) -> Self {
        Diagnostic {
            path: sanitize(path).into_owned(),
            severity,
            message: sanitize(message.as_ref()).into_owned(),
        }
    }

    pub fn error(path: &str, message: impl AsRef<str>) -> Self {
        Self::new(Severity::Error, path, message)
    }

    pub fn warning(path: &str, message: impl AsRef<str>) -> Self {
        Self::new(Severity::Warning, path, message)
    }

    pub fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

/// The one-line form used on stderr: `PATH: message`, with warnings marked.
impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.severity {
            Severity::Error => write!(f, "{}: {}", self.path, self.message),
            Severity::Warning => write!(f, "{}: warning: {}", self.path, self.message),
        }
    }
}
