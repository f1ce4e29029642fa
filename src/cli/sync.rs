//! `rapport sync`: reads the mailbox once (every configured source), new messages
//! classified onto the timelines, and prints one line per folder. It never changes the
//! mailbox, drafts or sends anything; the daemon is told afterwards and plans from what
//! was found.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use serde_json::json;

use super::{Ctx, print_json};
use crate::cli::output::{errln, outln};
use crate::mail::sync::FolderReport;

#[derive(Args, Debug)]
pub struct SyncArgs {
    /// Print JSON; the fields are in the README.
    #[arg(long)]
    json: bool,
    /// Read only this calendar (a [[calendars]] name) now, not the mailbox.
    #[arg(long, value_name = "NAME", conflicts_with = "account")]
    calendar: Option<String>,
    /// Sync only the account of this name (an [[accounts]] table's `name`).
    #[arg(long, value_name = "NAME")]
    account: Option<String>,
}

/// One account's part of a sync: its folders, or why it could not be read.
#[derive(Debug, serde::Serialize)]
pub struct AccountSync {
    /// The account's name ("default" for a single-account config).
    pub name: String,
    /// The address it sends from.
    pub email: String,
    /// What each folder's sync did.
    pub folders: Vec<FolderReport>,
    /// Why the account could not be read (the server down, the login refused).
    pub error: Option<String>,
}

/// Syncs every account (or the one named), each on its own: with several accounts, one
/// that cannot be read (its server down, its login refused) is reported and the others
/// are read all the same.
pub fn sync_accounts(ctx: &mut Ctx, only: Option<&str>) -> Result<Vec<AccountSync>> {
    let names = ctx.cfg.account_names();
    if let Some(n) = only
        && !names.iter().any(|x| x == n)
    {
        bail!(
            "no account named {n:?} in {}; the accounts are {}",
            ctx.cfg.path.display(),
            names.join(", ")
        );
    }
    let several = ctx.cfg.several_accounts();
    let mut out = Vec::new();
    for view in ctx.cfg.account_views() {
        if only.is_some_and(|n| n != view.account) {
            continue;
        }
        let read = sync_account(&mut ctx.store, &view, ctx.now);
        let (folders, error) = match read {
            Ok(f) => (f, None),
            Err(e) if several => {
                tracing::warn!(account = %view.account, error = %format!("{e:#}"), "could not sync the account; the others are synced");
                (Vec::new(), Some(format!("{e:#}")))
            }
            Err(e) => return Err(e),
        };
        let failed = error
            .clone()
            .or_else(|| folders.iter().find_map(|r| r.error.clone()));
        crate::account_health::record(&ctx.store, &view, failed.as_deref(), ctx.now);
        out.push(AccountSync {
            name: view.account.clone(),
            email: view.config.identity.email.clone(),
            folders,
            error,
        });
    }
    Ok(out)
}

/// One account's sources: its IMAP server, then its Maildir.
fn sync_account(
    store: &mut crate::store::Store,
    view: &crate::config::Loaded,
    now: jiff::Timestamp,
) -> Result<Vec<FolderReport>> {
    let mut reports = Vec::new();
    if view.config.imap.is_none() && view.config.maildir.is_none() {
        bail!(
            "nothing to sync: add an [imap] section (or [maildir]) to {}",
            view.path.display()
        );
    }
    if view.config.imap.is_some() {
        reports.extend(crate::mail::sync::sync_imap(store, view, now)?);
    }
    if view.config.maildir.is_some() {
        reports.extend(crate::mail::maildir::sync_maildir(store, view, now)?);
    }
    Ok(reports)
}

/// `rapport sync`: one pass, printed, then a word to the daemon so it plans and sends
/// with what was found (quietly under --json).
pub fn run(config_flag: Option<&Path>, args: &SyncArgs) -> Result<ExitCode> {
    let ctx = Ctx::open(config_flag)?;
    let store_path = ctx.cfg.store_path.clone();
    let code = match &args.calendar {
        Some(name) => sync_calendar(ctx, name, args.json)?,
        None => sync(ctx, args)?,
    };
    if let Err(e) = crate::daemon::kick(&store_path) {
        errln!("warning: {e:#}");
    }
    Ok(code)
}

fn sync(mut ctx: Ctx, args: &SyncArgs) -> Result<ExitCode> {
    let c = &ctx.cfg.config;
    let mail = c.imap.is_some() || c.maildir.is_some() || !c.accounts.is_empty();
    // A config with calendars and no mailbox reads its calendars only; one with
    // neither says there is nothing to sync.
    let accounts = if mail || c.calendars.is_empty() {
        sync_accounts(&mut ctx, args.account.as_deref())?
    } else {
        Vec::new()
    };
    // `--account NAME` reads that account's mail; the calendars are read on their own.
    let calendars = if args.account.is_none() {
        super::calendars::sync(&mut ctx, None)?
    } else {
        Vec::new()
    };
    let several = ctx.cfg.several_accounts();
    if args.json {
        let folders: Vec<&FolderReport> = accounts.iter().flat_map(|a| &a.folders).collect();
        let mut out = json!({ "folders": folders, "accounts": accounts });
        if !calendars.is_empty() {
            out["calendars"] = json!(calendars);
        }
        print_json(&out)?;
    } else {
        for a in &accounts {
            if several {
                outln!("account {} <{}>:", a.name, a.email)?;
            }
            if let Some(e) = &a.error {
                outln!("error: {e}")?;
            }
            for r in &a.folders {
                print_folder_report(r)?;
            }
        }
        for r in &calendars {
            super::calendars::print_report(r)?;
        }
    }
    let failed = accounts
        .iter()
        .any(|a| a.error.is_some() || a.folders.iter().any(|r| r.error.is_some()))
        || calendars.iter().any(|r| r.error.is_some());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `rapport sync --calendar NAME`: that calendar only.
fn sync_calendar(mut ctx: Ctx, name: &str, json: bool) -> Result<ExitCode> {
    let reports = super::calendars::sync(&mut ctx, Some(name))?;
    if json {
        print_json(&json!({ "calendars": reports }))?;
    } else {
        for r in &reports {
            super::calendars::print_report(r)?;
        }
    }
    Ok(if reports.iter().any(|r| r.error.is_some()) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// One folder's line of `rapport sync`.
fn print_folder_report(r: &FolderReport) -> Result<()> {
    if let Some(e) = &r.error {
        outln!("{}: error: {e}", r.folder)?;
        return Ok(());
    }
    let labels: Vec<String> = r.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let rescan = if r.uidvalidity_changed {
        " (UIDVALIDITY changed: rescanned)"
    } else {
        ""
    };
    outln!(
        "{}: read {}, new {}, {} timeline entries{rescan}{}",
        r.folder,
        r.read,
        r.new,
        r.interactions,
        if labels.is_empty() {
            String::new()
        } else {
            format!(" — {}", labels.join(", "))
        }
    )?;
    Ok(())
}
