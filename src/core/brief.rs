//! The brief before a meeting (the playbook's "prepare" step): who they are, how you met, the
//! thread so far, your notes and promises, the meeting's time and link, what you want
//! them to know about you, and a short conversation plan from the playbook.
//!
//! Pure: the contact's facts and timeline, the user's facts and narrative, `now` and the
//! zone in; a [`Brief`] (serialisable for `--json`) and its text out. The digest calls
//! [`build`] and [`render_text`] for tomorrow's meetings ([`tomorrow`] gives the window).
//! It must never read the store, the clock or the network.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use jiff::tz::TimeZone;
use jiff::{Timestamp, ZonedDateTime};
use serde::Serialize;

use crate::core::model::{InteractionKind, Tier};
use crate::core::todo::{ActionItem, order_open};

/// The contact as the brief needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Person {
    pub id: i64,
    pub name: String,
    pub emails: Vec<String>,
    pub company: String,
    pub role: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub link: String,
    /// Where the contact came from (manual, import, detected) and when it was added.
    pub source: String,
    pub added: Option<Timestamp>,
    /// When and how you met, as an import recorded it ("Connected on LinkedIn" on the
    /// day LinkedIn gives): history that comes before anything rapport saw.
    pub met: Option<(Timestamp, String)>,
}

/// A calendar event on the timeline (scheduled, moved, cancelled, declined).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Slot {
    pub uid: String,
    pub start: Option<Timestamp>,
    pub end: Option<Timestamp>,
    /// A video-call or booking link found with it.
    pub link: Option<String>,
}

/// One timeline entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub at: Timestamp,
    pub kind: InteractionKind,
    pub summary: String,
    pub slot: Option<Slot>,
}

/// Everything the store knows that goes into a brief.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Input {
    pub person: Person,
    /// Oldest first.
    pub timeline: Vec<Entry>,
    pub todos: Vec<ActionItem>,
}

/// What the user wants the people they meet to know (`[identity] facts`, `narrative`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prep {
    pub facts: Vec<String>,
    pub narrative: String,
}

/// The next meeting, in the user's zone.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NextMeeting {
    pub start: Timestamp,
    pub end: Timestamp,
    /// "Tue 2026-11-10 15:00–15:25 Europe/London".
    pub when: String,
    pub minutes: i64,
    pub tomorrow: bool,
    pub link: Option<String>,
}

/// A dated line of the brief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Line {
    pub day: String,
    pub text: String,
}

/// The brief, ready to print or serialise.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Brief {
    pub contact_id: i64,
    pub name: String,
    pub company: String,
    pub role: String,
    pub tier: Tier,
    pub tags: Vec<String>,
    pub profile: String,
    pub email: String,
    /// How and when you met: the first interaction (or when the contact was added).
    pub met: Option<Line>,
    /// The last few exchanges, oldest first.
    pub thread: Vec<Line>,
    pub notes: Vec<Line>,
    /// Open action items: (id, text, due label).
    pub action_items: Vec<(i64, String, String)>,
    pub next_meeting: Option<NextMeeting>,
    pub facts: Vec<String>,
    pub narrative: String,
    /// The conversation plan, in order.
    pub plan: Vec<String>,
    /// How often you asked of them and gave to them.
    pub balance: crate::core::balance::Balance,
}

/// How many exchanges "the thread so far" shows.
pub const THREAD_LINES: usize = 6;

/// The window "tomorrow" covers in the user's zone: [start of tomorrow, start of the day
/// after). `None` only at the end of representable time.
pub fn tomorrow(now: Timestamp, tz: &TimeZone) -> Option<(Timestamp, Timestamp)> {
    let today = now.to_zoned_datetime(tz.clone()).date();
    let from = today.tomorrow().ok()?.to_zoned_datetime(tz.clone()).ok()?;
    let to = from
        .date()
        .tomorrow()
        .ok()?
        .to_zoned_datetime(tz.clone())
        .ok()?;
    Some((from.timestamp(), to.timestamp()))
}

