use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn advice(stage: Stage, open: &[OpenDraft], planned: Option<(DraftKind, Timestamp)>) -> String {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    next_step(&Facts {
        query: "jessica",
        stage: &stage,
        planner_next: "PLANNER",
        open,
        planned,
        asked_you: None,
        proposed: None,
        now: ts("2026-11-30T10:00:00Z"),
        tz: &tz,
    })
}

#[test]
fn after_a_yes_it_says_to_record_the_meeting() {
    let s = advice(
        Stage::Replied {
            intent: Intent::Yes,
            at: ts("2026-11-25T10:00:00Z"),
        },
        &[],
        Some((DraftKind::CheckIn, ts("2027-03-01T09:00:00Z"))),
    );
    assert!(s.starts_with("waiting for a meeting time"), "{s}");
    // A real day after `now` (Monday 2026-11-30), never a fixed one.
    assert!(
        s.contains("rapport meeting add jessica --at 2026-12-01T15:00"),
        "{s}"
    );
}

#[test]
fn after_a_yes_with_a_proposed_time_it_says_to_confirm_that_time() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let stage = Stage::Replied {
        intent: Intent::Yes,
        at: ts("2026-12-03T09:00:00Z"),
    };
    let s = next_step(&Facts {
        query: "bob",
        stage: &stage,
        planner_next: "PLANNER",
        open: &[],
        planned: None,
        asked_you: None,
        proposed: Some((42, ts("2026-12-08T14:00:00Z"))),
        now: ts("2026-12-04T10:00:00Z"),
        tz: &tz,
    });
    assert!(s.starts_with("they proposed Tue 2026-12-08 15:00"), "{s}");
    assert!(s.contains("rapport meeting confirm 42"), "{s}");
    assert!(s.contains("--at 2026-12-08T15:00"), "{s}");
    // A Friday's example day is the Monday after.
    assert_eq!(
        example_at(ts("2026-12-04T10:00:00Z"), &tz),
        "2026-12-07T15:00"
    );
}

#[test]
fn an_inbound_request_says_answer_before_anything_else() {
    let tz = TimeZone::UTC;
    let open = [OpenDraft {
        id: 3,
        kind: DraftKind::CheckIn,
        status: DraftStatus::Pending,
        due: ts("2026-11-29T10:00:00Z"),
    }];
    let s = next_step(&Facts {
        query: "Zoë Ångström",
        stage: &Stage::New,
        planner_next: "PLANNER",
        open: &open,
        planned: None,
        asked_you: Some(ts("2026-11-28T10:00:00Z")),
        proposed: None,
        now: ts("2026-11-30T10:00:00Z"),
        tz: &tz,
    });
    assert!(
        s.starts_with("they asked you for a meeting on 2026-11-28: answer"),
        "{s}"
    );
}

#[test]
fn a_due_pending_draft_points_at_the_queue() {
    let open = [
        OpenDraft {
            id: 9,
            kind: DraftKind::Nudge,
            status: DraftStatus::Pending,
            due: ts("2026-11-30T09:00:00Z"),
        },
        OpenDraft {
            id: 4,
            kind: DraftKind::CheckIn,
            status: DraftStatus::Pending,
            due: ts("2026-12-30T09:00:00Z"),
        },
    ];
    let s = advice(
        Stage::Requested {
            since: ts("2026-11-23T10:00:00Z"),
        },
        &open,
        None,
    );
    assert!(s.contains("nudge draft 9 waits for you"), "{s}");
    assert!(s.contains("rapport queue show 9"), "{s}");
}

#[test]
fn every_stage_has_its_own_words() {
    let at = ts("2026-11-20T10:00:00Z");
    let cases = [
        (Stage::New, "rapport request jessica"),
        (
            Stage::Scheduled {
                start: ts("2026-12-03T14:00:00Z"),
            },
            "meet them on 2026-12-03",
        ),
        (Stage::Met { at }, "thank them"),
        (Stage::Declined { at }, "they said no"),
        (
            Stage::Waiting {
                until: "2027-01-15".parse().unwrap(),
            },
            "after 2027-01-15",
        ),
        (
            Stage::Replied {
                intent: Intent::Other,
                at,
            },
            "answer them yourself",
        ),
        (Stage::Dormant { since: at }, "PLANNER"),
        (Stage::KeepingInTouch { next_check_in: at }, "PLANNER"),
    ];
    for (stage, want) in cases {
        let s = advice(stage.clone(), &[], None);
        assert!(s.contains(want), "{stage:?}: {s}");
    }
}

#[test]
fn a_thank_you_the_planner_will_draft_is_not_called_set_aside() {
    let s = advice(
        Stage::Met {
            at: ts("2026-11-30T09:00:00Z"),
        },
        &[],
        Some((DraftKind::ThankYou, ts("2026-11-30T11:00:00Z"))),
    );
    assert_eq!(s, "PLANNER");
}

#[test]
fn odd_names_are_quoted_for_the_shell() {
    assert_eq!(quoted("jessica"), "jessica");
    assert_eq!(quoted("Zoë Ångström"), "'Zoë Ångström'");
    assert_eq!(quoted("O'Brien"), "'O'\\''Brien'");
}
