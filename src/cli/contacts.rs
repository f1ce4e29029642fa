//! `rapport contacts ...` and `rapport note`.

use crate::cli::output::outln;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::{Ctx, cell, print_json};
use crate::core::model::{InteractionKind, Tier};
use crate::store::{ContactPatch, NewContact, NewInteraction};

#[derive(Subcommand, Debug)]
pub enum ContactsCmd {
    /// Add a contact.
    Add {
        /// Their email address.
        email: String,
        #[command(flatten)]
        fields: Fields,
    },
    /// List contacts.
    List {
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Show a contact with their timeline and drafts.
    Show {
        /// The contact: an id, an email address, or part of a name.
        contact: String,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Change a contact.
    Edit {
        /// The contact: an id, an email address, or part of a name.
        contact: String,
        #[command(flatten)]
        fields: Fields,
        /// Add an address.
        #[arg(long = "email", value_name = "ADDRESS")]
        add_email: Vec<String>,
        /// Remove an address.
        #[arg(long, value_name = "ADDRESS")]
        remove_email: Vec<String>,
        /// Remove a tag.
        #[arg(long, value_name = "T")]
        untag: Vec<String>,
        /// Never email this contact again (supersedes their open drafts).
        #[arg(long, conflicts_with = "contact_again")]
        do_not_contact: bool,
        /// Lift do-not-contact.
        #[arg(long)]
        contact_again: bool,
        /// The day you agreed to talk again (YYYY-MM-DD): the next check-in is planned
        /// for it instead of the tier's cadence.
        #[arg(long, value_name = "DATE")]
        next_contact: Option<String>,
    },
    /// Remove a contact, their timeline and their drafts (asks first on a terminal).
    Remove {
        /// The contact: an id, an email address, or part of a name.
        contact: String,
        /// Do not ask (needed when not run on a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
    },
    /// Import LinkedIn Connections.csv, vCard (.vcf) or CSV with a header.
    Import {
        /// The file: LinkedIn's Connections.csv, a vCard (.vcf) or a CSV with a header.
        file: std::path::PathBuf,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
        /// Report what the import would add and change, and write nothing.
        #[arg(long)]
        dry_run: bool,
    },
}

#[derive(Args, Debug, Default)]
pub struct Fields {
    /// Their name, e.g. "Jessica Park".
    #[arg(long)]
    name: Option<String>,
    /// Where they work.
    #[arg(long)]
    company: Option<String>,
    /// Their role or title.
    #[arg(long)]
    role: Option<String>,
    /// How close you are; sets the check-in cadence ([tiers] in the config).
    #[arg(long, value_parser = tier_parser())]
    tier: Option<Tier>,
    /// A tag (repeatable).
    #[arg(long = "tag", value_name = "T")]
    tags: Vec<String>,
    /// A profile link.
    #[arg(long, value_name = "URL")]
    link: Option<String>,
}

/// `--tier` with its values listed in help and errors.
fn tier_parser() -> impl clap::builder::TypedValueParser<Value = Tier> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
    clap::builder::PossibleValuesParser::new(names).try_map(|s: String| s.parse::<Tier>())
}

fn clean(field: &str, v: &Option<String>) -> Result<Option<String>> {
    match v {
        Some(s) if s.chars().any(|c| c.is_control()) => {
            bail!("--{field} contains a line break or control character; write it on one line")
        }
        Some(s) => Ok(Some(s.trim().to_string())),
        None => Ok(None),
    }
}

pub fn run(mut ctx: Ctx, cmd: ContactsCmd) -> Result<ExitCode> {
    match cmd {
        ContactsCmd::Add { email, fields } => {
            if !crate::config::looks_like_address(&email) {
                bail!("{email:?} is not an email address (expected name@domain.tld)");
            }
            if let Some(id) = ctx.store.contact_id_by_address(&email)? {
                bail!("{email} is already contact #{id}; `rapport contacts edit {id}` changes it");
            }
            let new = NewContact {
                name: clean("name", &fields.name)?.unwrap_or_default(),
                emails: vec![email],
                company: clean("company", &fields.company)?.unwrap_or_default(),
                role: clean("role", &fields.role)?.unwrap_or_default(),
                tier: fields.tier,
                tags: fields.tags,
                link: clean("link", &fields.link)?.unwrap_or_default(),
                source: "manual".into(),
            };
            let id = ctx.store.add_contact(&new, ctx.now)?;
            let linked = crate::mail::timeline::link_history(&mut ctx.store, &[id], ctx.now)?;
            if linked > 0 {
                outln!(
                    "Added contact #{id}, with {linked} earlier interaction(s) from your mail."
                )?;
            } else {
                outln!("Added contact #{id}.")?;
            }
            Ok(ExitCode::SUCCESS)
        }
        ContactsCmd::List { json } => {
            let contacts = ctx.store.contacts()?;
            if json {
                return print_json(&serde_json::json!({ "contacts": contacts }))
                    .map(|_| ExitCode::SUCCESS);
            }
            if contacts.is_empty() {
                outln!(
                    "No contacts yet: `rapport contacts add EMAIL` or `rapport contacts import FILE`."
                )?;
                return Ok(ExitCode::SUCCESS);
            }
            outln!(
                "{:>4}  {:<24} {:<32} {:<20} TIER",
                "ID",
                "NAME",
                "EMAIL",
                "COMPANY"
            )?;
            for c in &contacts {
                let email = c.emails.first().map(|e| e.address.as_str()).unwrap_or("-");
                let flag = if c.do_not_contact {
                    "  (do not contact)"
                } else {
                    ""
                };
                outln!(
                    "{:>4}  {:<24} {:<32} {:<20} {}{flag}",
                    c.id,
                    cell(&c.name, 24),
                    cell(email, 32),
                    cell(&c.company, 20),
                    c.tier
                )?;
            }
            Ok(ExitCode::SUCCESS)
        }
        ContactsCmd::Show { contact, json } => {
            ctx.bring_current()?;
            show(&ctx, &contact, json)
        }
        ContactsCmd::Import {
            file,
            json,
            dry_run,
        } => import(&mut ctx, &file, json, dry_run),
        ContactsCmd::Edit {
            contact,
            fields,
            add_email,
            remove_email,
            untag,
            do_not_contact,
            contact_again,
            next_contact,
        } => {
            let c = ctx.one_contact(&contact)?;
            check_edit(&c, fields.name.as_deref(), &add_email, &remove_email)?;
            // Checked before anything changes, so a typo leaves the contact as it was.
            let next_contact = next_contact
                .map(|d| super::todo::next_contact_day(&ctx, &d))
                .transpose()?;
            for e in &add_email {
                if !crate::config::looks_like_address(e) {
                    bail!("{e:?} is not an email address");
                }
            }
            let patch = ContactPatch {
                name: clean("name", &fields.name)?,
                company: clean("company", &fields.company)?,
                role: clean("role", &fields.role)?,
                tier: fields.tier,
                link: clean("link", &fields.link)?,
                do_not_contact: if do_not_contact {
                    Some(true)
                } else if contact_again {
                    Some(false)
                } else {
                    None
                },
                add_emails: add_email,
                remove_emails: remove_email,
                add_tags: fields.tags,
                remove_tags: untag,
            };
            ctx.store.update_contact(c.id, &patch)?;
            if do_not_contact {
                let n = ctx
                    .store
                    .supersede_for_contact(c.id, "marked do-not-contact", ctx.now)?;
                if n > 0 {
                    outln!("Withdrew {n} open draft(s) to {}.", c.display_name())?;
                }
            }
            if let Some(date) = next_contact {
                super::todo::agree_next_contact(&ctx, c.id, date)?;
                outln!(
                    "Next check-in with {}: {date}, as agreed.",
                    c.display_name()
                )?;
            }
            outln!("Updated contact #{}.", c.id)?;
            Ok(ExitCode::SUCCESS)
        }
        ContactsCmd::Remove { contact, yes } => remove(&mut ctx, &contact, yes),
    }
}

/// Refuses an edit that would leave the contact without a name or without an address.
fn check_edit(
    c: &crate::store::Contact,
    name: Option<&str>,
    add: &[String],
    remove: &[String],
) -> Result<()> {
    if name.is_some_and(|n| n.trim().is_empty()) {
        bail!(
            "--name is empty; give the name to show (e.g. --name \"Jessica Park\"), or leave --name out to keep {:?}",
            c.display_name()
        );
    }
    for e in add {
        if !crate::config::looks_like_address(e) {
            bail!("{e:?} is not an email address");
        }
    }
    for e in remove {
        if !c
            .emails
            .iter()
            .any(|a| a.address.eq_ignore_ascii_case(e.trim()))
        {
            bail!(
                "{e} is not one of {}'s addresses; `rapport contacts show {}` lists them",
                c.display_name(),
                c.id
            );
        }
    }
    let left = c
        .emails
        .iter()
        .filter(|a| {
            !remove
                .iter()
                .any(|e| a.address.eq_ignore_ascii_case(e.trim()))
        })
        .count()
        + add.len();
    if left == 0 {
        bail!(
            "that would leave {} without an email address; add the new one in the same command (--email NEW --remove-email OLD), or `rapport contacts remove {}`",
            c.display_name(),
            c.id
        );
    }
    Ok(())
}

/// Deletes a contact after saying what goes with them; asks on a terminal.
fn remove(ctx: &mut Ctx, query: &str, yes: bool) -> Result<ExitCode> {
    use std::io::IsTerminal;
    let c = ctx.one_contact(query)?;
    let entries = ctx.store.interactions(c.id)?.len();
    let drafts = ctx.store.drafts_for_contact(c.id)?;
    let open = drafts.iter().filter(|d| d.status.is_open()).count();
    let what = format!(
        "#{} {} with {entries} timeline entr{} and {} draft(s) ({open} still open)",
        c.id,
        c.display_name(),
        if entries == 1 { "y" } else { "ies" },
        drafts.len()
    );
    if !yes {
        let terminal = std::io::stdin().is_terminal() && std::io::stderr().is_terminal();
        if !terminal {
            bail!(
                "removing {what} cannot be undone; run `rapport contacts remove {} --yes` to confirm",
                c.id
            );
        }
        if !super::output::confirm(&format!("Remove {what}? This cannot be undone. [y/N] "))? {
            outln!("Kept {}.", c.display_name())?;
            return Ok(ExitCode::SUCCESS);
        }
    }
    ctx.store.remove_contact(c.id)?;
    outln!("Removed {what}.")?;
    Ok(ExitCode::SUCCESS)
}

fn show(ctx: &Ctx, query: &str, json: bool) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let timeline = ctx.store.interactions(c.id)?;
    let drafts = ctx.store.drafts_for_contact(c.id)?;
    let plan = crate::planning::plan_contact(&ctx.store, &ctx.cfg, &c, ctx.now)?;
    let next = advice(ctx, query, c.id, &plan, &drafts)?;
    let todos = ctx.store.todos_for_contact(c.id)?;
    if json {
        print_json(&serde_json::json!({
            "contact": c,
            "stage": plan.stage,
            "next": next,
            "timeline": timeline,
            "drafts": drafts
                .iter()
                .map(|d| super::queue::draft_json(ctx, d, false))
                .collect::<Vec<_>>(),
            "todos": todos,
        }))?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("#{} {}", c.id, c.display_name())?;
    for e in &c.emails {
        match &e.bounced_at {
            Some(at) => outln!("  email    {} (bounced {at})", e.address)?,
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
    outln!()?;
    if timeline.is_empty() {
        outln!("No interactions yet.")?;
    } else {
        outln!("Timeline:")?;
        for i in &timeline {
            let day = i.at.strftime("%Y-%m-%d %H:%M");
            let msg = i
                .detail
                .get("message")
                .and_then(serde_json::Value::as_i64)
                .map(|m| format!("  [message {m}]"))
                .unwrap_or_default();
            outln!("  {day}  {:<18} {}{msg}", i.kind, cell(&i.summary, 70))?;
        }
    }
    super::todo::print_for_contact(ctx, &todos)?;
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
                d.effective_due(),
                d.reason
            )?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// What the user should do next for this contact, from the stage and the open drafts.
fn advice(
    ctx: &Ctx,
    query: &str,
    contact_id: i64,
    plan: &crate::core::plan::Plan,
    drafts: &[crate::store::Draft],
) -> Result<String> {
    use super::next_step::{Facts, OpenDraft, next_step};
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
    Ok(next_step(&Facts {
        query,
        stage: &plan.stage,
        planner_next: &plan.next,
        open: &open,
        planned,
        asked_you,
        now: ctx.now,
        tz: &ctx.cfg.tz,
    }))
}

pub fn note(ctx: &Ctx, query: &str, text: &str, next_contact: Option<&str>) -> Result<ExitCode> {
    let c = ctx.one_contact(query)?;
    let text = text.trim();
    if text.is_empty() {
        bail!("the note is empty");
    }
    let next_contact = next_contact
        .map(|d| super::todo::next_contact_day(ctx, d))
        .transpose()?;
    ctx.store.add_interaction(&NewInteraction {
        contact_id: c.id,
        at: ctx.now,
        kind: InteractionKind::Note,
        summary: text,
        message_key: "",
        draft_id: None,
        detail: serde_json::json!({}),
        source: "user",
    })?;
    outln!("Noted on {}'s timeline.", c.display_name())?;
    if let Some(date) = next_contact {
        super::todo::agree_next_contact(ctx, c.id, date)?;
        outln!(
            "Next check-in with {}: {date}, as agreed.",
            c.display_name()
        )?;
    }
    Ok(ExitCode::SUCCESS)
}

fn import(ctx: &mut Ctx, file: &std::path::Path, json: bool, dry_run: bool) -> Result<ExitCode> {
    let bytes =
        std::fs::read(file).map_err(|e| anyhow::anyhow!("cannot read {}: {e}", file.display()))?;
    let parsed = crate::contacts::import::parse_import(&bytes)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let report = if dry_run {
        crate::contacts::merge::dry_run(&mut ctx.store, &parsed, ctx.now)?
    } else {
        crate::contacts::merge::merge(&mut ctx.store, &parsed, ctx.now)?
    };
    let linked = if dry_run {
        0
    } else {
        crate::mail::timeline::link_history(&mut ctx.store, &report.added_ids, ctx.now)?
    };
    if json {
        print_json(&report)?;
        return Ok(ExitCode::SUCCESS);
    }
    let (verb, would) = if dry_run {
        ("Dry run, nothing written", "would be ")
    } else {
        ("", "")
    };
    outln!(
        "{} ({}){}{verb}: {would}added {}, merged {}, unchanged {}, skipped {}.",
        file.display(),
        parsed.format,
        if dry_run { ", " } else { "" },
        report.added,
        report.merged,
        report.unchanged,
        report.skipped.len()
    )?;
    if report.without_email > 0 {
        outln!(
            "{} of the added contacts have no email address yet; add one with `rapport contacts edit ID --email ADDRESS`.",
            report.without_email
        )?;
    }
    if linked > 0 {
        outln!("Linked {linked} earlier interaction(s) from your mail.")?;
    }
    for c in &report.changes {
        let from = if c.from.is_empty() {
            "(empty)"
        } else {
            &c.from
        };
        outln!(
            "  line {}: contact #{} {}: {from} -> {}",
            c.line,
            c.contact_id,
            c.field,
            c.to
        )?;
    }
    for p in &report.skipped {
        outln!("  skipped line {}: {}", p.line, p.message)?;
    }
    for p in &report.problems {
        outln!("  line {}: {}", p.line, p.message)?;
    }
    Ok(ExitCode::SUCCESS)
}
