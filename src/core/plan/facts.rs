//! The planner's reading of a timeline: time arithmetic in the user's zone and the
//! facts the plan is made of (the open ask, a "no", a "later", meetings held). Split
//! from `plan` to keep each file one reading; it must never decide what to draft.

use jiff::civil::Date;
use jiff::{Span, Timestamp, ZonedDateTime};

use super::*;

impl<'a> Planner<'a> {
    // ----- time helpers (never panic: overflow saturates to "never") -----

    pub(super) fn local(&self, ts: Timestamp) -> ZonedDateTime {
        ts.to_zoned_datetime(self.tz.clone())
    }

    pub(super) fn add(&self, ts: Timestamp, span: Result<Span, jiff::Error>) -> Timestamp {
        span.and_then(|s| self.local(ts).checked_add(s))
            .map_or(Timestamp::MAX, |z| z.timestamp())
    }

    pub(super) fn add_days(&self, ts: Timestamp, days: u32) -> Timestamp {
        self.add(ts, Span::new().try_days(days))
    }

    pub(super) fn add_hours(&self, ts: Timestamp, hours: u32) -> Timestamp {
        self.add(ts, Span::new().try_hours(hours))
    }

    pub(super) fn add_months(&self, ts: Timestamp, months: u32) -> Timestamp {
        self.add(ts, Span::new().try_months(months))
    }

    pub(super) fn start_of(&self, date: Date) -> Timestamp {
        date.to_zoned_datetime(self.tz.clone())
            .map_or(Timestamp::MAX, |z| z.timestamp())
    }

    pub(super) fn day_after(&self, date: Date) -> Timestamp {
        date.tomorrow().map_or(Timestamp::MAX, |d| self.start_of(d))
    }

    pub(super) fn day(&self, ts: Timestamp) -> Date {
        self.local(ts).date()
    }

    pub(super) fn minute(&self, ts: Timestamp) -> String {
        let z = self.local(ts);
        format!("{} {:02}:{:02}", z.date(), z.hour(), z.minute())
    }

    // ----- facts from the timeline -----

    pub(super) fn position(&self, target: &Event) -> Option<usize> {
        self.events.iter().position(|e| std::ptr::eq(*e, target))
    }

    /// Events later than `e` in timeline order.
    pub(super) fn after_event(&self, e: &Event) -> impl Iterator<Item = &'a Event> + '_ {
        let skip = self.position(e).map_or(self.events.len(), |p| p + 1);
        self.events.iter().skip(skip).copied()
    }

    /// Events at or after `at` (ties count as after: the safe side).
    pub(super) fn since(&self, at: Timestamp) -> impl Iterator<Item = &'a Event> + '_ {
        self.events.iter().copied().filter(move |e| e.at >= at)
    }

    /// Events at or after `at`, or read by rapport after `at` (after its first sync): a
    /// message that arrived after a request answers it even when its `Date:` says it was
    /// written before.
    pub(super) fn since_or_read(&self, at: Timestamp) -> impl Iterator<Item = &'a Event> + '_ {
        let watching = self.contact.watching_since;
        self.events.iter().copied().filter(move |e| {
            e.at >= at
                || e.seen
                    .is_some_and(|s| s > at && watching.is_some_and(|w| s > w))
        })
    }

