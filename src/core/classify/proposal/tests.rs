use super::*;
use jiff::civil::date;

/// Thursday 3 December 2026, 09:00 in Berlin.
fn read(text: &str) -> Option<String> {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let r = date(2026, 12, 3);
    let sent = tz
        .to_timestamp(r.to_datetime(jiff::civil::time(9, 0, 0, 0)))
        .unwrap();
    let p = proposed_time(text, Some(sent), r, &tz)?;
    let zoned = p.start.to_zoned_datetime(TimeZone::get(&p.zone).unwrap());
    Some(zoned.strftime("%a %Y-%m-%d %H:%M").to_string())
}

fn is(text: &str, want: &str) {
    assert_eq!(read(text).as_deref(), Some(want), "{text:?}");
}

fn none(text: &str) {
    assert_eq!(read(text), None, "{text:?} proposes nothing");
}

#[test]
fn english_times_relative_to_the_message_date() {
    is("Tuesday at 3pm works for me", "Tue 2026-12-08 15:00");
    is("the 9th at 4", "Wed 2026-12-09 16:00");
    is("next Wednesday 14:00", "Wed 2026-12-09 14:00");
    is("next Wednesday at 2pm?", "Wed 2026-12-09 14:00");
    is("4 o'clock on the 9th is fine by me", "Wed 2026-12-09 16:00");
    is("How about tomorrow at 10:30?", "Fri 2026-12-04 10:30");
    is("December 10 at 9am suits me", "Thu 2026-12-10 09:00");
    is(
        "Sure!\n\nTuesday at\n3pm works for me.",
        "Tue 2026-12-08 15:00",
    );
    // Sent on a Thursday: "Thursday (today)" is today; "Thursday" alone next week's.
    is(
        "I sent an invite for 4pm Thursday (today).",
        "Thu 2026-12-03 16:00",
    );
    is("Thursday at 4pm?", "Thu 2026-12-10 16:00");
    // The zone may follow the day: 10:30 in Los Angeles is 19:30 in Berlin.
    is(
        "I sent an invite for 10:30am Thursday PDT (today).",
        "Thu 2026-12-03 10:30",
    );
}

#[test]
fn every_language_of_the_word_lists() {
    is("Dienstag um 15 Uhr passt mir", "Tue 2026-12-08 15:00");
    is("mardi à 15h me convient", "Tue 2026-12-08 15:00");
    is("mardi à 15h30 ?", "Tue 2026-12-08 15:30");
    is("¿el martes a las 3?", "Tue 2026-12-08 15:00");
    is("martedì alle 15 va bene", "Tue 2026-12-08 15:00");
    is("terça às 15h está ótimo", "Tue 2026-12-08 15:00");
    is("terça-feira às 15h", "Tue 2026-12-08 15:00");
    is("dinsdag om 15.00 is prima", "Tue 2026-12-08 15:00");
    is("tisdag kl 15 passar bra", "Tue 2026-12-08 15:00");
    is("tisdag kl. 15 passar bra", "Tue 2026-12-08 15:00");
    is("tirsdag kl. 15 passer fint", "Tue 2026-12-08 15:00");
    is("tirsdag klokka 15 passer", "Tue 2026-12-08 15:00");
    is("火曜日の15時でお願いします", "Tue 2026-12-08 15:00");
    is("来週の水曜日14時半はいかがですか", "Wed 2026-12-09 14:30");
}

#[test]
fn the_senders_zone_when_written_else_the_users() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let p = proposed_time(
        "Tuesday at 3pm (America/New_York) works",
        None,
        date(2026, 12, 3),
        &tz,
    )
    .unwrap();
    assert!(p.zone_stated);
    assert_eq!(p.zone, "America/New_York");
    assert_eq!(p.start.to_string(), "2026-12-08T20:00:00Z");
    for (text, zone, utc) in [
        (
            "Tuesday at 3pm CET works",
            "Europe/Berlin",
            "2026-12-08T14:00:00Z",
        ),
        (
            "Tuesday at 9am PT?",
            "America/Los_Angeles",
            "2026-12-08T17:00:00Z",
        ),
        (
            "An invite for 10:30am Tuesday PDT.",
            "America/Los_Angeles",
            "2026-12-08T18:30:00Z",
        ),
        (
            "Tuesday at 10am Eastern Time",
            "America/New_York",
            "2026-12-08T15:00:00Z",
        ),
        (
            "Tuesday 15:00 Europe/London works",
            "Europe/London",
            "2026-12-08T15:00:00Z",
        ),
    ] {
        let p = proposed_time(text, None, date(2026, 12, 3), &tz).unwrap();
        assert!(p.zone_stated, "{text}");
        assert_eq!(p.zone, zone, "{text}");
        assert_eq!(p.start.to_string(), utc, "{text}");
    }
    // French "est", German "ist", "et" are words, not zones: the user's zone.
    for text in [
        "mardi à 15h est parfait",
        "mardi à 15h et mercredi aussi",
        "Dienstag um 15 Uhr ist gut",
    ] {
        let p = proposed_time(text, None, date(2026, 12, 3), &tz).unwrap();
        assert!(!p.zone_stated, "{text}: {p:?}");
        assert_eq!(p.start.to_string(), "2026-12-08T14:00:00Z", "{text}");
    }
    let p = proposed_time("Tuesday at 3pm works", None, date(2026, 12, 3), &tz).unwrap();
    assert!(!p.zone_stated);
    assert_eq!(p.start.to_string(), "2026-12-08T14:00:00Z");
}

