//! From one classified message to the timeline entry it makes: which kind of
//! interaction, with whom, the sentence shown on the timeline and the details
//! the planner reads (intent, dates, the calendar UID, certainty).
//!
//! Pure: a stored message's facts in, an [`Entry`] out; `mail::timeline`
//! finds the contacts and writes it. It must never do I/O, read the clock or
//! decide anything the planner decides (what to draft).

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use serde_json::{Value, json};

use crate::core::classify::{Certainty, Classification, Intent, Label};
use crate::core::model::InteractionKind;

/// What the timeline needs to know about one stored message.
#[derive(Debug, Clone)]
pub struct MessageFacts<'a> {
    /// The row id of the message in the store.
    pub row: i64,
    /// The label in force (the user's correction when there is one).
    pub label: Label,
    /// Whether the user has confirmed or corrected the label (`rapport mark`).
    pub confirmed: bool,
    pub outbound: bool,
    pub subject: &'a str,
    pub from_addr: &'a str,
    pub to_addrs: &'a [String],
    /// The stored classification.
    pub classification: &'a Classification,
}

/// The timeline entry a message makes.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub kind: InteractionKind,
    pub summary: String,
    pub detail: Value,
    /// The addresses whose contacts get the entry.
    pub with: Vec<String>,
    /// For a bounce: whether it is permanent (the failed addresses are marked).
    pub hard_bounce: Option<bool>,
}

/// " for 2026-12-03 09:00" from an instant, or "".
fn when(start: Option<jiff::Timestamp>) -> String {
    start
        .map(|t| format!(" for {}", t.strftime("%Y-%m-%d %H:%M UTC")))
        .unwrap_or_default()
}

fn bounce(f: &MessageFacts<'_>) -> Entry {
    let b = f.classification.bounce.as_ref();
    let hard = b.is_none_or(|b| b.hard);
    let failed: Vec<String> = b
        .map(|b| {
            b.failed_recipients
                .iter()
                .map(|r| r.to_lowercase())
                .collect()
        })
        .unwrap_or_default();
    Entry {
        kind: InteractionKind::Bounce,
        summary: format!(
            "{} bounce: {}",
            if hard { "hard" } else { "soft" },
            failed.join(", ")
        ),
        detail: json!({ "hard": hard, "failed": failed, "message": f.row }),
        with: failed,
        hard_bounce: Some(hard),
    }
}

/// Whether the reading still waits for the user to confirm it.
fn unsure(f: &MessageFacts<'_>) -> bool {
    !f.confirmed && f.classification.certainty == Certainty::Unsure
}

fn meeting(f: &MessageFacts<'_>) -> Option<(InteractionKind, String, Value)> {
    let m = f.classification.meeting.as_ref();
    let start = m.and_then(|m| m.start);
    let detail = json!({
        "uid": m.map(|m| m.uid.as_str()).filter(|u| !u.is_empty()),
        "start": start,
        "end": m.and_then(|m| m.end),
        "message": f.row,
    });
    let s = f.subject;
    Some(match f.label {
        Label::MeetingInvite
        | Label::MeetingAccept
        | Label::MeetingConfirmation
        | Label::MeetingTentative => (
            InteractionKind::MeetingScheduled,
            format!("meeting scheduled{}: {s}", when(start)),
            detail,
        ),
        Label::MeetingUpdate => (
            InteractionKind::MeetingMoved,
            format!("meeting moved{}: {s}", when(start)),
            detail,
        ),
        Label::MeetingCancel => (
            InteractionKind::MeetingCancelled,
            format!("meeting cancelled: {s}"),
            detail,
        ),
        Label::MeetingDecline => (
            InteractionKind::MeetingDeclined,
            format!("meeting declined: {s}"),
            detail,
        ),
        _ => return None,
    })
}

/// What a person's message (or the user's own) says on the timeline.
fn human(f: &MessageFacts<'_>) -> (InteractionKind, String, Value) {
    let c = f.classification;
    let s = f.subject;
    let row = f.row;
    match (f.label, f.outbound) {
        (Label::HumanReply, false) => {
            let intent = c.intent.unwrap_or(Intent::Other);
            let until = c.later_until.filter(|_| intent == Intent::Later);
            let intent = intent.as_str();
            let summary = match until {
                Some(u) => format!("replied ({intent}, until {u}): {s}"),
                None => format!("replied ({intent}): {s}"),
            };
            let mut detail = json!({ "intent": intent, "later_until": until, "message": row });
            if let (Some(p), Some(obj)) = (&c.proposed, detail.as_object_mut()) {
                obj.insert("proposed".into(), json!(p));
            }
            (InteractionKind::Reply, summary, detail)
        }
        (Label::MeetingRequest, true) => (
            InteractionKind::RequestSent,
            format!("you asked (written by you): {s}"),
            json!({ "message": row }),
        ),
        (Label::MeetingRequest, false) => (
            InteractionKind::RequestReceived,
            format!("they asked you: {s}"),
            json!({ "message": row }),
        ),
        (Label::ThankYou, false) => (
            InteractionKind::ThankYouReceived,
            format!("thanked you: {s}"),
            json!({ "message": row }),
        ),
        (Label::ThankYou, true) => (
            InteractionKind::ThankYouSent,
            format!("you thanked them: {s}"),
            json!({ "message": row }),
        ),
        (Label::AutoReply, false) => {
            let until = c.auto_reply_until;
            let summary = match until {
                Some(u) => format!("auto-reply, back {u}"),
                None => "auto-reply".to_string(),
            };
            (
                InteractionKind::AutoReply,
                summary,
                json!({ "until": until, "message": row }),
            )
        }
        (_, true) => (
            InteractionKind::EmailSent,
            format!("you wrote: {s}"),
            json!({ "message": row }),
        ),
        (_, false) => (
            InteractionKind::EmailReceived,
            format!("they wrote: {s}"),
            json!({ "message": row }),
        ),
    }
}

/// The timeline entry of one message, or `None` for mail that makes none
/// (bulk mail).
pub fn entry(f: &MessageFacts<'_>) -> Option<Entry> {
    if f.label == Label::Bounce {
        return Some(bounce(f));
    }
    if f.label == Label::Bulk {
        return None;
    }
    let (kind, mut summary, mut detail) = meeting(f).unwrap_or_else(|| human(f));
    if unsure(f)
        && let Some(obj) = detail.as_object_mut()
    {
        obj.insert("unsure".into(), Value::Bool(true));
        summary.push_str(" (unsure: confirm with `rapport mark`)");
    }
    let with = if f.outbound {
        f.to_addrs.to_vec()
    } else {
        vec![f.from_addr.to_string()]
    };
    Some(Entry {
        kind,
        summary,
        detail,
        with,
        hard_bounce: None,
    })
}

#[cfg(test)]
mod tests;
