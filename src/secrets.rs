//! Passwords and access tokens, fetched at the moment a connection needs one and dropped
//! after.
//!
//! A password comes from `password_command` (run with `sh -c`, the first line of its
//! standard output) or from the environment variable named by `password_env`; an OAuth2
//! access token from `token_command` the same way. Every command is stopped after
//! `secret_timeout_seconds` (a gpg pinentry or a locked keyring must not hang a send).
//!
//! This module must never log, print, store or put a secret into an error message — nor
//! the command's own words (its output or its error text can hold a passphrase): a failure
//! is reported by which key failed and its exit status only.
//!
//! A password read from `password_env` stays in rapport's environment (removing it is
//! not safe while other threads run), so every command rapport starts — secret
//! commands, the editor, the digest notifier — goes through [`scrubbed`], which leaves
//! out each variable a loaded config named (issue 20.13: a password command, or any
//! child, inherited the SMTP password).
//!
//! The commands run through `crate::user_command`, the one bounded runner.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::process::Command;
use std::time::Duration;

use crate::config::{AuthMethod, Login};
use crate::user_command::{self, RunError, UserCommand};

pub mod sasl;
pub mod token_json;

/// The environment variables that hold passwords (`password_env` of the loaded
/// configs): never passed on to a child process.
static SECRET_VARS: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Keeps the variable `name` (it holds a password) from every command started after.
pub fn keep_from_children(name: &str) {
    let mut vars = SECRET_VARS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    if !vars.iter().any(|v| v == name) {
        vars.push(name.to_string());
    }
}

/// `command` with every password variable removed from the environment it passes on.
pub fn scrubbed(mut command: Command) -> Command {
    let vars = SECRET_VARS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    for var in vars.iter() {
        command.env_remove(var);
    }
    command
}

/// A password or token that does not show itself in `Debug` output.
pub struct Secret(String);

impl Secret {
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Debug for Secret {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Secret(..)")
    }
}

/// Why a secret could not be had. Its text names the config key and the fix, never
/// what the command printed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretError {
    #[error(
        "[{section}] password_env names ${var}, but it is not set (or empty); export it in the environment rapport runs in (for systemd: an EnvironmentFile or `systemctl --user set-environment`)"
    )]
    EnvMissing { section: String, var: String },
    #[error("[{section}] has no {key}")]
    NotConfigured { section: String, key: &'static str },
    #[error(
        "[{section}] {key} could not be started ({reason}); check that `sh` works in the environment rapport runs in"
    )]
    NotStarted {
        section: String,
        key: &'static str,
        reason: String,
    },
    #[error(
        "[{section}] {key} failed ({status}); run it yourself in a terminal to see why (rapport does not repeat what it printed, as that could hold a secret)"
    )]
    Failed {
        section: String,
        key: &'static str,
        status: String,
    },
    #[error(
        "[{section}] {key} runs `{program}`, which was not found (exit status 127); install it, or give its full path in {key} (the PATH rapport runs with may be shorter than your shell's, for systemd especially)"
    )]
    CommandNotFound {
        section: String,
        key: &'static str,
        program: String,
    },
    #[error(
        "[{section}] {key} runs `{program}`, which cannot be run (exit status 126: not executable or a directory); `chmod +x` it, or fix the path in {key}"
    )]
    NotExecutable {
        section: String,
        key: &'static str,
        program: String,
    },
    #[error(
        "[{section}] {key} gave no answer within {seconds} s and was stopped (it may be waiting for a passphrase or a locked keyring); unlock it first, or raise [{section}] secret_timeout_seconds"
    )]
    TimedOut {
        section: String,
        key: &'static str,
        seconds: u64,
    },
    #[error(
        "[{section}] token_command says its sign-in expired at {at}; sign in again with your token helper (run it yourself in a terminal), and rapport picks it up at its next try"
    )]
    Expired { section: String, at: String },
    #[error(
        "[{section}] token_command printed a line starting with `{{` that is not the JSON rapport reads ({{\"access_token\": \"…\", \"expires_at\": \"RFC 3339 or Unix seconds\"}}); print that, or the bare token"
    )]
    BadJson { section: String },
    #[error("[{section}] {key} printed nothing on its first line; it must print the {what}")]
    Empty {
        section: String,
        key: &'static str,
        what: &'static str,
    },
}

