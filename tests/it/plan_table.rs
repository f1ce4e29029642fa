//! Table tests for the planner: one test per row of the policy table (README: "What rapport will and will not send")
//! and per hard rule, with explicit timestamps.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use rapport::core::classify::Intent;
use rapport::core::model::{DraftKind, DraftStatus, InteractionKind as K, Tier};
use rapport::core::plan::{Action, ContactFacts, Event, ExistingDraft, Plan, Policy, Stage, plan};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn d(s: &str) -> Date {
    s.parse().unwrap()
}

fn contact(tier: Tier) -> ContactFacts {
    ContactFacts {
        id: 1,
        tier,
        do_not_contact: false,
        all_addresses_bounced: false,
        has_address: true,
        watching_since: None,
    }
}

fn ev(id: i64, at: &str, kind: K) -> Event {
    Event::new(id, t(at), kind)
}

fn msg(id: i64, at: &str, kind: K, key: &str) -> Event {
    Event {
        message_key: key.to_string(),
        ..ev(id, at, kind)
    }
}

fn reply(id: i64, at: &str, key: &str, intent: &str) -> Event {
    Event {
        intent: Some(Intent::from_name(intent).expect("an intent name")),
        ..msg(id, at, K::Reply, key)
    }
}

fn later(id: i64, at: &str, key: &str, until: &str) -> Event {
    Event {
        later_until: Some(d(until)),
        ..reply(id, at, key, "later")
    }
}

fn meeting(id: i64, at: &str, kind: K, uid: &str, start: &str, end: &str) -> Event {
    Event {
        meeting_uid: Some(uid.to_string()),
        meeting_start: Some(t(start)),
        meeting_end: Some(t(end)),
        ..ev(id, at, kind)
    }
}

fn cancel(id: i64, at: &str, kind: K, uid: &str) -> Event {
    Event {
        meeting_uid: Some(uid.to_string()),
        ..ev(id, at, kind)
    }
}

fn away(id: i64, at: &str, until: &str) -> Event {
    Event {
        auto_reply_until: Some(d(until)),
        ..ev(id, at, K::AutoReply)
    }
}

fn draft(id: i64, kind: DraftKind, key: &str, status: DraftStatus, created: &str) -> ExistingDraft {
    ExistingDraft {
        id,
        kind,
        reason_key: key.to_string(),
        status,
        created_at: t(created),
        due: t(created),
    }
}

fn run_with(
    c: &ContactFacts,
    events: &[Event],
    drafts: &[ExistingDraft],
    now: &str,
    zone: &TimeZone,
) -> Plan {
    plan(c, events, drafts, t(now), zone, &Policy::default())
}

fn run(events: &[Event], drafts: &[ExistingDraft], now: &str) -> Plan {
    run_with(&contact(Tier::Regular), events, drafts, now, &TimeZone::UTC)
}

#[derive(Debug, Clone, PartialEq)]
struct Created {
    kind: DraftKind,
    reason: String,
    key: String,
    due: Timestamp,
    reply_to: Option<String>,
}

fn creates(p: &Plan) -> Vec<Created> {
    p.actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                kind,
                reason,
                reason_key,
                due,
                reply_to,
            } => Some(Created {
                kind: *kind,
                reason: reason.clone(),
                key: reason_key.clone(),
                due: *due,
                reply_to: reply_to.clone(),
            }),
            _ => None,
        })
        .collect()
}

fn only_create(p: &Plan) -> Created {
    let c = creates(p);
    assert_eq!(c.len(), 1, "expected exactly one Create: {p:#?}");
    c[0].clone()
}

fn superseded(p: &Plan) -> Vec<(i64, String)> {
    p.actions
        .iter()
        .filter_map(|a| match a {
            Action::Supersede { draft_id, why } => Some((*draft_id, why.clone())),
            _ => None,
        })
        .collect()
}

fn superseded_ids(p: &Plan) -> Vec<i64> {
    superseded(p).into_iter().map(|(id, _)| id).collect()
}

/// Feeds the plan's Creates back in as drafts with `status`, created at `now`.
fn with_created(
    drafts: &[ExistingDraft],
    p: &Plan,
    status: DraftStatus,
    now: &str,
) -> Vec<ExistingDraft> {
    let mut out = drafts.to_vec();
    for (i, c) in creates(p).into_iter().enumerate() {
        out.push(ExistingDraft {
            id: 1000 + i as i64,
            kind: c.kind,
            reason_key: c.key,
            status,
            created_at: t(now),
            due: c.due,
        });
    }
    out
}

// ----- row: request sent, no human reply → one nudge, same thread, 7 days later -----

