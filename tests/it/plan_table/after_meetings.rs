//! The policy table from the meeting on: the thank-you after a meeting, check-ins at the tier's cadence, and the rows after them.

use super::*;

// ----- row: meeting held and no thank-you → thank-you 2 hours after the end -----

fn meeting_events() -> Vec<Event> {
    vec![
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        reply(2, "2026-11-03T10:00:00Z", "<a1@them>", "yes"),
        meeting(
            3,
            "2026-11-03T11:00:00Z",
            K::MeetingScheduled,
            "u1",
            "2026-11-10T15:00:00Z",
            "2026-11-10T15:25:00Z",
        ),
    ]
}

#[test]
fn meeting_held_gets_a_thank_you_two_hours_after_the_end() {
    let p = run(&meeting_events(), &[], "2026-11-10T15:30:00Z");
    let c = only_create(&p);
    assert_eq!(
        c,
        Created {
            kind: DraftKind::ThankYou,
            reason: "meeting ended 2026-11-10 15:25, no thank-you sent yet".to_string(),
            key: "thank-you:u1".to_string(),
            due: t("2026-11-10T17:25:00Z"),
            reply_to: None,
        }
    );
    assert_eq!(
        p.stage,
        Stage::Met {
            at: t("2026-11-10T15:25:00Z")
        }
    );
    assert_eq!(p.next, "thank-you due 2026-11-10 17:25");
}

#[test]
fn the_reason_shows_local_time() {
    let p = run_with(
        &contact(Tier::Regular),
        &meeting_events(),
        &[],
        "2026-11-10T15:30:00Z",
        &TimeZone::fixed(tz::offset(-5)),
    );
    assert_eq!(
        only_create(&p).reason,
        "meeting ended 2026-11-10 10:25, no thank-you sent yet"
    );
}

#[test]
fn no_thank_you_before_the_meeting_ends() {
    let p = run(&meeting_events(), &[], "2026-11-10T15:10:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");
    assert_eq!(
        p.stage,
        Stage::Scheduled {
            start: t("2026-11-10T15:00:00Z")
        }
    );
    assert_eq!(p.next, "draft a thank-you after the meeting on 2026-11-10");
}

#[test]
fn old_meeting_gets_no_thank_you() {
    // Ten days after the end: beyond stale_thank_you_days (3).
    let p = run(&meeting_events(), &[], "2026-11-20T15:25:00Z");
    assert!(
        creates(&p).iter().all(|c| c.kind != DraftKind::ThankYou),
        "{p:#?}"
    );
    // Exactly three days: still drafted.
    let p = run(&meeting_events(), &[], "2026-11-13T15:25:00Z");
    assert_eq!(only_create(&p).kind, DraftKind::ThankYou);
}

#[test]
fn a_thank_you_sent_by_hand_supersedes_the_draft() {
    let mut events = meeting_events();
    events.push(msg(4, "2026-11-10T16:00:00Z", K::ThankYouSent, "<ty@me>"));
    let drafts = [draft(
        9,
        DraftKind::ThankYou,
        "thank-you:u1",
        DraftStatus::Pending,
        "2026-11-10T15:30:00Z",
    )];
    let p = run(&events, &drafts, "2026-11-10T16:05:00Z");
    assert_eq!(
        superseded(&p),
        vec![(9, "you sent a thank-you on 2026-11-10".to_string())]
    );
    assert_eq!(
        p.stage,
        Stage::Thanked {
            at: t("2026-11-10T16:00:00Z")
        }
    );
}

#[test]
fn cancelled_or_declined_meeting_gets_no_thank_you() {
    for kind in [K::MeetingCancelled, K::MeetingDeclined] {
        let mut events = meeting_events();
        events.push(cancel(4, "2026-11-09T09:00:00Z", kind, "u1"));
        let p = run(&events, &[], "2026-11-10T16:00:00Z");
        assert!(
            creates(&p).iter().all(|c| c.kind != DraftKind::ThankYou),
            "{kind}: {p:#?}"
        );
        // A thank-you drafted before the cancel arrived goes away.
        let drafts = [draft(
            9,
            DraftKind::ThankYou,
            "thank-you:u1",
            DraftStatus::Pending,
            "2026-11-10T15:30:00Z",
        )];
        let p = run(&events, &drafts, "2026-11-10T16:00:00Z");
        assert_eq!(
            superseded(&p),
            vec![(9, "the meeting was cancelled".to_string())]
        );
    }
}

