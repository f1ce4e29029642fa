//! The SQLite store: contacts, the timeline, the approval queue, and what sync saw.
//!
//! The CLI and the daemon open the same file at the same time and talk only through it:
//! WAL, a busy timeout, `foreign_keys=on`, `synchronous=FULL` (a draft marked `sending`
//! is on disk before the SMTP conversation starts); only the sync writer's own connection
//! commits with `NORMAL` (`sync_batch` says why that is safe there). Schema changes are numbered `.sql`
//! files in `migrations/`, applied in one transaction that bumps `user_version`; a
//! database from a newer rapport is refused.
//!
//! This module must never store a password or a message body beyond the drafts rapport
//! itself wrote.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod accounts;
mod attribution;
mod batch;
mod briefing;
mod calendars;
mod contacts;
mod drafts;
mod goals;
mod intros;
mod maildir;
mod messages;
mod plan_marks;
mod proposals;
mod reader_examples;
mod report;
mod sent_copy;
pub mod sync_batch;
mod todos;

use std::path::Path;

use anyhow::{Context, Result, bail};
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension};

pub use batch::Batch;
pub use calendars::{CalendarState, CalendarTags};
pub use contacts::{Contact, ContactEmail, ContactLine, ContactPatch, NewContact};
pub use drafts::{Draft, NewDraft, digest as drafts_digest};
pub use intros::{Intro, IntroUpdate};
pub use messages::{Attention, AttentionKind, Cursor, NewMessage, StoredMessage, SyncState};
pub use sent_copy::{CopyState, SentCopy};

/// The migrations, in order. Their position is their version number.
const MIGRATIONS: &[(&str, &str)] = &[
    (
        "0001_foundation",
        include_str!("migrations/0001_foundation.sql"),
    ),
    ("0002_mailbox", include_str!("migrations/0002_mailbox.sql")),
    (
        "0006_action_items",
        include_str!("migrations/0006_action_items.sql"),
    ),
    (
        "0008_maildir_files",
        include_str!("migrations/0008_maildir_files.sql"),
    ),
    (
        "0009_sent_copy",
        include_str!("migrations/0009_sent_copy.sql"),
    ),
    (
        "0010_contacts_autoincrement",
        include_str!("migrations/0010_contacts_autoincrement.sql"),
    ),
    (
        "0011_listing_indexes",
        include_str!("migrations/0011_listing_indexes.sql"),
    ),
    (
        "0012_headers_only",
        include_str!("migrations/0012_headers_only.sql"),
    ),
    (
        "0013_plan_marks",
        include_str!("migrations/0013_plan_marks.sql"),
    ),
    (
        "0014_contact_order",
        include_str!("migrations/0014_contact_order.sql"),
    ),
    (
        "0015_sent_ids",
        include_str!("migrations/0015_sent_ids.sql"),
    ),
    (
        "0016_plan_marks_counted",
        include_str!("migrations/0016_plan_marks_counted.sql"),
    ),
    (
        "0017_drafts_autoincrement",
        include_str!("migrations/0017_drafts_autoincrement.sql"),
    ),
    ("0018_arrival", include_str!("migrations/0018_arrival.sql")),
    (
        "0019_proposal_decisions",
        include_str!("migrations/0019_proposal_decisions.sql"),
    ),
    (
        "0020_reader_examples",
        include_str!("migrations/0020_reader_examples.sql"),
    ),
    (
        "0021_drafts_read_upto",
        include_str!("migrations/0021_drafts_read_upto.sql"),
    ),
    ("0022_intros", include_str!("migrations/0022_intros.sql")),
    (
        "0023_calendars",
        include_str!("migrations/0023_calendars.sql"),
    ),
    (
        "0024_accounts",
        include_str!("migrations/0024_accounts.sql"),
    ),
];

/// The migrations that rebuild a table other tables point at, and so must run with
/// foreign keys off (SQLite's documented way: otherwise dropping the old table cascades
/// into, or fails on, its children). `foreign_key_check` runs before they commit.
const FOREIGN_KEYS_OFF: &[&str] = &[
    "0010_contacts_autoincrement",
    "0017_drafts_autoincrement",
    "0022_intros",
    "0023_calendars",
];

/// The timeline key of the entry an import writes for when you met (LinkedIn's
/// "Connected On", a vCard REV, a CSV date column): one per contact.
pub const MET_KEY: &str = "import:linkedin-connected";

/// The schema version this build of rapport writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// An open database.
pub struct Store {
    conn: Connection,
}

