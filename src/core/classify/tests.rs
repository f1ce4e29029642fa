use super::*;

fn ctx_with<T>(f: impl FnOnce(&Context<'_>) -> T) -> T {
    let users = vec!["me@example.com".to_string()];
    let sent = |id: &str| id == "mine@example.com";
    let ctx = Context {
        now: "2026-11-22T12:00:00Z".parse().unwrap(),
        user_addresses: &users,
        sent_message_ids: &sent,
        default_tz: TimeZone::get("Europe/Berlin").unwrap(),
        reader: None,
    };
    f(&ctx)
}

#[test]
fn prepare_repairs_stored_mail() {
    assert_eq!(
        prepare(b"a: 1\rb: 2\r\rbody").as_ref(),
        b"a: 1\nb: 2\n\nbody"
    );
    assert_eq!(prepare(b"   \n\nFrom: x\n").as_ref(), b"From: x\n");
    assert_eq!(
        prepare(b"From MAILER-DAEMON  Mon Sep 20 19:29:27 2021\nFrom: x\n").as_ref(),
        b"From: x\n"
    );
    assert_eq!(prepare(b"From : x\n").as_ref(), b"From : x\n");
}

#[test]
fn relative_dates_fall_back_to_now_without_a_date() {
    ctx_with(|ctx| {
        let c = classify(b"From: a@x.org\r\nSubject: Re: coffee\r\nIn-Reply-To: <mine@example.com>\r\n\r\nPing me next month.\r\n", ctx);
        assert_eq!(c.label, Label::HumanReply);
        assert_eq!(c.intent, Some(Intent::Later));
        assert_eq!(c.later_until, Some(jiff::civil::date(2026, 12, 1)));
        assert!(
            c.evidence
                .iter()
                .any(|e| e.detail.contains("in reply to a message the user sent"))
        );
    });
}

#[test]
fn polite_refusal_with_thanks_is_a_reply_not_a_thank_you() {
    ctx_with(|ctx| {
        let c = classify(b"From: a@x.org\r\nSubject: Re: coffee\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n\r\nThank you for taking the time to write, but I'm not interested.\r\n", ctx);
        assert_eq!(c.label, Label::HumanReply);
        assert_eq!(c.intent, Some(Intent::No));
    });
}

#[test]
fn future_dates_are_not_trusted_as_reference() {
    ctx_with(|ctx| {
        let far = "2030-01-01T00:00:00Z".parse().ok();
        assert_eq!(reference_date(far, ctx), jiff::civil::date(2026, 11, 22));
        let past = "2026-10-06T12:00:00Z".parse().ok();
        assert_eq!(reference_date(past, ctx), jiff::civil::date(2026, 10, 6));
    });
}

#[test]
fn outbound_mail_is_marked() {
    ctx_with(|ctx| {
        let c = classify(b"From: Me <ME@example.com>\r\nTo: a@x.org\r\nSubject: hello\r\n\r\nWould you be available?\r\n", ctx);
        assert!(c.envelope.from_user);
        assert_eq!(c.label, Label::Other);
    });
}

#[test]
fn html_entities_are_decoded_in_the_snippet() {
    ctx_with(|ctx| {
        let c = classify(
            b"From: Anna <anna@x.de>\r\nSubject: Danke\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<html><body><p>Sch&ouml;n, dass es geklappt hat &ndash; bis M&auml;rz! &#127881;</p><p>Viele Gr&uuml;&szlig;e, Anna</p></body></html>\r\n",
            ctx,
        );
        let s = &c.envelope.snippet;
        assert!(
            s.contains("Schön, dass es geklappt hat \u{2013} bis März! \u{1F389}"),
            "{s}"
        );
        assert!(s.contains("Viele Grüße, Anna"), "{s}");
        assert!(!s.contains('&'), "{s}");
    });
}

/// A message from a contact; `answers` puts the user's own message in In-Reply-To.
fn mail(subject: &str, answers: bool, body: &str) -> Vec<u8> {
    let reply_to = if answers {
        "In-Reply-To: <mine@example.com>\r\n"
    } else {
        ""
    };
    format!(
        "From: Ana <ana@x.org>\r\nTo: me@example.com\r\nSubject: {subject}\r\nDate: Sun, 22 Nov 2026 10:00:00 +0000\r\n{reply_to}Content-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn has_evidence(c: &Classification, s: &str) -> bool {
    c.evidence.iter().any(|e| e.detail.contains(s))
}

#[test]
fn a_reply_with_no_intent_phrase_is_unsure_even_when_it_answers_someone_else() {
    ctx_with(|ctx| {
        for answers in [true, false] {
            let c = classify(&mail("Re: coffee", answers, "Who else is coming?"), ctx);
            assert_eq!(c.label, Label::HumanReply);
            assert_eq!(c.intent, Some(Intent::Other));
            assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
            assert!(has_evidence(&c, "no recognised intent phrase"));
        }
        let c = classify(&mail("Re: coffee", true, "Works for me!"), ctx);
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
    });
}

/// An acknowledgement is a sure "other" (two blind writers agreed a careful reader
/// is sure of it): the answer is still to come and nothing is read into it; one that
/// holds a deferral word without a date stays other, and a yes beside it is a yes.
#[test]
fn an_acknowledgement_of_the_users_message_is_a_sure_other() {
    ctx_with(|ctx| {
        let body = "Received, thanks - let me check my calendar and come back to you.";
        let c = classify(&mail("Re: coffee", true, body), ctx);
        assert_eq!(c.label, Label::HumanReply);
        assert_eq!(c.intent, Some(Intent::Other));
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "the answer is still to come"));
        for body in [
            "Noted, thanks. I'll revert after checking with the team.",
            "Bien reçu, merci. Je reviens vers vous rapidement.",
            "Danke, ist angekommen. Ich schaue in meinen Kalender und melde mich.",
        ] {
            let c = classify(&mail("Re: coffee", true, body), ctx);
            assert_eq!(c.intent, Some(Intent::Other), "{body:?}: {:?}", c.evidence);
        }
        // The same words in a thread of someone else's: nothing to confirm.
        let c = classify(&mail("Re: coffee", false, body), ctx);
        assert_eq!(c.intent, Some(Intent::Other));
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
    });
}

