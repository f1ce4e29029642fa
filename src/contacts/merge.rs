//! Merging imported records into the store: an existing contact is found by email
//! address, then by profile link, then by exact name — by name only when nothing in the
//! record contradicts it (another address, another profile), since two people can share
//! a name. Found by address or link, a record updates a changed company or role and says
//! so; found by name alone it only fills what is empty. Addresses, tags and empty fields
//! are added; a name the user wrote is never overwritten. Importing the same file twice
//! changes nothing. The whole import is one transaction (a dry run rolls it back).
//!
//! What this module must never do: merge two people on a name when an address or link
//! says otherwise, or drop a record silently (every record is counted or reported).

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::Result;
use jiff::Timestamp;
use serde::Serialize;

use super::import::{ImportedContact, ParsedImport, Problem};
use crate::core::model::{InteractionKind, Tier};
use crate::store::{Contact, ContactPatch, NewContact, NewInteraction, Store};

#[derive(Debug, Default, Serialize)]
pub struct MergeReport {
    /// `linkedin`, `vcard` or `csv`.
    pub format: String,
    /// Nothing was written: this is what the import would do.
    pub dry_run: bool,
    pub added: usize,
    pub merged: usize,
    pub unchanged: usize,
    /// Contacts kept without an email address (they cannot be emailed yet).
    pub without_email: usize,
    pub skipped: Vec<Problem>,
    pub problems: Vec<Problem>,
    /// Every field an import changed on an existing contact.
    pub changes: Vec<Change>,
    /// Ids of contacts added, so their mail history can be linked.
    pub added_ids: Vec<i64>,
    /// Every contact added (or, in a dry run, that would be), one per record.
    pub additions: Vec<Addition>,
}

/// One contact the import added.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Addition {
    pub line: usize,
    pub name: String,
    /// The first address, or empty when the record has none.
    pub email: String,
}

/// What the user set for the whole file (`contacts import --tier --tag`).
#[derive(Debug, Clone, Default)]
pub struct Batch {
    /// The tier of every contact the import adds, unless its record names one; contacts
    /// already in rapport keep theirs.
    pub tier: Option<Tier>,
    /// Tags put on every contact the file names, new or already known.
    pub tags: Vec<String>,
}

/// One field of an existing contact that the import set or changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub line: usize,
    pub contact_id: i64,
    pub field: &'static str,
    pub from: String,
    pub to: String,
}

/// How a record was matched to a contact already in the store.
enum Found {
    /// By an address or profile link: the same person, whose job may have changed.
    Strongly(Contact),
    /// By exact name alone: only what is empty is filled.
    ByName(Contact),
    /// Same name as this contact, but an address or link says it is someone else.
    Namesake(Contact, &'static str),
    /// Only a name, and several contacts have it: which one is meant cannot be told.
    Ambiguous(usize),
    Nobody,
}

fn find_existing(store: &Store, rec: &ImportedContact) -> Result<Found> {
    for e in &rec.emails {
        if let Some(id) = store.contact_id_by_address(e)?
            && let Some(c) = store.contact(id)?
        {
            return Ok(Found::Strongly(c));
        }
    }
    // Every key is looked up as it would be stored (control characters dropped, see
    // [`clean`]), or a second import of the same file would not find what the first one
    // added: with several namesakes, an unfound link falls through to a new contact.
    let link = clean(&rec.link);
    if !link.is_empty()
        && let Some(id) = store.contact_ids_by_link(&link)?.first()
        && let Some(c) = store.contact(*id)?
    {
        return Ok(Found::Strongly(c));
    }
    let name = clean(&rec.name);
    let named = if name.is_empty() {
        Vec::new()
    } else {
        store.contact_ids_by_name(&name)?
    };
    if named.len() > 1 && rec.emails.is_empty() && link.is_empty() {
        return Ok(Found::Ambiguous(named.len()));
    }
    if let [id] = named.as_slice()
        && let Some(c) = store.contact(*id)?
    {
        // Their addresses were looked up above and none is this contact's.
        if !rec.emails.is_empty() && !c.emails.is_empty() {
            return Ok(Found::Namesake(c, "a different email address"));
        }
        if !link.is_empty() && !c.link.is_empty() && !link.eq_ignore_ascii_case(&c.link) {
            return Ok(Found::Namesake(c, "a different profile link"));
        }
        return Ok(Found::ByName(c));
    }
    Ok(Found::Nobody)
}

fn clean(s: &Option<String>) -> String {
    s.as_deref()
        .unwrap_or("")
        .chars()
        .filter(|c| !c.is_control())
        .collect::<String>()
        .trim()
        .to_string()
}

fn format_name(parsed: &ParsedImport) -> &'static str {
    match parsed.format {
        super::import::Format::LinkedIn => "linkedin",
        super::import::Format::VCard => "vcard",
        super::import::Format::Csv => "csv",
    }
}

