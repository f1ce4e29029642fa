//! Whether rapport can log in to each server (`smtp`, `imap`): the last failure of the
//! password or token helper, or of the login it fed, kept in the store's `state` table
//! so that `status`, `doctor`, the digest and the daemon's log all say the same thing,
//! and the backoff before the next try, so a broken helper is not run in a tight loop.
//!
//! A login that fails for want of a working credential (the helper failed, timed out,
//! printed nothing or a token that expired; the server refused the password or the
//! token) must never fail a draft: approved drafts wait, still approved, and go out once
//! a login works again (`send::mod`). The helper is run afresh at every try, so a helper
//! fixed meanwhile is picked up without a restart.
//!
//! This module must never hold a secret nor the words a helper printed: the text kept is
//! rapport's own (a [`crate::secrets::SecretError`]) or the server's refusal.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};
use serde::{Deserialize, Serialize};

use crate::store::Store;

/// The servers whose logins are watched, in the order they are reported.
pub const SECTIONS: [&str; 2] = ["smtp", "imap"];

/// The longest wait between two tries of a failing login: 15 minutes, so a fixed helper
/// is picked up soon after.
pub const MAX_BACKOFF_SECONDS: u64 = 900;

/// The state key of `section`'s login health.
fn key(section: &str) -> String {
    format!("login_problem.{section}")
}

/// A login that does not work.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Problem {
    /// `smtp` or `imap`: the config section whose helper or login failed.
    pub section: String,
    /// When the first failure of this run of failures happened.
    pub since: Timestamp,
    /// How many tries failed in a row.
    pub failures: u32,
    /// What failed and what to run, in rapport's words (never a helper's output).
    pub message: String,
    /// The next try is not made before this instant.
    pub retry_at: Timestamp,
}

impl Problem {
    /// One line for `status`, the digest and the log.
    pub fn describe(&self, tz: &jiff::tz::TimeZone) -> String {
        let since = self.since.to_zoned_datetime(tz.clone());
        format!(
            "the [{}] login does not work since {} ({} failed {}): {}; approved emails stay approved and wait for a working login, and rapport tries again by itself",
            self.section,
            since.strftime("%a %Y-%m-%d %H:%M %Z"),
            self.failures,
            if self.failures == 1 { "try" } else { "tries" },
            self.message
        )
    }
}

/// The wait after `failures` failed tries in a row: `retry_seconds`, doubling, at most
/// [`MAX_BACKOFF_SECONDS`].
pub fn backoff(retry_seconds: u64, failures: u32) -> u64 {
    let exp = failures.saturating_sub(1).min(20);
    retry_seconds
        .max(1)
        .saturating_mul(1u64 << exp)
        .min(MAX_BACKOFF_SECONDS)
}

/// The login problem recorded for `section`, if any.
pub fn problem(store: &Store, section: &str) -> Result<Option<Problem>> {
    let Some((value, _)) = store.state(&key(section))? else {
        return Ok(None);
    };
    if value.is_empty() {
        return Ok(None);
    }
    // A value that does not read (written by a later version) is no problem known.
    Ok(serde_json::from_str(&value).ok())
}

/// Every login problem recorded, SMTP first.
pub fn problems(store: &Store) -> Result<Vec<Problem>> {
    let mut out = Vec::new();
    for s in SECTIONS {
        out.extend(problem(store, s)?);
    }
    Ok(out)
}

/// Every login problem of every account of `cfg`: each account's servers are watched
/// apart (`smtp:work`, `imap:work`; the first account's keep the plain names), so one
/// account's broken helper never holds the other's mail.
pub fn problems_of(store: &Store, cfg: &crate::config::Loaded) -> Result<Vec<Problem>> {
    let mut out = problems(store)?;
    for view in cfg.account_views() {
        for s in SECTIONS {
            let section = view.state_key(s);
            if section != s {
                out.extend(problem(store, &section)?);
            }
        }
    }
    Ok(out)
}

/// Records one more failed try of `section`'s login and logs it (an error the first
/// time, a warning after). Returns the problem with its next try.
pub fn record(
    store: &Store,
    section: &str,
    message: &str,
    retry_seconds: u64,
    now: Timestamp,
) -> Result<Problem> {
    let before = problem(store, section)?;
    let failures = before.as_ref().map_or(0, |p| p.failures).saturating_add(1);
    let wait = backoff(retry_seconds, failures);
    let p = Problem {
        section: section.to_string(),
        since: before.map_or(now, |p| p.since),
        failures,
        message: message.to_string(),
        retry_at: now
            .checked_add(SignedDuration::from_secs(
                i64::try_from(wait).unwrap_or(900),
            ))
            .unwrap_or(now),
    };
    store.set_state(&key(section), &serde_json::to_string(&p)?, now)?;
    let next = crate::store::fmt_ts(p.retry_at);
    if failures == 1 {
        tracing::error!(section, retry_at = %next, "login failed: {message}; approved emails wait for a working login");
    } else {
        tracing::warn!(section, failures, retry_at = %next, "login still fails: {message}");
    }
    Ok(p)
}

