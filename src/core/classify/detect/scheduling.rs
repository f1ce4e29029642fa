//! Confirmations, updates and cancellations from scheduling tools
//! (Calendly and kin), recognised by the sending domain. It must never trust
//! a tool's name in the text alone: only its sending domain counts (tools
//! that send from their customer's domain are read in [`super::booking`],
//! by their page links together with their wording and a meeting time).

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::dates;
use super::super::mime::Mail;
use super::super::text::{first_phrase, normalise_for_match, phrase_list};
use super::super::{Evidence, Label, Meeting, ev};

struct Tool {
    name: &'static str,
    domains: &'static [&'static str],
}

const TOOLS: &[Tool] = &[
    Tool {
        name: "Calendly",
        domains: &["calendly.com"],
    },
    Tool {
        name: "Zoom",
        domains: &["zoom.us", "zoom.com"],
    },
    Tool {
        name: "Cal.com",
        domains: &["cal.com"],
    },
    Tool {
        name: "Google Calendar/Meet",
        domains: &[
            "calendar-notification@google.com",
            "calendar.google.com",
            "meet.google.com",
        ],
    },
    Tool {
        name: "Microsoft Teams",
        domains: &["teams.microsoft.com", "email.teams.microsoft.com"],
    },
];

const CANCEL_WORDS: &[&str] = &[
    "canceled",
    "cancelled",
    "cancellation",
    "has been cancelled",
    "has been canceled",
    "abgesagt",
    "annulé",
];
phrase_list!(CANCEL_WORDS_SET = CANCEL_WORDS);
const UPDATE_WORDS: &[&str] = &[
    "rescheduled",
    "updated:",
    "has been updated",
    "has been changed",
    "new time",
    "verschoben",
];
phrase_list!(UPDATE_WORDS_SET = UPDATE_WORDS);
const CONFIRM_WORDS: &[&str] = &[
    "new event",
    "appointment booked",
    "booked an appointment",
    "confirmed",
    "confirmation",
    "has been scheduled",
    "you have scheduled",
    "scheduled a meeting",
    "meeting scheduled",
    "invited you",
    "is inviting you",
    "invitation",
    "booked",
    "new booking",
    "event scheduled",
    "join zoom meeting",
    "join the meeting",
    "join microsoft teams meeting",
];
phrase_list!(CONFIRM_WORDS_SET = CONFIRM_WORDS);

fn sender_domain_matches(from: &str, pattern: &str) -> bool {
    if pattern.contains('@') {
        return from == pattern;
    }
    let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
    domain == pattern || domain.ends_with(&format!(".{pattern}"))
}

/// A scheduling tool's mail, or a meeting reply or booking without an
/// iCalendar part: its label, the meeting it names and the evidence.
pub(crate) fn detect_scheduling(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>)> {
    tool_mail(mail, fresh, r, default_tz)
        .or_else(|| super::booking::reply_by_subject(mail, fresh, r, default_tz))
        .or_else(|| super::booking::booking_page(mail, fresh, r, default_tz))
}

/// Mail from a scheduling tool's own domain.
fn tool_mail(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>)> {
    let from = mail.sender_address();
    let tool = TOOLS
        .iter()
        .find(|t| t.domains.iter().any(|d| sender_domain_matches(from, d)))?;
    let subject = mail.subject.as_deref().unwrap_or("");
    let h = normalise_for_match(&format!(
        "{subject}\n{}",
        fresh.chars().take(8000).collect::<String>()
    ));
    let sh = normalise_for_match(subject);
    let mut evidence = vec![ev("header", format!("From: {from} ({})", tool.name))];
    let label = if let Some(w) =
        first_phrase(&sh, &CANCEL_WORDS_SET).or_else(|| first_phrase(&h, &CANCEL_WORDS_SET))
    {
        evidence.push(ev("phrase", format!("cancellation wording \"{w}\"")));
        Label::MeetingCancel
    } else if let Some(w) =
        first_phrase(&sh, &UPDATE_WORDS_SET).or_else(|| first_phrase(&h, &UPDATE_WORDS_SET))
    {
        evidence.push(ev("phrase", format!("reschedule wording \"{w}\"")));
        Label::MeetingUpdate
    } else if let Some(w) = first_phrase(&h, &CONFIRM_WORDS_SET) {
        evidence.push(ev("phrase", format!("confirmation wording \"{w}\"")));
        Label::MeetingConfirmation
    } else {
        return None;
    };
    let mut meeting = Meeting {
        method: String::new(),
        summary: mail.subject.clone().unwrap_or_default(),
        ..Meeting::default()
    };
    // Prefer the full body text (times are often below a quoted-looking
    // block in tool mails).
    let body = if mail.body_text.len() > fresh.len() {
        mail.body_text.as_str()
    } else {
        fresh
    };
    if let Some(t) = dates::meeting_time(body, r, default_tz) {
        evidence.push(ev(
            "phrase",
            format!("meeting time in the text ({}): {}", t.how, t.start),
        ));
        meeting.start = Some(t.start);
        meeting.end = t.end;
    }
    Some((label, meeting, evidence))
}
