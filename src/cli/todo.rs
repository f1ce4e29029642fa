//! `rapport todo`: action items — add one to a contact, list the open ones (overdue
//! first), mark one done. Also the agreed next contact (`--next-contact` on `contacts
//! edit` and `note`), which shares the day parsing.
//!
//! Reads and writes through `store`; ordering and labels come from `core::todo`. It never
//! drafts or sends anything.

use crate::cli::output::{errln, outln};
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};
use jiff::civil::Date;

use super::{Ctx, cell, print_json};
use crate::core::model::InteractionKind;
use crate::core::todo::{ActionItem, order_open};
use crate::store::{Contact, NewInteraction};

#[derive(Args, Debug)]
#[command(args_conflicts_with_subcommands = true)]
pub struct TodoArgs {
    #[command(subcommand)]
    cmd: Option<TodoCmd>,
    /// The contact the item is for (an id, an address, or part of a name).
    #[arg(add = super::completions::contacts())]
    contact: Option<String>,
    /// What you promised, e.g. "send her the fintech intro".
    text: Option<String>,
    /// The day it is due (YYYY-MM-DD, in your time zone).
    #[arg(long, value_name = "DATE", requires = "text")]
    due: Option<String>,
    /// List as JSON.
    #[arg(long)]
    json: bool,
}

#[derive(Subcommand, Debug)]
enum TodoCmd {
    /// Mark action items done.
    Done {
        /// The action items' ids, as `rapport todo` lists them.
        #[arg(required = true)]
        ids: Vec<i64>,
    },
}

/// Parses a day the user typed: `2027-03-01`.
pub(crate) fn parse_day(flag: &str, s: &str) -> Result<Date> {
    s.trim().parse::<Date>().map_err(|_| {
        anyhow::anyhow!("--{flag} {s:?} is not a date; write it as YYYY-MM-DD, e.g. 2027-03-01")
    })
}

pub fn run(ctx: &Ctx, args: TodoArgs) -> Result<ExitCode> {
    if let Some(TodoCmd::Done { ids }) = args.cmd {
        return done(ctx, &ids);
    }
    match (args.contact, args.text) {
        (Some(contact), Some(text)) => add(ctx, &contact, &text, args.due.as_deref()),
        (Some(contact), None) => bail!(
            "what is the action item for {contact:?}? `rapport todo {contact} \"send the intro\" [--due DATE]`"
        ),
        _ => list(ctx, args.json),
    }
}

fn today(ctx: &Ctx) -> Date {
    ctx.now.to_zoned_datetime(ctx.cfg.tz.clone()).date()
}

fn add(ctx: &Ctx, query: &str, text: &str, due: Option<&str>) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let text = text.trim();
    if text.is_empty() {
        bail!("the action item is empty; say what you promised");
    }
    if text.chars().any(char::is_control) {
        bail!("the action item contains a line break or control character; write it on one line");
    }
    let due = due.map(|d| parse_day("due", d)).transpose()?;
    let id = ctx.store.add_todo(c.id, text, due, ctx.now)?;
    match due {
        Some(d) => outln!("Action item {id} for {}, due {d}.", c.display_name())?,
        None => outln!("Action item {id} for {}.", c.display_name())?,
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    let today = today(ctx);
    let items = order_open(&ctx.store.open_todos()?, today);
    if json {
        let rows: Vec<_> = items
            .iter()
            .map(|i| {
                serde_json::json!({
                    "id": i.id, "contact_id": i.contact_id, "contact": i.contact,
                    "text": i.text, "due": i.due, "overdue": i.is_overdue(today),
                })
            })
            .collect();
        print_json(&serde_json::json!({ "todos": rows }))?;
        return Ok(ExitCode::SUCCESS);
    }
    if items.is_empty() {
        outln!("No open action items. `rapport todo CONTACT \"text\" [--due DATE]` adds one.")?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("{:>4}  {:<24} {:<20} ACTION", "ID", "DUE", "CONTACT")?;
    for i in &items {
        outln!(
            "{:>4}  {:<24} {:<20} {}",
            i.id,
            i.due_label(today),
            cell(&i.contact, 20),
            cell(&i.text, 60)
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn done(ctx: &Ctx, ids: &[i64]) -> Result<ExitCode> {
    let mut failed = false;
    for &id in ids {
        match ctx.store.todo(id)? {
            None => {
                errln!("error: no action item {id}; `rapport todo` lists the open ones");
                failed = true;
            }
            Some(item) if item.done_at.is_some() => {
                outln!("Action item {id} was already done.")?;
            }
            Some(item) => {
                ctx.store.complete_todo(id, ctx.now)?;
                outln!("Done: {} ({}).", item.text, item.contact)?;
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The action items section of `contacts show`: open ones with their due labels.
pub(crate) fn print_for_contact(ctx: &Ctx, items: &[ActionItem]) -> Result<()> {
    let today = today(ctx);
    let open = order_open(items, today);
    if open.is_empty() {
        return Ok(());
    }
    outln!()?;
    outln!("Action items:")?;
    for i in &open {
        let label = i.due_label(today);
        let label = if label.is_empty() {
            String::new()
        } else {
            format!("  ({label})")
        };
        outln!("  {:>4}  {}{label}", i.id, cell(&i.text, 70))?;
    }
    Ok(())
}

/// Checks an agreed next-contact day: a date, after today.
pub(crate) fn next_contact_day(ctx: &Ctx, day: &str) -> Result<Date> {
    let date = parse_day("next-contact", day)?;
    if date <= today(ctx) {
        bail!("--next-contact {date} is not in the future; give the day you agreed to talk again");
    }
    Ok(date)
}

/// Records the day the user and a contact agreed to talk again; the planner puts the
/// next check-in on it instead of the tier's cadence, and tells the user.
pub(crate) fn agree_next_contact(ctx: &Ctx, c: &Contact, date: Date) -> Result<()> {
    ctx.store.add_interaction(&NewInteraction {
        contact_id: c.id,
        at: ctx.now,
        kind: InteractionKind::NextContactAgreed,
        summary: &format!("agreed to talk again on {date}"),
        message_key: "",
        draft_id: None,
        // The planner reads the date from `later_until`, where a "later" reply's date
        // travels too.
        detail: serde_json::json!({ "later_until": date.to_string() }),
        source: "user",
    })?;
    outln!(
        "Next check-in with {}: {date}, as agreed.",
        c.display_name()
    )?;
    Ok(())
}
