//! A token helper may print JSON instead of a bare token, to say when its sign-in ends:
//! `{"access_token": "…", "expires_at": "2026-12-01T09:00:00Z"}` (`expires_at` as RFC
//! 3339 or Unix seconds). `expires_at` is when the helper can no longer get tokens on its
//! own — the refresh token's end (Google "Testing" projects: 7 days) — not the hour an
//! access token lives. Past it, the token is refused here ([`SecretError::Expired`]),
//! before any server sees it; within [`WARN_AHEAD_DAYS`] it is noted for
//! `crate::login_health` to warn about ([`take_expiries`]).
//!
//! This module must never keep or log the token, nor put any of the line in an error.

use std::sync::Mutex;

use jiff::Timestamp;

use super::{Secret, SecretError};

/// How many days ahead an ending sign-in is warned about.
pub const WARN_AHEAD_DAYS: i64 = 3;

/// The sign-in ends the helpers reported since the last [`take_expiries`]: (section,
/// when). Only instants, never a token.
static EXPIRIES: Mutex<Vec<(String, Timestamp)>> = Mutex::new(Vec::new());

/// The ends reported since the last call, each section's latest.
pub fn take_expiries() -> Vec<(String, Timestamp)> {
    let mut v = EXPIRIES
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner);
    std::mem::take(&mut *v)
}

#[derive(serde::Deserialize)]
struct Answer {
    access_token: String,
    #[serde(default)]
    expires_at: Option<serde_json::Value>,
}

/// Reads a helper's first line when it is a JSON object; `None` when it is a bare token.
pub fn read(section: &str, line: &str, now: Timestamp) -> Option<Result<Secret, SecretError>> {
    if !line.trim_start().starts_with('{') {
        return None;
    }
    let bad = || SecretError::BadJson {
        section: section.to_string(),
    };
    let Ok(answer) = serde_json::from_str::<Answer>(line) else {
        return Some(Err(bad()));
    };
    if answer.access_token.is_empty() {
        return Some(Err(bad()));
    }
    let ends = match &answer.expires_at {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => match s.parse::<Timestamp>() {
            Ok(t) => Some(t),
            Err(_) => return Some(Err(bad())),
        },
        Some(serde_json::Value::Number(n)) => {
            match n.as_i64().and_then(|s| Timestamp::from_second(s).ok()) {
                Some(t) => Some(t),
                None => return Some(Err(bad())),
            }
        }
        Some(_) => return Some(Err(bad())),
    };
    if let Some(at) = ends {
        if at <= now {
            return Some(Err(SecretError::Expired {
                section: section.to_string(),
                at: at.to_string(),
            }));
        }
        EXPIRIES
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .push((section.to_string(), at));
    }
    Some(Ok(Secret(answer.access_token)))
}

#[cfg(test)]
mod tests;
