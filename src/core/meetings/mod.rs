//! One meeting however it reached rapport: a time proposed in a reply, one the
//! user recorded (`meeting add`), one confirmed from a proposal, an invitation or a
//! scheduling tool's booking.
//!
//! Meetings the user recorded or confirmed ("soft": their keys start with
//! [`MANUAL_PREFIX`] or [`PROPOSAL_PREFIX`]) merge into the invitation or booking
//! ("firm") for the same contact that starts within a day of them: the firm one's
//! time, link and UID are kept, its updates move the merged meeting and its
//! cancellation removes it. A proposal is still waiting for the user only while no
//! meeting covers it, no later proposal replaced it, it is not past, and the user has
//! not decided on it.
//!
//! Pure: entries in, merges and states out; it must never read the store or the clock.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};
use serde::Serialize;

use crate::core::model::InteractionKind;

/// The key of a meeting recorded with `meeting add`.
pub const MANUAL_PREFIX: &str = "manual-meeting:";
/// The key of a meeting confirmed from a proposal: this prefix and the reply's id.
pub const PROPOSAL_PREFIX: &str = "proposal:";

/// How far apart two readings of the same meeting may start.
pub const SAME_MEETING: SignedDuration = SignedDuration::from_hours(24);

/// Whether a meeting key is one the user recorded or confirmed (not a calendar UID).
pub fn is_soft(key: &str) -> bool {
    key.starts_with(MANUAL_PREFIX) || key.starts_with(PROPOSAL_PREFIX)
}

/// One calendar entry of a contact's timeline, in timeline order.
#[derive(Debug, Clone)]
pub struct CalendarEntry<'a> {
    /// The UID, or a key made for an entry without one.
    pub key: &'a str,
    pub kind: InteractionKind,
    pub start: Option<Timestamp>,
}

#[derive(Default)]
struct Seen {
    starts: Vec<Timestamp>,
    first_set: Option<usize>,
    cancelled_at: Option<usize>,
}

fn near(a: &[Timestamp], b: &[Timestamp]) -> Option<SignedDuration> {
    a.iter()
        .flat_map(|x| b.iter().map(move |y| x.duration_since(*y).abs()))
        .filter(|d| *d <= SAME_MEETING)
        .min()
}

/// Which soft meeting merges into which firm one: soft key → firm key. A soft
/// meeting set after the firm one was cancelled is a new arrangement and stays apart.
pub fn merges(entries: &[CalendarEntry<'_>]) -> BTreeMap<String, String> {
    let mut seen: BTreeMap<&str, Seen> = BTreeMap::new();
    for (order, e) in entries.iter().enumerate() {
        let s = seen.entry(e.key).or_default();
        match e.kind {
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => {
                s.starts.extend(e.start);
                s.first_set.get_or_insert(order);
                s.cancelled_at = None;
            }
            InteractionKind::MeetingCancelled | InteractionKind::MeetingDeclined => {
                s.cancelled_at = Some(order);
            }
            _ => {}
        }
    }
    let mut out = BTreeMap::new();
    for (soft, s) in seen.iter().filter(|(k, _)| is_soft(k)) {
        let Some(set) = s.first_set else { continue };
        let best = seen
            .iter()
            .filter(|(k, f)| !is_soft(k) && f.first_set.is_some())
            .filter(|(_, f)| f.cancelled_at.is_none_or(|c| c > set))
            .filter_map(|(k, f)| near(&s.starts, &f.starts).map(|d| (d, *k)))
            .min();
        if let Some((_, firm)) = best {
            out.insert((*soft).to_string(), firm.to_string());
        }
    }
    out
}

/// A meeting time read from a reply, as the timeline keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Proposal {
    /// The id of the reply's timeline entry.
    pub id: i64,
    pub contact_id: i64,
    /// When the reply came.
    pub at: Timestamp,
    pub start: Timestamp,
    /// The words it was read from.
    pub text: String,
    /// The zone it was read in.
    pub zone: String,
}

/// What the user decided about a proposal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Confirmed,
    Ignored,
}

impl Decision {
    pub fn as_str(self) -> &'static str {
        match self {
            Decision::Confirmed => "confirmed",
            Decision::Ignored => "ignored",
        }
    }

    pub fn from_name(s: &str) -> Option<Decision> {
        [Decision::Confirmed, Decision::Ignored]
            .into_iter()
            .find(|d| d.as_str() == s)
    }
}

/// Where a proposal stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProposalState {
    /// Waiting for the user: confirm, move or ignore.
    Proposed,
    Confirmed,
    Ignored,
    /// A meeting (an invitation, a booking, one the user recorded) covers it.
    Scheduled,
    /// The same contact proposed another time since.
    Replaced,
    /// Its time has passed without a decision.
    Past,
}

impl ProposalState {
    pub fn as_str(self) -> &'static str {
        match self {
            ProposalState::Proposed => "proposed",
            ProposalState::Confirmed => "confirmed",
            ProposalState::Ignored => "ignored",
            ProposalState::Scheduled => "scheduled",
            ProposalState::Replaced => "replaced",
            ProposalState::Past => "past",
        }
    }
}

/// A meeting's start as the proposal check needs it.
#[derive(Debug, Clone, Copy)]
pub struct Booked {
    pub contact_id: i64,
    pub start: Timestamp,
    pub cancelled: bool,
}

/// Where `p` stands, given the user's decision on it, the other proposals and the
/// meetings (all contacts'), at `now`.
pub fn proposal_state(
    p: &Proposal,
    decision: Option<Decision>,
    proposals: &[Proposal],
    meetings: &[Booked],
    now: Timestamp,
) -> ProposalState {
    match decision {
        Some(Decision::Confirmed) => return ProposalState::Confirmed,
        Some(Decision::Ignored) => return ProposalState::Ignored,
        None => {}
    }
    let covered = meetings.iter().any(|m| {
        m.contact_id == p.contact_id
            && !m.cancelled
            && m.start.duration_since(p.start).abs() <= SAME_MEETING
    });
    if covered {
        return ProposalState::Scheduled;
    }
    let replaced = proposals
        .iter()
        .any(|q| q.contact_id == p.contact_id && (q.at, q.id) > (p.at, p.id));
    if replaced {
        return ProposalState::Replaced;
    }
    if p.start <= now {
        return ProposalState::Past;
    }
    ProposalState::Proposed
}

#[cfg(test)]
mod tests;
