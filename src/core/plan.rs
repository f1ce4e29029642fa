//! The follow-up planner: one contact's interaction history, the drafts that already
//! exist for them, `now` and the policy in; the relationship's stage, the drafts that
//! should be created, rescheduled or superseded, and a sentence saying what happens next
//! out.
//!
//! This is where the playbook's judgement lives (README: "What rapport will and will not send"): one nudge at most,
//! then stop; a thank-you after a meeting; a check-in when they asked for one or when the
//! tier's cadence says so; and never anything automated to someone who wrote back since.
//!
//! It must never do I/O, read the clock, or panic: everything it needs is an argument,
//! and re-planning with the drafts it asked for already stored is a no-op.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::core::classify::Intent;
use crate::core::model::{DraftKind, InteractionKind};

mod facts;
mod input;
mod meetings;

pub use input::{ContactFacts, Event, ExistingDraft, Policy};
pub use meetings::{Meeting, fold_meetings};

/// One change the planner wants made to the draft queue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "action", rename_all = "kebab-case")]
pub enum Action {
    /// A draft that should exist and does not yet.
    Create {
        kind: DraftKind,
        /// The sentence shown in WHY.
        reason: String,
        /// Stable idempotency key; the store keeps it unique per contact.
        reason_key: String,
        due: Timestamp,
        /// The Message-ID to reply to (same thread), if any.
        reply_to: Option<String>,
    },
    /// An open draft that must wait longer (an auto-reply gave a return date).
    Reschedule {
        draft_id: i64,
        due: Timestamp,
        why: String,
    },
    /// An open draft whose reason went away.
    Supersede { draft_id: i64, why: String },
}

/// Where the relationship stands, derived from the interactions.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "stage", rename_all = "kebab-case")]
pub enum Stage {
    New,
    Requested { since: Timestamp },
    Nudged { since: Timestamp },
    Dormant { since: Timestamp },
    Replied { intent: Intent, at: Timestamp },
    Declined { at: Timestamp },
    Waiting { until: Date },
    Scheduled { start: Timestamp },
    Met { at: Timestamp },
    Thanked { at: Timestamp },
    KeepingInTouch { next_check_in: Timestamp },
    DoNotContact,
    Bounced,
    NoAddress,
}

/// The planner's answer for one contact.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    pub stage: Stage,
    pub actions: Vec<Action>,
    /// What rapport will do next for them, in words ("nothing: …" when nothing).
    pub next: String,
}

/// Plans the follow-ups for one contact. Pure: same arguments, same answer.
pub fn plan(
    contact: &ContactFacts,
    events: &[Event],
    drafts: &[ExistingDraft],
    now: Timestamp,
    tz: &TimeZone,
    policy: &Policy,
) -> Plan {
    plan_until(contact, events, drafts, now, tz, policy).0
}

/// [`plan`], and the earliest instant after `now` at which the same facts could give a
/// different answer (a wait ending, a meeting ending, a request going stale), `None` if
/// time alone never changes it. Every comparison with `now` records its threshold, so
/// incremental planning can skip a contact until then without being less correct.
pub fn plan_until(
    contact: &ContactFacts,
    events: &[Event],
    drafts: &[ExistingDraft],
    now: Timestamp,
    tz: &TimeZone,
    policy: &Policy,
) -> (Plan, Option<Timestamp>) {
    let events = causal_order(events);
    let planner = Planner::new(contact, &events, drafts, now, tz, policy);
    let plan = planner.run();
    (plan, planner.horizon.get())
}