/// A timeline entry.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Interaction {
    pub id: i64,
    pub contact_id: i64,
    pub at: Timestamp,
    pub kind: crate::core::model::InteractionKind,
    pub summary: String,
    pub message_key: String,
    pub draft_id: Option<i64>,
    pub detail: serde_json::Value,
    pub source: String,
}

/// A timeline entry to record.
#[derive(Debug, Clone)]
pub struct NewInteraction<'a> {
    pub contact_id: i64,
    pub at: Timestamp,
    pub kind: crate::core::model::InteractionKind,
    pub summary: &'a str,
    pub message_key: &'a str,
    pub draft_id: Option<i64>,
    pub detail: serde_json::Value,
    pub source: &'a str,
}

/// Formats a timestamp the one way the store keeps them: RFC 3339, UTC, whole seconds,
/// so text order is time order.
pub fn fmt_ts(t: Timestamp) -> String {
    t.strftime("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A fix for the errors a full, failing or read-only disk gives (SQLite names them by
/// what it was doing, such as "I/O error within the xShmMap method", not by the cause).
fn disk_hint(e: &anyhow::Error) -> &'static str {
    use rusqlite::ErrorCode::{DiskFull, ReadOnly, SystemIoFailure};
    let code = e
        .chain()
        .find_map(|c| match c.downcast_ref::<rusqlite::Error>() {
            Some(rusqlite::Error::SqliteFailure(f, _)) => Some(f.code),
            _ => None,
        });
    match code {
        Some(DiskFull | SystemIoFailure) => {
            " (the disk holding it is full or failing: free some space, then run rapport again; nothing was lost)"
        }
        Some(ReadOnly) => {
            " (it is read-only: make the file and its folder writable, then run rapport again)"
        }
        _ => "",
    }
}

/// Refuses, without opening it, a database file whose header says a newer rapport
/// wrote it (the user version, bytes 60–63 of an SQLite file). A file that is not (yet)
/// an SQLite database, or cannot be read, is left to the checks after.
fn refuse_newer_file(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 64];
    let read = std::fs::File::open(path).and_then(|mut f| f.read_exact(&mut header));
    if read.is_err() || !header.starts_with(b"SQLite format 3\0") {
        return Ok(());
    }
    let version = i64::from(u32::from_be_bytes([
        header[60], header[61], header[62], header[63],
    ]));
    if version > SCHEMA_VERSION {
        bail!(
            "the database {} was written by a newer rapport (schema {version}, this one knows {SCHEMA_VERSION}); it was left untouched: upgrade rapport, or point [store] path at another file",
            path.display()
        );
    }
    Ok(())
}

/// When the database's folder cannot be written (SQLite creates its `-wal` and `-shm`
/// files there), the hint that says so; else nothing.
fn folder_hint(path: &Path) -> String {
    let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) else {
        return String::new();
    };
    let probe = dir.join(".rapport-write-check");
    match std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&probe)
    {
        Ok(_) => {
            let _ = std::fs::remove_file(&probe);
            String::new()
        }
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => String::new(),
        Err(e) => format!(
            " (its folder {} cannot be written: {e}; SQLite keeps its -wal and -shm files beside the database, so make the folder writable (`chmod u+w {}`) or point [store] path at a writable place; `rapport status` still shows what it holds)",
            dir.display(),
            dir.display()
        ),
    }
}

/// Parses a stored timestamp.
pub fn parse_ts(s: &str) -> Result<Timestamp> {
    s.parse::<Timestamp>()
        .with_context(|| format!("Stored time {s:?} is not RFC 3339"))
}

/// How long a statement waits for another process's lock before giving up.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// Switches the database to WAL. On a new file two processes opening it at once (the
/// daemon starting while the CLI runs) race for the exclusive lock this needs, and SQLite
/// answers the loser "busy" without calling the busy handler, so it is retried here for
/// as long as any other statement would wait.
fn set_wal(conn: &Connection) -> Result<()> {
    let start = std::time::Instant::now();
    loop {
        match conn.pragma_update(None, "journal_mode", "WAL") {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && start.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(std::time::Duration::from_millis(20));
            }
            other => return Ok(other?),
        }
    }
}

