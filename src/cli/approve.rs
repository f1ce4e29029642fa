//! `rapport queue approve`: approving exactly what the user saw.
//!
//! `--all` never approves a draft the user was not shown: on a terminal it shows the
//! pending drafts and asks; without one it approves only the pending drafts the last
//! `rapport queue` listing showed (recorded in the store's state table, each by its id
//! *and* the SHA-256 of its bytes, which hold its Message-ID: a draft with the same id
//! that is not the one listed, or was edited since, never matches), and names them — a
//! draft the daemon made after that listing waits. A draft that cannot be
//! approved (failed, sent, unknown, withdrawn) gets the step that makes sense instead.
//!
//! This module must never approve a draft whose id it did not name in its output.

use crate::cli::output::{out, outln};
use std::collections::BTreeSet;
use std::io::{BufRead, IsTerminal};
use std::process::ExitCode;

use anyhow::{Result, bail};

use super::Ctx;
use crate::core::model::DraftStatus;
use crate::store::Draft;

/// The state key holding the pending drafts the last listing showed, as
/// `ID:SHA256,...`. A new key: a listing recorded as bare ids by an older rapport is not
/// trusted, so `--all` asks for a new listing.
const LISTED_KEY: &str = "queue_listed_drafts";

/// What a listing recorded of one draft: its id and the digest of its exact bytes.
fn listed_as(d: &Draft) -> String {
    format!("{}:{}", d.id, crate::store::drafts_digest(&d.message))
}

/// Remembers which pending drafts a `rapport queue` listing showed.
pub(super) fn record_listing(ctx: &Ctx, drafts: &[Draft]) -> Result<()> {
    let listed: Vec<String> = drafts
        .iter()
        .filter(|d| d.status == DraftStatus::Pending)
        .map(listed_as)
        .collect();
    ctx.store.set_state(LISTED_KEY, &listed.join(","), ctx.now)
}

