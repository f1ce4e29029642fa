//! Passwords, fetched at the moment a connection needs one and dropped after.
//!
//! A password comes from `password_command` (run with `sh -c`, the first line of its
//! standard output) or from the environment variable named by `password_env`. This
//! module must never log, print, store or put a password into an error message.

use std::process::{Command, Stdio};

use anyhow::{Result, bail};

/// A password that does not show itself in `Debug` output.
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

/// Fetches the password for `section` (`smtp` or `imap`, used in messages).
pub fn fetch(section: &str, command: Option<&str>, env: Option<&str>) -> Result<Secret> {
    if let Some(var) = env {
        return match std::env::var(var) {
            Ok(v) if !v.is_empty() => Ok(Secret(v)),
            _ => bail!(
                "[{section}] password_env names ${var}, but it is not set (or empty); export it in the environment rapport runs in (for systemd: an EnvironmentFile or `systemctl --user set-environment`)"
            ),
        };
    }
    let Some(cmd) = command else {
        bail!("[{section}] has no password_command or password_env");
    };
    let out = Command::new("sh")
        .arg("-c")
        .arg(cmd)
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output();
    let out = match out {
        Ok(o) => o,
        Err(e) => bail!("[{section}] password_command could not be started: {e}"),
    };
    if !out.status.success() {
        // Its stderr is the command's own complaint (e.g. "gpg: decryption failed"), not
        // the secret; still, show only its first line.
        let err = String::from_utf8_lossy(&out.stderr);
        let first = err.lines().next().unwrap_or("").trim();
        bail!(
            "[{section}] password_command failed ({}){}; run it yourself to check: {cmd}",
            out.status,
            if first.is_empty() {
                String::new()
            } else {
                format!(": {first}")
            }
        );
    }
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        bail!(
            "[{section}] password_command printed nothing on its first line; it must print the password: {cmd}"
        );
    }
    Ok(Secret(line.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn first_line_of_command_output() {
        let s = fetch("smtp", Some("printf 'pw one\\nsecond\\n'"), None).unwrap();
        assert_eq!(s.expose(), "pw one");
        assert_eq!(format!("{s:?}"), "Secret(..)");
    }

    #[test]
    fn failures_do_not_leak_the_output() {
        let e = fetch("imap", Some("printf '%s%s' hun ter2; exit 3"), None)
            .unwrap_err()
            .to_string();
        assert!(!e.contains("hunter2"), "{e}");
        assert!(e.contains("[imap]"), "{e}");
        let e = fetch("imap", Some("true"), None).unwrap_err().to_string();
        assert!(e.contains("printed nothing"), "{e}");
        let e = fetch("smtp", None, Some("RAPPORT_TEST_SURELY_UNSET_VAR"))
            .unwrap_err()
            .to_string();
        assert!(e.contains("RAPPORT_TEST_SURELY_UNSET_VAR"), "{e}");
    }
}
