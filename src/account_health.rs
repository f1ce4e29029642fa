//! Whether each account could be read: the last time it was, and the error since, kept
//! in the store's `state` table under the account's own keys, so that `status`, the
//! digest and the daemon's log say the same thing about each account.
//!
//! It must never hold a secret: the text kept is rapport's or the server's words.

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use crate::config::Loaded;
use crate::store::{Store, fmt_ts};

/// The state key of an account's last error ("" once it reads again).
const ERROR_KEY: &str = "account_error";
/// The state key of the last time an account was read without error.
const READ_KEY: &str = "account_read";

/// One account as `status --json` lists it.
#[derive(Debug, Clone, Serialize)]
pub struct AccountState {
    /// Its name ("default" for a single-account config).
    pub name: String,
    /// The address it sends from.
    pub email: String,
    /// Its IMAP server, if it has one.
    pub imap_host: Option<String>,
    /// The last time it was read without error (RFC 3339), if ever.
    pub last_read: Option<String>,
    /// Why the last read failed, if it did, and when.
    pub error: Option<String>,
    /// When `error` was recorded.
    pub error_at: Option<String>,
    /// Messages stored from it.
    pub messages: i64,
}

/// Records how reading the account of `view` went; a failure to record is logged.
pub fn record(store: &Store, view: &Loaded, error: Option<&str>, now: Timestamp) {
    let saved = match error {
        None => store
            .set_state(&view.state_key(ERROR_KEY), "", now)
            .and_then(|()| store.set_state(&view.state_key(READ_KEY), &fmt_ts(now), now)),
        Some(e) => store.set_state(&view.state_key(ERROR_KEY), e, now),
    };
    if let Err(e) = saved {
        tracing::warn!(account = %view.account, error = %format!("{e:#}"), "could not record how the account was read");
    }
}

/// Every account of `cfg`, in the config's order, with its last read and error.
pub fn states(store: &Store, cfg: &Loaded) -> Result<Vec<AccountState>> {
    let counts = store.messages_per_account()?;
    let mut out = Vec::new();
    for view in cfg.account_views() {
        let error = store
            .state(&view.state_key(ERROR_KEY))?
            .filter(|(e, _)| !e.is_empty());
        let messages = counts
            .iter()
            .filter(|(name, _)| view.owns(name))
            .map(|(_, n)| n)
            .sum();
        out.push(AccountState {
            name: view.account.clone(),
            email: view.config.identity.email.clone(),
            imap_host: view.config.imap.as_ref().map(|i| i.host.clone()),
            last_read: store.state(&view.state_key(READ_KEY))?.map(|(at, _)| at),
            error_at: error.as_ref().map(|(_, at)| at.clone()),
            error: error.map(|(e, _)| e),
            messages,
        });
    }
    Ok(out)
}

/// One line per account that could not be read, for the digest and `status`.
pub fn failing(store: &Store, cfg: &Loaded) -> Result<Vec<String>> {
    Ok(states(store, cfg)?
        .into_iter()
        .filter_map(|a| {
            let e = a.error?;
            Some(format!(
                "account {} <{}> could not be read (since {}): {e}; the other accounts go on, and rapport tries again by itself",
                a.name,
                a.email,
                a.error_at.unwrap_or_default()
            ))
        })
        .collect())
}
