use std::collections::BTreeMap;

use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn window() -> Window {
    Window {
        from: ts("2026-11-01T00:00:00Z"),
        to: ts("2027-01-31T00:00:00Z"),
    }
}

fn cal(events: &str) -> String {
    format!("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//test//EN\r\n{events}END:VCALENDAR\r\n")
}

fn read_cal(events: &str) -> Reading {
    read(
        &cal(events),
        &TimeZone::get("Europe/Berlin").unwrap(),
        window(),
    )
}

const ONE_ON_ONE: &str = "BEGIN:VEVENT\r\nUID:one@x\r\nDTSTART;TZID=Europe/Berlin:20261208T100000\r\nDTEND;TZID=Europe/Berlin:20261208T103000\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\nEXDATE;TZID=Europe/Berlin:20261215T100000\r\nSUMMARY:1:1\r\nORGANIZER:mailto:ada@example.com\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:priya@example.org\r\nLOCATION:https://meet.google.com/abc-defg-hij\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:one@x\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261222T100000\r\nDTSTART;TZID=Europe/Berlin:20261222T140000\r\nDTEND;TZID=Europe/Berlin:20261222T143000\r\nSUMMARY:1:1 (moved)\r\nORGANIZER:mailto:ada@example.com\r\nATTENDEE:mailto:priya@example.org\r\nEND:VEVENT\r\n";

