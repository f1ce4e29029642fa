//! The store's facts in the planner's terms: a contact's timeline as planner events, its
//! drafts as existing drafts, the thread a nudge replies in, the day of a meeting, and
//! the meetings on a timeline (folded by the planner's one fold, not a second copy).
//! It must never decide what to draft, and holds no SQL.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::Result;
use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde_json::Value;

use crate::config::Loaded;
use crate::core::classify::Intent;
use crate::core::model::{DraftKind, InteractionKind as K};
use crate::core::plan::{ContactFacts, Event, ExistingDraft, fold_meetings};
use crate::followup::draft;
use crate::store::{Contact, Interaction, Store, parse_ts};

fn date_at(v: &Value, key: &str) -> Option<jiff::civil::Date> {
    v.get(key)?.as_str()?.parse().ok()
}

fn ts_at(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)?.as_str()?.parse().ok()
}

fn str_at(v: &Value, key: &str) -> Option<String> {
    v.get(key).and_then(Value::as_str).map(str::to_string)
}

/// One timeline entry as the planner sees it.
pub(crate) fn event_of(i: &Interaction) -> Event {
    let d = &i.detail;
    let mut e = Event::new(i.id, i.at, i.kind);
    e.message_key = i.message_key.clone();
    e.in_reply_to = str_at(d, "in_reply_to").unwrap_or_default();
    e.references = d
        .get("refs")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    e.unsure = d.get("unsure").and_then(Value::as_bool).unwrap_or(false);
    e.intent = str_at(d, "intent").and_then(|i| Intent::from_name(&i.trim().to_lowercase()));
    e.later_until = date_at(d, "later_until");
    e.meeting_uid = str_at(d, "uid");
    e.meeting_start = ts_at(d, "start");
    e.meeting_end = ts_at(d, "end");
    e.meeting_all_day = d.get("all_day").and_then(Value::as_bool) == Some(true);
    e.auto_reply_until = date_at(d, "until");
    e.seen = ts_at(d, "seen");
    e
}

/// The planner's view of a contact.
pub fn inputs(
    store: &Store,
    c: &Contact,
) -> Result<(ContactFacts, Vec<Event>, Vec<ExistingDraft>)> {
    let facts = ContactFacts {
        id: c.id,
        tier: c.tier,
        do_not_contact: c.do_not_contact,
        all_addresses_bounced: !c.emails.is_empty()
            && c.emails.iter().all(|e| e.bounced_at.is_some()),
        has_address: !c.emails.is_empty(),
        watching_since: store.watching_since()?,
    };
    let all = store.drafts_for_contact(c.id)?;
    // Answers to an introduction's emails are the intro's to read, not the planner's.
    let intro_ids: Vec<String> = all
        .iter()
        .filter(|d| super::intros::is_intro_kind(d.kind))
        .map(|d| d.message_id.clone())
        .collect();
    let events = store
        .interactions(c.id)?
        .iter()
        .map(event_of)
        .filter(|e| !super::intros::answers_intro(e, &intro_ids))
        .collect();
    let mut drafts = Vec::new();
    for d in all {
        let (Ok(created_at), Ok(due)) = (parse_ts(&d.created_at), parse_ts(d.effective_due()))
        else {
            continue;
        };
        drafts.push(ExistingDraft {
            id: d.id,
            kind: d.kind,
            reason_key: d.reason_key.clone(),
            status: d.status,
            created_at,
            due,
        });
    }
    Ok((facts, events, drafts))
}

/// The thread a nudge replies in: the request's Message-ID, its references, its subject
/// (from the draft rapport sent, else from the message sync saw).
pub(super) fn thread_of(
    store: &Store,
    message_id: &str,
) -> Result<Option<(String, Vec<String>, String)>> {
    if let Some((subject, refs)) = store.draft_thread(message_id)? {
        return Ok(Some((message_id.to_string(), refs, subject)));
    }
    if let Some(m) = store.message(message_id)? {
        return Ok(Some((message_id.to_string(), m.refs, m.subject)));
    }
    Ok(None)
}

/// For the check-in after a "later" (reason key `later:KEY`): when they said to come
/// back, in words ("in January"), from the reply the key names. `None` for any other.
pub(super) fn later_when(events: &[Event], reason_key: &str) -> Option<String> {
    let key = reason_key.strip_prefix("later:")?;
    let until = events.iter().find(|e| e.key() == key)?.later_until?;
    Some(crate::core::render::later_when(until))
}

/// "Tuesday": the weekday, in the user's zone, of the meeting a thank-you is for.
pub(super) fn meeting_day(events: &[Event], reason_key: &str, tz: &TimeZone) -> String {
    let uid = reason_key.strip_prefix("thank-you:").unwrap_or(reason_key);
    let events: Vec<&Event> = events.iter().collect();
    fold_meetings(&events)
        .into_iter()
        .find(|m| m.key == uid)
        .map(|m| {
            m.start
                .to_zoned_datetime(tz.clone())
                .strftime("%A")
                .to_string()
        })
        .unwrap_or_default()
}