#[test]
fn a_refusal_holding_thanks_is_a_no_never_a_thank_you() {
    ctx_with(|ctx| {
        for body in [
            "Nein danke.",
            "Tak for invitationen, men jeg må takke nej.",
            "Obrigado pelo convite, mas não vou conseguir.",
            "Merci pour l'échange, mais non merci.",
        ] {
            let c = classify(&mail("Re: Kaffee", true, body), ctx);
            assert_eq!(c.label, Label::HumanReply, "{body:?}: {:?}", c.evidence);
            assert_eq!(c.intent, Some(Intent::No), "{body:?}: {:?}", c.evidence);
        }
    });
}

#[test]
fn a_thank_you_is_sure_only_for_time_with_the_user() {
    ctx_with(|ctx| {
        let c = classify(
            &mail("Today", false, "Thanks for the coffee this morning!"),
            ctx,
        );
        assert_eq!(c.label, Label::ThankYou);
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
        let spam = "Thank you for your time. We offer SEO services. Click here to book a demo.";
        let c = classify(&mail("Quick question", false, spam), ctx);
        assert_ne!(
            (c.label, c.certainty),
            (Label::ThankYou, Certainty::Sure),
            "{:?}",
            c.evidence
        );
        // A form letter's closing thanks is no thank-you, and not vouched for either.
        let closing = "Thank you for your time and consideration.";
        let c = classify(&mail("Following up", false, closing), ctx);
        assert_eq!(c.label, Label::Other);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "any form letter"));
        let letter = "Thank you for your time.";
        let c = classify(&mail("Following up", false, letter), ctx);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "any form letter"));
        // A "Re:" subject alone does not make it an answer.
        let c = classify(&mail("Re: Following up", false, letter), ctx);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        // In a reply to the user the same thanks is vouched for.
        let c = classify(&mail("Re: Following up", true, letter), ctx);
        assert_eq!(c.label, Label::ThankYou);
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
    });
}

