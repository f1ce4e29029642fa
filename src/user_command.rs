//! The one way rapport runs a command the user configured: `password_command`,
//! `token_command`, a feed's `url_command`, the digest's notifier.
//!
//! Every such command runs with `sh -c` in its own process group, with a deadline: past
//! it the whole group is killed and the caller hears `TimedOut`, so a pinentry that waits
//! for a passphrase or a notifier that hangs can never stall a sync, a send or a daemon
//! turn. Standard output is read on the side (capped at 1 MiB) so a chatty command cannot
//! block on a full pipe; standard error is closed.
//!
//! This module must never log, print or keep what a command wrote: its callers decide
//! what of it, if anything, may be shown (a secret never is).
//!
//! The timeout is hand-written (a poll on `try_wait` and a kill of the process group)
//! because the standard library has no wait-with-timeout and these few lines do not
//! justify a dependency.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::io::{Read, Write};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The most of a command's standard output that is read.
const MAX_OUTPUT: u64 = 1 << 20;

/// What to run and how.
pub struct UserCommand<'a> {
    /// The shell text, run with `sh -c`.
    pub shell: &'a str,
    /// Positional arguments after the shell text (`$1`, `$2`, …).
    pub args: &'a [&'a str],
    /// Written to the command's standard input, then closed; `None` closes it at once.
    pub stdin: Option<&'a [u8]>,
    /// Whether the caller wants the standard output (else it is inherited).
    pub capture: bool,
    /// Environment variables removed before the command starts (a secret rapport read
    /// from the environment is not handed on).
    pub env_remove: &'a [&'a str],
    /// How long it may run.
    pub timeout: Duration,
}

/// How a command failed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RunError {
    /// It could not be started at all (the reason is the OS error's kind).
    NotStarted(String),
    /// It ran past its deadline and was killed with everything it started.
    TimedOut,
    /// It ended unsuccessfully: its exit status as text, and the code when it exited
    /// (127: the shell found no such command; 126: found but not executable).
    Failed { status: String, code: Option<i32> },
}

/// Runs `cmd`; returns its standard output when `capture` is set (else empty).
pub fn run(cmd: &UserCommand<'_>) -> Result<Vec<u8>, RunError> {
    // Every password variable a loaded config named is left out (`secrets::scrubbed`).
    let mut command = crate::secrets::scrubbed(Command::new("sh"));
    command
        .arg("-c")
        .arg(cmd.shell)
        .arg("rapport")
        .args(cmd.args)
        .stdin(if cmd.stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(if cmd.capture {
            Stdio::piped()
        } else {
            Stdio::inherit()
        })
        .stderr(Stdio::null());
    for var in cmd.env_remove {
        command.env_remove(var);
    }
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        command.process_group(0);
    }
    let mut child = command
        .spawn()
        .map_err(|e| RunError::NotStarted(e.kind().to_string()))?;
    if let (Some(input), Some(mut pipe)) = (cmd.stdin, child.stdin.take()) {
        // A command that does not read its input must not block the write: on the side.
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let (tx, rx) = std::sync::mpsc::channel();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut buf = Vec::new();
            let _ = out.take(MAX_OUTPUT).read_to_end(&mut buf);
            let _ = tx.send(buf);
        });
    }
    let status = wait_until(&mut child, Instant::now() + cmd.timeout)?;
    if !status.success() {
        return Err(RunError::Failed {
            status: status.to_string(),
            code: status.code(),
        });
    }
    // The command has exited; anything it left running that holds the pipe open gets a
    // moment, then is ignored.
    Ok(if cmd.capture {
        rx.recv_timeout(Duration::from_secs(2)).unwrap_or_default()
    } else {
        Vec::new()
    })
}

fn wait_until(
    child: &mut std::process::Child,
    deadline: Instant,
) -> Result<std::process::ExitStatus, RunError> {
    // Short pauses first: most commands (`pass`, a keyring lookup) end within a few
    // milliseconds, and every sync and send waits for this one.
    let mut pause = Duration::from_millis(1);
    loop {
        match child.try_wait() {
            Ok(Some(status)) => return Ok(status),
            Ok(None) if Instant::now() < deadline => {
                std::thread::sleep(pause);
                pause = (pause * 2).min(Duration::from_millis(10));
            }
            Ok(None) | Err(_) => {
                stop_group(child);
                return Err(RunError::TimedOut);
            }
        }
    }
}

/// Kills the command and everything it started (its process group), and reaps it.
fn stop_group(child: &mut std::process::Child) {
    #[cfg(unix)]
    if let Ok(pid) = i32::try_from(child.id()) {
        // SAFETY: kill(2) only sends a signal; a negative pid names the process group
        // this command was started in (its own), so nothing else is signalled.
        #[allow(unsafe_code, reason = "kill(2) has no safe wrapper in std")]
        unsafe {
            libc::kill(-pid, libc::SIGKILL);
        }
    }
    let _ = child.kill();
    let _ = child.wait();
}

#[cfg(test)]
mod tests;
