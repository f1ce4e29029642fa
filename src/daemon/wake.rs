//! When the daemon wakes, and how the CLI wakes it.
//!
//! The daemon sleeps until the earliest of: new mail (IDLE), the next due time of an
//! approved draft (or its retry, or the send window opening for it), the end of a snooze,
//! the next follow-up the planner will draft, a kick (SIGUSR1 to the pid in the lock
//! file), or the poll interval where there is no IDLE. The CLI's `rapport send` kicks
//! and then waits, bounded, for a turn that started after the kick, reading its report
//! from the store. This module must never send or plan anything itself.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::path::Path;
use std::time::Duration;

use anyhow::{Context as _, Result};
use jiff::Timestamp;

use super::{Daemon, IDLE_SLICE, running};
use crate::config::Loaded;
use crate::core::model::DraftStatus;
use crate::mail::imap::IdleLimits;
use crate::store::{Store, fmt_ts, parse_ts};

/// The store key holding the number of the turn that started last.
pub(super) const TURN_STARTED: &str = "daemon_turn_started";
/// The store key holding the last finished turn ([`TurnDone`] as JSON).
pub(super) const TURN_DONE: &str = "daemon_turn_done";
/// The store key `rapport status` reads.
pub const NEXT_WAKEUP: &str = "daemon_next_wakeup";
/// What the CLI sends the daemon to wake it.
pub const KICK_SIGNAL_NAME: &str = "SIGUSR1";

/// How soon an approved draft that is due but was held back is tried again.
const HELD_RETRY: Duration = Duration::from_secs(60);

/// A finished turn, as `rapport send` reads it.
#[derive(Debug, serde::Serialize, serde::Deserialize)]
pub struct TurnDone {
    pub seq: u64,
    pub error: Option<String>,
    pub report: Option<crate::send::Report>,
}

/// The number of the turn that started last (0 before the first).
pub fn last_turn_seq(store: &Store) -> Result<u64> {
    Ok(store
        .state(TURN_STARTED)?
        .and_then(|(v, _)| v.trim().parse().ok())
        .unwrap_or(0))
}

/// Wakes the daemon running on this database, if one is; returns its pid.
pub fn kick(store_path: &Path) -> Result<Option<i32>> {
    let Some(pid) = running(store_path)? else {
        return Ok(None);
    };
    let Some(pid) = pid.parse::<i32>().ok().filter(|p| *p > 1) else {
        return Ok(None);
    };
    // SAFETY: kill(2) only sends a signal; the pid comes from the lock file that a live
    // daemon holds locked, and SIGUSR1 is the signal that daemon handles as a kick.
    #[allow(unsafe_code, reason = "kill(2) has no safe wrapper in std")]
    let rc = unsafe { libc::kill(pid, libc::SIGUSR1) };
    if rc != 0 {
        let e = std::io::Error::last_os_error();
        anyhow::bail!("could not wake the daemon (pid {pid}) with {KICK_SIGNAL_NAME}: {e}");
    }
    Ok(Some(pid))
}

/// What waiting for the daemon's turn came to.
pub enum Waited {
    NoDaemon,
    Done(Box<TurnDone>),
    /// No turn finished within the limit (the daemon is busy or stuck).
    TimedOut(i32),
}

