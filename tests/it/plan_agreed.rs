//! The agreed next contact ("talk again in March"): it replaces the tier's cadence for
//! the next check-in, and what the tier rule counts as the next contact clears it.

use jiff::Timestamp;
use jiff::tz::TimeZone;
use rapport::core::classify::Intent;
use rapport::core::model::{DraftKind, DraftStatus, InteractionKind as K, Tier};
use rapport::core::plan::{Action, ContactFacts, Event, ExistingDraft, Plan, Policy, Stage, plan};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn contact() -> ContactFacts {
    ContactFacts {
        id: 1,
        tier: Tier::Regular,
        do_not_contact: false,
        all_addresses_bounced: false,
        has_address: true,
        watching_since: None,
    }
}

fn ev(id: i64, at: &str, kind: K) -> Event {
    Event {
        message_key: format!("m{id}@x"),
        ..Event::new(id, t(at), kind)
    }
}

fn agreed(id: i64, at: &str, date: &str) -> Event {
    Event {
        later_until: Some(date.parse().unwrap()),
        ..Event::new(id, t(at), K::NextContactAgreed)
    }
}

fn held(id: i64, start: &str, end: &str) -> Event {
    Event {
        meeting_uid: Some(format!("uid-{id}")),
        meeting_start: Some(t(start)),
        meeting_end: Some(t(end)),
        ..ev(id, "2026-11-04T12:00:00Z", K::MeetingScheduled)
    }
}

/// Request, yes, a meeting on 10 November, a thank-you: a two-way relationship.
fn met() -> Vec<Event> {
    vec![
        ev(1, "2026-11-02T10:00:00Z", K::RequestSent),
        Event {
            intent: Some(Intent::Yes),
            ..ev(2, "2026-11-03T09:30:00Z", K::Reply)
        },
        held(3, "2026-11-10T15:00:00Z", "2026-11-10T15:25:00Z"),
        ev(4, "2026-11-11T09:15:00Z", K::ThankYouSent),
    ]
}

fn run(events: &[Event], drafts: &[ExistingDraft], now: &str) -> Plan {
    plan(
        &contact(),
        events,
        drafts,
        t(now),
        &TimeZone::UTC,
        &Policy::default(),
    )
}

fn check_ins(p: &Plan) -> Vec<(Timestamp, String)> {
    p.actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                kind: DraftKind::CheckIn,
                due,
                reason,
                ..
            } => Some((*due, reason.clone())),
            _ => None,
        })
        .collect()
}

#[test]
fn the_agreed_date_replaces_the_cadence() {
    let now = "2026-11-12T10:00:00Z";
    // Without an agreement: three months after the thank-you.
    let plain = run(&met(), &[], now);
    assert_eq!(check_ins(&plain)[0].0, t("2027-02-11T09:15:00Z"));

    // Agreed a shorter and a longer wait than the tier's: the date wins either way.
    for (date, due) in [
        ("2026-12-15", "2026-12-15T00:00:00Z"),
        ("2027-06-01", "2027-06-01T00:00:00Z"),
    ] {
        let mut events = met();
        events.push(agreed(5, "2026-11-11T18:00:00Z", date));
        let p = run(&events, &[], now);
        let c = check_ins(&p);
        assert_eq!(c.len(), 1, "{p:?}");
        assert_eq!(c[0].0, t(due), "{date}");
        assert_eq!(
            c[0].1,
            format!("on 2026-11-11 you agreed to talk again on {date}")
        );
        assert!(p.next.contains(&date.to_string()), "{}", p.next);
        assert_eq!(
            p.stage,
            Stage::KeepingInTouch {
                next_check_in: t(due)
            }
        );
    }
}

#[test]
fn the_agreed_date_is_in_the_users_zone() {
    let mut events = met();
    events.push(agreed(5, "2026-11-11T18:00:00Z", "2027-03-01"));
    let zone = TimeZone::get("America/New_York").unwrap();
    let p = plan(
        &contact(),
        &events,
        &[],
        t("2026-11-12T10:00:00Z"),
        &zone,
        &Policy::default(),
    );
    assert_eq!(check_ins(&p)[0].0, t("2027-03-01T05:00:00Z"));
}

