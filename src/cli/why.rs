//! `rapport why`: explains how one message was read (label, certainty, intent, dates,
//! the evidence) and which contacts it was attributed to, and how. It only reads; a
//! correction is `rapport mark`.

use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::Args;
use serde_json::{Value, json};

use super::{Ctx, cell, print_json};
use crate::cli::output::outln;
use crate::core::classify::{Certainty, Evidence};
use crate::store::StoredMessage;

#[derive(Args, Debug)]
pub struct WhyArgs {
    /// A Message-ID or the message id the timeline prints.
    message: String,
    /// Print JSON; the fields are in the README.
    #[arg(long)]
    json: bool,
}

/// The stored message a user named by Message-ID or by the id the timeline prints.
pub(crate) fn find_message(ctx: &Ctx, key: &str) -> Result<StoredMessage> {
    ctx.store.message(key)?.with_context(|| {
        format!("no message {key:?}; give a Message-ID or the message id that `rapport contacts show` prints")
    })
}

/// The explanation `rapport why` prints, as JSON.
pub fn why_json(m: &StoredMessage) -> Value {
    let c = &m.classification;
    let meeting = c.meeting.as_ref();
    json!({
        "id": m.id,
        "message_id": m.message_id,
        "direction": m.direction,
        "from": m.from_addr,
        "to": m.to_addrs,
        "date": m.date,
        "subject": m.subject,
        "label": m.label,
        "detected_label": m.detected_label,
        "marked_by_user": m.label_override.is_some(),
        "certainty": c.certainty,
        "intent": c.intent,
        "later_until": c.later_until,
        "auto_reply_until": c.auto_reply_until,
        "start": meeting.and_then(|m| m.start),
        "end": meeting.and_then(|m| m.end),
        "meeting": meeting,
        "bounce": c.bounce,
        "evidence": c.evidence,
        "parse_error": m.parse_error,
        "arrived_at": m.arrived_at,
        "seen_at": m.seen_at,
        "parties": m.parties,
    })
}

/// The evidence lines: as stored, or read again when none was stored.
fn print_evidence(ctx: &Ctx, m: &StoredMessage) -> Result<()> {
    let stored = &m.classification.evidence;
    let (heading, again) = match stored.is_empty() {
        false => ("Evidence:", None),
        true => match evidence_again(ctx, m) {
            Ok(again) => (
                "Evidence (not stored for mail read from its headers; read again from the server):",
                Some(again),
            ),
            Err(e) => {
                outln!("Evidence: none stored, and {e:#}")?;
                return Ok(());
            }
        },
    };
    let lines = again.as_ref().unwrap_or(stored);
    if !lines.is_empty() {
        outln!("{heading}")?;
        for e in lines {
            outln!("  - {}: {}", e.kind, e.detail)?;
        }
    }
    Ok(())
}

/// The evidence of a message stored without it (read from its headers alone), read
/// again from the server; none when the reading it gives now is not the stored one (the
/// mail or the contacts changed since: the next sync reads it again).
fn evidence_again(ctx: &Ctx, m: &StoredMessage) -> Result<Vec<Evidence>> {
    if ctx.store.imap_locations(m.id)?.is_empty() {
        // Not read over IMAP (a Maildir reads every message whole): nothing to ask.
        return Ok(Vec::new());
    }
    let again = crate::mail::sync::read_again(&ctx.store, &ctx.cfg, m, ctx.now)
        .map_err(|e| e.context("its headers could not be read again"))?;
    if again.label != m.detected_label {
        anyhow::bail!(
            "read again now it would be {}, not {}: the next sync reads it again",
            again.label.as_str(),
            m.detected_label.as_str()
        );
    }
    Ok(again.evidence)
}

/// How firmly the reading is held, as `why` prints it.
fn certainty_line(m: &StoredMessage) -> &'static str {
    match m.classification.certainty {
        Certainty::Sure => "sure",
        Certainty::Unsure => "unsure: the evidence says why; confirm with `rapport mark`",
    }
}

