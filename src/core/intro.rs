//! Double opt-in introductions, as a state machine: A is asked first; B hears of A only
//! after A said yes; the introduction goes to both only after both said yes.
//!
//! The stage is derived afresh from the facts every time (the drafts of each step and
//! the replies on both timelines), never carried forward on trust, so a reading the user
//! corrects (`rapport mark`) moves the intro with it, and the check made at send time
//! ([`may_send`]) sees the same truth as the planner.
//!
//! It must never do I/O, read the clock or panic; and it must never let an email to B
//! exist before A's yes, or the introduction before both yeses.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};

use crate::core::classify::Intent;
use crate::core::model::{DraftStatus, IntroStage, IntroStep};

/// Which side of the introduction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Side {
    /// The person asked first (the one the intro is for).
    A,
    /// The person A is introduced to; asked only after A's yes.
    B,
}

/// One email of the intro as it stands in the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepDraft {
    /// The draft's id.
    pub id: i64,
    /// Its status now.
    pub status: DraftStatus,
    /// Its Message-ID, without angle brackets: answers threaded on it count.
    pub message_id: String,
    /// When it went out (status `sent`).
    pub sent_at: Option<Timestamp>,
}

/// A message from one side, as the timeline read it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// When it was written (its timeline time).
    pub at: Timestamp,
    /// When rapport first read it, if known.
    pub seen: Option<Timestamp>,
    /// Yes, no, later or other; `None` for a message without a reading.
    pub intent: Option<Intent>,
    /// The reading is unsure and the user has not confirmed it.
    pub unsure: bool,
    /// For a "later": the day they asked to hear again.
    pub later_until: Option<Date>,
    /// The Message-ID it answers ("" when unknown).
    pub in_reply_to: String,
    /// Its References.
    pub references: Vec<String>,
}

/// The numbers the intro follows (the follow-up policy's own).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    /// Days without an answer before the one reminder is drafted.
    pub nudge_after_days: u32,
    /// Days without an answer after the reminder before the intro closes.
    pub close_after_days: u32,
}

/// Everything known about one intro.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    /// The drafts made for it, by step.
    pub drafts: Vec<(IntroStep, StepDraft)>,
    /// A's messages (the human ones), in timeline order.
    pub a_answers: Vec<Answer>,
    /// B's messages (the human ones), in timeline order.
    pub b_answers: Vec<Answer>,
}

impl Facts {
    /// The draft of `step`, if it was made.
    pub fn draft(&self, step: IntroStep) -> Option<&StepDraft> {
        self.drafts.iter().find(|(s, _)| *s == step).map(|(_, d)| d)
    }
}

/// What the intro should look like now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decision {
    /// The stage the facts say.
    pub stage: IntroStage,
    /// When A's yes was read (only ever set from a sure or confirmed yes).
    pub a_yes: Option<Timestamp>,
    /// When B's yes was read.
    pub b_yes: Option<Timestamp>,
    /// The one draft to make now, if any: its step and the Message-ID it replies to.
    pub draft: Option<(IntroStep, Option<String>)>,
    /// The step whose draft comes due later (a reminder), and when.
    pub wake: Option<Timestamp>,
    /// What happens next, in words.
    pub next: String,
}

/// A side's answer as far as the intro is concerned.
enum Outcome {
    Yes(Timestamp),
    No,
    /// Still open: why, and the draft to make now (a reminder) or the time to look again.
    Open {
        next: String,
        draft: Option<(IntroStep, Option<String>)>,
        wake: Option<Timestamp>,
    },
    NoAnswer,
    Withdrawn,
}

fn add_days(tz: &TimeZone, at: Timestamp, days: u32) -> Timestamp {
    Span::new()
        .try_days(days)
        .and_then(|s| at.to_zoned_datetime(tz.clone()).checked_add(s))
        .map_or(Timestamp::MAX, |z| z.timestamp())
}

fn start_of(tz: &TimeZone, day: Date) -> Timestamp {
    day.to_zoned_datetime(tz.clone())
        .map_or(Timestamp::MAX, |z| z.timestamp())
}