/// The timeline with every message that names an earlier one in In-Reply-To or
/// References dated at least a second after it: an answer comes after its question
/// whatever the sender's clock says (a slow clock must not make a reply look older
/// than the request and cause a nudge). Borrowed unchanged when no clock disagrees.
fn causal_order(events: &[Event]) -> std::borrow::Cow<'_, [Event]> {
    let by_key: std::collections::HashMap<&str, Timestamp> = events
        .iter()
        .filter(|e| !e.message_key.is_empty())
        .map(|e| (e.message_key.as_str(), e.at))
        .collect();
    let mut out: Option<Vec<Event>> = None;
    for (i, e) in events.iter().enumerate() {
        let named = std::iter::once(e.in_reply_to.as_str())
            .chain(e.references.iter().map(String::as_str))
            .filter(|k| !k.is_empty() && *k != e.message_key)
            .filter_map(|k| by_key.get(k))
            .max();
        if let Some(&asked) = named
            && asked >= e.at
        {
            let at = asked
                .checked_add(jiff::SignedDuration::from_secs(1))
                .unwrap_or(asked);
            if let Some(slot) = out.get_or_insert_with(|| events.to_vec()).get_mut(i) {
                slot.at = at;
            }
        }
    }
    match out {
        Some(v) => std::borrow::Cow::Owned(v),
        None => std::borrow::Cow::Borrowed(events),
    }
}

const NUDGE_PREFIX: &str = "nudge:";
const THANK_YOU_PREFIX: &str = "thank-you:";
const LATER_PREFIX: &str = "later:";
const CHECK_IN_PREFIX: &str = "check-in:";

/// A message from the contact written by a human.
fn is_inbound_human(kind: InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::Reply
            | InteractionKind::ThankYouReceived
            | InteractionKind::EmailReceived
            | InteractionKind::RequestReceived
    )
}

fn is_meeting_set(kind: InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved
    )
}

/// Anything that answers a request: a human message, or any calendar traffic.
fn answers_request(kind: InteractionKind) -> bool {
    is_inbound_human(kind)
        || matches!(
            kind,
            InteractionKind::MeetingScheduled
                | InteractionKind::MeetingMoved
                | InteractionKind::MeetingCancelled
                | InteractionKind::MeetingDeclined
        )
}

/// Counts as contact for the check-in cadence (machines don't).
fn is_touch(kind: InteractionKind) -> bool {
    // An intro's step on the timeline is rapport's bookkeeping, not contact: the
    // emails of the intro are touches on their own.
    !matches!(
        kind,
        InteractionKind::AutoReply | InteractionKind::Bounce | InteractionKind::IntroStep
    )
}

fn intent_is(e: &Event, want: Intent) -> bool {
    e.intent == Some(want)
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// The open request or nudge that nobody has answered yet.
#[derive(Debug, Clone, Copy)]
struct OpenAsk<'a> {
    request: Option<&'a Event>,
    nudge: Option<&'a Event>,
}

struct Planner<'a> {
    contact: &'a ContactFacts,
    /// Sorted by (at, id); "after X" by position means later in this order.
    events: Vec<&'a Event>,
    drafts: &'a [ExistingDraft],
    now: Timestamp,
    tz: &'a TimeZone,
    policy: &'a Policy,
    meetings: Vec<Meeting>,
    /// The earliest future instant a comparison with `now` would answer differently.
    horizon: std::cell::Cell<Option<Timestamp>>,
}

impl<'a> Planner<'a> {
    fn new(
        contact: &'a ContactFacts,
        events: &'a [Event],
        drafts: &'a [ExistingDraft],
        now: Timestamp,
        tz: &'a TimeZone,
        policy: &'a Policy,
    ) -> Self {
        let mut sorted: Vec<&Event> = events.iter().collect();
        sorted.sort_by_key(|e| (e.at, e.id));
        let meetings = fold_meetings(&sorted);
        Planner {
            contact,
            events: sorted,
            drafts,
            now,
            tz,
            policy,
            meetings,
            horizon: std::cell::Cell::new(None),
        }
    }

    fn watch(&self, at: Timestamp) {
        let h = self.horizon.get();
        self.horizon.set(Some(h.map_or(at, |h| h.min(at))));
    }

    /// `now > t`, remembering when that turns true.
    pub(super) fn passed(&self, t: Timestamp) -> bool {
        if self.now <= t {
            self.watch(
                t.checked_add(jiff::SignedDuration::from_nanos(1))
                    .unwrap_or(t),
            );
        }
        self.now > t
    }

    /// `now >= t`, remembering when that turns true.
    pub(super) fn reached(&self, t: Timestamp) -> bool {
        if self.now < t {
            self.watch(t);
        }
        self.now >= t
    }

