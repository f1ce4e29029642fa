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

use std::collections::BTreeMap;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::core::model::{DraftKind, DraftStatus, InteractionKind, Tier};

mod facts;

/// The numbers of the follow-up policy (README: "What rapport will and will not send"). Every one is configurable.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// A nudge is due this many days after an unanswered request.
    pub nudge_after_days: u32,
    /// After the nudge, this many days without a reply make the contact dormant.
    pub dormant_after_days: u32,
    /// The thank-you is due this many hours after a meeting ends.
    pub thank_you_after_hours: u32,
    /// Check-in cadence for close contacts, in calendar months.
    pub close_months: u32,
    /// Check-in cadence for regular contacts, in calendar months.
    pub regular_months: u32,
    /// Check-in cadence for acquaintances, in calendar months.
    pub acquaintance_months: u32,
    /// A meeting that ended longer ago than this gets no thank-you draft (so the first
    /// sync of old history does not flood the queue).
    pub stale_thank_you_days: u32,
    /// A request older than this gets no nudge (it counts as answered by silence), and a
    /// "come back around D" older than D plus this gets no check-in of its own.
    pub stale_request_days: u32,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            nudge_after_days: 7,
            dormant_after_days: 14,
            thank_you_after_hours: 2,
            close_months: 1,
            regular_months: 3,
            acquaintance_months: 6,
            stale_thank_you_days: 3,
            stale_request_days: 30,
        }
    }
}

impl Policy {
    /// The check-in cadence of `tier`, in months.
    pub fn cadence_months(&self, tier: Tier) -> u32 {
        match tier {
            Tier::Close => self.close_months,
            Tier::Regular => self.regular_months,
            Tier::Acquaintance => self.acquaintance_months,
        }
    }
}

/// What the planner needs to know about the contact itself.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ContactFacts {
    pub id: i64,
    pub tier: Tier,
    pub do_not_contact: bool,
    pub all_addresses_bounced: bool,
    pub has_address: bool,
}

/// One interaction on the contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: i64,
    pub at: Timestamp,
    pub kind: InteractionKind,
    /// The Message-ID it came from or was sent as ("" for notes and manual entries).
    pub message_key: String,
    /// For inbound messages: the Message-ID they answer ("" if unknown).
    pub in_reply_to: String,
    /// For inbound messages: the Message-IDs of their References header (server
    /// aliases already resolved to the id the user sent).
    pub references: Vec<String>,
    /// For `Reply`: "yes", "no", "later" or "other".
    pub intent: Option<String>,
    /// For a `Reply` with intent "later": the date they asked to hear from us again;
    /// for `NextContactAgreed`: the date the two agreed to talk again.
    pub later_until: Option<Date>,
    /// The reading it came from is unsure and the user has not confirmed it: the
    /// planner takes the cautious path (no nudge on an unsure request).
    pub unsure: bool,
    /// For the meeting kinds: the calendar UID.
    pub meeting_uid: Option<String>,
    pub meeting_start: Option<Timestamp>,
    pub meeting_end: Option<Timestamp>,
    /// For `AutoReply`: the return date it states.
    pub auto_reply_until: Option<Date>,
}

impl Event {
    /// An event of `kind` at `at` with every optional field empty.
    pub fn new(id: i64, at: Timestamp, kind: InteractionKind) -> Event {
        Event {
            id,
            at,
            kind,
            message_key: String::new(),
            in_reply_to: String::new(),
            references: Vec::new(),
            intent: None,
            later_until: None,
            unsure: false,
            meeting_uid: None,
            meeting_start: None,
            meeting_end: None,
            auto_reply_until: None,
        }
    }

    /// The key that names this event in a reason key: its Message-ID, or its id when it
    /// has none.
    pub fn key(&self) -> String {
        if self.message_key.is_empty() {
            self.id.to_string()
        } else {
            self.message_key.clone()
        }
    }
}

/// A draft that already exists for the contact, in any status.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ExistingDraft {
    pub id: i64,
    pub kind: DraftKind,
    pub reason_key: String,
    pub status: DraftStatus,
    pub created_at: Timestamp,
    /// When it is due (after any snooze); the planner only ever moves this later.
    pub due: Timestamp,
}

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
    Replied { intent: String, at: Timestamp },
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
    let events = causal_order(events);
    Planner::new(contact, &events, drafts, now, tz, policy).run()
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
    !matches!(kind, InteractionKind::AutoReply | InteractionKind::Bounce)
}

