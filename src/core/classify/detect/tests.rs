use super::dsn::{parse_dsn, status_code};
use super::reply::{is_machine_sender, reply_prefix};

#[test]
fn dsn_groups_without_blank_lines() {
    let t = "Reporting-MTA: dns; x\n\nFinal-Recipient: rfc822; a@x.org\nAction: failed\nStatus: 5.1.1\nFinal-Recipient: rfc822; b@x.org\nAction: delayed\nStatus: 4.4.7\nDiagnostic-Code: smtp; 450 try\n later";
    let r = parse_dsn(t);
    assert_eq!(r.len(), 2);
    assert_eq!(
        r.first().and_then(|x| x.final_recipient.clone()).as_deref(),
        Some("a@x.org")
    );
    assert_eq!(
        r.get(1).and_then(|x| x.diagnostic.clone()).as_deref(),
        Some("450 try later")
    );
}

#[test]
fn status_codes() {
    assert_eq!(
        status_code("smtp; 550 5.1.1 <a@b> user unknown").as_deref(),
        Some("5.1.1")
    );
    assert_eq!(
        status_code("Status: 4.4.7 (delivery expired)").as_deref(),
        Some("4.4.7")
    );
    assert_eq!(status_code("version 1.2.3"), None);
}

#[test]
fn reply_prefixes() {
    assert_eq!(reply_prefix("Re: hi"), Some("re:"));
    assert_eq!(reply_prefix("AW: Termin"), Some("aw:"));
    assert_eq!(reply_prefix("[Test1] Re: x"), Some("re:"));
    assert_eq!(reply_prefix("R: R: I: x"), Some("r:"));
    assert_eq!(reply_prefix("Re[2]: x"), Some("Re[n]:"));
    assert_eq!(reply_prefix("Regarding the meeting"), None);
    assert_eq!(reply_prefix("回复：会议"), Some("回复："));
}

#[test]
fn machine_senders() {
    assert!(is_machine_sender("noreply@x.com"));
    assert!(is_machine_sender("no-reply+abc@x.com"));
    assert!(!is_machine_sender("norene@x.com"));
}

