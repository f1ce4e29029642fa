//! The first sync's writer thread when the database refuses a write part-way (a full
//! disk, a broken file): the groups stored before the failure stay stored with their
//! cursor, the sync says what failed and where, and the next sync picks up after the last
//! stored group — every message ends up stored exactly once, none lost, none twice.
//!
//! The failure is a trigger the test adds to the database file, which aborts any insert
//! into `messages` once 1,500 are there: the second of three 1,000-message groups.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

const MESSAGES: usize = 2_500;

fn seed(s: &TestServers) {
    let inbox: Vec<SeedMessage> = (0..MESSAGES)
        .map(|i| {
            SeedMessage::new(format!(
                "From: Sender {i} <s{i}@example.net>\r\nTo: me@example.test\r\nSubject: note {i}\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <n{i}@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nhello {i}\r\n"
            ))
        })
        .collect();
    s.seed_messages("me", "INBOX", &inbox);
}

fn count(db: &std::path::Path, sql: &str) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

#[test]
fn a_write_refused_mid_sync_loses_nothing_and_doubles_nothing() {
    let s = TestServers::start();
    seed(&s);
    let env = Env::with_config(&s.rapport_config());
    // Any command creates the database; then the test breaks it on purpose.
    env.rapport(&["status"]).ok();
    let db = env.db_path();
    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch(
            "CREATE TRIGGER test_disk_full BEFORE INSERT ON messages
             WHEN (SELECT count(*) FROM messages) >= 1500
             BEGIN SELECT RAISE(ABORT, 'disk full (test)'); END;",
        )
        .unwrap();

    let first = env.rapport(&["sync", "--json"]);
    let report = format!("{}{}", first.stdout, first.stderr);
    assert!(
        report.contains("disk full (test)"),
        "the failure is named: {report}"
    );
    let stored = count(&db, "SELECT count(*) FROM messages");
    assert_eq!(
        stored, 1_000,
        "the first group stays, the failing one is undone whole"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM message_locations"),
        stored,
        "every stored message has its place in the folder, and no more"
    );

    rusqlite::Connection::open(&db)
        .unwrap()
        .execute_batch("DROP TRIGGER test_disk_full;")
        .unwrap();
    let again = env.rapport(&["sync", "--json"]).ok().json();
    let inbox = again["folders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["folder"] == "INBOX")
        .unwrap();
    assert_eq!(
        inbox["read"], 1_500,
        "the next sync starts after the stored group: {again}"
    );
    assert_eq!(count(&db, "SELECT count(*) FROM messages"), MESSAGES as i64);
    assert_eq!(
        count(&db, "SELECT count(DISTINCT message_id) FROM messages"),
        MESSAGES as i64
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM message_locations"),
        MESSAGES as i64
    );
}
