//! Runs the pure planner over the store: gathers each contact's facts, timeline and
//! drafts, asks [`crate::core::plan::plan`] what should exist, and carries out its
//! answer (drafts created, rescheduled or superseded). Never sends anything.

use anyhow::Result;
use jiff::Timestamp;
use serde_json::Value;

use crate::config::Loaded;
use crate::core::model::DraftKind;
use crate::core::plan::{self, Action, ContactFacts, Event, ExistingDraft, Plan, Policy};
use crate::drafting;
use crate::store::{Contact, Store, parse_ts};

/// What a planning pass changed.
#[derive(Debug, Default, serde::Serialize)]
pub struct PlanReport {
    pub created: Vec<i64>,
    /// Created drafts approved at once because their kind is in `policy.auto_approve`.
    pub auto_approved: Vec<i64>,
    pub superseded: Vec<(i64, String)>,
    pub rescheduled: Vec<i64>,
    pub errors: Vec<String>,
    /// The earliest time a draft not yet made comes due (the daemon wakes for it).
    pub next_due: Option<Timestamp>,
}

/// The planner's policy from the config.
pub fn policy(cfg: &Loaded) -> Policy {
    let p = &cfg.config.policy;
    let t = &cfg.config.tiers;
    Policy {
        nudge_after_days: p.nudge_after_days,
        dormant_after_days: p.dormant_after_days,
        thank_you_after_hours: p.thank_you_after_hours,
        close_months: t.close_months,
        regular_months: t.regular_months,
        acquaintance_months: t.acquaintance_months,
        ..Policy::default()
    }
}

fn date_at(v: &Value, key: &str) -> Option<jiff::civil::Date> {
    v.get(key)?.as_str()?.parse().ok()
}

