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