impl Store {
    /// Opens (creating if needed, mode 0600 in a 0700 directory) and migrates the
    /// database at `path`.
    pub fn open(path: &Path) -> Result<Store> {
        // A database from a newer rapport is refused before anything touches it (no
        // chmod, no switch to WAL): an older rapport must leave it exactly as it was.
        refuse_newer_file(path)?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            create_private_dir(dir)?;
        }
        create_private_file(path)?;
        if let Some(old) = make_private(path)? {
            tracing::warn!(
                "the database {} was readable by others (mode {old:o}); rapport made it private (as `chmod 600 {}` would)",
                path.display(),
                path.display()
            );
        }
        let conn = Connection::open(path)
            .with_context(|| format!("Opening the database {}", path.display()))?;
        Store::setup(conn).map_err(|e| {
            // A folder that cannot be written is the more precise reason.
            let hint = match folder_hint(path) {
                h if h.is_empty() => disk_hint(&e).to_string(),
                h => h,
            };
            e.context(format!("Preparing the database {}{hint}", path.display()))
        })
    }

    /// Opens the database for reading only, touching nothing (no lock, no WAL, no
    /// migration): for `status` when the data directory cannot be written. What an
    /// unfinished write left in the WAL is not seen.
    pub fn open_read_only(path: &Path) -> Result<Store> {
        use rusqlite::OpenFlags;
        let uri = format!(
            "file:{}?immutable=1",
            path.display()
                .to_string()
                .replace('%', "%25")
                .replace('?', "%3f")
                .replace('#', "%23")
        );
        let conn = Connection::open_with_flags(
            uri,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI,
        )
        .with_context(|| format!("Opening the database {} to read", path.display()))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            bail!(
                "the database {} has schema {version} and cannot be brought to {SCHEMA_VERSION} while it is read-only",
                path.display()
            );
        }
        Ok(Store { conn })
    }

    /// Opens the database to read what is committed (the WAL included), never writing,
    /// locking or migrating it: for shell completion, which must be quick and harmless.
    /// A database of another schema is an error.
    pub fn open_to_read(path: &Path) -> Result<Store> {
        use rusqlite::OpenFlags;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .with_context(|| format!("Opening the database {} to read", path.display()))?;
        conn.busy_timeout(std::time::Duration::from_millis(200))?;
        let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
        if version != SCHEMA_VERSION {
            bail!(
                "the database {} has schema {version}, this rapport reads {SCHEMA_VERSION}",
                path.display()
            );
        }
        Ok(Store { conn })
    }

    /// A private in-memory database, for tests.
    pub fn open_in_memory() -> Result<Store> {
        Store::setup(Connection::open_in_memory()?)
    }

    fn setup(conn: Connection) -> Result<Store> {
        conn.busy_timeout(BUSY_TIMEOUT)?;
        set_wal(&conn)?;
        conn.pragma_update(None, "synchronous", "FULL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        let mut store = Store { conn };
        store.migrate()?;
        Ok(store)
    }

    fn migrate(&mut self) -> Result<()> {
        migrate_to(&mut self.conn, SCHEMA_VERSION)
    }

    /// The underlying connection, for the store's own tests.
    #[cfg(test)]
    pub(crate) fn conn(&self) -> &Connection {
        &self.conn
    }

    /// Gives back the heap memory this connection holds between uses: its cached
    /// prepared statements and the unused pages of its page cache (the daemon, after
    /// each turn, so that nothing a large sync filled stays resident while it waits).
    /// The next statements are prepared and the pages read again as they are needed.
    pub fn release_memory(&self) -> Result<()> {
        self.conn.flush_prepared_statement_cache();
        self.conn.release_memory()?;
        Ok(())
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back when it
    /// fails. Store methods that need their own transaction nest as savepoints.
    pub fn in_transaction<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        match f(self) {
            Ok(v) => {
                self.conn.execute_batch("COMMIT")?;
                Ok(v)
            }
            Err(e) => {
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Runs `f` in a transaction that is always rolled back: what it would do, undone.
    pub fn rolled_back<T>(&mut self, f: impl FnOnce(&mut Store) -> Result<T>) -> Result<T> {
        self.conn.execute_batch("BEGIN IMMEDIATE")?;
        let r = f(self);
        self.conn.execute_batch("ROLLBACK")?;
        r
    }

    /// Records a timeline entry; returns false when the same (contact, kind, message)
    /// was already recorded.
    pub fn add_interaction(&self, i: &NewInteraction<'_>) -> Result<bool> {
        insert_interaction(&self.conn, i)
    }

    /// A contact's timeline, oldest first.
    pub fn interactions(&self, contact_id: i64) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT id, contact_id, at, kind, summary, message_key, draft_id, detail, source
             FROM interactions WHERE contact_id = ?1 ORDER BY at, id",
        )?;
        let rows = stmt.query_map([contact_id], interaction_from_row)?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// Sets a value in the small key/value table the daemon keeps its state in.
    pub fn set_state(&self, key: &str, value: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "INSERT INTO state (key, value, updated_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (key) DO UPDATE SET value = ?2, updated_at = ?3",
            rusqlite::params![key, value, fmt_ts(now)],
        )?;
        Ok(())
    }

    /// A state value and when it was set.
    pub fn state(&self, key: &str) -> Result<Option<(String, String)>> {
        Ok(self
            .conn
            .query_row(
                "SELECT value, updated_at FROM state WHERE key = ?1",
                [key],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?)
    }

    /// The schema version of the open database.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("PRAGMA user_version", [], |r| r.get(0))
            .optional()?
            .unwrap_or(0))
    }
}