fn ts_at(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)?.as_str()?.parse().ok()
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
    };
    let mut events = Vec::new();
    for i in store.interactions(c.id)? {
        let Ok(kind) = i.kind.parse() else { continue };
        let Ok(at) = parse_ts(&i.at) else { continue };
        let d = &i.detail;
        let mut e = Event::new(i.id, at, kind);
        e.message_key = i.message_key.clone();
        e.in_reply_to = d
            .get("in_reply_to")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
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
        e.intent = d.get("intent").and_then(Value::as_str).map(str::to_string);
        e.later_until = date_at(d, "later_until");
        e.meeting_uid = d.get("uid").and_then(Value::as_str).map(str::to_string);
        e.meeting_start = ts_at(d, "start");
        e.meeting_end = ts_at(d, "end");
        e.auto_reply_until = date_at(d, "until");
        events.push(e);
    }
    let mut drafts = Vec::new();
    for d in store.drafts_for_contact(c.id)? {
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

/// Plans one contact without changing anything.
pub fn plan_contact(store: &Store, cfg: &Loaded, c: &Contact, now: Timestamp) -> Result<Plan> {
    let (facts, events, drafts) = inputs(store, c)?;
    Ok(plan::plan(
        &facts,
        &events,
        &drafts,
        now,
        &cfg.tz,
        &policy(cfg),
    ))
}

/// The thread a nudge replies in: the request's Message-ID, its references, its subject.
fn thread_of(store: &Store, message_id: &str) -> Result<Option<(String, Vec<String>, String)>> {
    let draft = store.conn().query_row(
        "SELECT subject, refs FROM drafts WHERE message_id = ?1",
        [message_id],
        |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
    );
    if let Ok((subject, refs)) = draft {
        let refs = refs.split_whitespace().map(str::to_string).collect();
        return Ok(Some((message_id.to_string(), refs, subject)));
    }
    if let Some(m) = store.message(message_id)? {
        return Ok(Some((message_id.to_string(), m.refs, m.subject)));
    }
    Ok(None)
}

/// Plans every contact and carries out the answers.
pub fn plan_all(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<PlanReport> {
    // Read from disk only on a turn that drafts something (most turns draft nothing).
    let mut templates: Option<crate::core::render::Templates> = None;
    let mut report = PlanReport::default();
    for c in store.contacts()? {
        let p = plan_contact(store, cfg, &c, now)?;
        for action in p.actions {
            match action {
                Action::Supersede { draft_id, why } => {
                    if store.supersede(draft_id, &why, now)? {
                        report.superseded.push((draft_id, why));
                    }
                }
                Action::Reschedule { draft_id, due, why } => {
                    if store.reschedule(draft_id, due, &why, now)? {
                        report.rescheduled.push(draft_id);
                    }
                }
                // A draft appears in the queue when it is due, not months ahead: the
                // queue holds what needs the user now. Re-planning is idempotent, so
                // the draft is made on the first turn at or after its time.
                Action::Create { due, .. } if due > now => {
                    report.next_due = Some(report.next_due.map_or(due, |d| d.min(due)));
                }
                Action::Create {
                    kind,
                    reason,
                    reason_key,
                    due,
                    reply_to,
                } => {
                    let thread = match (&reply_to, kind) {
                        (Some(id), DraftKind::Nudge) => thread_of(store, id)?,
                        _ => None,
                    };
                    let meeting_day = if kind == DraftKind::ThankYou {
                        meeting_day(store, cfg, &c, &reason_key)?
                    } else {
                        String::new()
                    };
                    let req = drafting::Request {
                        contact: &c,
                        kind,
                        template: kind.as_str(),
                        reason,
                        reason_key,
                        due,
                        thread,
                        meeting_day,
                    };
                    let templates = match &mut templates {
                        Some(t) => t,
                        None => templates.insert(drafting::load_templates(&cfg.templates_dir)?),
                    };
                    match drafting::create(store, cfg, templates, &req, now) {
                        Ok(Some(id)) => {
                            tracing::info!(draft = id, contact = c.id, kind = %kind, "drafted");
                            report.created.push(id);
                            // Only kinds the user listed in policy.auto_approve skip the queue.
                            if cfg
                                .config
                                .policy
                                .auto_approve
                                .iter()
                                .any(|k| k == kind.as_str())
                            {
                                store.approve(id, now)?;
                                report.auto_approved.push(id);
                            }
                        }
                        Ok(None) => {}
                        Err(e) => {
                            report
                                .errors
                                .push(format!("{} for {}: {e:#}", kind, c.display_name()))
                        }
                    }
                }
            }
        }
    }
    Ok(report)
}

/// "Tuesday" for a meeting this week, else the date, in the user's zone.
fn meeting_day(store: &Store, cfg: &Loaded, c: &Contact, reason_key: &str) -> Result<String> {
    let uid = reason_key.strip_prefix("thank-you:").unwrap_or(reason_key);
    let start = store
        .interactions(c.id)?
        .into_iter()
        .rev()
        .find(|i| i.detail.get("uid").and_then(Value::as_str) == Some(uid))
        .and_then(|i| ts_at(&i.detail, "start"));
    Ok(start
        .map(|s| {
            s.to_zoned_datetime(cfg.tz.clone())
                .strftime("%A")
                .to_string()
        })
        .unwrap_or_default())
}

/// Makes the queue current before the CLI shows it: plans every contact (idempotent, so
/// cheap when nothing changed) and withdraws at once every open draft to someone who
/// wrote since it was made — the rule sending applies, so no draft that sending would
/// refuse stays approvable in between. Never sends anything.
pub fn bring_current(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<PlanReport> {
    let mut report = plan_all(store, cfg, now)?;
    for d in store.drafts(false)? {
        if !d.status.is_open() {
            continue;
        }
        if let crate::send::Verdict::Supersede(why) | crate::send::Verdict::Hold(why) =
            crate::send::replied_since(store, &d)?
            && store.supersede(d.id, &why, now)?
        {
            report.superseded.push((d.id, why));
        }
    }
    Ok(report)
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
    use crate::core::model::InteractionKind as K;
    let sample = crate::core::render::sample_data();
    let to = c.sendable_address().unwrap_or("(no address)");
    let mut data = drafting::template_data(cfg, c, to);
    let mut notes = Vec::new();
    let timeline = store.interactions(c.id)?;
    let kind_of = |i: &crate::store::Interaction| i.kind.parse::<K>().ok();
    let request = timeline
        .iter()
        .rev()
        .find(|i| kind_of(i) == Some(K::RequestSent) && !i.message_key.is_empty());
    let thread = match request {
        Some(r) => thread_of(store, &r.message_key)?,
        None => None,
    };
    match thread {
        Some((_, _, subject)) => {
            data.request.subject = crate::core::render::reply_subject(&subject)
        }
        None => {
            data.request.subject = crate::core::render::reply_subject(&sample.request.subject);
            if template == DraftKind::Nudge.as_str() {
                notes.push(format!(
                    "no request to {} on the timeline yet: the subject is a sample",
                    c.display_name()
                ));
            }
        }
    }
    let meeting = timeline
        .iter()
        .rev()
        .filter(|i| matches!(kind_of(i), Some(K::MeetingScheduled | K::MeetingMoved)))
        .find_map(|i| ts_at(&i.detail, "start"));
    match meeting {
        Some(start) => {
            data.meeting.day = start
                .to_zoned_datetime(cfg.tz.clone())
                .strftime("%A")
                .to_string()
        }
        None => {
            data.meeting.day = sample.meeting.day;
            if template == DraftKind::ThankYou.as_str() {
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

fn ts_of(detail: &Value, key: &str) -> Option<Timestamp> {
    detail.get(key)?.as_str().and_then(|s| parse_ts(s).ok())
}

fn uid_of(i: &crate::store::Interaction) -> String {
    i.detail
        .get("uid")
        .and_then(Value::as_str)
        .filter(|u| !u.is_empty())
        .map_or_else(|| format!("event-{}", i.id), str::to_string)
}

/// Folds a contact's calendar entries by UID, in timeline order: the latest schedule or
/// move gives the times, a later cancel cancels, a later schedule revives.
pub fn meetings_of(c: &Contact, timeline: &[crate::store::Interaction]) -> Vec<Meeting> {
    let mut out: Vec<Meeting> = Vec::new();
    for i in timeline {
        let Ok(kind) = i.kind.parse::<crate::core::model::InteractionKind>() else {
            continue;
        };
        let uid = uid_of(i);
        let existing = out.iter_mut().find(|m| m.uid == uid);
        match kind {
            crate::core::model::InteractionKind::MeetingScheduled
            | crate::core::model::InteractionKind::MeetingMoved => {
                let Some(start) = ts_of(&i.detail, "start").or(ts_of(&i.detail, "end")) else {
                    continue;
                };
                let end = ts_of(&i.detail, "end").unwrap_or(start).max(start);
                let all_day = i.detail.get("all_day").and_then(Value::as_bool) == Some(true);
                match existing {
                    Some(m) => {
                        (m.start, m.end, m.cancelled) = (start, end, false);
                        m.all_day = all_day;
                    }
                    None => out.push(Meeting {
                        id: i.id,
                        contact_id: c.id,
                        contact: c.display_name(),
                        uid,
                        start,
                        end,
                        all_day,
                        cancelled: false,
                        source: i.source.clone(),
                    }),
                }
            }
            crate::core::model::InteractionKind::MeetingCancelled
            | crate::core::model::InteractionKind::MeetingDeclined => {
                if let Some(m) = existing {
                    m.cancelled = true;
                }
            }
            _ => {}
        }
    }
    out
}
