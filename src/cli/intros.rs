//! `rapport intros [--all] [--json]`: the introductions, open ones by default, each
//! with its two people, its stage and what happens next. It plans first, so what it
//! shows is current; it never sends anything.

use std::process::ExitCode;

use anyhow::Result;
use clap::Args;
use serde::Serialize;

use super::{Ctx, cell, print_json};
use crate::cli::output::outln;
use crate::store::fmt_ts;

/// `rapport intros`'s arguments.
#[derive(Args, Debug)]
pub struct IntrosArgs {
    /// Also the closed ones (introduced, declined, unanswered, withdrawn).
    #[arg(long)]
    all: bool,
    /// Print JSON: `intros`, each with `id`, `a`, `b` (id, name, email), `stage`,
    /// `open`, `next`, `why`, `a_yes_at`, `b_yes_at`, `drafts` (step → draft id),
    /// `created_at`, `closed_at`.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
struct Person {
    id: i64,
    name: String,
    email: String,
}

#[derive(Serialize)]
struct Row {
    id: i64,
    a: Person,
    b: Person,
    stage: String,
    open: bool,
    next: String,
    why: String,
    a_yes_at: Option<String>,
    b_yes_at: Option<String>,
    drafts: std::collections::BTreeMap<String, i64>,
    created_at: String,
    closed_at: Option<String>,
}

fn person(ctx: &Ctx, id: i64) -> Result<Person> {
    Ok(match ctx.store.contact(id)? {
        Some(c) => Person {
            id,
            name: c.display_name(),
            email: c
                .emails
                .first()
                .map(|e| e.address.clone())
                .unwrap_or_default(),
        },
        None => Person {
            id,
            name: format!("#{id} (removed)"),
            email: String::new(),
        },
    })
}

/// Lists the intros.
pub fn run(mut ctx: Ctx, args: &IntrosArgs) -> Result<ExitCode> {
    ctx.bring_current()?;
    let mut rows = Vec::new();
    for i in ctx.store.intros(args.all)? {
        rows.push(Row {
            id: i.id,
            a: person(&ctx, i.a_contact)?,
            b: person(&ctx, i.b_contact)?,
            stage: i.stage.to_string(),
            open: i.stage.is_open(),
            next: i.next.clone(),
            why: i.why.clone(),
            a_yes_at: i.a_yes_at.map(fmt_ts),
            b_yes_at: i.b_yes_at.map(fmt_ts),
            drafts: i.drafts.iter().map(|(s, d)| (s.to_string(), *d)).collect(),
            created_at: fmt_ts(i.created_at),
            closed_at: i.closed_at.map(fmt_ts),
        });
    }
    if args.json {
        print_json(&serde_json::json!({ "intros": rows }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if rows.is_empty() {
        let hint = if args.all {
            ""
        } else {
            " open (`--all` shows the closed ones)"
        };
        outln!("No{hint} intros. `rapport intro A B --why TEXT` starts one.")?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!(
        "{:>4}  {:<20}  {:<20}  {:<14}  NEXT",
        "ID",
        "A (ASKED FIRST)",
        "B",
        "STAGE"
    )?;
    for r in &rows {
        outln!(
            "{:>4}  {:<20}  {:<20}  {:<14}  {}",
            r.id,
            cell(&r.a.name, 20),
            cell(&r.b.name, 20),
            r.stage,
            r.next
        )?;
    }
    Ok(ExitCode::SUCCESS)
}
