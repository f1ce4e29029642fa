//! Meetings folded from a timeline's calendar events: the one reading of "which
//! meetings are there, when, and are they still on" that the planner and the CLI's
//! meeting list share. Pure; it must never decide what to draft.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::Event;
use crate::core::meetings::{CalendarEntry, merges};
use crate::core::model::InteractionKind;

/// A meeting, folded from its calendar events by UID.
#[derive(Debug, Clone)]
pub struct Meeting {
    /// The calendar UID, or `event-ID` for an entry without one.
    pub key: String,
    /// The id of the event that first put it on the timeline.
    pub first_event: i64,
    pub start: Timestamp,
    pub end: Timestamp,
    pub all_day: bool,
    pub cancelled: bool,
}

/// The key a calendar event folds under: its UID, or `event-ID` without one.
fn key_of(e: &Event) -> String {
    e.meeting_uid
        .as_deref()
        .filter(|u| !u.is_empty())
        .map_or_else(|| format!("event-{}", e.id), str::to_string)
}

/// The meetings the user recorded that merge into an invitation: key → its UID.
fn aliases(events: &[&Event], keys: &[String]) -> BTreeMap<String, String> {
    let entries: Vec<CalendarEntry<'_>> = events
        .iter()
        .zip(keys)
        .map(|(e, key)| CalendarEntry {
            key,
            kind: e.kind,
            start: e.meeting_start.or(e.meeting_end),
        })
        .collect();
    merges(&entries)
}

/// Folds the calendar events into meetings by UID: the latest schedule or move gives
/// the times, a later cancel or decline cancels, a later schedule revives. A meeting
/// the user recorded merges into the invitation for the same slot
/// ([`crate::core::meetings::merges`]), which keeps its own time.
pub fn fold_meetings(events: &[&Event]) -> Vec<Meeting> {
    struct Fold {
        first_event: i64,
        start: Option<Timestamp>,
        end: Option<Timestamp>,
        all_day: bool,
        cancelled: bool,
        order: usize,
    }
    let keys: Vec<String> = events.iter().map(|e| key_of(e)).collect();
    let aliases = aliases(events, &keys);
    let mut by_key: BTreeMap<String, Fold> = BTreeMap::new();
    for ((order, e), key) in events.iter().enumerate().zip(&keys) {
        let merged = aliases.get(key);
        let has_uid = e.meeting_uid.as_deref().is_some_and(|u| !u.is_empty());
        let uid = merged
            .map(String::as_str)
            .or(has_uid.then_some(key.as_str()));
        match e.kind {
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => {
                let key = merged.cloned().unwrap_or_else(|| key.clone());
                let f = by_key.entry(key).or_insert(Fold {
                    first_event: e.id,
                    start: None,
                    end: None,
                    all_day: false,
                    cancelled: false,
                    order,
                });
                if merged.is_some() && f.start.is_some() {
                    // The invitation's time stands over the user's own record.
                } else if e.meeting_start.is_some() {
                    f.start = e.meeting_start;
                    f.end = e.meeting_end;
                    f.all_day = e.meeting_all_day;
                } else if e.meeting_end.is_some() {
                    f.end = e.meeting_end;
                    f.all_day = e.meeting_all_day;
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
                    first_event: f.first_event,
                    start,
                    end,
                    all_day: f.all_day,
                    cancelled: f.cancelled,
                },
            ))
        })
        .collect();
    meetings.sort_by_key(|(order, _)| *order);
    meetings.into_iter().map(|(_, m)| m).collect()
}