/// Kicks the daemon and waits up to `limit` for a turn that started after the kick.
pub fn wait_for_turn(store: &Store, store_path: &Path, limit: Duration) -> Result<Waited> {
    let before = last_turn_seq(store)?;
    let Some(pid) = kick(store_path)? else {
        return Ok(Waited::NoDaemon);
    };
    let started = std::time::Instant::now();
    loop {
        if let Some((json, _)) = store.state(TURN_DONE)? {
            let done: TurnDone =
                serde_json::from_str(&json).context("Reading the daemon's last turn")?;
            if done.seq > before {
                return Ok(Waited::Done(Box::new(done)));
            }
        }
        if started.elapsed() >= limit {
            return Ok(Waited::TimedOut(pid));
        }
        if running(store_path)?.is_none() {
            return Ok(Waited::NoDaemon);
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The earliest time something needs the daemon, and why.
pub fn next_due(
    store: &Store,
    cfg: &Loaded,
    now: Timestamp,
    plan_due: Option<Timestamp>,
) -> Result<Option<(Timestamp, String)>> {
    let mut best: Option<(Timestamp, String)> = None;
    let mut offer = |at: Timestamp, why: String| {
        if best.as_ref().is_none_or(|(b, _)| at < *b) {
            best = Some((at, why));
        }
    };
    if let Some(p) = plan_due {
        offer(p, "a follow-up comes due".into());
    }
    let held = now.checked_add(jiff::SignedDuration::try_from(HELD_RETRY)?)?;
    for d in store.drafts(false)? {
        match d.status {
            DraftStatus::Approved => {
                let Ok(due) = parse_ts(d.effective_due()) else {
                    continue;
                };
                let retry = d.next_attempt_at.as_deref() == Some(d.effective_due());
                // Due but still here: something held it; look again in a minute.
                let at = if due > now { due } else { held };
                // Each draft waits for the window of the account it goes out from.
                let view = (!cfg.config.accounts.is_empty())
                    .then(|| cfg.for_account(&d.account))
                    .flatten();
                let window = view.map_or_else(|| cfg.window.clone(), |v| v.window);
                let at = match crate::send::window_check(&window, &cfg.tz, at) {
                    Ok(()) => at,
                    Err(open) => open.timestamp(),
                };
                let what = if retry { "retries" } else { "comes due" };
                offer(at, format!("draft {} {what}", d.id));
            }
            DraftStatus::Snoozed => {
                if let Some(until) = d.snoozed_until.as_deref().and_then(|u| parse_ts(u).ok()) {
                    offer(until, format!("draft {} wakes from its snooze", d.id));
                }
            }
            _ => {}
        }
    }
    Ok(best)
}

/// The next due time with the Sent-copy retry in it, named as what it is (`status` shows
/// the reason: a copy to file is not "a follow-up comes due").
pub fn with_copy(
    due: Option<(Timestamp, String)>,
    copy: Option<Timestamp>,
) -> Option<(Timestamp, String)> {
    match (due, copy) {
        (Some((at, why)), Some(c)) if at <= c => Some((at, why)),
        (_, Some(c)) => Some((c, "a copy of a sent email is to be filed in Sent".into())),
        (due, None) => due,
    }
}

/// The wait from `now` until `at` (zero if it has passed).
fn until(now: Timestamp, at: Timestamp) -> Duration {
    Duration::try_from(now.duration_until(at)).unwrap_or(Duration::ZERO)
}

/// How long to wait and why: the due time, or the cap (IDLE slice, poll, backoff).
pub fn plan_wait(
    now: Timestamp,
    due: Option<(Timestamp, String)>,
    cap: Duration,
    cap_why: &str,
) -> (Duration, String) {
    match due {
        Some((at, why)) if until(now, at) <= cap => (until(now, at), why),
        _ => (cap, cap_why.to_string()),
    }
}

impl Daemon {
    /// Sleeps until the next reason to turn (see the module docs).
    pub(super) async fn wait(&mut self, retry: Option<Duration>) {
        let now = crate::clock::now().unwrap_or_else(|_| crate::clock::system_now());
        let due = next_due(&self.store, &self.cfg, now, self.plan_due).unwrap_or_else(|e| {
            tracing::warn!(error = %format!("{e:#}"), "could not work out the next due time");
            None
        });
        let due = with_copy(due, self.copy_due);
        let due = match (due, self.other_due) {
            (Some((at, why)), Some(o)) if at <= o => Some((at, why)),
            (_, Some(o)) => Some((o, "an account held back by the login cap is read".into())),
            (due, None) => due,
        };
        let idle = retry.is_none()
            && self.guard.idle_allowed()
            && self.session.as_ref().is_some_and(|s| s.idle_supported);
        let poll = self.cfg.config.imap.as_ref().map_or(60, |i| i.poll_seconds);
        let (cap, cap_why) = match retry {
            Some(r) => (r, "the retry after a failed turn"),
            None if idle => (IDLE_SLICE, "the IDLE slice ends"),
            None => (Duration::from_secs(poll), "the next poll"),
        };
        let (delay, why) = plan_wait(now, due, cap, cap_why);
        let at = now
            .checked_add(jiff::SignedDuration::try_from(delay).unwrap_or_default())
            .unwrap_or(now);
        let sooner = if idle {
            "; new mail or a kick wakes it sooner"
        } else {
            "; a kick wakes it sooner"
        };
        let _ = self
            .store
            .set_state(NEXT_WAKEUP, &format!("{} ({why}{sooner})", fmt_ts(at)), now);
        tracing::debug!(?delay, %why, idle, "waiting");
        self.say_wait_mode(idle, retry.is_some(), poll);
        if idle {
            self.idle(delay).await;
        } else {
            self.sleep(delay).await;
        }
    }

    /// Logs how the daemon waits for new mail when that changes: IDLE, or polling and
    /// why (no IDLE offered, no connection kept, a retry's pause).
    fn say_wait_mode(&mut self, idle: bool, retrying: bool, poll: u64) {
        if self.cfg.config.imap.is_none() || self.waiting_in_idle == Some(idle) {
            return;
        }
        self.waiting_in_idle = Some(idle);
        if idle {
            tracing::info!(wait = "IDLE", "waiting for new mail");
            return;
        }
        if retrying {
            tracing::info!(
                wait = "backoff",
                "waiting for new mail: a turn failed, so no IDLE until the next one connects again"
            );
            return;
        }
        let why = if self.session.as_ref().is_some_and(|s| !s.idle_supported) {
            "the server offers no IDLE"
        } else if self.session.is_none() {
            "no IMAP connection is kept; the next turn connects again"
        } else {
            "IDLE is paused after failing"
        };
        tracing::info!(wait = %format!("polling every {poll}s"), why, "waiting for new mail");
    }

    async fn sleep(&self, delay: Duration) {
        tokio::select! {
            () = self.wakers.notify.notified() => {}
            () = tokio::time::sleep(delay) => {}
        }
    }

    /// IDLE on the inbox for up to `delay`; the session is kept if it ends cleanly.
    async fn idle(&mut self, delay: Duration) {
        let Some(mut s) = self.session.take() else {
            return;
        };
        let status = match s.examine("INBOX").await {
            Ok(st) => st,
            Err(e) => {
                let wait = self.guard.idle_failed_with(&self.store, &e.to_string());
                tracing::warn!(error = %e, retry_in = ?wait, "could not open INBOX to wait; reconnecting after a pause");
                self.sleep(wait).await;
                return;
            }
        };
        // Mail that came between the sync and this EXAMINE would not wake IDLE: turn now.
        if let Some(icfg) = &self.cfg.config.imap {
            let account = crate::mail::sync::imap_account(
                icfg,
                &crate::mail::sync::imap_username(&self.cfg, icfg),
            );
            let cursor = self.store.cursor(&account, "INBOX").ok().flatten();
            if cursor
                .is_some_and(|c| c.uidvalidity != status.uidvalidity || c.next_uid < status.uidnext)
            {
                self.session = Some(s);
                return;
            }
        }
        let wakers = self.wakers.clone();
        let wake = async move {
            tokio::select! {
                () = wakers.notify.notified() => {}
                () = tokio::time::sleep(delay) => {}
            }
        };
        let limits = IdleLimits { slice: IDLE_SLICE };
        match s.idle(limits, wake).await {
            Ok((s, end)) => {
                tracing::debug!(?end, "IDLE ended");
                self.guard.idle_ok(&self.store);
                self.session = Some(s);
            }
            Err(e) => {
                // Reconnecting at once would log in again and again (a server that
                // refuses IDLE or closes as it starts): wait longer each time.
                let wait = self.guard.idle_failed_with(&self.store, &e.to_string());
                tracing::warn!(error = %e, retry_in = ?wait, "IDLE ended with an error; reconnecting after a pause");
                self.sleep(wait).await;
            }
        }
    }
}
