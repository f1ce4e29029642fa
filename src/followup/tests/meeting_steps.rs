//! The random walk's meeting steps (see `tests.rs`): a reply that proposes a time, the
//! user confirming the latest proposal, and a meeting the user records within hours of
//! the one an invitation set (which merges with it). Both databases get the same step;
//! the walk checks that their queues stay equal.

use std::cell::Cell;

use jiff::{SignedDuration, Timestamp};

use super::{K, event};
use crate::store::Store;

thread_local! {
    /// How many steps this thread's walks applied that merge or confirm: the walk
    /// asserts it exercised them.
    pub(super) static MERGED: Cell<u32> = const { Cell::new(0) };
}

fn count() {
    MERGED.with(|m| m.set(m.get() + 1));
}

/// One meeting step, drawn before it is applied.
pub(super) enum MeetingOp {
    /// A reply with intent yes proposing a time `start`, received at `at`.
    Proposal(i64, Timestamp, Timestamp),
    /// The user confirms the contact's latest proposal still waiting.
    Confirm(i64),
    /// A meeting recorded by hand (`manual` or a confirmed proposal's key) this many
    /// minutes from the contact's latest invitation, or from now without one.
    Soft(i64, bool, i64),
}

pub(super) fn draw(rng: &mut fastrand::Rng, c: i64, now: Timestamp) -> MeetingOp {
    match rng.u8(..3) {
        0 => {
            let start = now + SignedDuration::from_mins(rng.i64(60..10 * 24 * 60));
            MeetingOp::Proposal(c, now, start)
        }
        1 => MeetingOp::Confirm(c),
        _ => MeetingOp::Soft(c, rng.bool(), rng.i64(-36 * 60..36 * 60)),
    }
}

/// The start of the contact's latest scheduled or moved meeting.
fn latest_start(s: &Store, c: i64) -> Option<Timestamp> {
    s.interactions(c)
        .ok()?
        .iter()
        .rev()
        .filter(|i| matches!(i.kind, K::MeetingScheduled | K::MeetingMoved))
        .find_map(|i| i.detail["start"].as_str()?.parse().ok())
}

pub(super) fn apply(s: &mut Store, op: &MeetingOp, now: Timestamp) {
    match op {
        MeetingOp::Proposal(c, at, start) => {
            let d = serde_json::json!({
                "intent": "yes",
                "proposed": { "start": start.to_string(), "text": "tuesday at 3pm", "zone": "UTC" },
            });
            let key = format!("<prop{}.{}@example.net>", c, at.as_second());
            event(s, *c, *at, K::Reply, &key, &d.to_string());
        }
        MeetingOp::Confirm(c) => {
            let open = crate::followup::proposals::open_proposals(s, now).unwrap();
            if let Some(v) = open.iter().rev().find(|v| v.proposal.contact_id == *c) {
                crate::followup::proposals::confirm(s, v, None, 25, &jiff::tz::TimeZone::UTC, now)
                    .unwrap();
                count();
            }
        }
        MeetingOp::Soft(c, manual, minutes) => {
            if s.contact(*c).unwrap().is_none() {
                return;
            }
            let latest = latest_start(s, *c);
            if latest.is_some() && minutes.abs() < 24 * 60 {
                count();
            }
            let base = latest.unwrap_or(now);
            let start = base + SignedDuration::from_mins(*minutes);
            let key = if *manual {
                format!("manual-meeting:{start}")
            } else {
                format!("proposal:w{}", now.as_second())
            };
            let end = start + SignedDuration::from_mins(25);
            let d = serde_json::json!({ "uid": key, "start": start.to_string(), "end": end.to_string() });
            event(s, *c, now, K::MeetingScheduled, &key, &d.to_string());
        }
    }
}
