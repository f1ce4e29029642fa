//! The text forms of times kept in SQLite survive a jiff (or rusqlite) upgrade: rows in
//! the forms rapport wrote with jiff 0.2 still read, and the forms written now are the
//! same bytes, so text order stays time order across the upgrade.

use jiff::Timestamp;
use rapport::core::model::InteractionKind;
use rapport::store::{NewInteraction, Store, fmt_ts, parse_ts};

/// Exactly as jiff 0.2 + rusqlite 0.37 wrote them (RFC 3339, UTC, whole seconds, `Z`).
const CREATED: &str = "2026-11-20T08:00:00Z";
const AT: &str = "2026-11-21T09:30:00Z";
const START: &str = "2026-11-25T14:00:00Z";

#[test]
fn rows_written_before_the_upgrade_read_back_unchanged() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    drop(Store::open(&path).unwrap());
    {
        // The rows as an older rapport left them on disk.
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute_batch(&format!(
            "INSERT INTO contacts (id, name, created_at) VALUES (7, 'Grace Hopper', '{CREATED}');
             INSERT INTO contact_emails (address, contact_id) VALUES ('grace@example.com', 7);
             INSERT INTO interactions (contact_id, at, kind, message_key, detail, source)
               VALUES (7, '{AT}', 'meeting-scheduled', 'm1@example.com',
                       '{{\"start\":\"{START}\"}}', 'sync');"
        ))
        .unwrap();
    }
    let store = Store::open(&path).unwrap();
    let c = store.contact(7).unwrap().expect("the old contact");
    assert_eq!(c.created_at.clone(), CREATED);
    let timeline = store.interactions(7).unwrap();
    assert_eq!(timeline.len(), 1, "{timeline:?}");
    assert_eq!(timeline[0].at.to_string(), AT);
    let start = timeline[0].detail["start"].as_str().unwrap();
    let start: Timestamp = start.parse().unwrap();
    assert_eq!(fmt_ts(start), START);
    for s in [CREATED, AT, START] {
        assert_eq!(fmt_ts(parse_ts(s).unwrap()), s, "round trip of {s}");
    }
}

#[test]
fn times_written_now_have_the_old_text_form() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.db");
    let store = Store::open(&path).unwrap();
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        conn.execute(
            "INSERT INTO contacts (id, name, created_at) VALUES (1, 'Ada', ?1)",
            [CREATED],
        )
        .unwrap();
    }
    let at: Timestamp = "2026-11-21T10:30:00.750+01:00".parse().unwrap();
    let start: Timestamp = START.parse().unwrap();
    let added = store
        .add_interaction(&NewInteraction {
            contact_id: 1,
            at,
            kind: InteractionKind::MeetingScheduled,
            summary: "",
            message_key: "m2@example.com",
            draft_id: None,
            detail: serde_json::json!({ "start": start }),
            source: "sync",
        })
        .unwrap();
    assert!(added);
    drop(store);
    let conn = rusqlite::Connection::open(&path).unwrap();
    let (stored_at, detail): (String, String) = conn
        .query_row("SELECT at, detail FROM interactions", [], |r| {
            Ok((r.get(0)?, r.get(1)?))
        })
        .unwrap();
    // Sub-seconds dropped, offset folded into UTC, `Z`: the 0.2-era form.
    assert_eq!(stored_at, AT);
    assert_eq!(detail, format!("{{\"start\":\"{START}\"}}"));
    let day = start.to_zoned_datetime(jiff::tz::TimeZone::UTC).date();
    assert_eq!(day.to_string(), "2026-11-25");
}