#[test]
fn a_moved_meeting_uses_its_new_time() {
    let mut events = meeting_events();
    events.push(meeting(
        4,
        "2026-11-09T09:00:00Z",
        K::MeetingMoved,
        "u1",
        "2026-11-12T09:00:00Z",
        "2026-11-12T09:25:00Z",
    ));
    let p = run(&events, &[], "2026-11-10T16:00:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");
    let p = run(&events, &[], "2026-11-12T09:30:00Z");
    assert_eq!(only_create(&p).due, t("2026-11-12T11:25:00Z"));
}

#[test]
fn a_reply_does_not_supersede_a_thank_you_or_the_user_s_meeting_request() {
    let mut events = meeting_events();
    events.push(msg(4, "2026-11-10T16:00:00Z", K::EmailReceived, "<x@them>"));
    let drafts = [
        draft(
            9,
            DraftKind::ThankYou,
            "thank-you:u1",
            DraftStatus::Pending,
            "2026-11-10T15:30:00Z",
        ),
        draft(
            10,
            DraftKind::MeetingRequest,
            "request:manual-1",
            DraftStatus::Approved,
            "2026-11-10T15:31:00Z",
        ),
    ];
    let p = run(&events, &drafts, "2026-11-10T16:05:00Z");
    assert!(superseded(&p).is_empty(), "{p:#?}");
}

// ----- row: last interaction older than the tier's cadence → check-in -----

fn last_seen(at: &str) -> Vec<Event> {
    vec![
        reply(1, "2026-06-01T10:00:00Z", "<a0@them>", "yes"),
        msg(2, at, K::EmailReceived, "<a1@them>"),
    ]
}

#[test]
fn regular_contact_gets_a_check_in_three_months_after_last_contact() {
    let p = run(
        &last_seen("2026-08-22T14:00:00Z"),
        &[],
        "2026-09-01T00:00:00Z",
    );
    let c = only_create(&p);
    assert_eq!(
        c,
        Created {
            kind: DraftKind::CheckIn,
            reason: "last contact 2026-08-22 (tier: regular, every 3 months)".to_string(),
            key: "check-in:2026-08-22T14:00:00Z".to_string(),
            due: t("2026-11-22T14:00:00Z"),
            reply_to: None,
        }
    );
    assert_eq!(
        p.stage,
        Stage::KeepingInTouch {
            next_check_in: t("2026-11-22T14:00:00Z")
        }
    );
    assert_eq!(p.next, "check in around 2026-11-22");
}

#[test]
fn cadence_follows_the_tier() {
    for (tier, due, every) in [
        (Tier::Close, "2026-09-22T14:00:00Z", "every 1 month"),
        (Tier::Acquaintance, "2027-02-22T14:00:00Z", "every 6 months"),
    ] {
        let p = run_with(
            &contact(tier),
            &last_seen("2026-08-22T14:00:00Z"),
            &[],
            "2026-09-01T00:00:00Z",
            &TimeZone::UTC,
        );
        let c = only_create(&p);
        assert_eq!(c.due, t(due), "{tier}");
        assert!(c.reason.ends_with(&format!("{every})")), "{}", c.reason);
    }
}

#[test]
fn calendar_months_clamp_at_the_end_of_the_month() {
    let p = run_with(
        &contact(Tier::Close),
        &last_seen("2027-01-31T12:00:00Z"),
        &[],
        "2027-02-01T00:00:00Z",
        &TimeZone::UTC,
    );
    assert_eq!(only_create(&p).due, t("2027-02-28T12:00:00Z"));
}

#[test]
fn a_held_meeting_counts_at_its_end() {
    let mut events = meeting_events();
    events.push(msg(4, "2026-11-10T16:00:00Z", K::ThankYouSent, "<ty@me>"));
    let p = run(&events, &[], "2026-11-11T00:00:00Z");
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-11-10T16:00:00Z");
    assert_eq!(c.due, t("2027-02-10T16:00:00Z"));

    // Old history, no thank-you: the meeting's end is the last contact.
    let p = run(&meeting_events(), &[], "2027-01-01T00:00:00Z");
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-11-10T15:25:00Z");
}

#[test]
fn no_check_in_without_a_two_way_relationship() {
    let events = [
        msg(1, "2026-03-02T10:00:00Z", K::EmailSent, "<s1@me>"),
        ev(2, "2026-03-03T10:00:00Z", K::Note),
        ev(3, "2026-03-04T10:00:00Z", K::AutoReply),
    ];
    let p = run(&events, &[], "2026-09-01T00:00:00Z");
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(p.stage, Stage::New);
    assert_eq!(p.next, "nothing: no request sent yet");
}

