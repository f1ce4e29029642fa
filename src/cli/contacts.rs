//! `rapport contacts ...` and `rapport note`: the arguments, add, list, edit, remove;
//! `show` and `import` have files of their own.
//!
//! It must never change a contact before every argument is checked.

use crate::cli::output::outln;
use std::process::ExitCode;

use anyhow::{Result, bail};
use clap::{Args, Subcommand};

use super::{Ctx, cell, print_json};
use crate::core::model::{InteractionKind, Tier};
use crate::store::{ContactPatch, NewContact, NewInteraction};

mod import;
mod show;

#[derive(Subcommand, Debug)]
pub enum ContactsCmd {
    /// Add a contact.
    Add {
        /// Their email address.
        email: String,
        #[command(flatten)]
        fields: Fields,
        /// How you met, put on their timeline as a note (e.g. "introduced by Bob Lee").
        #[arg(long, value_name = "TEXT")]
        met: Option<String>,
        /// Then draft the meeting request to them at once (a referral in one command).
        #[arg(long, conflicts_with = "intro_to")]
        request: bool,
        /// Then start a double opt-in introduction of them (asked first) to CONTACT.
        #[arg(long, value_name = "CONTACT", add = super::completions::contacts())]
        intro_to: Option<String>,
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
        #[arg(add = super::completions::contacts())]
        contact: String,
        /// Print JSON; the fields are in the README.
        #[arg(long)]
        json: bool,
    },
    /// Change a contact.
    Edit(EditArgs),
    /// Remove a contact, their timeline and their drafts (asks first on a terminal).
    Remove {
        /// The contact: an id, an email address, or part of a name.
        #[arg(add = super::completions::contacts())]
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
        /// Report what the import would add and change, one line each, and write nothing.
        #[arg(long)]
        dry_run: bool,
        /// The tier of every contact the file adds (close, regular or acquaintance),
        /// unless its row names one; contacts already in rapport keep theirs.
        #[arg(long)]
        tier: Option<Tier>,
        /// A tag for every contact the file names, such as `linkedin-2026` (repeatable).
        #[arg(long = "tag", value_name = "TAG")]
        tags: Vec<String>,
    },
}

