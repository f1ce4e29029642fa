//! Everything the CLI writes to stdout and stderr goes through here.
//!
//! `println!` panics when stdout is closed (`rapport queue | head -1`) or the disk is
//! full; this module turns those into values instead. A write to stdout returns
//! [`StdoutError`], which `?` carries up to `cli::main`: a closed pipe ends the command
//! quietly with success (the reader has what it wanted), any other failure is reported
//! once, with a fix, and exits non-zero. Writes to stderr never fail the command (there is
//! nowhere left to report that failure). Text (not [`write_bytes`]) passes through
//! [`visible`] on its way: no control character or bidi control from mail reaches the
//! terminal. This module must never panic and never retry.

use std::fmt;
use std::io::{self, IsTerminal, Write};
use std::sync::{Mutex, MutexGuard, OnceLock, PoisonError};

mod visible;
pub use visible::{one_line, visible};

/// The formatted text, shown safely (see [`visible`]).
fn safe_text(args: fmt::Arguments<'_>) -> String {
    let text = args
        .as_str()
        .map_or_else(|| fmt::format(args), str::to_string);
    match visible(&text) {
        std::borrow::Cow::Borrowed(_) => text,
        std::borrow::Cow::Owned(shown) => shown,
    }
}

/// Writing to standard output failed.
#[derive(Debug)]
pub struct StdoutError(pub io::Error);

impl StdoutError {
    /// The reader went away (`| head`): not an error for the user.
    pub fn is_closed_pipe(&self) -> bool {
        self.0.kind() == io::ErrorKind::BrokenPipe
    }
}

impl fmt::Display for StdoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "could not write to standard output: {}; check the disk or file it goes to \
             (is it full?), or run the command without redirecting its output",
            self.0
        )
    }
}

impl std::error::Error for StdoutError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&self.0)
    }
}

/// What is written to stdout but not yet handed to the kernel. Rust's stdout flushes at
/// every newline, so a 10,000-line listing into a pipe or file cost 10,000 `write` calls
/// (most of `contacts list`'s time); output that does not go to a terminal is collected
/// here and written in blocks, as C's stdio does. A terminal still sees each line at once.
static PENDING: Mutex<Vec<u8>> = Mutex::new(Vec::new());

/// How much may wait before it is written.
const BLOCK: usize = 64 * 1024;

fn to_terminal() -> bool {
    static TERMINAL: OnceLock<bool> = OnceLock::new();
    *TERMINAL.get_or_init(|| io::stdout().is_terminal())
}

fn pending() -> MutexGuard<'static, Vec<u8>> {
    PENDING.lock().unwrap_or_else(PoisonError::into_inner)
}

/// Hands `buf` to stdout and empties it.
fn drain(buf: &mut Vec<u8>) -> Result<(), StdoutError> {
    if buf.is_empty() {
        return Ok(());
    }
    let mut out = io::stdout().lock();
    let written = out.write_all(buf).and_then(|()| out.flush());
    buf.clear();
    written.map_err(StdoutError)
}

/// Writes formatted text to stdout.
pub fn write_out(args: fmt::Arguments<'_>) -> Result<(), StdoutError> {
    let text = safe_text(args);
    if to_terminal() {
        return io::stdout()
            .lock()
            .write_all(text.as_bytes())
            .map_err(StdoutError);
    }
    let mut buf = pending();
    buf.extend_from_slice(text.as_bytes());
    if buf.len() >= BLOCK {
        drain(&mut buf)?;
    }
    Ok(())
}

/// Writes bytes to stdout as they are (a raw message, a map file), in order with the
/// text: the one way out that is not made [`visible`], for output whose exact bytes are
/// the point (`queue show --raw`).
pub fn write_bytes(bytes: &[u8]) -> Result<(), StdoutError> {
    let mut buf = pending();
    drain(&mut buf)?;
    let mut out = io::stdout().lock();
    out.write_all(bytes)
        .and_then(|()| out.flush())
        .map_err(StdoutError)
}

/// Writes out everything waiting and flushes stdout (also text written with `out!`
/// without a newline). Called before the command ends, before it reads the keyboard,
/// and before an error is reported, so nothing is lost or out of order.
pub fn flush() -> Result<(), StdoutError> {
    drain(&mut pending())?;
    io::stdout().lock().flush().map_err(StdoutError)
}

/// Writes formatted text to stderr; a failure there is ignored on purpose.
pub fn write_err(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_all(safe_text(args).as_bytes());
}

/// Asks a yes/no question on stderr and reads the answer from stdin; only "y" or
/// "yes" is a yes (end of input is a no).
pub fn confirm(question: &str) -> Result<bool, io::Error> {
    let _ = flush();
    write_err(format_args!("{question}"));
    let _ = io::stderr().flush();
    let mut answer = String::new();
    io::stdin().read_line(&mut answer)?;
    Ok(matches!(answer.trim().to_lowercase().as_str(), "y" | "yes"))
}

/// The error that ended a command, if it was a failed write to stdout.
pub fn stdout_error(e: &anyhow::Error) -> Option<&StdoutError> {
    e.chain().find_map(|c| c.downcast_ref::<StdoutError>())
}

/// `println!` that returns `Result<(), StdoutError>` instead of panicking.
macro_rules! outln {
    () => { $crate::cli::output::write_out(format_args!("\n")) };
    ($($arg:tt)*) => {
        $crate::cli::output::write_out(format_args!("{}\n", format_args!($($arg)*)))
    };
}

/// `print!` that returns `Result<(), StdoutError>` instead of panicking.
macro_rules! out {
    ($($arg:tt)*) => { $crate::cli::output::write_out(format_args!($($arg)*)) };
}

/// `eprintln!` that cannot panic.
macro_rules! errln {
    ($($arg:tt)*) => {
        $crate::cli::output::write_err(format_args!("{}\n", format_args!($($arg)*)))
    };
}

pub(crate) use {errln, out, outln};

/// The word that goes with a count: `plural(1, "email", "emails")` is "email".
pub fn plural<'a>(n: usize, one: &'a str, many: &'a str) -> &'a str {
    if n == 1 { one } else { many }
}
