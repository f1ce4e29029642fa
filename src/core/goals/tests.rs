use super::*;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ev(contact_id: i64, at: &str, kind: InteractionKind) -> Activity {
    Activity {
        contact_id,
        at: t(at),
        kind,
        uid: None,
        start: None,
        end: None,
    }
}

fn meeting(contact_id: i64, at: &str, kind: InteractionKind, uid: &str, start: &str) -> Activity {
    let s = t(start);
    Activity {
        uid: Some(uid.into()),
        start: Some(s),
        end: Some(s.checked_add(jiff::SignedDuration::from_mins(25)).unwrap()),
        ..ev(contact_id, at, kind)
    }
}

const TARGETS: Targets = Targets {
    new_contacts_per_month: 4,
    conversations_per_week: 2,
    gives_per_month: 2,
};

fn berlin() -> TimeZone {
    TimeZone::get("Europe/Berlin").unwrap()
}

/// Thursday 26 November 2026, 10:00 UTC; the week began Monday the 23rd.
const NOW: &str = "2026-11-26T10:00:00Z";

fn story() -> Vec<Activity> {
    use InteractionKind as K;
    vec![
        // Three weeks ago: two requests, one answered by a reply.
        ev(1, "2026-11-02T10:00:00Z", K::RequestSent),
        ev(2, "2026-11-02T10:00:00Z", K::RequestSent),
        ev(1, "2026-11-03T09:00:00Z", K::Reply),
        // Arranged early, held this week.
        meeting(
            1,
            "2026-11-04T12:00:00Z",
            K::MeetingScheduled,
            "m1",
            "2026-11-24T15:00:00Z",
        ),
        // Moved into next week: not held yet.
        meeting(
            3,
            "2026-11-10T12:00:00Z",
            K::MeetingScheduled,
            "m3",
            "2026-11-25T09:00:00Z",
        ),
        meeting(
            3,
            "2026-11-20T12:00:00Z",
            K::MeetingMoved,
            "m3",
            "2026-12-01T09:00:00Z",
        ),
        // Scheduled then cancelled: never held.
        meeting(
            4,
            "2026-11-10T12:00:00Z",
            K::MeetingScheduled,
            "m4",
            "2026-11-17T09:00:00Z",
        ),
        meeting(
            4,
            "2026-11-12T12:00:00Z",
            K::MeetingCancelled,
            "m4",
            "2026-11-17T09:00:00Z",
        ),
        // This week: a request and a reply; one from the future is ignored.
        ev(5, "2026-11-23T08:00:00Z", K::RequestSent),
        ev(6, "2026-11-25T17:00:00Z", K::Reply),
        ev(7, "2026-11-27T17:00:00Z", K::Reply),
    ]
}

#[test]
fn counts_the_week_the_month_and_the_reply_rate() {
    let added = [
        t("2026-10-30T10:00:00Z"),
        t("2026-11-02T10:00:00Z"),
        t("2026-11-20T10:00:00Z"),
    ];
    let p = progress(&added, &story(), TARGETS, 4, t(NOW), &berlin());
    let starts: Vec<String> = p.weeks.iter().map(|w| w.start.to_string()).collect();
    assert_eq!(
        starts,
        ["2026-11-02", "2026-11-09", "2026-11-16", "2026-11-23"]
    );
    let conv: Vec<u32> = p.weeks.iter().map(|w| w.conversations).collect();
    assert_eq!(conv, [1, 0, 0, 2], "{:?}", p.weeks);
    let req: Vec<u32> = p.weeks.iter().map(|w| w.requests).collect();
    assert_eq!(req, [2, 0, 0, 1]);
    assert_eq!(p.meetings_held_this_week, 1);
    assert_eq!(p.replies_this_week, 1);
    assert_eq!(p.conversations_this_week, 2);
    assert_eq!(p.new_contacts_this_month, 2, "October's does not count");
    assert_eq!((p.requests_in_period, p.answered_in_period), (3, 1));
    assert_eq!(p.reply_rate, Some(33));
    assert_eq!(
        p.verdict,
        "Behind on new people: 2 of 4 new people this month (2 of 2 conversations this week); add the people you meet (`rapport contacts add`).",
        "by the 26th the pace is 3 of 4"
    );
}

