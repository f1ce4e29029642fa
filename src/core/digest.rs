//! The morning digest's text: what waits for the user today, from plain inputs.
//!
//! Pure: the caller gathers the data (drafts waiting, meetings, and the sections other
//! parts of rapport fill: unsure replies, inbound requests, action items) and passes
//! `now`; this decides whether there is anything to say and words it. It never reads
//! the store, the clock or the network, and never addresses anyone: sending is the
//! caller's, to the user alone.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use jiff::Timestamp;
use jiff::tz::TimeZone;

use crate::core::model::DraftKind;

/// A draft waiting for approval.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DraftItem {
    pub id: i64,
    pub kind: DraftKind,
    pub to_name: String,
    pub why: String,
}

/// A meeting on a timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeetingItem {
    pub start: Timestamp,
    /// A meeting that has ended by the time the digest is written is not listed.
    pub end: Timestamp,
    pub all_day: bool,
    pub with: String,
}

/// One line about a person: a reply to confirm, a request to answer, an action item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonItem {
    pub who: String,
    pub what: String,
}

/// Progress towards one goal (shown, but never a reason to send on its own).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GoalItem {
    pub what: String,
    pub done: u32,
    pub goal: u32,
}

/// Everything the digest may speak of. Sections whose data another part of rapport
/// produces start empty and are filled by their gatherers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DigestInput {
    pub drafts_waiting: Vec<DraftItem>,
    pub replies_to_confirm: Vec<PersonItem>,
    pub requests_to_answer: Vec<PersonItem>,
    /// Meeting times replies proposed, waiting to be confirmed, moved or ignored.
    pub times_proposed: Vec<PersonItem>,
    pub meetings: Vec<MeetingItem>,
    pub action_items_due: Vec<PersonItem>,
    pub goals: Vec<GoalItem>,
    /// Logins that do not work or will stop soon, each said whole (what failed, what to
    /// run): said first, as nothing goes out while a login fails.
    pub logins_failing: Vec<String>,
    /// Now and then, one or two people only ever asked of, with the next step to give
    /// (shown, but never a reason to send on its own).
    pub give: Vec<PersonItem>,
    /// What is wrong with the setup and keeps rapport from seeing what it should (no Sent
    /// folder read): said first, and enough on its own for a digest to go out.
    pub setup_warnings: Vec<String>,
}

/// The digest: a subject, a one-line summary (for a desktop notification), the text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    pub subject: String,
    pub summary: String,
    pub body: String,
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn section(body: &mut String, title: &str, lines: &[String]) {
    if lines.is_empty() {
        return;
    }
    body.push_str(title);
    body.push('\n');
    for l in lines {
        body.push_str("  ");
        body.push_str(l);
        body.push('\n');
    }
    body.push('\n');
}

/// "1 draft to approve", "2 meetings", ... for the sections that have something.
fn counts(input: &DigestInput, meetings: usize) -> Vec<String> {
    [
        (
            input.logins_failing.len(),
            "login needs you",
            "logins need you",
        ),
        (
            input.setup_warnings.len(),
            "setup problem",
            "setup problems",
        ),
        (
            input.drafts_waiting.len(),
            "draft to approve",
            "drafts to approve",
        ),
        (
            input.replies_to_confirm.len(),
            "reply to confirm",
            "replies to confirm",
        ),
        (
            input.requests_to_answer.len(),
            "request to answer",
            "requests to answer",
        ),
        (
            input.times_proposed.len(),
            "proposed time",
            "proposed times",
        ),
        (meetings, "meeting", "meetings"),
        (
            input.action_items_due.len(),
            "action item due",
            "action items due",
        ),
    ]
    .into_iter()
    .filter(|(n, _, _)| *n > 0)
    .map(|(n, one, many)| plural(n, one, many))
    .collect()
}

/// "new people this month: 1 of 4", one line a goal.
fn goal_lines(goals: &[GoalItem]) -> Vec<String> {
    goals
        .iter()
        .map(|g| format!("{}: {} of {}", g.what, g.done, g.goal))
        .collect()
}

