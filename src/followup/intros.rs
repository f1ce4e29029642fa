//! Double opt-in introductions carried out: the facts of each intro from the store
//! (its drafts, both timelines) into [`crate::core::intro::decide`], and its answer back
//! as drafts, withdrawals, the stored stage and one timeline entry per step on both
//! people's timelines.
//!
//! It must never send anything, and never make or keep an email to B before A's yes, or
//! the introduction before both yeses: [`refusal`] is the same rule, asked again by
//! `send` just before an intro's email goes out. It holds no SQL.

use anyhow::{Result, bail};
use jiff::Timestamp;

use super::PlanReport;
use super::draft::{self, IntroDraft};
use crate::config::Loaded;
use crate::core::intro::{self, Answer, Decision, Facts, Policy, StepDraft};
use crate::core::model::{DraftKind, InteractionKind, IntroStage, IntroStep};
use crate::core::render::Templates;
use crate::store::{Contact, Draft, Intro, IntroUpdate, NewInteraction, Store, parse_ts};

/// The intro's numbers: the follow-up policy's wait before a nudge, and its wait after
/// the nudge before giving up.
pub fn policy(cfg: &Loaded) -> Policy {
    Policy {
        nudge_after_days: cfg.config.policy.nudge_after_days,
        close_after_days: cfg.config.policy.dormant_after_days,
    }
}

/// Whether drafts of this kind belong to an introduction.
pub fn is_intro_kind(kind: DraftKind) -> bool {
    matches!(
        kind,
        DraftKind::IntroAsk | DraftKind::Intro | DraftKind::IntroDeclined
    )
}

/// What `rapport intro` made.
#[derive(Debug, Clone, Copy)]
pub struct Started {
    /// The new intro's id.
    pub intro: i64,
    /// The ask to A, waiting for approval.
    pub draft: i64,
}

/// Starts an introduction of `a` to `b`: the intro, and the ask to A in the queue. B is
/// told nothing. Refused when the two are one person, when either cannot be written to,
/// or when an intro of the same two is still open.
pub fn start(
    store: &Store,
    cfg: &Loaded,
    a: &Contact,
    b: &Contact,
    why: &str,
    now: Timestamp,
) -> Result<Started> {
    if a.id == b.id {
        bail!(
            "{} cannot be introduced to themselves; name two different contacts",
            a.display_name()
        );
    }
    for c in [a, b] {
        if c.do_not_contact {
            bail!(
                "{} is marked do-not-contact, so rapport will not ask them; `rapport contacts edit {} --contact-again` lifts it",
                c.display_name(),
                c.id
            );
        }
        if c.sendable_address().is_none() {
            bail!(
                "{} has no email address that has not bounced; add one with `rapport contacts edit {} --email ADDRESS`",
                c.display_name(),
                c.id
            );
        }
    }
    let open = store.intros(false)?.into_iter().find(|i| {
        (i.a_contact, i.b_contact) == (a.id, b.id) || (i.a_contact, i.b_contact) == (b.id, a.id)
    });
    if let Some(i) = open {
        bail!(
            "{} and {} already have an open intro (intro {}, {}); `rapport intros` shows it",
            a.display_name(),
            b.display_name(),
            i.id,
            i.stage
        );
    }
    let id = store.insert_intro(a.id, b.id, why, now)?;
    let templates = draft::load_templates(&cfg.templates_dir)?;
    let made = make_step(store, cfg, &templates, id, IntroStep::AskA, None, now);
    let draft = match made {
        Ok(Some(d)) => d,
        Ok(None) => {
            store.delete_intro(id)?;
            bail!("the ask for intro {id} exists already; try again in a second")
        }
        Err(e) => {
            store.delete_intro(id)?;
            return Err(e);
        }
    };
    if let Some(intro) = store.intro(id)? {
        let mut report = PlanReport::default();
        advance_one(store, cfg, &templates, &intro, now, &mut report)?;
    }
    Ok(Started { intro: id, draft })
}