    // ----- the plan -----

    fn run(&self) -> Plan {
        if let Some((stage, why)) = self.blocked() {
            let actions = self
                .drafts
                .iter()
                .filter(|d| d.status.is_open())
                .map(|d| Action::Supersede {
                    draft_id: d.id,
                    why: why.to_string(),
                })
                .collect();
            return Plan {
                stage,
                actions,
                next: format!("nothing: {why}"),
            };
        }

        let mut actions: Vec<Action> = Vec::new();
        // Open drafts that survive this plan: (kind, reason_key, due).
        let mut open: Vec<(DraftKind, String, Timestamp)> = Vec::new();
        for d in self.drafts.iter().filter(|d| d.status.is_open()) {
            if let Some(why) = self.supersede_reason(d) {
                actions.push(Action::Supersede {
                    draft_id: d.id,
                    why,
                });
            } else {
                let due = match self.reschedule(d) {
                    Some((due, why)) => {
                        actions.push(Action::Reschedule {
                            draft_id: d.id,
                            due,
                            why,
                        });
                        due
                    }
                    None => d.due,
                };
                open.push((d.kind, d.reason_key.clone(), due));
            }
        }

        let declined = self.declined();
        let ask = self.open_ask();
        let dormant_since = ask.and_then(|a| self.dormant_since(a));
        if declined.is_none() {
            for c in self.creates(ask, dormant_since.is_some(), open.is_empty()) {
                if let Action::Create {
                    kind,
                    reason_key,
                    due,
                    ..
                } = &c
                {
                    open.push((*kind, reason_key.clone(), *due));
                }
                actions.push(c);
            }
        }

        let stage = self.stage(declined, ask, dormant_since);
        let next = self.next(&stage, &open);
        Plan {
            stage,
            actions,
            next,
        }
    }

    /// The drafts that should exist and do not yet, for a contact who did not say no.
    fn creates(&self, ask: Option<OpenAsk<'a>>, dormant: bool, none_open: bool) -> Vec<Action> {
        let mut creates = Vec::new();
        if !dormant {
            self.thank_yous(&mut creates);
            if let Some(a) = ask {
                self.nudge(a, &mut creates);
            }
        }
        // A stale request never swallows a "come back around D": they answered.
        self.later_check_in(&mut creates);
        if none_open && creates.is_empty() && ask.is_none() {
            self.cadence_check_in(&mut creates);
        }
        creates
    }

    fn blocked(&self) -> Option<(Stage, &'static str)> {
        if self.contact.do_not_contact {
            Some((Stage::DoNotContact, "the contact is marked do-not-contact"))
        } else if self.contact.all_addresses_bounced {
            Some((Stage::Bounced, "every address of the contact bounced"))
        } else if !self.contact.has_address {
            Some((Stage::NoAddress, "the contact has no email address"))
        } else {
            None
        }
    }

    /// When an unanswered ask has gone quiet for good: the nudge was sent and the wait
    /// after it is over, or the request is stale and no nudge is on its way.
    fn dormant_since(&self, ask: OpenAsk<'a>) -> Option<Timestamp> {
        if let Some(n) = ask.nudge {
            let since = self.add_days(n.at, self.policy.dormant_after_days);
            return self.reached(since).then_some(since);
        }
        let r = ask.request?;
        let stale_at = self.add_days(r.at, self.policy.stale_request_days);
        let key = format!("{NUDGE_PREFIX}{}", r.key());
        let nudge_open = self
            .drafts
            .iter()
            .any(|d| d.reason_key == key && d.status.is_open());
        (self.passed(stale_at) && !nudge_open).then_some(stale_at)
    }

    fn thank_yous(&self, out: &mut Vec<Action>) {
        for m in self.fresh_unthanked() {
            let reason_key = format!("{THANK_YOU_PREFIX}{}", m.key);
            if self.key_exists(&reason_key) {
                continue;
            }
            out.push(Action::Create {
                kind: DraftKind::ThankYou,
                reason: format!(
                    "meeting ended {}, no thank-you sent yet",
                    self.minute(m.end)
                ),
                reason_key,
                due: self.add_hours(m.end, self.policy.thank_you_after_hours),
                reply_to: None,
            });
        }
    }

