//! `rapport send`'s look at the mailbox before each draft of a batch, as the daemon
//! does in its turn: the first draft rests on the look made before the batch, every
//! later one on a fresh read of the watched folders (one IMAP connection kept for the
//! batch), so a reply that lands while the batch is going out withdraws the drafts
//! after it. With several accounts, a later draft of another account than the first
//! reads its own account again instead. A look that fails holds the draft (it stays
//! approved).
//!
//! This module must never send, and never let a draft through when it could not look.

use anyhow::Result;
use jiff::Timestamp;

use crate::config::Loaded;
use crate::mail::imap;
use crate::mail::sync::{choose_folders, imap_account, imap_username, sync_folder};
use crate::send::Verdict;
use crate::store::{Draft, Store};

/// The test gate of [`crate::send::test_gate_armed`], waited for on this thread.
fn test_gate() {
    let Some(gate) = crate::send::test_gate_armed() else {
        return;
    };
    let start = std::time::Instant::now();
    while !gate.exists() && start.elapsed() < crate::send::TEST_GATE_WAIT {
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}

/// The looks of one `rapport send` (or `approve --now`) batch.
pub(super) struct Looks<'a> {
    cfg: &'a Loaded,
    now: Timestamp,
    /// How the look before the batch went.
    first: Result<(), String>,
    /// Whether a draft has used the look before the batch already.
    used_first: bool,
    rt: Option<tokio::runtime::Runtime>,
    session: Option<imap::Session>,
    folders: Vec<String>,
    /// With several accounts, those the look before the batch could not read: only
    /// their drafts are held by it (empty: a failed look holds every draft).
    failed: Vec<String>,
}

impl<'a> Looks<'a> {
    pub(super) fn new(cfg: &'a Loaded, now: Timestamp, first: Result<(), String>) -> Self {
        Looks {
            cfg,
            now,
            first,
            used_first: false,
            rt: None,
            session: None,
            folders: Vec::new(),
            failed: Vec::new(),
        }
    }

    /// Holds, on a failed look before the batch, only the drafts of these accounts:
    /// one account out of reach never stalls the others' drafts.
    pub(super) fn failed_accounts(mut self, names: Vec<String>) -> Self {
        self.failed = names;
        self
    }

    /// The pre-send check for `d`.
    pub(super) fn check(&mut self, store: &mut Store, d: &Draft) -> Result<Verdict> {
        let own_failed = self.failed.is_empty()
            || self
                .failed
                .contains(&self.cfg.for_account_or_first(&d.account).account);
        if let Err(e) = &self.first
            && own_failed
        {
            return Ok(Verdict::Hold(format!(
                "could not check the mailbox for a reply first ({e}); it stays approved"
            )));
        }
        if !self.used_first {
            self.used_first = true;
            return Ok(Verdict::Proceed);
        }
        test_gate();
        if !self.cfg.owns(&d.account) {
            return self.look_at_own_account(store, d);
        }
        let new = match self.look_again(store) {
            Ok(n) => n,
            Err(e) => {
                self.session = None;
                return Ok(Verdict::Hold(format!(
                    "could not look at the mailbox again just before sending ({e:#}); it stays approved"
                )));
            }
        };
        crate::send::after_new_mail(store, self.cfg, self.now, d, new)
    }

    /// With several accounts, a draft of another account than the first: its own
    /// account read again on a new connection. A failure holds the draft.
    fn look_at_own_account(&mut self, store: &mut Store, d: &Draft) -> Result<Verdict> {
        let view = self.cfg.for_account_or_first(&d.account);
        let rt = match self.rt.take() {
            Some(rt) => rt,
            None => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
        };
        let read = rt.block_on(crate::mail::account::read_account(
            store,
            &view,
            self.now,
            &|| false,
        ));
        self.rt = Some(rt);
        match read {
            Ok(new) => crate::send::after_new_mail(store, &view, self.now, d, new),
            Err(e) => Ok(Verdict::Hold(format!(
                "could not look at the {} mailbox again just before sending ({e:#}); it stays approved",
                view.account
            ))),
        }
    }

    /// Reads the watched folders again (not Sent); returns how many messages were new.
    fn look_again(&mut self, store: &mut Store) -> Result<usize> {
        let mut new = 0;
        if self.cfg.config.maildir.is_some() {
            for r in crate::mail::maildir::sync_maildir(store, self.cfg, self.now)? {
                if let Some(e) = r.error {
                    anyhow::bail!("{}: {e}", r.folder);
                }
                new += r.new;
            }
        }
        let cfg = self.cfg;
        let Some(icfg) = &cfg.config.imap else {
            return Ok(new);
        };
        let rt = match self.rt.take() {
            Some(rt) => rt,
            None => tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?,
        };
        let done = rt.block_on(self.sync_imap(store, icfg));
        self.rt = Some(rt);
        Ok(new + done?)
    }

    async fn sync_imap(&mut self, store: &mut Store, icfg: &crate::config::Imap) -> Result<usize> {
        let username = imap_username(self.cfg, icfg);
        let account = imap_account(icfg, &username);
        let mut s = match self.session.take() {
            Some(s) => s,
            None => {
                let connected = crate::login_health::connect_imap(store, self.cfg, icfg, self.now);
                let mut s = connected.await?;
                let found = s.folders().await?;
                let sent = crate::mail::sent_folder::find(icfg, &found).map(|f| f.name);
                self.folders = choose_folders(icfg, &found)
                    .into_iter()
                    .filter(|f| Some(f) != sent.as_ref())
                    .collect();
                s
            }
        };
        let mut new = 0;
        for folder in &self.folders {
            let r = sync_folder(store, self.cfg, &mut s, &account, folder, self.now, &|| {
                false
            })
            .await?;
            new += r.new;
        }
        self.session = Some(s);
        Ok(new)
    }

    /// Logs out of the batch's connection, if one was opened.
    pub(super) fn finish(mut self) {
        if let (Some(rt), Some(s)) = (self.rt.take(), self.session.take()) {
            rt.block_on(s.logout());
        }
    }
}