/// An introduction's other person and a share's link are not on a contact's timeline:
/// the preview takes the sample's, and says so.
fn sample_intro_and_share(
    data: &mut crate::core::render::TemplateData,
    sample: &crate::core::render::TemplateData,
    kind: Option<DraftKind>,
    notes: &mut Vec<String>,
) {
    if kind.is_some_and(super::intros::is_intro_kind) {
        data.intro = sample.intro.clone();
        notes.push(format!(
            "the other person of the introduction ({}) is a sample",
            sample.intro.other.name
        ));
    }
    if kind == Some(DraftKind::Share) {
        data.share = sample.share.clone();
        notes.push("what is shared is a sample".to_string());
    }
}

/// The data a template sees when `templates preview NAME CONTACT` shows it: the same
/// as drafting would use (the thread of their latest request for a nudge, the day of
/// their latest meeting for a thank-you), with a sample where the timeline has none,
/// and a note saying so.
pub fn preview_data(
    store: &Store,
    cfg: &Loaded,
    c: &Contact,
    template: &str,
) -> Result<(crate::core::render::TemplateData, Vec<String>)> {
    let sample = crate::core::render::sample_data();
    let kind = template.parse::<DraftKind>().ok();
    let to = c.sendable_address().unwrap_or("(no address)");
    let mut data = draft::template_data(cfg, c, to);
    let mut notes = Vec::new();
    sample_intro_and_share(&mut data, &sample, kind, &mut notes);
    let timeline = store.interactions(c.id)?;
    let request = timeline
        .iter()
        .rev()
        .find(|i| i.kind == K::RequestSent && !i.message_key.is_empty());
    let thread = match request {
        Some(r) => thread_of(store, &r.message_key)?,
        None => None,
    };
    let subject = match thread {
        Some((_, _, subject)) => subject,
        None => {
            if kind == Some(DraftKind::Nudge) {
                notes.push(format!(
                    "no request to {} on the timeline yet: the subject is a sample",
                    c.display_name()
                ));
            }
            sample.request.subject.clone()
        }
    };
    data.request.subject = crate::core::render::reply_subject(&subject);
    let later = timeline
        .iter()
        .rev()
        .find_map(|i| date_at(&i.detail, "later_until"));
    data.later.when = match later {
        Some(until) => crate::core::render::later_when(until),
        None => {
            if template == crate::core::render::LATER_FOLLOW_UP {
                notes.push(format!(
                    "{} never answered \"later\" with a date: the date is a sample",
                    c.display_name()
                ));
            }
            sample.later.when.clone()
        }
    };
    let meeting = timeline
        .iter()
        .rev()
        .filter(|i| matches!(i.kind, K::MeetingScheduled | K::MeetingMoved))
        .find_map(|i| ts_at(&i.detail, "start"));
    match meeting {
        Some(start) => {
            data.meeting.day = start
                .to_zoned_datetime(cfg.tz.clone())
                .strftime("%A")
                .to_string();
        }
        None => {
            data.meeting.day = sample.meeting.day;
            if kind == Some(DraftKind::ThankYou) {
                notes.push(format!(
                    "no meeting with {} on the timeline: the day is a sample",
                    c.display_name()
                ));
            }
        }
    }
    Ok((data, notes))
}

/// One meeting as folded from a contact's calendar entries.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Meeting {
    /// The id of the entry that first put it on the timeline.
    pub id: i64,
    pub contact_id: i64,
    pub contact: String,
    pub uid: String,
    pub start: Timestamp,
    pub end: Timestamp,
    pub all_day: bool,
    pub cancelled: bool,
    /// `user` for meetings recorded with `meeting add`, else where it came from.
    pub source: String,
}

/// Every meeting of every contact, soonest first (ties by the entry that set them). Reads
/// only the calendar entries, so it costs what the meetings cost, not the timelines.
pub fn all_meetings(store: &Store) -> Result<Vec<Meeting>> {
    let entries = store.meeting_interactions()?;
    let mut out = Vec::new();
    for group in entries.chunk_by(|a, b| a.contact_id == b.contact_id) {
        let Some(c) = store.contact(group[0].contact_id)? else {
            continue;
        };
        out.extend(meetings_of(&c, group));
    }
    out.sort_by_key(|m| (m.start, m.id));
    Ok(out)
}

/// A contact's meetings, in the order they were last set, as the planner folds them
/// (by UID: the latest schedule or move gives the times, a later cancel cancels, a
/// later schedule revives).
pub fn meetings_of(c: &Contact, timeline: &[Interaction]) -> Vec<Meeting> {
    let events: Vec<Event> = timeline.iter().map(event_of).collect();
    let refs: Vec<&Event> = events.iter().collect();
    fold_meetings(&refs)
        .into_iter()
        .map(|m| Meeting {
            id: m.first_event,
            contact_id: c.id,
            contact: c.display_name(),
            uid: m.key,
            start: m.start,
            end: m.end,
            all_day: m.all_day,
            cancelled: m.cancelled,
            source: timeline
                .iter()
                .find(|i| i.id == m.first_event)
                .map(|i| i.source.clone())
                .unwrap_or_default(),
        })
        .collect()
}
