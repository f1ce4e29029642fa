use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap()
}

fn goals() -> Vec<GoalItem> {
    vec![GoalItem {
        what: "new people this month".into(),
        done: 1,
        goal: 4,
    }]
}

#[test]
fn nothing_to_act_on_is_no_digest_even_with_goals() {
    let input = DigestInput {
        goals: goals(),
        meetings: vec![MeetingItem {
            start: ts("2026-12-05T10:00:00Z"),
            end: ts("2026-12-05T10:00:00Z"),
            all_day: false,
            with: "Omar".into(),
        }],
        ..DigestInput::default()
    };
    assert_eq!(build(&input, ts("2026-11-30T07:00:00Z"), &berlin()), None);
}

#[test]
fn every_section_is_worded_and_counted() {
    let input = DigestInput {
        drafts_waiting: vec![DraftItem {
            id: 7,
            kind: DraftKind::Nudge,
            to_name: "Jessica Park".into(),
            why: "no reply to your request of 2026-11-23 (7 days)".into(),
        }],
        replies_to_confirm: vec![PersonItem {
            who: "Lena".into(),
            what: "\"maybe next month\" read as later".into(),
        }],
        requests_to_answer: vec![PersonItem {
            who: "Raj".into(),
            what: "asked for a call on 2026-11-28".into(),
        }],
        times_proposed: vec![PersonItem {
            who: "Bob".into(),
            what: "proposed Tue 2026-12-08 15:00".into(),
        }],
        meetings: vec![
            MeetingItem {
                start: ts("2026-12-01T14:00:00Z"),
                end: ts("2026-12-01T14:00:00Z"),
                all_day: false,
                with: "Omar Haddad".into(),
            },
            MeetingItem {
                start: ts("2026-11-30T08:00:00Z"),
                end: ts("2026-11-30T08:00:00Z"),
                all_day: true,
                with: "Conference".into(),
            },
            MeetingItem {
                start: ts("2026-12-09T14:00:00Z"),
                end: ts("2026-12-09T14:00:00Z"),
                all_day: false,
                with: "Not this week".into(),
            },
        ],
        action_items_due: vec![PersonItem {
            who: "Jessica".into(),
            what: "send the fintech intro (due 2026-11-30)".into(),
        }],
        goals: goals(),
        setup_warnings: Vec::new(),
        logins_failing: Vec::new(),
        give: Vec::new(),
    };
    let d = build(&input, ts("2026-11-30T07:00:00Z"), &berlin()).unwrap();
    assert_eq!(
        d.summary,
        "1 draft to approve, 1 reply to confirm, 1 request to answer, 1 proposed time, 2 meetings, 1 action item due"
    );
    assert_eq!(d.subject, format!("rapport: {}", d.summary));
    for want in [
        "rapport review",
        "   7  nudge to Jessica Park — no reply",
        "Lena: \"maybe next month\"",
        "Raj: asked for a call",
        "Times they proposed; confirm, move or ignore them",
        "Bob: proposed Tue 2026-12-08 15:00",
        "today, all day: Conference",
        "tomorrow 15:00: Omar Haddad",
        "send the fintech intro",
        "new people this month: 1 of 4",
    ] {
        assert!(d.body.contains(want), "{want}\n{}", d.body);
    }
    assert!(!d.body.contains("Not this week"), "{}", d.body);
    // Today's meetings come before tomorrow's.
    let conf = d.body.find("Conference").unwrap();
    let omar = d.body.find("Omar Haddad").unwrap();
    assert!(conf < omar, "{}", d.body);
}

#[test]
fn the_greeting_follows_the_time_of_day_and_only_meetings_ahead_are_listed() {
    let meeting = |start: &str, end: &str, with: &str| MeetingItem {
        start: ts(start),
        end: ts(end),
        all_day: false,
        with: with.into(),
    };
    let input = DigestInput {
        meetings: vec![
            meeting(
                "2026-11-30T08:00:00Z",
                "2026-11-30T08:25:00Z",
                "Over Already",
            ),
            meeting(
                "2026-11-30T16:30:00Z",
                "2026-11-30T16:55:00Z",
                "In Progress",
            ),
            meeting(
                "2026-12-01T09:00:00Z",
                "2026-12-01T09:25:00Z",
                "Tomorrow Person",
            ),
        ],
        ..DigestInput::default()
    };
    // 17:45 in Berlin.
    let d = build(&input, ts("2026-11-30T16:45:00Z"), &berlin()).unwrap();
    assert!(d.body.starts_with("Good evening."), "{}", d.body);
    assert!(!d.body.contains("Over Already"), "{}", d.body);
    assert!(d.body.contains("In Progress"), "{}", d.body);
    assert!(d.body.contains("Tomorrow Person"), "{}", d.body);
    assert_eq!(d.summary, "2 meetings");
    let d = build(&input, ts("2026-11-30T06:00:00Z"), &berlin()).unwrap();
    assert!(d.body.starts_with("Good morning."), "{}", d.body);
    let d = build(&input, ts("2026-11-30T12:00:00Z"), &berlin()).unwrap();
    assert!(d.body.starts_with("Good afternoon."), "{}", d.body);
}

#[test]
fn a_setup_problem_alone_makes_a_digest_and_comes_first() {
    let input = DigestInput {
        goals: goals(),
        setup_warnings: vec!["no Sent folder is read on imap.example.org".into()],
        ..DigestInput::default()
    };
    let d = build(&input, ts("2026-11-30T07:00:00Z"), &berlin()).expect("a digest");
    assert_eq!(d.summary, "1 setup problem");
    let problem = d.body.find("no Sent folder is read").expect("the warning");
    assert!(
        problem < d.body.find("Goals:").expect("goals"),
        "{}",
        d.body
    );
}

#[test]
fn a_failing_login_alone_makes_a_digest_and_comes_first() {
    let input = DigestInput {
        logins_failing: vec![
            "the [smtp] login does not work since Mon 2026-11-23 10:00 UTC (3 failed tries): [smtp] token_command failed (exit status: 1); run it yourself in a terminal to see why".into(),
        ],
        goals: goals(),
        ..DigestInput::default()
    };
    let d = build(&input, ts("2026-11-30T07:00:00Z"), &berlin()).expect("a digest");
    assert_eq!(d.summary, "1 login needs you");
    let first = d.body.lines().nth(2).unwrap_or_default();
    assert!(first.starts_with("Logins that need you"), "{}", d.body);
    assert!(d.body.contains("[smtp] token_command failed"), "{}", d.body);
}

#[test]
fn the_give_suggestion_is_shown_but_never_a_reason_to_send() {
    let give = vec![PersonItem {
        who: "Omar Haddad".into(),
        what: "share something useful (`rapport share URL --to omar@example.net`)".into(),
    }];
    let alone = DigestInput {
        give: give.clone(),
        ..DigestInput::default()
    };
    assert_eq!(build(&alone, ts("2026-11-30T07:00:00Z"), &berlin()), None);
    let with_draft = DigestInput {
        give,
        drafts_waiting: vec![DraftItem {
            id: 3,
            kind: DraftKind::Share,
            to_name: "Jessica Park".into(),
            why: "you shared: a talk".into(),
        }],
        ..DigestInput::default()
    };
    let d = build(&with_draft, ts("2026-11-30T07:00:00Z"), &berlin()).unwrap();
    assert!(d.body.contains("Give before you ask"), "{}", d.body);
    assert!(
        d.body.contains("Omar Haddad: share something useful"),
        "{}",
        d.body
    );
    assert_eq!(d.summary, "1 draft to approve");
}
