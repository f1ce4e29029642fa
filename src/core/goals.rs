//! Goals and progress (the playbook's "nurture" step): new contacts this month, conversations
//! (meetings held and replies) this week, requests sent and how many were answered,
//! against `[goals]`, week by week, with a small terminal chart and a one-line verdict.
//!
//! Pure: the dated rows, the targets, `now` and the zone in. Weeks start on Monday in
//! the user's zone. It must never read the store or the clock.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::BTreeMap;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Span, Timestamp};
use serde::Serialize;

use crate::core::model::InteractionKind;

/// One dated row from the timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Activity {
    pub contact_id: i64,
    pub at: Timestamp,
    pub kind: InteractionKind,
    /// For calendar events.
    pub uid: Option<String>,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
}

/// `[goals]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Targets {
    pub new_contacts_per_month: u32,
    pub conversations_per_week: u32,
    /// Shares sent and introductions made a month; 0 for no target.
    pub gives_per_month: u32,
}

/// One week of the chart.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Week {
    /// Its Monday.
    pub start: Date,
    pub meetings_held: u32,
    pub replies: u32,
    pub conversations: u32,
    pub requests: u32,
}

/// Where the user stands.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    pub new_contacts_this_month: u32,
    pub new_contacts_goal: u32,
    pub conversations_this_week: u32,
    pub conversations_goal: u32,
    /// Shares sent and introductions made this month (give before you ask).
    pub gives_this_month: u32,
    pub gives_goal: u32,
    pub meetings_held_this_week: u32,
    pub replies_this_week: u32,
    pub requests_this_week: u32,
    /// Requests sent in the weeks shown, and how many of them were answered.
    pub requests_in_period: u32,
    pub answered_in_period: u32,
    /// Percent answered, `None` when no request was sent.
    pub reply_rate: Option<u32>,
    /// Oldest first; the last one is this week (so far).
    pub weeks: Vec<Week>,
    pub verdict: String,
}

/// The first moment of the week (Monday 00:00 local) `weeks_back` weeks before the
/// current one, and of the current month.
pub fn period_start(now: Timestamp, tz: &TimeZone, weeks_back: u32) -> Option<Timestamp> {
    let monday = this_monday(now, tz)?;
    let first = monday
        .checked_sub(Span::new().weeks(i64::from(weeks_back)))
        .ok()?;
    let month = now.to_zoned_datetime(tz.clone()).date().first_of_month();
    start_of(first.min(month), tz)
}

fn this_monday(now: Timestamp, tz: &TimeZone) -> Option<Date> {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let back = i64::from(today.weekday().to_monday_zero_offset());
    today.checked_sub(Span::new().days(back)).ok()
}

fn start_of(d: Date, tz: &TimeZone) -> Option<Timestamp> {
    d.to_zoned_datetime(tz.clone()).ok().map(|z| z.timestamp())
}

/// A human message from the contact, or calendar traffic: an answer to a request.
fn answers(kind: InteractionKind) -> bool {
    matches!(
        kind,
        InteractionKind::Reply
            | InteractionKind::EmailReceived
            | InteractionKind::ThankYouReceived
            | InteractionKind::MeetingScheduled
            | InteractionKind::MeetingMoved
            | InteractionKind::MeetingCancelled
            | InteractionKind::MeetingDeclined
    )
}

/// Per contact, the meetings the user recorded that merge into an invitation
/// ([`crate::core::meetings::merges`]): (contact, key) → the invitation's UID.
fn merged(events: &[Activity]) -> BTreeMap<(i64, String), String> {
    let mut out = BTreeMap::new();
    let contacts: std::collections::BTreeSet<i64> = events.iter().map(|e| e.contact_id).collect();
    for c in contacts {
        let entries: Vec<crate::core::meetings::CalendarEntry<'_>> = events
            .iter()
            .filter(|e| e.contact_id == c)
            .filter_map(|e| {
                Some(crate::core::meetings::CalendarEntry {
                    key: e.uid.as_deref()?,
                    kind: e.kind,
                    start: e.start.or(e.end),
                })
            })
            .collect();
        for (soft, firm) in crate::core::meetings::merges(&entries) {
            out.insert((c, soft), firm);
        }
    }
    out
}