#[test]
fn no_check_in_while_another_draft_is_open() {
    let drafts = [draft(
        10,
        DraftKind::MeetingRequest,
        "request:manual-1",
        DraftStatus::Pending,
        "2026-08-30T00:00:00Z",
    )];
    let p = run(
        &last_seen("2026-08-22T14:00:00Z"),
        &drafts,
        "2026-09-01T00:00:00Z",
    );
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(p.next, "send the meeting request once you approve it");
    // A closed draft does not count.
    let mut rejected = drafts.clone();
    rejected[0].status = DraftStatus::Rejected;
    let p = run(
        &last_seen("2026-08-22T14:00:00Z"),
        &rejected,
        "2026-09-01T00:00:00Z",
    );
    assert_eq!(only_create(&p).kind, DraftKind::CheckIn);
}

#[test]
fn newer_contact_supersedes_the_check_in_and_moves_it() {
    let mut events = last_seen("2026-08-22T14:00:00Z");
    events.push(ev(3, "2026-10-01T09:00:00Z", K::Note));
    let drafts = [draft(
        11,
        DraftKind::CheckIn,
        "check-in:2026-08-22T14:00:00Z",
        DraftStatus::Pending,
        "2026-09-01T00:00:00Z",
    )];
    let p = run(&events, &drafts, "2026-10-01T10:00:00Z");
    assert_eq!(
        superseded(&p),
        vec![(11, "you were in touch again on 2026-10-01".to_string())]
    );
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-10-01T09:00:00Z");
    assert_eq!(c.due, t("2027-01-01T09:00:00Z"));
}

#[test]
fn a_rejected_check_in_is_not_drafted_again() {
    let drafts = [draft(
        11,
        DraftKind::CheckIn,
        "check-in:2026-08-22T14:00:00Z",
        DraftStatus::Rejected,
        "2026-09-01T00:00:00Z",
    )];
    let p = run(
        &last_seen("2026-08-22T14:00:00Z"),
        &drafts,
        "2026-12-01T00:00:00Z",
    );
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(p.next, "nothing until one of you writes again");
}

// ----- reply "no" -----

#[test]
fn no_means_declined_and_nothing_more() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        reply(2, "2026-11-03T10:00:00Z", "<a1@them>", "no"),
    ];
    let drafts = [draft(
        7,
        DraftKind::Nudge,
        "nudge:<r1@me>",
        DraftStatus::Pending,
        "2026-11-02T10:05:00Z",
    )];
    for now in ["2026-11-03T11:00:00Z", "2027-11-03T11:00:00Z"] {
        let p = run(&events, &drafts, now);
        assert!(creates(&p).is_empty(), "{p:#?}");
        assert_eq!(superseded_ids(&p), vec![7]);
        assert_eq!(
            p.stage,
            Stage::Declined {
                at: t("2026-11-03T10:00:00Z")
            }
        );
        assert_eq!(p.next, "nothing: they said no");
    }
}

#[test]
fn after_a_no_a_check_in_only_when_they_engage_again() {
    let events = [
        reply(2, "2026-11-03T10:00:00Z", "<a1@them>", "no"),
        msg(3, "2027-01-10T10:00:00Z", K::RequestSent, "<r2@me>"),
    ];
    // The user asked again; they said no before and have not engaged: no nudge.
    let p = run(&events, &[], "2027-01-10T11:00:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");

    let events = [
        reply(2, "2026-11-03T10:00:00Z", "<a1@them>", "no"),
        msg(3, "2027-01-10T10:00:00Z", K::EmailReceived, "<e@them>"),
    ];
    let c = only_create(&run(&events, &[], "2027-01-10T11:00:00Z"));
    assert_eq!(c.key, "check-in:2027-01-10T10:00:00Z");
}

// ----- hard rules: do-not-contact, bounced, no address -----

fn busy_history() -> (Vec<Event>, Vec<ExistingDraft>) {
    let events = meeting_events();
    let drafts = vec![
        draft(
            20,
            DraftKind::Nudge,
            "nudge:<rX@me>",
            DraftStatus::Pending,
            "2026-11-02T10:05:00Z",
        ),
        draft(
            21,
            DraftKind::MeetingRequest,
            "request:1",
            DraftStatus::Approved,
            "2026-11-02T10:05:00Z",
        ),
        draft(
            22,
            DraftKind::CheckIn,
            "check-in:2026-11-03T11:00:00Z",
            DraftStatus::Snoozed,
            "2026-11-03T12:00:00Z",
        ),
        draft(
            23,
            DraftKind::ThankYou,
            "thank-you:u0",
            DraftStatus::Sent,
            "2026-10-01T00:00:00Z",
        ),
        draft(
            24,
            DraftKind::CheckIn,
            "check-in:x",
            DraftStatus::Rejected,
            "2026-10-01T00:00:00Z",
        ),
    ];
    (events, drafts)
}

