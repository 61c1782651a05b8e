//! Replacing a file so that a crash leaves the old one or the new one,
//! never half of either: write a temporary file beside it, sync it, rename
//! it over the old one, sync the folder.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::Path;

/// Replaces the file at `path` with `bytes`; its folder must exist.
pub fn write(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, bytes, true)
}

/// [`write`] without waiting for the disk: the rename still makes the
/// change whole, but after a crash the file may be older. For many files
/// at once, followed by one [`sync_folder`].
pub fn write_unsynced(path: &Path, bytes: &[u8]) -> io::Result<()> {
    write_with(path, bytes, false)
}

/// Waits until what was written under `folder` is on disk: on Linux one
/// `syncfs` for the whole file system, far cheaper than a sync per file.
pub fn sync_folder(folder: &Path) -> io::Result<()> {
    let dir = File::open(folder)?;
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: syncfs only reads the descriptor, which `dir` keeps open.
        if unsafe { libc::syncfs(dir.as_raw_fd()) } == 0 {
            return Ok(());
        }
    }
    dir.sync_all()
}

fn write_with(path: &Path, bytes: &[u8], sync: bool) -> io::Result<()> {
    let mut temp_name = path.as_os_str().to_owned();
    temp_name.push(format!(".tmp-{}", std::process::id()));
    let temp = std::path::PathBuf::from(temp_name);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        if sync {
            file.sync_all()?;
        }
        fs::rename(&temp, path)?;
        if sync {
            File::open(dir)?.sync_all()?;
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    }
    result
}
