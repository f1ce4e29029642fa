//! Follow-up: turn the store's facts into the planner's input, and the planner's actions
//! into queued drafts. The judgement lives in [`crate::core::plan`] (pure); rendering and
//! storing one draft in [`draft`]; this module only carries facts in and actions out.
//!
//! It must never send anything, and holds no SQL: it reads and writes through `Store`'s
//! typed methods.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

pub mod account;
pub mod draft;
mod facts;
pub mod intros;
pub mod proposals;
pub mod share;

use anyhow::Result;
use jiff::Timestamp;

use crate::config::Loaded;
use crate::core::model::DraftKind;
use crate::core::plan::{self, Action, Event, Plan, Policy};
use crate::core::render::Templates;
use crate::store::{Contact, Store};

pub use facts::{Meeting, all_meetings, inputs, meetings_of, preview_data};

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

/// One planning pass: the report so far and the templates, read from disk only on a
/// pass that drafts something (most draft nothing).
struct Pass<'a> {
    cfg: &'a Loaded,
    now: Timestamp,
    policy: Policy,
    templates: Option<Templates>,
    report: PlanReport,
}

/// Plans every contact and carries out the answers: the full pass (`rapport plan`, and
/// the reference the incremental pass must always agree with).
pub fn plan_all(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<PlanReport> {
    let mut pass = Pass::new(cfg, now);
    for c in store.contacts()? {
        pass.plan_one(store, &c)?;
    }
    intros::advance(store, cfg, now, &mut pass.report)?;
    Ok(pass.report)
}

/// Plans only the contacts whose plan may have changed since it was last carried out:
/// those the database marked (their row, addresses, timeline or drafts changed), those
/// whose wake instant has come, and everyone once after the planning configuration
/// changed. Same queue as [`plan_all`], without re-reading 10,000 timelines. Returns the
/// ids it planned with the report.
pub fn plan_changed(
    store: &mut Store,
    cfg: &Loaded,
    now: Timestamp,
) -> Result<(PlanReport, Vec<i64>)> {
    store.plan_config_is(&config_fingerprint(cfg), now)?;
    let due = store.plan_due(now)?;
    let mut pass = Pass::new(cfg, now);
    for &(id, seen) in &due {
        let Some(c) = store.contact(id)? else {
            continue;
        };
        if let Some(wake) = pass.plan_one(store, &c)? {
            store.mark_planned(id, seen, now, wake)?;
        }
    }
    intros::advance(store, cfg, now, &mut pass.report)?;
    let ids = due.into_iter().map(|(id, _)| id).collect();
    // The earliest of every settled contact's wake and of what this pass found due later
    // (that also covers a contact left unsettled by an error drafting something else).
    let wake = store.next_plan_wake()?;
    pass.report.next_due = match (pass.report.next_due, wake) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    Ok((pass.report, ids))
}

/// A fingerprint of the configuration the planner and the pass read: a change plans
/// everyone again once.
fn config_fingerprint(cfg: &Loaded) -> String {
    use sha2::Digest;
    let text = format!(
        "{:?}|{:?}|{:?}",
        policy(cfg),
        cfg.tz,
        cfg.config.policy.auto_approve
    );
    let digest = sha2::Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

impl<'a> Pass<'a> {
    fn new(cfg: &'a Loaded, now: Timestamp) -> Self {
        Pass {
            cfg,
            now,
            policy: policy(cfg),
            templates: None,
            report: PlanReport::default(),
        }
    }

    /// Plans `c` and carries out the answer. `Some(wake)` when that changed nothing in
    /// the store and drafted without error, so the plan stands until the data changes
    /// or `wake` comes; `None` when the contact must be planned again next pass.
    fn plan_one(&mut self, store: &mut Store, c: &Contact) -> Result<Option<Option<Timestamp>>> {
        let (facts, events, drafts) = inputs(store, c)?;
        let (p, mut wake) = plan::plan_until(
            &facts,
            &events,
            &drafts,
            self.now,
            &self.cfg.tz,
            &self.policy,
        );
        let errors = self.report.errors.len();
        let mut changed = false;
        for action in p.actions {
            if let Action::Create { due, .. } = &action
                && *due > self.now
            {
                wake = Some(wake.map_or(*due, |w| w.min(*due)));
            }
            changed |= self.carry_out(store, c, &events, action)?;
        }
        let settled = !changed && self.report.errors.len() == errors;
        Ok(settled.then_some(wake))
    }

    /// Carries out one action; true when it changed the store.
    fn carry_out(
        &mut self,
        store: &mut Store,
        c: &Contact,
        events: &[Event],
        action: Action,
    ) -> Result<bool> {
        let now = self.now;
        match action {
            Action::Supersede { draft_id, why } => {
                if store.supersede(draft_id, &why, now)? {
                    self.report.superseded.push((draft_id, why));
                    return Ok(true);
                }
            }
            Action::Reschedule { draft_id, due, why } => {
                if store.reschedule(draft_id, due, &why, now)? {
                    self.report.rescheduled.push(draft_id);
                    return Ok(true);
                }
            }
            // A draft appears in the queue when it is due, not months ahead: the queue
            // holds what needs the user now. Re-planning is idempotent, so the draft is
            // made on the first turn at or after its time.
            Action::Create { due, .. } if due > now => {
                self.report.next_due = Some(self.report.next_due.map_or(due, |d| d.min(due)));
            }
            Action::Create {
                kind,
                reason,
                reason_key,
                due,
                reply_to,
            } => {
                // The check-in that answers a "later" recalls what they said, in their thread.
                let later_when = facts::later_when(events, &reason_key);
                let thread = match (&reply_to, kind) {
                    (Some(id), DraftKind::Nudge) => facts::thread_of(store, id)?,
                    (Some(id), DraftKind::CheckIn) if later_when.is_some() => {
                        facts::thread_of(store, id)?
                    }
                    _ => None,
                };
                let meeting_day = if kind == DraftKind::ThankYou {
                    facts::meeting_day(events, &reason_key, &self.cfg.tz)
                } else {
                    String::new()
                };
                let template = match (&later_when, kind) {
                    (Some(_), DraftKind::CheckIn) => crate::core::render::LATER_FOLLOW_UP,
                    _ => kind.as_str(),
                };
                let req = draft::Request {
                    contact: c,
                    kind,
                    template,
                    reason,
                    reason_key,
                    due,
                    thread,
                    meeting_day,
                    later_when: later_when.unwrap_or_default(),
                    intro: None,
                    share: None,
                };
                return self.create(store, &req);
            }
        }
        Ok(false)
    }

    /// Drafts one email; an error drafting it is reported, not fatal to the pass. True
    /// when a draft was made.
    fn create(&mut self, store: &mut Store, req: &draft::Request<'_>) -> Result<bool> {
        let templates = match &mut self.templates {
            Some(t) => t,
            None => self
                .templates
                .insert(draft::load_templates(&self.cfg.templates_dir)?),
        };
        let (c, kind) = (req.contact, req.kind);
        match draft::create(store, self.cfg, templates, req, self.now) {
            Ok(Some(id)) => {
                tracing::info!(draft = id, contact = c.id, kind = %kind, "drafted");
                self.report.created.push(id);
                // Only kinds the user listed in policy.auto_approve skip the queue.
                let auto = self.cfg.config.policy.auto_approve.iter();
                if auto
                    .filter_map(|k| k.parse::<DraftKind>().ok())
                    .any(|k| k == kind)
                {
                    store.approve(id, self.now)?;
                    self.report.auto_approved.push(id);
                }
                return Ok(true);
            }
            Ok(None) => {}
            Err(e) => self
                .report
                .errors
                .push(format!("{} for {}: {e:#}", kind, c.display_name())),
        }
        Ok(false)
    }
}

/// Makes the queue current before the CLI shows it: plans the contacts whose plan may
/// have changed ([`plan_changed`]) and withdraws at once every open draft of those
/// contacts to someone who wrote since it was made — the rule sending applies, so no
/// draft that sending would refuse stays approvable in between. A contact nobody
/// touched has no new timeline entry, so none of its drafts can newly fail that rule.
/// Never sends anything.
pub fn bring_current(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<PlanReport> {
    let (mut report, planned) = plan_changed(store, cfg, now)?;
    for id in planned {
        for d in store.drafts_for_contact(id)? {
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
    }
    Ok(report)
}

#[cfg(test)]
mod conversation_tests;
#[cfg(test)]
mod tests;

#[cfg(test)]
mod template_tests;