#[test]
fn blocked_contacts_get_nothing_and_every_open_draft_is_superseded() {
    let (events, drafts) = busy_history();
    let cases = [
        (
            ContactFacts {
                do_not_contact: true,
                ..contact(Tier::Close)
            },
            Stage::DoNotContact,
            "the contact is marked do-not-contact",
        ),
        (
            ContactFacts {
                all_addresses_bounced: true,
                ..contact(Tier::Close)
            },
            Stage::Bounced,
            "every address of the contact bounced",
        ),
        (
            ContactFacts {
                has_address: false,
                ..contact(Tier::Close)
            },
            Stage::NoAddress,
            "the contact has no email address",
        ),
    ];
    for (c, stage, why) in cases {
        // Without the block this would draft a thank-you.
        let p = run_with(&c, &events, &drafts, "2026-11-10T15:30:00Z", &TimeZone::UTC);
        assert!(creates(&p).is_empty(), "{p:#?}");
        assert_eq!(p.stage, stage);
        assert_eq!(
            superseded(&p),
            vec![
                (20, why.to_string()),
                (21, why.to_string()),
                (22, why.to_string())
            ]
        );
        assert_eq!(p.next, format!("nothing: {why}"));
    }
    // The same history unblocked does draft.
    let p = run(&events, &drafts, "2026-11-10T15:30:00Z");
    assert!(!creates(&p).is_empty());
}

// ----- hard rule: nothing automated to someone who wrote since the draft was made -----

#[test]
fn a_reply_after_a_draft_was_made_supersedes_nudges_and_check_ins() {
    let events = [
        reply(1, "2026-06-01T10:00:00Z", "<a0@them>", "yes"),
        msg(2, "2026-09-10T10:00:00Z", K::EmailReceived, "<a1@them>"),
    ];
    // A check-in with a key the planner does not know: only the general rule applies.
    let drafts = [draft(
        30,
        DraftKind::CheckIn,
        "manual:1",
        DraftStatus::Approved,
        "2026-09-01T00:00:00Z",
    )];
    let p = run(&events, &drafts, "2026-09-10T11:00:00Z");
    assert_eq!(
        superseded(&p),
        vec![(
            30,
            "they wrote on 2026-09-10, after this draft was made".to_string()
        )]
    );
}

// ----- idempotence -----

#[test]
fn replanning_with_the_drafts_it_asked_for_creates_nothing_more() {
    let scenarios: Vec<(Vec<Event>, &str)> = vec![
        (
            vec![msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>")],
            "2026-11-02T10:05:00Z",
        ),
        (meeting_events(), "2026-11-10T15:30:00Z"),
        (
            vec![later(2, "2026-11-05T08:00:00Z", "<a1@them>", "2026-12-15")],
            "2026-11-05T09:00:00Z",
        ),
        (last_seen("2026-08-22T14:00:00Z"), "2026-09-01T00:00:00Z"),
    ];
    for (events, now) in scenarios {
        let first = run(&events, &[], now);
        assert!(!creates(&first).is_empty(), "{now}: {first:#?}");
        for status in DraftStatus::ALL {
            let drafts = with_created(&[], &first, *status, now);
            let again = run(&events, &drafts, now);
            for c in creates(&again) {
                assert!(
                    drafts.iter().all(|d| d.reason_key != c.key),
                    "{now} {status}: {again:#?}"
                );
            }
            if status.is_open() {
                assert!(again.actions.is_empty(), "{now} {status}: {again:#?}");
                assert_eq!(again.stage, first.stage);
                assert_eq!(again.next, first.next);
            }
        }
    }
}

#[test]
fn unsorted_input_plans_the_same() {
    let events = meeting_events();
    let mut shuffled = events.clone();
    shuffled.reverse();
    let now = "2026-11-10T15:30:00Z";
    assert_eq!(run(&events, &[], now), run(&shuffled, &[], now));
}

#[test]
fn plans_serialize_with_stable_names() {
    let p = run(
        &[msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>")],
        &[],
        "2026-11-02T10:05:00Z",
    );
    let json = serde_json::to_value(&p).unwrap();
    assert_eq!(json["stage"]["stage"], "requested");
    assert_eq!(json["actions"][0]["action"], "create");
    assert_eq!(json["actions"][0]["kind"], "nudge");
    assert_eq!(json["actions"][0]["due"], "2026-11-09T10:00:00Z");
}
