//! What sync saw: message envelopes with their classification, where they live, and the
//! per-folder cursors. Bodies are never stored.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;

use super::{Store, fmt_ts};
use crate::core::attribution::Parties;
use crate::core::classify::{Classification, Label};
use crate::core::model::Direction;

/// Per account and folder: the UIDVALIDITY seen and the next UID to read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Cursor {
    pub uidvalidity: u32,
    pub next_uid: u32,
}

/// One folder's sync state, for `rapport status`.
#[derive(Debug, Clone, Serialize)]
pub struct SyncState {
    pub account: String,
    pub folder: String,
    pub last_sync_at: Option<String>,
    pub last_error: String,
}

/// A message to record.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub message_id: String,
    pub in_reply_to: String,
    pub refs: Vec<String>,
    pub outbound: bool,
    pub from_addr: String,
    pub from_name: String,
    pub to_addrs: Vec<String>,
    pub date: Timestamp,
    pub subject: String,
    pub snippet: String,
    pub label: Label,
    pub classification: Classification,
    pub parse_error: String,
    /// When the server says it arrived (IMAP INTERNALDATE, a Maildir file's delivery);
    /// `None` when it gave none.
    pub arrived: Option<Timestamp>,
    /// Who the message is about beyond From/To/Cc (`core::attribution`).
    pub parties: Parties,
    /// The account it was read in; "" stores it under the default account.
    pub account: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct StoredMessage {
    pub id: i64,
    pub message_id: String,
    pub in_reply_to: String,
    pub refs: Vec<String>,
    pub direction: Direction,
    pub from_addr: String,
    pub from_name: String,
    pub to_addrs: Vec<String>,
    pub date: String,
    pub subject: String,
    pub snippet: String,
    /// The label in force: the user's correction when there is one.
    pub label: Label,
    pub detected_label: Label,
    pub label_override: Option<Label>,
    pub classification: Classification,
    pub parse_error: String,
    /// When rapport first read it (RFC 3339 UTC).
    pub seen_at: String,
    /// When the server says it arrived, if it said.
    pub arrived_at: Option<String>,
    pub parties: Parties,
}

const COLUMNS: &str =
    "id, message_id, in_reply_to, refs, direction, from_addr, from_name, to_addrs, date,
    subject, snippet, label, label_override, classification, parse_error, seen_at, arrived_at,
    parties";

fn from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<StoredMessage> {
    let id: i64 = r.get(0)?;
    let bad = |column: &str, why: String| super::bad_value("messages", id, column, why);
    let label = |column: &str, text: &str| {
        Label::from_name(text).ok_or_else(|| bad(column, format!("{text:?} is not a label")))
    };
    let refs: String = r.get(3)?;
    let direction: String = r.get(4)?;
    let to: String = r.get(7)?;
    let detected = label("label", &r.get::<_, String>(11)?)?;
    let over = match r.get::<_, Option<String>>(12)? {
        Some(text) => Some(label("label_override", &text)?),
        None => None,
    };
    let class: String = r.get(13)?;
    Ok(StoredMessage {
        id,
        message_id: r.get(1)?,
        in_reply_to: r.get(2)?,
        refs: refs.split_whitespace().map(str::to_string).collect(),
        direction: direction.parse().map_err(|e| bad("direction", e))?,
        from_addr: r.get(5)?,
        from_name: r.get(6)?,
        to_addrs: serde_json::from_str(&to).map_err(|e| bad("to_addrs", e.to_string()))?,
        date: r.get(8)?,
        subject: r.get(9)?,
        snippet: r.get(10)?,
        label: over.unwrap_or(detected),
        detected_label: detected,
        label_override: over,
        classification: read_classification(&class)
            .map_err(|e| bad("classification", e.to_string()))?,
        parse_error: r.get(14)?,
        seen_at: r.get(15)?,
        arrived_at: r.get(16)?,
        // Parties only widen attribution: a row whose parties cannot be read is
        // attributed by its From/To/Cc alone, as before they were kept.
        parties: serde_json::from_str(&r.get::<_, String>(17)?).unwrap_or_default(),
    })
}