    fn nudge(&self, ask: OpenAsk<'a>, out: &mut Vec<Action>) {
        let Some(r) = ask.request else { return };
        // The cautious path: a request read from the user's own mail with doubt gets
        // no nudge until the user confirms it.
        if ask.nudge.is_some() || r.unsure {
            return;
        }
        if self.passed(self.add_days(r.at, self.policy.stale_request_days)) {
            return;
        }
        let reason_key = format!("{NUDGE_PREFIX}{}", r.key());
        if self.key_exists(&reason_key) {
            return;
        }
        let (due, away) = self.nudge_due(r);
        let mut reason = format!(
            "no reply to your request of {} ({})",
            self.day(r.at),
            plural(self.policy.nudge_after_days, "day")
        );
        if let Some(d) = away {
            reason.push_str(&format!("; they are away until {d}"));
        }
        out.push(Action::Create {
            kind: DraftKind::Nudge,
            reason,
            reason_key,
            due,
            reply_to: (!r.message_key.is_empty()).then(|| r.message_key.clone()),
        });
    }

    /// `later()`, unless it is old history (it came before rapport began reading the
    /// mailbox) and the date they gave is so long past that the cadence takes over. One
    /// that arrived while rapport was watching never expires: its check-in is drafted on
    /// the first run on or after the date, however long rapport was not running.
    fn later_pending(&self) -> Option<(&'a Event, Date)> {
        self.later().filter(|(reply, until)| {
            let history = self.contact.watching_since.is_none_or(|w| reply.at < w);
            !history
                || !self
                    .passed(self.add_days(self.start_of(*until), self.policy.stale_request_days))
        })
    }

    fn later_check_in(&self, out: &mut Vec<Action>) {
        let Some((reply, until)) = self.later_pending() else {
            return;
        };
        let due = self.start_of(until);
        let reason_key = format!("{LATER_PREFIX}{}", reply.key());
        if self.key_exists(&reason_key) {
            return;
        }
        out.push(Action::Create {
            kind: DraftKind::CheckIn,
            reason: format!("they asked you to come back around {until}"),
            reason_key,
            due,
            reply_to: (!reply.message_key.is_empty()).then(|| reply.message_key.clone()),
        });
    }

    fn cadence_check_in(&self, out: &mut Vec<Action>) {
        let agreed = self.agreed_next();
        if (!self.two_way() && agreed.is_none()) || self.upcoming_meeting().is_some() {
            return;
        }
        let Some(last) = self.last_touch() else {
            return;
        };
        let reason_key = format!("{CHECK_IN_PREFIX}{last}");
        if self.key_exists(&reason_key) {
            return;
        }
        let months = self.policy.cadence_months(self.contact.tier);
        let mut due = self.cadence_due(last);
        // Never before the date they asked for, even when that check-in was set aside.
        if let Some((_, until)) = self.later() {
            due = due.max(self.start_of(until));
        }
        let reason = match agreed {
            Some((e, date)) => format!("on {} you agreed to talk again on {date}", self.day(e.at)),
            None => format!(
                "last contact {} (tier: {}, every {})",
                self.day(last),
                self.contact.tier,
                plural(months, "month")
            ),
        };
        out.push(Action::Create {
            kind: DraftKind::CheckIn,
            reason,
            reason_key,
            due,
            reply_to: None,
        });
    }

    /// Why an open draft should no longer exist, if it shouldn't.
    fn supersede_reason(&self, d: &ExistingDraft) -> Option<String> {
        let specific = match d.kind {
            // The user's own, or an intro's: the intro withdraws its own drafts.
            DraftKind::MeetingRequest
            | DraftKind::IntroAsk
            | DraftKind::Intro
            | DraftKind::IntroDeclined
            | DraftKind::Share => None,
            DraftKind::Nudge => self.nudge_gone(d),
            DraftKind::ThankYou => self.thank_you_gone(d),
            DraftKind::CheckIn => self.check_in_gone(d),
        };
        if specific.is_some() {
            return specific;
        }
        // The hard rule: nothing automated goes to someone who wrote since it was made.
        // A thank-you still makes sense after a reply; a meeting request is the user's own.
        if matches!(d.kind, DraftKind::Nudge | DraftKind::CheckIn)
            && let Some(e) = self.events.iter().find(|e| {
                is_inbound_human(e.kind)
                    && (e.at > d.created_at || e.seen.is_some_and(|s| s > d.created_at))
            })
        {
            return Some(format!(
                "they wrote on {}, after this draft was made",
                self.day(e.at)
            ));
        }
        None
    }