/// Merges parsed records into the store in one transaction.
pub fn merge(store: &mut Store, parsed: &ParsedImport, now: Timestamp) -> Result<MergeReport> {
    merge_with(store, parsed, &Batch::default(), now)
}

/// [`merge`], with a tier and tags for the whole file.
pub fn merge_with(
    store: &mut Store,
    parsed: &ParsedImport,
    batch: &Batch,
    now: Timestamp,
) -> Result<MergeReport> {
    store.in_transaction(|s| merge_all(s, parsed, batch, now))
}

/// What [`merge`] would do, without writing anything.
pub fn dry_run(store: &mut Store, parsed: &ParsedImport, now: Timestamp) -> Result<MergeReport> {
    dry_run_with(store, parsed, &Batch::default(), now)
}

/// What [`merge_with`] would do, without writing anything.
pub fn dry_run_with(
    store: &mut Store,
    parsed: &ParsedImport,
    batch: &Batch,
    now: Timestamp,
) -> Result<MergeReport> {
    let mut report = store.rolled_back(|s| merge_all(s, parsed, batch, now))?;
    report.dry_run = true;
    report.added_ids.clear();
    Ok(report)
}

fn merge_all(
    store: &mut Store,
    parsed: &ParsedImport,
    batch: &Batch,
    now: Timestamp,
) -> Result<MergeReport> {
    let mut report = MergeReport {
        format: format_name(parsed).to_string(),
        problems: parsed.problems.clone(),
        ..MergeReport::default()
    };
    let origin = Origin::of(parsed.format);
    for rec in &parsed.contacts {
        let with_batch;
        let rec = if batch.tags.is_empty() && (batch.tier.is_none() || rec.tier.is_some()) {
            rec
        } else {
            with_batch = batch_record(rec, batch);
            &with_batch
        };
        let id = match find_existing(store, rec)? {
            Found::Strongly(existing) => update(store, &existing, rec, true, &mut report)?,
            Found::ByName(existing) => update(store, &existing, rec, false, &mut report)?,
            Found::Namesake(other, why) => {
                let id = add(store, rec, now, &mut report)?;
                if id.is_some() {
                    report.problems.push(Problem {
                        line: rec.line,
                        message: format!(
                            "{:?} has the same name as contact #{} but {why}; added as a separate contact (remove one with `rapport contacts remove` if they are the same person)",
                            clean(&rec.name),
                            other.id
                        ),
                    });
                }
                id
            }
            Found::Ambiguous(n) => {
                report.skipped.push(Problem {
                    line: rec.line,
                    message: format!(
                        "{:?} has neither an email address nor a link and {n} contacts have that name; skipped, since it cannot be told which one it is (add an email address to the row)",
                        clean(&rec.name)
                    ),
                });
                None
            }
            Found::Nobody => add(store, rec, now, &mut report)?,
        };
        if let Some(id) = id {
            record_connected_on(store, id, rec, origin)?;
            record_note(store, id, rec, now)?;
        }
    }
    report.problems.sort_by_key(|p| p.line);
    Ok(report)
}

/// The record's tier, or a problem when it names none.
fn tier(rec: &ImportedContact, report: &mut MergeReport) -> Option<Tier> {
    let t = rec
        .tier
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())?;
    match t.to_lowercase().parse::<Tier>() {
        Ok(t) => Some(t),
        Err(e) => {
            report.problems.push(Problem {
                line: rec.line,
                message: format!("tier {e}; imported without a tier"),
            });
            None
        }
    }
}

/// The record with the file's tier (when it names none) and tags added.
fn batch_record(rec: &ImportedContact, batch: &Batch) -> ImportedContact {
    let mut rec = rec.clone();
    if rec.tier.is_none() {
        rec.tier = batch.tier.map(|t| t.as_str().to_string());
    }
    for t in &batch.tags {
        if !rec.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            rec.tags.push(t.clone());
        }
    }
    rec
}

