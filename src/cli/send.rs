//! `rapport send`: sends the approved drafts that are due (inside the send window, under
//! the cap), after a look at the mailbox for news from the contacts; or, while the daemon
//! holds the send lock, asks it for a turn and shows what it sent. It never sends a draft
//! that is not approved, nor bytes other than the approved ones (`crate::send` holds that).

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::Args;
use jiff::ZonedDateTime;

use super::{Ctx, print_json};
use crate::cli::output::outln;
use crate::store::Draft;

#[derive(Args, Debug)]
pub struct SendArgs {
    /// Print JSON; the fields are in the README.
    #[arg(long)]
    json: bool,
    /// Send the approved drafts now, even outside the send window (the daily cap holds).
    #[arg(long)]
    now: bool,
    /// With --now: only these approved drafts (default: every approved draft).
    #[arg(requires = "now")]
    #[arg(add = super::completions::drafts())]
    ids: Vec<i64>,
}

/// `rapport send` while the daemon holds the send lock: it is asked for a turn now, and
/// what that turn sent is shown.
fn send_via_daemon(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    use crate::daemon::Waited;
    let limit = std::time::Duration::from_secs(120);
    let done = match crate::daemon::wait_for_turn(&ctx.store, &ctx.cfg.store_path, limit)? {
        Waited::Done(d) => d,
        Waited::NoDaemon => {
            bail!("another `rapport send` is sending right now; it will send what is due")
        }
        Waited::TimedOut(pid) => bail!(
            "the daemon (pid {pid}) did not finish a turn within {} s; it goes on by itself (`rapport status` shows its progress)",
            limit.as_secs()
        ),
    };
    if let Some(e) = &done.error {
        bail!("the daemon's turn failed: {e}; it will try again by itself (`rapport status`)");
    }
    let report = done.report.unwrap_or_default();
    if json {
        print_json(&report)?;
    } else {
        outln!("The daemon sent what was due:")?;
        print_report(&report, &ctx.now.to_zoned_datetime(ctx.cfg.tz.clone()))?;
    }
    let bad = !report.failed.is_empty() || !report.unknown.is_empty();
    Ok(if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// `rapport send`: every approved draft that is due, or with `--now` the approved drafts
/// named (every approved one by default), even outside the send window.
pub fn run(config_flag: Option<&Path>, args: SendArgs) -> Result<ExitCode> {
    if args.now {
        return super::approve::send_now_cmd(&mut Ctx::open(config_flag)?, args.ids);
    }
    send(Ctx::open(config_flag)?, args.json)
}

fn send(mut ctx: Ctx, json: bool) -> Result<ExitCode> {
    let Some(lock) = crate::send::try_lock(&ctx.cfg.store_path)? else {
        return send_via_daemon(&ctx, json);
    };
    let cfg = ctx.cfg.clone();
    let due = ctx.store.due_approved(ctx.now)?;
    let (looked, withdrawn, failed) = look_at_mailbox(&mut ctx, !due.is_empty())?;
    let mut looks = super::send_look::Looks::new(&cfg, ctx.now, looked).failed_accounts(failed);
    let mut check = |store: &mut crate::store::Store, d: &Draft| looks.check(store, d);
    let report = crate::send::send_due(&mut ctx.store, &cfg, ctx.now, &lock, &mut check, &|| false);
    looks.finish();
    let report = report?;
    if !report.sent.is_empty() {
        after_send(&ctx.store, &cfg, ctx.now);
    }
    finish(&ctx, report, withdrawn, json)
}

/// Sends the approved drafts `ids` at once (`queue approve --now`), after the same look
/// at the mailbox as `rapport send`.
pub(super) fn send_now(ctx: &mut Ctx, ids: &[i64]) -> Result<ExitCode> {
    let Some(lock) = crate::send::try_lock(&ctx.cfg.store_path)? else {
        bail!(
            "another rapport (probably the daemon) holds the send lock, so --now cannot send beside it; the approved drafts go out with it when due (inside the window), or stop it (`systemctl --user stop rapport`), run this again, and start it"
        );
    };
    let cfg = ctx.cfg.clone();
    let (looked, withdrawn, failed) = look_at_mailbox(ctx, !ids.is_empty())?;
    let mut looks = super::send_look::Looks::new(&cfg, ctx.now, looked).failed_accounts(failed);
    let mut check = |store: &mut crate::store::Store, d: &Draft| looks.check(store, d);
    let report = crate::send::send_now(&mut ctx.store, &cfg, ctx.now, &lock, ids, &mut check);
    looks.finish();
    let report = report?;
    if !report.sent.is_empty() {
        after_send(&ctx.store, &cfg, ctx.now);
        super::approve::say_outside_window(ctx, report.sent.len())?;
    }
    finish(ctx, report, withdrawn, false)
}

/// The copies in Sent right after sending, each account's in its own Sent folder.
fn after_send(store: &crate::store::Store, cfg: &crate::config::Loaded, now: jiff::Timestamp) {
    for view in cfg.account_views() {
        crate::mail::sent_copy::after_send(store, &view, now);
    }
}

/// Whether the look at the mailbox worked, the drafts it withdrew, and with several
/// accounts the ones it could not read.
type Look = (Result<(), String>, Vec<(i64, String)>, Vec<String>);

/// Before anything goes out, a look at the mailbox for news from the contacts (every
/// kind of draft: a contact who has written since gets no follow-up written before).
/// Returns whether the look worked and the drafts it withdrew.
fn look_at_mailbox(ctx: &mut Ctx, needed: bool) -> Result<Look> {
    let cfg = ctx.cfg.clone();
    if !needed || (cfg.config.imap.is_none() && cfg.config.maildir.is_none()) {
        return Ok((Ok(()), Vec::new(), Vec::new()));
    }
    Ok(match super::sync::sync_accounts(ctx, None) {
        Ok(accounts) => {
            let mut looked = Ok(());
            let mut failed = Vec::new();
            for a in &accounts {
                let folder = a.folders.iter().find(|r| r.error.is_some());
                let error = match (&a.error, folder) {
                    (Some(e), _) => format!("account {}: {e}", a.name),
                    (None, Some(r)) => {
                        format!("{}: {}", r.folder, r.error.clone().unwrap_or_default())
                    }
                    (None, None) => continue,
                };
                if looked.is_ok() {
                    looked = Err(error);
                }
                if cfg.several_accounts() {
                    failed.push(a.name.clone());
                }
            }
            let withdrawn =
                crate::followup::bring_current(&mut ctx.store, &cfg, ctx.now)?.superseded;
            (looked, withdrawn, failed)
        }
        Err(e) => (Err(format!("{e:#}")), Vec::new(), Vec::new()),
    })
}

fn finish(
    ctx: &Ctx,
    mut report: crate::send::Report,
    mut withdrawn: Vec<(i64, String)>,
    json: bool,
) -> Result<ExitCode> {
    // What the look at the mailbox withdrew counts as withdrawn by this send.
    withdrawn.append(&mut report.skipped);
    report.skipped = withdrawn;
    if json {
        print_json(&report)?;
    } else {
        print_report(&report, &ctx.now.to_zoned_datetime(ctx.cfg.tz.clone()))?;
    }
    // A login that does not work is no failed draft, but a script running `send` must
    // not take it for success either.
    let no_login = report
        .held
        .as_deref()
        .is_some_and(|h| h.starts_with(crate::send::WAITING_FOR_LOGIN));
    let bad = !report.failed.is_empty() || !report.unknown.is_empty() || no_login;
    Ok(if bad {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

fn print_report(r: &crate::send::Report, _now: &ZonedDateTime) -> Result<()> {
    for id in &r.recovered_unknown {
        outln!(
            "Draft {id} was interrupted while sending; it will not be resent on its own. See `rapport queue`."
        )?;
    }
    for id in &r.sent {
        outln!("Sent {id}.")?;
    }
    for (id, e) in &r.retrying {
        outln!("Not sent {id} yet, will retry: {e}")?;
    }
    for (id, e) in &r.failed {
        outln!("Failed {id}: {e}")?;
    }
    for (id, e) in &r.unknown {
        outln!(
            "Unknown {id}: {e}; check your Sent folder, then `rapport queue resolve {id} sent|not-sent`."
        )?;
    }
    for (id, e) in &r.skipped {
        outln!("Withdrew {id}: {e}")?;
    }
    for (id, e) in &r.held_drafts {
        outln!("Kept {id} for later: {e}")?;
    }
    if let Some(h) = &r.held {
        outln!("Held back: {h}.")?;
    }
    if r.sent.is_empty()
        && r.retrying.is_empty()
        && r.failed.is_empty()
        && r.unknown.is_empty()
        && r.held.is_none()
        && r.skipped.is_empty()
    {
        outln!("Nothing to send.")?;
    }
    Ok(())
}