    fn nudge_gone(&self, d: &ExistingDraft) -> Option<String> {
        let key = d.reason_key.strip_prefix(NUDGE_PREFIX)?;
        let Some(r) = self.request_by_key(key) else {
            return Some("the request it follows up is not on the timeline".to_string());
        };
        if let Some(e) = self.first_inbound_since(r.at) {
            return Some(format!("they replied on {}", self.day(e.at)));
        }
        if let Some(e) = self.since(r.at).find(|e| answers_request(e.kind)) {
            let what = if is_meeting_set(e.kind) {
                "a meeting was arranged"
            } else {
                "the invitation was answered"
            };
            return Some(format!("{what} on {}", self.day(e.at)));
        }
        if let Some(e) = self
            .since(r.at)
            .find(|e| e.kind == InteractionKind::NudgeSent)
        {
            return Some(format!("a nudge already went out on {}", self.day(e.at)));
        }
        if let Some(latest) = self.latest(InteractionKind::RequestSent)
            && !std::ptr::eq(latest, r)
        {
            return Some(format!(
                "a newer request went out on {}",
                self.day(latest.at)
            ));
        }
        None
    }

    fn thank_you_gone(&self, d: &ExistingDraft) -> Option<String> {
        let key = d.reason_key.strip_prefix(THANK_YOU_PREFIX)?;
        let Some(m) = self.meetings.iter().find(|m| m.key == key) else {
            return Some("the meeting is not on the timeline".to_string());
        };
        if m.cancelled {
            return Some("the meeting was cancelled".to_string());
        }
        self.thank_you_sent_since(m.start, m.end)
            .map(|e| format!("you sent a thank-you on {}", self.day(e.at)))
    }

    fn check_in_gone(&self, d: &ExistingDraft) -> Option<String> {
        if let Some(key) = d.reason_key.strip_prefix(LATER_PREFIX) {
            let Some(reply) = self.reply_by_key(key) else {
                return Some("the reply it answers is not on the timeline".to_string());
            };
            let later = self.later();
            if later.is_some_and(|(r, _)| std::ptr::eq(r, reply)) {
                return None;
            }
            return Some(
                match self
                    .after_event(reply)
                    .find(|e| e.kind != InteractionKind::Note && is_touch(e.kind))
                {
                    Some(e) => format!(
                        "{} on {}, since they asked to wait",
                        describe(e.kind),
                        self.day(e.at)
                    ),
                    None => "they no longer ask to wait".to_string(),
                },
            );
        }
        if let Some(basis) = d.reason_key.strip_prefix(CHECK_IN_PREFIX) {
            let basis: Option<Timestamp> = basis.parse().ok();
            let last = self.last_touch();
            return match (basis, last) {
                (Some(b), Some(l)) if l > b => {
                    Some(format!("you were in touch again on {}", self.day(l)))
                }
                (None, _) => Some("its reason key is not understood".to_string()),
                _ => None,
            };
        }
        None
    }

    /// An open nudge that an auto-reply says must wait longer.
    fn reschedule(&self, d: &ExistingDraft) -> Option<(Timestamp, String)> {
        if d.kind != DraftKind::Nudge {
            return None;
        }
        let r = self.request_by_key(d.reason_key.strip_prefix(NUDGE_PREFIX)?)?;
        let (due, away) = self.nudge_due(r);
        let away = away?;
        (due > d.due).then(|| (due, format!("they are away until {away}")))
    }

