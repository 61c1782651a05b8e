//! Running the real binary in a pseudo-terminal and reading its screen
//! through a terminal emulator (vt100), as a user would see it.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, PtySize, native_pty_system};

/// What the program asked of the terminal besides drawing.
#[derive(Default)]
pub struct Requests {
    pub titles: Vec<Vec<u8>>,
    pub clipboard: Vec<Vec<u8>>,
}

impl vt100::Callbacks for Requests {
    fn set_window_title(&mut self, _: &mut vt100::Screen, title: &[u8]) {
        self.titles.push(title.to_vec());
    }
    fn set_window_icon_name(&mut self, _: &mut vt100::Screen, name: &[u8]) {
        self.titles.push(name.to_vec());
    }
    fn copy_to_clipboard(&mut self, _: &mut vt100::Screen, _: &[u8], data: &[u8]) {
        self.clipboard.push(data.to_vec());
    }
}

pub struct Session {
    parser: Arc<Mutex<vt100::Parser<Requests>>>,
    writer: Box<dyn Write + Send>,
    child: Box<dyn Child + Send + Sync>,
    /// Closing it hangs up the terminal, as closing a window does.
    master: Option<Box<dyn portable_pty::MasterPty + Send>>,
    /// The thread feeding the emulator holds a copy of the master; it lets
    /// go when asked, after its next read.
    reader: Option<std::thread::JoinHandle<()>>,
    stop_reading: Arc<std::sync::atomic::AtomicBool>,
    size: PtySize,
    pub home: tempfile::TempDir,
    /// Every byte the program wrote, for what was drawn and erased.
    transcript: Arc<Mutex<Vec<u8>>>,
}

pub const WAIT: Duration = Duration::from_secs(10);

/// Where a frame begins and ends (synchronized output, DEC mode 2026).
const FRAME_BEGINS: &[u8] = b"\x1b[?2026h";
const FRAME_ENDS: &[u8] = b"\x1b[?2026l";

/// How much of `output` can be shown: all of it but a frame begun and not
/// yet ended (and a marker cut in two at its end).
pub fn whole_frames(output: &[u8]) -> usize {
    let find = |marker: &[u8], from: usize| {
        output[from..]
            .windows(marker.len())
            .position(|w| w == marker)
            .map(|at| from + at)
    };
    let mut shown = 0;
    loop {
        match find(FRAME_BEGINS, shown) {
            None => break,
            Some(begins) => match find(FRAME_ENDS, begins) {
                Some(ends) => shown = ends + FRAME_ENDS.len(),
                None => return begins,
            },
        }
    }
    // A marker may be cut at the end: keep what could be its start.
    let tail = (1..FRAME_BEGINS.len())
        .rev()
        .find(|&n| output.len() >= n && FRAME_BEGINS.starts_with(&output[output.len() - n..]));
    output.len() - tail.unwrap_or(0).min(output.len() - shown)
}

impl Session {
    /// Starts `tidings args...` in a `cols` x `rows` terminal, with its
    /// state and config in a fresh home.
    pub fn start(args: &[&str], cols: u16, rows: u16) -> Session {
        Self::start_with_env(args, cols, rows, &[])
    }

    pub fn start_with_env(args: &[&str], cols: u16, rows: u16, env: &[(&str, &str)]) -> Session {
        let here = std::env::current_dir().unwrap();
        Self::start_program(
            env!("CARGO_BIN_EXE_tidings"),
            args,
            &here,
            (cols, rows),
            env,
        )
    }

    /// Starts any program in `dir`, in a terminal of `size` (columns,
    /// rows), with a fresh home.
    pub fn start_program(
        program: &str,
        args: &[&str],
        dir: &std::path::Path,
        (cols, rows): (u16, u16),
        env: &[(&str, &str)],
    ) -> Session {
        let home = tempfile::tempdir().unwrap();
        let pair = native_pty_system()
            .openpty(PtySize {
                rows,
                cols,
                pixel_width: 0,
                pixel_height: 0,
            })
            .unwrap();
        let mut command = CommandBuilder::new(program);
        command.args(args);
        command.cwd(dir);
        command.env("HOME", home.path());
        command.env("XDG_STATE_HOME", home.path().join("state"));
        command.env("XDG_CONFIG_HOME", home.path().join("config"));
        command.env("XDG_CACHE_HOME", home.path().join("cache"));
        command.env("TERM", "xterm-256color");
        command.env_remove("NO_COLOR");
        for (key, value) in env {
            command.env(key, value);
        }
        let child = pair.slave.spawn_command(command).unwrap();
        drop(pair.slave);
        let parser = Arc::new(Mutex::new(vt100::Parser::new_with_callbacks(
            rows.try_into().unwrap(),
            cols.try_into().unwrap(),
            0,
            Requests::default(),
        )));
        let mut reader = pair.master.try_clone_reader().unwrap();
        let sink = Arc::clone(&parser);
        let transcript = Arc::new(Mutex::new(Vec::new()));
        let record = Arc::clone(&transcript);
        let stop_reading = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let stop = Arc::clone(&stop_reading);
        let reader = std::thread::spawn(move || {
            let mut buf = [0u8; 8192];
            // What arrived of a frame not yet ended: the screen is only
            // ever read between frames, never half drawn.
            let mut unfinished = Vec::new();
            while let Ok(n) = reader.read(&mut buf) {
                if n == 0 || stop.load(std::sync::atomic::Ordering::Relaxed) {
                    break;
                }
                record.lock().unwrap().extend_from_slice(&buf[..n]);
                unfinished.extend_from_slice(&buf[..n]);
                let whole = whole_frames(&unfinished);
                sink.lock().unwrap().process(&unfinished[..whole]);
                unfinished.drain(..whole);
            }
            sink.lock().unwrap().process(&unfinished);
        });
        let writer = pair.master.take_writer().unwrap();
        let size = PtySize {
            rows,
            cols,
            pixel_width: 0,
            pixel_height: 0,
        };
        Session {
            parser,
            writer,
            child,
            master: Some(pair.master),
            reader: Some(reader),
            stop_reading,
            size,
            home,
            transcript,
        }
    }

