//! Several accounts in one rapport: the `[[accounts]]` tables, and the single-account
//! form (`[identity] email`, `[imap]`, `[smtp]`, `[maildir]`) read as one account named
//! [`DEFAULT_ACCOUNT`].
//!
//! The rest of rapport reads one account at a time through a *view*: a [`Loaded`] whose
//! `[identity] email`, `[imap]`, `[maildir]`, `[smtp]`, send window and daily cap are
//! that account's ([`Loaded::for_account`]). Its `aliases` hold every other address of
//! every account, so "is this from the user" is the same question in every view: a
//! reply to the work address is a reply whichever account reads it.
//!
//! This module must never let both forms stand at once, nor two accounts share a name
//! or an address: either would make "which account" a guess.

use serde::{Deserialize, Serialize};

use super::{Config, Imap, Loaded, Maildir, SendWindow, Smtp, Window};

/// The name of the one account a single-account config describes (and of every
/// message and draft stored before there were several).
pub const DEFAULT_ACCOUNT: &str = "default";

/// One `[[accounts]]` table: an address of the user's, its mailbox and its server.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Account {
    /// A short name (`work`, `personal`): letters, digits, `-` and `_`.
    pub name: String,
    /// The address this account sends from.
    pub email: String,
    /// Other addresses of this account (they count as the user's too).
    #[serde(default)]
    pub aliases: Vec<String>,
    /// The account's IMAP server, the keys of `[imap]`.
    #[serde(default)]
    pub imap: Option<Imap>,
    /// The account's Maildir, the keys of `[maildir]`.
    #[serde(default)]
    pub maildir: Option<Maildir>,
    /// The account's submission server, the keys of `[smtp]`.
    #[serde(default)]
    pub smtp: Smtp,
    /// This account's send window; the top-level `[send_window]` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub send_window: Option<SendWindow>,
    /// This account's daily cap; `policy.daily_send_cap` when absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub daily_send_cap: Option<u32>,
}

/// Checks the `[[accounts]]` tables (none: the single-account form, nothing to do) and
/// returns each account's own send window, parsed (`None`: the top-level one). The
/// first account's addresses become `[identity]`'s, so the checks and every reader of
/// the identity see a whole one.
pub(super) fn check(
    config: &mut Config,
    text: &str,
) -> Result<Vec<Option<Window>>, (String, String)> {
    if config.accounts.is_empty() {
        return Ok(Vec::new());
    }
    let top: toml::Table = toml::from_str(text).unwrap_or_default();
    let single = ["imap", "smtp", "maildir"]
        .into_iter()
        .find(|k| top.contains_key(*k))
        .map(|k| format!("[{k}]"))
        .or_else(|| (!config.identity.email.is_empty()).then(|| "[identity] email".to_string()))
        .or_else(|| {
            (!config.identity.aliases.is_empty()).then(|| "[identity] aliases".to_string())
        });
    if let Some(what) = single {
        return Err((
            "accounts".into(),
            format!(
                "the config has both [[accounts]] and the single-account {what}; move {what} into an [[accounts]] table (its email, aliases, [accounts.imap], [accounts.smtp]) or remove the [[accounts]] tables"
            ),
        ));
    }
    let mut seen = Seen::default();
    let mut windows = Vec::new();
    for (i, a) in config.accounts.iter().enumerate() {
        windows.push(check_account(i, a, &mut seen)?);
    }
    if let Some(first) = config.accounts.first() {
        config.identity.email = first.email.clone();
        config.smtp = first.smtp.clone();
    }
    Ok(windows)
}

/// The names and addresses of the accounts checked so far.
#[derive(Default)]
struct Seen {
    names: Vec<String>,
    /// (account, address lowercased)
    addresses: Vec<(String, String)>,
}

/// Checks the `i`th account against itself and those before it; returns its own send
/// window, parsed.
fn check_account(
    i: usize,
    a: &Account,
    seen: &mut Seen,
) -> Result<Option<Window>, (String, String)> {
    let key = |k: &str| format!("accounts.{k}");
    if !valid_name(&a.name) {
        return Err((
            key("name"),
            format!(
                "account {} has the name {:?}; name it with letters, digits, - and _ only (at most 32), e.g. name = \"work\"",
                i + 1,
                a.name
            ),
        ));
    }
    if seen.names.contains(&a.name) {
        return Err((
            key("name"),
            format!(
                "two accounts are named {:?}; give each [[accounts]] table its own name",
                a.name
            ),
        ));
    }
    seen.names.push(a.name.clone());
    for address in std::iter::once(&a.email).chain(&a.aliases) {
        let lower = address.trim().to_lowercase();
        if !crate::core::address::is_email(&lower) {
            return Err((
                key("email"),
                format!(
                    "account {:?}: {address:?} is not an email address; write the address this account sends from, e.g. email = \"you@example.com\"",
                    a.name
                ),
            ));
        }
        if let Some((other, _)) = seen.addresses.iter().find(|(_, x)| *x == lower) {
            return Err((
                key("email"),
                format!(
                    "{address:?} belongs to both account {other:?} and account {:?}; an address is one account's, so remove it from one",
                    a.name
                ),
            ));
        }
        seen.addresses.push((a.name.clone(), lower));
    }
    if a.imap.is_none() && a.maildir.is_none() {
        return Err((
            key("imap"),
            format!(
                "account {:?} has no mailbox; add [accounts.imap] (or [accounts.maildir]) under it, so rapport sees the replies that come to {}",
                a.name, a.email
            ),
        ));
    }
    a.send_window
        .as_ref()
        .map(|w| {
            super::validate::parse_window(w)
                .map_err(|(k, m)| (key(k), format!("account {:?}: {m}", a.name)))
        })
        .transpose()
}

