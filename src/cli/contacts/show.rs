//! `rapport contacts show`: one contact's card, timeline, action items and open drafts,
//! and the advice on what to do next.
//!
//! Read-only: it must never change the contact or the queue.

use std::process::ExitCode;

use anyhow::Result;

use crate::cli::output::outln;
use crate::cli::{Ctx, cell, print_json};
use crate::store::{Contact, Draft, Interaction};

pub(super) fn show(ctx: &Ctx, query: &str, json: bool) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let timeline = ctx.store.interactions(c.id)?;
    let drafts = ctx.store.drafts_for_contact(c.id)?;
    let plan = crate::followup::plan_contact(&ctx.store, &ctx.cfg, &c, ctx.now)?;
    let next = advice(ctx, query, c.id, &plan, &drafts)?;
    let todos = ctx.store.todos_for_contact(c.id)?;
    let intros = intros_of(ctx, c.id)?;
    let balance = crate::core::balance::Balance::of(timeline.iter().map(|i| i.kind));
    if json {
        print_json(&serde_json::json!({
            "contact": c,
            "stage": plan.stage,
            "next": next,
            "timeline": timeline,
            "drafts": drafts
                .iter()
                .map(|d| crate::cli::queue::draft_json(ctx, d, false))
                .collect::<Vec<_>>(),
            "todos": todos,
            "intros": intros,
            "balance": balance,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    print_card(&c, &plan, &next, &ctx.cfg.tz)?;
    outln!("  balance  {}", balance.words())?;
    outln!()?;
    print_timeline(&timeline, &ctx.cfg.tz)?;
    crate::cli::todo::print_for_contact(ctx, &todos)?;
    print_intros(&intros)?;
    print_queue(ctx, &drafts)?;
    Ok(ExitCode::SUCCESS)
}

/// The introductions this contact is part of: the other person, which side they are,
/// the stage and what happens next.
fn intros_of(ctx: &Ctx, contact: i64) -> Result<Vec<serde_json::Value>> {
    let mut out = Vec::new();
    for i in ctx.store.intros_of_contact(contact)? {
        let (side, other) = if i.a_contact == contact {
            ("a", i.b_contact)
        } else {
            ("b", i.a_contact)
        };
        let other = ctx
            .store
            .contact(other)?
            .map_or_else(|| format!("#{other} (removed)"), |c| c.display_name());
        out.push(serde_json::json!({
            "id": i.id,
            "side": side,
            "other": other,
            "stage": i.stage,
            "open": i.stage.is_open(),
            "next": i.next,
        }));
    }
    Ok(out)
}

fn print_intros(intros: &[serde_json::Value]) -> Result<()> {
    if intros.is_empty() {
        return Ok(());
    }
    outln!()?;
    outln!("Introductions:")?;
    for i in intros {
        let s = |k: &str| i[k].as_str().unwrap_or("").to_string();
        let role = if s("side") == "a" {
            "asked first"
        } else {
            "asked second"
        };
        outln!(
            "  intro {:>3}  with {}  ({role}): {}; next: {}",
            i["id"],
            cell(&s("other"), 30),
            s("stage"),
            s("next")
        )?;
    }
    Ok(())
}

/// What the user should do next for this contact, from the stage and the open drafts.
fn advice(
    ctx: &Ctx,
    query: &str,
    contact_id: i64,
    plan: &crate::core::plan::Plan,
    drafts: &[Draft],
) -> Result<String> {
    use crate::cli::next_step::{Facts, OpenDraft, next_step};
    let open: Vec<OpenDraft> = drafts
        .iter()
        .filter(|d| d.status.is_open())
        .filter_map(|d| {
            Some(OpenDraft {
                id: d.id,
                kind: d.kind,
                status: d.status,
                due: crate::store::parse_ts(d.effective_due()).ok()?,
            })
        })
        .collect();
    let planned = plan
        .actions
        .iter()
        .filter_map(|a| match a {
            crate::core::plan::Action::Create { kind, due, .. } => Some((*kind, *due)),
            _ => None,
        })
        .min_by_key(|(_, due)| *due);
    // The oldest meeting request from them that nobody answered yet.
    let asked_you = ctx
        .store
        .attention()?
        .into_iter()
        .filter(|a| a.contact_id == contact_id && a.kind == crate::store::AttentionKind::ToAnswer)
        .filter_map(|a| crate::store::parse_ts(&a.at).ok())
        .min();
    let proposed = crate::followup::proposals::open_proposals(&ctx.store, ctx.now)?
        .into_iter()
        .filter(|v| v.proposal.contact_id == contact_id)
        .map(|v| (v.proposal.id, v.proposal.start))
        .next_back();
    Ok(next_step(&Facts {
        query,
        stage: &plan.stage,
        planner_next: &plan.next,
        open: &open,
        planned,
        asked_you,
        proposed,
        now: ctx.now,
        tz: &ctx.cfg.tz,
    }))
}

/// Who they are, the stage and the advice.
fn print_card(
    c: &Contact,
    plan: &crate::core::plan::Plan,
    next: &str,
    tz: &jiff::tz::TimeZone,
) -> Result<()> {
    outln!("#{} {}", c.id, c.display_name())?;
    for e in &c.emails {
        match &e.bounced_at {
            Some(at) => outln!(
                "  email    {} (bounced {})",
                e.address,
                crate::cli::status::local(at, tz)
            )?,
            None => outln!("  email    {}", e.address)?,
        }
    }
    match (c.role.is_empty(), c.company.is_empty()) {
        (false, false) => outln!("  works    {} at {}", c.role, c.company)?,
        (false, true) => outln!("  works    {}", c.role)?,
        (true, false) => outln!("  works at {}", c.company)?,
        (true, true) => {}
    }
    outln!("  tier     {}", c.tier)?;
    if !c.tags.is_empty() {
        outln!("  tags     {}", c.tags.join(", "))?;
    }
    if !c.link.is_empty() {
        outln!("  link     {}", c.link)?;
    }
    if c.do_not_contact {
        outln!("  do not contact")?;
    }
    let stage = serde_json::to_value(&plan.stage)?;
    outln!(
        "  stage    {}",
        stage
            .get("stage")
            .and_then(serde_json::Value::as_str)
            .unwrap_or("?")
    )?;
    outln!("  next     {next}")?;
    Ok(())
}

fn print_timeline(timeline: &[Interaction], tz: &jiff::tz::TimeZone) -> Result<()> {
    if timeline.is_empty() {
        outln!("No interactions yet.")?;
    } else {
        outln!(
            "Timeline (times in {}):",
            tz.iana_name().unwrap_or("your zone")
        )?;
        for i in timeline {
            let day =
                i.at.to_zoned_datetime(tz.clone())
                    .strftime("%Y-%m-%d %H:%M");
            let msg = i
                .detail
                .get("message")
                .and_then(serde_json::Value::as_i64)
                .map(|m| format!("  [message {m}]"))
                .unwrap_or_default();
            outln!("  {day}  {:<18} {}{msg}", i.kind, cell(&i.summary, 70))?;
        }
    }
    Ok(())
}

/// The drafts still open for them.
fn print_queue(ctx: &Ctx, drafts: &[Draft]) -> Result<()> {
    let open: Vec<_> = drafts.iter().filter(|d| d.status.is_open()).collect();
    if !open.is_empty() {
        outln!()?;
        outln!("In the queue:")?;
        for d in open {
            outln!(
                "  {:>4}  {:<15} {:<9} due {}  {}",
                d.id,
                d.kind,
                d.status,
                crate::cli::queue::due_label(d.effective_due(), ctx.now, &ctx.cfg.tz),
                d.reason
            )?;
        }
    }
    Ok(())
}