/// Brings the schema up to `target`, refusing a database from a newer rapport.
fn migrate_to(conn: &mut Connection, target: i64) -> Result<()> {
    let version: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    if version > SCHEMA_VERSION {
        bail!(
            "the database was written by a newer rapport (schema {version}, this one knows {SCHEMA_VERSION}); upgrade rapport, or point [store] path at another file"
        );
    }
    if version >= target {
        return Ok(());
    }
    let keys_off = MIGRATIONS
        .iter()
        .zip(1..=target)
        .any(|((name, _), number)| number > version && FOREIGN_KEYS_OFF.contains(name));
    if !keys_off {
        return apply_migrations(conn, target, false);
    }
    // The pragma is a no-op inside a transaction: it is switched around the whole batch,
    // and back on whatever happened.
    conn.pragma_update(None, "foreign_keys", "OFF")?;
    let applied = apply_migrations(conn, target, true);
    let restored = conn.pragma_update(None, "foreign_keys", "ON");
    applied?;
    Ok(restored?)
}

/// Applies the migrations above the stored version up to `target` in one transaction;
/// with `check_keys`, refuses to commit while any row points at a missing parent.
fn apply_migrations(conn: &mut Connection, target: i64, check_keys: bool) -> Result<()> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    // Re-read inside the write lock: another process may have migrated meanwhile.
    let version: i64 = tx.query_row("PRAGMA user_version", [], |r| r.get(0))?;
    for ((name, sql), number) in MIGRATIONS.iter().zip(1..=target) {
        if number <= version {
            continue;
        }
        tx.execute_batch(sql)
            .with_context(|| format!("Applying migration {name}"))?;
        tx.pragma_update(None, "user_version", number)?;
    }
    if check_keys {
        let broken: Option<(String, i64, String)> = tx
            .query_row("PRAGMA foreign_key_check", [], |r| {
                Ok((
                    r.get(0)?,
                    r.get::<_, Option<i64>>(1)?.unwrap_or(0),
                    r.get(2)?,
                ))
            })
            .optional()?;
        if let Some((table, rowid, parent)) = broken {
            bail!(
                "migrating left row {rowid} of {table} pointing at a missing {parent} row; nothing was changed (the database is as it was): report this with `rapport --version`"
            );
        }
    }
    tx.commit()?;
    Ok(())
}

/// A stored value that does not read back as its type: the error names the table, the
/// row and the column, so a damaged database is reported, never a panic.
fn bad_value(table: &str, id: i64, column: &str, why: impl std::fmt::Display) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        0,
        rusqlite::types::Type::Text,
        format!("{table} row {id}, column {column}: {why}").into(),
    )
}

/// Reads a stored timestamp of row `id`.
fn ts_column(table: &str, id: i64, column: &str, text: &str) -> rusqlite::Result<Timestamp> {
    parse_ts(text).map_err(|e| bad_value(table, id, column, format!("{e:#}")))
}

/// A timeline row (columns id, contact_id, at, kind, summary, message_key, draft_id,
/// detail, source).
fn interaction_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Interaction> {
    let id: i64 = r.get(0)?;
    let at: String = r.get(2)?;
    let kind: String = r.get(3)?;
    let detail: String = r.get(7)?;
    Ok(Interaction {
        id,
        contact_id: r.get(1)?,
        at: ts_column("interactions", id, "at", &at)?,
        kind: kind
            .parse()
            .map_err(|e| bad_value("interactions", id, "kind", e))?,
        summary: r.get(4)?,
        message_key: r.get(5)?,
        draft_id: r.get(6)?,
        detail: serde_json::from_str(&detail)
            .map_err(|e| bad_value("interactions", id, "detail", e))?,
        source: r.get(8)?,
    })
}

