//! `rapport review`: one item at a time, oldest first, with single-key actions, and a
//! summary at the end.
//!
//! The items are an enum with one source function per kind: [`drafts_waiting`] and
//! [`attention`] (replies whose reading is unsure, requests from others waiting for an
//! answer) and [`items`] adds the meeting times replies proposed (confirm, move,
//! ignore: `review_proposal`). Confirming or correcting a reading goes through the same code as
//! `rapport mark`. Meetings of unknown time are not an item: a meeting is never stored
//! without a time (`meeting add` refuses one). It needs a terminal and refuses otherwise, naming the commands to use
//! instead. Keys are read one at a time by putting the terminal in non-canonical mode
//! with POSIX `stty` (restored on every exit path); no terminal crate is needed for
//! that. It never sends: approving here is the same as `rapport queue approve`.

use std::io::{IsTerminal, Read};
use std::process::{ExitCode, Stdio};

use anyhow::{Result, bail};

use super::Ctx;
use crate::cli::output::{flush, out, outln};
use crate::core::model::DraftStatus;
use crate::followup::proposals::ProposalView;
use crate::store::{Attention, AttentionKind, Draft};

/// One thing waiting for the user.
enum Item {
    /// A draft waiting for approval.
    Draft(Box<Draft>),
    /// A reply whose reading rapport is unsure of.
    Unsure(Attention),
    /// A meeting request from someone else, not answered yet.
    Request(Attention),
    /// A meeting time a reply proposed, with when it came (RFC 3339).
    Proposal(Box<ProposalView>, String),
}

impl Item {
    /// When it started waiting (RFC 3339, as the store writes it), for oldest-first order.
    fn since(&self) -> &str {
        match self {
            Item::Draft(d) => &d.created_at,
            Item::Unsure(a) | Item::Request(a) => &a.at,
            Item::Proposal(_, at) => at,
        }
    }
}

/// Unsure readings and requests to answer.
fn attention(ctx: &Ctx) -> Result<Vec<Item>> {
    Ok(ctx
        .store
        .attention()?
        .into_iter()
        .map(|a| match a.kind {
            AttentionKind::ToConfirm => Item::Unsure(a),
            AttentionKind::ToAnswer => Item::Request(a),
        })
        .collect())
}

/// Drafts waiting for approval.
fn drafts_waiting(ctx: &Ctx) -> Result<Vec<Item>> {
    Ok(ctx
        .store
        .drafts(false)?
        .into_iter()
        .filter(|d| d.status == DraftStatus::Pending)
        .map(|d| Item::Draft(Box::new(d)))
        .collect())
}

/// Everything to review, oldest first.
fn items(ctx: &Ctx) -> Result<Vec<Item>> {
    let mut all = drafts_waiting(ctx)?;
    all.extend(attention(ctx)?);
    for v in crate::followup::proposals::open_proposals(&ctx.store, ctx.now)? {
        let at = crate::store::fmt_ts(v.proposal.at);
        all.push(Item::Proposal(Box::new(v), at));
    }
    all.sort_by(|a, b| a.since().cmp(b.since()));
    Ok(all)
}

/// The terminal in single-key mode while it lives.
pub(super) struct KeyMode;

impl KeyMode {
    pub(super) fn on() -> KeyMode {
        stty(&["-icanon", "-echo", "min", "1"]);
        KeyMode
    }
}

impl Drop for KeyMode {
    fn drop(&mut self) {
        stty(&["icanon", "echo"]);
    }
}

fn stty(args: &[&str]) {
    let _ = std::process::Command::new("stty")
        .args(args)
        .stdin(Stdio::inherit())
        .status();
}

/// One key, with the terminal in single-key mode only while it is read.
pub(super) fn read_key() -> Result<Option<char>> {
    let k = {
        let _mode = KeyMode::on();
        key()?
    };
    outln!()?;
    Ok(k)
}

/// One line the user typed (echoed, editable), trimmed; `None` at the end of input.
pub(super) fn read_line() -> Result<Option<String>> {
    flush()?;
    let mut s = String::new();
    let n = std::io::stdin().read_line(&mut s)?;
    Ok((n > 0).then(|| s.trim().to_string()))
}

pub(super) fn key() -> Result<Option<char>> {
    flush()?;
    let mut b = [0u8; 1];
    let n = std::io::stdin().read(&mut b)?;
    Ok((n == 1).then(|| char::from(b[0]).to_ascii_lowercase()))
}

#[derive(Default)]
pub(super) struct Tally {
    pub(super) approved: u32,
    pub(super) edited: u32,
    pub(super) snoozed: u32,
    pub(super) rejected: u32,
    pub(super) skipped: u32,
    pub(super) confirmed: u32,
    pub(super) corrected: u32,
    pub(super) answered: u32,
    pub(super) proposals_confirmed: u32,
    pub(super) proposals_ignored: u32,
}

