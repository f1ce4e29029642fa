use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn london() -> TimeZone {
    TimeZone::get("Europe/London").unwrap()
}

fn entry(at: &str, kind: InteractionKind, summary: &str) -> Entry {
    Entry {
        at: t(at),
        kind,
        summary: summary.into(),
        slot: None,
    }
}

fn slot(
    at: &str,
    kind: InteractionKind,
    uid: &str,
    start: &str,
    end: &str,
    link: Option<&str>,
) -> Entry {
    Entry {
        slot: Some(Slot {
            uid: uid.into(),
            start: Some(t(start)),
            end: Some(t(end)),
            link: link.map(str::to_string),
        }),
        ..entry(at, kind, "meeting")
    }
}

fn jessica() -> Input {
    Input {
        person: Person {
            id: 1,
            name: "Jessica Park".into(),
            emails: vec!["jessica@example.com".into()],
            company: "Example Corp".into(),
            role: "Head of Product".into(),
            tier: Tier::Close,
            tags: vec!["fintech".into()],
            link: "https://www.linkedin.com/in/jessica-park".into(),
            source: "manual".into(),
            added: Some(t("2026-11-01T09:00:00Z")),
            met: None,
        },
        timeline: vec![
            entry(
                "2026-11-01T20:00:00Z",
                InteractionKind::Note,
                "met at the fintech meetup",
            ),
            entry(
                "2026-11-02T10:00:00Z",
                InteractionKind::RequestSent,
                "25 minutes?",
            ),
            entry(
                "2026-11-03T09:30:00Z",
                InteractionKind::Reply,
                "replied (yes): Re: 25 minutes?",
            ),
            slot(
                "2026-11-04T12:00:00Z",
                InteractionKind::MeetingScheduled,
                "m1",
                "2026-11-10T15:00:00Z",
                "2026-11-10T15:25:00Z",
                Some("https://meet.google.com/abc-defg-hij"),
            ),
            entry(
                "2026-11-05T12:00:00Z",
                InteractionKind::AutoReply,
                "auto-reply",
            ),
        ],
        todos: vec![ActionItem {
            id: 3,
            contact_id: 1,
            contact: "Jessica Park".into(),
            text: "bring the market sizing".into(),
            due: Some("2026-11-10".parse().unwrap()),
            done_at: None,
        }],
    }
}

fn prep() -> Prep {
    Prep {
        facts: vec!["ten years of payments infrastructure".into(), " ".into()],
        narrative: "From building payment rails to shaping the products on top of them.".into(),
    }
}

#[test]
fn the_day_before_the_brief_has_everything() {
    let b = build(&jessica(), &prep(), t("2026-11-09T10:00:00Z"), &london());
    assert_eq!(
        b.met.as_ref().unwrap().text,
        "you asked for a meeting: 25 minutes?",
        "a note is not how you met"
    );
    assert_eq!(b.met.as_ref().unwrap().day, "2026-11-02");
    assert_eq!(b.thread.len(), 3, "no auto-replies: {:?}", b.thread);
    assert_eq!(b.notes[0].text, "met at the fintech meetup");
    assert_eq!(
        b.action_items,
        [(3, "bring the market sizing".into(), "due 2026-11-10".into())]
    );
    let m = b.next_meeting.as_ref().unwrap();
    assert_eq!(m.when, "Tue 2026-11-10 15:00–15:25 Europe/London");
    assert_eq!(m.minutes, 25);
    assert!(m.tomorrow);
    assert_eq!(
        m.link.as_deref(),
        Some("https://meet.google.com/abc-defg-hij")
    );
    assert_eq!(
        b.facts,
        ["ten years of payments infrastructure"],
        "blank facts dropped"
    );
    assert!(b.plan[0].starts_with("Open: thank Jessica"), "{:?}", b.plan);
    assert!(
        b.plan[1].contains("From building payment rails"),
        "{:?}",
        b.plan
    );
    assert!(
        b.plan[2].contains("Head of Product at Example Corp"),
        "{:?}",
        b.plan
    );
    assert!(
        b.plan[3].contains("bring the market sizing"),
        "{:?}",
        b.plan
    );
    assert!(b.plan[4].contains("25 minutes"), "{:?}", b.plan);

    let text = render_text(&b);
    for want in [
        "Brief: Jessica Park — Head of Product at Example Corp",
        "  tier      close (tags: fintech)",
        "  profile   https://www.linkedin.com/in/jessica-park",
        "  meeting   Tue 2026-11-10 15:00–15:25 Europe/London (tomorrow)",
        "  link      https://meet.google.com/abc-defg-hij",
        "How you met\n  2026-11-02  you asked for a meeting: 25 minutes?",
        "  2026-11-03  replied (yes): Re: 25 minutes?",
        "Your notes\n  2026-11-01  met at the fintech meetup",
        "    3  bring the market sizing  (due 2026-11-10)",
        "  - ten years of payments infrastructure",
        "Conversation plan\n  1. Open: thank Jessica",
    ] {
        assert!(text.contains(want), "missing {want:?} in:\n{text}");
    }
}

