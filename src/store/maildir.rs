//! Which Maildir files have been read, by the unique part of their file name.
//!
//! Maildir has no UIDs; the name a delivery agent gives a file (before `:2,` and the
//! flags) is unique in its folder and survives flag changes, so it is the key, stored as
//! text. It must never be folded into a number: a hash collision silently hides a file.

use std::collections::HashSet;

use anyhow::Result;
use rusqlite::{Connection, params};

impl super::Store {
    /// The unique names already read in one folder of one Maildir account.
    pub fn maildir_names(&self, account: &str, folder: &str) -> Result<HashSet<String>> {
        maildir_names(&self.conn, account, folder)
    }
}

fn maildir_names(conn: &Connection, account: &str, folder: &str) -> Result<HashSet<String>> {
    let mut stmt =
        conn.prepare_cached("SELECT name FROM maildir_files WHERE account = ?1 AND folder = ?2")?;
    let rows = stmt.query_map(params![account, folder], |r| r.get::<_, String>(0))?;
    let mut out = HashSet::new();
    for r in rows {
        out.insert(r?);
    }
    Ok(out)
}

/// Remembers that the file `name` of a folder holds message `row`.
pub(super) fn add_maildir_file(
    conn: &Connection,
    account: &str,
    folder: &str,
    name: &str,
    row: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO maildir_files (account, folder, name, message)
         VALUES (?1, ?2, ?3, ?4) ON CONFLICT DO NOTHING",
    )?
    .execute(params![account, folder, name, row])?;
    Ok(())
}
