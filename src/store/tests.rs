//! The store's own tests: opening, migrating, strictness, timestamps.

use super::*;

#[test]
fn migrates_to_current_version_and_refuses_newer() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("sub/rapport.db");
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    drop(store);
    // Opening again is a no-op.
    Store::open(&path).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let mode = std::fs::metadata(path.parent().unwrap())
            .unwrap()
            .permissions()
            .mode()
            & 0o777;
        assert_eq!(mode, 0o700);
    }
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    let err = format!("{:#}", Store::open(&path).err().unwrap());
    assert!(err.contains("newer rapport"), "{err}");
}

#[test]
fn tables_are_strict() {
    let store = Store::open_in_memory().unwrap();
    store
        .conn()
        .execute(
            "INSERT INTO contacts (id, name, created_at) VALUES (1, 'a', 'x')",
            [],
        )
        .unwrap();
    // `position` has no CHECK: only STRICT refuses text in an INTEGER column (a plain
    // table would store it).
    let err = store
        .conn()
        .execute(
            "INSERT INTO contact_emails (address, contact_id, position) VALUES ('a@b.c', 1, 'first')",
            [],
        )
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("cannot store TEXT value in INTEGER column"),
        "{err}"
    );
}

#[test]
fn timestamps_sort_as_text() {
    let a: Timestamp = "2026-11-22T09:00:00.5Z".parse().unwrap();
    let b: Timestamp = "2026-11-22T09:00:01Z".parse().unwrap();
    assert!(fmt_ts(a) < fmt_ts(b));
    assert_eq!(fmt_ts(a), "2026-11-22T09:00:00Z");
    assert_eq!(parse_ts(&fmt_ts(b)).unwrap(), b);
}

/// The version just before `name` was applied.
fn version_before(name: &str) -> i64 {
    MIGRATIONS.iter().position(|(n, _)| *n == name).unwrap() as i64
}

fn count(conn: &Connection, sql: &str) -> i64 {
    conn.query_row(sql, [], |r| r.get(0)).unwrap()
}

/// Three contacts with addresses, tags, drafts, a timeline and action items, written
/// at schema `version` the way that rapport wrote them.
fn old_database(path: &Path, version: i64) {
    let mut conn = Connection::open(path).unwrap();
    conn.pragma_update(None, "foreign_keys", "ON").unwrap();
    migrate_to(&mut conn, version).unwrap();
    assert_eq!(
        conn.query_row("PRAGMA user_version", [], |r| r.get::<_, i64>(0))
            .unwrap(),
        version
    );
    conn.execute_batch(
        "INSERT INTO contacts (id, name, created_at) VALUES
             (1, 'Ann', '2026-01-01T00:00:00Z'), (2, 'Bo', '2026-01-01T00:00:00Z'),
             (5, 'Cy', '2026-01-01T00:00:00Z');
         INSERT INTO contact_emails (address, contact_id) VALUES
             ('ann@example.com', 1), ('bo@example.com', 2), ('cy@example.com', 5),
             ('cy@work.example', 5);
         INSERT INTO contact_tags (contact_id, tag) VALUES (1, 'fintech'), (5, 'design');
         INSERT INTO drafts (id, contact_id, kind, template, reason, reason_key, due_at,
                 to_addr, subject, body, message_id, message, created_at, updated_at) VALUES
             (10, 1, 'nudge', 'nudge', 'r', 'k1', '2026-02-01T00:00:00Z', 'ann@example.com',
              's', 'b', 'm1@x', x'00', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z'),
             (11, 5, 'check-in', 'check-in', 'r', 'k2', '2026-02-01T00:00:00Z',
              'cy@example.com', 's', 'b', 'm2@x', x'00', '2026-01-01T00:00:00Z',
              '2026-01-01T00:00:00Z');
         INSERT INTO interactions (contact_id, at, kind, message_key, draft_id, source) VALUES
             (1, '2026-01-02T00:00:00Z', 'human_reply', 'a@x', NULL, 'sync'),
             (2, '2026-01-03T00:00:00Z', 'note', '', NULL, 'user'),
             (5, '2026-01-04T00:00:00Z', 'sent', 'm2@x', 11, 'send');
         INSERT INTO todos (contact_id, text, created_at) VALUES
             (2, 'send the intro', '2026-01-05T00:00:00Z'),
             (5, 'read the paper', '2026-01-05T00:00:00Z');",
    )
    .unwrap();
}

/// Each child row's contact, so a row that moved or vanished shows in the diff.
fn children(conn: &Connection) -> Vec<(String, i64, String)> {
    let mut stmt = conn
        .prepare(
            "SELECT 'email', e.contact_id, c.name || ' ' || e.address
               FROM contact_emails e JOIN contacts c ON c.id = e.contact_id
             UNION ALL SELECT 'tag', t.contact_id, c.name || ' ' || t.tag
               FROM contact_tags t JOIN contacts c ON c.id = t.contact_id
             UNION ALL SELECT 'draft', d.contact_id, c.name || ' ' || d.id
               FROM drafts d JOIN contacts c ON c.id = d.contact_id
             UNION ALL SELECT 'interaction', i.contact_id,
                    c.name || ' ' || i.kind || ' ' || ifnull(i.draft_id, '-')
               FROM interactions i JOIN contacts c ON c.id = i.contact_id
             UNION ALL SELECT 'todo', t.contact_id, c.name || ' ' || t.text
               FROM todos t JOIN contacts c ON c.id = t.contact_id
             ORDER BY 1, 2, 3",
        )
        .unwrap();
    stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap()
}

#[test]
fn contacts_autoincrement_migration_keeps_every_child_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    old_database(&path, version_before("0010_contacts_autoincrement"));
    let before = children(&Connection::open(&path).unwrap());
    assert_eq!(before.len(), 13, "{before:?}");

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = store.conn();
    assert_eq!(children(conn), before);
    assert_eq!(count(conn, "SELECT COUNT(*) FROM contacts"), 3);
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'contacts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(sql.contains("AUTOINCREMENT"), "{sql}");
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'index'
             AND name IN ('contacts_name', 'contacts_link')"
        ),
        2
    );
    assert_eq!(
        count(conn, "PRAGMA foreign_keys"),
        1,
        "foreign keys back on"
    );
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(
        store.contact(5).unwrap().unwrap().emails.len(),
        2,
        "the store reads the migrated contact"
    );

    // The children point at the new table: removing a contact still cascades.
    store.remove_contact(5).unwrap();
    let conn = store.conn();
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM contact_emails WHERE contact_id = 5"
        ),
        0
    );
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM todos WHERE contact_id = 5"),
        0
    );
    assert_eq!(count(conn, "SELECT COUNT(*) FROM drafts"), 1);
    // The highest id, just removed, is not handed to the next contact.
    let new = NewContact {
        name: "Dee".into(),
        emails: vec!["dee@example.com".into()],
        ..Default::default()
    };
    let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    assert_eq!(store.add_contact(&new, now).unwrap(), 6);
}