/// `rapport why MESSAGE`: the reading, its certainty and evidence, and whom it went to.
pub fn run(ctx: &Ctx, args: &WhyArgs) -> Result<ExitCode> {
    let (key, json) = (args.message.as_str(), args.json);
    let m = find_message(ctx, key)?;
    if json {
        let mut v = why_json(&m);
        if m.classification.evidence.is_empty()
            && let Ok(again) = evidence_again(ctx, &m)
        {
            v["evidence"] = json!(again);
            v["evidence_read_again"] = json!(true);
        }
        print_json(&v)?;
        return Ok(ExitCode::SUCCESS);
    }
    outln!("Message {} <{}>", m.id, m.message_id)?;
    outln!(
        "  {} {} · {} · {}",
        m.direction,
        m.from_addr,
        super::status::local(&m.date, &ctx.cfg.tz),
        m.subject
    )?;
    let marked = if m.label_override.is_some() {
        format!(" (marked by you; detected: {})", m.detected_label.as_str())
    } else {
        String::new()
    };
    outln!("Label: {}{marked}", m.label.as_str())?;
    let c = &m.classification;
    outln!("Certainty: {}", certainty_line(&m))?;
    let meeting = c.meeting.as_ref();
    let lines = [
        ("Intent", c.intent.map(|i| i.as_str().to_string())),
        ("Later until", c.later_until.map(|d| d.to_string())),
        ("Back on", c.auto_reply_until.map(|d| d.to_string())),
        (
            "Starts",
            meeting
                .and_then(|m| m.start)
                .map(|t| super::status::local(&t.to_string(), &ctx.cfg.tz)),
        ),
        (
            "Ends",
            meeting
                .and_then(|m| m.end)
                .map(|t| super::status::local(&t.to_string(), &ctx.cfg.tz)),
        ),
    ];
    for (name, value) in lines {
        if let Some(value) = value {
            outln!("{name}: {value}")?;
        }
    }
    print_evidence(ctx, &m)?;
    attributed(ctx, &m)?;
    intro_answered(ctx, &m)?;
    Ok(ExitCode::SUCCESS)
}

/// A message that answers an introduction's email: which intro, and what it did there
/// (an unsure reading moves nothing until confirmed).
fn intro_answered(ctx: &Ctx, m: &StoredMessage) -> Result<()> {
    let named = std::iter::once(&m.in_reply_to).chain(m.refs.iter());
    for id in named.filter(|s| !s.is_empty()) {
        let id = id.trim_matches(|c| c == '<' || c == '>');
        if let Some((intro, step)) = ctx.store.intro_of_message(id)? {
            outln!(
                "Answers intro {}'s {step} email: the intro is {} now; next: {}",
                intro.id,
                intro.stage,
                intro.next
            )?;
            return Ok(());
        }
    }
    Ok(())
}

/// `why`'s account of the contacts a message went to and how each was found, and of
/// when it arrived.
fn attributed(ctx: &Ctx, m: &StoredMessage) -> Result<()> {
    use crate::core::attribution::Route;
    let arrived = m.arrived_at.as_deref().unwrap_or("not given by the server");
    outln!("Arrived: {arrived}; first read by rapport: {}", m.seen_at)?;
    let entries = ctx.store.entries_of_message(&m.message_id)?;
    if entries.is_empty() {
        outln!("Attributed to: nobody (no contact has an address it names)")?;
        return Ok(());
    }
    outln!("Attributed to:")?;
    for (name, i) in entries {
        let route: Option<Route> = i
            .detail
            .get("via")
            .and_then(|v| serde_json::from_value(v.clone()).ok());
        let how = match &route {
            Some(r) => r.describe(),
            None if m.direction == crate::core::model::Direction::Out => {
                "you wrote to them".to_string()
            }
            None => "their address is the sender".to_string(),
        };
        outln!(
            "  - {} (#{}): {}",
            cell(&name, 40),
            i.contact_id,
            cell(&how, 120)
        )?;
        if let Some((address, _)) = route.as_ref().and_then(Route::stand_in) {
            // From mail: shown with control characters blanked, like every cell.
            let address = cell(address, 254);
            outln!(
                "    {address} is not one of their addresses: `rapport contacts edit {} --email {address}` adds it, `rapport contacts add {address}` makes it a contact",
                i.contact_id
            )?;
        }
        if let Some(r) = i.detail.get("referral") {
            let name = r.get("name").and_then(Value::as_str).unwrap_or("");
            let address = r.get("address").and_then(Value::as_str).unwrap_or("");
            let phrase = r.get("phrase").and_then(Value::as_str).unwrap_or("");
            outln!(
                "    hands the conversation to {} <{}> (\"{}\")",
                cell(name, 40),
                cell(address, 60),
                cell(phrase, 40)
            )?;
        }
    }
    Ok(())
}
