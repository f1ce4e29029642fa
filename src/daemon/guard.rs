//! What keeps a misbehaving server from turning the daemon into a login storm: backoff
//! (exponential, with jitter) after an IDLE that failed and after a copy in Sent that
//! could not be filed, and a cap on logins per minute with a log line and a warning
//! `rapport status` shows.
//!
//! After three IDLEs failed in a row the daemon polls instead for an hour.
//!
//! A turn that fails already backs off ([`super::backoff`]); these cover the paths where
//! the turn itself succeeds and only what comes after it fails, over and over (IDLE
//! answered BAD, a connection closed as IDLE starts, an APPEND refused). This module
//! must never sleep without letting a stop through, and never log a secret.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use super::{Wakers, backoff};
use crate::store::Store;

/// At most this many logins in any minute.
pub const LOGINS_PER_MINUTE: usize = 6;
/// Debug builds only: `RAPPORT_TEST_LOGINS_PER_MINUTE=N` lowers the cap, so that a test
/// can reach it in seconds (backoff alone keeps a real run under it).
const CAP_ENV: &str = "RAPPORT_TEST_LOGINS_PER_MINUTE";

/// The cap in force: [`LOGINS_PER_MINUTE`], or the test's lower one.
fn cap() -> usize {
    let test = cfg!(debug_assertions)
        .then(|| std::env::var(CAP_ENV).ok())
        .flatten()
        .and_then(|v| v.trim().parse::<usize>().ok());
    test.map_or(LOGINS_PER_MINUTE, |n| n.clamp(1, LOGINS_PER_MINUTE))
}
/// The store key of the warning `rapport status` shows while logins are being held back.
pub const LOGIN_WARNING: &str = "imap_login_warning";

const MINUTE: Duration = Duration::from_secs(60);
/// After this many IDLEs failed in a row the daemon polls instead, for [`IDLE_REST`].
const IDLE_FAILURES_MAX: u32 = 3;
const IDLE_REST: Duration = Duration::from_secs(3600);
/// The first wait after a copy in Sent could not be filed; it doubles up to an hour.
const COPY_RETRY_FIRST: Duration = Duration::from_secs(60);
const COPY_RETRY_MAX: Duration = Duration::from_secs(3600);

/// The daemon's memory of what failed lately.
#[derive(Default)]
pub(super) struct Guard {
    /// Logins in the last minute (oldest first).
    logins: VecDeque<Instant>,
    /// IDLEs that failed in a row.
    idle_failures: u32,
    /// Until when the daemon polls instead of IDLE (IDLE kept failing).
    idle_rest: Option<Instant>,
    /// Copies in Sent that failed in a row, and when to try again.
    copy_failures: u32,
    copy_retry: Option<Instant>,
    /// Whether the login warning is up (so it is cleared once, not every turn).
    warned: bool,
}

impl Guard {
    /// Waits, if needed, until one more login keeps to [`LOGINS_PER_MINUTE`], then
    /// counts it. Returns `false` when told to stop while waiting.
    pub(super) async fn before_login(
        &mut self,
        store: &Store,
        host: &str,
        wakers: &Wakers,
    ) -> bool {
        if let Some(wait) = hold_back(&mut self.logins, Instant::now(), cap()) {
            let text = format!(
                "{} logins to {host} in the last minute: holding the next one back {}s (a provider may lock an account that logs in this often); the log lines before this say what keeps failing",
                self.logins.len(),
                wait.as_secs().max(1)
            );
            tracing::warn!("{text}");
            self.warned = true;
            if let Ok(at) = crate::clock::now() {
                let _ = store.set_state(LOGIN_WARNING, &text, at);
            }
            if !pause(wakers, wait).await {
                return false;
            }
        }
        self.logins.push_back(Instant::now());
        true
    }

    /// The wait after an IDLE that failed (one more in a row). After
    /// [`IDLE_FAILURES_MAX`] in a row, IDLE rests for an hour and the daemon polls.
    pub(super) fn idle_failed(&mut self) -> Duration {
        self.idle_failures = self.idle_failures.saturating_add(1);
        if self.idle_failures >= IDLE_FAILURES_MAX && self.idle_rest.is_none() {
            tracing::warn!(
                failures = self.idle_failures,
                "IDLE keeps failing on this server: polling instead ([imap] poll_seconds) for the next hour"
            );
            self.idle_rest = Some(Instant::now() + IDLE_REST);
        }
        backoff(self.idle_failures)
    }

