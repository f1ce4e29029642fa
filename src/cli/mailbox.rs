//! `rapport sync`, `rapport why`, `rapport mark` and `rapport meeting add`.

use std::process::ExitCode;

use anyhow::{Context, Result, bail};
use serde_json::{Value, json};

use super::{Ctx, print_json};
use crate::core::model::InteractionKind;
use crate::mail::sync::FolderReport;
use crate::store::{NewInteraction, StoredMessage};

/// The labels `rapport mark` accepts.
pub const LABELS: &[&str] = &[
    "meeting_invite",
    "meeting_update",
    "meeting_cancel",
    "meeting_accept",
    "meeting_decline",
    "meeting_tentative",
    "meeting_confirmation",
    "human_reply",
    "thank_you",
    "auto_reply",
    "bounce",
    "bulk",
    "other",
];

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
            print_folder_report(r);
        }
    }
    let failed = reports.iter().any(|r| r.error.is_some());
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

pub fn print_folder_report(r: &FolderReport) {
    if let Some(e) = &r.error {
        println!("{}: error: {e}", r.folder);
        return;
    }
    let labels: Vec<String> = r.labels.iter().map(|(l, n)| format!("{l} {n}")).collect();
    let rescan = if r.uidvalidity_changed {
        " (UIDVALIDITY changed: rescanned)"
    } else {
        ""
    };
    println!(
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
    );
}

fn find_message(ctx: &Ctx, key: &str) -> Result<StoredMessage> {
    ctx.store.message(key)?.with_context(|| {
        format!("no message {key:?}; give a Message-ID or the message id that `rapport contacts show` prints")
    })
}

/// The explanation `rapport why` prints, as JSON.
pub fn why_json(m: &StoredMessage) -> Value {
    let c = &m.classification;
    let meeting = c.get("meeting").cloned().unwrap_or(Value::Null);
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
        "intent": c.get("intent").cloned().unwrap_or(Value::Null),
        "later_until": c.get("later_until").cloned().unwrap_or(Value::Null),
        "auto_reply_until": c.get("auto_reply_until").cloned().unwrap_or(Value::Null),
        "start": meeting.get("start").cloned().unwrap_or(Value::Null),
        "end": meeting.get("end").cloned().unwrap_or(Value::Null),
        "meeting": meeting,
        "bounce": c.get("bounce").cloned().unwrap_or(Value::Null),
        "evidence": c.get("evidence").cloned().unwrap_or_else(|| json!([])),
        "parse_error": m.parse_error,
    })
}

pub fn why(ctx: &Ctx, key: &str, json: bool) -> Result<ExitCode> {
    let m = find_message(ctx, key)?;
    let v = why_json(&m);
    if json {
        print_json(&v)?;
        return Ok(ExitCode::SUCCESS);
    }
    println!("Message {} <{}>", m.id, m.message_id);
    println!(
        "  {} {} · {} · {}",
        m.direction, m.from_addr, m.date, m.subject
    );
    let marked = if m.label_override.is_some() {
        format!(" (marked by you; detected: {})", m.detected_label)
    } else {
        String::new()
    };
    println!("Label: {}{marked}", m.label);
    for (k, name) in [
        ("intent", "Intent"),
        ("later_until", "Later until"),
        ("auto_reply_until", "Back on"),
        ("start", "Starts"),
        ("end", "Ends"),
    ] {
        if let Some(s) = v.get(k).and_then(Value::as_str) {
            println!("{name}: {s}");
        }
    }
    if let Some(ev) = v.get("evidence").and_then(Value::as_array) {
        println!("Evidence:");
        for e in ev {
            println!(
                "  - {}: {}",
                e.get("kind").and_then(Value::as_str).unwrap_or("?"),
                e.get("detail").and_then(Value::as_str).unwrap_or("")
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn mark(
    mut ctx: Ctx,
    key: &str,
    label: &str,
    intent: Option<&str>,
    until: Option<&str>,
) -> Result<ExitCode> {
    if !LABELS.contains(&label) {
        bail!(
            "{label:?} is not a label; use one of: {}",
            LABELS.join(", ")
        );
    }
    if let Some(i) = intent
        && !["yes", "no", "later", "other"].contains(&i)
    {
        bail!("--intent {i:?}: use yes, no, later or other");
    }
    let until = match until {
        Some(u) => Some(
            u.parse::<jiff::civil::Date>()
                .with_context(|| format!("--until {u:?} is not a date like 2027-01-15"))?
                .to_string(),
        ),
        None => None,
    };
    let m = find_message(&ctx, key)?;
    let now = ctx.now;
    let tx = ctx.store.transaction()?;
    let mut class = m.classification.clone();
    if let Some(obj) = class.as_object_mut() {
        if let Some(i) = intent {
            obj.insert("intent".into(), i.into());
        }
        if let Some(u) = &until {
            obj.insert("later_until".into(), u.clone().into());
        }
    }
    tx.execute(
        "UPDATE messages SET label_override = ?1, classification = ?2 WHERE id = ?3",
        rusqlite::params![label, class.to_string(), m.id],
    )?;
    let updated =
        crate::store::message_by_message_id(&tx, &m.message_id)?.context("message vanished")?;
    let n = crate::mail::timeline::derive(&tx, &updated, now)?;
    tx.commit()?;
    println!(
        "Marked message {} as {label} (was {}); {n} timeline entr{} re-derived. Later syncs keep your label.",
        m.id,
        m.label,
        if n == 1 { "y" } else { "ies" }
    );
    super::kick_daemon(&ctx);
    Ok(ExitCode::SUCCESS)
}

/// Parses a local date-time in the user's zone: `2026-12-01T15:00`, `2026-12-01 15:00`,
/// or an RFC 3339 instant.
pub fn parse_local(s: &str, tz: &jiff::tz::TimeZone) -> Result<jiff::Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<jiff::Timestamp>() {
        return Ok(t);
    }
    let dt = s
        .replacen(' ', "T", 1)
        .parse::<jiff::civil::DateTime>()
        .with_context(|| format!("{s:?} is not a date and time; write e.g. 2026-12-01T15:00"))?;
    Ok(dt.to_zoned(tz.clone())?.timestamp())
}

pub fn meeting_add(ctx: &Ctx, contact: &str, at: &str, minutes: u32) -> Result<ExitCode> {
    let c = ctx.one_contact(contact)?;
    if minutes == 0 || minutes > 24 * 60 {
        bail!("--minutes must be between 1 and 1440");
    }
    let start = parse_local(at, &ctx.cfg.tz)?;
    let end = start.checked_add(jiff::SignedDuration::from_mins(i64::from(minutes)))?;
    let key = format!("manual-meeting:{}", crate::store::fmt_ts(start));
    let local = start.to_zoned(ctx.cfg.tz.clone());
    let summary = format!(
        "meeting scheduled for {} ({minutes} min, recorded by you)",
        local.strftime("%Y-%m-%d %H:%M %Z")
    );
    let added = ctx.store.add_interaction(&NewInteraction {
        contact_id: c.id,
        at: ctx.now,
        kind: InteractionKind::MeetingScheduled,
        summary: &summary,
        message_key: &key,
        draft_id: None,
        detail: json!({
            "uid": key,
            "start": crate::store::fmt_ts(start),
            "end": crate::store::fmt_ts(end),
        }),
        source: "user",
    })?;
    if !added {
        println!(
            "That meeting with {} is already recorded.",
            c.display_name()
        );
    } else {
        println!("Recorded: {} with {}.", summary, c.display_name());
    }
    Ok(ExitCode::SUCCESS)
}
