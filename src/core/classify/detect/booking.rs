//! Meeting replies and bookings that come without an iCalendar part: an
//! "Accepted: …" / "Zugesagt: …" / "Refusé : …" reply read from its subject
//! prefix, and a booking page's confirmation (Microsoft Bookings) read from
//! its page link, its wording and the meeting time in its text.
//!
//! It must never read a person's reply as a calendar reply: a subject after
//! a reply prefix ("Re: Accepted: …") or a long text is a person writing,
//! and a booking needs its page link, its wording and a time together.

use jiff::civil::Date;
use jiff::tz::TimeZone;

use super::super::dates;
use super::super::mime::Mail;
use super::super::text::{first_phrase, normalise_for_match, phrase_list};
use super::super::{Evidence, Label, Meeting, ev};
use super::reply::{is_machine_sender, reply_prefix};

/// Subject prefixes calendar clients put on attendee replies, lowercase,
/// without their colon, in the languages of the word lists.
const REPLY_PREFIXES: &[(&str, Label)] = &[
    ("accepted", Label::MeetingAccept),
    ("zugesagt", Label::MeetingAccept),
    ("angenommen", Label::MeetingAccept),
    ("accepté", Label::MeetingAccept),
    ("acceptée", Label::MeetingAccept),
    ("aceptado", Label::MeetingAccept),
    ("aceptada", Label::MeetingAccept),
    ("accettato", Label::MeetingAccept),
    ("accettata", Label::MeetingAccept),
    ("aceito", Label::MeetingAccept),
    ("aceite", Label::MeetingAccept),
    ("geaccepteerd", Label::MeetingAccept),
    ("accepterat", Label::MeetingAccept),
    ("accepteret", Label::MeetingAccept),
    ("akseptert", Label::MeetingAccept),
    ("godtatt", Label::MeetingAccept),
    ("承諾", Label::MeetingAccept),
    ("declined", Label::MeetingDecline),
    ("abgelehnt", Label::MeetingDecline),
    ("refusé", Label::MeetingDecline),
    ("refusée", Label::MeetingDecline),
    ("rechazado", Label::MeetingDecline),
    ("rechazada", Label::MeetingDecline),
    ("rifiutato", Label::MeetingDecline),
    ("rifiutata", Label::MeetingDecline),
    ("recusado", Label::MeetingDecline),
    ("recusada", Label::MeetingDecline),
    ("geweigerd", Label::MeetingDecline),
    ("afgewezen", Label::MeetingDecline),
    ("avböjt", Label::MeetingDecline),
    ("avvisat", Label::MeetingDecline),
    ("afvist", Label::MeetingDecline),
    ("avslått", Label::MeetingDecline),
    ("辞退", Label::MeetingDecline),
    ("tentative", Label::MeetingTentative),
    ("tentatively accepted", Label::MeetingTentative),
    ("mit vorbehalt", Label::MeetingTentative),
    ("vorläufig", Label::MeetingTentative),
    ("vorläufig zugesagt", Label::MeetingTentative),
    ("provisoire", Label::MeetingTentative),
    ("provisional", Label::MeetingTentative),
    ("provisorio", Label::MeetingTentative),
    ("provvisorio", Label::MeetingTentative),
    ("provisório", Label::MeetingTentative),
    ("voorlopig", Label::MeetingTentative),
    ("preliminärt", Label::MeetingTentative),
    ("foreløbig", Label::MeetingTentative),
    ("foreløpig", Label::MeetingTentative),
    ("仮承諾", Label::MeetingTentative),
    // The organizer's cancellations and updates, as calendar clients title them
    // (German Outlook: "Abgelehnt:" declines, "Abgesagt:" cancels).
    ("abgesagt", Label::MeetingCancel),
    ("canceled", Label::MeetingCancel),
    ("cancelled", Label::MeetingCancel),
    ("canceled event", Label::MeetingCancel),
    ("cancelled event", Label::MeetingCancel),
    ("annulé", Label::MeetingCancel),
    ("annulée", Label::MeetingCancel),
    ("cancelado", Label::MeetingCancel),
    ("cancelada", Label::MeetingCancel),
    ("annullato", Label::MeetingCancel),
    ("annullata", Label::MeetingCancel),
    ("geannuleerd", Label::MeetingCancel),
    ("inställt", Label::MeetingCancel),
    ("aflyst", Label::MeetingCancel),
    ("avlyst", Label::MeetingCancel),
    ("updated invitation", Label::MeetingUpdate),
    ("updated event", Label::MeetingUpdate),
    ("aktualisierte einladung", Label::MeetingUpdate),
    ("invitation mise à jour", Label::MeetingUpdate),
    ("invitación actualizada", Label::MeetingUpdate),
    ("invito aggiornato", Label::MeetingUpdate),
    ("bijgewerkte uitnodiging", Label::MeetingUpdate),
    ("convite atualizado", Label::MeetingUpdate),
    ("uppdaterad inbjudan", Label::MeetingUpdate),
    ("invitation", Label::MeetingInvite),
    ("einladung", Label::MeetingInvite),
    ("invitación", Label::MeetingInvite),
    ("invito", Label::MeetingInvite),
    ("uitnodiging", Label::MeetingInvite),
    ("convite", Label::MeetingInvite),
    ("inbjudan", Label::MeetingInvite),
];