fn intent_is(e: &Event, want: &str) -> bool {
    e.intent
        .as_deref()
        .is_some_and(|i| i.trim().eq_ignore_ascii_case(want))
}

fn plural(n: u32, one: &str) -> String {
    if n == 1 {
        format!("{n} {one}")
    } else {
        format!("{n} {one}s")
    }
}

/// A meeting, folded from its calendar events by UID.
#[derive(Debug, Clone)]
struct Meeting {
    key: String,
    start: Timestamp,
    end: Timestamp,
    cancelled: bool,
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
        }
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
        if declined.is_none() && dormant_since.is_none() {
            let mut creates = Vec::new();
            self.thank_yous(&mut creates);
            if let Some(a) = ask {
                self.nudge(a, &mut creates);
            }
            self.later_check_in(&mut creates);
            if open.is_empty() && creates.is_empty() && ask.is_none() {
                self.cadence_check_in(&mut creates);
            }
            for c in creates {
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
            return (self.now >= since).then_some(since);
        }
        let r = ask.request?;
        let stale_at = self.add_days(r.at, self.policy.stale_request_days);
        let key = format!("{NUDGE_PREFIX}{}", r.key());
        let nudge_open = self
            .drafts
            .iter()
            .any(|d| d.reason_key == key && d.status.is_open());
        (self.now > stale_at && !nudge_open).then_some(stale_at)
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
        if self.now > self.add_days(r.at, self.policy.stale_request_days) {
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

    /// `later()`, unless the date they gave is so long past (first sync of old history)
    /// that the cadence takes over.
    fn later_pending(&self) -> Option<(&'a Event, Date)> {
        self.later().filter(|(_, until)| {
            self.now <= self.add_days(self.start_of(*until), self.policy.stale_request_days)
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
            DraftKind::MeetingRequest => None,
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
            && let Some(e) = self
                .events
                .iter()
                .find(|e| is_inbound_human(e.kind) && e.at > d.created_at)
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
        self.thank_you_sent_since(m.start)
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
                            intent: e
                                .intent
                                .as_deref()
                                .map_or_else(|| "other".to_string(), |i| i.trim().to_lowercase()),
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

/// Folds the calendar events into meetings by UID: the latest schedule or move gives
/// the times, a later cancel or decline cancels, a later schedule revives.
fn fold_meetings(events: &[&Event]) -> Vec<Meeting> {
    struct Fold {
        start: Option<Timestamp>,
        end: Option<Timestamp>,
        cancelled: bool,
        order: usize,
    }
    let mut by_key: BTreeMap<String, Fold> = BTreeMap::new();
    for (order, e) in events.iter().enumerate() {
        let uid = e.meeting_uid.as_deref().filter(|u| !u.is_empty());
        match e.kind {
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => {
                let key = uid.map_or_else(|| format!("event-{}", e.id), str::to_string);
                let f = by_key.entry(key).or_insert(Fold {
                    start: None,
                    end: None,
                    cancelled: false,
                    order,
                });
                if e.meeting_start.is_some() {
                    f.start = e.meeting_start;
                    f.end = e.meeting_end;
                } else if e.meeting_end.is_some() {
                    f.end = e.meeting_end;
                }
                f.cancelled = false;
                f.order = order;
            }
            InteractionKind::MeetingCancelled | InteractionKind::MeetingDeclined => {
                if let Some(f) = uid.and_then(|u| by_key.get_mut(u)) {
                    f.cancelled = true;
                }
            }
            _ => {}
        }
    }
    let mut meetings: Vec<(usize, Meeting)> = by_key
        .into_iter()
        .filter_map(|(key, f)| {
            let start = f.start.or(f.end)?;
            let end = f.end.unwrap_or(start).max(start);
            Some((
                f.order,
                Meeting {
                    key,
                    start,
                    end,
                    cancelled: f.cancelled,
                },
            ))
        })
        .collect();
    meetings.sort_by_key(|(order, _)| *order);
    meetings.into_iter().map(|(_, m)| m).collect()
}