/// Builds the brief for one contact.
pub fn build(input: &Input, prep: &Prep, now: Timestamp, tz: &TimeZone) -> Brief {
    let p = &input.person;
    let local = |t: Timestamp| t.to_zoned_datetime(tz.clone());
    let day = |t: Timestamp| local(t).date().to_string();
    let today = local(now).date();
    let met = how_met(input, tz);
    let exchanges: Vec<&Entry> = input
        .timeline
        .iter()
        .filter(|e| is_exchange(e.kind) && e.at <= now)
        .collect();
    let thread = exchanges
        .iter()
        .skip(exchanges.len().saturating_sub(THREAD_LINES))
        .map(|e| Line {
            day: day(e.at),
            text: phrase(e),
        })
        .collect();
    let notes = input
        .timeline
        .iter()
        .filter(|e| {
            matches!(
                e.kind,
                InteractionKind::Note | InteractionKind::NextContactAgreed
            )
        })
        .map(|e| Line {
            day: day(e.at),
            text: e.summary.clone(),
        })
        .collect();
    let action_items = order_open(&input.todos, today)
        .into_iter()
        .map(|i| {
            let label = i.due_label(today);
            (i.id, i.text, label)
        })
        .collect();
    let next_meeting = next_meeting(&input.timeline, now, tz);
    let mut brief = Brief {
        contact_id: p.id,
        name: if p.name.is_empty() {
            p.emails
                .first()
                .cloned()
                .unwrap_or_else(|| format!("#{}", p.id))
        } else {
            p.name.clone()
        },
        company: p.company.clone(),
        role: p.role.clone(),
        tier: p.tier,
        tags: p.tags.clone(),
        profile: p.link.clone(),
        email: p.emails.first().cloned().unwrap_or_default(),
        met,
        thread,
        notes,
        action_items,
        next_meeting,
        facts: prep
            .facts
            .iter()
            .map(|f| f.trim().to_string())
            .filter(|f| !f.is_empty())
            .collect(),
        narrative: prep.narrative.trim().to_string(),
        plan: Vec::new(),
        balance: crate::core::balance::Balance::of(input.timeline.iter().map(|e| e.kind)),
    };
    brief.plan = conversation_plan(&brief);
    brief
}

/// How and when you met: what an import says (LinkedIn's "Connected On") when it comes
/// before everything else, else the first interaction that is not a note, else when the
/// contact was added.
fn how_met(input: &Input, tz: &TimeZone) -> Option<Line> {
    let day = |t: Timestamp| t.to_zoned_datetime(tz.clone()).date().to_string();
    let first = input
        .timeline
        .iter()
        .find(|e| e.kind != InteractionKind::Note);
    if let Some((at, text)) = &input.person.met
        && first.is_none_or(|e| *at <= e.at)
    {
        return Some(Line {
            day: day(*at),
            text: text.clone(),
        });
    }
    first
        .map(|e| Line {
            day: day(e.at),
            text: phrase(e),
        })
        .or_else(|| {
            input.person.added.map(|at| Line {
                day: day(at),
                text: format!("added to rapport ({})", input.person.source),
            })
        })
}

/// A timeline entry in words. What rapport sent is recorded under its subject alone, so
/// it gets a "you asked / nudged / checked in" in front.
fn phrase(e: &Entry) -> String {
    let lead = match e.kind {
        InteractionKind::RequestSent => "you asked for a meeting",
        InteractionKind::NudgeSent => "you nudged",
        InteractionKind::CheckInSent => "you checked in",
        InteractionKind::ThankYouSent => "you thanked them",
        InteractionKind::EmailSent => "you wrote",
        _ => return e.summary.clone(),
    };
    if e.summary.starts_with("you ") {
        e.summary.clone()
    } else {
        format!("{lead}: {}", e.summary)
    }
}

/// Mail and meetings between the two of you (not notes, machines or bookkeeping).
fn is_exchange(kind: InteractionKind) -> bool {
    !matches!(
        kind,
        InteractionKind::Note
            | InteractionKind::NextContactAgreed
            | InteractionKind::AutoReply
            | InteractionKind::Bounce
    )
}

/// The meetings the user recorded that merge into an invitation
/// ([`crate::core::meetings::merges`]): their key → the invitation's UID.
fn merged_keys(timeline: &[Entry]) -> std::collections::BTreeMap<String, String> {
    let entries: Vec<crate::core::meetings::CalendarEntry<'_>> = timeline
        .iter()
        .filter_map(|e| {
            let s = e.slot.as_ref().filter(|s| !s.uid.is_empty())?;
            Some(crate::core::meetings::CalendarEntry {
                key: &s.uid,
                kind: e.kind,
                start: s.start.or(s.end),
            })
        })
        .collect();
    crate::core::meetings::merges(&entries)
}

