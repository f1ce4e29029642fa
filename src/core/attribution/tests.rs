use super::*;
use crate::core::classify::{Address, Label, Meeting};

struct Dir {
    contacts: Vec<Known>,
    /// Contacts the user wrote to in the thread.
    thread: Vec<i64>,
}

impl Directory for Dir {
    fn owner(&self, address: &str) -> Option<Known> {
        self.contacts
            .iter()
            .find(|k| k.addresses.iter().any(|a| a == address))
            .cloned()
    }
    fn written_to(&self, _ids: &[String]) -> Vec<Known> {
        self.contacts
            .iter()
            .filter(|k| self.thread.contains(&k.id))
            .cloned()
            .collect()
    }
}

fn carol() -> Known {
    Known {
        id: 7,
        name: "Carol Nguyen".into(),
        addresses: vec!["carol@acme.example".into(), "cn@home.example".into()],
    }
}

fn dir(thread: &[i64]) -> Dir {
    Dir {
        contacts: vec![carol()],
        thread: thread.to_vec(),
    }
}

const USER: &[&str] = &["me@example.org"];

fn user() -> Vec<String> {
    USER.iter().map(|s| (*s).to_string()).collect()
}

fn view<'a>(
    from: &'a str,
    name: &'a str,
    to: &'a [String],
    thread: &'a [String],
    parties: &'a Parties,
    user: &'a [String],
) -> View<'a> {
    View {
        outbound: false,
        label: Label::HumanReply,
        from_addr: from,
        from_name: name,
        to_addrs: to,
        thread,
        meeting: None,
        parties,
        user,
    }
}

fn routes(v: &View<'_>, d: &Dir) -> Vec<(i64, Route)> {
    attribute(v, d)
        .into_iter()
        .map(|f| (f.contact, f.route))
        .collect()
}

#[test]
fn any_address_of_the_contact_is_theirs() {
    let u = user();
    let p = Parties::default();
    let to = vec!["me@example.org".to_string()];
    for from in ["carol@acme.example", "cn@home.example"] {
        let got = routes(&view(from, "", &to, &[], &p, &u), &dir(&[]));
        assert_eq!(
            got,
            vec![(
                7,
                Route::From {
                    address: from.into()
                }
            )]
        );
    }
    let got = routes(
        &view("someone@else.example", "", &to, &[], &p, &u),
        &dir(&[]),
    );
    assert!(got.is_empty(), "a stranger is nobody's: {got:?}");
}

#[test]
fn a_booking_tool_writes_for_the_invitee_by_reply_to_attendee_or_body() {
    let u = user();
    let to = vec!["me@example.org".to_string()];
    let reply_to = Parties {
        tool: Some("Calendly".into()),
        reply_to: vec![Address {
            address: "carol@acme.example".into(),
            name: Some("Carol Nguyen".into()),
        }],
        ..Parties::default()
    };
    let got = routes(
        &view(
            "notifications@calendly.com",
            "Calendly",
            &to,
            &[],
            &reply_to,
            &u,
        ),
        &dir(&[]),
    );
    assert!(
        matches!(&got[..], [(7, Route::Tool { via, .. })] if via == "reply-to"),
        "{got:?}"
    );

    let body = Parties {
        tool: Some("Cal.com".into()),
        body_addresses: vec!["cn@home.example".into()],
        ..Parties::default()
    };
    let got = routes(&view("hello@cal.com", "", &to, &[], &body, &u), &dir(&[]));
    assert!(
        matches!(&got[..], [(7, Route::Tool { via, .. })] if via == "body"),
        "{got:?}"
    );

    let meeting = Meeting {
        attendee_status: vec![
            ("me@example.org".into(), "ACCEPTED".into()),
            ("carol@acme.example".into(), "ACCEPTED".into()),
        ],
        organizer: Some("no-reply@calendly.com".into()),
        ..Meeting::default()
    };
    let tool_only = Parties {
        tool: Some("Calendly".into()),
        ..Parties::default()
    };
    let mut v = view("no-reply@calendly.com", "", &to, &[], &tool_only, &u);
    v.meeting = Some(&meeting);
    v.label = Label::MeetingConfirmation;
    let got = routes(&v, &dir(&[]));
    assert!(
        matches!(&got[..], [(7, Route::Tool { via, .. })] if via == "attendee"),
        "{got:?}"
    );

    // The same Reply-To from an ordinary sender is not a booking: nothing is taken from it.
    let plain = Parties {
        tool: None,
        ..reply_to
    };
    let got = routes(
        &view("news@shop.example", "", &to, &[], &plain, &u),
        &dir(&[]),
    );
    assert!(got.is_empty(), "{got:?}");
}