/// A stored classification: the JSON that `Classification` serialises to. An empty `{}`
/// (the column's default) or `null` is an empty reading; anything not of that shape is an
/// error, for the caller to name the row.
pub(super) fn read_classification(text: &str) -> serde_json::Result<Classification> {
    Ok(serde_json::from_str::<Option<Classification>>(text)?.unwrap_or_default())
}

/// The JSON a classification is stored as.
pub(super) fn write_classification(c: &Classification) -> Result<String> {
    Ok(serde_json::to_string(c)?)
}

/// Records a message unless one with the same Message-ID is known; returns its row id
/// and whether it is new.
pub(super) fn upsert_message(
    conn: &Connection,
    m: &NewMessage,
    now: Timestamp,
) -> Result<(i64, bool)> {
    // Cached: a first sync runs these tens of thousands of times.
    let n = conn.prepare_cached(
        "INSERT INTO messages (message_id, in_reply_to, refs, direction, from_addr, from_name, to_addrs,
            date, subject, snippet, label, classification, parse_error, seen_at, arrived_at,
            parties, account)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
         ON CONFLICT (message_id) DO NOTHING",
    )?
    .execute(params![
            m.message_id,
            m.in_reply_to,
            m.refs.join(" "),
            if m.outbound {
                Direction::Out
            } else {
                Direction::In
            }
            .as_str(),
            m.from_addr,
            m.from_name,
            serde_json::to_string(&m.to_addrs)?,
            fmt_ts(m.date),
            m.subject,
            m.snippet,
            m.label.as_str(),
            write_classification(&m.classification)?,
            m.parse_error,
            fmt_ts(now),
            m.arrived.map(fmt_ts),
            serde_json::to_string(&m.parties)?,
            if m.account.is_empty() { crate::config::DEFAULT_ACCOUNT } else { &m.account },
    ])?;
    if n == 1 {
        return Ok((conn.last_insert_rowid(), true));
    }
    let id = conn
        .prepare_cached("SELECT id FROM messages WHERE message_id = ?1")?
        .query_row([&m.message_id], |r| r.get(0))?;
    Ok((id, false))
}

/// Remembers that message `row` lives at (folder, uidvalidity, uid).
pub(super) fn add_location(
    conn: &Connection,
    account: &str,
    folder: &str,
    uidvalidity: u32,
    uid: u32,
    row: i64,
) -> Result<()> {
    conn.prepare_cached(
        "INSERT INTO message_locations (account, folder, uidvalidity, uid, message)
         VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT DO NOTHING",
    )?
    .execute(params![account, folder, uidvalidity, uid, row])?;
    Ok(())
}

/// Moves a folder's cursor.
pub(super) fn set_cursor(
    conn: &Connection,
    account: &str,
    folder: &str,
    c: Cursor,
    now: Timestamp,
) -> Result<()> {
    conn.execute(
        "INSERT INTO sync_cursors (account, folder, uidvalidity, next_uid, last_sync_at, last_error)
         VALUES (?1, ?2, ?3, ?4, ?5, '')
         ON CONFLICT (account, folder) DO UPDATE SET uidvalidity = ?3, next_uid = ?4, last_sync_at = ?5, last_error = ''",
        params![account, folder, c.uidvalidity, c.next_uid, fmt_ts(now)],
    )?;
    Ok(())
}

/// A message by its Message-ID, on any connection or transaction.
pub(super) fn message_by_message_id(
    conn: &Connection,
    message_id: &str,
) -> Result<Option<StoredMessage>> {
    Ok(conn
        .query_row(
            &format!("SELECT {COLUMNS} FROM messages WHERE message_id = ?1"),
            [message_id],
            from_row,
        )
        .optional()?)
}

impl Store {
    /// Moves a folder's cursor outside any batch.
    pub fn set_cursor(&self, account: &str, folder: &str, c: Cursor, now: Timestamp) -> Result<()> {
        set_cursor(&self.conn, account, folder, c, now)
    }