pub(super) fn run(ctx: &mut Ctx, ids: Vec<i64>, all: bool, now: bool) -> Result<ExitCode> {
    let ids = if all { chosen_for_all(ctx)? } else { ids };
    if ids.is_empty() {
        outln!("Nothing approved.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let running = crate::daemon::running_daemon(&ctx.cfg.store_path)?;
    // Only a daemon on this very file will send what is approved here.
    let daemon = !now && running.as_ref().is_some_and(|d| d.same_file);
    let mut approved = Vec::new();
    let code = super::queue::each(&ids, |id| {
        approve_one(ctx, id, now, daemon)?;
        approved.push(id);
        Ok(())
    });
    if let Some(d) = running.filter(|d| !d.same_file) {
        outln!(
            "Note: the daemon (pid {}) runs on an older file than this database (it was replaced since the daemon started), so it will not send these; it stops at its next turn — restart it (`systemctl --user restart rapport`) or run `rapport send`.",
            d.pid
        )?;
        // The kick makes it notice now and stop.
        let _ = crate::daemon::kick(&ctx.cfg.store_path);
    } else if daemon && !approved.is_empty() {
        super::kick_daemon(ctx);
    }
    if now && !approved.is_empty() {
        let sent = super::send::send_now(ctx, &approved)?;
        if sent != ExitCode::SUCCESS {
            return Ok(sent);
        }
    }
    Ok(code)
}

/// The drafts `--all` may approve: confirmed on a terminal, else the last listing's.
fn chosen_for_all(ctx: &Ctx) -> Result<Vec<i64>> {
    let pending: Vec<Draft> = ctx
        .store
        .drafts(false)?
        .into_iter()
        .filter(|d| d.status == DraftStatus::Pending)
        .collect();
    if pending.is_empty() {
        outln!("Nothing pending to approve.")?;
        return Ok(Vec::new());
    }
    if std::io::stdin().is_terminal() && std::io::stdout().is_terminal() {
        return confirm(&pending);
    }
    let Some((listed, at)) = ctx.store.state(LISTED_KEY)? else {
        bail!(
            "nothing approved: without a terminal, `queue approve --all` approves only the drafts `rapport queue` showed you, and it has not listed any yet; run `rapport queue`, then approve again (or name the ids)"
        );
    };
    let listed: BTreeSet<&str> = listed.split(',').map(str::trim).collect();
    let (shown, unseen): (Vec<&Draft>, Vec<&Draft>) = pending
        .iter()
        .partition(|d| listed.contains(listed_as(d).as_str()));
    if !unseen.is_empty() {
        let ids: Vec<String> = unseen.iter().map(|d| d.id.to_string()).collect();
        outln!(
            "Not approving {} (not in the list `rapport queue` showed at {at}, or changed since); run `rapport queue` to see them.",
            ids.join(", ")
        )?;
    }
    Ok(shown.iter().map(|d| d.id).collect())
}

/// Shows the pending drafts and asks; the answer approves exactly those shown.
fn confirm(pending: &[Draft]) -> Result<Vec<i64>> {
    outln!("Pending drafts:")?;
    for d in pending {
        outln!(
            "{:>4}  {:<15} {:<28} {}",
            d.id,
            d.kind,
            super::cell(&d.to_addr, 28),
            super::cell(&d.subject, 40)
        )?;
    }
    out!(
        "Approve {} {}? They go out when due, inside the send window. [y/N] ",
        if pending.len() == 1 { "this" } else { "these" },
        if pending.len() == 1 {
            "draft".to_string()
        } else {
            format!("{} drafts", pending.len())
        }
    )?;
    super::output::flush()?;
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    if matches!(answer.trim(), "y" | "Y" | "yes" | "Yes") {
        Ok(pending.iter().map(|d| d.id).collect())
    } else {
        Ok(Vec::new())
    }
}

/// Approves one draft, or says what to do instead.
fn approve_one(ctx: &Ctx, id: i64, now: bool, daemon: bool) -> Result<()> {
    let d = ctx.store.draft_or_err(id)?;
    if now && d.status == DraftStatus::Approved {
        outln!("Draft {id} was already approved; sending it now.")?;
        return Ok(());
    }
    if let Some(instead) = instead_of_approving(&d) {
        bail!("{instead}");
    }
    ctx.store.approve(id, ctx.now)?;
    let d = ctx.store.draft_or_err(id)?;
    if daemon {
        outln!(
            "Approved {id}; the daemon will send it {}.",
            super::queue::daemon_when(ctx, &d)
        )?;
        return Ok(());
    }
    let when = if now {
        "now".to_string()
    } else {
        super::queue::due_label(d.effective_due(), ctx.now, &ctx.cfg.tz)
            .replace("now", "at the next send")
    };
    outln!(
        "Approved {id}: {} to {} — goes out {when}.",
        d.kind,
        d.to_addr
    )?;
    Ok(())
}

/// For a draft that cannot be approved, the step that makes sense instead.
pub fn instead_of_approving(d: &Draft) -> Option<String> {
    let id = d.id;
    let why = match d.status {
        DraftStatus::Pending | DraftStatus::Snoozed => return None,
        DraftStatus::Approved => format!(
            "draft {id} is already approved; it goes out when due (`rapport send --now {id}` sends it at once)"
        ),
        DraftStatus::Sending => format!("draft {id} is being sent right now"),
        DraftStatus::Sent => format!(
            "draft {id} was sent{}; there is nothing to approve. To write to them again: `rapport request CONTACT`",
            d.sent_at
                .as_deref()
                .map(|t| format!(" on {}", t.get(..10).unwrap_or(t)))
                .unwrap_or_default()
        ),
        DraftStatus::Unknown => format!(
            "draft {id} is unknown (interrupted while sending), so it cannot be approved blindly: check your Sent folder, then `rapport queue resolve {id} sent` or `... not-sent`"
        ),
        DraftStatus::Failed => format!(
            "draft {id} failed ({}); instead: {}",
            d.last_error,
            super::queue::what_to_do(d)
        ),
        DraftStatus::Rejected | DraftStatus::Superseded => format!(
            "draft {id} is {}{}; it will not be sent. `rapport request {}` drafts a new one",
            d.status,
            if d.status_note.is_empty() {
                String::new()
            } else {
                format!(" ({})", d.status_note)
            },
            d.to_addr
        ),
    };
    Some(why)
}

/// `rapport send --now [ID…]`: the approved drafts named (or, with none named, every
/// approved draft) go out at once, outside the send window; the daily cap still holds.
pub(super) fn send_now_cmd(ctx: &mut Ctx, ids: Vec<i64>) -> Result<ExitCode> {
    let ids = if ids.is_empty() {
        ctx.store
            .drafts(false)?
            .into_iter()
            .filter(|d| d.status == DraftStatus::Approved)
            .map(|d| d.id)
            .collect()
    } else {
        for &id in &ids {
            let d = ctx.store.draft_or_err(id)?;
            if d.status != DraftStatus::Approved {
                bail!(
                    "draft {id} is {}, not approved; `rapport queue approve {id} --now` approves and sends it",
                    d.status
                );
            }
        }
        ids
    };
    if ids.is_empty() {
        outln!("No approved drafts to send; `rapport queue` shows what waits for approval.")?;
        return Ok(ExitCode::SUCCESS);
    }
    super::send::send_now(ctx, &ids)
}

/// Says that `--now` sent outside the send window, when it did.
pub(super) fn say_outside_window(ctx: &Ctx, sent: usize) -> Result<()> {
    if let Err(next) = crate::send::window_check(&ctx.cfg.window, &ctx.cfg.tz, ctx.now) {
        outln!(
            "Sent {sent} {} outside the send window, as you asked with --now (the window next opens {}; the daily cap still holds).",
            super::output::plural(sent, "draft", "drafts"),
            next.strftime("%a %Y-%m-%d %H:%M %Z")
        )?;
    }
    Ok(())
}
