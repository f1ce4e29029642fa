//! Meeting proposals from the store, with where each stands (`core::meetings`
//! decides), and the user's answer to one: confirm (at its time or another) or
//! ignore. Confirming records the meeting on the timeline, so the planner drafts the
//! thank-you after it like any other meeting.
//!
//! It must never send anything or change a proposal's reply entry.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::{Result, bail};
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use super::all_meetings;
use crate::core::meetings::{
    Booked, Decision, PROPOSAL_PREFIX, Proposal, ProposalState, proposal_state,
};
use crate::core::model::InteractionKind;
use crate::store::{Interaction, NewInteraction, Store, fmt_ts};

/// A confirmed proposal's meeting lasts this long unless the user says otherwise
/// (as `meeting add`).
pub const DEFAULT_MINUTES: u32 = 25;

/// A proposal with its contact and where it stands.
#[derive(Debug, Clone, serde::Serialize)]
pub struct ProposalView {
    #[serde(flatten)]
    pub proposal: Proposal,
    pub contact: String,
    pub status: ProposalState,
}

fn proposal_of(i: &Interaction) -> Option<Proposal> {
    let p = i.detail.get("proposed")?;
    let text = |k: &str| p.get(k).and_then(|v| v.as_str()).unwrap_or("").to_string();
    Some(Proposal {
        id: i.id,
        contact_id: i.contact_id,
        at: i.at,
        start: p.get("start")?.as_str()?.parse().ok()?,
        text: text("text"),
        zone: text("zone"),
    })
}

/// Every proposal on any timeline with where it stands at `now`, soonest first.
pub fn all_proposals(store: &Store, now: Timestamp) -> Result<Vec<ProposalView>> {
    let proposals: Vec<Proposal> = store
        .proposal_interactions()?
        .iter()
        .filter_map(proposal_of)
        .collect();
    if proposals.is_empty() {
        return Ok(Vec::new());
    }
    let decisions = store.proposal_decisions()?;
    let booked: Vec<Booked> = all_meetings(store)?
        .iter()
        .map(|m| Booked {
            contact_id: m.contact_id,
            start: m.start,
            cancelled: m.cancelled,
        })
        .collect();
    let mut out = Vec::new();
    for p in &proposals {
        let Some(c) = store.contact(p.contact_id)? else {
            continue;
        };
        let decision = decisions.get(&p.id).copied();
        let status = proposal_state(p, decision, &proposals, &booked, now);
        out.push(ProposalView {
            proposal: p.clone(),
            contact: c.display_name(),
            status,
        });
    }
    out.sort_by_key(|v| (v.proposal.start, v.proposal.id));
    Ok(out)
}

/// The proposals still waiting for the user at `now`.
pub fn open_proposals(store: &Store, now: Timestamp) -> Result<Vec<ProposalView>> {
    let mut all = all_proposals(store, now)?;
    all.retain(|v| v.status == ProposalState::Proposed);
    Ok(all)
}

/// The proposal of reply entry `id`, with where it stands.
pub fn find_proposal(store: &Store, id: i64, now: Timestamp) -> Result<Option<ProposalView>> {
    Ok(all_proposals(store, now)?
        .into_iter()
        .find(|v| v.proposal.id == id))
}

/// How a proposal's time reads to the user: "Tue 2026-12-08 15:00".
pub fn when(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned_datetime(tz.clone())
        .strftime("%a %Y-%m-%d %H:%M")
        .to_string()
}

/// Records the meeting of proposal `v` at `start` (its own time unless the user moved
/// it) and the decision; returns the timeline sentence.
pub fn confirm(
    store: &Store,
    v: &ProposalView,
    start: Option<Timestamp>,
    minutes: u32,
    tz: &TimeZone,
    now: Timestamp,
) -> Result<String> {
    if minutes == 0 || minutes > 24 * 60 {
        bail!("a meeting lasts between 1 and 1440 minutes; {minutes} was given");
    }
    let moved = start.is_some_and(|s| s != v.proposal.start);
    let start = start.unwrap_or(v.proposal.start);
    let end = start.checked_add(SignedDuration::from_mins(i64::from(minutes)))?;
    let key = format!("{PROPOSAL_PREFIX}{}", v.proposal.id);
    let summary = format!(
        "meeting scheduled for {} ({minutes} min, {} by {}, confirmed by you)",
        start
            .to_zoned_datetime(tz.clone())
            .strftime("%Y-%m-%d %H:%M %Z"),
        if moved {
            "moved from a time proposed"
        } else {
            "proposed"
        },
        v.contact,
    );
    store.add_interaction(&NewInteraction {
        contact_id: v.proposal.contact_id,
        at: now,
        kind: InteractionKind::MeetingScheduled,
        summary: &summary,
        message_key: &key,
        draft_id: None,
        detail: json!({
            "uid": key,
            "start": fmt_ts(start),
            "end": fmt_ts(end),
            "all_day": false,
            "proposal": v.proposal.id,
        }),
        source: "user",
    })?;
    store.decide_proposal(v.proposal.id, Decision::Confirmed, now)?;
    Ok(summary)
}

/// Records that the user set proposal `id` aside: it is asked about no more.
pub fn ignore(store: &Store, id: i64, now: Timestamp) -> Result<()> {
    store.decide_proposal(id, Decision::Ignored, now)
}
