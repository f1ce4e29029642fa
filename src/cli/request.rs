//! `rapport request CONTACT`: drafts the meeting request to one contact, to wait in the
//! queue for approval. It never sends anything, and never drafts a second request while
//! one to the same contact is still open.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use clap::Args;

use super::{Ctx, kick_daemon};
use crate::cli::output::outln;
use crate::core::model::{DraftKind, DraftStatus};
use crate::followup::draft as drafting;
use crate::store::fmt_ts;

#[derive(Args, Debug)]
pub struct RequestArgs {
    /// The contact: an id, an email address, or part of a name.
    #[arg(add = super::completions::contacts())]
    contact: String,
    /// Use another template than `meeting-request`.
    #[arg(long, value_name = "NAME")]
    template: Option<String>,
}

/// Drafts the request, then wakes a running daemon so it sees the new draft.
pub fn run(config_flag: Option<&Path>, args: &RequestArgs) -> Result<ExitCode> {
    let ctx = Ctx::open(config_flag)?;
    let code = draft(&ctx, &args.contact, args.template.as_deref())?;
    kick_daemon(&ctx);
    Ok(code)
}

/// Drafts the request to the one contact `query` names (`contacts add --request` too).
pub(super) fn draft(ctx: &Ctx, query: &str, template: Option<&str>) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let open = ctx.store.drafts_for_contact(c.id)?.into_iter().find(|d| {
        d.kind == DraftKind::MeetingRequest
            && matches!(
                d.status,
                DraftStatus::Pending
                    | DraftStatus::Approved
                    | DraftStatus::Snoozed
                    | DraftStatus::Sending
                    | DraftStatus::Unknown
            )
    });
    if let Some(d) = open {
        bail!(
            "a meeting request to {} is already in the queue (draft {}, {}); `rapport queue show {}`",
            c.display_name(),
            d.id,
            d.status,
            d.id
        );
    }
    let templates = drafting::load_templates(&ctx.cfg.templates_dir)?;
    let template = match template {
        Some(t) => t,
        None => drafting::request_template(&ctx.store.interactions(c.id)?),
    };
    let day = ctx.now.to_zoned_datetime(ctx.cfg.tz.clone()).date();
    let id = drafting::create(
        &ctx.store,
        &ctx.cfg,
        &templates,
        &drafting::Request {
            contact: &c,
            kind: DraftKind::MeetingRequest,
            template,
            reason: format!("you asked on {day}"),
            reason_key: format!("request:{}", fmt_ts(ctx.now)),
            due: ctx.now,
            thread: None,
            meeting_day: String::new(),
            later_when: String::new(),
            intro: None,
            share: None,
        },
        ctx.now,
    )?
    .context("a request with the same key exists; try again in a second")?;
    outln!(
        "Drafted meeting request {id} to {} (template {template}). Read it with `rapport queue show {id}`, approve it with `rapport queue approve {id}`.",
        c.display_name()
    )?;
    Ok(ExitCode::SUCCESS)
}