#[test]
fn an_assistant_answering_in_the_thread_with_the_contact_in_cc_answers_for_them() {
    let u = user();
    let p = Parties::default();
    let thread = vec!["req-1@example.org".to_string()];
    let to = vec![
        "me@example.org".to_string(),
        "carol@acme.example".to_string(),
    ];
    let got = routes(
        &view("sam@acme.example", "Sam Ortiz", &to, &thread, &p, &u),
        &dir(&[7]),
    );
    assert_eq!(
        got,
        vec![(
            7,
            Route::Assistant {
                address: "sam@acme.example".into(),
                name: "Sam Ortiz".into()
            }
        )]
    );
    assert_eq!(
        got[0].1.describe(),
        "answered by their assistant Sam Ortiz <sam@acme.example>"
    );
    // Not in the contact's thread: nothing, whoever is in Cc.
    let got = routes(
        &view("sam@acme.example", "Sam Ortiz", &to, &thread, &p, &u),
        &dir(&[]),
    );
    assert!(got.is_empty(), "{got:?}");
    // In the thread, but the contact neither in To/Cc nor the same name: nothing.
    let only_me = vec!["me@example.org".to_string()];
    let got = routes(
        &view("sam@acme.example", "Sam Ortiz", &only_me, &thread, &p, &u),
        &dir(&[7]),
    );
    assert!(got.is_empty(), "{got:?}");
    // A machine in the thread (an out-of-office) answers for nobody.
    let mut v = view("sam@acme.example", "Sam Ortiz", &to, &thread, &p, &u);
    v.label = Label::AutoReply;
    assert!(routes(&v, &dir(&[7])).is_empty());
}

#[test]
fn the_contact_answering_from_an_unknown_address_under_their_name_is_them() {
    let u = user();
    let p = Parties::default();
    let thread = vec!["req-1@example.org".to_string()];
    let only_me = vec!["me@example.org".to_string()];
    for name in ["Carol Nguyen", "Nguyen, Carol", "carol  NGUYEN"] {
        let got = routes(
            &view("carol.n@gmail.example", name, &only_me, &thread, &p, &u),
            &dir(&[7]),
        );
        assert!(
            matches!(&got[..], [(7, Route::OtherAddress { .. })]),
            "{name}: {got:?}"
        );
    }
    for name in ["Carol", "Carol Smith", ""] {
        let got = routes(
            &view("carol.n@gmail.example", name, &only_me, &thread, &p, &u),
            &dir(&[7]),
        );
        assert!(got.is_empty(), "{name:?} is not enough: {got:?}");
    }
}

#[test]
fn the_users_own_mail_goes_to_every_contact_in_to_and_cc() {
    let u = user();
    let p = Parties::default();
    let to = vec!["cn@home.example".to_string(), "x@y.example".to_string()];
    let mut v = view("me@example.org", "", &to, &[], &p, &u);
    v.outbound = true;
    let got = routes(&v, &dir(&[]));
    assert_eq!(
        got,
        vec![(
            7,
            Route::Recipient {
                address: "cn@home.example".into()
            }
        )]
    );
}