#[test]
fn traps_propose_nothing() {
    // The past, a refusal, a time with no day, no time at all.
    none("I was busy Tuesday at 3pm, sorry for the silence.");
    none("Last Tuesday at 3pm was great.");
    none("Ich war Dienstag um 15 Uhr verhindert.");
    none("J'étais occupé mardi à 15h.");
    none("Tuesday at 3pm doesn't work for me.");
    none("3pm doesn't work");
    none("Dienstag um 15 Uhr geht nicht.");
    none("El martes a las 3 no puedo.");
    none("火曜日の15時は都合が悪いです");
    none("How about 3pm?");
    none("Tuesday works for me.");
    none("See you at the conference in 2027.");
    // Each language's past and refusals, next to a time it would otherwise read.
    none("Am Dienstag um 15 Uhr hatte ich keine Zeit.");
    none("El martes pasado a las 3 estuve en Madrid.");
    none("Martedì alle 15 non posso, mi dispiace.");
    none("Terça às 15h não consigo.");
    none("Dinsdag om 15.00 kan ik niet.");
    none("Tisdag kl 15 kan jag inte.");
    none("Tirsdag kl. 15 kan jeg ikke.");
    none("Tirsdag klokka 15 passer ikke for meg.");
    none("Mardi à 15h je ne suis pas disponible.");
    none("I won't be able to make Tuesday at 3pm.");
    none("先週の火曜日の15時でした");
    // A deadline or the end of a free window is not a proposed time.
    none("Jag är flexibel fram till kl 15 idag.");
    none("I'm free until 3pm on Tuesday.");
    none("Please send it by Tuesday at 3pm.");
    none("Ich bin bis 15 Uhr am Dienstag im Büro.");
    none("Je suis libre jusqu'à 15h mardi.");
    none("Estoy libre el martes hasta las 15:00.");
    none("火曜日の15時まで空いています");
    // A phone number is not an hour.
    none("Call me tomorrow at 555 0199.");
    // A time before the message was sent (today at 8, sent at 9).
    none("today at 8am");
    // Quoted text is not the sender's proposal.
    none("Sounds good.\n> Tuesday at 3pm works for me\n> Bob");
}

#[test]
fn a_refused_time_then_another_proposes_the_other() {
    is(
        "Tuesday at 3pm doesn't work, but Wednesday at 3pm does.",
        "Wed 2026-12-09 15:00",
    );
    is(
        "Dienstag geht nicht, aber Mittwoch um 10 Uhr passt.",
        "Wed 2026-12-09 10:00",
    );
}

/// A reply as classify reads it, from `from`, with `body`.
fn classified(from: &str, body: &str) -> Option<ProposedTime> {
    let users = vec!["ada@example.org".to_string()];
    let sent = |_: &str| true;
    let ctx = crate::core::classify::Context {
        now: "2026-12-03T12:00:00Z".parse().unwrap(),
        user_addresses: &users,
        sent_message_ids: &sent,
        default_tz: TimeZone::get("Europe/Berlin").unwrap(),
        reader: None,
    };
    let raw = format!(
        "From: {from}\nTo: bob@example.com\nSubject: Re: 25 minutes?\n\
         Date: Thu, 03 Dec 2026 08:00:00 +0000\nMessage-ID: <r1@example.com>\n\
         In-Reply-To: <q1@example.org>\n\n{body}"
    );
    crate::core::classify::classify(raw.as_bytes(), &ctx).proposed
}

#[test]
fn classify_reads_a_proposal_from_the_fresh_text_of_someone_elses_reply_only() {
    let quote = "\n\nOn Wed, 2 Dec 2026, Ada Lovelace <ada@example.org> wrote:\n> Would Tuesday at 3pm work?\n";
    let p = classified(
        "Bob <bob@example.com>",
        &format!("Tuesday at 3pm works for me!{quote}"),
    );
    assert_eq!(
        p.map(|p| p.start.to_string()),
        Some("2026-12-08T14:00:00Z".into())
    );
    // The time only in the quote, a refusal, the user's own reply: no proposal.
    assert_eq!(
        classified("Bob <bob@example.com>", &format!("Sounds good!{quote}")),
        None
    );
    assert_eq!(
        classified(
            "Bob <bob@example.com>",
            &format!("Sorry, I can't make it, not interested.{quote}")
        ),
        None
    );
    assert_eq!(
        classified(
            "Ada <ada@example.org>",
            &format!("Tuesday at 3pm works for me!{quote}")
        ),
        None
    );
}