/// `contacts edit`'s options.
#[derive(Args, Debug)]
pub struct EditArgs {
    /// The contact: an id, an email address, or part of a name.
    #[arg(add = super::completions::contacts())]
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
    /// The account their follow-ups go out from (an [[accounts]] name); "auto" goes
    /// back to the account of your last conversation with them.
    #[arg(long, value_name = "NAME")]
    account: Option<String>,
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
pub(super) fn tier_parser() -> impl clap::builder::TypedValueParser<Value = Tier> {
    use clap::builder::TypedValueParser;
    let names: Vec<&'static str> = Tier::ALL.iter().map(|t| t.as_str()).collect();
    clap::builder::PossibleValuesParser::new(names).try_map(|s: String| s.parse::<Tier>())
}

fn clean(field: &str, v: &Option<String>) -> Result<Option<String>> {
    match v {
        Some(s) if s.chars().any(char::is_control) => {
            bail!("--{field} contains a line break or control character; write it on one line")
        }
        Some(s) => Ok(Some(s.trim().to_string())),
        None => Ok(None),
    }
}

pub fn run(mut ctx: Ctx, cmd: ContactsCmd) -> Result<ExitCode> {
    match cmd {
        ContactsCmd::Add {
            email,
            fields,
            met,
            request,
            intro_to,
        } => {
            let code = add(&mut ctx, email.clone(), fields, met)?;
            if request {
                return super::request::draft(&ctx, email.trim(), None);
            }
            if let Some(b) = intro_to {
                let a = ctx.one_contact(email.trim())?;
                let b = ctx.one_contact(&b)?;
                let started =
                    crate::followup::intros::start(&ctx.store, &ctx.cfg, &a, &b, "", ctx.now)?;
                outln!(
                    "Started intro {} of {} to {}; the ask to {} is draft {} (`rapport queue show {}`).",
                    started.intro,
                    a.display_name(),
                    b.display_name(),
                    a.display_name(),
                    started.draft,
                    started.draft
                )?;
            }
            Ok(code)
        }
        ContactsCmd::List { json } => list(&ctx, json),
        ContactsCmd::Show { contact, json } => {
            ctx.bring_current()?;
            show::show(&ctx, &contact, json)
        }
        ContactsCmd::Import {
            file,
            json,
            dry_run,
            tier,
            tags,
        } => {
            let batch = crate::contacts::merge::Batch { tier, tags };
            import::import(&mut ctx, &file, json, dry_run, &batch)
        }
        ContactsCmd::Edit(args) => edit(&mut ctx, args),
        ContactsCmd::Remove { contact, yes } => remove(&mut ctx, &contact, yes),
    }
}

fn add(ctx: &mut Ctx, email: String, fields: Fields, met: Option<String>) -> Result<ExitCode> {
    if !crate::core::address::is_email(email.trim()) {
        bail!("{email:?} is not an email address (expected name@domain.tld)");
    }
    let met = clean("met", &met)?;
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
    if let Some(met) = met {
        ctx.store.add_interaction(&NewInteraction {
            contact_id: id,
            at: ctx.now,
            kind: InteractionKind::Note,
            summary: &format!("how you met: {met}"),
            message_key: "",
            draft_id: None,
            detail: serde_json::json!({ "met": met }),
            source: "user",
        })?;
    }
    let linked = crate::mail::timeline::link_history(&mut ctx.store, &[id], ctx.now)?;
    if linked > 0 {
        outln!(
            "Added contact #{id}, with {linked} earlier {} from your mail.",
            crate::cli::output::plural(linked, "interaction", "interactions")
        )?;
    } else {
        outln!("Added contact #{id}.")?;
    }
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Ctx, json: bool) -> Result<ExitCode> {
    if json {
        let contacts = ctx.store.contacts()?;
        return print_json(&serde_json::json!({ "contacts": contacts })).map(|_| ExitCode::SUCCESS);
    }
    // The store reads them in its index's order (lower-case bytes, fast on 10,000); the
    // collation then fixes what bytes get wrong (É, Ł, Х, 李 after Z). On input already
    // nearly in order the sort makes about one comparison per contact.
    let mut lines = Vec::new();
    ctx.store.each_contact_line(|c| {
        lines.push(c);
        Ok(())
    })?;
    sort_by_name(&mut lines, |c| &c.name, |c| c.id);
    let mut any = false;
    lines.into_iter().try_for_each(|c| -> Result<()> {
        if !any {
            outln!(
                "{:>4}  {:<24} {:<32} {:<20} TIER",
                "ID",
                "NAME",
                "EMAIL",
                "COMPANY"
            )?;
            any = true;
        }
        let flag = if c.do_not_contact {
            "  (do not contact)"
        } else {
            ""
        };
        outln!(
            "{:>4}  {:<24} {:<32} {:<20} {}{flag}",
            c.id,
            cell(&c.name, 24),
            cell(c.email.as_deref().unwrap_or("-"), 32),
            cell(&c.company, 20),
            c.tier
        )?;
        Ok(())
    })?;
    if !any {
        outln!("No contacts yet: `rapport contacts add EMAIL` or `rapport contacts import FILE`.")?;
    }
    Ok(ExitCode::SUCCESS)
}

/// Sorts by name in the Unicode collation order (CLDR root: accents and case after the
/// letter, scripts in their standard order), ties by id.
pub(crate) fn sort_by_name<T>(items: &mut [T], name: impl Fn(&T) -> &str, id: impl Fn(&T) -> i64) {
    let mut collator = feruca::Collator::default();
    items.sort_by(|a, b| {
        collator
            .collate(name(a), name(b))
            .then_with(|| id(a).cmp(&id(b)))
    });
}

fn edit(ctx: &mut Ctx, args: EditArgs) -> Result<ExitCode> {
    let c = ctx.one_contact(&args.contact)?;
    let fields = args.fields;
    // Checked before anything changes, so a typo leaves the contact as it was.
    check_edit(
        &c,
        fields.name.as_deref(),
        &args.add_email,
        &args.remove_email,
    )?;
    let next_contact = args
        .next_contact
        .map(|d| super::todo::next_contact_day(ctx, &d))
        .transpose()?;
    let account = super::contacts_account::checked(ctx, args.account.as_deref())?;
    let added_address = !args.add_email.is_empty();
    let patch = ContactPatch {
        name: clean("name", &fields.name)?,
        company: clean("company", &fields.company)?,
        role: clean("role", &fields.role)?,
        tier: fields.tier,
        link: clean("link", &fields.link)?,
        do_not_contact: if args.do_not_contact {
            Some(true)
        } else if args.contact_again {
            Some(false)
        } else {
            None
        },
        add_emails: args.add_email,
        remove_emails: args.remove_email,
        add_tags: fields.tags,
        remove_tags: args.untag,
    };
    ctx.store.update_contact(c.id, &patch)?;
    if args.do_not_contact {
        let n = ctx
            .store
            .supersede_for_contact(c.id, "marked do-not-contact", ctx.now)?;
        if n > 0 {
            outln!(
                "Withdrew {n} open {} to {}.",
                crate::cli::output::plural(n, "draft", "drafts"),
                c.display_name()
            )?;
        }
    }
    if let Some(date) = next_contact {
        super::todo::agree_next_contact(ctx, &c, date)?;
    }
    if let Some(account) = account {
        super::contacts_account::set(ctx, &c, account.as_deref())?;
    }
    // Mail already synced from a new address is theirs too, as for a contact just added.
    let linked = if added_address {
        crate::mail::timeline::link_history(&mut ctx.store, &[c.id], ctx.now)?
    } else {
        0
    };
    if linked > 0 {
        outln!(
            "Updated contact #{}, with {linked} earlier {} from your mail.",
            c.id,
            crate::cli::output::plural(linked, "interaction", "interactions")
        )?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Updated contact #{}.", c.id)?;
    Ok(ExitCode::SUCCESS)
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
        if !crate::core::address::is_email(e.trim()) {
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
        "#{} {} with {entries} timeline entr{} and {} {} ({open} still open)",
        c.id,
        c.display_name(),
        if entries == 1 { "y" } else { "ies" },
        drafts.len(),
        crate::cli::output::plural(drafts.len(), "draft", "drafts")
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
        super::todo::agree_next_contact(ctx, &c, date)?;
    }
    Ok(ExitCode::SUCCESS)
}
