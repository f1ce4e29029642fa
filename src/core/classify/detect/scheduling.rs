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
        name: "SavvyCal",
        domains: &["savvycal.com"],
    },
    Tool {
        name: "Zcal",
        domains: &["zcal.co"],
    },
    Tool {
        name: "TidyCal",
        domains: &["tidycal.com"],
    },
    Tool {
        name: "YouCanBook.me",
        domains: &["youcanbook.me"],
    },
    Tool {
        name: "Acuity Scheduling",
        domains: &["acuityscheduling.com"],
    },
    Tool {
        name: "Chili Piper",
        domains: &["chilipiper.com"],
    },
    Tool {
        name: "Doodle",
        domains: &["doodle.com"],
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
    "storniert",
    "annulé",
    "annulée",
    "cancelado",
    "cancelada",
    "annullato",
    "annullata",
    "geannuleerd",
    "avbokad",
    "aflyst",
    "avlyst",
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

/// The scheduling tool whose own domain sent `mail` ("Calendly" for
/// `notifications@calendly.com`), if one did.
pub(crate) fn tool_of_own_domain(mail: &Mail) -> Option<&'static str> {
    let from = mail.sender_address();
    TOOLS
        .iter()
        .find(|t| t.domains.iter().any(|d| sender_domain_matches(from, d)))
        .map(|t| t.name)
}

fn sender_domain_matches(from: &str, pattern: &str) -> bool {
    if pattern.contains('@') {
        return from == pattern;
    }
    let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
    domain == pattern || domain.ends_with(&format!(".{pattern}"))
}

/// A scheduling tool's mail, or a meeting reply or booking without an
/// iCalendar part: its label, the meeting it names, the evidence and, when the
/// reading is not vouched for, why.
pub(crate) fn detect_scheduling(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>, Option<String>)> {
    let sure = |(l, m, e)| (l, m, e, None);
    tool_mail(mail, fresh, r, default_tz)
        .or_else(|| super::booking::reply_by_subject(mail, fresh, r, default_tz))
        .or_else(|| super::booking::booking_page(mail, fresh, r, default_tz).map(sure))
        .or_else(|| super::booking::booking_notice(mail, fresh, r, default_tz))
}

/// The tool an automated sender names, and whether it names it twice (the display
/// name is the tool's and the domain carries its name: "Calendly
/// <notifications@calendly.example>", "zcal <no-reply@zcal.example>"). Once is
/// enough to read it, for a name no ordinary domain is made of (five letters or
/// more) or a display name that is exactly the tool's; twice vouches for it.
fn tool_by_name(mail: &Mail) -> Option<(&'static Tool, bool)> {
    let from = mail.sender_address();
    if !super::is_machine_sender(from) {
        return None;
    }
    let domain = from.rsplit_once('@').map_or("", |(_, d)| d);
    let labels: Vec<&str> = domain.split('.').collect();
    let names = labels.get(..labels.len().saturating_sub(1)).unwrap_or(&[]);
    let display = mail
        .from
        .as_ref()
        .and_then(|f| f.name.as_deref())
        .unwrap_or("")
        .trim()
        .to_lowercase();
    TOOLS.iter().find_map(|t| {
        let label = |n: &&str| names.iter().any(|l| l.eq_ignore_ascii_case(n));
        let stems: Vec<&str> = t
            .domains
            .iter()
            .filter(|d| !d.contains('@'))
            .filter_map(|d| d.split('.').next())
            .collect();
        let in_domain = stems.iter().any(label);
        let long_in_domain = stems.iter().filter(|n| n.len() >= 5).any(label);
        let named = !display.is_empty() && display == t.name.to_lowercase();
        (long_in_domain || named).then_some((t, named && in_domain))
    })
}

/// Whether a list or a mass mailer sent it (a tool's newsletter is no booking).
fn is_list_or_bulk(mail: &Mail) -> bool {
    mail.has_header("list-id")
        || mail.has_header("list-unsubscribe")
        || mail
            .header("precedence")
            .is_some_and(|p| matches!(p.trim().to_ascii_lowercase().as_str(), "bulk" | "list"))
}

/// Mail from a scheduling tool's own domain (sure), or from a domain carrying its
/// name under another suffix (the same reading, unsure: a doubt is returned).
fn tool_mail(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>, Option<String>)> {
    let from = mail.sender_address();
    let own = TOOLS
        .iter()
        .find(|t| t.domains.iter().any(|d| sender_domain_matches(from, d)));
    let by_name = own.is_none().then(|| tool_by_name(mail)).flatten();
    let tool = own.or(by_name.map(|(t, _)| t))?;
    let vouched = own.is_some() || by_name.is_some_and(|(_, twice)| twice);
    if own.is_none() && is_list_or_bulk(mail) {
        return None;
    }
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
    if own.is_none() && meeting.start.is_none() {
        return None;
    }
    let doubt = (!vouched).then(|| {
        format!(
            "sent from {from}, which names {} but is not its domain",
            tool.name
        )
    });
    if own.is_none() && vouched {
        evidence.push(ev(
            "header",
            format!("the sender's name and domain both name {}", tool.name),
        ));
    }
    Some((label, meeting, evidence, doubt))
}