/// When each meeting was held: folded by (contact, UID), the latest schedule or move
/// gives the time, a later cancel or decline removes it, and only ended ones count.
fn meetings_held(events: &[Activity], now: Timestamp) -> Vec<Timestamp> {
    let aliases = merged(events);
    let mut by_key: BTreeMap<(i64, String), Option<(Timestamp, Timestamp)>> = BTreeMap::new();
    for e in events {
        let uid = e.uid.clone().unwrap_or_else(|| format!("at-{}", e.at));
        let firm = aliases.get(&(e.contact_id, uid.clone()));
        let key = (e.contact_id, firm.cloned().unwrap_or(uid));
        match e.kind {
            // A meeting the user recorded keeps the invitation's time it merged into.
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved
                if firm.is_some() && by_key.get(&key).is_some_and(Option::is_some) => {}
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => {
                if let Some(start) = e.start.or(e.end) {
                    by_key.insert(key, Some((start, e.end.unwrap_or(start).max(start))));
                }
            }
            InteractionKind::MeetingCancelled | InteractionKind::MeetingDeclined => {
                if let Some(m) = by_key.get_mut(&key) {
                    *m = None;
                }
            }
            _ => {}
        }
    }
    by_key
        .into_values()
        .flatten()
        .filter(|(_, end)| *end <= now)
        .map(|(start, _)| start)
        .collect()
}

/// Counts progress over the last `weeks` weeks (this one included, at least 1).
pub fn progress(
    added: &[Timestamp],
    events: &[Activity],
    targets: Targets,
    weeks: u32,
    now: Timestamp,
    tz: &TimeZone,
) -> Progress {
    let weeks = weeks.clamp(1, 104);
    let monday = this_monday(now, tz);
    let mondays: Vec<Date> = (0..weeks)
        .rev()
        .filter_map(|back| monday?.checked_sub(Span::new().weeks(i64::from(back))).ok())
        .collect();
    let first = mondays
        .first()
        .and_then(|m| start_of(*m, tz))
        .unwrap_or(now);
    let (rows, requests, answered) = count_weeks(events, &mondays, first, now, tz);
    let new_contacts = new_this_month(added, now, tz);
    let this = rows.last().cloned();
    let mut p = Progress {
        new_contacts_this_month: new_contacts,
        new_contacts_goal: targets.new_contacts_per_month,
        conversations_this_week: this.as_ref().map_or(0, |w| w.conversations),
        conversations_goal: targets.conversations_per_week,
        gives_this_month: gives_this_month(events, now, tz),
        gives_goal: targets.gives_per_month,
        meetings_held_this_week: this.as_ref().map_or(0, |w| w.meetings_held),
        replies_this_week: this.as_ref().map_or(0, |w| w.replies),
        requests_this_week: this.as_ref().map_or(0, |w| w.requests),
        requests_in_period: requests,
        answered_in_period: answered,
        reply_rate: (requests > 0).then(|| answered * 100 / requests),
        weeks: rows,
        verdict: String::new(),
    };
    p.verdict = verdict(&p, now, tz);
    p
}

/// One row per week from `mondays`, counting what happened between `first` and `now`, with
/// the requests sent in that period and how many of them were answered.
fn count_weeks(
    events: &[Activity],
    mondays: &[Date],
    first: Timestamp,
    now: Timestamp,
    tz: &TimeZone,
) -> (Vec<Week>, u32, u32) {
    let week_of = |t: Timestamp| -> Option<usize> {
        let day = t.to_zoned_datetime(tz.clone()).date();
        mondays.iter().rposition(|m| *m <= day)
    };
    let mut rows: Vec<Week> = mondays
        .iter()
        .map(|m| Week {
            start: *m,
            meetings_held: 0,
            replies: 0,
            conversations: 0,
            requests: 0,
        })
        .collect();
    let in_period = |t: Timestamp| t >= first && t <= now;
    for start in meetings_held(events, now)
        .into_iter()
        .filter(|t| in_period(*t))
    {
        if let Some(w) = week_of(start).and_then(|i| rows.get_mut(i)) {
            w.meetings_held += 1;
        }
    }
    let (mut requests, mut answered) = (0, 0);
    for e in events.iter().filter(|e| in_period(e.at)) {
        let Some(w) = week_of(e.at).and_then(|i| rows.get_mut(i)) else {
            continue;
        };
        match e.kind {
            InteractionKind::Reply => w.replies += 1,
            InteractionKind::RequestSent => {
                w.requests += 1;
                requests += 1;
                let was_answered = events.iter().any(|a| {
                    a.contact_id == e.contact_id && a.at > e.at && a.at <= now && answers(a.kind)
                });
                if was_answered {
                    answered += 1;
                }
            }
            _ => {}
        }
    }
    for w in &mut rows {
        w.conversations = w.meetings_held + w.replies;
    }
    (rows, requests, answered)
}