#[test]
fn meetings_fold_by_uid_and_past_or_cancelled_ones_are_not_next() {
    let tz = london();
    use InteractionKind as K;
    let table: Vec<(&str, Vec<Entry>, &str, Option<&str>)> = vec![
        (
            "moved keeps the link",
            vec![
                slot(
                    "2026-11-04T12:00:00Z",
                    K::MeetingScheduled,
                    "m1",
                    "2026-11-10T15:00:00Z",
                    "2026-11-10T15:25:00Z",
                    Some("https://zoom.us/j/1"),
                ),
                slot(
                    "2026-11-05T12:00:00Z",
                    K::MeetingMoved,
                    "m1",
                    "2026-11-12T09:00:00Z",
                    "2026-11-12T09:30:00Z",
                    None,
                ),
            ],
            "2026-11-09T10:00:00Z",
            Some("Thu 2026-11-12 09:00–09:30 Europe/London"),
        ),
        (
            "cancelled",
            vec![
                slot(
                    "2026-11-04T12:00:00Z",
                    K::MeetingScheduled,
                    "m1",
                    "2026-11-10T15:00:00Z",
                    "2026-11-10T15:25:00Z",
                    None,
                ),
                slot(
                    "2026-11-05T12:00:00Z",
                    K::MeetingCancelled,
                    "m1",
                    "2026-11-10T15:00:00Z",
                    "2026-11-10T15:25:00Z",
                    None,
                ),
            ],
            "2026-11-09T10:00:00Z",
            None,
        ),
        (
            "ended",
            vec![slot(
                "2026-11-04T12:00:00Z",
                K::MeetingScheduled,
                "m1",
                "2026-11-10T15:00:00Z",
                "2026-11-10T15:25:00Z",
                None,
            )],
            "2026-11-10T15:25:00Z",
            None,
        ),
        (
            "in progress, and the earliest of two",
            vec![
                slot(
                    "2026-11-04T12:00:00Z",
                    K::MeetingScheduled,
                    "m2",
                    "2026-11-20T15:00:00Z",
                    "2026-11-20T15:25:00Z",
                    None,
                ),
                slot(
                    "2026-11-04T12:00:00Z",
                    K::MeetingScheduled,
                    "m1",
                    "2026-11-10T15:00:00Z",
                    "2026-11-10T15:25:00Z",
                    None,
                ),
            ],
            "2026-11-10T15:10:00Z",
            Some("Tue 2026-11-10 15:00–15:25 Europe/London"),
        ),
        (
            "summer time",
            vec![slot(
                "2026-06-04T12:00:00Z",
                K::MeetingScheduled,
                "m1",
                "2026-06-10T14:00:00Z",
                "2026-06-10T14:25:00Z",
                None,
            )],
            "2026-06-01T10:00:00Z",
            Some("Wed 2026-06-10 15:00–15:25 Europe/London"),
        ),
    ];
    for (what, timeline, now, want) in table {
        let got = next_meeting(&timeline, t(now), &tz).map(|m| m.when);
        assert_eq!(got.as_deref(), want, "{what}");
    }
    let moved = next_meeting(&table_first(), t("2026-11-09T10:00:00Z"), &tz).unwrap();
    assert_eq!(moved.link.as_deref(), Some("https://zoom.us/j/1"));
    assert!(!moved.tomorrow, "the 12th is not tomorrow on the 9th");
}

