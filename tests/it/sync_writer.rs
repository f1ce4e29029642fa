//! The first sync's writer thread when the database refuses a write part-way (a full
//! disk, a broken file): the groups stored before the failure stay stored with their
//! cursor, the sync says what failed and where, and the next sync picks up after the last
//! stored group — every message ends up stored exactly once, none lost, none twice.
//!
//! The failure is a trigger the test adds to the database file, which aborts any insert
//! into `messages` once 1,500 are there: the second of three 1,000-message groups.
//!
//! The writer commits with `synchronous=NORMAL`; a `rapport sync` killed with SIGKILL
//! part-way through a first sync must leave a database that the next sync completes to
//! exactly what an uninterrupted sync stores: the same messages, places and timeline
//! entries, none lost, none twice.

use crate::support::{CONTACTS, SeedMessage, TestServers};
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

/// Messages for the kill test: every fifth from a contact (a timeline entry each), the
/// rest from strangers.
fn seed_with_contacts(s: &TestServers, n: usize) {
    let inbox: Vec<SeedMessage> = (0..n)
        .map(|i| {
            let from = match i % 5 {
                0 => format!("{} <{}@example.test>", CONTACTS[i % 3], CONTACTS[i % 3]),
                _ => format!("Sender {i} <s{i}@example.net>"),
            };
            SeedMessage::new(format!(
                "From: {from}\r\nTo: me@example.test\r\nSubject: Re: coffee {i}\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <k{i}@example.net>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYes, Tuesday works for me. {i}\r\n"
            ))
        })
        .collect();
    s.seed_messages("me", "INBOX", &inbox);
}

/// What a sync stored, as counts that a loss or a double would change.
fn tally(db: &std::path::Path) -> [i64; 6] {
    [
        count(db, "SELECT count(*) FROM messages"),
        count(db, "SELECT count(DISTINCT message_id) FROM messages"),
        count(db, "SELECT count(*) FROM message_locations"),
        count(db, "SELECT count(*) FROM interactions"),
        count(
            db,
            "SELECT count(*) FROM (SELECT DISTINCT contact_id, kind, message_key FROM interactions)",
        ),
        count(db, "SELECT count(*) FROM headers_only"),
    ]
}

/// A HOME reading this server with the three contacts known.
fn env_with_contacts(s: &TestServers) -> Env {
    let env = Env::with_config(&s.rapport_config());
    for c in CONTACTS {
        env.add_contact(&format!("{c}@example.test"), c);
    }
    env
}

#[test]
fn a_sync_killed_mid_first_sync_resyncs_to_the_same_store() {
    const N: usize = 3_000;
    let s = TestServers::start();
    seed_with_contacts(&s, N);

    // What an uninterrupted first sync stores.
    let reference = env_with_contacts(&s);
    reference.rapport(&["sync"]).ok();
    let want = tally(&reference.db_path());
    assert_eq!(want[0], N as i64, "{want:?}");
    assert!(
        want[3] >= (N / 5) as i64,
        "a contact's mail makes entries: {want:?}"
    );

    let env = env_with_contacts(&s);
    let db = env.db_path();
    let mut child = env
        .command(&["sync"])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let watcher = rusqlite::Connection::open(&db).unwrap();
    watcher
        .busy_timeout(std::time::Duration::from_secs(10))
        .unwrap();
    // Wait for the first group to be committed, then hold the write lock so that the
    // writer is stuck before its next commit: the kill lands mid-sync, whatever the
    // machine's speed.
    let mut polls = 0u64;
    loop {
        assert!(
            child.try_wait().unwrap().is_none(),
            "the sync ended before any group was seen committed ({polls} polls)"
        );
        let stored: i64 = watcher
            .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
            .unwrap();
        if stored > 0 {
            break;
        }
        polls += 1;
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
    watcher.execute_batch("BEGIN IMMEDIATE").unwrap();
    let at_kill: i64 = watcher
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .unwrap();
    // SIGKILL: no destructor, no flush, no goodbye.
    child.kill().unwrap();
    child.wait().unwrap();
    watcher.execute_batch("ROLLBACK").unwrap();
    println!("killed with {at_kill} of {N} messages stored");
    assert!(
        at_kill > 0 && at_kill < N as i64,
        "the kill must land part-way: {at_kill} of {N} stored"
    );
    assert_eq!(
        count(&db, "SELECT count(*) FROM messages"),
        at_kill,
        "what was committed before the kill is still there"
    );

    env.rapport(&["sync"]).ok();
    assert_eq!(
        tally(&db),
        want,
        "messages, distinct ids, places, entries, distinct entries, headers-only"
    );
}
