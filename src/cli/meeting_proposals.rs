//! Meeting proposals in the CLI: `meeting confirm|ignore ID`, the proposals in
//! `meeting list`, the "Proposed" section of `rapport queue`, and the sentence
//! `review` shows ("Bob proposed Tue 2026-12-08 15:00"). Where a proposal stands
//! is decided in `core::meetings`; this module only asks and records. It must never
//! send mail.

use std::process::ExitCode;

use anyhow::{Result, bail};
use serde_json::{Value, json};

use super::Ctx;
use crate::cli::output::outln;
use crate::core::meetings::ProposalState;
use crate::followup::proposals::{
    self, DEFAULT_MINUTES, ProposalView, all_proposals, find_proposal, open_proposals,
};

/// "Bob proposed Tue 2026-12-08 15:00" (in the user's zone).
pub fn sentence(ctx: &Ctx, v: &ProposalView) -> String {
    format!(
        "{} proposed {}",
        v.contact,
        proposals::when(v.proposal.start, &ctx.cfg.tz)
    )
}

/// What the proposal was read from: "\"tuesday at 3pm\"", with the zone when it is not
/// the user's ("read in America/New_York").
pub fn words(ctx: &Ctx, v: &ProposalView) -> String {
    if v.proposal.zone == ctx.cfg.tz.iana_name().unwrap_or("") {
        format!("\"{}\"", v.proposal.text)
    } else {
        format!("\"{}\", read in {}", v.proposal.text, v.proposal.zone)
    }
}

fn open_one(ctx: &Ctx, id: i64) -> Result<ProposalView> {
    let Some(v) = find_proposal(&ctx.store, id, ctx.now)? else {
        bail!(
            "no proposal {id}; `rapport meeting list` shows the proposals waiting (`--all` every one)"
        );
    };
    if v.status != ProposalState::Proposed {
        bail!(
            "proposal {id} from {} is {} already; `rapport meeting list --all` shows it",
            v.contact,
            v.status.as_str()
        );
    }
    Ok(v)
}

/// `rapport meeting confirm ID [--at WHEN] [--minutes N]`.
pub fn confirm(ctx: &mut Ctx, id: i64, at: Option<&str>, minutes: Option<u32>) -> Result<ExitCode> {
    ctx.bring_current()?;
    let v = open_one(ctx, id)?;
    let start = at
        .map(|a| super::meeting::parse_local(a, &ctx.cfg.tz))
        .transpose()?;
    let minutes = minutes.unwrap_or(DEFAULT_MINUTES);
    let summary = proposals::confirm(&ctx.store, &v, start, minutes, &ctx.cfg.tz, ctx.now)?;
    ctx.bring_current()?;
    outln!("Confirmed: {summary}. A thank-you is drafted after it.")?;
    Ok(ExitCode::SUCCESS)
}

/// `rapport meeting ignore ID`.
pub fn ignore(ctx: &mut Ctx, id: i64) -> Result<ExitCode> {
    ctx.bring_current()?;
    let v = open_one(ctx, id)?;
    proposals::ignore(&ctx.store, id, ctx.now)?;
    outln!(
        "Set aside the time {} proposed; rapport asks about it no more.",
        v.contact
    )?;
    Ok(ExitCode::SUCCESS)
}

/// The proposals `meeting list` shows: those waiting, or every one with `all`; only
/// one contact's when `contact_id` is given.
pub fn listed(ctx: &Ctx, contact_id: Option<i64>, all: bool) -> Result<Vec<ProposalView>> {
    let mut v = if all {
        all_proposals(&ctx.store, ctx.now)?
    } else {
        open_proposals(&ctx.store, ctx.now)?
    };
    v.retain(|p| contact_id.is_none_or(|c| p.proposal.contact_id == c));
    Ok(v)
}

/// A proposal as a `meeting list --json` item (`"status": "proposed"` while it waits).
pub fn json_of(v: &ProposalView) -> Value {
    json!({
        "id": v.proposal.id,
        "contact_id": v.proposal.contact_id,
        "contact": v.contact,
        "uid": "",
        "start": v.proposal.start,
        "end": Value::Null,
        "all_day": false,
        "cancelled": false,
        "source": "proposal",
        "status": v.status,
        "proposed_at": v.proposal.at,
        "text": v.proposal.text,
        "zone": v.proposal.zone,
    })
}

/// The proposals section of `meeting list` and `rapport queue`.
pub fn print(ctx: &Ctx, list: &[ProposalView]) -> Result<()> {
    if list.is_empty() {
        return Ok(());
    }
    outln!("Proposed (confirm with `rapport meeting confirm ID`, or `ignore`):")?;
    for v in list {
        let state = if v.status == ProposalState::Proposed {
            String::new()
        } else {
            format!(" [{}]", v.status.as_str())
        };
        outln!(
            "{:>4}  {} — [c]onfirm / [m]ove / [i]gnore  ({}){state}",
            v.proposal.id,
            sentence(ctx, v),
            words(ctx, v),
        )?;
    }
    outln!()?;
    Ok(())
}