/// Brings every open intro current: drafts the step that is due, withdraws what its
/// stage no longer allows, records the stage. Part of every planning pass.
pub fn advance(store: &Store, cfg: &Loaded, now: Timestamp, report: &mut PlanReport) -> Result<()> {
    let open = store.intros(false)?;
    if open.is_empty() {
        return Ok(());
    }
    let templates = draft::load_templates(&cfg.templates_dir)?;
    for intro in open {
        if let Err(e) = advance_one(store, cfg, &templates, &intro, now, report) {
            report.errors.push(format!("intro {}: {e:#}", intro.id));
        }
    }
    Ok(())
}

fn advance_one(
    store: &Store,
    cfg: &Loaded,
    templates: &Templates,
    intro: &Intro,
    now: Timestamp,
    report: &mut PlanReport,
) -> Result<()> {
    let mut intro = intro.clone();
    let mut facts = facts_of(store, &intro)?;
    let mut d = intro::decide(&facts, now, &cfg.tz, policy(cfg));
    // A step drafted changes the facts: decide again (each step is drafted once, so
    // this ends within the six steps).
    for _ in 0..6 {
        let Some((step, reply_to)) = d.draft.clone() else {
            break;
        };
        match make_step(store, cfg, templates, intro.id, step, reply_to, now)? {
            Some(id) => report.created.push(id),
            None => break,
        }
        intro = store
            .intro(intro.id)?
            .ok_or_else(|| anyhow::anyhow!("intro {} vanished while being planned", intro.id))?;
        facts = facts_of(store, &intro)?;
        d = intro::decide(&facts, now, &cfg.tz, policy(cfg));
    }
    for (step, id) in &intro.drafts {
        let open = facts.draft(*step).is_some_and(|s| s.status.is_open());
        if let (true, Err(why)) = (open, intro::may_send(&d, &facts, *step, *id))
            && store.supersede(*id, &format!("intro {}: {why}", intro.id), now)?
        {
            report.superseded.push((*id, why));
        }
    }
    if let Some(w) = d.wake {
        report.next_due = Some(report.next_due.map_or(w, |n| n.min(w)));
    }
    record(store, &intro, &d, now)
}

/// Stores the decision; a new stage is written on both timelines once.
fn record(store: &Store, intro: &Intro, d: &Decision, now: Timestamp) -> Result<()> {
    let (a, b) = (
        store.contact(intro.a_contact)?,
        store.contact(intro.b_contact)?,
    );
    let name = |c: &Option<Contact>| c.as_ref().map_or_else(String::new, Contact::display_name);
    let next = intro::name_sides(&d.next, &name(&a), &name(&b));
    // Written once per stage (the key makes a second write a no-op).
    let _changed = store.update_intro(
        intro.id,
        &IntroUpdate {
            stage: d.stage,
            next: &next,
            a_yes_at: d.a_yes,
            b_yes_at: d.b_yes,
        },
        now,
    )?;
    if d.stage == IntroStage::Introduced {
        introduced_b(store, intro, now)?;
    }
    let (Some(a), Some(b)) = (a, b) else {
        return Ok(());
    };
    for (me, other, side) in [(&a, &b, intro::Side::A), (&b, &a, intro::Side::B)] {
        let summary = if d.stage == IntroStage::Introduced {
            format!(
                "introduced to {} (intro {})",
                other.display_name(),
                intro.id
            )
        } else {
            format!(
                "intro {} with {}: {}",
                intro.id,
                other.display_name(),
                step_words(d.stage, side)
            )
        };
        let key = format!("intro:{}:{}", intro.id, d.stage);
        store.add_interaction(&NewInteraction {
            contact_id: me.id,
            at: now,
            kind: InteractionKind::IntroStep,
            summary: &summary,
            message_key: &key,
            draft_id: None,
            detail: serde_json::json!({ "intro": intro.id, "stage": d.stage.as_str() }),
            source: "user",
        })?;
    }
    Ok(())
}

/// The introduction went to B too (in Cc): B's timeline records it as sent to them,
/// so it counts as a touch and a give for B as it does for A.
fn introduced_b(store: &Store, intro: &Intro, now: Timestamp) -> Result<()> {
    let Some(id) = intro
        .drafts
        .iter()
        .find(|(s, _)| *s == IntroStep::Introduce)
        .map(|(_, d)| *d)
    else {
        return Ok(());
    };
    let Some(d) = store.draft(id)? else {
        return Ok(());
    };
    let at = match &d.sent_at {
        Some(s) => parse_ts(s)?,
        None => now,
    };
    store.add_interaction(&NewInteraction {
        contact_id: intro.b_contact,
        at,
        kind: InteractionKind::IntroSent,
        summary: &d.subject,
        message_key: &d.message_id,
        draft_id: Some(d.id),
        detail: serde_json::json!({ "draft": d.id, "intro": intro.id, "cc": true }),
        source: "send",
    })?;
    Ok(())
}