/// Inserts a timeline entry on any connection or transaction.
fn insert_interaction(conn: &Connection, i: &NewInteraction<'_>) -> Result<bool> {
    // Cached: a first sync writes thousands of these.
    let n = conn.prepare_cached(
        "INSERT INTO interactions (contact_id, at, kind, summary, message_key, draft_id, detail, source)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT DO NOTHING",
    )?
    .execute(rusqlite::params![
            i.contact_id,
            fmt_ts(i.at),
            i.kind.as_str(),
            i.summary,
            i.message_key,
            i.draft_id,
            i.detail.to_string(),
            i.source,
    ])?;
    Ok(n == 1)
}

/// Creates the directory holding the database (mode 0700) if it is missing.
/// The lock file `NAME{suffix}` beside the database, found through the database's real
/// path (symlinks resolved, also those of its directory), so that two processes reaching
/// one database by different paths take the same lock (issue 20.13: two daemons on one
/// database through a symlinked path both ran).
pub fn lock_path(store_path: &Path, suffix: &str) -> std::path::PathBuf {
    let real = std::fs::canonicalize(store_path)
        .ok()
        .or_else(|| {
            let parent = store_path.parent().filter(|p| !p.as_os_str().is_empty())?;
            Some(
                std::fs::canonicalize(parent)
                    .ok()?
                    .join(store_path.file_name()?),
            )
        })
        .unwrap_or_else(|| store_path.to_path_buf());
    let mut name = real.file_name().unwrap_or_default().to_os_string();
    name.push(suffix);
    real.with_file_name(name)
}

pub fn ensure_data_dir(store_path: &Path) -> Result<()> {
    match store_path.parent().filter(|d| !d.as_os_str().is_empty()) {
        Some(dir) => create_private_dir(dir),
        None => Ok(()),
    }
}

#[cfg(unix)]
fn create_private_dir(dir: &Path) -> Result<()> {
    use std::os::unix::fs::DirBuilderExt;
    if dir.is_dir() {
        return Ok(());
    }
    std::fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)
        .with_context(|| format!("Creating the data directory {}", dir.display()))
}

#[cfg(not(unix))]
fn create_private_dir(dir: &Path) -> Result<()> {
    std::fs::create_dir_all(dir)
        .with_context(|| format!("Creating the data directory {}", dir.display()))
}

/// Creates the database file 0600 before SQLite does (SQLite would use the umask).
#[cfg(unix)]
fn create_private_file(path: &Path) -> Result<()> {
    use std::os::unix::fs::OpenOptionsExt;
    if path.exists() {
        return Ok(());
    }
    std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(path)
        .map(|_| ())
        .or_else(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                Ok(())
            } else {
                Err(e)
            }
        })
        .with_context(|| format!("Creating the database file {}", path.display()))
}

#[cfg(not(unix))]
fn create_private_file(_path: &Path) -> Result<()> {
    Ok(())
}

/// Makes the database file (and SQLite's `-wal` and `-shm` files beside it) readable by
/// its owner only when group or others could read it; returns the database's old mode
/// when it had to.
#[cfg(unix)]
pub fn make_private(path: &Path) -> Result<Option<u32>> {
    use std::os::unix::fs::PermissionsExt;
    let mut fixed = None;
    for suffix in ["", "-wal", "-shm"] {
        let mut name = path.as_os_str().to_os_string();
        name.push(suffix);
        let file = Path::new(&name);
        let Ok(meta) = std::fs::metadata(file) else {
            continue;
        };
        let mode = meta.permissions().mode() & 0o777;
        if mode & 0o077 != 0 {
            std::fs::set_permissions(file, std::fs::Permissions::from_mode(0o600)).with_context(
                || {
                    format!(
                        "{} is readable by others (mode {mode:o}) and could not be made private; run `chmod 600 {}`",
                        file.display(),
                        file.display()
                    )
                },
            )?;
            if suffix.is_empty() {
                fixed = Some(mode);
            }
        }
    }
    Ok(fixed)
}

#[cfg(not(unix))]
pub fn make_private(_path: &Path) -> Result<Option<u32>> {
    Ok(None)
}

#[cfg(test)]
pub(crate) mod test_support;
#[cfg(test)]
mod tests;