/// A draft nobody will send any more: the user rejected it, it was withdrawn, or the
/// server refused it for good.
fn dropped(status: DraftStatus) -> bool {
    matches!(
        status,
        DraftStatus::Rejected | DraftStatus::Superseded | DraftStatus::Failed
    )
}

/// The first message written or read after `since` that answers one of `ours` (threaded
/// on it) or names no thread at all; a message threaded on another conversation is not
/// an answer to the intro.
fn answer_after<'a>(answers: &'a [Answer], since: Timestamp, ours: &[&str]) -> Option<&'a Answer> {
    answers.iter().find(|a| {
        let after = a.at >= since || a.seen.is_some_and(|s| s > since);
        let threaded = ours
            .iter()
            .any(|m| !m.is_empty() && (a.in_reply_to == *m || a.references.iter().any(|r| r == m)));
        let unthreaded = a.in_reply_to.is_empty() && a.references.is_empty();
        after && (threaded || unthreaded)
    })
}

struct Ctx<'a> {
    facts: &'a Facts,
    now: Timestamp,
    tz: &'a TimeZone,
    policy: Policy,
}

/// Derives where the intro stands from its facts: pure, same facts same answer.
pub fn decide(facts: &Facts, now: Timestamp, tz: &TimeZone, policy: Policy) -> Decision {
    let cx = Ctx {
        facts,
        now,
        tz,
        policy,
    };
    let mut d = Decision {
        stage: IntroStage::AskingA,
        a_yes: None,
        b_yes: None,
        draft: None,
        wake: None,
        next: String::new(),
    };
    match cx.side(Side::A) {
        Outcome::Yes(at) => d.a_yes = Some(at),
        other => return cx.settle(d, other, Side::A),
    }
    match cx.side(Side::B) {
        Outcome::Yes(at) => d.b_yes = Some(at),
        other => return cx.settle(d, other, Side::B),
    }
    cx.introduce(d)
}

