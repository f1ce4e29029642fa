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
    #[arg(long, value_name = "NAME")]
    calendar: Option<String>,
}

/// Runs one sync pass over every configured source.
pub fn sync_all(ctx: &mut Ctx) -> Result<Vec<FolderReport>> {
    let mut reports = Vec::new();
    if ctx.cfg.config.imap.is_none() && ctx.cfg.config.maildir.is_none() {
        bail!(
            "nothing to sync: add an [imap] section (or [maildir]) to {}",
            ctx.cfg.path.display()
        );
    }
    if ctx.cfg.config.imap.is_some() {
        reports.extend(crate::mail::sync::sync_imap(
            &mut ctx.store,
            &ctx.cfg,
            ctx.now,
        )?);
    }
    if ctx.cfg.config.maildir.is_some() {
        reports.extend(crate::mail::maildir::sync_maildir(
            &mut ctx.store,
            &ctx.cfg,
            ctx.now,
        )?);
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
        None => sync(ctx, args.json)?,
    };
    if let Err(e) = crate::daemon::kick(&store_path) {
        errln!("warning: {e:#}");
    }
    Ok(code)
}

fn sync(mut ctx: Ctx, json: bool) -> Result<ExitCode> {
    let mail = ctx.cfg.config.imap.is_some() || ctx.cfg.config.maildir.is_some();
    let reports = if mail || ctx.cfg.config.calendars.is_empty() {
        sync_all(&mut ctx)?
    } else {
        Vec::new()
    };
    let calendars = super::calendars::sync(&mut ctx, None)?;
    if json {
        let mut out = json!({ "folders": reports });
        if !calendars.is_empty() {
            out["calendars"] = json!(calendars);
        }
        print_json(&out)?;
    } else {
        for r in &reports {
            print_folder_report(r)?;
        }
        for r in &calendars {
            super::calendars::print_report(r)?;
        }
    }
    let failed =
        reports.iter().any(|r| r.error.is_some()) || calendars.iter().any(|r| r.error.is_some());
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
    let failed = reports.iter().any(|r| r.error.is_some());
    Ok(if failed {
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