/// The From line of a draft, from the account it goes out from; with several
/// accounts, which one, and a warning when the contact may not know that address.
pub(super) fn from_lines(ctx: &Ctx, d: &Draft) -> Result<()> {
    let view = ctx.cfg.for_account_or_first(&d.account);
    let me = &view.config.identity;
    outln!("From: {} <{}>", me.name, me.email)?;
    if let Some(from) = crate::followup::account::from_line(&ctx.cfg, &d.account) {
        let warning = crate::followup::account::unseen_warning(
            &ctx.store,
            &ctx.cfg,
            d.contact_id,
            &view.account,
        )?;
        match warning {
            Some(w) => outln!("Account: {from} — {w}")?,
            None => outln!("Account: {from}")?,
        }
    }
    Ok(())
}

fn show_draft(ctx: &Ctx, d: &Draft, n: usize, total: usize) -> Result<()> {
    outln!()?;
    outln!(
        "[{n}/{total}] Draft {} · {} · waiting since {}",
        d.id,
        d.kind,
        d.created_at.get(..10).unwrap_or(&d.created_at)
    )?;
    from_lines(ctx, d)?;
    outln!("To: {} <{}>", d.to_name, d.to_addr)?;
    outln!("Subject: {}", d.subject)?;
    outln!("Why: {}", d.reason)?;
    outln!()?;
    out!("{}", d.body.replace("\r\n", "\n"))?;
    outln!()?;
    out!("[a]pprove  [e]dit  [s]nooze a week  [r]eject  s[k]ip  [q]uit > ")?;
    flush()?;
    Ok(())
}

/// Acts on one draft; `false` when the user quit.
fn review_draft(ctx: &Ctx, d: &Draft, n: usize, total: usize, t: &mut Tally) -> Result<bool> {
    loop {
        let current = ctx.store.draft_or_err(d.id)?;
        show_draft(ctx, &current, n, total)?;
        let k = {
            let _mode = KeyMode::on();
            key()?
        };
        outln!()?;
        match k {
            Some('a') => {
                ctx.store.approve(d.id, ctx.now)?;
                outln!(
                    "Approved {}: it goes out at the next send inside the window.",
                    d.id
                )?;
                t.approved += 1;
            }
            Some('e') => {
                match super::edit::edit_draft(ctx, d.id) {
                    Ok(super::edit::Edited::Saved { .. }) => {
                        t.edited += 1;
                        outln!("Saved. Here it is again:")?;
                    }
                    Ok(super::edit::Edited::Unchanged) => outln!("No change.")?,
                    Err(e) => outln!("{e:#}")?,
                }
                continue;
            }
            Some('s') => {
                let until = ctx
                    .now
                    .checked_add(jiff::SignedDuration::from_hours(24 * 7))?;
                ctx.store.snooze(d.id, until, ctx.now)?;
                outln!("Snoozed {} for a week.", d.id)?;
                t.snoozed += 1;
            }
            Some('r') => {
                ctx.store.reject(d.id, "rejected in review", ctx.now)?;
                outln!("Rejected {}.", d.id)?;
                t.rejected += 1;
            }
            Some('k' | ' ' | 'n') => {
                outln!("Skipped {}.", d.id)?;
                t.skipped += 1;
            }
            Some('q') | None => return Ok(false),
            Some(_) => continue,
        }
        return Ok(true);
    }
}

pub fn run(mut ctx: Ctx) -> Result<ExitCode> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        bail!(
            "rapport review needs a terminal (it reads single keys); without one use `rapport queue` to list, `rapport queue show ID` to read, and `rapport queue approve|edit|snooze|reject ID` to act"
        );
    }
    ctx.bring_current()?;
    let all = items(&ctx)?;
    if all.is_empty() {
        outln!("Nothing to review: no draft, reply, request or proposed time waits for you.")?;
        return Ok(ExitCode::SUCCESS);
    }
    let total = all.len();
    let mut t = Tally::default();
    let mut seen = 0;
    for (i, item) in all.iter().enumerate() {
        let go_on = match item {
            Item::Draft(d) => review_draft(&ctx, d, i + 1, total, &mut t)?,
            Item::Unsure(a) => super::review_reading::unsure(&mut ctx, a, i + 1, total, &mut t)?,
            Item::Request(a) => super::review_reading::request(&ctx, a, i + 1, total, &mut t)?,
            Item::Proposal(v, _) => {
                super::review_proposal::proposal(&ctx, v, i + 1, total, &mut t)?
            }
        };
        if !go_on {
            break;
        }
        seen += 1;
    }
    outln!()?;
    outln!(
        "Reviewed {seen} of {total}: {} approved, {} edited, {} snoozed, {} rejected, {} skipped.",
        t.approved,
        t.edited,
        t.snoozed,
        t.rejected,
        t.skipped
    )?;
    if t.confirmed + t.corrected + t.answered > 0 {
        outln!(
            "Readings: {} confirmed, {} corrected; requests: {} answered.",
            t.confirmed,
            t.corrected,
            t.answered
        )?;
    }
    if t.proposals_confirmed + t.proposals_ignored > 0 {
        outln!(
            "Proposed times: {} confirmed, {} ignored.",
            t.proposals_confirmed,
            t.proposals_ignored
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