/// The earliest meeting that has not ended and was not cancelled, folded by UID: the
/// latest schedule or move gives the time, a later cancel or decline removes it.
pub fn next_meeting(timeline: &[Entry], now: Timestamp, tz: &TimeZone) -> Option<NextMeeting> {
    let mut slots: Vec<(String, Timestamp, Timestamp, Option<String>, bool)> = Vec::new();
    let aliases = merged_keys(timeline);
    for e in timeline {
        let Some(s) = &e.slot else { continue };
        let merged = aliases.get(&s.uid);
        let uid = merged.unwrap_or(&s.uid);
        let found = slots.iter().position(|m| !uid.is_empty() && m.0 == *uid);
        match e.kind {
            InteractionKind::MeetingScheduled | InteractionKind::MeetingMoved => {
                let Some(start) = s.start.or(s.end) else {
                    continue;
                };
                let end = s.end.unwrap_or(start).max(start);
                let link = s.link.clone();
                match found {
                    // The invitation's time and link stand over the user's own record.
                    Some(i) if merged.is_some() => {
                        let old = slots[i].3.take();
                        slots[i].3 = old.or(link);
                    }
                    Some(i) => {
                        let old = slots[i].3.take();
                        slots[i] = (uid.clone(), start, end, link.or(old), false);
                    }
                    None => slots.push((uid.clone(), start, end, link, false)),
                }
            }
            InteractionKind::MeetingCancelled | InteractionKind::MeetingDeclined => {
                if let Some(i) = found {
                    slots[i].4 = true;
                }
            }
            _ => {}
        }
    }
    let (_, start, end, link, _) = slots
        .into_iter()
        .filter(|m| !m.4 && m.2 > now)
        .min_by_key(|m| m.1)?;
    let (s, e) = (
        start.to_zoned_datetime(tz.clone()),
        end.to_zoned_datetime(tz.clone()),
    );
    let tomorrow = tomorrow(now, tz).is_some_and(|(a, b)| start >= a && start < b);
    Some(NextMeeting {
        start,
        end,
        when: format!(
            "{}–{} {}",
            s.strftime("%a %Y-%m-%d %H:%M"),
            e.strftime("%H:%M"),
            zone_name(&s)
        ),
        minutes: (end.as_second() - start.as_second()) / 60,
        tomorrow,
        link,
    })
}

fn zone_name(z: &ZonedDateTime) -> String {
    z.time_zone()
        .iana_name()
        .map_or_else(|| z.strftime("%:z").to_string(), str::to_string)
}

/// The playbook's conversation plan, filled in with what the brief knows.
fn conversation_plan(b: &Brief) -> Vec<String> {
    let minutes = b.next_meeting.as_ref().map_or(25, |m| m.minutes.max(1));
    let first = b.name.split_whitespace().next().unwrap_or(&b.name);
    let mut plan = Vec::new();
    plan.push(match &b.met {
        Some(m) => format!(
            "Open: thank {first} for the time; recall how you met ({}).",
            m.day
        ),
        None => format!("Open: thank {first} for the time."),
    });
    plan.push(if b.facts.is_empty() && b.narrative.is_empty() {
        "Share who you are in two sentences (set [identity] facts and narrative to have them here)."
            .to_string()
    } else if b.narrative.is_empty() {
        format!("Share: {}.", b.facts.join("; "))
    } else {
        format!("Share your story: {}", b.narrative)
    });
    let work = match (b.role.is_empty(), b.company.is_empty()) {
        (false, false) => format!("their work as {} at {}", b.role, b.company),
        (true, false) => format!("their work at {}", b.company),
        (false, true) => format!("their work as {}", b.role),
        (true, true) => "their work".to_string(),
    };
    plan.push(format!(
        "Ask about {work}; listen more than you talk, and take notes."
    ));
    if !b.action_items.is_empty() {
        let items: Vec<&str> = b.action_items.iter().map(|(_, t, _)| t.as_str()).collect();
        plan.push(format!(
            "Report back on what you promised: {}.",
            items.join("; ")
        ));
    }
    plan.push(format!(
        "Keep to the {minutes} minutes; before you part, agree when to talk again."
    ));
    plan.push(format!(
        "Afterwards: `rapport note {first} \"the gist\" --next-contact DATE` and `rapport todo` for each promise; the thank-you is drafted for you."
    ));
    plan
}