    pub(super) fn latest(&self, kind: InteractionKind) -> Option<&'a Event> {
        self.events.iter().rev().copied().find(|e| e.kind == kind)
    }

    pub(super) fn request_by_key(&self, key: &str) -> Option<&'a Event> {
        self.events
            .iter()
            .rev()
            .copied()
            .find(|e| e.kind == InteractionKind::RequestSent && e.key() == key)
    }

    pub(super) fn reply_by_key(&self, key: &str) -> Option<&'a Event> {
        self.events
            .iter()
            .rev()
            .copied()
            .find(|e| e.kind == InteractionKind::Reply && e.key() == key)
    }

    pub(super) fn first_inbound_since(&self, at: Timestamp) -> Option<&'a Event> {
        self.since_or_read(at).find(|e| is_inbound_human(e.kind))
    }

    /// The latest reply, when it said no and they have not engaged since.
    pub(super) fn declined(&self) -> Option<&'a Event> {
        let reply = self.latest(InteractionKind::Reply)?;
        if !intent_is(reply, Intent::No) {
            return None;
        }
        let engaged = self
            .after_event(reply)
            .any(|e| is_inbound_human(e.kind) || is_meeting_set(e.kind));
        (!engaged).then_some(reply)
    }

    /// The latest reply, when it said "later" with a date and nothing since replaced it:
    /// they wrote again, a meeting was set, or the user asked again themselves.
    pub(super) fn later(&self) -> Option<(&'a Event, Date)> {
        let reply = self.latest(InteractionKind::Reply)?;
        if !intent_is(reply, Intent::Later) {
            return None;
        }
        let until = reply.later_until?;
        let superseded = self.after_event(reply).any(|e| {
            is_inbound_human(e.kind)
                || is_meeting_set(e.kind)
                || matches!(
                    e.kind,
                    InteractionKind::RequestSent | InteractionKind::CheckInSent
                )
        });
        (!superseded).then_some((reply, until))
    }

    /// The latest request (or a nudge with no request on the timeline) when nothing
    /// answered it.
    pub(super) fn open_ask(&self) -> Option<OpenAsk<'a>> {
        match self.latest(InteractionKind::RequestSent) {
            Some(r) => {
                if self.since_or_read(r.at).any(|e| answers_request(e.kind)) {
                    return None;
                }
                let nudge = self
                    .since(r.at)
                    .find(|e| e.kind == InteractionKind::NudgeSent);
                Some(OpenAsk {
                    request: Some(r),
                    nudge,
                })
            }
            None => {
                let n = self.latest(InteractionKind::NudgeSent)?;
                if self.since_or_read(n.at).any(|e| answers_request(e.kind)) {
                    return None;
                }
                Some(OpenAsk {
                    request: None,
                    nudge: Some(n),
                })
            }
        }
    }

    /// The thank-you for a meeting that started at `start` and ended at `end`: a message
    /// read as one since the start, or anything the user wrote to them (that is not a
    /// request) from the start to a day after the end, in whatever words.
    pub(super) fn thank_you_sent_since(
        &self,
        start: Timestamp,
        end: Timestamp,
    ) -> Option<&'a Event> {
        let day_after = self.add_hours(end, 24);
        self.since(start).find(|e| {
            e.kind == InteractionKind::ThankYouSent
                || (e.kind == InteractionKind::EmailSent && e.at <= day_after)
        })
    }

    pub(super) fn held(&self, m: &Meeting) -> bool {
        !m.cancelled && self.reached(m.end)
    }

    pub(super) fn upcoming_meeting(&self) -> Option<&Meeting> {
        self.meetings
            .iter()
            .filter(|m| !m.cancelled && !self.reached(m.end))
            .min_by_key(|m| m.start)
    }

    /// Meetings held recently enough that a missing thank-you is still worth drafting.
    pub(super) fn fresh_unthanked(&self) -> impl Iterator<Item = &Meeting> + '_ {
        self.meetings.iter().filter(|m| {
            self.held(m)
                && self.thank_you_sent_since(m.start, m.end).is_none()
                && !self.passed(self.add_days(m.end, self.policy.stale_thank_you_days))
        })
    }

    /// They replied, met or thanked at some point.
    pub(super) fn two_way(&self) -> bool {
        self.events
            .iter()
            .any(|e| is_inbound_human(e.kind) || e.kind == InteractionKind::ThankYouSent)
            || self.meetings.iter().any(|m| self.held(m))
    }

    /// When the last contact of any kind happened (a held meeting counts at its end).
    pub(super) fn last_touch(&self) -> Option<Timestamp> {
        let events = self
            .events
            .iter()
            .filter(|e| is_touch(e.kind))
            .map(|e| e.at);
        let meetings = self.meetings.iter().filter(|m| self.held(m)).map(|m| m.end);
        events.chain(meetings).max()
    }

    /// The touch that happened last, when it is an event (not a meeting's end).
    pub(super) fn last_touch_event(&self) -> Option<&'a Event> {
        let at = self.last_touch()?;
        self.events
            .iter()
            .rev()
            .copied()
            .find(|e| is_touch(e.kind) && e.at == at)
    }

    pub(super) fn nudge_due(&self, r: &Event) -> (Timestamp, Option<Date>) {
        let base = self.add_days(r.at, self.policy.nudge_after_days);
        let away = self
            .since(r.at)
            .filter(|e| e.kind == InteractionKind::AutoReply)
            .filter_map(|e| e.auto_reply_until)
            .max();
        match away {
            Some(d) => (base.max(self.day_after(d)), Some(d)),
            None => (base, None),
        }
    }

    pub(super) fn cadence_due(&self, last: Timestamp) -> Timestamp {
        match self.agreed_next() {
            Some((_, date)) => self.start_of(date),
            None => self.add_months(last, self.policy.cadence_months(self.contact.tier)),
        }
    }

    /// The date agreed for the next contact, while it still stands: it replaces the
    /// tier's cadence for the next check-in, and anything the tier rule would count as
    /// the next contact clears it (a message or calendar traffic from them, a meeting
    /// held, a request, nudge or check-in sent after the agreement).
    pub(super) fn agreed_next(&self) -> Option<(&'a Event, Date)> {
        let agreed = self.latest(InteractionKind::NextContactAgreed)?;
        let date = agreed.later_until?;
        let replaced = self.after_event(agreed).any(|e| {
            answers_request(e.kind)
                || matches!(
                    e.kind,
                    InteractionKind::RequestSent
                        | InteractionKind::NudgeSent
                        | InteractionKind::CheckInSent
                )
        }) || self
            .meetings
            .iter()
            .any(|m| self.held(m) && m.end > agreed.at);
        (!replaced).then_some((agreed, date))
    }

    pub(super) fn key_exists(&self, key: &str) -> bool {
        self.drafts.iter().any(|d| d.reason_key == key)
    }
}
