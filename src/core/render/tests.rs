use super::*;

fn templates() -> Templates {
    Templates::new(Vec::new())
}

#[test]
fn every_builtin_renders_against_the_sample() {
    let t = templates();
    for (name, _) in BUILTIN {
        let r = t.render(name, &sample_data()).unwrap();
        assert!(!r.subject.is_empty(), "{name}");
        assert!(r.body.contains("Jessica"), "{name}: {}", r.body);
        assert!(!r.body.contains("{{"), "{name}");
    }
}

#[test]
fn meeting_request_asks_for_availability_and_25_minutes() {
    let r = templates()
        .render("meeting-request", &sample_data())
        .unwrap();
    assert!(r.body.contains("available"), "{}", r.body);
    assert!(r.body.contains("25-minute"), "{}", r.body);
    assert!(r.body.contains("2-3 weeks"), "{}", r.body);
    assert!(r.body.contains("Ada"), "{}", r.body);
}

#[test]
fn missing_variable_is_an_error_with_line() {
    let src = "Subject: Hi\n\nHello {{contact.nickname}}\n";
    let e = render_source("custom", src, &sample_data()).unwrap_err();
    assert_eq!(e.name, "custom");
    assert_eq!(e.line, Some(3), "{e}");
}

#[test]
fn syntax_error_has_line() {
    let src = "Subject: Hi\n\nHello {{#if contact.name}}\n";
    let e = render_source("custom", src, &sample_data()).unwrap_err();
    assert!(e.line.is_some(), "{e}");
}

#[test]
fn header_rules() {
    let d = sample_data();
    assert!(render_source("t", "Hello\n\nBody\n", &d).is_err());
    assert!(render_source("t", "Bcc: x@y.z\nSubject: a\n\nBody\n", &d).is_err());
    assert!(render_source("t", "Subject: a\n", &d).is_err());
    assert!(render_source("t", "Subject: \n\nBody\n", &d).is_err());
    let r = render_source("t", "Subject: a {{contact.first_name}}\n\nBody\n", &d).unwrap();
    assert_eq!(r.subject, "a Jessica");
    assert_eq!(r.body, "Body\n");
}

#[test]
fn no_html_escaping() {
    let mut d = sample_data();
    d.contact.company = "Smith & Sons <UK>".into();
    let r = render_source("t", "Subject: x\n\n{{contact.company}}\n", &d).unwrap();
    assert_eq!(r.body, "Smith & Sons <UK>\n");
}

fn env<'a>(refs: &'a [String]) -> Envelope<'a> {
    Envelope {
        from_name: "Ada Lovelace",
        from_addr: "ada@example.org",
        to_name: "Jessica Park",
        to_addr: "jessica@example.com",
        cc: None,
        message_id: "abc.123@example.org",
        in_reply_to: "",
        references: refs,
    }
}

#[test]
fn compose_fixes_message_id_and_leaves_out_date() {
    let r = Rendered {
        subject: "Coffee?".into(),
        body: "Hi\nthere\n".into(),
    };
    let bytes = compose(&env(&[]), &r).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("Message-ID: <abc.123@example.org>\r\n"),
        "{text}"
    );
    assert!(text.contains("Subject: Coffee?\r\n"), "{text}");
    assert!(!text.contains("Date:"), "{text}");
    assert!(text.contains("Hi\r\nthere\r\n"), "{text}");
    let stamped = stamp_date(
        text.as_bytes(),
        "2026-11-23T09:00:00Z".parse().unwrap(),
        &jiff::tz::TimeZone::UTC,
    );
    assert!(
        String::from_utf8(stamped)
            .unwrap()
            .starts_with("Date: Mon, 23 Nov 2026 09:00:00 +0000\r\n")
    );
}

#[test]
fn compose_refuses_header_injection() {
    let r = Rendered {
        subject: "Hi\r\nBcc: victim@example.com".into(),
        body: "x\n".into(),
    };
    assert!(matches!(
        compose(&env(&[]), &r),
        Err(ComposeError::ControlCharacter {
            field: "Subject",
            ..
        })
    ));
    let ok = Rendered {
        subject: "Hi".into(),
        body: "x\n".into(),
    };
    let mut e = env(&[]);
    e.to_name = "Eve\nBcc: x@y.z";
    assert!(compose(&e, &ok).is_err());
    let mut e = env(&[]);
    e.to_addr = "not an address";
    assert!(matches!(
        compose(&e, &ok),
        Err(ComposeError::BadAddress { .. })
    ));
}

#[test]
fn compose_threads_replies() {
    let refs = vec!["first@example.org".to_string()];
    let mut e = env(&refs);
    e.in_reply_to = "first@example.org";
    let r = Rendered {
        subject: reply_subject("Coffee?"),
        body: "x\n".into(),
    };
    let text = String::from_utf8(compose(&e, &r).unwrap()).unwrap();
    assert!(text.contains("In-Reply-To: <first@example.org>"), "{text}");
    assert!(text.contains("References: <first@example.org>"), "{text}");
    assert!(text.contains("Subject: Re: Coffee?"), "{text}");
    assert_eq!(reply_subject("RE: x"), "RE: x");
    // Byte 3 inside a multi-byte character must not panic.
    assert_eq!(reply_subject("aaé café"), "Re: aaé café");
}

#[test]
fn the_introduction_names_the_second_person_in_cc_never_bcc() {
    let r = Rendered {
        subject: "Introduction".into(),
        body: "Hi both\n".into(),
    };
    let mut e = env(&[]);
    e.cc = Some(("Omar Haddad", "omar@example.net"));
    let bytes = compose(&e, &r).unwrap();
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("To: \"Jessica Park\" <jessica@example.com>\r\n"),
        "{text}"
    );
    assert!(
        text.contains("Cc: \"Omar Haddad\" <omar@example.net>\r\n"),
        "{text}"
    );
    assert!(!text.to_ascii_lowercase().contains("bcc:"), "{text}");
    e.cc = Some(("Omar\nBcc: x@y.z", "omar@example.net"));
    assert!(matches!(
        compose(&e, &r),
        Err(ComposeError::ControlCharacter {
            field: "Cc name",
            ..
        })
    ));
}
