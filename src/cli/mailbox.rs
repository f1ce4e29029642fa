//! `rapport sync`, `rapport why` and `rapport mark`.

use crate::cli::output::outln;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{Ctx, cell, print_json};
use crate::core::classify::model::Class;
use crate::core::classify::{Certainty, Classification, Intent, Label};
use crate::mail::sync::FolderReport;
use crate::store::StoredMessage;

/// Runs one sync pass over every configured source.
pub fn sync_all(ctx: &mut Ctx) -> Result<Vec<FolderReport>> {
    let mut reports = Vec::new();
    if ctx.cfg.config.imap.is_none() && ctx.cfg.config.maildir.is_none() {
        bail!(
            "nothing to sync: add an [imap] section (or [maildir]) to {}",
            ctx.cfg.path.display()
        );
    }
    if ctx.cfg.config.imap.is_some() {
        reports.extend(crate::mail::sync::sync_imap(
            &mut ctx.store,
            &ctx.cfg,
            ctx.now,
        )?);
    }
    if ctx.cfg.config.maildir.is_some() {
        reports.extend(crate::mail::maildir::sync_maildir(
            &mut ctx.store,
            &ctx.cfg,
            ctx.now,
        )?);
    }
    Ok(reports)
}

pub fn sync(mut ctx: Ctx, json: bool) -> Result<ExitCode> {
    let reports = sync_all(&mut ctx)?;
    if json {
        print_json(&json!({ "folders": reports }))?;
    } else {
        for r in &reports {
            print_folder_report(r)?;
        }
    }
    let failed = reports.iter().any(|r| r.error.is_some());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn print_folder_report(r: &FolderReport) -> Result<()> {
    if let Some(e) = &r.error {
        outln!("{}: error: {e}", r.folder)?;
        return Ok(());
    }
    let labels: Vec<String> = r.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let rescan = if r.uidvalidity_changed {
        " (UIDVALIDITY changed: rescanned)"
    } else {
        ""
    };
    outln!(
        "{}: read {}, new {}, {} timeline entries{rescan}{}",
        r.folder,
        r.read,
        r.new,
        r.interactions,
        if labels.is_empty() {
            String::new()
        } else {
            format!(" — {}", labels.join(", "))
        }
    )?;
    Ok(())
}

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

/// How firmly the reading is held, as `why` prints it.
fn certainty_line(m: &StoredMessage) -> &'static str {
    match m.classification.certainty {
        Certainty::Sure => "sure",
        Certainty::Unsure => "unsure: the evidence says why; confirm with `rapport mark`",
    }
}