    fn stage(
        &self,
        declined: Option<&Event>,
        ask: Option<OpenAsk<'a>>,
        dormant_since: Option<Timestamp>,
    ) -> Stage {
        if let Some(reply) = declined {
            return Stage::Declined { at: reply.at };
        }
        if let Some(since) = dormant_since {
            return Stage::Dormant { since };
        }
        if let Some(a) = ask {
            return match (a.nudge, a.request) {
                (Some(n), _) => Stage::Nudged { since: n.at },
                (None, Some(r)) => Stage::Requested { since: r.at },
                (None, None) => Stage::New,
            };
        }
        if let Some(m) = self.upcoming_meeting() {
            return Stage::Scheduled { start: m.start };
        }
        if let Some(m) = self.fresh_unthanked().max_by_key(|m| m.end) {
            return Stage::Met { at: m.end };
        }
        if let Some((_, until)) = self.later_pending() {
            return Stage::Waiting { until };
        }
        if self.two_way() {
            if let Some(e) = self.last_touch_event() {
                match e.kind {
                    InteractionKind::ThankYouSent | InteractionKind::ThankYouReceived => {
                        return Stage::Thanked { at: e.at };
                    }
                    InteractionKind::Reply => {
                        return Stage::Replied {
                            intent: e.intent.unwrap_or(Intent::Other),
                            at: e.at,
                        };
                    }
                    _ => {}
                }
            }
            if let Some(last) = self.last_touch() {
                return Stage::KeepingInTouch {
                    next_check_in: self.cadence_due(last),
                };
            }
        }
        Stage::New
    }

    fn next(&self, stage: &Stage, open: &[(DraftKind, String, Timestamp)]) -> String {
        if let Some((kind, key, due)) = open.iter().min_by_key(|(_, _, due)| *due) {
            let day = self.day(*due);
            return match kind {
                DraftKind::MeetingRequest => {
                    "send the meeting request once you approve it".to_string()
                }
                DraftKind::Nudge => format!("nudge on {day} if no reply"),
                DraftKind::ThankYou => format!("thank-you due {}", self.minute(*due)),
                DraftKind::CheckIn if key.starts_with(LATER_PREFIX) => {
                    format!("check in on {day}, as they asked")
                }
                DraftKind::CheckIn => format!("check in around {day}"),
                DraftKind::Share => "send what you shared once you approve it".to_string(),
                DraftKind::IntroAsk | DraftKind::Intro | DraftKind::IntroDeclined => {
                    "an introduction's email waits for your approval (`rapport intros`)".to_string()
                }
            };
        }
        match stage {
            Stage::DoNotContact | Stage::Bounced | Stage::NoAddress => "nothing".to_string(),
            Stage::Declined { .. } => "nothing: they said no".to_string(),
            Stage::Dormant { since } => {
                format!("nothing: dormant since {} (no reply)", self.day(*since))
            }
            Stage::Nudged { since } => format!(
                "nothing: nudged on {}; dormant on {} if no reply",
                self.day(*since),
                self.day(self.add_days(*since, self.policy.dormant_after_days))
            ),
            Stage::Requested { .. }
                if self
                    .latest(InteractionKind::RequestSent)
                    .is_some_and(|r| r.unsure) =>
            {
                "nothing until you confirm the request (`rapport mark`): no nudge meanwhile"
                    .to_string()
            }
            Stage::Requested { .. } => {
                "nothing: the nudge for this request was already drafted".to_string()
            }
            Stage::Scheduled { start } => format!(
                "draft a thank-you after the meeting on {}",
                self.day(*start)
            ),
            Stage::Met { .. } => "nothing: the thank-you draft was set aside".to_string(),
            Stage::Waiting { until } => {
                format!("nothing: they asked to wait until {until}; that check-in was set aside")
            }
            Stage::Replied { .. } | Stage::Thanked { .. } | Stage::KeepingInTouch { .. } => {
                "nothing until one of you writes again".to_string()
            }
            Stage::New => "nothing: no request sent yet".to_string(),
        }
    }
}

fn describe(kind: InteractionKind) -> &'static str {
    match kind {
        InteractionKind::Reply
        | InteractionKind::ThankYouReceived
        | InteractionKind::EmailReceived => "they wrote",
        InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => "a meeting was set",
        _ => "you wrote",
    }
}
