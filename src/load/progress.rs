//! How far a load has got, for a screen to show while it runs. Written by
//! the loading threads, read by whoever draws; plain atomics, so neither
//! side waits for the other.

use std::sync::atomic::{AtomicU8, AtomicUsize, Ordering};

/// The stages of a load, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Walking the folders for files to read.
    Finding,
    /// Reading and parsing the files found.
    Reading,
    /// Building the model: titles, the headline pool, links.
    Building,
}

#[derive(Default)]
pub struct Progress {
    stage: AtomicU8,
    files: AtomicUsize,
    read: AtomicUsize,
    /// Asked to stop: work in the background ends at its next step,
    /// keeping what it did (see [`Progress::stop`]).
    stopping: std::sync::atomic::AtomicBool,
    /// Told of every change, on the thread that made it.
    watcher: Option<Box<dyn Fn(ProgressReport) + Send + Sync>>,
}

impl std::fmt::Debug for Progress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        self.report().fmt(f)
    }
}

/// One reading of a [`Progress`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProgressReport {
    pub stage: Stage,
    /// Files found; known once reading starts.
    pub files: usize,
    /// Files read so far.
    pub read: usize,
}

impl Progress {
    /// A progress that calls `watcher` at each change: for a display that
    /// must not miss a stage, however quickly it passes.
    pub fn watched(watcher: impl Fn(ProgressReport) + Send + Sync + 'static) -> Progress {
        Progress {
            watcher: Some(Box::new(watcher)),
            ..Progress::default()
        }
    }

    fn changed(&self) {
        if let Some(watcher) = &self.watcher {
            watcher(self.report());
        }
    }

    pub fn report(&self) -> ProgressReport {
        let stage = match self.stage.load(Ordering::Relaxed) {
            0 => Stage::Finding,
            1 => Stage::Reading,
            _ => Stage::Building,
        };
        ProgressReport {
            stage,
            files: self.files.load(Ordering::Relaxed),
            read: self.read.load(Ordering::Relaxed),
        }
    }

    pub(crate) fn start_reading(&self, files: usize) {
        self.read.store(0, Ordering::Relaxed);
        self.files.store(files, Ordering::Relaxed);
        self.stage.store(1, Ordering::Relaxed);
        self.changed();
    }

    pub(crate) fn file_read(&self) {
        self.read.fetch_add(1, Ordering::Relaxed);
        self.changed();
    }

    /// Asks the work reporting here to stop soon, keeping what it did.
    pub fn stop(&self) {
        self.stopping.store(true, Ordering::Relaxed);
    }

    /// Whether the work was asked to stop.
    pub fn stopping(&self) -> bool {
        self.stopping.load(Ordering::Relaxed)
    }

    pub(crate) fn start_building(&self) {
        self.stage.store(2, Ordering::Relaxed);
        self.changed();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stages_follow_the_load() {
        let progress = Progress::default();
        assert_eq!(progress.report().stage, Stage::Finding);
        progress.start_reading(3);
        progress.file_read();
        assert_eq!(
            progress.report(),
            ProgressReport {
                stage: Stage::Reading,
                files: 3,
                read: 1
            }
        );
        progress.start_building();
        assert_eq!(progress.report().stage, Stage::Building);
    }
}
