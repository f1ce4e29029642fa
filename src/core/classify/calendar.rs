//! Calendar content in mail: `text/calendar` parts and `.ics` attachments of
//! any content type, or a bare `.ics` file. Maps the iTIP method to a label
//! and reads the meeting (UID, RECURRENCE-ID, SEQUENCE, times in UTC,
//! organizer, attendee statuses).
//!
//! Rules, in order:
//! - several VCALENDAR objects with *different* METHODs in one part or file
//!   are an iTIP stream (test data, exports), not one message: `other`;
//! - REQUEST → `meeting_invite` (SEQUENCE > 0 is noted as an update in the
//!   evidence; the label stays `meeting_invite`, as in the golden corpus,
//!   unless the subject also says so with a client's update prefix,
//!   "Updated invitation:", "Aktualisierte Einladung:" …: `meeting_update`);
//!   ADD → `meeting_update`; CANCEL → `meeting_cancel`;
//! - REPLY → the replying attendee's PARTSTAT: ACCEPTED / DECLINED /
//!   TENTATIVE → `meeting_accept` / `meeting_decline` / `meeting_tentative`
//!   (the Subject prefix "Accepted:" etc. is the fallback); a REPLY carrying
//!   only VFREEBUSY is `other`;
//! - PUBLISH or no METHOD is not an invitation: `meeting_confirmation` when
//!   the message words it as a booking or confirmation (subject or text says
//!   booking, booked, confirmed, appointment, reservation, scheduled …),
//!   otherwise `other` (an event shared for information);
//! - COUNTER, DECLINECOUNTER, REFRESH → `other`.

use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::ical::{self, Component, VTimezone};
use super::mime::{Mail, Part, looks_like_vcalendar};
use super::text::{first_phrase, normalise_for_match, phrase_list};
use super::{Evidence, Label, Meeting, ev};

pub(crate) struct CalendarFinding {
    pub label: Label,
    pub meeting: Option<Meeting>,
    pub evidence: Vec<Evidence>,
}

struct Source {
    describe: String,
    method_param: Option<String>,
    is_text_calendar: bool,
    calendars: Vec<Component>,
}

fn is_calendar_part(p: &Part) -> bool {
    p.subtype == "calendar"
        || p.subtype == "ics"
        || p.subtype == "x-vcalendar"
        || p.filename.as_deref().is_some_and(|f| {
            let f = f.to_ascii_lowercase();
            f.ends_with(".ics")
                || f.ends_with(".ical")
                || f.ends_with(".vcs")
                || f.ends_with(".ifb")
        })
}

fn calendars_of(text: &str) -> Vec<Component> {
    ical::parse(text)
        .into_iter()
        .filter(|c| c.name == "VCALENDAR")
        .collect()
}

fn method_of(cal: &Component) -> Option<String> {
    cal.value("METHOD")
        .map(|m| m.trim().to_ascii_uppercase())
        .filter(|m| !m.is_empty())
}

/// Calendar content of a mail, if any.
pub(crate) fn from_mail(
    mail: &Mail,
    default_tz: &TimeZone,
    subject: &str,
    body: &str,
) -> Option<CalendarFinding> {
    let mut sources = Vec::new();
    for p in &mail.parts {
        let bytes_look_like = match &p.content {
            super::mime::PartContent::Bytes(b) => looks_like_vcalendar(b),
            super::mime::PartContent::Text(t) => {
                p.ctype == "text"
                    && p.subtype != "plain"
                    && p.subtype != "html"
                    && looks_like_vcalendar(t.as_bytes())
            }
            _ => false,
        };
        if !(is_calendar_part(p) || bytes_look_like) {
            continue;
        }
        let Some(text) = p.text() else { continue };
        let calendars = calendars_of(&text);
        if calendars.is_empty() {
            continue;
        }
        let describe = match &p.filename {
            Some(f) => format!("{}/{} part \"{}\"", p.ctype, p.subtype, f),
            None => format!("{}/{} part", p.ctype, p.subtype),
        };
        sources.push(Source {
            describe,
            method_param: p.param("method").map(|m| m.trim().to_ascii_uppercase()),
            is_text_calendar: p.ctype == "text" && p.subtype == "calendar",
            calendars,
        });
    }
    classify_sources(sources, default_tz, subject, body, mail.sender_address())
}

