//! The one place rapport reads the clock.
//!
//! Everything else takes `now` as an argument. `RAPPORT_NOW` (RFC 3339, e.g.
//! `2026-11-22T09:00:00Z`) overrides the system clock so tests and `rapport demo`
//! can play months of a relationship in seconds. This module must never be called
//! from the pure core (`crate::core`).

use anyhow::{Context, Result};
use jiff::Timestamp;

/// The environment variable that overrides the clock.
pub const NOW_ENV: &str = "RAPPORT_NOW";

/// The current instant: `RAPPORT_NOW` when set, else the system clock.
pub fn now() -> Result<Timestamp> {
    match std::env::var(NOW_ENV) {
        Ok(text) if !text.trim().is_empty() => parse_now(&text),
        _ => Ok(Timestamp::now()),
    }
}

fn parse_now(text: &str) -> Result<Timestamp> {
    text.trim().parse::<Timestamp>().with_context(|| {
        format!("{NOW_ENV}={text:?} is not an RFC 3339 time; use e.g. 2026-11-22T09:00:00Z")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_rfc3339_with_offset() {
        let t = parse_now("2026-11-22T10:00:00+01:00").unwrap();
        assert_eq!(t.to_string(), "2026-11-22T09:00:00Z");
    }

    #[test]
    fn rejects_garbage_with_the_variable_named() {
        let err = parse_now("tomorrow").unwrap_err().to_string();
        assert!(err.contains("RAPPORT_NOW"), "{err}");
    }
}