#[test]
fn request_gets_one_nudge_seven_days_later_in_the_same_thread() {
    let events = [msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>")];
    let p = run(&events, &[], "2026-11-02T10:05:00Z");
    let c = only_create(&p);
    assert_eq!(c.kind, DraftKind::Nudge);
    assert_eq!(c.due, t("2026-11-09T10:00:00Z"));
    assert_eq!(c.key, "nudge:<r1@me>");
    assert_eq!(c.reply_to.as_deref(), Some("<r1@me>"));
    assert_eq!(c.reason, "no reply to your request of 2026-11-02 (7 days)");
    assert_eq!(
        p.stage,
        Stage::Requested {
            since: t("2026-11-02T10:00:00Z")
        }
    );
    assert_eq!(p.next, "nudge on 2026-11-09 if no reply");
}

#[test]
fn nudge_key_falls_back_to_the_event_id_without_a_message_id() {
    let events = [ev(41, "2026-11-02T10:00:00Z", K::RequestSent)];
    let c = only_create(&run(&events, &[], "2026-11-03T00:00:00Z"));
    assert_eq!(c.key, "nudge:41");
    assert_eq!(c.reply_to, None);
}

#[test]
fn nudge_uses_the_policy_number() {
    let events = [msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>")];
    let policy = Policy {
        nudge_after_days: 10,
        ..Policy::default()
    };
    let p = plan(
        &contact(Tier::Regular),
        &events,
        &[],
        t("2026-11-03T00:00:00Z"),
        &TimeZone::UTC,
        &policy,
    );
    let c = only_create(&p);
    assert_eq!(c.due, t("2026-11-12T10:00:00Z"));
    assert!(c.reason.ends_with("(10 days)"), "{}", c.reason);
}

#[test]
fn reply_cancels_the_nudge_and_supersedes_the_pending_one() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        reply(2, "2026-11-05T08:00:00Z", "<a1@them>", "yes"),
    ];
    let drafts = [draft(
        7,
        DraftKind::Nudge,
        "nudge:<r1@me>",
        DraftStatus::Pending,
        "2026-11-02T10:05:00Z",
    )];
    let p = run(&events, &drafts, "2026-11-05T09:00:00Z");
    assert!(
        creates(&p).iter().all(|c| c.kind != DraftKind::Nudge),
        "{p:#?}"
    );
    assert_eq!(
        superseded(&p),
        vec![(7, "they replied on 2026-11-05".to_string())]
    );
    assert_eq!(
        p.stage,
        Stage::Replied {
            intent: Intent::Yes,
            at: t("2026-11-05T08:00:00Z")
        }
    );
}

/// DESIGN §5: a request the user wrote by hand gets the same lifecycle as
/// `rapport request`; an unsure one gets no nudge until confirmed; a request
/// from them answers ours.
#[test]
fn hand_written_requests_follow_the_request_lifecycle() {
    let req = msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "r1@me");
    let c = only_create(&run(
        std::slice::from_ref(&req),
        &[],
        "2026-11-02T10:05:00Z",
    ));
    assert_eq!(c.kind, DraftKind::Nudge);
    assert_eq!(c.reply_to.as_deref(), Some("r1@me"));
    let unsure = Event {
        unsure: true,
        ..req.clone()
    };
    let p = run(&[unsure], &[], "2026-11-09T11:00:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");
    assert!(p.next.contains("confirm"), "{}", p.next);
    let asked = msg(2, "2026-11-03T10:00:00Z", K::RequestReceived, "q@them");
    let p = run(&[req, asked], &[], "2026-11-09T11:00:00Z");
    assert!(
        creates(&p).iter().all(|c| c.kind != DraftKind::Nudge),
        "{p:#?}"
    );
}