/// Forgets `section`'s login problem after a login that worked, saying so in the log.
pub fn clear(store: &Store, section: &str, now: Timestamp) -> Result<()> {
    if let Some(p) = problem(store, section)? {
        store.set_state(&key(section), "", now)?;
        tracing::info!(
            section,
            failures = p.failures,
            "the login works again; what waited for it goes now"
        );
    }
    Ok(())
}

/// Whether a try of `section`'s login must wait: the instant it may be made again.
pub fn wait_until(store: &Store, section: &str, now: Timestamp) -> Result<Option<Timestamp>> {
    Ok(problem(store, section)?
        .map(|p| p.retry_at)
        .filter(|at| *at > now))
}

/// How many approved emails wait for a working login: those whose last try found
/// none, and, while the IMAP login fails, every one that is due (rapport looks at the
/// mailbox before each email, so none goes without it).
pub fn waiting_drafts(store: &Store, now: Timestamp) -> Result<usize> {
    let imap_down = problem(store, "imap")?.is_some();
    let now = crate::store::fmt_ts(now);
    Ok(store
        .drafts(false)?
        .iter()
        .filter(|d| {
            d.status == crate::core::model::DraftStatus::Approved
                && (d.last_error.starts_with(crate::send::WAITING_FOR_LOGIN)
                    || (imap_down && d.effective_due() <= now.as_str()))
        })
        .count())
}

/// The state key of the instant `section`'s token helper said its sign-in ends.
fn expiry_key(section: &str) -> String {
    format!("login_expiry.{section}")
}

/// Keeps the sign-in ends the token helpers reported since the last call
/// (`crate::secrets::token_json`), for [`expiry_warnings`].
pub fn note_expiries(store: &Store, now: Timestamp) -> Result<()> {
    for (section, at) in crate::secrets::token_json::take_expiries() {
        store.set_state(&expiry_key(&section), &crate::store::fmt_ts(at), now)?;
    }
    Ok(())
}

/// One line for each token helper whose sign-in ends within
/// [`crate::secrets::token_json::WARN_AHEAD_DAYS`] of `now`; `fresh` adds ends just
/// reported and not stored (`doctor`, which only reads the store).
pub fn expiry_warnings(
    store: &Store,
    fresh: &[(String, Timestamp)],
    now: Timestamp,
    tz: &jiff::tz::TimeZone,
) -> Result<Vec<String>> {
    let ahead = SignedDuration::from_hours(24 * crate::secrets::token_json::WARN_AHEAD_DAYS);
    let mut out = Vec::new();
    for section in SECTIONS {
        let stored = store
            .state(&expiry_key(section))?
            .and_then(|(v, _)| v.parse::<Timestamp>().ok());
        let latest = fresh
            .iter()
            .filter(|(s, _)| s == section)
            .map(|(_, at)| *at)
            .chain(stored)
            .max();
        let Some(at) = latest.filter(|at| *at > now && at.duration_since(now) <= ahead) else {
            continue;
        };
        let hours = at.duration_since(now).as_hours();
        out.push(format!(
            "the [{section}] token helper says its sign-in ends {} (in {}); sign in again with it before then, or emails wait for a working login from then on",
            at.to_zoned_datetime(tz.clone()).strftime("%a %Y-%m-%d %H:%M %Z"),
            if hours >= 48 { format!("{} days", hours / 24) } else { format!("{hours} hours") }
        ));
    }
    Ok(out)
}

/// Connects and logs in to IMAP, recording a login that fails for want of a working
/// credential (and clearing the record once one works). The error is returned as it
/// came: the caller's turn fails and backs off as any failed turn does.
/// The login is `cfg`'s account's, its health kept under that account's key.
pub async fn connect_imap(
    store: &Store,
    cfg: &crate::config::Loaded,
    icfg: &crate::config::Imap,
    now: Timestamp,
) -> Result<crate::mail::imap::Session> {
    let username = crate::mail::sync::imap_username(cfg, icfg);
    let section = cfg.state_key("imap");
    match crate::mail::imap::Session::connect(icfg, &username).await {
        Ok(s) => {
            clear(store, &section, now)?;
            note_expiries(store, now)?;
            Ok(s)
        }
        Err(crate::mail::imap::ImapError::Login(message)) => {
            let retry_seconds = cfg.config.policy.retry_seconds;
            record(store, &section, &message, retry_seconds, now)?;
            Err(anyhow::anyhow!("{message}"))
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests;