/// Builds the digest for the local day of `now`, or `None` when there is nothing to act
/// on (goal progress alone is not worth an email).
pub fn build(input: &DigestInput, now: Timestamp, tz: &TimeZone) -> Option<Digest> {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let tomorrow = today.tomorrow().ok();
    let mut meetings: Vec<&MeetingItem> = input
        .meetings
        .iter()
        .filter(|m| {
            let d = m.start.to_zoned_datetime(tz.clone()).date();
            (d == today || Some(d) == tomorrow) && (m.all_day || m.end > now)
        })
        .collect();
    meetings.sort_by_key(|m| m.start);
    let counts = counts(input, meetings.len());
    if counts.is_empty() {
        return None;
    }
    let summary = counts.join(", ");
    let greeting = match now.to_zoned_datetime(tz.clone()).hour() {
        0..=11 => "Good morning",
        12..=16 => "Good afternoon",
        _ => "Good evening",
    };
    let mut body = format!("{greeting}. Today ({today}): {summary}.\n\n");
    section(
        &mut body,
        "Logins that need you (rapport picks a fixed helper up by itself):",
        &input.logins_failing,
    );
    section(
        &mut body,
        "Setup problems (rapport sees less of your mail than it should):",
        &input.setup_warnings,
    );
    let drafts = draft_lines(&input.drafts_waiting);
    section(
        &mut body,
        "Waiting for your approval (`rapport review` walks through them):",
        &drafts,
    );
    let person = |items: &[PersonItem]| -> Vec<String> {
        items
            .iter()
            .map(|p| format!("{}: {}", p.who, p.what))
            .collect()
    };
    section(
        &mut body,
        "Replies to confirm (`rapport review`):",
        &person(&input.replies_to_confirm),
    );
    section(
        &mut body,
        "They asked you for a meeting; answer them:",
        &person(&input.requests_to_answer),
    );
    section(
        &mut body,
        "Times they proposed; confirm, move or ignore them (`rapport review`):",
        &person(&input.times_proposed),
    );
    let meeting_lines = meeting_lines(&meetings, today, tz);
    section(&mut body, "Meetings:", &meeting_lines);
    section(
        &mut body,
        "Action items due:",
        &person(&input.action_items_due),
    );
    goals_and_give(&mut body, input);
    body.push_str(
        "— rapport (this digest goes only to you; [digest] in the config turns it off)\n",
    );
    Some(Digest {
        subject: format!("rapport: {summary}"),
        summary,
        body,
    })
}

/// "   7  nudge to Jessica Park — why" for each draft waiting for approval.
fn draft_lines(drafts: &[DraftItem]) -> Vec<String> {
    drafts
        .iter()
        .map(|d| format!("{:>4}  {} to {} — {}", d.id, d.kind, d.to_name, d.why))
        .collect()
}

/// The goals, then now and then the people only ever asked of: shown, never counted.
fn goals_and_give(body: &mut String, input: &DigestInput) {
    section(body, "Goals:", &goal_lines(&input.goals));
    let give: Vec<String> = input
        .give
        .iter()
        .map(|p| format!("{}: {}", p.who, p.what))
        .collect();
    section(
        body,
        "Give before you ask: you have only ever asked of",
        &give,
    );
}

/// "today 09:30: Ana" for each of today's and tomorrow's meetings, in `tz`.
fn meeting_lines(
    meetings: &[&MeetingItem],
    today: jiff::civil::Date,
    tz: &TimeZone,
) -> Vec<String> {
    meetings
        .iter()
        .map(|m| {
            let local = m.start.to_zoned_datetime(tz.clone());
            let day = if local.date() == today {
                "today"
            } else {
                "tomorrow"
            };
            if m.all_day {
                format!("{day}, all day: {}", m.with)
            } else {
                format!("{day} {}: {}", local.strftime("%H:%M"), m.with)
            }
        })
        .collect()
}

#[cfg(test)]
mod tests;
