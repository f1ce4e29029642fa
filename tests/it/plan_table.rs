//! Table tests for the planner: one test per row of the policy table (README: "What rapport will and will not send")
//! and per hard rule, with explicit timestamps.

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use rapport::core::classify::Intent;
use rapport::core::model::{DraftKind, DraftStatus, InteractionKind as K, Tier};
use rapport::core::plan::{Action, ContactFacts, Event, ExistingDraft, Plan, Policy, Stage, plan};

mod after_meetings;

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
