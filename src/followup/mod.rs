//! Follow-up: turn the store's facts into the planner's input, and the planner's actions
//! into queued drafts. The judgement lives in [`crate::core::plan`] (pure); rendering and
//! storing one draft in [`draft`]; this module only carries facts in and actions out.
//!
//! It must never send anything, and holds no SQL: it reads and writes through `Store`'s
//! typed methods.

pub mod draft;
mod facts;

use anyhow::Result;
use jiff::Timestamp;

use crate::config::Loaded;
use crate::core::model::DraftKind;
use crate::core::plan::{self, Action, Event, Plan, Policy};
use crate::core::render::Templates;
use crate::store::{Contact, Store};

pub use facts::{Meeting, inputs, meetings_of, preview_data};

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
    templates: Option<Templates>,
    report: PlanReport,
}

/// Plans every contact and carries out the answers.
pub fn plan_all(store: &mut Store, cfg: &Loaded, now: Timestamp) -> Result<PlanReport> {
    let mut pass = Pass {
        cfg,
        now,
        templates: None,
        report: PlanReport::default(),
    };
    for c in store.contacts()? {
        let (facts, events, drafts) = inputs(store, &c)?;
        let p = plan::plan(&facts, &events, &drafts, now, &cfg.tz, &policy(cfg));
        for action in p.actions {
            pass.carry_out(store, &c, &events, action)?;
        }
    }
    Ok(pass.report)
}

impl Pass<'_> {
    fn carry_out(
        &mut self,
        store: &mut Store,
        c: &Contact,
        events: &[Event],
        action: Action,
    ) -> Result<()> {
        let now = self.now;
        match action {
            Action::Supersede { draft_id, why } => {
                if store.supersede(draft_id, &why, now)? {
                    self.report.superseded.push((draft_id, why));
                }
            }
            Action::Reschedule { draft_id, due, why } => {
                if store.reschedule(draft_id, due, &why, now)? {
                    self.report.rescheduled.push(draft_id);
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
                let thread = match (&reply_to, kind) {
                    (Some(id), DraftKind::Nudge) => facts::thread_of(store, id)?,
                    _ => None,
                };
                let meeting_day = if kind == DraftKind::ThankYou {
                    facts::meeting_day(events, &reason_key, &self.cfg.tz)
                } else {
                    String::new()
                };
                let req = draft::Request {
                    contact: c,
                    kind,
                    template: kind.as_str(),
                    reason,
                    reason_key,
                    due,
                    thread,
                    meeting_day,
                };
                self.create(store, &req)?;
            }
        }
        Ok(())
    }

    /// Drafts one email; an error drafting it is reported, not fatal to the pass.
    fn create(&mut self, store: &mut Store, req: &draft::Request<'_>) -> Result<()> {
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
            }
            Ok(None) => {}
            Err(e) => self
                .report
                .errors
                .push(format!("{} for {}: {e:#}", kind, c.display_name())),
        }
        Ok(())
    }
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