#[test]
fn a_new_database_never_reuses_a_removed_contact_id() {
    let mut store = Store::open_in_memory().unwrap();
    let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    let contact = |name: &str| NewContact {
        name: name.into(),
        ..Default::default()
    };
    let a = store.add_contact(&contact("A"), now).unwrap();
    let b = store.add_contact(&contact("B"), now).unwrap();
    store.remove_contact(b).unwrap();
    let c = store.add_contact(&contact("C"), now).unwrap();
    assert!(c > b && b > a, "ids {a} {b} {c}");
}

#[test]
fn a_migration_that_breaks_a_reference_is_not_committed() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let before = version_before("0010_contacts_autoincrement");
    old_database(&path, before);
    // A row that already points nowhere (written with foreign keys off) stops the rebuild
    // from committing, rather than being carried into the new schema silently.
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "foreign_keys", "OFF").unwrap();
    conn.execute_batch(
        "INSERT INTO todos (contact_id, text, created_at) VALUES (99, 'orphan', 'x')",
    )
    .unwrap();
    drop(conn);
    let err = format!("{:#}", Store::open(&path).err().unwrap());
    assert!(err.contains("row") && err.contains("todos"), "{err}");
    let conn = Connection::open(&path).unwrap();
    assert_eq!(count(&conn, "PRAGMA user_version"), before);
    assert_eq!(count(&conn, "SELECT COUNT(*) FROM contacts"), 3);
}

/// The daemon starting while a CLI command runs: processes (here threads, each with its
/// own connection) opening one new database at the same moment all get it, migrated once.
#[test]
fn many_opening_a_new_database_at_once_all_succeed() {
    for round in 0..10 {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(format!("race-{round}.db"));
        let barrier = std::sync::Arc::new(std::sync::Barrier::new(6));
        let handles: Vec<_> = (0..6)
            .map(|_| {
                let (path, barrier) = (path.clone(), barrier.clone());
                std::thread::spawn(move || {
                    barrier.wait();
                    Store::open(&path).map(|s| s.schema_version().unwrap())
                })
            })
            .collect();
        for h in handles {
            let version = h
                .join()
                .unwrap()
                .unwrap_or_else(|e| panic!("round {round}: {e:#}"));
            assert_eq!(version, SCHEMA_VERSION);
        }
    }
}

/// Issue 20.13: a database from a newer rapport is refused before anything touches it:
/// its mode, its journal mode and its folder stay as they were.
#[cfg(unix)]
#[test]
fn a_newer_database_is_refused_untouched() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    let conn = Connection::open(&path).unwrap();
    conn.pragma_update(None, "journal_mode", "DELETE").unwrap();
    conn.execute_batch("CREATE TABLE future (x)").unwrap();
    conn.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
        .unwrap();
    drop(conn);
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = format!("{:#}", Store::open(&path).err().unwrap());
    assert!(err.contains("newer rapport"), "{err}");
    assert!(err.contains("left untouched"), "{err}");
    let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o644, "not chmod'ed");
    assert_eq!(std::fs::read(&path).unwrap(), before, "not switched to WAL");
    let names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names, ["rapport.db"], "no -wal or -shm made");
}

