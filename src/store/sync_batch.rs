//! What a sync batch needs from the database besides storing messages: the addresses
//! that make a body worth fetching, the messages read from their headers alone, and the
//! re-reading of those once one of their correspondents becomes a contact.
//!
//! Every statement is prepared once per connection (`prepare_cached`): a first sync runs
//! them tens of thousands of times. This module never decides what a message says; it
//! stores what `mail::sync` read.
//!
//! The sync writer's own connection ([`Store::another`]) commits with
//! `synchronous=NORMAL` under WAL, not the `FULL` of every other connection: a commit
//! is not waited onto the disk. That is safe for sync batches only, because the folder's
//! cursor commits in the same transaction as the messages it covers: a process killed
//! part-way loses nothing (WAL commits survive a process's death whatever the setting),
//! and a power cut can lose only the last batches together with their cursor, so the
//! next sync reads them again (Message-IDs keep anything from being doubled). A later
//! `FULL` commit on another connection (a draft marked `sending`) writes the WAL up to
//! its own frame, the sync's frames before it included, so nothing a draft depends on
//! can be lost while the draft is kept. Drafts, sends and user commands never go
//! through this connection.
//!
//! That connection also runs with SQLite's query planner stability guarantee (QPSG).
//! Without it, a statement whose WHERE names a column that a partial index also names
//! (`interactions.message_key = ?1`, beside `interactions_once … WHERE message_key != ''`)
//! is planned from the value bound, so SQLite compiles it again each time another value
//! is bound: a first sync of 20,000 messages compiled statements 15,500 times for 95
//! prepared (counted with probes on `sqlite3LockAndPrepare` and `sqlite3_prepare_v3`), a
//! fifth of the writer's time. With QPSG a plan is made once, from the SQL alone; the
//! writer's look-ups keep an index search each (`EXPLAIN QUERY PLAN`) and store the same
//! rows.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use std::collections::HashSet;

use anyhow::Result;
use rusqlite::config::DbConfig;
use rusqlite::{Connection, params};

use super::{Batch, NewMessage, Store, StoredMessage, fmt_ts};
use crate::core::model::Direction;

impl Batch<'_> {
    /// Remembers that message `row` was read from its headers alone.
    pub fn mark_headers_only(&self, row: i64) -> Result<()> {
        mark_headers_only(&self.tx, row)
    }

    /// Asks the next sync to fetch and read again these messages, where they were read
    /// from their headers alone (a correspondent just became a contact). Returns how many.
    pub fn want_reread(&self, rows: &[i64]) -> Result<usize> {
        want_reread(&self.tx, rows)
    }

    /// Replaces the reading of message `row` with one from its whole body (the user's
    /// own correction stays in force), and forgets that it was headers-only.
    pub fn replace_reading(&self, row: i64, m: &NewMessage) -> Result<()> {
        replace_reading(&self.tx, row, m)
    }

    /// Forgets that message `row` waits to be read again (it is gone from the server).
    pub fn drop_headers_only(&self, row: i64) -> Result<()> {
        drop_headers_only(&self.tx, row)
    }
}

impl Store {
    /// Another connection to the same database file, for a thread that stores a sync's
    /// batches while this one fetches and reads the next; `None` for a database without
    /// a file (in memory). It commits with `synchronous=NORMAL` (see the module doc for
    /// why that is safe for sync batches, and only for them).
    pub fn another(&self) -> Result<Option<Store>> {
        match self.conn.path() {
            Some(path) if !path.is_empty() => {
                let store = Store::open(std::path::Path::new(path))?;
                store.conn.pragma_update(None, "synchronous", "NORMAL")?;
                // Plans that never depend on the values bound (see the module doc).
                store
                    .conn
                    .set_db_config(DbConfig::SQLITE_DBCONFIG_ENABLE_QPSG, true)?;
                Ok(Some(store))
            }
            _ => Ok(None),
        }
    }

    /// Every contact address, lowercased: mail to or from one of them has its body read.
    pub fn contact_addresses(&self) -> Result<HashSet<String>> {
        contact_addresses(&self.conn)
    }

    /// Where message `row` was seen over IMAP: (account, folder, UIDVALIDITY, UID), each
    /// place once, for reading it again (`rapport why` of mail read from its headers).
    pub fn imap_locations(&self, row: i64) -> Result<Vec<(String, String, u32, u32)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT account, folder, uidvalidity, uid FROM message_locations
              WHERE message = ?1 ORDER BY rowid DESC",
        )?;
        let rows = stmt.query_map([row], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// The messages waiting to be read again that live in this folder (at this
    /// UIDVALIDITY), by UID.
    pub fn rereads(&self, account: &str, folder: &str, uidvalidity: u32) -> Result<Vec<Reread>> {
        rereads(&self.conn, account, folder, uidvalidity)
    }
}