/// A bare iCalendar file.
pub(crate) fn from_ics(text: &str, default_tz: &TimeZone) -> Option<CalendarFinding> {
    let calendars = calendars_of(text);
    if calendars.is_empty() {
        return None;
    }
    let src = Source {
        describe: "bare iCalendar file".into(),
        method_param: None,
        is_text_calendar: true,
        calendars,
    };
    classify_sources(vec![src], default_tz, "", "", "")
}

fn classify_sources(
    sources: Vec<Source>,
    default_tz: &TimeZone,
    subject: &str,
    body: &str,
    from: &str,
) -> Option<CalendarFinding> {
    if sources.is_empty() {
        return None;
    }
    let mut evidence = Vec::new();
    if let Some(e) = itip_stream(&sources) {
        evidence.push(e);
        return Some(CalendarFinding {
            label: Label::Other,
            meeting: None,
            evidence,
        });
    }
    let src = primary_source(&sources)?;
    let cal = src.calendars.first()?;
    let method = method_of(cal)
        .or_else(|| src.method_param.clone())
        .unwrap_or_default();
    evidence.push(ev(
        "part",
        if method.is_empty() {
            format!("calendar without METHOD in {}", src.describe)
        } else {
            format!("METHOD:{method} in {}", src.describe)
        },
    ));

    let timezones: Vec<VTimezone> = src
        .calendars
        .iter()
        .flat_map(|c| c.children_named("VTIMEZONE"))
        .filter_map(ical::vtimezone)
        .collect();
    let events: Vec<&Component> = src
        .calendars
        .iter()
        .flat_map(|c| c.children_named("VEVENT"))
        .collect();
    let Some(event) = events
        .iter()
        .find(|e| e.prop("RECURRENCE-ID").is_none())
        .or_else(|| events.first())
        .copied()
    else {
        return Some(without_event(src, &method, from, subject, body, evidence));
    };

    let meeting = read_meeting(event, &method, &timezones, default_tz, &mut evidence);
    if method == "REQUEST" && meeting.sequence > 0 {
        evidence.push(ev(
            "ics",
            format!(
                "SEQUENCE:{} (an update of an earlier invitation)",
                meeting.sequence
            ),
        ));
    }
    let mut label = method_label(&method, Some(event), from, subject, body, &mut evidence);
    if label == Label::MeetingInvite
        && meeting.sequence > 0
        && let Some(p) = update_prefix(subject)
    {
        evidence.push(ev(
            "header",
            format!("Subject starts with \"{p}\": an update of an earlier invitation"),
        ));
        label = Label::MeetingUpdate;
    }
    Some(CalendarFinding {
        label,
        meeting: Some(meeting),
        evidence,
    })
}

/// A source holding calendars of different methods: an iTIP stream (a
/// sync dump), not one message; the evidence that says so.
fn itip_stream(sources: &[Source]) -> Option<Evidence> {
    sources.iter().find_map(|s| {
        let mut distinct: Vec<String> = s.calendars.iter().filter_map(method_of).collect();
        distinct.sort();
        distinct.dedup();
        (distinct.len() > 1).then(|| {
            ev(
                "structure",
                format!(
                    "{} holds {} calendar objects with different methods ({}): an iTIP stream, not one message",
                    s.describe,
                    s.calendars.len(),
                    distinct.join(", ")
                ),
            )
        })
    })
}

/// The source that speaks for the message: a text/calendar part with a
/// method, else any with a method, else the first.
fn primary_source(sources: &[Source]) -> Option<&Source> {
    let has_method =
        |s: &Source| s.method_param.is_some() || s.calendars.iter().any(|c| method_of(c).is_some());
    let idx = sources
        .iter()
        .position(|s| s.is_text_calendar && has_method(s))
        .or_else(|| sources.iter().position(has_method))
        .unwrap_or(0);
    sources.get(idx)
}