/// A stage in the words of one side's timeline (short: it is a table cell).
pub fn step_words(stage: IntroStage, side: intro::Side) -> &'static str {
    use IntroStage as S;
    use intro::Side::{A, B};
    match (stage, side) {
        (S::AskingA, A) => "ask to you drafted, waits for approval",
        (S::AskingA, B) => "they are asked first; you hear nothing yet",
        (S::WaitingA, A) | (S::WaitingB, B) => "asked; waiting for your answer",
        (S::WaitingA, B) | (S::WaitingB, A) => "they were asked; waiting for them",
        (S::AskingB, A) => "you said yes; asking them next",
        (S::AskingB, B) => "they said yes; ask to you drafted",
        (S::Introducing, _) => "both said yes; introduction drafted",
        (S::Introduced, _) => "introduced",
        (S::DeclinedByA, A) => "you said no; closed, they never heard",
        (S::DeclinedByA, B) => "closed before you were asked (they said no)",
        (S::DeclinedByB, A) => "they said no; a short note to you drafted",
        (S::DeclinedByB, B) => "you said no; closed",
        (S::NoAnswer, _) => "no answer after one reminder; closed",
        (S::Withdrawn, _) => "withdrawn: an email of it was rejected or refused",
    }
}

/// Renders and stores the draft of `step` and records it on the intro. `None` when a
/// draft for the same reason exists already.
fn make_step(
    store: &Store,
    cfg: &Loaded,
    templates: &Templates,
    intro_id: i64,
    step: IntroStep,
    reply_to: Option<String>,
    now: Timestamp,
) -> Result<Option<i64>> {
    let Some(intro) = store.intro(intro_id)? else {
        bail!("no intro {intro_id}; `rapport intros --all` lists them");
    };
    let (Some(a), Some(b)) = (
        store.contact(intro.a_contact)?,
        store.contact(intro.b_contact)?,
    ) else {
        bail!("a contact of intro {intro_id} was removed; the intro cannot go on");
    };
    let (to, other) = if step.to_b() { (&b, &a) } else { (&a, &b) };
    let thread = match &reply_to {
        Some(id) => super::facts::thread_of(store, id)?,
        None => None,
    };
    let reason = match step {
        IntroStep::AskA => format!("you asked to introduce them to {}", b.display_name()),
        IntroStep::NudgeA | IntroStep::NudgeB => {
            "no answer to the intro ask yet: one reminder".into()
        }
        IntroStep::AskB => format!("{} said yes to meeting them", a.display_name()),
        IntroStep::Introduce => "both said yes to the introduction".into(),
        IntroStep::DeclinedNote => format!("{} said no to the introduction", b.display_name()),
    };
    let req = draft::Request {
        contact: to,
        kind: step.draft_kind(),
        template: step.draft_kind().as_str(),
        reason: format!("intro {intro_id}: {reason}"),
        reason_key: format!("intro:{intro_id}:{step}"),
        due: now,
        thread,
        meeting_day: String::new(),
        later_when: String::new(),
        intro: Some(IntroDraft {
            other,
            why: &intro.why,
            reminder: matches!(step, IntroStep::NudgeA | IntroStep::NudgeB),
            cc_other: step == IntroStep::Introduce,
        }),
        share: None,
    };
    let Some(id) = draft::create(store, cfg, templates, &req, now)? else {
        return Ok(None);
    };
    store.set_intro_draft(intro_id, step, id, now)?;
    tracing::info!(draft = id, intro = intro_id, step = %step, "drafted");
    Ok(Some(id))
}

