//! Which account a follow-up goes out from: the one the contact chose (`rapport
//! contacts edit --account`), else the one the last conversation with them happened
//! on (the address they last wrote to, or the user last wrote to them from), else the
//! first account. With one account this is always that account.
//!
//! It must never pick an account the config does not have: a stored name that is no
//! account's any more (a contact's choice, a message read under an account since
//! renamed) falls through to the next rule.

use anyhow::Result;

use crate::config::Loaded;
use crate::core::model::Direction;
use crate::store::Store;

/// Why an account was chosen, for the queue and `rapport why`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Why {
    /// The contact's own setting.
    Chosen,
    /// The account of the last message to or from them.
    LastConversation,
    /// Nothing to go by: the first account, an address they may not have seen.
    First,
}

/// The account a follow-up to `contact_id` goes out from, and why.
pub fn choose(store: &Store, cfg: &Loaded, contact_id: i64) -> Result<(String, Why)> {
    let names = cfg.account_names();
    let known = |n: &str| names.iter().any(|x| x == n);
    if let Some(chosen) = store.contact_account(contact_id)?.filter(|n| known(n)) {
        return Ok((chosen, Why::Chosen));
    }
    if let Some(last) = store.last_conversation(contact_id)? {
        let by_address = match last.direction {
            Direction::Out => cfg.account_of_address(&last.from_addr),
            Direction::In => last.to_addrs.iter().find_map(|a| cfg.account_of_address(a)),
        };
        let found = by_address.or_else(|| known(&last.account).then_some(last.account));
        if let Some(account) = found.filter(|n| known(n)) {
            return Ok((account, Why::LastConversation));
        }
    }
    let first = names.into_iter().next().unwrap_or_default();
    Ok((first, Why::First))
}

/// The view of the config for the account a follow-up to `contact_id` goes out from.
pub fn view_for(store: &Store, cfg: &Loaded, contact_id: i64) -> Result<Loaded> {
    if cfg.config.accounts.is_empty() {
        return Ok(cfg.clone());
    }
    let (name, _) = choose(store, cfg, contact_id)?;
    Ok(cfg.for_account_or_first(&name))
}

/// "from work <ada@work.example>" for a draft's account when there are several
/// accounts (`None` with one: nothing to tell apart).
pub fn from_line(cfg: &Loaded, account: &str) -> Option<String> {
    if !cfg.several_accounts() {
        return None;
    }
    let view = cfg.for_account_or_first(account);
    Some(format!(
        "from {} <{}>",
        view.account, view.config.identity.email
    ))
}

/// The warning a draft carries when it goes out from an address the contact may not
/// have seen: no conversation with them yet, or a last one on another account. `None`
/// with one account, or when it is the account of the last conversation.
pub fn unseen_warning(
    store: &Store,
    cfg: &Loaded,
    contact_id: i64,
    account: &str,
) -> Result<Option<String>> {
    if !cfg.several_accounts() {
        return Ok(None);
    }
    let Some(last) = store.last_conversation(contact_id)? else {
        return Ok(Some(
            "a new address to them: you have no conversation with them yet".into(),
        ));
    };
    let by_address = match last.direction {
        Direction::Out => cfg.account_of_address(&last.from_addr),
        Direction::In => last.to_addrs.iter().find_map(|a| cfg.account_of_address(a)),
    };
    let last_account = by_address.unwrap_or(last.account);
    Ok((last_account != account).then(|| {
        format!("not the address of your last conversation with them (that was {last_account})")
    }))
}

#[cfg(test)]
mod tests;