/// Finds a video-call or booking link in text (Zoom, Meet, Teams, Webex, Whereby, Jitsi,
/// Calendly, Cal.com): the first https URL on one of those hosts.
pub fn meeting_link(text: &str) -> Option<String> {
    const HOSTS: &[&str] = &[
        "zoom.us",
        "meet.google.com",
        "teams.microsoft.com",
        "teams.live.com",
        "webex.com",
        "whereby.com",
        "meet.jit.si",
        "calendly.com",
        "cal.com",
    ];
    text.split(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"' | '(' | ')'))
        .filter_map(|w| w.strip_prefix("https://").map(|rest| (w, rest)))
        .find(|(_, rest)| {
            let host = rest
                .split(['/', '?', '#'])
                .next()
                .unwrap_or("")
                .to_ascii_lowercase();
            HOSTS
                .iter()
                .any(|h| host == *h || host.ends_with(&format!(".{h}")))
        })
        .map(|(w, _)| w.trim_end_matches(['.', ',', ';']).to_string())
}

/// The brief as plain text, safe to pipe (no colour, no control characters from input).
pub fn render_text(b: &Brief) -> String {
    let mut out = TextOut(String::new());
    render_head(b, &mut out);
    render_sections(b, &mut out);
    out.0
}

/// The plain-text brief being written: every line has its control characters blanked, so
/// a name or note from the mailbox cannot move the terminal's cursor.
struct TextOut(String);

impl TextOut {
    fn line(&mut self, s: &str) {
        self.0
            .extend(s.chars().map(|c| if c.is_control() { ' ' } else { c }));
        self.0.push('\n');
    }

    fn section(&mut self, title: &str, rows: Vec<String>, empty: &str) {
        self.line("");
        self.line(title);
        if rows.is_empty() {
            self.line(&format!("  {empty}"));
        }
        for r in rows {
            self.line(&format!("  {r}"));
        }
    }
}

/// Who they are, how to reach them and the next meeting.
fn render_head(b: &Brief, out: &mut TextOut) {
    let works = match (b.role.is_empty(), b.company.is_empty()) {
        (false, false) => format!(" — {} at {}", b.role, b.company),
        (true, false) => format!(" — {}", b.company),
        (false, true) => format!(" — {}", b.role),
        (true, true) => String::new(),
    };
    out.line(&format!("Brief: {}{works}", b.name));
    let tags = if b.tags.is_empty() {
        String::new()
    } else {
        format!(" (tags: {})", b.tags.join(", "))
    };
    out.line(&format!("  tier      {}{tags}", b.tier));
    out.line(&format!("  balance   {}", b.balance.words()));
    if !b.email.is_empty() {
        out.line(&format!("  email     {}", b.email));
    }
    if !b.profile.is_empty() {
        out.line(&format!("  profile   {}", b.profile));
    }
    match &b.next_meeting {
        Some(m) => {
            let tomorrow = if m.tomorrow { " (tomorrow)" } else { "" };
            out.line(&format!("  meeting   {}{tomorrow}", m.when));
            out.line(&format!(
                "  link      {}",
                m.link
                    .as_deref()
                    .unwrap_or("none recorded (check the invitation)")
            ));
        }
        None => out.line("  meeting   none scheduled"),
    }
}

/// The history, the notes, the open items and what to say.
fn render_sections(b: &Brief, out: &mut TextOut) {
    let dated = |v: &[Line]| v.iter().map(|l| format!("{}  {}", l.day, l.text)).collect();
    out.section(
        "How you met",
        b.met
            .iter()
            .map(|m| format!("{}  {}", m.day, m.text))
            .collect(),
        "not recorded",
    );
    out.section("The thread so far", dated(&b.thread), "nothing yet");
    out.section(
        "Your notes",
        dated(&b.notes),
        "none (`rapport note` adds one)",
    );
    out.section(
        "Open action items",
        b.action_items
            .iter()
            .map(|(id, t, l)| {
                if l.is_empty() {
                    format!("{id:>3}  {t}")
                } else {
                    format!("{id:>3}  {t}  ({l})")
                }
            })
            .collect(),
        "none",
    );
    let mut share: Vec<String> = b.facts.iter().map(|f| format!("- {f}")).collect();
    if !b.narrative.is_empty() {
        share.push(format!("Narrative: {}", b.narrative));
    }
    out.section(
        "What you want them to know",
        share,
        "set [identity] facts and narrative in your config",
    );
    out.section(
        "Conversation plan",
        b.plan
            .iter()
            .enumerate()
            .map(|(i, p)| format!("{}. {p}", i + 1))
            .collect(),
        "",
    );
}

#[cfg(test)]
mod tests;
