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

/// A calendar event as the planner reads it.
fn event(id: i64, kind: K, uid: &str, start: Option<&str>) -> crate::core::plan::Event {
    let mut e = crate::core::plan::Event::new(id, ts("2026-12-01T10:00:00Z"), kind);
    e.meeting_uid = Some(uid.to_string()).filter(|u| !u.is_empty());
    e.meeting_start = start.map(ts);
    e.meeting_end = start.map(|s| ts(s) + SignedDuration::from_mins(30));
    e
}

#[test]
fn the_planner_folds_a_manual_meeting_and_its_invitation_into_one_that_moves_and_cancels() {
    use crate::core::plan::fold_meetings;
    let manual = event(
        1,
        K::MeetingScheduled,
        "manual-meeting:x",
        Some("2026-12-08T14:00:00Z"),
    );
    let invite = event(
        2,
        K::MeetingScheduled,
        "inv-1",
        Some("2026-12-08T14:30:00Z"),
    );
    let folded = fold_meetings(&[&manual, &invite]);
    assert_eq!(folded.len(), 1, "{folded:?}");
    assert_eq!(folded[0].key, "inv-1");
    assert_eq!(folded[0].first_event, 1, "the id the user knows stays");
    assert_eq!(
        folded[0].start,
        ts("2026-12-08T14:30:00Z"),
        "the invitation's time"
    );
    // The invitation first, then the user's record of it: still the invitation's time.
    let folded = fold_meetings(&[&invite, &manual]);
    assert_eq!(folded.len(), 1, "{folded:?}");
    assert_eq!(folded[0].start, ts("2026-12-08T14:30:00Z"));
    // An update moves it; a cancellation removes it.
    let moved = event(3, K::MeetingMoved, "inv-1", Some("2026-12-09T09:00:00Z"));
    let folded = fold_meetings(&[&manual, &invite, &moved]);
    assert_eq!(folded.len(), 1, "{folded:?}");
    assert_eq!(folded[0].start, ts("2026-12-09T09:00:00Z"));
    let cancel = event(4, K::MeetingCancelled, "inv-1", None);
    let folded = fold_meetings(&[&manual, &invite, &moved, &cancel]);
    assert!(folded.iter().all(|m| m.cancelled), "{folded:?}");
    // A booking without a UID (a scheduling tool's mail) is an invitation too.
    let booking = event(5, K::MeetingScheduled, "", Some("2026-12-08T14:00:00Z"));
    let folded = fold_meetings(&[&manual, &booking]);
    assert_eq!(folded.len(), 1, "{folded:?}");
    assert_eq!(folded[0].key, "event-5");
}

#[test]
fn the_brief_uses_the_invitations_link_for_a_meeting_also_recorded_by_hand() {
    use crate::core::brief::{Entry, Slot, next_meeting};
    let entry = |uid: &str, start: &str, link: Option<&str>| Entry {
        at: ts("2026-12-01T10:00:00Z"),
        kind: K::MeetingScheduled,
        summary: String::new(),
        slot: Some(Slot {
            uid: uid.into(),
            start: Some(ts(start)),
            end: Some(ts(start) + SignedDuration::from_mins(25)),
            link: link.map(str::to_string),
        }),
    };
    let manual = entry("manual-meeting:x", "2026-12-08T14:00:00Z", None);
    let invite = entry(
        "inv-1",
        "2026-12-08T14:00:00Z",
        Some("https://zoom.us/j/5551234567"),
    );
    let tz = jiff::tz::TimeZone::UTC;
    let now = ts("2026-12-02T10:00:00Z");
    for timeline in [vec![manual.clone(), invite.clone()], vec![invite, manual]] {
        let next = next_meeting(&timeline, now, &tz).unwrap();
        assert_eq!(next.link.as_deref(), Some("https://zoom.us/j/5551234567"));
    }
}