/// A calendar with no VEVENT: a free/busy, to-do or journal object is not
/// a meeting; otherwise (content cut or unreadable) the method decides.
fn without_event(
    src: &Source,
    method: &str,
    from: &str,
    subject: &str,
    body: &str,
    mut evidence: Vec<Evidence>,
) -> CalendarFinding {
    let other_component = src
        .calendars
        .iter()
        .flat_map(|c| c.children.iter())
        .find(|c| matches!(c.name.as_str(), "VFREEBUSY" | "VTODO" | "VJOURNAL"));
    if let Some(comp) = other_component {
        evidence.push(ev(
            "ics",
            format!("{} with METHOD:{method}: not a meeting", comp.name),
        ));
        return CalendarFinding {
            label: Label::Other,
            meeting: None,
            evidence,
        };
    }
    evidence.push(ev(
        "ics",
        format!("no readable VEVENT; METHOD:{method} decides"),
    ));
    let label = method_label(method, None, from, subject, body, &mut evidence);
    CalendarFinding {
        label,
        meeting: None,
        evidence,
    }
}

/// The subject prefixes calendar clients put on an updated invitation.
const UPDATE_PREFIXES: &[&str] = &[
    "updated invitation",
    "update:",
    "updated:",
    "aktualisierte einladung",
    "geänderte einladung",
    "invitation mise à jour",
    "invitation modifiée",
    "invitación actualizada",
    "invito aggiornato",
    "convite atualizado",
    "bijgewerkte uitnodiging",
    "uppdaterad inbjudan",
    "opdateret invitation",
    "oppdatert invitasjon",
    "更新された招待",
    "招待状が更新",
];

/// The update prefix the subject starts with, if any.
fn update_prefix(subject: &str) -> Option<&'static str> {
    let s = normalise_for_match(subject);
    let s = s.trim_start();
    UPDATE_PREFIXES.iter().copied().find(|p| s.starts_with(p))
}

fn method_label(
    method: &str,
    event: Option<&Component>,
    from: &str,
    subject: &str,
    body: &str,
    evidence: &mut Vec<Evidence>,
) -> Label {
    let subject_lower = normalise_for_match(subject);
    match method {
        "REQUEST" => Label::MeetingInvite,
        "ADD" => Label::MeetingUpdate,
        "CANCEL" => Label::MeetingCancel,
        "REPLY" => reply_label(event, from, &subject_lower, evidence),
        "PUBLISH" | "" => {
            let words = normalise_for_match(&format!(
                "{subject}\n{}",
                body.chars().take(4000).collect::<String>()
            ));
            match first_phrase(&words, &CONFIRM_WORDS_SET) {
                Some(w) => {
                    evidence.push(ev(
                        "phrase",
                        format!("booking wording \"{w}\" with a published event"),
                    ));
                    Label::MeetingConfirmation
                }
                None => {
                    evidence.push(ev(
                        "structure",
                        "published event without booking or confirmation wording: shared for information, not an invitation",
                    ));
                    Label::Other
                }
            }
        }
        other => {
            evidence.push(ev(
                "ics",
                format!("METHOD:{other} is not an invitation, reply or cancellation"),
            ));
            Label::Other
        }
    }
}

const CONFIRM_WORDS: &[&str] = &[
    "booking",
    "booked",
    "confirmed",
    "confirmation",
    "confirming",
    "appointment",
    "reservation",
    "scheduled",
    "your visit",
    "bestätigung",
    "termin",
    "buchung",
    "réservation",
    "rendez-vous",
    "reserva",
];
phrase_list!(CONFIRM_WORDS_SET = CONFIRM_WORDS);