/// Issue 11 item 1: a reply in the request's thread whose `Date:` is older than the
/// request (a slow clock, a wrong zone) still answers it.
#[test]
fn a_reply_naming_the_request_answers_it_whatever_its_date() {
    let slow = |refs: bool| Event {
        in_reply_to: if refs {
            String::new()
        } else {
            "<r1@me>".to_string()
        },
        references: if refs {
            vec!["<r1@me>".to_string()]
        } else {
            Vec::new()
        },
        ..reply(2, "2026-11-02T09:00:00Z", "<a1@them>", "yes")
    };
    for by_refs in [false, true] {
        let events = [
            msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
            slow(by_refs),
        ];
        let pending = [draft(
            7,
            DraftKind::Nudge,
            "nudge:<r1@me>",
            DraftStatus::Approved,
            "2026-11-02T10:05:00Z",
        )];
        let p = run(&events, &pending, "2026-11-09T11:00:00Z");
        assert!(
            creates(&p).iter().all(|c| c.kind != DraftKind::Nudge),
            "{p:#?}"
        );
        assert_eq!(superseded_ids(&p), vec![7], "{p:#?}");
        assert!(matches!(p.stage, Stage::Replied { .. }), "{p:#?}");
        let p = run(&events, &[], "2026-11-09T11:00:00Z");
        assert!(
            creates(&p).iter().all(|c| c.kind != DraftKind::Nudge),
            "{p:#?}"
        );
    }
    // Without the thread link an older message is not an answer (it came before).
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        msg(2, "2026-11-02T09:00:00Z", K::EmailReceived, "<e@them>"),
    ];
    let c = only_create(&run(&events, &[], "2026-11-09T11:00:00Z"));
    assert_eq!(c.kind, DraftKind::Nudge);
}

#[test]
fn any_inbound_human_message_or_meeting_answers_the_request() {
    for answer in [
        msg(2, "2026-11-04T08:00:00Z", K::EmailReceived, "<e@them>"),
        msg(2, "2026-11-04T08:00:00Z", K::ThankYouReceived, "<e@them>"),
        meeting(
            2,
            "2026-11-04T08:00:00Z",
            K::MeetingScheduled,
            "u1",
            "2026-11-20T15:00:00Z",
            "2026-11-20T15:25:00Z",
        ),
    ] {
        let events = [
            msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
            answer.clone(),
        ];
        let drafts = [draft(
            7,
            DraftKind::Nudge,
            "nudge:<r1@me>",
            DraftStatus::Approved,
            "2026-11-02T10:05:00Z",
        )];
        let p = run(&events, &drafts, "2026-11-05T00:00:00Z");
        assert!(
            creates(&p).iter().all(|c| c.kind != DraftKind::Nudge),
            "{answer:?}: {p:#?}"
        );
        assert_eq!(superseded_ids(&p), vec![7], "{answer:?}");
    }
}

#[test]
fn auto_replies_and_bounces_are_not_replies() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        ev(2, "2026-11-02T10:01:00Z", K::AutoReply),
        ev(3, "2026-11-02T10:02:00Z", K::Bounce),
    ];
    let c = only_create(&run(&events, &[], "2026-11-03T00:00:00Z"));
    assert_eq!(c.kind, DraftKind::Nudge);
    assert_eq!(c.due, t("2026-11-09T10:00:00Z"));
}

// ----- row: auto-reply with a return date → nudges wait until after that date -----

#[test]
fn out_of_office_pushes_the_nudge_past_the_return_date() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        away(2, "2026-11-02T10:01:00Z", "2026-11-12"),
    ];
    let c = only_create(&run(&events, &[], "2026-11-02T11:00:00Z"));
    assert_eq!(c.due, t("2026-11-13T00:00:00Z"));
    assert_eq!(
        c.reason,
        "no reply to your request of 2026-11-02 (7 days); they are away until 2026-11-12"
    );

    // The start of the day after is taken in the user's zone.
    let plus_one = TimeZone::fixed(tz::offset(1));
    let c = only_create(&run_with(
        &contact(Tier::Regular),
        &events,
        &[],
        "2026-11-02T11:00:00Z",
        &plus_one,
    ));
    assert_eq!(c.due, t("2026-11-12T23:00:00Z"));
}

#[test]
fn short_absence_does_not_bring_the_nudge_forward() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        away(2, "2026-11-02T10:01:00Z", "2026-11-04"),
    ];
    let c = only_create(&run(&events, &[], "2026-11-02T11:00:00Z"));
    assert_eq!(c.due, t("2026-11-09T10:00:00Z"));
}

#[test]
fn auto_reply_after_the_nudge_was_drafted_reschedules_it_once() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        away(2, "2026-11-03T09:00:00Z", "2026-11-20"),
    ];
    let mut nudge = draft(
        7,
        DraftKind::Nudge,
        "nudge:<r1@me>",
        DraftStatus::Approved,
        "2026-11-02T10:05:00Z",
    );
    nudge.due = t("2026-11-09T10:00:00Z");
    let p = run(
        &events,
        std::slice::from_ref(&nudge),
        "2026-11-03T10:00:00Z",
    );
    assert!(creates(&p).is_empty());
    assert_eq!(
        p.actions,
        vec![Action::Reschedule {
            draft_id: 7,
            due: t("2026-11-21T00:00:00Z"),
            why: "they are away until 2026-11-20".to_string()
        }]
    );
    assert_eq!(p.next, "nudge on 2026-11-21 if no reply");

    // Once the store moved it, planning again changes nothing.
    nudge.due = t("2026-11-21T00:00:00Z");
    let p = run(&events, &[nudge], "2026-11-03T10:00:00Z");
    assert!(p.actions.is_empty(), "{p:#?}");
}

