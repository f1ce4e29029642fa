//! A copy of every email rapport sent, in the user's Sent folder (DESIGN §7), filed
//! exactly once. `[imap] save_sent`: `auto` waits `save_sent_wait` for the server to
//! file its own copy (sync reads Sent), `always` appends at the next sync, `never` does
//! nothing. Before any APPEND the folder is searched for the Message-ID, and the store
//! records the copy only after it is there: a rapport killed between the APPEND and the
//! record finds its own copy on restart instead of filing a second one.
//!
//! How the provider's own copy is noticed (Gmail and Microsoft 365 file one; iCloud
//! does not): by its Message-ID, twice — every sync reads Sent and marks a pending copy
//! found, and a search of Sent comes right before any APPEND. No provider rule (a list
//! of hosts that file copies) is kept: hosts change and custom domains hide them, while
//! the Message-ID is exact. The `auto` wait is what gives a slow provider time to file
//! its copy first. `tests/it/provider_gmail.rs` holds it against a Gmail-like Dovecot.
//!
//! This module must never append anything but a sent draft's exact bytes, never to a
//! folder other than the Sent one, and never twice for one draft.

use anyhow::Result;
use jiff::{SignedDuration, Timestamp};

use crate::config::{Loaded, SaveSent};
use crate::mail::imap::{Folder, ImapError, Session};
use crate::mail::sync::{imap_account, imap_username};
use crate::store::{CopyState, Store};

/// Debug builds only: `RAPPORT_TEST_EXIT_AT_APPEND=before` ends the process just before
/// an APPEND (exit code 87), `=after` right after it, before it is recorded (86): the
/// crash tests.
const EXIT_ENV: &str = "RAPPORT_TEST_EXIT_AT_APPEND";

/// The crash of [`EXIT_ENV`], if asked for at this point.
fn test_exit(at: &str, code: i32) {
    if cfg!(debug_assertions) && std::env::var(EXIT_ENV).is_ok_and(|v| v == at) {
        std::process::exit(code);
    }
}

/// What one pass did.
#[derive(Debug, Default)]
pub struct CopyReport {
    /// Drafts whose copy rapport appended.
    pub appended: Vec<i64>,
    /// Drafts whose copy was already in Sent.
    pub found: Vec<i64>,
    /// When the next `auto` copy falls due (its wait ends).
    pub next_due: Option<Timestamp>,
}

/// The folder copies go to: the Sent folder of [`crate::mail::sent_folder::find`].
pub fn sent_folder(icfg: &crate::config::Imap, found: &[Folder]) -> Option<String> {
    crate::mail::sent_folder::find(icfg, found).map(|s| s.name)
}

/// Files the copies that are due, on an open session that has listed `found`.
pub async fn save_copies(
    store: &Store,
    cfg: &Loaded,
    session: &mut Session,
    found: &[Folder],
    now: Timestamp,
) -> Result<CopyReport> {
    let mut report = CopyReport::default();
    let Some(icfg) = &cfg.config.imap else {
        return Ok(report);
    };
    if icfg.save_sent == SaveSent::Never {
        return Ok(report);
    }
    let account = imap_account(icfg, &imap_username(cfg, icfg));
    let Some(folder) = sent_folder(icfg, found) else {
        if store
            .sent_copies_pending(&account, "")?
            .iter()
            .any(|c| cfg.owns(&c.account))
        {
            tracing::warn!(
                "no Sent folder found on {} (none is marked \\Sent and none has a usual name): set [imap] sent_folder so rapport can file copies of what it sent",
                icfg.host
            );
        }
        return Ok(report);
    };
    let wait = SignedDuration::from_secs(i64::try_from(icfg.save_sent_wait).unwrap_or(i64::MAX));
    // Each copy goes to the Sent folder of the account it went out from.
    let pending = store.sent_copies_pending(&account, &folder)?;
    for copy in pending.into_iter().filter(|c| cfg.owns(&c.account)) {
        if copy.seen_in_folder {
            store.record_sent_copy(copy.draft_id, CopyState::Found, &folder, now)?;
            report.found.push(copy.draft_id);
            continue;
        }
        if icfg.save_sent == SaveSent::Auto {
            let due = copy.sent_at.saturating_add(wait).unwrap_or(Timestamp::MAX);
            if now < due {
                report.next_due = Some(report.next_due.map_or(due, |d| d.min(due)));
                continue;
            }
        }
        let there = session.has_message_id(&folder, &copy.message_id).await;
        if there.map_err(|e| not_filed(e, copy.draft_id, &folder))? {
            store.record_sent_copy(copy.draft_id, CopyState::Found, &folder, now)?;
            report.found.push(copy.draft_id);
            continue;
        }
        test_exit("before", 87);
        session
            .append_seen(&folder, &copy.message, copy.sent_at)
            .await
            .map_err(|e| not_filed(e, copy.draft_id, &folder))?;
        test_exit("after", 86);
        store.record_sent_copy(copy.draft_id, CopyState::Appended, &folder, now)?;
        tracing::info!(draft = copy.draft_id, folder = %folder, "saved a copy in Sent");
        report.appended.push(copy.draft_id);
    }
    Ok(report)
}

/// A copy that could not be filed: the server's words, what happens next and what the
/// user can do.
#[derive(Debug, thiserror::Error)]
#[error("{text}")]
pub struct CopyError {
    /// The server refused (NO/BAD): the connection is still good for other commands.
    pub refused: bool,
    text: String,
}

fn not_filed(e: ImapError, draft: i64, folder: &str) -> anyhow::Error {
    let folder = crate::mail::imap::escape_words(folder);
    let fix = match &e {
        ImapError::Refused(_) => format!(
            "the draft stays recorded as sent and its copy pending; rapport tries again later, waiting longer each time. If this repeats, check that \"{folder}\" exists and accepts new mail (or set [imap] sent_folder), or set [imap] save_sent = \"never\" if your provider files its own copy"
        ),
        _ => "the copy stays pending; the next sync tries again".to_string(),
    };
    let text = format!("could not file the copy of draft {draft} in \"{folder}\": {e}; {fix}");
    anyhow::Error::new(CopyError {
        refused: matches!(e, ImapError::Refused(_)),
        text,
    })
}

/// Right after `rapport send` sent something: a pass on a new connection, so `always`
/// (and an `auto` wait of zero) files the copy at once. A failure is only logged: the
/// next sync tries again.
pub fn after_send(store: &Store, cfg: &Loaded, now: Timestamp) {
    let done = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(anyhow::Error::from)
        .and_then(|rt| rt.block_on(save_now(store, cfg, now)));
    if let Err(e) = done {
        tracing::warn!(error = %format!("{e:#}"), "could not file the copy in Sent yet; the next sync tries again");
    }
}

/// One pass on a new connection to `cfg`'s account, filing the copies that are due
/// (nothing when the account has no IMAP server or never saves copies): what
/// [`after_send`] runs, and the daemon after sending from an account whose session it
/// does not keep.
pub async fn save_now(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<()> {
    let Some(icfg) = &cfg.config.imap else {
        return Ok(());
    };
    if icfg.save_sent == SaveSent::Never {
        return Ok(());
    }
    let mut session = Session::connect(icfg, &imap_username(cfg, icfg)).await?;
    let found = session.folders().await?;
    let r = save_copies(store, cfg, &mut session, &found, now).await;
    session.logout().await;
    r.map(|_| ())
}