/// The secret `login` calls for: the password, or the access token for OAuth2.
pub fn fetch_for(section: &str, login: &Login) -> Result<Secret, SecretError> {
    let timeout = Duration::from_secs(login.secret_timeout_seconds.max(1));
    match login.auth {
        AuthMethod::Password => fetch_password(
            section,
            login.password_command.as_deref(),
            login.password_env.as_deref(),
            timeout,
        ),
        AuthMethod::Xoauth2 | AuthMethod::Oauthbearer => match &login.token_command {
            Some(cmd) => run(section, "token_command", cmd, timeout, "access token"),
            None => Err(SecretError::NotConfigured {
                section: section.to_string(),
                key: "token_command",
            }),
        },
    }
}

/// The first output line of the command `key` of `[section]` (a calendar's
/// `url_command`, whose answer is a secret feed address), through the bounded runner.
pub fn fetch_command(
    section: &str,
    key: &'static str,
    cmd: &str,
    what: &'static str,
) -> Result<Secret, SecretError> {
    run(section, key, cmd, Duration::from_secs(30), what)
}

fn fetch_password(
    section: &str,
    command: Option<&str>,
    env: Option<&str>,
    timeout: Duration,
) -> Result<Secret, SecretError> {
    if let Some(var) = env {
        return match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Secret(v)),
            _ => Err(SecretError::EnvMissing {
                section: section.to_string(),
                var: var.to_string(),
            }),
        };
    }
    match command {
        Some(cmd) => run(section, "password_command", cmd, timeout, "password"),
        None => Err(SecretError::NotConfigured {
            section: section.to_string(),
            key: "password_command or password_env",
        }),
    }
}

/// Runs `cmd` through the one bounded runner (`crate::user_command`, which also leaves
/// out the password variables) and returns the first line of its output.
fn run(
    section: &str,
    key: &'static str,
    cmd: &str,
    timeout: Duration,
    what: &'static str,
) -> Result<Secret, SecretError> {
    let out = user_command::run(&UserCommand {
        shell: cmd,
        args: &[],
        stdin: None,
        capture: true,
        env_remove: &[],
        timeout,
    })
    .map_err(|e| match e {
        RunError::NotStarted(reason) => SecretError::NotStarted {
            section: section.to_string(),
            key,
            reason,
        },
        RunError::TimedOut => SecretError::TimedOut {
            section: section.to_string(),
            key,
            seconds: timeout.as_secs(),
        },
        RunError::Failed { status, code } => {
            not_runnable(section, key, cmd, code).unwrap_or_else(|| SecretError::Failed {
                section: section.to_string(),
                key,
                status,
            })
        }
    })?;
    let text = String::from_utf8_lossy(&out);
    let line = text.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(SecretError::Empty {
            section: section.to_string(),
            key,
            what,
        });
    }
    if key == "token_command" {
        let now = crate::clock::now().unwrap_or_else(|_| crate::clock::system_now());
        if let Some(read) = token_json::read(section, line, now) {
            return read;
        }
    }
    Ok(Secret(line.to_string()))
}

/// `sh -c` answers 127 for a command it cannot find and 126 for one it cannot run: each
/// said in words, with the program's name only (the rest of the line may carry a
/// passphrase, and so may a leading `VAR=value`).
fn not_runnable(
    section: &str,
    key: &'static str,
    cmd: &str,
    code: Option<i32>,
) -> Option<SecretError> {
    let program = match cmd.split_whitespace().next() {
        Some(word) if !word.contains('=') => word.to_string(),
        _ => "its command".to_string(),
    };
    let section = section.to_string();
    match code {
        Some(127) => Some(SecretError::CommandNotFound {
            section,
            key,
            program,
        }),
        Some(126) => Some(SecretError::NotExecutable {
            section,
            key,
            program,
        }),
        _ => None,
    }
}

#[cfg(test)]
mod tests;
