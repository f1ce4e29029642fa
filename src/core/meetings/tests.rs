use super::*;
use crate::core::model::InteractionKind as K;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn entry<'a>(key: &'a str, kind: K, start: Option<&str>) -> CalendarEntry<'a> {
    CalendarEntry {
        key,
        kind,
        start: start.map(ts),
    }
}

#[test]
fn a_manual_meeting_merges_into_the_invitation_for_the_same_slot_either_order() {
    let manual = "manual-meeting:2026-12-08T14:00:00Z";
    let invite = entry(
        "bob-123@example.com",
        K::MeetingScheduled,
        Some("2026-12-08T14:00:00Z"),
    );
    let mine = entry(manual, K::MeetingScheduled, Some("2026-12-08T14:00:00Z"));
    for entries in [vec![mine.clone(), invite.clone()], vec![invite, mine]] {
        let m = merges(&entries);
        assert_eq!(
            m.get(manual).map(String::as_str),
            Some("bob-123@example.com")
        );
        assert_eq!(m.len(), 1);
    }
}

#[test]
fn only_within_a_day_and_the_nearest_invitation() {
    let manual = "proposal:7";
    let entries = [
        entry(manual, K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
        entry("far", K::MeetingScheduled, Some("2026-12-10T14:00:00Z")),
        entry("near", K::MeetingScheduled, Some("2026-12-08T16:00:00Z")),
        entry(
            "other-day",
            K::MeetingScheduled,
            Some("2026-12-09T14:00:01Z"),
        ),
    ];
    assert_eq!(
        merges(&entries).get(manual).map(String::as_str),
        Some("near")
    );
    let apart = [
        entry(manual, K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
        entry("far", K::MeetingScheduled, Some("2026-12-10T14:00:00Z")),
    ];
    assert!(merges(&apart).is_empty());
    // Two manual meetings never merge with each other.
    let two = [
        entry(
            "manual-meeting:a",
            K::MeetingScheduled,
            Some("2026-12-08T14:00:00Z"),
        ),
        entry(
            "manual-meeting:b",
            K::MeetingScheduled,
            Some("2026-12-08T15:00:00Z"),
        ),
    ];
    assert!(merges(&two).is_empty());
}

#[test]
fn a_meeting_recorded_after_the_invitation_was_cancelled_stays_apart() {
    let manual = "manual-meeting:x";
    let before = [
        entry(manual, K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
        entry("inv", K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
        entry("inv", K::MeetingCancelled, None),
    ];
    assert_eq!(merges(&before).get(manual).map(String::as_str), Some("inv"));
    let after = [
        entry("inv", K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
        entry("inv", K::MeetingCancelled, None),
        entry(manual, K::MeetingScheduled, Some("2026-12-08T14:00:00Z")),
    ];
    assert!(merges(&after).is_empty());
}

fn proposal(id: i64, contact_id: i64, at: &str, start: &str) -> Proposal {
    Proposal {
        id,
        contact_id,
        at: ts(at),
        start: ts(start),
        text: "tuesday at 3pm".into(),
        zone: "Europe/Berlin".into(),
    }
}

#[test]
fn a_proposal_waits_until_decided_covered_replaced_or_past() {
    let now = ts("2026-12-04T09:00:00Z");
    let p = proposal(1, 5, "2026-12-03T09:00:00Z", "2026-12-08T14:00:00Z");
    let all = [p.clone()];
    let state = |d, ps: &[Proposal], ms: &[Booked], now| proposal_state(&p, d, ps, ms, now);
    assert_eq!(state(None, &all, &[], now), ProposalState::Proposed);
    assert_eq!(
        state(Some(Decision::Confirmed), &all, &[], now),
        ProposalState::Confirmed
    );
    assert_eq!(
        state(Some(Decision::Ignored), &all, &[], now),
        ProposalState::Ignored
    );
    let booked = Booked {
        contact_id: 5,
        start: ts("2026-12-08T15:00:00Z"),
        cancelled: false,
    };
    assert_eq!(state(None, &all, &[booked], now), ProposalState::Scheduled);
    // Someone else's meeting, or a cancelled one, covers nothing.
    let theirs = Booked {
        contact_id: 6,
        ..booked
    };
    let gone = Booked {
        cancelled: true,
        ..booked
    };
    assert_eq!(
        state(None, &all, &[theirs, gone], now),
        ProposalState::Proposed
    );
    let later = proposal(2, 5, "2026-12-03T12:00:00Z", "2026-12-09T14:00:00Z");
    assert_eq!(
        state(None, &[p.clone(), later], &[], now),
        ProposalState::Replaced
    );
    assert_eq!(
        state(None, &all, &[], ts("2026-12-08T14:00:00Z")),
        ProposalState::Past
    );
}