/// Contacts added since the first of this month (in `tz`), up to `now`.
/// Shares sent and introductions made since the first of this month.
fn gives_this_month(events: &[Activity], now: Timestamp, tz: &TimeZone) -> u32 {
    let month_start = start_of(
        now.to_zoned_datetime(tz.clone()).date().first_of_month(),
        tz,
    );
    let n = events
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                InteractionKind::ShareSent | InteractionKind::IntroSent
            )
        })
        .filter(|e| month_start.is_some_and(|m| e.at >= m) && e.at <= now)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

fn new_this_month(added: &[Timestamp], now: Timestamp, tz: &TimeZone) -> u32 {
    let month_start = start_of(
        now.to_zoned_datetime(tz.clone()).date().first_of_month(),
        tz,
    );
    let n = added
        .iter()
        .filter(|t| month_start.is_some_and(|m| **t >= m) && **t <= now)
        .count();
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The share of the goal that should be reached by now: the goal times the elapsed part
/// of the period, rounded down (so Monday morning is never "behind").
fn pace(goal: u32, elapsed_days: u32, total_days: u32) -> u32 {
    if total_days == 0 {
        return goal;
    }
    goal.saturating_mul(elapsed_days) / total_days
}

fn verdict(p: &Progress, now: Timestamp, tz: &TimeZone) -> String {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let week_days = u32::try_from(today.weekday().to_monday_zero_offset()).unwrap_or(0) + 1;
    let month_days = u32::try_from(today.day()).unwrap_or(1);
    let days_in_month = u32::try_from(today.days_in_month()).unwrap_or(30);
    let conv = (p.conversations_this_week, p.conversations_goal);
    let new = (p.new_contacts_this_month, p.new_contacts_goal);
    let talks = format!(
        "{} of {} {} this week",
        conv.0,
        conv.1,
        if conv.1 == 1 {
            "conversation"
        } else {
            "conversations"
        }
    );
    let people = format!(
        "{} of {} new {} this month",
        new.0,
        new.1,
        if new.1 == 1 { "person" } else { "people" }
    );
    if conv.0 >= conv.1 && new.0 >= new.1 {
        return format!("Goals met: {talks}, {people}.");
    }
    let conv_behind = conv.0 < pace(conv.1, week_days, 7);
    let new_behind = new.0 < pace(new.1, month_days, days_in_month);
    // Each verdict names the numbers it is about, first.
    match (conv_behind, new_behind) {
        (false, false) => format!("On track: {talks}, {people}."),
        (true, false) => format!(
            "Behind on conversations: {talks} ({people}); ask someone for 25 minutes (`rapport request`)."
        ),
        (false, true) => format!(
            "Behind on new people: {people} ({talks}); add the people you meet (`rapport contacts add`)."
        ),
        (true, true) => format!(
            "Behind on both: {talks}, {people}; meet someone new and ask for 25 minutes (`rapport request`)."
        ),
    }
}

/// The last weeks as a small bar chart of conversations, with requests beside them.
/// `ascii` draws with `#` for terminals (or `NO_COLOR`) that ask for plain text.
pub fn chart(p: &Progress, ascii: bool) -> String {
    const WIDTH: u32 = 20;
    let top = p
        .weeks
        .iter()
        .map(|w| w.conversations)
        .max()
        .unwrap_or(0)
        .max(p.conversations_goal)
        .max(1);
    let mut out = format!(
        "Conversations per week (goal {}), requests sent:\n",
        p.conversations_goal
    );
    let last = p.weeks.len().saturating_sub(1);
    for (i, w) in p.weeks.iter().enumerate() {
        // Eighths of a cell, rounded to the nearest.
        let eighths = (w.conversations * WIDTH * 8 + top / 2) / top;
        let bar = bar(eighths, ascii);
        let pad = " ".repeat((WIDTH as usize).saturating_sub(bar.chars().count()));
        let met = if w.conversations >= p.conversations_goal && p.conversations_goal > 0 {
            if ascii { " ok" } else { " ✓" }
        } else {
            ""
        };
        let now = if i == last { "  (this week)" } else { "" };
        out.push_str(&format!(
            "  {}  {bar}{pad} {:>2}{met:<3}  req {:>2}{now}\n",
            w.start.strftime("%m-%d"),
            w.conversations,
            w.requests
        ));
    }
    out
}

fn bar(eighths: u32, ascii: bool) -> String {
    const PARTS: [char; 8] = [' ', '▏', '▎', '▍', '▌', '▋', '▊', '▉'];
    if ascii {
        return "#".repeat(((eighths + 4) / 8) as usize);
    }
    let mut s = "█".repeat((eighths / 8) as usize);
    let part = (eighths % 8) as usize;
    if part > 0 {
        s.push(PARTS[part]);
    }
    s
}

#[cfg(test)]
mod tests;
