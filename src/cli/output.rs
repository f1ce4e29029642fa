//! Everything the CLI writes to stdout and stderr goes through here.
//!
//! `println!` panics when stdout is closed (`rapport queue | head -1`) or the disk is
//! full; this module turns those into values instead. A write to stdout returns
//! [`StdoutError`], which `?` carries up to `cli::main`: a closed pipe ends the command
//! quietly with success (the reader has what it wanted), any other failure is reported
//! once, with a fix, and exits non-zero. Writes to stderr never fail the command (there is
//! nowhere left to report that failure). This module must never panic and never retry.

use std::fmt;
use std::io::{self, Write};

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

/// Writes formatted text to stdout.
pub fn write_out(args: fmt::Arguments<'_>) -> Result<(), StdoutError> {
    io::stdout().lock().write_fmt(args).map_err(StdoutError)
}

/// Flushes stdout (text written with `out!` without a newline sits in its buffer).
pub fn flush() -> Result<(), StdoutError> {
    io::stdout().lock().flush().map_err(StdoutError)
}

/// Writes formatted text to stderr; a failure there is ignored on purpose.
pub fn write_err(args: fmt::Arguments<'_>) {
    let _ = io::stderr().lock().write_fmt(args);
}

/// Asks a yes/no question on stderr and reads the answer from stdin; only "y" or
/// "yes" is a yes (end of input is a no).
pub fn confirm(question: &str) -> Result<bool, io::Error> {
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