/// Whether `name` can name an account (it appears in state keys, logs and commands).
pub fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 32
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}

impl Loaded {
    /// The names of every account, in the config's order (`["default"]` for a
    /// single-account config).
    pub fn account_names(&self) -> Vec<String> {
        if self.config.accounts.is_empty() {
            vec![DEFAULT_ACCOUNT.to_string()]
        } else {
            self.config
                .accounts
                .iter()
                .map(|a| a.name.clone())
                .collect()
        }
    }

    /// Whether the config has several accounts (`[[accounts]]` with more than one).
    pub fn several_accounts(&self) -> bool {
        self.config.accounts.len() > 1
    }

    /// The view of one account, `None` when no account has that name. A name stored
    /// before the accounts were configured ("default") that is no account's is read as
    /// the first account's: the history of the single account stays usable.
    pub fn for_account(&self, name: &str) -> Option<Loaded> {
        if self.config.accounts.is_empty() {
            return (name == DEFAULT_ACCOUNT).then(|| self.clone());
        }
        let (i, a) = self
            .config
            .accounts
            .iter()
            .enumerate()
            .find(|(_, a)| a.name == name)?;
        let mut view = self.clone();
        view.account = a.name.clone();
        let c = &mut view.config;
        c.identity.email = a.email.clone();
        c.identity.aliases = a.aliases.clone();
        for (j, other) in self.config.accounts.iter().enumerate() {
            if j != i {
                c.identity.aliases.push(other.email.clone());
                c.identity.aliases.extend(other.aliases.iter().cloned());
            }
        }
        c.imap = a.imap.clone();
        c.maildir = a.maildir.clone();
        c.smtp = a.smtp.clone();
        if let Some(w) = &a.send_window {
            c.send_window = w.clone();
            view.window = self
                .account_windows
                .get(i)
                .cloned()
                .unwrap_or_else(|| self.window.clone());
        }
        if let Some(cap) = a.daily_send_cap {
            c.policy.daily_send_cap = cap;
        }
        Some(view)
    }

    /// The view of the account named `name`, or of the first account when no account
    /// has that name (a row stored under a name since removed from the config).
    pub fn for_account_or_first(&self, name: &str) -> Loaded {
        self.for_account(name)
            .or_else(|| {
                let first = self.account_names().into_iter().next()?;
                self.for_account(&first)
            })
            .unwrap_or_else(|| self.clone())
    }

    /// Every account's view, in the config's order.
    pub fn account_views(&self) -> Vec<Loaded> {
        self.account_names()
            .iter()
            .filter_map(|n| self.for_account(n))
            .collect()
    }

    /// The account whose own addresses (email and aliases) include `address`.
    pub fn account_of_address(&self, address: &str) -> Option<String> {
        let address = address.trim().to_lowercase();
        if self.config.accounts.is_empty() {
            let id = &self.config.identity;
            let mine = std::iter::once(&id.email)
                .chain(&id.aliases)
                .any(|a| a.trim().to_lowercase() == address);
            return mine.then(|| DEFAULT_ACCOUNT.to_string());
        }
        self.config
            .accounts
            .iter()
            .find(|a| {
                std::iter::once(&a.email)
                    .chain(&a.aliases)
                    .any(|x| x.trim().to_lowercase() == address)
            })
            .map(|a| a.name.clone())
    }

    /// Whether a row stored under the account `name` (a message, a draft) is this
    /// view's: its own name, or, for the first account, a name no account has (rows
    /// from before the accounts were configured, or of an account since removed).
    pub fn owns(&self, name: &str) -> bool {
        let names = self.account_names();
        name == self.account
            || (names.first() == Some(&self.account) && !names.iter().any(|n| n == name))
    }

    /// A `state` key of this view's account: `base` itself for the first (or only)
    /// account, so a single-account database keeps its keys, else `base:NAME`.
    pub fn state_key(&self, base: &str) -> String {
        let first = self.account_names().into_iter().next();
        if first.as_deref() == Some(self.account.as_str()) {
            base.to_string()
        } else {
            format!("{base}:{}", self.account)
        }
    }
}

#[cfg(test)]
mod tests;
