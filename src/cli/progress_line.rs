//! A progress line on stderr for loads that read many files (`check` or
//! `list` without an index, a first index build, `search` filling in
//! text), when stderr is a terminal; nothing when it is piped.

use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::load::{Progress, Stage};

/// Files to read before a load is worth a progress line: below this it
/// would only flicker.
const SHOWN_FROM: usize = 500;

/// A load's progress and the line that shows it; the line is cleared when
/// this is dropped.
pub struct ProgressLine {
    pub progress: Progress,
    bar: ProgressBar,
}

impl ProgressLine {
    pub fn new() -> ProgressLine {
        // indicatif draws nothing when stderr is not a terminal.
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style =
            ProgressStyle::with_template("{msg:<16} {wide_bar} {human_pos} of {human_len} files")
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("█▉▊▋▌▍▎▏ ");
        bar.set_style(style);
        let shown = bar.clone();
        let progress = Progress::watched(move |snapshot| match snapshot.stage {
            Stage::Finding => {}
            Stage::Reading if snapshot.files >= SHOWN_FROM => {
                let (read, files) = (snapshot.read.min(snapshot.files), snapshot.files);
                if shown.length() != Some(files as u64) {
                    shown.set_length(files as u64);
                    shown.set_message("reading files");
                }
                shown.set_position(read as u64);
            }
            Stage::Reading => {}
            Stage::Building => {
                if shown.length().is_some() {
                    shown.set_message("matching titles");
                    shown.enable_steady_tick(Duration::from_millis(100));
                }
            }
        });
        ProgressLine { progress, bar }
    }
}

impl ProgressLine {
    /// The line for `tidings update`: feeds done of all, the last one.
    pub fn feeds(count: usize) -> ProgressLine {
        let bar = ProgressBar::with_draw_target(Some(count as u64), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template("updating {wide_bar} {pos} of {len} feeds  {msg}")
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("█▉▊▋▌▍▎▏ ");
        bar.set_style(style);
        bar.tick();
        ProgressLine {
            progress: Progress::default(),
            bar,
        }
    }

    /// One more feed done.
    pub fn feed_done(&self, url: &str) {
        self.bar
            .set_message(crate::text::sanitize(url).into_owned());
        self.bar.inc(1);
    }
}

impl Drop for ProgressLine {
    fn drop(&mut self) {
        self.bar.finish_and_clear();
    }
}