impl Ctx<'_> {
    /// The decision for an intro that stopped at `side` with `outcome` (not a yes).
    fn settle(&self, mut d: Decision, outcome: Outcome, side: Side) -> Decision {
        let (asking, waiting) = match side {
            Side::A => (IntroStage::AskingA, IntroStage::WaitingA),
            Side::B => (IntroStage::AskingB, IntroStage::WaitingB),
        };
        let ask = self.facts.draft(ask_step(side));
        match outcome {
            Outcome::Yes(_) => {}
            Outcome::No if side == Side::A => {
                d.stage = IntroStage::DeclinedByA;
                d.next = "nothing: A said no, and B was never told".into();
            }
            Outcome::No => {
                d.stage = IntroStage::DeclinedByB;
                let thread = self
                    .facts
                    .draft(IntroStep::AskA)
                    .map(|a| a.message_id.clone());
                match self.facts.draft(IntroStep::DeclinedNote) {
                    None => {
                        d.draft = Some((IntroStep::DeclinedNote, thread));
                        d.next = "draft the \"not this time\" note to A".into();
                    }
                    Some(n) if n.status.is_open() => {
                        d.next = format!("approve or reject the note to A (draft {})", n.id);
                    }
                    Some(_) => d.next = "nothing more: B said no".into(),
                }
            }
            Outcome::NoAnswer => {
                d.stage = IntroStage::NoAnswer;
                d.next = "nothing: no answer after the one reminder; closed".into();
            }
            Outcome::Withdrawn => {
                d.stage = IntroStage::Withdrawn;
                d.next = "nothing: an email of the intro was withdrawn or refused".into();
            }
            Outcome::Open { next, draft, wake } => {
                let sent = ask.is_some_and(|a| a.status == DraftStatus::Sent);
                d.stage = if sent { waiting } else { asking };
                d.next = next;
                d.draft = draft;
                d.wake = wake;
            }
        }
        d
    }

    /// Both said yes: the introduction itself.
    fn introduce(&self, mut d: Decision) -> Decision {
        d.stage = IntroStage::Introducing;
        match self.facts.draft(IntroStep::Introduce) {
            None => {
                d.draft = Some((IntroStep::Introduce, None));
                d.next = "draft the introduction to both".into();
            }
            Some(i) if i.status == DraftStatus::Sent => {
                d.stage = IntroStage::Introduced;
                d.next = "nothing: introduced".into();
            }
            Some(i) if dropped(i.status) => {
                d.stage = IntroStage::Withdrawn;
                d.next = "nothing: the introduction was withdrawn or refused".into();
            }
            Some(i) => d.next = format!("approve the introduction (draft {})", i.id),
        }
        d
    }

    /// Where one side stands: its ask, its answer, its one reminder.
    fn side(&self, side: Side) -> Outcome {
        let who = side_name(side);
        let Some(ask) = self.facts.draft(ask_step(side)) else {
            return if side == Side::A {
                Outcome::Withdrawn
            } else {
                Outcome::Open {
                    next: "draft the ask to B".into(),
                    draft: Some((IntroStep::AskB, None)),
                    wake: None,
                }
            };
        };
        if dropped(ask.status) {
            return Outcome::Withdrawn;
        }
        let Some(asked) = ask.sent_at.filter(|_| ask.status == DraftStatus::Sent) else {
            return Outcome::Open {
                next: format!("approve the ask to {who} (draft {})", ask.id),
                draft: None,
                wake: None,
            };
        };
        let nudge = self.facts.draft(nudge_step(side));
        let ours: Vec<&str> = std::iter::once(ask.message_id.as_str())
            .chain(nudge.map(|n| n.message_id.as_str()))
            .collect();
        let answers = match side {
            Side::A => &self.facts.a_answers,
            Side::B => &self.facts.b_answers,
        };
        let first = answer_after(answers, asked, &ours);
        let mut later = None;
        if let Some(a) = first {
            match self.reading(a, who) {
                Reading::Decided(o) => return o,
                Reading::Later(until) => later = Some(until),
            }
        }
        self.reminder(side, ask, nudge, asked, later, answers, &ours)
    }

    /// No decisive answer yet: the one reminder (at the "later" date, else after the
    /// wait), then the wait after it, then closed.
    #[allow(
        clippy::too_many_arguments,
        reason = "one side's facts, read once by `side`"
    )]
    fn reminder(
        &self,
        side: Side,
        ask: &StepDraft,
        nudge: Option<&StepDraft>,
        asked: Timestamp,
        later: Option<Date>,
        answers: &[Answer],
        ours: &[&str],
    ) -> Outcome {
        let who = side_name(side);
        match nudge {
            None => {
                let due = match later {
                    Some(day) => start_of(self.tz, day),
                    None => add_days(self.tz, asked, self.policy.nudge_after_days),
                };
                if self.now >= due {
                    Outcome::Open {
                        next: format!("draft the one reminder to {who}"),
                        draft: Some((nudge_step(side), Some(ask.message_id.clone()))),
                        wake: None,
                    }
                } else {
                    Outcome::Open {
                        next: format!(
                            "wait for {who}'s answer; one reminder {}",
                            due.to_zoned_datetime(self.tz.clone()).date()
                        ),
                        draft: None,
                        wake: Some(due),
                    }
                }
            }
            Some(n) if dropped(n.status) => Outcome::NoAnswer,
            Some(n) if n.status != DraftStatus::Sent => Outcome::Open {
                next: format!("approve the reminder to {who} (draft {})", n.id),
                draft: None,
                wake: None,
            },
            Some(n) => {
                let since = n.sent_at.unwrap_or(asked);
                if let Some(a) = answer_after(answers, since, ours) {
                    match self.reading(a, who) {
                        Reading::Decided(o) => return o,
                        // A second "later" after the reminder: rapport lets it rest.
                        Reading::Later(_) => return Outcome::NoAnswer,
                    }
                }
                let close = add_days(self.tz, since, self.policy.close_after_days);
                if self.now >= close {
                    Outcome::NoAnswer
                } else {
                    Outcome::Open {
                        next: format!("wait for {who}'s answer to the reminder, then close"),
                        draft: None,
                        wake: Some(close),
                    }
                }
            }
        }
    }

    /// What one answer means. An unsure reading never decides: it waits for the user.
    fn reading(&self, a: &Answer, who: &str) -> Reading {
        if a.unsure {
            return Reading::Decided(Outcome::Open {
                next: format!(
                    "{who} answered and rapport is unsure of the reading: confirm it in `rapport review` (or `rapport mark`)"
                ),
                draft: None,
                wake: None,
            });
        }
        match a.intent {
            Some(Intent::Yes) => Reading::Decided(Outcome::Yes(a.at)),
            Some(Intent::No) => Reading::Decided(Outcome::No),
            Some(Intent::Later) => match a.later_until {
                Some(day) => Reading::Later(day),
                None => Reading::Decided(self.unclear(who)),
            },
            Some(Intent::Other) | None => Reading::Decided(self.unclear(who)),
        }
    }

    fn unclear(&self, who: &str) -> Outcome {
        Outcome::Open {
            next: format!(
                "{who} answered without a clear yes or no: read it and `rapport mark` it yes, no or later"
            ),
            draft: None,
            wake: None,
        }
    }
}

