//! One turn of the daemon: sync, plan, send, with a last look at the inbox before each
//! SMTP transaction. A turn that fails or panics is logged and recorded, and leaves the
//! loop ready for the next one (the IMAP session is dropped, the store reopened after a
//! panic). This module must never send outside [`crate::send::send_due`].

use std::panic::AssertUnwindSafe;
use std::time::Duration;

use anyhow::Result;
use futures_util::FutureExt as _;
use jiff::Timestamp;

use super::wake::{TURN_DONE, TURN_STARTED, TurnDone};
use super::{Daemon, backoff};
use crate::config::Loaded;
use crate::mail::imap;
use crate::mail::sent_folder;
use crate::mail::sync::{self, imap_account, imap_username};
use crate::send::{Report, Verdict};
use crate::store::{Draft, Store, fmt_ts};

/// Debug builds only: `RAPPORT_TEST_PANIC_TURN=N` makes turn N panic (the fault tests).
const PANIC_ENV: &str = "RAPPORT_TEST_PANIC_TURN";
/// The mid-turn gate of [`crate::send::test_gate_armed`], waited for without blocking.
async fn test_gate() {
    let Some(gate) = crate::send::test_gate_armed() else {
        return;
    };
    let start = std::time::Instant::now();
    while !gate.exists() && start.elapsed() < crate::send::TEST_GATE_WAIT {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// What a turn did, for the log and for the next wake-up.
#[derive(Debug, Default)]
pub(super) struct TurnReport {
    pub new_messages: usize,
    pub drafted: usize,
    pub withdrawn: usize,
    pub send: Report,
    /// When the planner next has something to draft.
    pub plan_due: Option<Timestamp>,
    /// When a copy of a sent email is next to be filed in Sent.
    pub copy_due: Option<Timestamp>,
}

impl TurnReport {
    fn did_something(&self) -> bool {
        let s = &self.send;
        self.new_messages > 0
            || self.drafted > 0
            || self.withdrawn > 0
            || !s.sent.is_empty()
            || !s.retrying.is_empty()
            || !s.failed.is_empty()
            || !s.unknown.is_empty()
            || !s.skipped.is_empty()
    }
}

fn panic_text(p: &(dyn std::any::Any + Send)) -> String {
    p.downcast_ref::<&str>()
        .map(ToString::to_string)
        .or_else(|| p.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

impl Daemon {
    /// One turn, guarded. Returns the backoff to wait before the next turn if it failed.
    pub(super) async fn turn(&mut self) -> Option<Duration> {
        self.seq += 1;
        let seq = self.seq;
        let started = crate::clock::now().unwrap_or_else(|_| crate::clock::system_now());
        let _ = self
            .store
            .set_state(TURN_STARTED, &seq.to_string(), started);
        let outcome = AssertUnwindSafe(self.turn_inner()).catch_unwind().await;
        let (error, report) = match outcome {
            Ok(Ok(t)) => {
                self.failures = 0;
                self.plan_due = t.plan_due;
                self.copy_due = t.copy_due;
                if t.did_something() {
                    // Every outcome of the sends, failures included: a turn that
                    // only failed must not read like one that did nothing wrong.
                    let ids = |v: &[(i64, String)]| v.iter().map(|(id, _)| *id).collect::<Vec<_>>();
                    tracing::info!(
                        new = t.new_messages,
                        drafted = t.drafted,
                        withdrawn = t.withdrawn + t.send.skipped.len(),
                        sent = ?t.send.sent,
                        failed = ?ids(&t.send.failed),
                        retrying = ?ids(&t.send.retrying),
                        unknown = ?ids(&t.send.unknown),
                        "turn"
                    );
                }
                if let Some(h) = &t.send.held {
                    tracing::debug!(reason = %h, "sending held");
                }
                (None, Some(t.send))
            }
            Ok(Err(e)) => (Some(format!("{e:#}")), None),
            Err(panic) => {
                let text = format!("the turn panicked: {}", panic_text(panic.as_ref()));
                tracing::error!(error = %text, "turn failed; the next turn starts afresh");
                // Whatever the turn held is gone; the next turn opens everything anew.
                match Store::open(&self.cfg.store_path) {
                    Ok(s) => self.store = s,
                    Err(e) => tracing::error!(error = %format!("{e:#}"), "reopening the database"),
                }
                (Some(text), None)
            }
        };
        let done = TurnDone {
            seq,
            error: error.clone(),
            report,
        };
        if let Ok(json) = serde_json::to_string(&done) {
            let _ = self.store.set_state(TURN_DONE, &json, started);
        }
        let e = error?;
        self.session = None;
        self.failures = self.failures.saturating_add(1);
        let mut wait = backoff(self.failures);
        if let Some(asked) = imap::throttle::hint(&e) {
            // The server asked for a wait (Microsoft 365's "Suggested Backoff Time"):
            // no login before it ends, whatever the usual backoff says.
            wait = wait.max(asked);
            self.guard.throttled(&self.store, wait);
        }
        tracing::warn!(error = %e, retry_in = ?wait, "turn failed");
        if let Ok(now) = crate::clock::now() {
            let _ = self.store.set_state("last_error", &e, now);
        }
        Some(wait)
    }

    async fn turn_inner(&mut self) -> Result<TurnReport> {
        let now = crate::clock::now()?;
        if cfg!(debug_assertions)
            && std::env::var(PANIC_ENV).is_ok_and(|v| v.trim() == self.seq.to_string())
        {
            injected_panic(self.seq);
        }
        let wakers = self.wakers.clone();
        let stop = move || wakers.stop.load(std::sync::atomic::Ordering::SeqCst);
        let mut out = TurnReport::default();
        if let Some(icfg) = self.cfg.config.imap.clone() {
            out.new_messages += self.read_first(&icfg, now, &stop).await?;
            if stop() {
                return Ok(out);
            }
        }
        if self.cfg.config.maildir.is_some() {
            for r in
                crate::mail::maildir::sync_maildir_until(&mut self.store, &self.cfg, now, &stop)?
            {
                out.new_messages += r.new;
            }
            // Told to stop mid-sync: nothing is planned or sent after the stop.
            if stop() {
                return Ok(out);
            }
        }
        out.new_messages += self.sync_other_accounts(now, &stop).await;
        if stop() {
            return Ok(out);
        }
        let (plan, _) = crate::followup::plan_changed(&mut self.store, &self.cfg, now)?;
        for e in &plan.errors {
            tracing::warn!(error = %e, "could not draft");
        }
        out.drafted = plan.created.len();
        out.withdrawn = plan.superseded.len();
        out.plan_due = plan.next_due;
        test_gate().await;
        out.send = self.send(now, &stop)?;
        out.copy_due = self.save_sent_copies(now).await;
        self.save_other_copies(&out.send.sent, now).await;
        crate::digest::maybe_send(&self.store, &self.cfg, now);
        self.store.set_state("last_turn", &fmt_ts(now), now)?;
        Ok(out)
    }

    /// Syncs the chosen folders on the kept session (or a new one); returns new messages.
    pub(super) async fn sync_imap(
        &mut self,
        icfg: &crate::config::Imap,
        now: Timestamp,
        stop: &(dyn Fn() -> bool + Sync),
    ) -> Result<usize> {
        let username = imap_username(&self.cfg, icfg);
        let account = imap_account(icfg, &username);
        let (mut s, fresh) = match self.session.take() {
            Some(s) => (s, false),
            None => {
                if !self
                    .guard
                    .before_login(&self.store, &icfg.host, &self.wakers)
                    .await
                {
                    anyhow::bail!("stopping before logging in again");
                }
                let connected =
                    crate::login_health::connect_imap(&self.store, &self.cfg, icfg, now);
                (connected.await?, true)
            }
        };
        let found = s.folders().await?;
        let chosen = sync::choose_folders(icfg, &found);
        let sent = sent_folder::find(icfg, &found);
        if fresh {
            let wait = if s.idle_supported {
                "IDLE".to_string()
            } else {
                format!("polling every {}s", icfg.poll_seconds)
            };
            let sent_said = sent
                .as_ref()
                .map_or_else(|| "none".into(), sent_folder::SentFolder::describe);
            tracing::info!(host = %icfg.host, user = %username, folders = %chosen.join(", "), sent = %sent_said, wait = %wait, "watching the mailbox");
        }
        sync::record_sent_choice(&self.store, &self.cfg, sent.as_ref(), &chosen, (now, fresh))?;
        let sent = sent.map(|f| f.name);
        self.look_folders = chosen
            .iter()
            .filter(|f| Some(*f) != sent.as_ref())
            .cloned()
            .collect();
        let mut new = 0;
        for folder in &chosen {
            if stop() {
                break;
            }
            let synced = sync::sync_folder(
                &mut self.store,
                &self.cfg,
                &mut s,
                &account,
                folder,
                now,
                stop,
            );
            match synced.await {
                Ok(r) => {
                    if r.new > 0 {
                        tracing::info!(folder = %r.folder, new = r.new, interactions = r.interactions, "synced");
                    }
                    new += r.new;
                }
                Err(e) => {
                    self.store
                        .set_sync_error(&account, folder, &format!("{e:#}"))?;
                    return Err(e);
                }
            }
        }
        self.session = Some(s);
        sync::confirm_unknown(&mut self.store, now)?;
        Ok(new)
    }

    /// Files the copies in Sent that are due (see [`crate::mail::sent_copy`]) on the kept
    /// session; returns when the next one falls due. A copy the server refused keeps the
    /// session (and so IDLE) and is tried again after a growing wait; a broken
    /// connection is dropped.
    async fn save_sent_copies(&mut self, now: Timestamp) -> Option<Timestamp> {
        if let Some(left) = self.guard.copy_wait() {
            return later(now, left);
        }
        let s = self.session.as_mut()?;
        let found = match s.folders().await {
            Ok(f) => f,
            Err(e) => {
                tracing::warn!(error = %e, "could not list folders to file copies in Sent");
                self.session = None;
                return None;
            }
        };
        let saved = crate::mail::sent_copy::save_copies(&self.store, &self.cfg, s, &found, now);
        match saved.await {
            Ok(r) => {
                self.guard.copy_ok();
                r.next_due
            }
            Err(e) => {
                let refused = e
                    .downcast_ref::<crate::mail::sent_copy::CopyError>()
                    .is_some_and(|c| c.refused);
                let wait = self.guard.copy_failed();
                tracing::warn!(error = %format!("{e:#}"), retry_in = ?wait, "could not file a copy in Sent; tries again after the wait");
                if !refused {
                    self.session = None;
                }
                later(now, wait)
            }
        }
    }

    /// Sends what is due; the SMTP client blocks, so this thread leaves the async pool
    /// for the length of it (the other thread keeps signals and timers going).
    fn send(&mut self, now: Timestamp, stop: &(dyn Fn() -> bool + Sync)) -> Result<Report> {
        let handle = tokio::runtime::Handle::current();
        let Daemon {
            cfg,
            store,
            send_lock,
            session,
            look_folders,
            ..
        } = self;
        let cfg: &Loaded = cfg;
        let mut look = |store: &mut Store, d: &Draft| -> Result<Verdict> {
            if !cfg.owns(&d.account) {
                return super::accounts::look_other(&handle, cfg, store, d, now);
            }
            let before = LookBefore {
                handle: &handle,
                cfg,
                folders: look_folders,
                now,
                stop,
            };
            before.look(session, store, d)
        };
        tokio::task::block_in_place(|| {
            crate::send::send_due(store, cfg, now, send_lock, &mut look, stop)
        })
    }
}

/// `now` plus `wait`, as a due time.
fn later(now: Timestamp, wait: Duration) -> Option<Timestamp> {
    let wait = jiff::SignedDuration::try_from(wait).ok()?;
    now.checked_add(wait).ok()
}

/// The look at the inbox made just before each SMTP transaction (issue: a reply that
/// lands during the turn must withdraw the draft).
struct LookBefore<'a> {
    handle: &'a tokio::runtime::Handle,
    cfg: &'a Loaded,
    folders: &'a [String],
    now: Timestamp,
    stop: &'a (dyn Fn() -> bool + Sync),
}

impl LookBefore<'_> {
    fn look(
        &self,
        session: &mut Option<imap::Session>,
        store: &mut Store,
        d: &Draft,
    ) -> Result<Verdict> {
        let Some(icfg) = &self.cfg.config.imap else {
            return Ok(Verdict::Proceed);
        };
        let Some(s) = session.as_mut() else {
            return Ok(Verdict::Hold(
                "the inbox could not be checked just before sending (no connection); it stays approved"
                    .into(),
            ));
        };
        let account = imap_account(icfg, &imap_username(self.cfg, icfg));
        let mut new = 0;
        for folder in self.folders {
            let synced =
                sync::sync_folder(store, self.cfg, s, &account, folder, self.now, self.stop);
            match self.handle.block_on(synced) {
                Ok(r) => new += r.new,
                Err(e) => {
                    *session = None;
                    return Ok(Verdict::Hold(format!(
                        "could not look at the inbox just before sending ({e:#}); it stays approved"
                    )));
                }
            }
        }
        crate::send::after_new_mail(store, self.cfg, self.now, d, new)
    }
}

/// The fault the tests inject into a turn (debug builds only, see `PANIC_ENV`), to prove
/// a panicking turn never wedges the daemon.
#[allow(
    clippy::panic,
    reason = "fault injection for the tests, debug builds only"
)]
fn injected_panic(seq: u64) {
    panic!("{PANIC_ENV}={seq} asked turn {seq} to panic");
}