/// A thank-you answers no request: an acceptance in it ("à bientôt",
/// "let's do it again") is about the next meeting and gives it no intent.
#[test]
fn a_thank_you_carries_no_intent() {
    ctx_with(|ctx| {
        for (answers, body) in [
            (
                false,
                "Merci encore pour ton temps aujourd'hui. À bientôt !",
            ),
            (
                true,
                "Thanks again for the coffee yesterday - let's do it again in the spring.",
            ),
            (false, "Danke für das Gespräch! Gerne wieder."),
            (
                false,
                "Thanks for the chat today, happy to help with the intro.",
            ),
        ] {
            let c = classify(&mail("Merci", answers, body), ctx);
            assert_eq!(c.label, Label::ThankYou, "{body:?}: {:?}", c.evidence);
            assert_eq!(c.intent, None, "{body:?}");
        }
    });
}

/// An acknowledgement keeps a reply from being a thank-you (the answer is to
/// come), not a thank-you that answers nothing and promises a follow-up.
#[test]
fn a_promise_in_a_thank_you_is_no_acknowledgement() {
    ctx_with(|ctx| {
        for body in [
            "Vielen Dank für das nette Gespräch gestern! Ich melde mich wegen der Kontakte.",
            "Thanks for the great chat this morning - I'll get back to you with the intro.",
            "Merci pour l'échange de ce matin, je reviens vers toi pour le contact.",
        ] {
            let c = classify(&mail("Danke", false, body), ctx);
            assert_eq!(c.label, Label::ThankYou, "{body:?}: {:?}", c.evidence);
        }
        // In a reply to the user the acknowledgement still holds the answer back.
        let ack = "Thanks for your time - let me check my calendar and get back to you.";
        let c = classify(&mail("Re: coffee", true, ack), ctx);
        assert_eq!(c.label, Label::HumanReply, "{:?}", c.evidence);
        assert_eq!(c.intent, Some(Intent::Other));
    });
}

/// A figure claimed beside an ask ("cut costs by 40%") is what pitches say:
/// the request is not vouched for.
#[test]
fn a_request_beside_a_percentage_is_unsure() {
    ctx_with(|ctx| {
        let body = "Hi, our tool cut onboarding time by 40% for a team in Berlin. Would you have 20 minutes for a call next week?";
        let c = classify(&mail("Quick chat?", false, body), ctx);
        assert_eq!(c.label, Label::MeetingRequest, "{:?}", c.evidence);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "a figure claimed (\"40%\")"));
        let body = "Hi, would you have 20 minutes for a call next week? I'd love to hear how you got into product.";
        let c = classify(&mail("Quick chat?", false, body), ctx);
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
        // What a pitch says of its customers casts the same doubt, and no more:
        // a thank-you that names them is still a thank-you.
        let body = "Our clients love it. Would you have 20 minutes for a call next week?";
        let c = classify(&mail("Quick chat?", false, body), ctx);
        assert_eq!(c.label, Label::MeetingRequest, "{:?}", c.evidence);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        let body = "Thanks for the chat yesterday - I'll send over the case study we discussed.";
        let c = classify(&mail("Thanks", false, body), ctx);
        assert_eq!(c.label, Label::ThankYou, "{:?}", c.evidence);
    });
}

#[test]
fn a_language_without_a_word_list_is_unsure() {
    ctx_with(|ctx| {
        // The short lists name a guess; none is vouched for. A yes inside a refusal
        // or after a negation is no yes; a text with no listed phrase is other.
        for (body, code, intent) in [
            ("Спасибо, вторник мне подходит.", "ru", Intent::Yes),
            ("К сожалению, вторник мне не подходит.", "ru", Intent::No),
            ("谢谢，周二不方便。", "zh", Intent::No),
            ("Спасибо, получил. Посмотрю календарь.", "ru", Intent::Other),
        ] {
            let c = classify(&mail("Re: coffee", true, body), ctx);
            assert_eq!(c.label, Label::HumanReply, "{body:?}");
            assert_eq!(c.intent, Some(intent), "{body:?}: {:?}", c.evidence);
            assert_eq!(c.certainty, Certainty::Unsure, "{body:?}");
            assert!(
                has_evidence(&c, &format!("{code}, told by")),
                "{:?}",
                c.evidence
            );
            assert!(
                has_evidence(&c, "has no full word list"),
                "{:?}",
                c.evidence
            );
        }
        // Short replies in listed languages are read with the lists.
        for body in ["Works for me!", "Ja, gerne.", "Oui avec plaisir", "Sure."] {
            let c = classify(&mail("Re: coffee", true, body), ctx);
            assert_eq!(c.intent, Some(Intent::Yes), "{body:?}: {:?}", c.evidence);
            assert_eq!(c.certainty, Certainty::Sure, "{body:?}: {:?}", c.evidence);
        }
    });
}