/// The intro's facts: each step's draft, and both people's messages.
pub fn facts_of(store: &Store, intro: &Intro) -> Result<Facts> {
    let mut facts = Facts::default();
    for (step, id) in &intro.drafts {
        let Some(d) = store.draft(*id)? else {
            continue;
        };
        let sent_at = match &d.sent_at {
            Some(s) => Some(parse_ts(s)?),
            None => None,
        };
        facts.drafts.push((
            *step,
            StepDraft {
                id: d.id,
                status: d.status,
                message_id: d.message_id,
                sent_at,
            },
        ));
    }
    facts.a_answers = answers(store, intro.a_contact)?;
    facts.b_answers = answers(store, intro.b_contact)?;
    Ok(facts)
}

fn answers(store: &Store, contact: i64) -> Result<Vec<Answer>> {
    Ok(store
        .interactions(contact)?
        .iter()
        .filter(|i| crate::send::INBOUND_HUMAN.contains(&i.kind))
        .map(|i| {
            let e = super::facts::event_of(i);
            Answer {
                at: e.at,
                seen: e.seen,
                intent: e.intent,
                unsure: e.unsure,
                later_until: e.later_until,
                in_reply_to: e.in_reply_to,
                references: e.references,
            }
        })
        .collect())
}

/// The hard rule at send time: why draft `d` must not go out, or `None`. Any email of
/// an introduction goes only when the intro that made it, decided afresh now, is at
/// that email's stage, to that email's person; a second recipient only on the
/// introduction itself, and only to B as B stands now.
pub fn refusal(store: &Store, cfg: &Loaded, now: Timestamp, d: &Draft) -> Result<Option<String>> {
    if !is_intro_kind(d.kind) {
        return Ok((!d.cc_addr.is_empty()).then(|| {
            format!(
                "draft {} has a second recipient ({}), which only an introduction may have",
                d.id, d.cc_addr
            )
        }));
    }
    let Some((intro, step)) = store.intro_of_draft(d.id)? else {
        return Ok(Some(format!(
            "draft {} is an {} email that no intro made; `rapport intro A B` starts one",
            d.id, d.kind
        )));
    };
    let want = if step.to_b() {
        intro.b_contact
    } else {
        intro.a_contact
    };
    if d.contact_id != want || d.kind != step.draft_kind() {
        return Ok(Some(format!(
            "draft {} is not addressed as intro {}'s {step} email",
            d.id, intro.id
        )));
    }
    let facts = facts_of(store, &intro)?;
    let decision = intro::decide(&facts, now, &cfg.tz, policy(cfg));
    if let Err(why) = intro::may_send(&decision, &facts, step, d.id) {
        return Ok(Some(format!("intro {}: {why}", intro.id)));
    }
    let second = step == IntroStep::Introduce;
    let has_cc = !d.cc_addr.is_empty();
    if second != has_cc {
        return Ok(Some(format!(
            "draft {}: only the introduction itself goes to both people",
            d.id
        )));
    }
    if second {
        return second_recipient(store, &intro, d);
    }
    Ok(None)
}

/// The introduction's B, checked as the recipient is: still B's address, not bounced,
/// not do-not-contact, and B has not written since the introduction was drafted.
fn second_recipient(store: &Store, intro: &Intro, d: &Draft) -> Result<Option<String>> {
    let Some(b) = store.contact(intro.b_contact)? else {
        return Ok(Some("the second person of the intro was removed".into()));
    };
    if b.do_not_contact {
        return Ok(Some(format!(
            "{} is marked do-not-contact",
            b.display_name()
        )));
    }
    let ok = b
        .emails
        .iter()
        .any(|e| e.address == d.cc_addr && e.bounced_at.is_none());
    if !ok {
        return Ok(Some(format!(
            "{} is not a usable address of {} any more",
            d.cc_addr,
            b.display_name()
        )));
    }
    let mut as_b = d.clone();
    as_b.contact_id = b.id;
    match crate::send::replied_since(store, &as_b)? {
        crate::send::Verdict::Proceed => Ok(None),
        crate::send::Verdict::Hold(why) | crate::send::Verdict::Supersede(why) => {
            Ok(Some(format!("{}: {why}", b.display_name())))
        }
    }
}

/// A message answers an intro email of this contact (its thread names one): the
/// planner leaves it to the intro, so a "no" to meeting someone is not a "no" to you.
pub fn answers_intro(e: &crate::core::plan::Event, intro_ids: &[String]) -> bool {
    intro_ids
        .iter()
        .any(|m| e.in_reply_to == *m || e.references.iter().any(|r| r == m))
}