/// Most words of fresh text a calendar reply carries (its optional note).
const MAX_NOTE_WORDS: usize = 60;

/// An attendee's reply sent without an iCalendar part, read from the
/// subject prefix its client wrote ("Accepted: Intro call").
pub(crate) fn reply_by_subject(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>, Option<String>)> {
    let subject = mail.subject.as_deref().unwrap_or("");
    if reply_prefix(subject).is_some()
        || is_machine_sender(mail.sender_address())
        || fresh.split_whitespace().count() > MAX_NOTE_WORDS
    {
        return None;
    }
    let (head, rest) = subject.trim_start().split_once([':', '：'])?;
    let head = head.trim().to_lowercase();
    let (prefix, label) = REPLY_PREFIXES.iter().find(|(p, _)| *p == head)?;
    let summary = rest.trim().to_string();
    if summary.is_empty() {
        return None;
    }
    let mut evidence = vec![ev(
        "header",
        format!(
            "Subject starts with \"{}:\" (calendar mail without an iCalendar part)",
            upper_first(prefix)
        ),
    )];
    let method = match label {
        Label::MeetingCancel => "CANCEL",
        Label::MeetingUpdate | Label::MeetingInvite => "REQUEST",
        _ => "REPLY",
    };
    let mut meeting = Meeting {
        summary,
        method: method.to_string(),
        ..Meeting::default()
    };
    if let Some(t) = dates::meeting_time(&format!("{subject}\n{fresh}"), r, default_tz) {
        evidence.push(ev(
            "phrase",
            format!("meeting time in the text ({}): {}", t.how, t.start),
        ));
        meeting.start = Some(t.start);
        meeting.end = t.end;
    }
    // "Invitation: summer party" from a colleague is no calendar's: an invitation
    // or update read from its subject needs its time, and a calendar's own words
    // to be vouched for.
    let mut doubt = None;
    if matches!(label, Label::MeetingInvite | Label::MeetingUpdate) {
        meeting.start?;
        let h = normalise_for_match(&fresh.chars().take(4000).collect::<String>());
        if first_phrase(&h, &CALENDAR_WORDS_SET).is_none() {
            doubt = Some("an invitation read from its subject alone".to_string());
        }
    }
    Some((*label, meeting, evidence, doubt))
}

/// What a calendar's invitation mail says of itself.
const CALENDAR_WORDS: &[&str] = &[
    "this event has been changed",
    "this event has been updated",
    "invitation from google calendar",
    "google calendar",
    "join with google meet",
    "join microsoft teams meeting",
    "microsoft teams meeting",
    "view your event at",
    "you have been invited",
    "you are receiving this email because you are an attendee",
    "going (",
    "more options",
    "dieser termin wurde geändert",
    "einladung von google kalender",
    "cet événement a été modifié",
    "invitation de google agenda",
    "este evento ha cambiado",
    "invitación de google calendar",
];
phrase_list!(CALENDAR_WORDS_SET = CALENDAR_WORDS);