fn named(list: &[(&str, &str)]) -> Vec<Address> {
    list.iter()
        .map(|(n, a)| Address {
            address: (*a).to_string(),
            name: (!n.is_empty()).then(|| (*n).to_string()),
        })
        .collect()
}

#[test]
fn a_referral_names_the_new_person_in_several_languages() {
    let cc = named(&[("Ana Lima", "ana@acme.example"), ("", "me@example.org")]);
    let not_new = vec![
        "carol@acme.example".to_string(),
        "me@example.org".to_string(),
    ];
    for text in [
        "Thanks! My colleague Ana is better placed to talk about this, cc'd.",
        "Please talk to Ana (cc’d) — she runs hiring now.",
        "Looping in Ana, who handles this.",
        "Danke! Ana ist besser geeignet, ich habe sie in Kopie gesetzt.",
        "Merci, je mets Ana en copie : elle est mieux placée.",
        "Gracias, te pongo en contacto con Ana, en copia.",
        "Obrigada! Fale com a Ana, em cópia.",
        "Grazie, ti presento Ana, in copia.",
        "Dank je, spreek met Ana, in de cc.",
        "Please reach out to ana@acme.example directly.",
    ] {
        let r = find_referral(text, &cc, &not_new);
        assert_eq!(
            r.as_ref().map(|r| (r.name.as_str(), r.address.as_str())),
            Some(("Ana Lima", "ana@acme.example")),
            "{text}"
        );
    }
}

#[test]
fn a_phrase_alone_or_a_person_alone_is_no_referral() {
    let cc = named(&[("Ana Lima", "ana@acme.example")]);
    let not_new = vec!["carol@acme.example".to_string()];
    for text in [
        // A phrase, but nobody new named.
        "I'll talk to my team and get back to you next week.",
        "Let me speak with our CFO first.",
        "Ich spreche mit meinem Team.",
        // Someone named, no handing over.
        "Ana and I would love to meet; Tuesday works.",
        // Word parts are not words: "anatomy" is not Ana.
        "Talk to you soon about the anatomy of the deal.",
        "",
    ] {
        assert_eq!(find_referral(text, &cc, &not_new), None, "{text}");
    }
    // The sender and the contact themselves are never the new person.
    let own = named(&[("Carol Nguyen", "carol@acme.example")]);
    assert_eq!(find_referral("Talk to Carol, cc'd.", &own, &not_new), None);
}

#[test]
fn the_add_command_is_quoted_for_a_shell() {
    assert_eq!(
        add_contact_command("Ana O'Neil", "ana@acme.example", "Carol Nguyen"),
        "rapport contacts add 'ana@acme.example' --name 'Ana O'\\''Neil' --met 'introduced by Carol Nguyen' --request"
    );
    let cmd = add_contact_command("Ana\u{1b}[2J", "a@b.example", "C");
    assert!(!cmd.contains('\u{1b}'), "{cmd}");
    assert!(!add_contact_command("", "a@b.example", "C").contains("--name"));
}