fn reply_label(
    event: Option<&Component>,
    from: &str,
    subject_lower: &str,
    evidence: &mut Vec<Evidence>,
) -> Label {
    let attendees: Vec<(String, Option<String>)> = event
        .map(|e| {
            e.props_named("ATTENDEE")
                .map(|p| {
                    (
                        ical::cal_address(&p.value),
                        p.param("PARTSTAT").map(|s| s.trim().to_ascii_uppercase()),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    let chosen = attendees
        .iter()
        .find(|(a, ps)| !from.is_empty() && a == from && ps.is_some())
        .or_else(|| attendees.iter().find(|(_, ps)| ps.is_some()));
    if let Some((addr, Some(ps))) = chosen {
        let label = match ps.as_str() {
            "ACCEPTED" => Some(Label::MeetingAccept),
            "DECLINED" => Some(Label::MeetingDecline),
            "TENTATIVE" => Some(Label::MeetingTentative),
            _ => None,
        };
        if let Some(l) = label {
            evidence.push(ev("ics", format!("ATTENDEE {addr} PARTSTAT={ps}")));
            return l;
        }
    }
    // Fallback: the subject prefix clients put on replies.
    let prefixes: &[(&str, Label)] = &[
        (" accepted:", Label::MeetingAccept),
        (" zugesagt:", Label::MeetingAccept),
        (" accepté:", Label::MeetingAccept),
        (" aceptado:", Label::MeetingAccept),
        (" declined:", Label::MeetingDecline),
        (" abgelehnt:", Label::MeetingDecline),
        (" abgesagt:", Label::MeetingDecline),
        (" refusé:", Label::MeetingDecline),
        (" rechazado:", Label::MeetingDecline),
        (" tentative:", Label::MeetingTentative),
        (" tentatively accepted:", Label::MeetingTentative),
        (" mit vorbehalt:", Label::MeetingTentative),
        (" vorläufig:", Label::MeetingTentative),
    ];
    for (p, l) in prefixes {
        if subject_lower.starts_with(p) {
            evidence.push(ev(
                "header",
                format!("Subject starts with \"{}\"", p.trim()),
            ));
            return *l;
        }
    }
    evidence.push(ev("ics", "REPLY without an attendee status"));
    Label::Other
}

fn read_meeting(
    event: &Component,
    method: &str,
    timezones: &[VTimezone],
    default_tz: &TimeZone,
    evidence: &mut Vec<Evidence>,
) -> Meeting {
    let uid = event
        .value("UID")
        .map(|u| u.trim().to_string())
        .unwrap_or_default();
    let sequence = event
        .value("SEQUENCE")
        .or_else(|| event.value("X-MICROSOFT-CDO-APPT-SEQUENCE"))
        .and_then(|s| s.trim().parse::<i64>().ok())
        .unwrap_or(0);
    let recurrence_id =
        event
            .prop("RECURRENCE-ID")
            .map(|p| match ical::resolve_time(p, timezones, default_tz) {
                Some(r) if r.all_day => p.value.trim().to_string(),
                Some(r) => r.at.to_string(),
                None => p.value.trim().to_string(),
            });
    let start = event
        .prop("DTSTART")
        .and_then(|p| ical::resolve_time(p, timezones, default_tz));
    if let Some(s) = &start {
        evidence.push(ev("ics", format!("DTSTART read as {}: {}", s.how, s.at)));
    }
    let all_day = start.as_ref().is_some_and(|s| s.all_day);
    let end: Option<Timestamp> = match event
        .prop("DTEND")
        .and_then(|p| ical::resolve_time(p, timezones, default_tz))
    {
        Some(e) => Some(e.at),
        None => match (
            &start,
            event.value("DURATION").and_then(ical::parse_duration),
        ) {
            (Some(s), Some(d)) => s.at.checked_add(d).ok(),
            (Some(s), None) if s.all_day => s.at.checked_add(24.hours()).ok(),
            (Some(s), None) => Some(s.at),
            (None, _) => None,
        },
    };
    let summary = event
        .value("SUMMARY")
        .map(|s| ical::unescape(s).trim().to_string())
        .unwrap_or_default();
    let organizer = event
        .value("ORGANIZER")
        .map(ical::cal_address)
        .filter(|o| !o.is_empty());
    let attendee_status = event
        .props_named("ATTENDEE")
        .map(|p| {
            (
                ical::cal_address(&p.value),
                p.param("PARTSTAT").map_or_else(
                    || "NEEDS-ACTION".to_string(),
                    |s| s.trim().to_ascii_uppercase(),
                ),
            )
        })
        .take(200)
        .collect();
    Meeting {
        uid,
        recurrence_id,
        sequence,
        start: start.map(|s| s.at),
        end,
        all_day,
        summary,
        organizer,
        attendee_status,
        method: method.to_string(),
    }
}