    /// Everything written so far, escape sequences and all.
    pub fn transcript(&self) -> String {
        String::from_utf8_lossy(&self.transcript.lock().unwrap()).into_owned()
    }

    pub fn screen(&self) -> String {
        self.parser.lock().unwrap().screen().contents()
    }

    pub fn with_parser<T>(&self, f: impl FnOnce(&vt100::Parser<Requests>) -> T) -> T {
        f(&self.parser.lock().unwrap())
    }

    /// Waits until the screen shows `text`; panics with the screen if it
    /// never does.
    pub fn wait_for(&self, text: &str) -> String {
        self.wait_until(
            |screen| screen.contains(text),
            &format!("{text:?} on screen"),
        )
    }

    /// Waits until every one of `texts` is on the screen: a frame is
    /// drawn top to bottom, and on a busy machine it can be read half
    /// drawn, so a test that reads several parts of it waits for them all.
    pub fn wait_for_all(&self, texts: &[&str]) -> String {
        self.wait_until(
            |s| texts.iter().all(|t| s.contains(t)),
            &texts.join(" and "),
        )
    }

    pub fn wait_until(&self, ok: impl Fn(&str) -> bool, what: &str) -> String {
        let start = Instant::now();
        loop {
            let screen = self.screen();
            if ok(&screen) {
                return screen;
            }
            if start.elapsed() > WAIT {
                panic!("timed out waiting for {what}; the screen:\n{screen}");
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    pub fn send(&mut self, keys: &str) {
        self.writer.write_all(keys.as_bytes()).unwrap();
        self.writer.flush().unwrap();
    }

    /// Closes the terminal under the program, as closing its window does.
    pub fn hang_up(&mut self) {
        self.stop_reading
            .store(true, std::sync::atomic::Ordering::Relaxed);
        // A resize makes the program redraw, which wakes the reader thread
        // so it can let go of its copy of the master.
        if let Some(master) = &self.master {
            master
                .resize(PtySize {
                    cols: self.size.cols - 1,
                    ..self.size
                })
                .unwrap();
        }
        if let Some(reader) = self.reader.take() {
            reader.join().unwrap();
        }
        self.writer = Box::new(std::io::sink());
        self.master = None;
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().unwrap()
    }

    pub fn signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args([&format!("-{name}"), &self.pid().to_string()])
            .status()
            .unwrap();
        assert!(status.success());
    }

    /// The exit code, once the program has ended.
    pub fn wait_exit(&mut self) -> u32 {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                // The reader thread ends once it has taken the last bytes
                // (the terminal's other side closed with the program).
                if let Some(reader) = self.reader.take() {
                    reader.join().unwrap();
                }
                return status.exit_code();
            }
            if start.elapsed() > WAIT {
                let _ = self.child.kill();
                panic!("tidings did not exit; the screen:\n{}", self.screen());
            }
            std::thread::sleep(Duration::from_millis(20));
        }
    }

    /// The terminal is as it was found: main screen, cursor shown, no mouse
    /// reporting.
    pub fn assert_restored(&self) {
        self.with_parser(|p| {
            let screen = p.screen();
            assert!(!screen.alternate_screen(), "still on the alternate screen");
            assert!(!screen.hide_cursor(), "the cursor is still hidden");
            assert_eq!(
                screen.mouse_protocol_mode(),
                vt100::MouseProtocolMode::None,
                "mouse reporting left on"
            );
        });
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        // Kill before the terminal closes, so the program never sees it go.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub const TAB: &str = "\t";
pub const ENTER: &str = "\r";
pub const BACKSPACE: &str = "\x7f";