/// Where the file came from, in the words of the "how you met" line.
#[derive(Debug, Clone, Copy)]
struct Origin(&'static str);

impl Origin {
    fn of(format: super::import::Format) -> Origin {
        Origin(match format {
            super::import::Format::LinkedIn => "Connected on LinkedIn",
            super::import::Format::VCard => "In your address book (vCard import)",
            super::import::Format::Csv => "In your contact list (CSV import)",
        })
    }
}

/// A note from the file (a vCard NOTE, a CSV notes column), kept on the timeline once.
fn record_note(store: &Store, id: i64, rec: &ImportedContact, now: Timestamp) -> Result<()> {
    let Some(text) = rec
        .notes
        .as_deref()
        .map(str::trim)
        .filter(|t| !t.is_empty())
    else {
        return Ok(());
    };
    let key = format!("{NOTE_KEY}{:016x}", fnv1a(text));
    store.add_interaction(&NewInteraction {
        contact_id: id,
        at: now,
        kind: InteractionKind::Note,
        summary: text,
        message_key: &key,
        draft_id: None,
        detail: serde_json::json!({ "imported": true }),
        source: "user",
    })?;
    Ok(())
}

/// The timeline key prefix of an imported note; the rest is a hash of its text, so a
/// re-import does not repeat it and a changed note is added.
const NOTE_KEY: &str = "import:note:";

/// FNV-1a, 64 bits: a stable hash of a note's text (the std hasher may change).
fn fnv1a(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The date the file gives for when you met (LinkedIn's "Connected On", a vCard REV, a
/// CSV date column), kept on the timeline as how you met (once).
fn record_connected_on(
    store: &Store,
    id: i64,
    rec: &ImportedContact,
    origin: Origin,
) -> Result<()> {
    let Some(day) = rec.connected_on.as_deref() else {
        return Ok(());
    };
    let Ok(date) = day.parse::<jiff::civil::Date>() else {
        return Ok(());
    };
    // Midday UTC: the same calendar day in every time zone a user is likely to be in.
    let Ok(at) = date
        .at(12, 0, 0, 0)
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
    else {
        return Ok(());
    };
    store.add_interaction(&NewInteraction {
        contact_id: id,
        at: at.timestamp(),
        kind: InteractionKind::Note,
        summary: origin.0,
        message_key: CONNECTED_KEY,
        draft_id: None,
        detail: serde_json::json!({ "connected_on": day }),
        // The user's own record, brought from LinkedIn.
        source: "user",
    })?;
    Ok(())
}

/// The timeline key of the "Connected On" entry, so a re-import does not repeat it. The
/// brief reads it as how you met ([`crate::store::MET_KEY`]).
const CONNECTED_KEY: &str = crate::store::MET_KEY;

/// Adds a record as a new contact; `None` when it was skipped.
fn add(
    store: &mut Store,
    rec: &ImportedContact,
    now: Timestamp,
    report: &mut MergeReport,
) -> Result<Option<i64>> {
    let name = clean(&rec.name);
    if name.is_empty() && rec.emails.is_empty() {
        report.skipped.push(Problem {
            line: rec.line,
            message: "no name and no email address".into(),
        });
        return Ok(None);
    }
    let new = NewContact {
        name,
        emails: rec.emails.clone(),
        company: clean(&rec.company),
        role: clean(&rec.role),
        tier: tier(rec, report),
        tags: rec.tags.clone(),
        link: clean(&rec.link),
        source: "import".into(),
    };
    match store.add_contact(&new, now) {
        Ok(id) => {
            report.added += 1;
            report.added_ids.push(id);
            report.additions.push(Addition {
                line: rec.line,
                name: new.name.clone(),
                email: rec.emails.first().cloned().unwrap_or_default(),
            });
            if rec.emails.is_empty() {
                report.without_email += 1;
            }
            Ok(Some(id))
        }
        Err(e) => {
            report.skipped.push(Problem {
                line: rec.line,
                message: format!("{e:#}"),
            });
            Ok(None)
        }
    }
}

/// Brings what a record adds to an existing contact. `strong`: matched by address or
/// link, so a changed company or role is the person's news and replaces the old one.
fn update(
    store: &mut Store,
    existing: &Contact,
    rec: &ImportedContact,
    strong: bool,
    report: &mut MergeReport,
) -> Result<Option<i64>> {
    let mut patch = ContactPatch::default();
    let mut changed = false;
    for e in &rec.emails {
        match store.contact_id_by_address(e)? {
            None => {
                patch.add_emails.push(e.clone());
                changed = true;
            }
            Some(owner) if owner != existing.id => report.problems.push(Problem {
                line: rec.line,
                message: format!("{e} already belongs to contact #{owner}; left there"),
            }),
            Some(_) => {}
        }
    }
    let mut set = |field: &'static str, current: &str, new: String, replace: bool| {
        let differs = !new.is_empty() && new != current;
        if differs && (current.is_empty() || replace) {
            report.changes.push(Change {
                line: rec.line,
                contact_id: existing.id,
                field,
                from: current.to_string(),
                to: new.clone(),
            });
            return Some(new);
        }
        None
    };
    patch.name = set("name", &existing.name, clean(&rec.name), false);
    patch.company = set("company", &existing.company, clean(&rec.company), strong);
    patch.role = set("role", &existing.role, clean(&rec.role), strong);
    patch.link = set("link", &existing.link, clean(&rec.link), false);
    changed |= patch.name.is_some()
        || patch.company.is_some()
        || patch.role.is_some()
        || patch.link.is_some();
    for t in &rec.tags {
        if !existing.tags.iter().any(|x| x.eq_ignore_ascii_case(t)) {
            patch.add_tags.push(t.clone());
            changed = true;
        }
    }
    if changed {
        store.update_contact(existing.id, &patch)?;
        report.merged += 1;
    } else {
        report.unchanged += 1;
    }
    Ok(Some(existing.id))
}

#[cfg(test)]
mod tests;