#[test]
fn parties_are_read_from_headers_and_a_tools_body() {
    let raw = b"From: Calendly <notifications@calendly.com>\r\n\
Reply-To: Carol Nguyen <Carol@Acme.example>\r\n\
To: Me <me@example.org>\r\n\
Cc: Sam Ortiz <sam@acme.example>\r\n\
Subject: New Event: Carol Nguyen - 30 Minute Meeting\r\n\
Content-Type: text/plain; charset=utf-8\r\n\
Content-Transfer-Encoding: quoted-printable\r\n\
\r\n\
Invitee: Carol Nguyen\r\n\
Invitee Email: carol=40acme.exam=\r\nple\r\n\
Questions? support@calendly.com or write to me@example.org\r\n";
    let p = read_parties(raw, &user());
    assert_eq!(p.tool.as_deref(), Some("Calendly"));
    assert_eq!(p.reply_to[0].address, "carol@acme.example");
    assert_eq!(p.body_addresses, vec!["carol@acme.example".to_string()]);
    assert!(
        p.named
            .iter()
            .any(|a| a.address == "sam@acme.example" && a.name.as_deref() == Some("Sam Ortiz"))
    );
    assert!(!p.named.iter().any(|a| a.address == "me@example.org"));

    let plain =
        b"From: Bob <bob@x.example>\r\nTo: me@example.org\r\n\r\nwrite to carol@acme.example\r\n";
    let p = read_parties(plain, &user());
    assert_eq!(p.tool, None);
    assert!(p.body_addresses.is_empty(), "only a tool's body is read");
    for junk in [&b""[..], b"\xff\xfe\x00", b"From:\r\n\r\n", b"\r\n\r\n@@@"] {
        let _ = read_parties(junk, &user());
    }
}

#[test]
fn tools_are_known_by_domain_or_header_never_by_a_lookalike() {
    assert_eq!(tool_of("no-reply@calendly.com", &[]), Some("Calendly"));
    assert_eq!(tool_of("x@mail.savvycal.com", &[]), Some("SavvyCal"));
    assert_eq!(
        tool_of("calendar-notification@google.com", &[]),
        Some("Google appointment schedule")
    );
    assert_eq!(tool_of("someone@google.com", &[]), None);
    assert_eq!(tool_of("x@notcalendly.com", &[]), None);
    assert_eq!(tool_of("x@calendly.com.evil.example", &[]), None);
    assert_eq!(
        tool_of("bookings@contoso.example", &["x-ms-bookings-id".into()]),
        Some("Microsoft Bookings")
    );
}

#[test]
fn the_classifiers_parse_gives_the_same_parties_as_a_parse_of_their_own() {
    let ctx_user = user();
    let never = |_: &str| false;
    let ctx = crate::core::classify::Context {
        now: "2026-11-20T10:00:00Z".parse().unwrap(),
        user_addresses: &ctx_user,
        sent_message_ids: &never,
        default_tz: jiff::tz::TimeZone::UTC,
        reader: None,
    };
    let cases: [&[u8]; 5] = [
        b"From: Calendly <notifications@calendly.com>\r\nReply-To: Carol Nguyen <Carol@Acme.example>\r\nTo: Me <me@example.org>, \"Ortiz, Sam\" <sam@acme.example>\r\nCc: team: a@x.example, B <b@x.example>;\r\nSubject: New Event\r\nContent-Type: text/plain\r\n\r\nInvitee Email: carol@acme.example\r\n",
        b"From: Bob <bob@x.example>\r\nTo: me@example.org\r\n\r\nwrite to carol@acme.example\r\n",
        b"From: Ana <ana@y.example>\r\nX-Calendly-Id: 1\r\nTo:  Padded  <  Pad@Y.example >\r\nReply-To: undisclosed-recipients:;\r\n\r\nsee dan@y.example\r\n",
        b"",
        b"\xff\xfe\x00",
    ];
    for raw in cases {
        let (_, parties) = crate::core::classify::classify_with_parties(raw, &ctx);
        assert_eq!(
            parties,
            read_parties(raw, &ctx_user),
            "{}",
            String::from_utf8_lossy(raw)
        );
    }
    // Where the two differ, the classifier's parse is the one the stored envelope came
    // from: leading blank lines (found in stored mail) are skipped before the headers.
    let late = b"\r\n\r\nFrom: late@y.example\r\nTo: X <x@y.example>\r\n\r\nhi\r\n";
    let (c, parties) = crate::core::classify::classify_with_parties(late, &ctx);
    assert_eq!(c.envelope.to, vec!["x@y.example".to_string()]);
    assert_eq!(parties.named[0].address, "x@y.example");
    assert!(read_parties(late, &ctx_user).named.is_empty());
}