    /// [`Self::idle_failed`], waiting at least what the server asked for when its words
    /// (`error`) say it throttles (a BYE with a backoff hint).
    pub(super) fn idle_failed_with(&mut self, store: &Store, error: &str) -> Duration {
        let mut wait = self.idle_failed();
        if let Some(asked) = crate::mail::imap::throttle::hint(error) {
            wait = wait.max(asked);
            self.throttled(store, wait);
        }
        wait
    }

    /// Whether the daemon may wait in IDLE (not while IDLE rests after failing).
    pub(super) fn idle_allowed(&mut self) -> bool {
        match self.idle_rest {
            Some(until) if Instant::now() < until => false,
            Some(_) => {
                self.idle_rest = None;
                self.idle_failures = 0;
                true
            }
            None => true,
        }
    }

    /// An IDLE that ended well: the server is healthy again.
    pub(super) fn idle_ok(&mut self, store: &Store) {
        self.idle_failures = 0;
        if self.warned {
            self.warned = false;
            if let Ok(at) = crate::clock::now() {
                let _ = store.set_state(LOGIN_WARNING, "", at);
            }
        }
    }

    /// The server asked rapport to slow down: the wait is said in the log and in
    /// `rapport status` (cleared by the next IDLE that ends well).
    pub(super) fn throttled(&mut self, store: &Store, wait: Duration) {
        let text = format!(
            "the IMAP server asked rapport to slow down (it throttles this account): no login for {}s; if this repeats, raise [imap] poll_seconds",
            wait.as_secs().max(1)
        );
        tracing::warn!("{text}");
        self.warned = true;
        if let Ok(at) = crate::clock::now() {
            let _ = store.set_state(LOGIN_WARNING, &text, at);
        }
    }

    /// How long until copies in Sent may be tried again (`None`: now).
    pub(super) fn copy_wait(&self) -> Option<Duration> {
        let at = self.copy_retry?;
        let left = at.saturating_duration_since(Instant::now());
        (!left.is_zero()).then_some(left)
    }

    /// A copy that could not be filed: the wait before the next try.
    pub(super) fn copy_failed(&mut self) -> Duration {
        self.copy_failures = self.copy_failures.saturating_add(1);
        let wait = copy_backoff(self.copy_failures);
        self.copy_retry = Some(Instant::now() + wait);
        wait
    }

    pub(super) fn copy_ok(&mut self) {
        self.copy_failures = 0;
        self.copy_retry = None;
    }
}

/// How long the next login must wait to keep to [`LOGINS_PER_MINUTE`] (`None`: it need
/// not); forgets logins more than a minute old.
fn hold_back(logins: &mut VecDeque<Instant>, now: Instant, cap: usize) -> Option<Duration> {
    while logins
        .front()
        .is_some_and(|t| now.saturating_duration_since(*t) >= MINUTE)
    {
        logins.pop_front();
    }
    if logins.len() < cap {
        return None;
    }
    let oldest = logins.front()?;
    Some(MINUTE.saturating_sub(now.saturating_duration_since(*oldest)))
}

/// 1 minute doubling to an hour, ±25 %.
fn copy_backoff(failures: u32) -> Duration {
    let base = COPY_RETRY_FIRST
        .saturating_mul(2u32.saturating_pow(failures.saturating_sub(1).min(10)))
        .min(COPY_RETRY_MAX);
    base.mul_f64(fastrand::f64() * 0.5 + 0.75)
}

/// Sleeps `wait`, or less when told to stop; `false` if told to stop.
pub(super) async fn pause(wakers: &Wakers, wait: Duration) -> bool {
    use std::sync::atomic::Ordering;
    let until = tokio::time::Instant::now() + wait;
    loop {
        if wakers.stop.load(Ordering::SeqCst) {
            return false;
        }
        tokio::select! {
            () = wakers.notify.notified() => {}
            () = tokio::time::sleep_until(until) => return true,
        }
    }
}

#[cfg(test)]
mod tests;