    pub fn cursor(&self, account: &str, folder: &str) -> Result<Option<Cursor>> {
        Ok(self
            .conn
            .query_row(
                "SELECT uidvalidity, next_uid FROM sync_cursors WHERE account = ?1 AND folder = ?2",
                params![account, folder],
                |r| {
                    Ok(Cursor {
                        uidvalidity: r.get(0)?,
                        next_uid: r.get(1)?,
                    })
                },
            )
            .optional()?)
    }

    /// Records a sync error on a folder (shown by `rapport status`).
    pub fn set_sync_error(&self, account: &str, folder: &str, error: &str) -> Result<()> {
        self.conn.execute(
            "INSERT INTO sync_cursors (account, folder, last_error) VALUES (?1, ?2, ?3)
             ON CONFLICT (account, folder) DO UPDATE SET last_error = ?3",
            params![account, folder, error],
        )?;
        Ok(())
    }

    /// Every folder's sync state.
    pub fn sync_states(&self) -> Result<Vec<SyncState>> {
        Ok(self
            .conn
            .prepare("SELECT account, folder, last_sync_at, last_error FROM sync_cursors ORDER BY account, folder")?
            .query_map([], |r| {
                Ok(SyncState {
                    account: r.get(0)?,
                    folder: r.get(1)?,
                    last_sync_at: r.get(2)?,
                    last_error: r.get(3)?,
                })
            })?
            .collect::<Result<_, _>>()?)
    }

    /// A message by row id or Message-ID (with or without angle brackets).
    pub fn message(&self, key: &str) -> Result<Option<StoredMessage>> {
        let key = key.trim();
        let by_id = key.strip_prefix('#').unwrap_or(key).parse::<i64>().ok();
        if let Some(id) = by_id {
            let m = self
                .conn
                .query_row(
                    &format!("SELECT {COLUMNS} FROM messages WHERE id = ?1"),
                    [id],
                    from_row,
                )
                .optional()?;
            if m.is_some() {
                return Ok(m);
            }
        }
        let mid = key.trim_start_matches('<').trim_end_matches('>');
        message_by_message_id(&self.conn, mid)
    }

    /// Messages from or to any of `addresses` (or bounces naming one), oldest first.
    /// One pass over the messages, however many addresses are asked about.
    pub fn messages_involving(
        &self,
        addresses: &std::collections::HashSet<String>,
    ) -> Result<Vec<StoredMessage>> {
        if addresses.is_empty() {
            return Ok(Vec::new());
        }
        let mut stmt = self
            .conn
            .prepare(&format!("SELECT {COLUMNS} FROM messages ORDER BY date, id"))?;
        let mut out = Vec::new();
        for m in stmt.query_map([], from_row)? {
            let m = m?;
            let bounced = m.classification.bounce.as_ref().is_some_and(|b| {
                b.failed_recipients
                    .iter()
                    .any(|r| addresses.contains(&r.to_lowercase()))
            });
            let named = m
                .parties
                .reply_to
                .iter()
                .map(|a| &a.address)
                .chain(&m.parties.body_addresses)
                .chain(
                    m.classification
                        .meeting
                        .iter()
                        .flat_map(|x| x.attendee_status.iter().map(|(a, _)| a)),
                )
                .any(|a| addresses.contains(a));
            if addresses.contains(&m.from_addr)
                || m.to_addrs.iter().any(|t| addresses.contains(t))
                || bounced
                || named
            {
                out.push(m);
            }
        }
        Ok(out)
    }

