//! The daemon with several accounts: the first account is watched by the loop itself
//! (its kept session, IDLE, guard); every other account has its own task holding its
//! own IDLE connection, which only marks it changed and wakes the loop; a turn reads it
//! on a connection of its own when it changed or its poll interval passed.
//!
//! One account that fails (its server down, its login refused) must never stall the
//! others: its error is logged and recorded under its name (`status`, the digest) and
//! the turn goes on with the rest. Nothing here sends: the turn's one call to
//! [`crate::send::send_due`] sends each account's drafts.

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use anyhow::Result;
use jiff::Timestamp;

use super::{Daemon, IDLE_SLICE, Wakers};
use crate::config::Loaded;
use crate::mail::imap::{self, IdleEnd, IdleLimits};
use crate::send::Verdict;
use crate::store::{Draft, Store};

/// The longest pause between two tries of a watcher whose server fails.
const MAX_WATCH_BACKOFF: Duration = Duration::from_secs(15 * 60);

/// The accounts after the first: those with a task and a connection of their own.
pub(super) fn others(cfg: &Loaded) -> Vec<Loaded> {
    cfg.account_views().into_iter().skip(1).collect()
}

/// Starts one IDLE watcher per other account with an IMAP server.
pub(super) fn spawn_watchers(
    cfg: &Loaded,
    wakers: &Arc<Wakers>,
) -> Vec<tokio::task::JoinHandle<()>> {
    others(cfg)
        .into_iter()
        .filter(|v| v.config.imap.is_some())
        .map(|view| tokio::spawn(watch(view, wakers.clone())))
        .collect()
}

/// Watches one account's inbox until the daemon stops, reconnecting after a growing
/// pause when its server fails; the other accounts never wait for it.
async fn watch(view: Loaded, wakers: Arc<Wakers>) {
    let mut failures = 0u32;
    while !wakers.stop.load(Ordering::SeqCst) {
        match watch_session(&view, &wakers).await {
            Ok(()) => failures = 0,
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = Duration::from_secs(30u64.saturating_mul(1 << failures.min(6)))
                    .min(MAX_WATCH_BACKOFF);
                tracing::warn!(account = %view.account, error = %format!("{e:#}"), retry_in = ?wait, "could not watch the account's inbox; the other accounts go on");
                stopped_or(&wakers, wait).await;
            }
        }
    }
}

/// One connection: IDLE on the INBOX, slice after slice, waking the loop at each
/// change; without IDLE, a kick every poll interval.
async fn watch_session(view: &Loaded, wakers: &Arc<Wakers>) -> Result<()> {
    let Some(icfg) = &view.config.imap else {
        return Ok(());
    };
    let username = crate::mail::sync::imap_username(view, icfg);
    let mut s = imap::Session::connect(icfg, &username).await?;
    tracing::info!(account = %view.account, host = %icfg.host, user = %username, wait = if s.idle_supported { "IDLE" } else { "polling" }, "watching the account's inbox");
    if !s.idle_supported {
        stopped_or(wakers, Duration::from_secs(icfg.poll_seconds)).await;
        s.logout().await;
        mark_changed(wakers, &view.account);
        return Ok(());
    }
    while !wakers.stop.load(Ordering::SeqCst) {
        s.examine("INBOX").await?;
        let limits = IdleLimits { slice: IDLE_SLICE };
        let (back, end) = s.idle(limits, stopped_or(wakers, IDLE_SLICE)).await?;
        s = back;
        if end == IdleEnd::Changed {
            tracing::debug!(account = %view.account, "new mail; waking the loop");
            mark_changed(wakers, &view.account);
        }
    }
    s.logout().await;
    Ok(())
}

/// Marks the account as having news and wakes the loop (a permit is kept when the
/// loop is mid-turn, so the news is read by the next turn).
fn mark_changed(wakers: &Wakers, account: &str) {
    if let Ok(mut changed) = wakers.changed.lock() {
        changed.insert(account.to_string());
    }
    wakers.notify.notify_one();
}

