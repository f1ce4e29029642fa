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
        .map(|s| s.to_zoned(cfg.tz.clone()).strftime("%A").to_string())
        .unwrap_or_default())
}