#[test]
fn a_weekly_series_gives_one_occurrence_per_week_less_exdates_with_overrides() {
    let r = read_cal(ONE_ON_ONE);
    let starts: Vec<String> = r.occurrences.iter().map(|o| o.start.to_string()).collect();
    assert_eq!(
        starts,
        [
            "2026-12-08T09:00:00Z",
            "2026-12-22T13:00:00Z",
            "2026-12-29T09:00:00Z"
        ]
    );
    let moved = &r.occurrences[1];
    assert_eq!(
        moved.key, "one@x/2026-12-22T09:00:00Z",
        "keyed by its original start"
    );
    assert_eq!(moved.summary, "1:1 (moved)");
    let first = &r.occurrences[0];
    assert_eq!(first.key, "one@x/2026-12-08T09:00:00Z");
    assert_eq!(first.end.to_string(), "2026-12-08T09:30:00Z");
    assert_eq!(first.zone.as_deref(), Some("Europe/Berlin"));
    assert_eq!(
        first.link.as_deref(),
        Some("https://meet.google.com/abc-defg-hij")
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
}

#[test]
fn a_single_event_keeps_its_uid_and_cancelled_status() {
    let r = read_cal(
        "BEGIN:VEVENT\r\nUID:lunch@x\r\nDTSTART:20261210T120000Z\r\nDURATION:PT1H\r\nSTATUS:CANCELLED\r\nSUMMARY:Lunch\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:old@x\r\nDTSTART:20250101T120000Z\r\nSUMMARY:Old\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nDTSTART:20261210T120000Z\r\nSUMMARY:No uid\r\nEND:VEVENT\r\n",
    );
    assert_eq!(r.occurrences.len(), 1, "the old one is outside the window");
    let o = &r.occurrences[0];
    assert_eq!(o.key, "lunch@x");
    assert!(o.cancelled);
    assert_eq!(o.end.to_string(), "2026-12-10T13:00:00Z");
    assert_eq!(r.notes.len(), 1, "{:?}", r.notes);
}

#[test]
fn garbage_reads_as_nothing_without_panicking() {
    for text in [
        "",
        "BEGIN:VCALENDAR",
        "\u{0}\u{ffff}:;;",
        &"BEGIN:VEVENT\n".repeat(100),
    ] {
        assert!(read(text, &TimeZone::UTC, window()).occurrences.is_empty());
    }
    let r = read_cal(
        "BEGIN:VEVENT\r\nUID:r@x\r\nDTSTART:20261201T100000Z\r\nRRULE:FREQ=DAILY;BYHOUR=9,10\r\nEND:VEVENT\r\n",
    );
    assert_eq!(r.occurrences.len(), 1);
    assert!(r.notes[0].contains("BYHOUR"), "{:?}", r.notes);
}

fn occurrence(key: &str, start: &str) -> Occurrence {
    let mut o = read_cal(&format!(
        "BEGIN:VEVENT\r\nUID:{key}\r\nDTSTART:{start}\r\nDURATION:PT30M\r\nEND:VEVENT\r\n"
    ))
    .occurrences
    .remove(0);
    o.organizer = Some("ada@example.com".into());
    o
}

const ME: &[&str] = &["ada@example.com", "ada@home.example"];

fn people_of<'a>(me: &'a [String], names: &'a [(i64, String)]) -> People<'a> {
    People { me, names }
}

#[test]
fn attendees_who_are_contacts_are_the_meeting_and_the_user_declining_drops_it() {
    let me: Vec<String> = ME.iter().map(ToString::to_string).collect();
    let names = vec![(9, "priya nair".to_string())];
    let address_of = |a: &str| match a {
        "priya@example.org" | "priya@work.example" => Some(1),
        "omar@example.org" => Some(2),
        _ => None,
    };
    let mut o = occurrence("a@x", "20261210T100000Z");
    o.attendees = vec![
        ("ada@example.com".into(), "ACCEPTED".into()),
        ("priya@work.example".into(), "NEEDS-ACTION".into()),
        ("omar@example.org".into(), "DECLINED".into()),
        ("stranger@example.net".into(), "ACCEPTED".into()),
    ];
    o.summary = "Priya Nair sync".into();
    assert_eq!(contacts_of(&o, people_of(&me, &names), &address_of), [1]);
    o.attendees[0].1 = "DECLINED".into();
    assert!(contacts_of(&o, people_of(&me, &names), &address_of).is_empty());
}

#[test]
fn a_title_naming_a_contact_counts_only_when_the_user_organised_it() {
    let me: Vec<String> = ME.iter().map(ToString::to_string).collect();
    let names = vec![(9, "priya nair".to_string()), (10, "mark lee".to_string())];
    let none = |_: &str| None;
    let mut o = occurrence("b@x", "20261210T100000Z");
    o.summary = "Coffee with Priya Nair (Café Central)".into();
    assert_eq!(contacts_of(&o, people_of(&me, &names), &none), [9]);
    o.summary = "Lunch with PRIYA NAÏR".into();
    assert_eq!(
        contacts_of(&o, people_of(&me, &names), &none),
        [9],
        "case and accents"
    );
    o.summary = "Mark quarter close; Leena".into();
    assert!(contacts_of(&o, people_of(&me, &names), &none).is_empty());
    o.summary = "Coffee with Priya Nair".into();
    o.organizer = Some("boss@example.com".into());
    assert!(contacts_of(&o, people_of(&me, &names), &none).is_empty());
    o.organizer = None;
    assert_eq!(
        contacts_of(&o, people_of(&me, &names), &none),
        [9],
        "own calendar"
    );
}

fn known(start: &str, cancelled: bool) -> Known {
    Known {
        start: ts(start),
        end: ts(start)
            .checked_add(SignedDuration::from_mins(30))
            .unwrap(),
        cancelled,
    }
}

#[test]
fn new_moved_same_and_gone_events_give_schedule_move_nothing_and_cancel() {
    let a = occurrence("a@x", "20261210T100000Z");
    let b = occurrence("b@x", "20261211T100000Z");
    let mut known_map = BTreeMap::new();
    known_map.insert((1, "b@x".to_string()), known("2026-12-11T09:00:00Z", false));
    known_map.insert(
        (1, "gone@x".to_string()),
        known("2026-12-12T09:00:00Z", false),
    );
    let mut seen = Seen::new();
    seen.insert(
        (1, "gone@x".into()),
        (ts("2026-12-12T09:00:00Z"), ts("2026-12-12T09:30:00Z")),
    );
    let wanted = [(1, &a), (1, &b)];
    let got = changes(&wanted, &known_map, &seen, window()).0;
    assert_eq!(got.len(), 3, "{got:?}");
    assert!(matches!(&got[0], Change::Schedule { key, .. } if key == "a@x"));
    assert!(matches!(&got[1], Change::Move { key, .. } if key == "b@x"));
    assert!(matches!(&got[2], Change::Cancel { key, removed: true, .. } if key == "gone@x"));
    // The same reading again, once written: nothing to do.
    known_map.insert((1, "a@x".to_string()), known("2026-12-10T10:00:00Z", false));
    known_map.insert((1, "b@x".to_string()), known("2026-12-11T10:00:00Z", false));
    known_map.insert(
        (1, "gone@x".to_string()),
        known("2026-12-12T09:00:00Z", true),
    );
    assert!(changes(&wanted, &known_map, &seen, window()).0.is_empty());
}

#[test]
fn a_meeting_the_user_removed_is_not_revived_while_the_calendar_is_unchanged() {
    let a = occurrence("a@x", "20261210T100000Z");
    let mut known_map = BTreeMap::new();
    known_map.insert((1, "a@x".to_string()), known("2026-12-10T10:00:00Z", true));
    let mut seen = Seen::new();
    seen.insert((1, "a@x".into()), (a.start, a.end));
    assert!(
        changes(&[(1, &a)], &known_map, &seen, window())
            .0
            .is_empty()
    );
    // Moved in the calendar afterwards: it is on again.
    seen.insert((1, "a@x".into()), (ts("2026-12-09T10:00:00Z"), a.end));
    let got = changes(&[(1, &a)], &known_map, &seen, window()).0;
    assert!(matches!(&got[..], [Change::Schedule { .. }]), "{got:?}");
}

#[test]
fn cancelled_in_the_calendar_cancels_and_an_old_one_sliding_out_is_not_removed() {
    let mut a = occurrence("a@x", "20261210T100000Z");
    a.cancelled = true;
    let mut known_map = BTreeMap::new();
    known_map.insert((1, "a@x".to_string()), known("2026-12-10T10:00:00Z", false));
    known_map.insert(
        (1, "old@x".to_string()),
        known("2026-10-01T10:00:00Z", false),
    );
    let mut seen = Seen::new();
    seen.insert(
        (1, "old@x".into()),
        (ts("2026-10-01T10:00:00Z"), ts("2026-10-01T10:30:00Z")),
    );
    let got = changes(&[(1, &a)], &known_map, &seen, window()).0;
    assert!(
        matches!(&got[..], [Change::Cancel { removed: false, key, .. }] if key == "a@x"),
        "{got:?}"
    );
}

#[test]
fn an_occurrence_at_the_start_an_invitation_gave_joins_that_meeting() {
    let r = read_cal(ONE_ON_ONE);
    let first = &r.occurrences[0];
    let mut known_map = BTreeMap::new();
    known_map.insert(
        (1, "one@x".to_string()),
        Known {
            start: first.start,
            end: first.end,
            cancelled: false,
        },
    );
    let wanted: Vec<(i64, &Occurrence)> = r.occurrences.iter().map(|o| (1, o)).collect();
    let got = changes(&wanted, &known_map, &Seen::new(), window()).0;
    assert_eq!(
        got.len(),
        2,
        "the first occurrence is the invitation's meeting: {got:?}"
    );
}
