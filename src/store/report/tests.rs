use super::*;
use crate::store::{NewContact, NewInteraction};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn meeting(store: &Store, contact: i64, uid: &str, start: &str, at: &str) {
    let key = format!("{uid}/{start}");
    store
        .add_interaction(&NewInteraction {
            contact_id: contact,
            at: t(at),
            kind: InteractionKind::MeetingScheduled,
            summary: "meeting",
            message_key: &key,
            draft_id: None,
            detail: serde_json::json!({ "uid": uid, "start": start }),
            source: "sync",
        })
        .unwrap();
}

#[test]
fn counts_contacts_from_a_time_and_meetings_once_per_uid() {
    let mut store = Store::open_in_memory().unwrap();
    let mut ids = Vec::new();
    for (email, at) in [
        ("a@example.com", "2026-10-31T23:59:59Z"),
        ("b@example.com", "2026-11-01T00:00:00Z"),
        ("c@example.com", "2026-11-20T10:00:00Z"),
    ] {
        let c = NewContact {
            name: email.into(),
            emails: vec![email.into()],
            ..NewContact::default()
        };
        ids.push(store.add_contact(&c, t(at)).unwrap());
    }
    let (a, b) = (ids[0], ids[1]);
    let nov = t("2026-11-01T00:00:00Z");
    assert_eq!(store.count_contacts_added_since(nov).unwrap(), 2);

    // Moved once (same UID): one meeting; another contact's, and one outside the week.
    meeting(
        &store,
        a,
        "u1",
        "2026-11-03T10:00:00Z",
        "2026-11-01T09:00:00Z",
    );
    meeting(
        &store,
        a,
        "u1",
        "2026-11-04T10:00:00Z",
        "2026-11-02T09:00:00Z",
    );
    meeting(
        &store,
        b,
        "u2",
        "2026-11-08T23:59:59Z",
        "2026-11-02T09:00:00Z",
    );
    meeting(
        &store,
        b,
        "u3",
        "2026-11-09T00:00:00Z",
        "2026-11-02T09:00:00Z",
    );
    let week = (t("2026-11-02T00:00:00Z"), t("2026-11-09T00:00:00Z"));
    assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 2);
    // Recorded by hand, then the invitation for it: still one; another day: two.
    meeting(
        &store,
        b,
        "manual-meeting:2026-11-05T10:00:00Z",
        "2026-11-05T10:00:00Z",
        "2026-11-02T09:00:00Z",
    );
    assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 3);
    meeting(
        &store,
        b,
        "inv-b",
        "2026-11-05T10:30:00Z",
        "2026-11-03T09:00:00Z",
    );
    assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 3);
    meeting(
        &store,
        a,
        "proposal:9",
        "2026-11-07T10:00:00Z",
        "2026-11-03T09:00:00Z",
    );
    assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 4);
    assert!(store.messages_seen_at(nov).unwrap().is_empty());
}