fn upper_first(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// Links only a booking page's own mail carries (Microsoft Bookings sends
/// from its customer's mailbox, so its domain says nothing).
const BOOKING_LINKS: &[(&str, &str)] = &[
    ("/owa/calendar/", "Microsoft Bookings"),
    ("outlook.office.com/bookwithme", "Microsoft Bookings"),
    ("outlook.office365.com/bookwithme", "Microsoft Bookings"),
    ("bookings.cloud.microsoft", "Microsoft Bookings"),
];

/// What a booking confirmation says, in the languages of the word lists.
const BOOKED_WORDS: &[&str] = &[
    "booking is confirmed",
    "booking has been confirmed",
    "appointment is confirmed",
    "appointment has been confirmed",
    "your booking",
    "buchung ist bestätigt",
    "buchung wurde bestätigt",
    "termin ist bestätigt",
    "réservation est confirmée",
    "rendez-vous est confirmé",
    "reserva está confirmada",
    "cita está confirmada",
    "prenotazione è confermata",
    "reserva está confirmada",
    "boeking is bevestigd",
    "afspraak is bevestigd",
    "bokning är bekräftad",
    "booking er bekræftet",
    "bestilling er bekreftet",
];
phrase_list!(BOOKED_WORDS_SET = BOOKED_WORDS);

/// A booking page's confirmation without an iCalendar part: its page link
/// in the HTML, its wording, and the meeting time in its text, together.
pub(crate) fn booking_page(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>)> {
    if reply_prefix(mail.subject.as_deref().unwrap_or("")).is_some() {
        return None;
    }
    let (link, tool) = BOOKING_LINKS
        .iter()
        .find(|(l, _)| mail.html_sources.iter().any(|h| h.contains(l)))?;
    let subject = mail.subject.as_deref().unwrap_or("");
    let body = if mail.body_text.len() > fresh.len() {
        mail.body_text.as_str()
    } else {
        fresh
    };
    let h = normalise_for_match(&format!(
        "{subject}\n{}",
        body.chars().take(8000).collect::<String>()
    ));
    let words = first_phrase(&h, &BOOKED_WORDS_SET)?;
    let t = dates::meeting_time(body, r, default_tz)?;
    let (meeting, evidence) = booked(
        subject,
        &t,
        ev(
            "part",
            format!("link to a booking page ({tool}: \"{link}\")"),
        ),
        words,
    );
    Some((Label::MeetingConfirmation, meeting, evidence))
}

/// A booking's meeting (its subject, the time read from its text) and its evidence:
/// what first told it (`first`), its wording and the time.
fn booked(
    subject: &str,
    t: &dates::StatedTime,
    first: Evidence,
    words: &str,
) -> (Meeting, Vec<Evidence>) {
    let evidence = vec![
        first,
        ev("phrase", format!("booking wording \"{words}\"")),
        ev(
            "phrase",
            format!("meeting time in the text ({}): {}", t.how, t.start),
        ),
    ];
    let meeting = Meeting {
        summary: subject.to_string(),
        start: Some(t.start),
        end: t.end,
        ..Meeting::default()
    };
    (meeting, evidence)
}

/// What a booking notice's subject says, in the languages of the word lists.
const NOTICE_SUBJECTS: &[&str] = &[
    "your booking",
    "your appointment",
    "booking with",
    "appointment with",
    "ihre buchung",
    "ihr termin",
    "votre réservation",
    "votre rendez-vous",
    "su reserva",
    "su cita",
    "tu reserva",
    "tu cita",
    "la tua prenotazione",
    "il tuo appuntamento",
    "uw afspraak",
    "je afspraak",
    "din bokning",
    "booking is confirmed",
    "booking confirmed",
    "booking confirmation",
    "appointment confirmed",
    "appointment confirmation",
    "event confirmed",
    "confirmed:",
    "meeting scheduled",
    "new event:",
    "new booking",
    "canceled:",
    "cancelled:",
    "buchungsbestätigung",
    "terminbestätigung",
    "termin bestätigt",
    "bestätigt:",
    "confirmation de réservation",
    "rendez-vous confirmé",
    "confirmé :",
    "confirmé:",
    "confirmación de reserva",
    "cita confirmada",
    "confirmado:",
    "conferma prenotazione",
    "appuntamento confermato",
    "confermato:",
    "afspraak bevestigd",
    "bevestigd:",
    "bokningsbekräftelse",
    "bekräftad:",
    "bekræftet:",
    "bekreftet:",
];
phrase_list!(NOTICE_SUBJECTS_SET = NOTICE_SUBJECTS);

/// What a booking notice's text says beyond its subject.
const NOTICE_WORDS: &[&str] = &[
    "is confirmed",
    "has been confirmed",
    "is scheduled",
    "has been scheduled",
    "has been booked",
    "thank you for booking",
    "thanks for booking",
    "you're all set",
    "you are all set",
    "has been canceled",
    "has been cancelled",
    "ist bestätigt",
    "wurde bestätigt",
    "wurde gebucht",
    "est confirmé",
    "est confirmée",
    "a été confirmé",
    "está confirmada",
    "está confirmado",
    "ha sido confirmada",
    "è confermato",
    "è confermata",
    "is bevestigd",
    "är bekräftad",
    "er bekræftet",
    "er bekreftet",
];
phrase_list!(NOTICE_WORDS_SET = NOTICE_WORDS);

/// A booking tool's notice from a sender no list knows (a booking page sending from
/// its customer's domain, a tool under its own brand): booking wording in the
/// subject and in the text, and a meeting time, together. Never vouched for: the
/// returned doubt says so. Not a reply, not a list's mail.
pub(crate) fn booking_notice(
    mail: &Mail,
    fresh: &str,
    r: Date,
    default_tz: &TimeZone,
) -> Option<(Label, Meeting, Vec<Evidence>, Option<String>)> {
    let subject = mail.subject.as_deref().unwrap_or("");
    if reply_prefix(subject).is_some()
        || mail.has_header("list-id")
        || mail.has_header("list-unsubscribe")
    {
        return None;
    }
    let sh = normalise_for_match(subject);
    let said = first_phrase(&sh, &NOTICE_SUBJECTS_SET)?;
    let body = if mail.body_text.len() > fresh.len() {
        mail.body_text.as_str()
    } else {
        fresh
    };
    let h = normalise_for_match(&body.chars().take(8000).collect::<String>());
    let words = first_phrase(&h, &NOTICE_WORDS_SET)?;
    let t = dates::meeting_time(body, r, default_tz)?;
    let cancelled = ["cancel", "abgesagt", "storniert", "annul", "cancelad"]
        .iter()
        .any(|w| said.contains(w) || words.contains(w));
    let label = if cancelled {
        Label::MeetingCancel
    } else {
        Label::MeetingConfirmation
    };
    let (meeting, evidence) = booked(
        subject,
        &t,
        ev("header", format!("Subject: booking wording \"{said}\"")),
        words,
    );
    // A booking page's own footer vouches for it ("This email was sent by Microsoft
    // Bookings"); without it the notice is read, not vouched for.
    let footer = first_phrase(&h, &TOOL_FOOTERS_SET);
    let mut evidence = evidence;
    let doubt = match footer {
        Some(f) => {
            evidence.push(ev("phrase", format!("a booking tool's footer \"{f}\"")));
            None
        }
        None => Some("a booking notice from a sender no scheduling tool is known by".to_string()),
    };
    Some((label, meeting, evidence, doubt))
}

/// What a booking tool writes at the foot of its notices.
const TOOL_FOOTERS: &[&str] = &[
    "sent by microsoft bookings",
    "powered by microsoft bookings",
    "powered by calendly",
    "scheduled with calendly",
    "powered by cal.com",
    "scheduled with cal.com",
    "powered by savvycal",
    "powered by zcal",
    "powered by tidycal",
    "powered by youcanbook.me",
    "powered by acuity scheduling",
    "powered by chili piper",
];
phrase_list!(TOOL_FOOTERS_SET = TOOL_FOOTERS);