    /// Message-IDs rapport itself sent (drafts in sent or unknown state) and their aliases.
    pub fn sent_message_ids(&self) -> Result<std::collections::HashSet<String>> {
        let mut set: std::collections::HashSet<String> = self
            .conn
            .prepare(
                "SELECT message_id FROM drafts WHERE status IN ('sent', 'unknown', 'sending')",
            )?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        let aliases: Vec<String> = self
            .conn
            .prepare("SELECT alias FROM message_aliases")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        set.extend(aliases);
        // Read from the partial index messages_sent_ids (0015), not the whole table.
        let own: Vec<String> = self
            .conn
            .prepare("SELECT message_id FROM messages WHERE direction = 'out'")?
            .query_map([], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        set.extend(own);
        Ok(set)
    }

    /// Message count, for `status`.
    pub fn message_count(&self) -> Result<i64> {
        Ok(self
            .conn
            .query_row("SELECT COUNT(*) FROM messages", [], |r| r.get(0))?)
    }
}

/// The Message-ID the user sent when `id` is an alias a server rewrote it to; else `id`.
pub(super) fn canonical_message_id(conn: &Connection, id: &str) -> Result<String> {
    use rusqlite::OptionalExtension as _;
    let found: Option<String> = conn
        .prepare_cached("SELECT message_id FROM message_aliases WHERE alias = ?1")?
        .query_row([id], |r| r.get(0))
        .optional()?;
    Ok(found.unwrap_or_else(|| id.to_string()))
}

/// Records the user's reading of a message (`rapport mark`): the label in force and the
/// corrected classification.
pub(super) fn set_label_override(
    conn: &Connection,
    id: i64,
    label: Label,
    classification: &Classification,
) -> Result<()> {
    conn.execute(
        "UPDATE messages SET label_override = ?1, classification = ?2 WHERE id = ?3",
        rusqlite::params![label.as_str(), write_classification(classification)?, id],
    )?;
    Ok(())
}

/// Which list of `rapport queue` an item belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttentionKind {
    /// Someone asked the user for a meeting and the user has not written since.
    ToAnswer,
    /// rapport's reading of a message is unsure: the user confirms it with `mark`.
    ToConfirm,
}

/// A message that waits for the user, not for a draft.
#[derive(Debug, Clone, Serialize)]
pub struct Attention {
    pub kind: AttentionKind,
    pub contact_id: i64,
    pub contact: String,
    pub at: String,
    /// The Message-ID, for `rapport why` and `rapport mark`.
    pub message_id: String,
    pub summary: String,
    /// For a referral ("talk to Ana, cc'd"): the person the contact handed the
    /// conversation to, not yet a contact, as (name, address).
    pub introduced: Option<(String, String)>,
}

impl Store {
    /// Requests to answer (oldest first), then readings to confirm.
    pub fn attention(&self) -> Result<Vec<Attention>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT 0, c.id, c.name, i.at, i.message_key, i.summary, NULL, NULL
               FROM interactions i JOIN contacts c ON c.id = i.contact_id
              WHERE i.kind = 'request-received'
                AND NOT EXISTS (SELECT 1 FROM interactions j
                                 WHERE j.contact_id = i.contact_id AND j.at >= i.at
                                   AND j.kind IN ('email-sent', 'request-sent', 'nudge-sent',
                                                  'check-in-sent', 'thank-you-sent',
                                                  'meeting-scheduled', 'meeting-declined'))
             UNION ALL
             SELECT 0, c.id, c.name, i.at, i.message_key, i.summary,
                    json_extract(i.detail, '$.referral.name'),
                    json_extract(i.detail, '$.referral.address')
               FROM interactions i JOIN contacts c ON c.id = i.contact_id
              WHERE json_extract(i.detail, '$.referral.address') IS NOT NULL
                AND NOT EXISTS (SELECT 1 FROM contact_emails e
                                 WHERE e.address = json_extract(i.detail, '$.referral.address'))
             UNION ALL
             SELECT 1, c.id, c.name, i.at, i.message_key, i.summary, NULL, NULL
               FROM interactions i JOIN contacts c ON c.id = i.contact_id
              WHERE json_extract(i.detail, '$.unsure') = 1
             ORDER BY 1, 4",
        )?;
        let rows = stmt.query_map([], |r| {
            // The first column says which part of the union a row came from.
            let to_answer = r.get::<_, i64>(0)? == 0;
            let name: Option<String> = r.get(6)?;
            let address: Option<String> = r.get(7)?;
            Ok(Attention {
                kind: if to_answer {
                    AttentionKind::ToAnswer
                } else {
                    AttentionKind::ToConfirm
                },
                contact_id: r.get(1)?,
                contact: r.get(2)?,
                at: r.get(3)?,
                message_id: r.get(4)?,
                summary: r.get(5)?,
                introduced: address.map(|a| (name.unwrap_or_default(), a)),
            })
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }
}

#[cfg(test)]
mod tests;