#[test]
fn polish_and_turkish_are_read_with_their_lists() {
    ctx_with(|ctx| {
        // Sure where the words settle it, with the traps: a thanks inside a refusal
        // is a no, a yes under a negation is no yes, an acknowledgement is no answer;
        // a refusal "this month" may be a later, as in every language.
        for (body, intent, sure) in [
            (
                "Dziękuję za wiadomość. Niestety w tym miesiącu nie dam rady się spotkać.",
                Intent::No,
                false,
            ),
            (
                "Dzień dobry, wtorek o 10 mi nie pasuje, przepraszam.",
                Intent::No,
                false,
            ),
            (
                "Dzień dobry, niestety to mi nie pasuje, przepraszam.",
                Intent::No,
                true,
            ),
            (
                "Chętnie, czwartek o 14:00 bardzo mi pasuje.",
                Intent::Yes,
                true,
            ),
            ("Dziękuję, ale nie skorzystam.", Intent::No, true),
            (
                "Mesajınız için teşekkürler, salı günü benim için uygun değil.",
                Intent::No,
                false,
            ),
            (
                "Mesajınız için teşekkürler, maalesef müsait değilim.",
                Intent::No,
                true,
            ),
            (
                "Memnuniyetle, salı günü saat 11 bana uyar.",
                Intent::Yes,
                true,
            ),
            ("Teşekkürler ama katılamayacağım.", Intent::No, true),
            (
                "Otrzymałem, dziękuję. Sprawdzę kalendarz i dam znać.",
                Intent::Other,
                true,
            ),
            (
                "Dzień dobry, przesyłam dokumenty w załączniku.",
                Intent::Other,
                false,
            ),
        ] {
            let c = classify(&mail("Re: coffee", true, body), ctx);
            assert_eq!(c.label, Label::HumanReply, "{body:?}");
            assert_eq!(c.intent, Some(intent), "{body:?}: {:?}", c.evidence);
            let want = if sure {
                Certainty::Sure
            } else {
                Certainty::Unsure
            };
            assert_eq!(c.certainty, want, "{body:?}: {:?}", c.evidence);
            assert!(
                !has_evidence(&c, "has no full word list"),
                "{:?}",
                c.evidence
            );
        }
    });
}

#[test]
fn an_answer_before_a_question_is_a_reply_not_a_request() {
    ctx_with(|ctx| {
        let body = "Sure thing, happy to. Could we do a call on Tuesday afternoon?";
        let c = classify(&mail("Re: intro", false, body), ctx);
        assert_eq!(c.label, Label::HumanReply, "{:?}", c.evidence);
        assert_eq!(c.intent, Some(Intent::Yes));
        // A cold request stays a sure request; a sales pitch is not vouched for.
        let c = classify(
            &mail(
                "Chat?",
                false,
                "Would you have 20 minutes for a call next week?",
            ),
            ctx,
        );
        assert_eq!(c.label, Label::MeetingRequest);
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
        // A sales pitch's ask is no request for the user's time, and not vouched for.
        let pitch = "Would you have 15 minutes for a call? We offer lead generation services.";
        let c = classify(&mail("15 minutes?", false, pitch), ctx);
        assert_eq!(c.label, Label::Other, "{:?}", c.evidence);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
    });
}

#[test]
fn a_question_no_request_phrase_reads_is_unsure() {
    ctx_with(|ctx| {
        let c = classify(
            &mail("Conference", false, "Are you staying for the dinner?"),
            ctx,
        );
        assert_eq!(c.label, Label::Other);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "perhaps a request"));
        // A short question naming only what it asks for is a request, never a sure one.
        let c = classify(
            &mail("Conference", false, "Drinks after the conference?"),
            ctx,
        );
        assert_eq!(c.label, Label::MeetingRequest);
        assert_eq!(c.certainty, Certainty::Unsure, "{:?}", c.evidence);
        assert!(has_evidence(&c, "perhaps small talk"));
        let c = classify(
            &mail("Slides", false, "Here are the slides from today."),
            ctx,
        );
        assert_eq!(c.certainty, Certainty::Sure, "{:?}", c.evidence);
    });
}