#[test]
fn verdicts_follow_the_pace_of_the_week_and_month() {
    use InteractionKind as K;
    let table: Vec<(&str, Vec<Timestamp>, Vec<Activity>, &str)> = vec![
        // Monday morning with nothing yet: not behind.
        ("2026-11-02T08:00:00Z", vec![], vec![], "On track"),
        // Thursday, nothing this week: behind on conversations (pace 2*4/7 = 1).
        (
            "2026-11-26T10:00:00Z",
            vec![
                t("2026-11-02T10:00:00Z"),
                t("2026-11-03T10:00:00Z"),
                t("2026-11-04T10:00:00Z"),
            ],
            vec![],
            "Behind on conversations",
        ),
        // The 26th with one new contact: behind on people (pace 4*26/30 = 3).
        (
            "2026-11-26T10:00:00Z",
            vec![t("2026-11-02T10:00:00Z")],
            vec![
                ev(1, "2026-11-24T10:00:00Z", K::Reply),
                ev(2, "2026-11-25T10:00:00Z", K::Reply),
            ],
            "Behind on new people",
        ),
        (
            "2026-11-26T10:00:00Z",
            vec![],
            vec![],
            "Behind on both: 0 of 2 conversations",
        ),
        (
            "2026-11-26T10:00:00Z",
            vec![t("2026-11-02T10:00:00Z"); 4],
            vec![
                ev(1, "2026-11-24T10:00:00Z", K::Reply),
                ev(2, "2026-11-25T10:00:00Z", K::Reply),
            ],
            "Goals met",
        ),
    ];
    for (now, added, events, want) in table {
        let p = progress(&added, &events, TARGETS, 2, t(now), &berlin());
        assert!(p.verdict.starts_with(want), "{now}: {}", p.verdict);
    }
}

#[test]
fn weeks_start_on_the_users_monday() {
    // 23:30 UTC on Sunday the 22nd is already Monday the 23rd in Berlin.
    let p = progress(
        &[],
        &[ev(1, "2026-11-22T23:30:00Z", InteractionKind::Reply)],
        TARGETS,
        2,
        t("2026-11-23T08:00:00Z"),
        &berlin(),
    );
    assert_eq!(p.weeks[1].start.to_string(), "2026-11-23");
    assert_eq!(p.weeks[1].replies, 1);
    assert_eq!(p.reply_rate, None, "no request, no rate");
    assert_eq!(
        progress(&[], &[], TARGETS, 0, t(NOW), &berlin())
            .weeks
            .len(),
        1,
        "at least this week"
    );
}

#[test]
fn the_chart_draws_blocks_or_ascii() {
    let p = progress(&[], &story(), TARGETS, 4, t(NOW), &berlin());
    let uni = chart(&p, false);
    let lines: Vec<&str> = uni.lines().collect();
    assert_eq!(lines[0], "Conversations per week (goal 2), requests sent:");
    assert_eq!(
        lines[1],
        format!(
            "  11-02  {}{}  1     req  2",
            "█".repeat(10),
            " ".repeat(10)
        )
    );
    assert_eq!(
        lines[2],
        format!("  11-09  {}  0     req  0", " ".repeat(20))
    );
    assert_eq!(
        lines[4],
        format!("  11-23  {}  2 ✓   req  1  (this week)", "█".repeat(20))
    );
    let ascii = chart(&p, true);
    assert!(ascii.is_ascii(), "{ascii}");
    assert!(
        ascii.contains(&format!(
            "  11-23  {}  2 ok  req  1  (this week)",
            "#".repeat(20)
        )),
        "{ascii}"
    );
    // Partial cells: 1 of 3 is 6⅔ cells.
    assert_eq!(bar(53, false), format!("{}▋", "█".repeat(6)));
    assert_eq!(bar(0, false), "");
}

#[test]
fn a_meeting_recorded_by_hand_and_its_invitation_are_held_once() {
    use InteractionKind as K;
    let events = vec![
        meeting(
            8,
            "2026-11-20T12:00:00Z",
            K::MeetingScheduled,
            "manual-meeting:2026-11-24T15:00:00Z",
            "2026-11-24T15:00:00Z",
        ),
        meeting(
            8,
            "2026-11-21T12:00:00Z",
            K::MeetingScheduled,
            "inv-8@example.com",
            "2026-11-24T15:30:00Z",
        ),
    ];
    let p = progress(&[], &events, TARGETS, 1, t(NOW), &berlin());
    assert_eq!(p.meetings_held_this_week, 1, "{:?}", p.weeks);
}

#[test]
fn gives_this_month_count_shares_and_introductions_only() {
    use InteractionKind as K;
    let events = vec![
        ev(1, "2026-10-30T10:00:00Z", K::ShareSent), // last month
        ev(1, "2026-11-03T10:00:00Z", K::ShareSent),
        ev(2, "2026-11-10T10:00:00Z", K::IntroSent),
        ev(3, "2026-11-11T10:00:00Z", K::RequestSent), // an ask, not a give
        ev(3, "2026-11-27T10:00:00Z", K::ShareSent),   // after now
    ];
    let p = progress(&[], &events, TARGETS, 8, t(NOW), &berlin());
    assert_eq!((p.gives_this_month, p.gives_goal), (2, 2));
}