fn table_first() -> Vec<Entry> {
    vec![
        slot(
            "2026-11-04T12:00:00Z",
            InteractionKind::MeetingScheduled,
            "m1",
            "2026-11-10T15:00:00Z",
            "2026-11-10T15:25:00Z",
            Some("https://zoom.us/j/1"),
        ),
        slot(
            "2026-11-05T12:00:00Z",
            InteractionKind::MeetingMoved,
            "m1",
            "2026-11-12T09:00:00Z",
            "2026-11-12T09:30:00Z",
            None,
        ),
    ]
}

#[test]
fn tomorrow_is_the_users_next_calendar_day() {
    let ny = TimeZone::get("America/New_York").unwrap();
    // 02:00 UTC on the 10th is still the 9th in New York.
    let (from, to) = tomorrow(t("2026-11-10T02:00:00Z"), &ny).unwrap();
    assert_eq!(from, t("2026-11-10T05:00:00Z"));
    assert_eq!(to, t("2026-11-11T05:00:00Z"));
    assert!(tomorrow(Timestamp::MAX, &ny).is_none());
}

#[test]
fn meeting_links_are_found_only_on_meeting_hosts() {
    let table = [
        (
            "Join: https://us02web.zoom.us/j/8123?pwd=x. See you",
            Some("https://us02web.zoom.us/j/8123?pwd=x"),
        ),
        (
            "<https://meet.google.com/abc-defg-hij>",
            Some("https://meet.google.com/abc-defg-hij"),
        ),
        (
            "https://example.com/zoom.us/j/1 then https://cal.com/ada/25min,",
            Some("https://cal.com/ada/25min"),
        ),
        ("http://zoom.us/j/1 is not https", None),
        ("https://notzoom.us/j/1", None),
        ("Grüße — keine Links hier", None),
        ("", None),
    ];
    for (text, want) in table {
        assert_eq!(meeting_link(text).as_deref(), want, "{text}");
    }
}

#[test]
fn a_bare_contact_still_gets_a_useful_brief() {
    let mut input = jessica();
    input.person.name.clear();
    input.person.company.clear();
    input.person.role.clear();
    input.person.source = "import".into();
    input.timeline.clear();
    input.todos.clear();
    let b = build(
        &input,
        &Prep::default(),
        t("2026-11-09T10:00:00Z"),
        &london(),
    );
    assert_eq!(b.name, "jessica@example.com");
    assert_eq!(b.met.as_ref().unwrap().text, "added to rapport (import)");
    assert!(b.next_meeting.is_none());
    assert!(
        b.plan[1].contains("set [identity] facts and narrative"),
        "{:?}",
        b.plan
    );
    let text = render_text(&b);
    assert!(text.contains("  meeting   none scheduled"), "{text}");
    assert!(text.contains("The thread so far\n  nothing yet"), "{text}");
    assert!(!text.contains("Report back"), "{text}");
}

#[test]
fn an_imported_connection_date_is_how_you_met_not_the_request_sent_today() {
    // A LinkedIn connection from 2024, asked for a meeting in rapport this month: the
    // brief recalls the connection, not "you asked for a meeting" on today's date.
    let mut input = jessica();
    input.person.source = "import".into();
    input.person.met = Some((t("2024-03-12T12:00:00Z"), "Connected on LinkedIn".into()));
    let b = build(&input, &prep(), t("2026-11-09T10:00:00Z"), &london());
    let met = b.met.as_ref().unwrap();
    assert_eq!(
        (met.day.as_str(), met.text.as_str()),
        ("2024-03-12", "Connected on LinkedIn")
    );
    assert!(
        render_text(&b).contains("How you met\n  2024-03-12  Connected on LinkedIn"),
        "{}",
        render_text(&b)
    );
    // An exchange before the connection date is still the first meeting of minds.
    input.person.met = Some((t("2026-11-05T12:00:00Z"), "Connected on LinkedIn".into()));
    let b = build(&input, &prep(), t("2026-11-09T10:00:00Z"), &london());
    assert_eq!(b.met.unwrap().text, "you asked for a meeting: 25 minutes?");
}
