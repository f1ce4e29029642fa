//! What the user should do next for one contact, in words that fit the stage
//! (`rapport contacts show`). The planner says what *rapport* will do; this adds what the
//! *user* can do (answer, record the meeting, approve the waiting draft) and the command
//! for it. Pure: it reads the stage and the open drafts, never the store or the clock.

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::core::classify::Intent;
use crate::core::model::{DraftKind, DraftStatus};
use crate::core::plan::Stage;

/// An open draft as the advice needs it.
pub struct OpenDraft {
    pub id: i64,
    pub kind: DraftKind,
    pub status: DraftStatus,
    pub due: Timestamp,
}

/// Everything the advice reads.
pub struct Facts<'a> {
    /// How the user named the contact (`jessica`), for the commands suggested.
    pub query: &'a str,
    pub stage: &'a Stage,
    /// The planner's own sentence: what rapport will do next.
    pub planner_next: &'a str,
    pub open: &'a [OpenDraft],
    /// A draft the planner will make later by itself (kind, due), if any.
    pub planned: Option<(DraftKind, Timestamp)>,
    /// When they asked the user for a meeting that is not answered yet (filled once
    /// inbound requests are on the timeline).
    pub asked_you: Option<Timestamp>,
    /// A meeting time they proposed that waits for the user: (proposal id, start).
    pub proposed: Option<(i64, Timestamp)>,
    pub now: Timestamp,
    pub tz: &'a TimeZone,
}

fn quoted(q: &str) -> String {
    if q.chars()
        .all(|c| c.is_alphanumeric() || matches!(c, '@' | '.' | '-' | '_' | '+'))
    {
        q.to_string()
    } else {
        format!("'{}'", q.replace('\'', "'\\''"))
    }
}

/// A time to show in an example `--at`: the next working day after `now` at 15:00 in
/// the user's zone (so a hint never suggests a day long past).
pub fn example_at(now: Timestamp, tz: &TimeZone) -> String {
    let mut d = now.to_zoned_datetime(tz.clone()).date();
    for _ in 0..7 {
        d = d.tomorrow().unwrap_or(d);
        if !matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        ) {
            break;
        }
    }
    format!("{d}T15:00")
}

/// The sentence after "next" in `contacts show`.
pub fn next_step(f: &Facts<'_>) -> String {
    let day = |t: Timestamp| t.to_zoned_datetime(f.tz.clone()).date().to_string();
    let q = quoted(f.query);
    if let Some(at) = f.asked_you {
        return format!(
            "they asked you for a meeting on {}: answer them (rapport drafts nothing for this)",
            day(at)
        );
    }
    if let Some(d) = f
        .open
        .iter()
        .filter(|d| d.status == DraftStatus::Pending && d.due <= f.now)
        .min_by_key(|d| d.due)
    {
        return format!(
            "the {} draft {} waits for you: `rapport queue show {}`, then approve, edit or reject it",
            d.kind, d.id, d.id
        );
    }
    if let Some(d) = f
        .open
        .iter()
        .filter(|d| d.status == DraftStatus::Approved)
        .min_by_key(|d| d.due)
    {
        return format!(
            "the {} draft {} is approved: it goes out at the next send inside the window",
            d.kind, d.id
        );
    }
    match f.stage {
        Stage::New => format!("ask them for 25 minutes: `rapport request {q}`"),
        Stage::Replied { intent, .. } => match intent {
            Intent::Yes => match f.proposed {
                Some((id, start)) => format!(
                    "they proposed {}: `rapport meeting confirm {id}` records it (add `--at {}` for another time, or `rapport meeting ignore {id}`)",
                    crate::followup::proposals::when(start, f.tz),
                    start
                        .to_zoned_datetime(f.tz.clone())
                        .strftime("%Y-%m-%dT%H:%M"),
                ),
                None => format!(
                    "waiting for a meeting time — `rapport meeting add {q} --at {}` when agreed",
                    example_at(f.now, f.tz)
                ),
            },
            Intent::Later | Intent::No => f.planner_next.to_string(),
            Intent::Other => format!(
                "they replied: answer them yourself; if rapport misread the reply, `rapport why` and `rapport mark` correct it ({})",
                f.planner_next
            ),
        },
        Stage::Scheduled { start } => format!(
            "meet them on {}; a thank-you is drafted after it (`rapport meeting list {q}`)",
            day(*start)
        ),
        Stage::Met { .. } if !matches!(f.planned, Some((DraftKind::ThankYou, _))) => format!(
            "thank them: the thank-you draft was set aside (`rapport queue --all`), or write one yourself; then `rapport note {q} \"…\"` for the gist"
        ),
        Stage::Declined { .. } => {
            "nothing: they said no; rapport will not write to them again".to_string()
        }
        Stage::Waiting { until } => {
            format!("wait: they asked to come back after {until}; rapport drafts a check-in then")
        }
        _ => f.planner_next.to_string(),
    }
}

#[cfg(test)]
mod tests;
