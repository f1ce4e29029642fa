//! The one place rapport reads the clock.
//!
//! Everything else takes `now` as an argument. `RAPPORT_NOW` (RFC 3339, e.g.
//! `2026-11-22T09:00:00Z`) overrides the system clock so tests and `rapport demo`
//! can play months of a relationship in seconds. With `RAPPORT_NOW_RUNS=1` as well, the
//! clock starts at `RAPPORT_NOW` and then runs at real speed, so a long-lived daemon in a
//! test sees time pass honestly (a nudge comes due while it waits). This module must
//! never be called from the pure core (`crate::core`).

use anyhow::{Context, Result};
use jiff::Timestamp;

/// The environment variable that overrides the clock.
pub const NOW_ENV: &str = "RAPPORT_NOW";

/// Set to `1` to let a `RAPPORT_NOW` clock run from the process's start.
pub const RUNS_ENV: &str = "RAPPORT_NOW_RUNS";

/// When this process first read the clock: the origin of a running `RAPPORT_NOW`.
static STARTED: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();

/// The current instant: `RAPPORT_NOW` when set (running on if `RAPPORT_NOW_RUNS=1`),
/// else the system clock.
pub fn now() -> Result<Timestamp> {
    let started = *STARTED.get_or_init(std::time::Instant::now);
    match std::env::var(NOW_ENV) {
        Ok(text) if !text.trim().is_empty() => {
            let base = parse_now(&text)?;
            if std::env::var(RUNS_ENV).is_ok_and(|v| v.trim() == "1") {
                let ran = jiff::SignedDuration::try_from(started.elapsed())
                    .context("the clock ran past what it can represent")?;
                Ok(base.checked_add(ran)?)
            } else {
                Ok(base)
            }
        }
        _ => Ok(system_now()),
    }
}

/// The system clock itself, ignoring `RAPPORT_NOW`: for the daemon's bookkeeping when the
/// override cannot be read (a malformed `RAPPORT_NOW` must not stop a turn from being
/// recorded). The one call of `Timestamp::now` in rapport.
#[allow(clippy::disallowed_methods)]
pub fn system_now() -> Timestamp {
    Timestamp::now()
}

fn parse_now(text: &str) -> Result<Timestamp> {
    text.trim().parse::<Timestamp>().with_context(|| {
        format!("{NOW_ENV}={text:?} is not an RFC 3339 time; use e.g. 2026-11-22T09:00:00Z")
    })
}

#[cfg(test)]
mod tests;