// ----- row: nudge sent, still no reply → dormant, no drafts -----

#[test]
fn nudge_sent_then_silence_makes_the_contact_dormant() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        msg(2, "2026-11-09T10:00:00Z", K::NudgeSent, "<n1@me>"),
    ];
    let p = run(&events, &[], "2026-11-22T12:00:00Z");
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(
        p.stage,
        Stage::Nudged {
            since: t("2026-11-09T10:00:00Z")
        }
    );
    assert_eq!(
        p.next,
        "nothing: nudged on 2026-11-09; dormant on 2026-11-23 if no reply"
    );

    let p = run(&events, &[], "2026-11-23T10:00:00Z");
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(
        p.stage,
        Stage::Dormant {
            since: t("2026-11-23T10:00:00Z")
        }
    );
    assert_eq!(p.next, "nothing: dormant since 2026-11-23 (no reply)");
}

#[test]
fn dormant_contact_gets_no_check_in_even_after_an_old_friendship() {
    // They answered and met a year before; the new request went unanswered.
    let events = [
        reply(1, "2025-10-01T10:00:00Z", "<a0@them>", "yes"),
        meeting(
            2,
            "2025-10-02T10:00:00Z",
            K::MeetingScheduled,
            "u0",
            "2025-10-10T15:00:00Z",
            "2025-10-10T15:25:00Z",
        ),
        msg(3, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        msg(4, "2026-11-09T10:00:00Z", K::NudgeSent, "<n1@me>"),
    ];
    for now in ["2026-11-23T10:00:00Z", "2027-06-01T00:00:00Z"] {
        let p = run(&events, &[], now);
        assert!(creates(&p).is_empty(), "{now}: {p:#?}");
        assert!(matches!(p.stage, Stage::Dormant { .. }), "{now}: {p:?}");
    }
}

#[test]
fn stale_request_gets_no_nudge() {
    let events = [msg(1, "2026-09-01T10:00:00Z", K::RequestSent, "<r1@me>")];
    // 30 days old: still nudged (due in the past, i.e. now).
    let c = only_create(&run(&events, &[], "2026-10-01T10:00:00Z"));
    assert_eq!(c.kind, DraftKind::Nudge);
    // Older: nothing, and the silence counts as an answer.
    let p = run(&events, &[], "2026-10-01T10:00:01Z");
    assert!(p.actions.is_empty(), "{p:#?}");
    assert_eq!(
        p.stage,
        Stage::Dormant {
            since: t("2026-10-01T10:00:00Z")
        }
    );
}

// ----- hard rule: at most one nudge per request -----

#[test]
fn a_nudge_draft_in_any_status_blocks_a_second_one() {
    let events = [msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>")];
    for status in DraftStatus::ALL {
        let drafts = [draft(
            7,
            DraftKind::Nudge,
            "nudge:<r1@me>",
            *status,
            "2026-11-02T10:05:00Z",
        )];
        let p = run(&events, &drafts, "2026-11-10T00:00:00Z");
        assert!(creates(&p).is_empty(), "{status}: {p:#?}");
    }
}

#[test]
fn a_nudge_sent_by_hand_blocks_the_drafted_one() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        msg(2, "2026-11-06T10:00:00Z", K::NudgeSent, "<n1@me>"),
    ];
    let drafts = [draft(
        7,
        DraftKind::Nudge,
        "nudge:<r1@me>",
        DraftStatus::Snoozed,
        "2026-11-02T10:05:00Z",
    )];
    let p = run(&events, &drafts, "2026-11-07T00:00:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");
    assert_eq!(
        superseded(&p),
        vec![(7, "a nudge already went out on 2026-11-06".to_string())]
    );
}

#[test]
fn a_newer_request_supersedes_the_older_request_s_nudge() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        msg(2, "2026-11-04T10:00:00Z", K::RequestSent, "<r2@me>"),
    ];
    let drafts = [draft(
        7,
        DraftKind::Nudge,
        "nudge:<r1@me>",
        DraftStatus::Pending,
        "2026-11-02T10:05:00Z",
    )];
    let p = run(&events, &drafts, "2026-11-04T11:00:00Z");
    assert_eq!(superseded_ids(&p), vec![7]);
    let c = only_create(&p);
    assert_eq!(c.key, "nudge:<r2@me>");
    assert_eq!(c.due, t("2026-11-11T10:00:00Z"));
}