enum Reading {
    Decided(Outcome),
    Later(Date),
}

/// A decision's words with the sides named: "wait for B's answer" becomes "wait for
/// Omar Haddad's answer". Only the capital letters standing alone as words ("A",
/// "B", "A's") are sides; an empty name keeps the letter.
pub fn name_sides(text: &str, a: &str, b: &str) -> String {
    let mut out = String::with_capacity(text.len() + a.len() + b.len());
    let mut prev: Option<char> = None;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        let next = chars.peek().copied();
        let alone =
            prev.is_none_or(|p| !p.is_alphanumeric()) && next.is_none_or(|n| !n.is_alphanumeric());
        let name = match c {
            'A' if alone && !a.is_empty() => Some(a),
            'B' if alone && !b.is_empty() => Some(b),
            _ => None,
        };
        match name {
            Some(n) => out.push_str(n),
            None => out.push(c),
        }
        prev = Some(c);
    }
    out
}

fn side_name(side: Side) -> &'static str {
    match side {
        Side::A => "A",
        Side::B => "B",
    }
}

fn ask_step(side: Side) -> IntroStep {
    match side {
        Side::A => IntroStep::AskA,
        Side::B => IntroStep::AskB,
    }
}

fn nudge_step(side: Side) -> IntroStep {
    match side {
        Side::A => IntroStep::NudgeA,
        Side::B => IntroStep::NudgeB,
    }
}

/// The hard rule, checked again just before draft `draft_id` of `step` goes out: `Ok`
/// only when the intro, decided afresh from its facts, is at the stage where that email
/// may leave. Nothing to B before A's yes; the introduction never before both yeses.
pub fn may_send(d: &Decision, facts: &Facts, step: IntroStep, draft_id: i64) -> Result<(), String> {
    if facts.draft(step).map(|s| s.id) != Some(draft_id) {
        return Err(format!(
            "draft {draft_id} is not this intro's own {step} email"
        ));
    }
    let stage_ok = match step {
        IntroStep::AskA => d.stage == IntroStage::AskingA,
        IntroStep::NudgeA => d.stage == IntroStage::WaitingA,
        IntroStep::AskB => d.a_yes.is_some() && d.stage == IntroStage::AskingB,
        IntroStep::NudgeB => d.a_yes.is_some() && d.stage == IntroStage::WaitingB,
        IntroStep::Introduce => {
            d.a_yes.is_some() && d.b_yes.is_some() && d.stage == IntroStage::Introducing
        }
        IntroStep::DeclinedNote => d.stage == IntroStage::DeclinedByB,
    };
    if stage_ok {
        return Ok(());
    }
    let why = match step {
        IntroStep::AskB | IntroStep::NudgeB if d.a_yes.is_none() => {
            "A's yes is not recorded, and nothing goes to B before it".to_string()
        }
        IntroStep::Introduce if d.a_yes.is_none() || d.b_yes.is_none() => {
            "the introduction needs both yeses, and they are not both recorded".to_string()
        }
        _ => format!("the intro is {} now", d.stage),
    };
    Err(why)
}

#[cfg(test)]
mod tests;