#[test]
fn a_reply_meeting_or_check_in_after_the_agreement_clears_it() {
    let base = || {
        let mut e = met();
        e.push(agreed(5, "2026-11-11T18:00:00Z", "2027-06-01"));
        e
    };
    let now = "2026-12-20T10:00:00Z";
    let table: Vec<(&str, Event, Timestamp)> = vec![
        (
            "a reply",
            ev(6, "2026-12-02T08:00:00Z", K::EmailReceived),
            t("2027-03-02T08:00:00Z"),
        ),
        (
            "a meeting held",
            held(6, "2026-12-03T15:00:00Z", "2026-12-03T15:30:00Z"),
            t("2027-03-03T15:30:00Z"),
        ),
        (
            "a check-in sent",
            ev(6, "2026-12-04T09:00:00Z", K::CheckInSent),
            t("2027-03-04T09:00:00Z"),
        ),
    ];
    for (what, e, due) in table {
        let mut events = base();
        events.push(e);
        let p = run(&events, &[], now);
        let c = check_ins(&p);
        assert_eq!(c.len(), 1, "{what}: {p:?}");
        assert_eq!(c[0].0, due, "{what}");
        assert!(c[0].1.starts_with("last contact"), "{what}: {}", c[0].1);
    }
    // Your own note or email after the agreement does not clear it.
    for kind in [K::Note, K::EmailSent] {
        let mut events = base();
        events.push(ev(6, "2026-12-02T08:00:00Z", kind));
        assert_eq!(
            check_ins(&run(&events, &[], now))[0].0,
            t("2027-06-01T00:00:00Z"),
            "{kind}"
        );
    }
}

#[test]
fn the_agreed_check_in_happens_once() {
    let mut events = met();
    events.push(agreed(5, "2026-11-11T18:00:00Z", "2027-03-01"));
    let p = run(&events, &[], "2027-03-01T09:00:00Z");
    let Action::Create { reason_key, .. } = &p.actions[0] else {
        panic!("{p:?}")
    };
    // Drafted, sent on the day: the next one follows the tier again, not the old date.
    let drafts = [ExistingDraft {
        id: 1,
        kind: DraftKind::CheckIn,
        reason_key: reason_key.clone(),
        status: DraftStatus::Sent,
        created_at: t("2027-03-01T09:00:00Z"),
        due: t("2027-03-01T00:00:00Z"),
    }];
    events.push(ev(6, "2027-03-01T10:00:00Z", K::CheckInSent));
    let p = run(&events, &drafts, "2027-03-02T09:00:00Z");
    assert_eq!(check_ins(&p)[0].0, t("2027-06-01T10:00:00Z"), "{p:?}");
}

#[test]
fn an_agreement_alone_is_enough_for_a_check_in_and_the_latest_one_counts() {
    // Met at an event, nothing in the mailbox yet: the agreement still plans a check-in.
    let events = [
        ev(1, "2026-11-20T18:00:00Z", K::Note),
        agreed(2, "2026-11-20T18:01:00Z", "2027-01-10"),
        agreed(3, "2026-11-25T18:01:00Z", "2027-02-10"),
    ];
    let p = run(&events, &[], "2026-11-26T09:00:00Z");
    assert_eq!(check_ins(&p)[0].0, t("2027-02-10T00:00:00Z"));
    // Without it, a one-sided note plans nothing.
    let p = run(&events[..1], &[], "2026-11-26T09:00:00Z");
    assert!(check_ins(&p).is_empty(), "{p:?}");
}

#[test]
fn an_agreement_never_plans_past_an_open_request() {
    let events = [
        ev(1, "2026-11-02T10:00:00Z", K::RequestSent),
        agreed(2, "2026-11-03T10:00:00Z", "2026-11-20"),
    ];
    // The request is open: the nudge, not a check-in.
    let p = run(&events, &[], "2026-11-21T10:00:00Z");
    assert!(check_ins(&p).is_empty(), "{p:?}");
}