// ----- row: reply "later" with a date → check-in on that date -----

#[test]
fn later_with_a_date_gets_a_check_in_on_that_date() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        later(2, "2026-11-05T08:00:00Z", "<a1@them>", "2026-12-15"),
    ];
    let p = run(&events, &[], "2026-11-05T09:00:00Z");
    let c = only_create(&p);
    assert_eq!(
        c,
        Created {
            kind: DraftKind::CheckIn,
            reason: "they asked you to come back around 2026-12-15".to_string(),
            key: "later:<a1@them>".to_string(),
            due: t("2026-12-15T00:00:00Z"),
            reply_to: Some("<a1@them>".to_string()),
        }
    );
    assert_eq!(
        p.stage,
        Stage::Waiting {
            until: d("2026-12-15")
        }
    );
    assert_eq!(p.next, "check in on 2026-12-15, as they asked");
}

#[test]
fn later_without_a_date_is_just_a_reply() {
    let events = [
        msg(1, "2026-11-02T10:00:00Z", K::RequestSent, "<r1@me>"),
        reply(2, "2026-11-05T08:00:00Z", "<a1@them>", "later"),
    ];
    let p = run(&events, &[], "2026-11-05T09:00:00Z");
    // Only the cadence check-in, three months on.
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-11-05T08:00:00Z");
    assert_eq!(c.due, t("2027-02-05T08:00:00Z"));
}

#[test]
fn writing_again_supersedes_the_later_check_in() {
    let events = [
        later(2, "2026-11-05T08:00:00Z", "<a1@them>", "2026-12-15"),
        msg(3, "2026-11-20T08:00:00Z", K::EmailReceived, "<a2@them>"),
    ];
    let drafts = [draft(
        8,
        DraftKind::CheckIn,
        "later:<a1@them>",
        DraftStatus::Pending,
        "2026-11-05T09:00:00Z",
    )];
    let p = run(&events, &drafts, "2026-11-20T09:00:00Z");
    assert_eq!(
        superseded(&p),
        vec![(
            8,
            "they wrote on 2026-11-20, since they asked to wait".to_string()
        )]
    );
    assert!(
        creates(&p).iter().all(|c| !c.key.starts_with("later:")),
        "{p:#?}"
    );
}

#[test]
fn a_meeting_scheduled_since_replaces_the_later_check_in() {
    let events = [
        later(2, "2026-11-05T08:00:00Z", "<a1@them>", "2026-12-15"),
        meeting(
            3,
            "2026-11-06T08:00:00Z",
            K::MeetingScheduled,
            "u1",
            "2026-12-16T15:00:00Z",
            "2026-12-16T15:25:00Z",
        ),
    ];
    let p = run(&events, &[], "2026-11-06T09:00:00Z");
    assert!(creates(&p).is_empty(), "{p:#?}");
    assert_eq!(
        p.stage,
        Stage::Scheduled {
            start: t("2026-12-16T15:00:00Z")
        }
    );
}

#[test]
fn long_past_later_date_falls_back_to_the_cadence() {
    let events = [later(2, "2026-01-05T08:00:00Z", "<a1@them>", "2026-02-01")];
    let p = run(&events, &[], "2026-06-01T00:00:00Z");
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-01-05T08:00:00Z");
    // Three months after the reply, but never before the date they asked for.
    assert_eq!(c.due, t("2026-04-05T08:00:00Z"));
    assert_eq!(
        p.stage,
        Stage::Replied {
            intent: Intent::Later,
            at: t("2026-01-05T08:00:00Z")
        }
    );
}

#[test]
fn the_cadence_never_comes_before_the_date_they_asked_for() {
    // "Come back in eight months": the later check-in was set aside, and the regular
    // cadence (three months) must still wait for their date.
    let events = [later(2, "2026-01-05T08:00:00Z", "<a1@them>", "2026-09-01")];
    let drafts = [draft(
        8,
        DraftKind::CheckIn,
        "later:<a1@them>",
        DraftStatus::Rejected,
        "2026-01-05T09:00:00Z",
    )];
    let p = run(&events, &drafts, "2026-01-06T00:00:00Z");
    let c = only_create(&p);
    assert_eq!(c.key, "check-in:2026-01-05T08:00:00Z");
    assert_eq!(c.due, t("2026-09-01T00:00:00Z"));
    assert_eq!(
        p.stage,
        Stage::Waiting {
            until: d("2026-09-01")
        }
    );
}

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