/// Migration 0017 rebuilds `drafts` (AUTOINCREMENT, `sent_message`): every draft keeps
/// its id and contact, the timeline's and the Sent copies' references still hold and
/// still cascade, the indexes and the plan-marks triggers are back, and the next id is
/// above every one copied.
#[test]
fn drafts_autoincrement_migration_keeps_every_row_and_reference() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("rapport.db");
    old_database(&path, version_before("0017_drafts_autoincrement"));
    Connection::open(&path)
        .unwrap()
        .execute_batch(
            "INSERT INTO sent_copies (draft_id, state, folder, at)
             VALUES (11, 'appended', 'Sent', '2026-01-04T00:00:00Z');",
        )
        .unwrap();
    let before = children(&Connection::open(&path).unwrap());

    let mut store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    let conn = store.conn();
    assert_eq!(children(conn), before);
    let sql: String = conn
        .query_row(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'drafts'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(
        sql.contains("AUTOINCREMENT") && sql.contains("sent_message"),
        "{sql}"
    );
    assert_eq!(
        count(
            conn,
            "SELECT COUNT(*) FROM sqlite_master WHERE tbl_name = 'drafts'
             AND name IN ('drafts_status', 'drafts_reason', 'plan_marks_draft_new',
                          'plan_marks_draft_edit', 'plan_marks_draft_gone')"
        ),
        5
    );
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM pragma_foreign_key_check"),
        0
    );
    assert_eq!(
        count(conn, "PRAGMA foreign_keys"),
        1,
        "foreign keys back on"
    );
    let d = store.draft(11).unwrap().unwrap();
    assert_eq!((d.contact_id, d.sent_message), (5, None));

    // The references point at the new table: removing Cy takes draft 11 and its Sent
    // record, and the timeline entry of that draft loses its draft.
    store.remove_contact(5).unwrap();
    let conn = store.conn();
    assert_eq!(count(conn, "SELECT COUNT(*) FROM sent_copies"), 0);
    assert_eq!(count(conn, "SELECT COUNT(*) FROM drafts"), 1);
    // The triggers work: a new draft marks its contact for planning, and takes an id
    // above every one ever copied (11 was the highest and is gone).
    conn.execute("DELETE FROM plan_marks", []).unwrap();
    conn.execute_batch(
        "INSERT INTO drafts (contact_id, kind, template, reason, reason_key, due_at,
                to_addr, subject, body, message_id, message, created_at, updated_at) VALUES
             (1, 'nudge', 'nudge', 'r', 'k9', '2026-02-01T00:00:00Z', 'ann@example.com',
              's', 'b', 'm9@x', x'00', '2026-01-01T00:00:00Z', '2026-01-01T00:00:00Z');",
    )
    .unwrap();
    assert_eq!(count(conn, "SELECT MAX(id) FROM drafts"), 12);
    assert_eq!(
        count(conn, "SELECT COUNT(*) FROM plan_marks WHERE contact = 1"),
        1
    );
}

#[test]
fn only_the_sync_writers_connection_commits_without_waiting_for_the_disk() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("r.db")).unwrap();
    let level = |s: &Store| -> i64 {
        s.conn()
            .query_row("PRAGMA synchronous", [], |r| r.get(0))
            .unwrap()
    };
    // 2 is FULL (drafts, sends, every command), 1 is NORMAL (sync batches only).
    assert_eq!(level(&store), 2);
    let writer = store.another().unwrap().unwrap();
    assert_eq!(level(&writer), 1);
    let journal: String = writer
        .conn()
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(journal, "wal", "NORMAL is safe under WAL only");
    // Its plans do not depend on the values bound (no recompiling per message).
    let qpsg = rusqlite::config::DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG;
    assert!(writer.conn().db_config(qpsg).unwrap());
    assert!(!store.conn().db_config(qpsg).unwrap());
    assert!(
        Store::open_in_memory()
            .unwrap()
            .another()
            .unwrap()
            .is_none()
    );
}

#[test]
fn a_store_that_gave_its_memory_back_reads_and_writes_as_before() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&dir.path().join("r.db")).unwrap();
    let now: Timestamp = "2026-11-23T10:00:00Z".parse().unwrap();
    store.set_state("k", "before", now).unwrap();
    store.release_memory().unwrap();
    assert_eq!(
        store.state("k").unwrap().map(|(v, _)| v).as_deref(),
        Some("before")
    );
    store.set_state("k", "after", now).unwrap();
    store.release_memory().unwrap();
    assert_eq!(
        store.state("k").unwrap().map(|(v, _)| v).as_deref(),
        Some("after")
    );
}
