use jiff::Timestamp;
use rusqlite::Connection;
use serde_json::json;

use super::super::{MIGRATIONS, migrate_to};
use super::*;
use crate::core::model::InteractionKind;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn the_rebuild_keeps_every_interaction_its_triggers_and_admits_calendar_sources() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let before = MIGRATIONS
        .iter()
        .position(|(n, _)| *n == "0023_calendars")
        .unwrap() as i64;
    let mut conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    migrate_to(&mut conn, before).unwrap();
    conn.execute_batch(
        "INSERT INTO contacts (id, name, created_at) VALUES (1, 'Ann Lee', '2026-01-01T00:00:00Z');
         INSERT INTO interactions (id, contact_id, at, kind, message_key, detail, source) VALUES
             (7, 1, '2026-01-02T00:00:00Z', 'reply', 'a@x', '{\"unsure\": true}', 'sync');
         INSERT INTO proposal_decisions (interaction_id, decision, decided_at)
             VALUES (7, 'ignored', '2026-01-03T00:00:00Z');",
    )
    .unwrap();
    drop(conn);
    let store = Store::open(&path).unwrap();
    let conn = store.conn();
    let (id, source): (i64, String) = conn
        .query_row("SELECT id, source FROM interactions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    assert_eq!((id, source.as_str()), (7, "sync"));
    let decisions: i64 = conn
        .query_row("SELECT COUNT(*) FROM proposal_decisions", [], |r| r.get(0))
        .unwrap();
    assert_eq!(decisions, 1);
    let objects: i64 = conn
        .query_row(
            "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'interactions'
             AND type IN ('index', 'trigger') AND sql IS NOT NULL",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(objects, 8, "5 indexes and 3 triggers");
    let insert = |source: &str| {
        conn.execute(
            "INSERT INTO interactions (contact_id, at, kind, source) VALUES (1, 'x', 'note', ?1)",
            [source],
        )
    };
    insert("calendar:work").unwrap();
    assert!(insert("calendar:").is_err());
    assert!(insert("mail").is_err());
    let dirty: i64 = conn
        .query_row("SELECT dirty FROM plan_marks WHERE contact = 1", [], |r| {
            r.get(0)
        })
        .unwrap();
    assert!(dirty >= 1, "the planner's trigger marks the contact");
}

#[test]
fn a_reading_writes_its_entries_and_what_it_gave_and_a_failure_keeps_the_last_good_read() {
    let mut store = Store::open_in_memory().unwrap();
    store
        .conn()
        .execute_batch(
            "INSERT INTO contacts (id, name, created_at) VALUES (1, 'Ann Lee', '2026-01-01T00:00:00Z'),
                 (2, 'Bo', '2026-01-01T00:00:00Z');",
        )
        .unwrap();
    let now = ts("2026-12-01T08:00:00Z");
    assert_eq!(store.calendar_state("work").unwrap().last_read, None);
    let entry = NewInteraction {
        contact_id: 1,
        at: now,
        kind: InteractionKind::MeetingScheduled,
        summary: "meeting scheduled",
        message_key: "calendar:work:a@x",
        draft_id: None,
        detail: json!({"uid": "a@x"}),
        source: "calendar:work",
    };
    let mut seen = Seen::new();
    seen.insert(
        (1, "a@x".into()),
        (ts("2026-12-02T10:00:00Z"), ts("2026-12-02T10:30:00Z")),
    );
    seen.insert((99, "gone@x".into()), (now, now));
    let tags = CalendarTags {
        etag: "\"v1\"".into(),
        ..CalendarTags::default()
    };
    let added = store
        .calendar_read("work", std::slice::from_ref(&entry), &seen, &tags, now)
        .unwrap();
    assert_eq!(added, 1);
    let again = store
        .calendar_read("work", &[entry], &seen, &tags, now)
        .unwrap();
    assert_eq!(again, 0, "the same entry is written once");
    let got = store.calendar_seen("work").unwrap();
    assert_eq!(got.len(), 1, "a contact that does not exist is left out");
    let later = ts("2026-12-01T09:00:00Z");
    store
        .calendar_failed("work", "the server answered 401", later)
        .unwrap();
    let state = store.calendar_state("work").unwrap();
    assert_eq!(state.last_read, Some(now));
    assert_eq!(state.last_tried, Some(later));
    assert_eq!(state.last_error, "the server answered 401");
    assert_eq!(state.tags.etag, "\"v1\"");
    assert_eq!(state.last_full, Some(now));
    store.calendar_unchanged("work", later).unwrap();
    let state = store.calendar_state("work").unwrap();
    assert_eq!(
        (state.last_read, state.last_error.as_str()),
        (Some(later), "")
    );
    assert_eq!(
        store.contact_full_names().unwrap(),
        [(1, "ann lee".to_string())]
    );
}