/// An auto-reply is known by its subject in every language, or by saying
/// it is automatic in its first lines; a person answering one, and a list
/// post that mentions a holiday, are not auto-replies.
#[test]
fn auto_replies_by_subject_or_self_description() {
    let read = auto_reply_strength;
    let strong = Some(super::AutoStrength::Strong);
    let mut bad = Vec::new();
    for subject in [
        "Risposta automatica: Caffè?",
        "Afwezig: Kennismaken",
        "Automatische Antwort: Telefonat",
        "Réponse automatique : Un café ?",
        "Respuesta automática: Café",
        "Resposta automática: Conversa",
        "Frånvaro: Fika?",
        "Autosvar: Fika?",
        "自動応答: お打ち合わせ",
        "自動返信：お打ち合わせ",
        "Poza biurem: Spotkanie",
        "Otomatik yanıt: Toplantı",
    ] {
        if read(subject, "", "Hello.") != strong {
            bad.push(format!("subject {subject:?} not an auto-reply"));
        }
    }
    for body in [
        "This is an automatic reply. I am away until Monday.",
        "Dies ist eine automatische Antwort. Ich bin ab Montag wieder da.",
        "Ceci est une réponse automatique.",
        "Dit is een automatisch antwoord.",
        "これは自動返信メールです。",
        "To jest automatyczna odpowiedź.",
        "Bu otomatik bir yanıttır.",
    ] {
        if read("Re: Coffee?", "", body) != strong {
            bad.push(format!("body {body:?} not an auto-reply"));
        }
    }
    let traps = [
        (
            "Re: Automatic reply: Coffee?",
            "",
            "Ha, your autoresponder got me. See you Monday.",
        ),
        (
            "Re: [dev] release",
            "List-Id: <dev.lists.example>\r\nPrecedence: list\r\n",
            "I'll be on vacation next week.",
        ),
        (
            "[dev] Away next week",
            "Precedence: bulk\r\nX-Mailing-List: dev@lists.example\r\n",
            "Who covers the build?",
        ),
        (
            "Re: notes",
            "Precedence: bulk\r\n",
            "Here are my notes. The first session covered pricing experiments, the second one onboarding funnels, the last one retention; most examples came from B2B tools with small teams. The speaker said she tried this while on vacation.",
        ),
        (
            "Re: Coffee?",
            "",
            "I got an automatic reply from Anna, is she away?",
        ),
        // A subject that only mentions it, from a person or through a list.
        (
            "Out of office etiquette for freelancers?",
            "List-Id: <freelancers.lists.example>\r\nPrecedence: list\r\n",
            "Mine says I'm back on 4 January, too formal?",
        ),
        (
            "Out of office etiquette: what do you write in yours when you take two weeks off?",
            "",
            "Curious what everyone does.",
        ),
        (
            "Abwesenheitsnotiz schreiben - wie macht ihr das eigentlich?",
            "",
            "Meine klingt so steif.",
        ),
        // A notification that says it is automated is no out-of-office.
        (
            "Thanks for your time on the phone today",
            "Auto-Submitted: auto-generated\r\n",
            "How did we do? This is an automated message, please do not reply.",
        ),
    ];
    for (subject, extra, body) in traps {
        if read(subject, extra, body) == strong {
            bad.push(format!("trap {subject:?} / {body:?} read as an auto-reply"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A calendar reply without an iCalendar part is read from its subject
/// prefix in every language; a person answering one, a machine's
/// "Declined:" and a long letter are not calendar replies.
#[test]
fn calendar_replies_by_subject() {
    use super::super::Label;
    use super::super::mime::parse_mail;
    use super::booking::reply_by_subject;
    let read = |from: &str, subject: &str, body: &str| {
        let raw = format!(
            "From: {from}\r\nTo: sam@example.com\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        let mail = parse_mail(raw.as_bytes());
        let tz = jiff::tz::TimeZone::UTC;
        reply_by_subject(&mail, body, jiff::civil::date(2026, 11, 24), &tz).map(|(l, _, _, _)| l)
    };
    let person = "Ana Lopes <ana@lopes.example>";
    let mut bad = Vec::new();
    for (subject, want) in [
        ("Accepted: Intro call", Label::MeetingAccept),
        ("Zugesagt: Kennenlernen", Label::MeetingAccept),
        ("Accepté : Déjeuner", Label::MeetingAccept),
        ("Aceptado: Café", Label::MeetingAccept),
        ("Geaccepteerd: Kennismaking", Label::MeetingAccept),
        ("Declined: Intro call", Label::MeetingDecline),
        ("Abgelehnt: Kennenlernen", Label::MeetingDecline),
        ("Refusé : Déjeuner", Label::MeetingDecline),
        ("Tentative: Intro call", Label::MeetingTentative),
        ("Mit Vorbehalt: Kennenlernen", Label::MeetingTentative),
        // The organizer's cancellation (German Outlook: "Abgesagt:" cancels).
        ("Abgesagt: Kennenlernen", Label::MeetingCancel),
        ("Canceled: Intro call", Label::MeetingCancel),
        ("Annulé : Déjeuner", Label::MeetingCancel),
    ] {
        if read(person, subject, "") != Some(want) {
            bad.push(format!("{subject:?} not read as {want:?}"));
        }
    }
    let long = "word ".repeat(80);
    for (from, subject, body) in [
        (
            person,
            "Re: Accepted: Intro call",
            "Should I bring the deck?",
        ),
        (
            "no-reply@bank.example",
            "Declined: card payment",
            "Your payment was declined.",
        ),
        (person, "Accepted: my thoughts on the offer", long.as_str()),
        (person, "Accepted", ""),
        // An invitation read from its subject needs a time.
        (person, "Invitation: summer party", "Bring a friend!"),
        (person, "Einladung: Sommerfest", "Es gibt Kuchen."),
    ] {
        if let Some(l) = read(from, subject, body) {
            bad.push(format!("{subject:?} from {from} read as {l:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Booking notices without an iCalendar part: a tool known by its own domain is
/// sure, one whose name the domain carries elsewhere or a notice from a sender no
/// tool is known by is read the same but unsure; a tool's newsletter, a person's
/// mail mentioning a booking and a notice without a time are not bookings.
#[test]
fn booking_notices_without_a_calendar_part() {
    use super::super::Label;
    use super::super::mime::parse_mail;
    use super::scheduling::detect_scheduling;
    let tz = jiff::tz::TimeZone::UTC;
    let r = jiff::civil::date(2027, 1, 5);
    let read = |from: &str, subject: &str, extra: &str, body: &str| {
        let raw = format!(
            "From: {from}\r\nTo: sam@example.com\r\nSubject: {subject}\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        let mail = parse_mail(raw.as_bytes());
        detect_scheduling(&mail, body, r, &tz).map(|(l, m, _, doubt)| (l, m.start, doubt.is_none()))
    };
    let when = "When: Tuesday, January 19, 2027 | 11:00am - 11:25am (Europe/London)";
    let start: jiff::Timestamp = "2027-01-19T11:00:00Z".parse().unwrap();
    let booked = format!("A new event has been scheduled.\n\n{when}");
    assert_eq!(
        read(
            "notifications@calendly.com",
            "New Event: Ada Kim",
            "",
            &booked
        ),
        Some((Label::MeetingConfirmation, Some(start), true))
    );
    assert_eq!(
        read(
            "notifications@calendly.example",
            "Confirmed: Ada Kim",
            "",
            &booked
        ),
        Some((Label::MeetingConfirmation, Some(start), false))
    );
    assert_eq!(
        read(
            "no-reply@mail.savvycal.io",
            "Canceled: Catch-up",
            "",
            &format!("The event below has been canceled.\n{when}")
        ),
        Some((Label::MeetingCancel, Some(start), false))
    );
    assert_eq!(
        read(
            "bookings@northwind.example",
            "Your booking is confirmed: Advisory session",
            "",
            &format!("Thank you for booking. Your booking is confirmed.\n{when}")
        ),
        Some((Label::MeetingConfirmation, Some(start), false))
    );
    for (from, subject, extra, body) in [
        (
            "newsletter@calendly.example",
            "Get your meetings confirmed faster",
            "List-Unsubscribe: <https://calendly.example/u>\r\n",
            booked.as_str(),
        ),
        (
            "ana@corp.example",
            "Re: Your booking is confirmed",
            "",
            "Ha, I booked it too. Your booking is confirmed, see you then: Tuesday, January 19, 2027 11:00am",
        ),
        (
            "bookings@northwind.example",
            "Your booking is confirmed",
            "",
            "Thank you for booking. We will send the time separately.",
        ),
        (
            "notifications@calendly.example",
            "Confirmed: Ada Kim",
            "",
            "A new event has been scheduled. Open the app for details.",
        ),
    ] {
        assert_eq!(read(from, subject, extra, body), None, "{from} {subject}");
    }
}

/// An invitation or update without an iCalendar part: read from its subject with
/// its time, vouched for only when the text says a calendar wrote it.
#[test]
fn invitations_by_subject_need_a_time_and_a_calendar_to_be_sure() {
    use super::super::Label;
    use super::super::mime::parse_mail;
    use super::booking::reply_by_subject;
    let read = |subject: &str, body: &str| {
        let raw = format!(
            "From: Dan Park <dan@park.example>\r\nTo: sam@example.com\r\nSubject: {subject}\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
        );
        let mail = parse_mail(raw.as_bytes());
        let tz = jiff::tz::TimeZone::UTC;
        reply_by_subject(&mail, body, jiff::civil::date(2026, 12, 17), &tz)
            .map(|(l, m, _, doubt)| (l, m.start.is_some(), doubt.is_none()))
    };
    assert_eq!(
        read(
            "Updated invitation: Sam <> Dan @ Tue Dec 22, 2026 10am - 10:25am (EST)",
            "This event has been changed.\nInvitation from Google Calendar"
        ),
        Some((Label::MeetingUpdate, true, true))
    );
    assert_eq!(
        read(
            "Invitation: product meetup @ Thu Jan 14, 2027 6pm - 8pm (GMT)",
            "Come along, there will be pizza."
        ),
        Some((Label::MeetingInvite, true, false))
    );
}

/// Polish and Turkish auto-replies: their subjects, their self-description, their
/// absence wording beside an automation header; and the traps: a person writing
/// about a holiday, answering an auto-reply, forwarding.
#[test]
fn polish_and_turkish_auto_replies() {
    use super::reply::is_forward;
    let read = auto_reply_strength;
    let strong = Some(super::AutoStrength::Strong);
    let mut bad = Vec::new();
    let generated = "Auto-Submitted: auto-generated\r\n";
    for (subject, extra, body) in [
        ("Automatyczna odpowiedź: Spotkanie", "", "Dzień dobry."),
        (
            "Odpowiedź automatyczna: Krótka rozmowa?",
            "",
            "Dzień dobry.",
        ),
        ("Nieobecność: Kawa?", "", "Dzień dobry."),
        ("Otomatik yanıt: Kısa bir görüşme?", "", "Merhaba."),
        ("Otomatik cevap: Toplantı", "", "Merhaba."),
        ("Ofis dışında: Kahve?", "", "Merhaba."),
        (
            "Re: Kawa?",
            "",
            "To jest automatyczna odpowiedź. Wracam 11 stycznia.",
        ),
        (
            "Re: Kahve?",
            "",
            "Bu mesaj otomatik olarak gönderilmiştir. 11 Ocak'ta döneceğim.",
        ),
        (
            "Re: Kawa?",
            generated,
            "Jestem poza biurem do 4 stycznia włącznie.",
        ),
        (
            "Re: Kahve?",
            generated,
            "4 Ocak'a kadar ofis dışındayım ve e-postalarıma sınırlı erişimim var.",
        ),
        (
            "Urlop",
            "Precedence: bulk\r\n",
            "Jestem na urlopie do 4 stycznia.",
        ),
    ] {
        if read(subject, extra, body) != strong {
            bad.push(format!("{subject:?} / {body:?} not an auto-reply"));
        }
    }
    for (subject, extra, body) in [
        (
            "Re: Odpowiedź automatyczna: Kawa?",
            "",
            "Ha, Twój autoresponder mnie złapał. Do zobaczenia w poniedziałek.",
        ),
        (
            "Urlop w Grecji",
            "",
            "Byłem na urlopie, zdjęcia w załączniku.",
        ),
        (
            "Re: Kahve?",
            "",
            "Geçen hafta izindeydim, şimdi döndüm. Salı uygun.",
        ),
        (
            "Re: [dev] wydanie",
            "List-Id: <dev.lists.example>\r\nPrecedence: list\r\n",
            "W przyszłym tygodniu jestem na urlopie.",
        ),
    ] {
        if let Some(s) = read(subject, extra, body) {
            bad.push(format!("{subject:?} / {body:?} read as {s:?}"));
        }
    }
    for (subject, want) in [
        ("PD: Spotkanie", true),
        ("İLT: Toplantı", true),
        ("ILT: Toplantı", true),
        ("Pdf do przejrzenia", false),
    ] {
        if is_forward(subject) != want {
            bad.push(format!("{subject:?}: a forward should be {want}"));
        }
    }
    for (subject, want) in [
        ("YANIT: Toplantı", Some("yanit:")),
        ("Yanıt: Toplantı", Some("yanıt:")),
        ("Cvp: Kahve", Some("cvp:")),
    ] {
        if reply_prefix(subject) != want {
            bad.push(format!(
                "{subject:?}: reply prefix {:?}",
                reply_prefix(subject)
            ));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// How strongly a message with `subject`, extra header lines and `body` reads as an
/// auto-reply (the two auto-reply tests read their rows through it).
fn auto_reply_strength(subject: &str, extra: &str, body: &str) -> Option<super::AutoStrength> {
    let raw = format!(
        "From: a@b.example\r\nTo: sam@example.com\r\nSubject: {subject}\r\n{extra}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    );
    let mail = super::super::mime::parse_mail(raw.as_bytes());
    super::auto_reply::detect_auto_reply(&mail, body).map(|(s, _)| s)
}