/// Takes the account's news mark: whether its watcher saw a change since the last take.
fn take_changed(wakers: &Wakers, account: &str) -> bool {
    match wakers.changed.lock() {
        Ok(mut c) => c.remove(account),
        // A poisoned mark reads as news: one read too many, never one too few.
        Err(_) => true,
    }
}

/// Returns after `wait`, or sooner when the daemon stops (checked each second: the
/// loop's own wake-up is never taken from it).
async fn stopped_or(wakers: &Wakers, wait: Duration) {
    let start = tokio::time::Instant::now();
    while start.elapsed() < wait && !wakers.stop.load(Ordering::SeqCst) {
        tokio::time::sleep(Duration::from_secs(1).min(wait)).await;
    }
}

impl Daemon {
    /// Reads the first account on the loop's kept session. Alone, a failure fails the
    /// turn (which backs off); with several accounts it is said and recorded and the
    /// turn goes on, and a login that failed is not tried again before its backoff.
    pub(super) async fn read_first(
        &mut self,
        icfg: &crate::config::Imap,
        now: Timestamp,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<usize> {
        if !self.cfg.several_accounts() {
            let new = self.sync_imap(icfg, now, stop).await?;
            crate::account_health::record(&self.store, &self.cfg, None, now);
            return Ok(new);
        }
        let section = self.cfg.state_key("imap");
        if self.session.is_none()
            && crate::login_health::wait_until(&self.store, &section, now)?.is_some()
        {
            tracing::debug!(account = %self.cfg.account, "its login failed and waits out its backoff");
            return Ok(0);
        }
        match self.sync_imap(icfg, now, stop).await {
            Ok(new) => {
                crate::account_health::record(&self.store, &self.cfg, None, now);
                Ok(new)
            }
            Err(e) => {
                let e = format!("{e:#}");
                tracing::warn!(account = %self.cfg.account, error = %e, "could not read the account; the other accounts go on");
                crate::account_health::record(&self.store, &self.cfg, Some(&e), now);
                self.session = None;
                Ok(0)
            }
        }
    }

    /// Reads every other account on a connection of its own; returns the new messages.
    /// An account that fails is logged and recorded, and the turn goes on.
    pub(super) async fn sync_other_accounts(
        &mut self,
        now: Timestamp,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> usize {
        let mut new = 0;
        self.other_due = None;
        for view in others(&self.cfg) {
            if stop() {
                break;
            }
            // An account with a watcher is read when its inbox changed, or once its poll
            // interval has passed since its last good read (a change IDLE missed, a
            // failure to retry): not at every turn, which would mean a login each time.
            let changed = take_changed(&self.wakers, &view.account);
            if !changed && !self.other_logins.due(&view) {
                continue;
            }
            if let Some(why) = self.other_logins.hold(&self.store, &view, now) {
                tracing::debug!(account = %view.account, why, "not reading the account this turn");
                if changed && let Ok(mut c) = self.wakers.changed.lock() {
                    c.insert(view.account.clone());
                }
                // The loop wakes when the cap frees, so the news waits no longer.
                if let Some(at) = self.other_logins.free_at(&view.account, now) {
                    self.other_due = Some(self.other_due.map_or(at, |d| d.min(at)));
                }
                continue;
            }
            match crate::mail::account::read_account(&mut self.store, &view, now, stop).await {
                Ok(n) => {
                    new += n;
                    self.other_logins.read_ok(&view.account);
                    crate::account_health::record(&self.store, &view, None, now);
                }
                Err(e) => {
                    let e = format!("{e:#}");
                    tracing::warn!(account = %view.account, error = %e, "could not read the account; the other accounts go on");
                    crate::account_health::record(&self.store, &view, Some(&e), now);
                }
            }
        }
        new
    }
}

impl Daemon {
    /// Files at once the copies of what went out from the accounts after the first
    /// (the first's are filed on the kept session): a new connection for each account
    /// that sent, within its login cap; a failure is logged and the account's next read
    /// files them.
    pub(super) async fn save_other_copies(&mut self, sent: &[i64], now: Timestamp) {
        let from: std::collections::HashSet<String> = sent
            .iter()
            .filter_map(|id| self.store.draft(*id).ok().flatten())
            .map(|d| d.account)
            .filter(|a| !self.cfg.owns(a))
            .collect();
        for view in others(&self.cfg) {
            if !from.contains(&view.account)
                || self.other_logins.hold(&self.store, &view, now).is_some()
            {
                continue;
            }
            if let Err(e) = crate::mail::sent_copy::save_now(&self.store, &view, now).await {
                tracing::warn!(account = %view.account, error = %format!("{e:#}"), "could not file the copy in Sent yet; the account's next read does");
            }
        }
    }
}

/// The logins of the other accounts' turns: each account at most
/// [`super::LOGINS_PER_MINUTE`] a minute, as the first account's guard allows, and none
/// while its login waits out a failure's backoff (`login_health`), so a refused
/// password is not tried at every turn (a provider may lock an account for it).
#[derive(Default)]
pub(super) struct OtherLogins {
    recent: std::collections::HashMap<String, Vec<std::time::Instant>>,
    /// When each account was last read without error.
    last_read: std::collections::HashMap<String, std::time::Instant>,
}

impl OtherLogins {
    /// Whether the account is to be read without news from its watcher: never read
    /// well yet, its poll interval passed, or no watcher (a Maildir, read every turn).
    fn due(&self, view: &Loaded) -> bool {
        let Some(icfg) = &view.config.imap else {
            return true;
        };
        self.last_read
            .get(&view.account)
            .is_none_or(|t| t.elapsed() >= Duration::from_secs(icfg.poll_seconds))
    }

    /// Notes a good read of the account.
    fn read_ok(&mut self, account: &str) {
        self.last_read
            .insert(account.to_string(), std::time::Instant::now());
    }

    /// When the login cap lets the account be read again (the oldest login of the
    /// last minute leaving it), if the cap is what holds it.
    fn free_at(&self, account: &str, now: Timestamp) -> Option<Timestamp> {
        let oldest = self.recent.get(account)?.iter().min()?;
        let left = Duration::from_secs(61).saturating_sub(oldest.elapsed());
        now.checked_add(jiff::SignedDuration::try_from(left).ok()?)
            .ok()
    }

    /// Why the account is not read this turn, or `None` (and the login counted).
    fn hold(&mut self, store: &Store, view: &Loaded, now: Timestamp) -> Option<&'static str> {
        // A Maildir-only account logs in nowhere.
        view.config.imap.as_ref()?;
        let section = view.state_key("imap");
        if crate::login_health::wait_until(store, &section, now)
            .ok()
            .flatten()
            .is_some()
        {
            return Some("its login failed and waits out its backoff");
        }
        let logins = self.recent.entry(view.account.clone()).or_default();
        logins.retain(|t| t.elapsed() < Duration::from_secs(60));
        if logins.len() >= super::LOGINS_PER_MINUTE {
            return Some("it was logged in to often enough in the last minute");
        }
        logins.push(std::time::Instant::now());
        None
    }
}

/// The look just before sending a draft of another account than the first: its own
/// mailbox read once more on a new connection. A failure holds the draft, approved.
pub(super) fn look_other(
    handle: &tokio::runtime::Handle,
    cfg: &Loaded,
    store: &mut Store,
    d: &Draft,
    now: Timestamp,
) -> Result<Verdict> {
    let view = cfg.for_account_or_first(&d.account);
    let stop = || false;
    match handle.block_on(crate::mail::account::read_account(store, &view, now, &stop)) {
        Ok(new) => crate::send::after_new_mail(store, &view, now, d, new),
        Err(e) => Ok(Verdict::Hold(format!(
            "could not look at the {} inbox just before sending ({e:#}); it stays approved",
            view.account
        ))),
    }
}