pub fn why(ctx: &Ctx, key: &str, json: bool) -> Result<ExitCode> {
    let m = find_message(ctx, key)?;
    if json {
        print_json(&why_json(&m))?;
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
    if !c.evidence.is_empty() {
        outln!("Evidence:")?;
        for e in &c.evidence {
            outln!("  - {}: {}", e.kind, e.detail)?;
        }
    }
    attributed(ctx, &m)?;
    Ok(ExitCode::SUCCESS)
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

pub fn mark(
    mut ctx: Ctx,
    key: &str,
    label: &str,
    intent: Option<&str>,
    until: Option<&str>,
) -> Result<ExitCode> {
    let Some(label) = Label::from_name(label) else {
        let names: Vec<&str> = Label::ALL.iter().map(|l| l.as_str()).collect();
        bail!("{label:?} is not a label; use one of: {}", names.join(", "));
    };
    let intent = match intent {
        Some(i) => Some(
            Intent::from_name(i)
                .with_context(|| format!("--intent {i:?}: use yes, no, later or other"))?,
        ),
        None => None,
    };
    let until = match until {
        Some(u) => Some(
            u.parse::<jiff::civil::Date>()
                .with_context(|| format!("--until {u:?} is not a date like 2027-01-15"))?,
        ),
        None => None,
    };
    if until.is_some() && intent.is_some_and(|i| i != Intent::Later) {
        bail!("--until goes with --intent later only");
    }
    let m = find_message(&ctx, key)?;
    let (changes, n) = apply_mark(&mut ctx, &m, label, intent, until)?;
    outln!(
        "Marked message {}: {}; {n} timeline entr{} re-derived. Later syncs keep your reading.",
        m.id,
        changes.join(", "),
        if n == 1 { "y" } else { "ies" }
    )?;
    super::kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}

/// `rapport mark --forget MESSAGE`: the learned reader forgets what marking the message
/// taught it, from the next sync on.
pub fn forget(mut ctx: Ctx, key: &str) -> Result<ExitCode> {
    let m = find_message(&ctx, key)?;
    if ctx.store.forget_reader_example(&m.message_id)? {
        outln!(
            "The learned reader forgot message {} (its reading stays as you marked it); later syncs read such words as before.",
            m.id
        )?;
    } else {
        outln!(
            "Message {} taught the learned reader nothing to forget: it was never marked, or was forgotten already.",
            m.id
        )?;
    }
    super::kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}

/// The one way a reading is corrected or confirmed (`rapport mark`, `rapport review`):
/// the label overridden, stale fields cleared, the timeline re-derived. Returns what
/// changed and how many timeline entries were re-derived.
pub(crate) fn apply_mark(
    ctx: &mut Ctx,
    m: &StoredMessage,
    label: Label,
    intent: Option<Intent>,
    until: Option<jiff::civil::Date>,
) -> Result<(Vec<String>, usize)> {
    let now = ctx.now;
    let mut class = m.classification.clone();
    let changes = correct(&mut class, m.label, label, intent, until);
    let tx = ctx.store.batch()?;
    tx.set_label_override(m.id, label, &class)?;
    // The words the user just read for rapport teach the learned reader (DESIGN §4).
    if let Some(taught) = Class::of_reading(label, class.intent)
        && !m.snippet.trim().is_empty()
    {
        tx.keep_reader_example(&m.message_id, &m.snippet, taught, now)?;
    }
    let updated = tx
        .message_by_message_id(&m.message_id)?
        .context("message vanished")?;
    let n = crate::mail::timeline::derive(&tx, &updated, now)?;
    tx.commit()?;
    Ok((changes, n))
}

/// Applies a correction to a stored classification and says what changed. Fields that
/// no longer apply go: the intent when the label is not a reply or thank-you, the
/// until-date when the intent is not "later". A mark also confirms the reading.
fn correct(
    class: &mut Classification,
    old_label: Label,
    label: Label,
    intent: Option<Intent>,
    until: Option<jiff::civil::Date>,
) -> Vec<String> {
    let mut changes = Vec::new();
    if old_label == label {
        changes.push(format!("label {} (confirmed)", label.as_str()));
    } else {
        changes.push(format!("label {} → {}", old_label.as_str(), label.as_str()));
    }
    let old_intent = class.intent;
    let keeps_intent = matches!(label, Label::HumanReply | Label::ThankYou);
    let new_intent = match intent {
        Some(i) => Some(i),
        None if keeps_intent => old_intent,
        None => None,
    };
    if new_intent != old_intent {
        let shown = |i: Option<Intent>| i.map_or("none", Intent::as_str);
        changes.push(format!(
            "intent {} → {}",
            shown(old_intent),
            shown(new_intent)
        ));
    }
    class.intent = new_intent;
    let old_until = class.later_until;
    let new_until = match until {
        Some(u) => Some(u),
        None if new_intent == Some(Intent::Later) => old_until,
        None => None,
    };
    if new_until != old_until {
        match (new_until, old_until) {
            (Some(new), _) => changes.push(format!("until {new}")),
            (None, Some(old)) => changes.push(format!("until {old} cleared")),
            (None, None) => {}
        }
    }
    class.later_until = new_until;
    class.certainty = Certainty::Sure;
    changes
}