fn contact_addresses(conn: &Connection) -> Result<HashSet<String>> {
    let mut stmt = conn.prepare_cached("SELECT address FROM contact_emails")?;
    let rows = stmt.query_map([], |r| r.get::<_, String>(0))?;
    let mut out = HashSet::new();
    for a in rows {
        out.insert(a?.to_lowercase());
    }
    Ok(out)
}

/// Remembers that message `row` was read from its headers alone.
fn mark_headers_only(conn: &Connection, row: i64) -> Result<()> {
    conn.prepare_cached("INSERT INTO headers_only (message) VALUES (?1) ON CONFLICT DO NOTHING")?
        .execute([row])?;
    Ok(())
}

/// Asks the next sync to fetch and read again these messages, where they were read from
/// their headers alone (a correspondent just became a contact). Returns how many.
fn want_reread(conn: &Connection, rows: &[i64]) -> Result<usize> {
    let mut stmt = conn.prepare_cached("UPDATE headers_only SET reread = 1 WHERE message = ?1")?;
    let mut n = 0;
    for row in rows {
        n += stmt.execute([row])?;
    }
    Ok(n)
}

/// A message waiting to be read again, where it lives in the folder being synced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Reread {
    pub row: i64,
    pub uid: u32,
    /// As stored (one rapport made up for a message without one stays the same).
    pub message_id: String,
}

fn rereads(
    conn: &Connection,
    account: &str,
    folder: &str,
    uidvalidity: u32,
) -> Result<Vec<Reread>> {
    // Almost always none: asked on the partial index first, so that a sync with nothing
    // waiting does not walk every location of the folder (the join below starts there).
    let any: bool = conn
        .prepare_cached("SELECT EXISTS (SELECT 1 FROM headers_only WHERE reread = 1)")?
        .query_row([], |r| r.get(0))?;
    if !any {
        return Ok(Vec::new());
    }
    let mut stmt = conn.prepare_cached(
        "SELECT h.message, MIN(l.uid), m.message_id FROM headers_only h
           JOIN message_locations l ON l.message = h.message
           JOIN messages m ON m.id = h.message
          WHERE h.reread = 1 AND l.account = ?1 AND l.folder = ?2 AND l.uidvalidity = ?3
          GROUP BY h.message ORDER BY 2",
    )?;
    let rows = stmt.query_map(params![account, folder, uidvalidity], |r| {
        Ok(Reread {
            row: r.get(0)?,
            uid: r.get(1)?,
            message_id: r.get(2)?,
        })
    })?;
    Ok(rows.collect::<Result<_, _>>()?)
}

/// Replaces the reading of message `row` with one from its whole body (the user's own
/// correction, `label_override`, stays in force), and forgets that it was headers-only.
fn replace_reading(conn: &Connection, row: i64, m: &NewMessage) -> Result<()> {
    conn.prepare_cached(
        "UPDATE messages SET snippet = ?2, label = ?3, classification = ?4, parse_error = ?5
          WHERE id = ?1 AND label_override IS NULL",
    )?
    .execute(params![
        row,
        m.snippet,
        m.label.as_str(),
        super::messages::write_classification(&m.classification)?,
        m.parse_error
    ])?;
    // Who it is about, read from the whole message now (a correction leaves this alone:
    // it says who, not what).
    conn.prepare_cached(
        "UPDATE messages SET parties = ?2, arrived_at = COALESCE(arrived_at, ?3) WHERE id = ?1",
    )?
    .execute(params![
        row,
        serde_json::to_string(&m.parties)?,
        m.arrived.map(fmt_ts)
    ])?;
    conn.prepare_cached("DELETE FROM headers_only WHERE message = ?1")?
        .execute([row])?;
    Ok(())
}

/// Forgets that message `row` waits to be read again (it is gone from the server).
fn drop_headers_only(conn: &Connection, row: i64) -> Result<()> {
    conn.prepare_cached("DELETE FROM headers_only WHERE message = ?1")?
        .execute([row])?;
    Ok(())
}

/// The stored form of a message just inserted as row `row`, without reading it back.
pub fn stored(row: i64, m: &NewMessage, now: jiff::Timestamp) -> Result<StoredMessage> {
    let label = m.label;
    Ok(StoredMessage {
        id: row,
        message_id: m.message_id.clone(),
        in_reply_to: m.in_reply_to.clone(),
        refs: m.refs.clone(),
        direction: if m.outbound {
            Direction::Out
        } else {
            Direction::In
        },
        from_addr: m.from_addr.clone(),
        from_name: m.from_name.clone(),
        to_addrs: m.to_addrs.clone(),
        date: fmt_ts(m.date),
        subject: m.subject.clone(),
        snippet: m.snippet.clone(),
        label,
        detected_label: label,
        label_override: None,
        classification: m.classification.clone(),
        parse_error: m.parse_error.clone(),
        seen_at: fmt_ts(now),
        arrived_at: m.arrived.map(fmt_ts),
        parties: m.parties.clone(),
    })
}
