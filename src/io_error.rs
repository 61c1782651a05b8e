//! I/O errors as a person reads them. Every layer that touches the disk or
//! starts a program says what went wrong with these words.

use std::io;

/// An I/O error in words, without the "(os error 2)" tail.
pub fn in_words(e: &io::Error) -> String {
    match e.kind() {
        io::ErrorKind::NotFound => "no such file or directory".into(),
        io::ErrorKind::PermissionDenied => "permission denied".into(),
        io::ErrorKind::IsADirectory => "is a directory".into(),
        _ => {
            let text = e.to_string();
            match text.find(" (os error") {
                Some(cut) => text[..cut].to_lowercase(),
                None => text,
            }
        }
    }
}
