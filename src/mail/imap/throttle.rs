//! A server asking rapport to slow down. Microsoft 365 answers a burst of logins or
//! commands with `NO [THROTTLED] … Suggested Backoff Time: 299961 ms`, `[UNAVAILABLE]`
//! (RFC 5530: try again later), or `User is authenticated but not connected` (its
//! back end is not ready for the session); other servers say `[LIMIT]` (RFC 5530) or
//! close with a BYE carrying the same words. Each means: stop, and come back later.
//!
//! [`hint`] reads the server's words (in an error's text, whatever wraps them) and
//! says how long to wait: the server's own figure when it gives one, capped at
//! [`MAX_WAIT`], else [`DEFAULT_WAIT`]. This module only reads text; the daemon obeys
//! (`daemon::turn`). It must never shorten a wait the server asked for below the
//! daemon's own backoff, nor return a wait for text that does not ask for one (a
//! refused password is not a throttle).

use std::time::Duration;

/// The longest wait obeyed: half an hour, so a misread figure cannot stall rapport for
/// a day (Microsoft's hints seen in the wild stay near five minutes).
pub const MAX_WAIT: Duration = Duration::from_secs(30 * 60);

/// The wait when the server asks for one without a figure.
pub const DEFAULT_WAIT: Duration = Duration::from_secs(60);

/// The words that mark a throttle, lower-cased.
const MARKS: [&str; 5] = [
    "[throttled]",
    "[unavailable]",
    "[limit]",
    "user is authenticated but not connected",
    "suggested backoff time",
];

/// How long the server asked rapport to wait, if `text` (its words, wrapped or not) is
/// a throttle.
pub fn hint(text: &str) -> Option<Duration> {
    let lower = text.to_ascii_lowercase();
    if !MARKS.iter().any(|m| lower.contains(m)) {
        return None;
    }
    Some(suggested(&lower).unwrap_or(DEFAULT_WAIT).min(MAX_WAIT))
}

/// "Suggested Backoff Time: 299961 ms" (or "… s" / "seconds"), read from lower-cased text.
fn suggested(lower: &str) -> Option<Duration> {
    let (_, rest) = lower.split_once("suggested backoff time")?;
    let rest = rest.trim_start_matches([':', ' ', '=']);
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let n: u64 = digits.parse().ok()?;
    let unit = rest.get(digits.len()..).unwrap_or("").trim_start();
    Some(if unit.starts_with("ms") || unit.starts_with("milli") {
        Duration::from_millis(n)
    } else {
        Duration::from_secs(n)
    })
}

#[cfg(test)]
mod tests;
