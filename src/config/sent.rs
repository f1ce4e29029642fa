//! The `[imap]` keys that decide whether rapport files a copy of what it sent in the
//! Sent folder (`save_sent`) and how long it first waits for the server to file one
//! (`save_sent_wait`). This module only reads the config; it must never touch the
//! mailbox. The wait is written either as seconds or as a duration ("10m",
//! "2 minutes", "PT10M"); jiff parses the duration text, so no parser is hand-written.

use serde::{Deserialize, Deserializer, Serialize};

/// Whether a copy of each sent email goes to the Sent folder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum SaveSent {
    /// Look for the server's own copy first; append one if none came within the wait.
    #[default]
    Auto,
    /// Append a copy at the next sync, without waiting for the server's.
    Always,
    /// Never write to the mailbox.
    Never,
}

/// The default wait for the server's own copy: ten minutes.
pub fn default_wait() -> u64 {
    600
}

/// Reads `save_sent_wait` as whole seconds from a number or a duration text.
pub fn de_wait<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Seconds(u64),
        Text(String),
    }
    match Raw::deserialize(d)? {
        Raw::Seconds(s) => Ok(s),
        Raw::Text(t) => parse_wait(&t).map_err(serde::de::Error::custom),
    }
}

/// Parses a duration text ("10m", "90 seconds", "PT10M") into whole seconds.
pub fn parse_wait(text: &str) -> Result<u64, String> {
    let bad = || {
        format!(
            "{text:?} is not a duration; write seconds (600) or a duration such as \"10m\" or \"2 minutes\""
        )
    };
    let d: jiff::SignedDuration = text.trim().parse().map_err(|_| bad())?;
    u64::try_from(d.as_secs()).map_err(|_| bad())
}

#[cfg(test)]
mod tests;
