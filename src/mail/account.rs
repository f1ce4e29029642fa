//! One account's whole mailbox read once on a connection of its own: its IMAP folders
//! (with the copies in its Sent folder) and its Maildir. The daemon reads every account
//! after the first this way each turn, and both the daemon and `rapport send` read a
//! draft's own account this way just before sending it.
//!
//! It must never hide a folder's failure: an account read in part is an error, so a
//! draft of that account is held rather than sent on a partial look.

use anyhow::Result;
use jiff::Timestamp;

use crate::config::Loaded;
use crate::store::Store;

/// Reads the account of `view`; returns how many new messages were stored.
pub async fn read_account(
    store: &mut Store,
    view: &Loaded,
    now: Timestamp,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<usize> {
    let mut new = 0;
    if view.config.imap.is_some() {
        new += new_or_error(&super::sync::sync_imap_async(store, view, now).await?)?;
    }
    if view.config.maildir.is_some() {
        new += new_or_error(&super::maildir::sync_maildir_until(store, view, now, stop)?)?;
    }
    Ok(new)
}

/// The new messages of a source's folders, or the first folder's error.
fn new_or_error(reports: &[super::sync::FolderReport]) -> Result<usize> {
    if let Some(r) = reports.iter().find(|r| r.error.is_some()) {
        anyhow::bail!(
            "folder {}: {}",
            r.folder,
            r.error.as_deref().unwrap_or_default()
        );
    }
    Ok(reports.iter().map(|r| r.new).sum())
}
