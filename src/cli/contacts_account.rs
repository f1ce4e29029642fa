//! `rapport contacts edit --account NAME`: the account a contact's follow-ups go out
//! from, instead of the one of the last conversation with them.
//!
//! It must never accept a name that is no account's (the contact would silently fall
//! back to another), and never rewrite a draft already written: its bytes carry the
//! account it was written from, and the user may have approved them.

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::output::outln;
use crate::store::Contact;

/// The word that clears the choice.
const AUTO: &str = "auto";

/// The account to set: `Some(None)` clears the choice, `None` leaves it. Checked before
/// the edit changes anything.
pub(super) fn checked(ctx: &Ctx, account: Option<&str>) -> Result<Option<Option<String>>> {
    let Some(name) = account.map(str::trim) else {
        return Ok(None);
    };
    if name == AUTO {
        return Ok(Some(None));
    }
    let names = ctx.cfg.account_names();
    if !names.iter().any(|n| n == name) {
        bail!(
            "no account named {name:?} in {}; use one of {} (or \"auto\" for the account of your last conversation with them)",
            ctx.cfg.path.display(),
            names.join(", ")
        );
    }
    Ok(Some(Some(name.to_string())))
}

/// Records the choice and says where their follow-ups now go from, and that drafts
/// already written keep theirs.
pub(super) fn set(ctx: &mut Ctx, c: &Contact, account: Option<&str>) -> Result<()> {
    ctx.store.set_contact_account(c.id, account)?;
    let (name, _) = crate::followup::account::choose(&ctx.store, &ctx.cfg, c.id)?;
    let view = ctx.cfg.for_account_or_first(&name);
    outln!(
        "Follow-ups to {} go out from {} <{}>{}.",
        c.display_name(),
        view.account,
        view.config.identity.email,
        if account.is_none() {
            " (the account of your last conversation)"
        } else {
            ""
        }
    )?;
    let written = ctx
        .store
        .drafts_for_contact(c.id)?
        .into_iter()
        .filter(|d| d.status.is_open() && d.account != view.account)
        .count();
    if written > 0 {
        outln!(
            "{written} open {} to them keep the account they were written from; `rapport queue` shows which.",
            crate::cli::output::plural(written, "draft", "drafts")
        )?;
    }
    Ok(())
}
