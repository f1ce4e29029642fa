//! What attribution asks the store: the contact owning an address, the contacts the user
//! wrote to in a thread, the messages answering one just recorded (whose context has
//! just arrived), and when rapport began reading the mailbox. It never decides who a
//! message is about (`core::attribution` does).

use anyhow::Result;
use rusqlite::{Connection, OptionalExtension};

use super::{Batch, Store};
use crate::core::attribution::Known;

/// The kinds of the user's own messages to a contact.
const WRITTEN: &str = "('email-sent', 'request-sent', 'nudge-sent', 'check-in-sent',
                       'thank-you-sent')";

fn known(conn: &Connection, id: i64) -> Result<Option<Known>> {
    let Some(name) = conn
        .prepare_cached("SELECT name FROM contacts WHERE id = ?1")?
        .query_row([id], |r| r.get::<_, String>(0))
        .optional()?
    else {
        return Ok(None);
    };
    let addresses = conn
        .prepare_cached(
            "SELECT address FROM contact_emails WHERE contact_id = ?1 ORDER BY position",
        )?
        .query_map([id], |r| r.get::<_, String>(0))?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Some(Known {
        id,
        name,
        addresses,
    }))
}

impl Batch<'_> {
    /// The contact owning `address` (lowercased), with its name and addresses.
    pub fn owner_of(&self, address: &str) -> Result<Option<Known>> {
        let id: Option<i64> = self
            .tx
            .prepare_cached("SELECT contact_id FROM contact_emails WHERE address = ?1")?
            .query_row([address.to_lowercase()], |r| r.get(0))
            .optional()?;
        match id {
            Some(id) => known(&self.tx, id),
            None => Ok(None),
        }
    }

    /// The contacts the user wrote to in the messages with these Message-IDs: their
    /// timeline has the user's message (from the Sent folder, or sent by rapport).
    pub fn written_to(&self, message_ids: &[String]) -> Result<Vec<Known>> {
        let mut stmt = self.tx.prepare_cached(&format!(
            "SELECT DISTINCT contact_id FROM interactions
              WHERE message_key = ?1 AND kind IN {WRITTEN}
             UNION
             SELECT contact_id FROM drafts
              WHERE message_id = ?1 AND status IN ('sent', 'unknown', 'sending')"
        ))?;
        let mut ids: Vec<i64> = Vec::new();
        for m in message_ids.iter().take(64) {
            for id in stmt.query_map([m], |r| r.get::<_, i64>(0))? {
                let id = id?;
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        let mut out = Vec::new();
        for id in ids {
            out.extend(known(&self.tx, id)?);
        }
        Ok(out)
    }

    /// The stored messages from others that answer `message_id` (name it in
    /// In-Reply-To): their reading and attribution depend on it, so they are derived
    /// again when it arrives after them. (row id, Message-ID), at most 200.
    pub fn answers_to(&self, message_id: &str) -> Result<Vec<(i64, String)>> {
        let rows = self
            .tx
            .prepare_cached(
                "SELECT id, message_id FROM messages
                  WHERE in_reply_to = ?1 AND in_reply_to != '' AND direction = 'in'
                  ORDER BY id LIMIT 200",
            )?
            .query_map([message_id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }

    /// Asks the next sync of a folder holding these messages to fetch and read them
    /// again whole (the context they were read without has arrived).
    pub fn reread_whole(&self, rows: &[i64]) -> Result<()> {
        let mut stmt = self.tx.prepare_cached(
            "INSERT INTO headers_only (message, reread) VALUES (?1, 1)
             ON CONFLICT (message) DO UPDATE SET reread = 1",
        )?;
        for row in rows {
            stmt.execute([row])?;
        }
        Ok(())
    }
}

impl Store {
    /// The timeline entries a message made, with the name of each contact, for `why`.
    pub fn entries_of_message(
        &self,
        message_key: &str,
    ) -> Result<Vec<(String, super::Interaction)>> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT i.id, i.contact_id, i.at, i.kind, i.summary, i.message_key, i.draft_id,
                    i.detail, i.source, c.name
               FROM interactions i JOIN contacts c ON c.id = i.contact_id
              WHERE i.message_key = ?1 ORDER BY i.contact_id",
        )?;
        let rows = stmt.query_map([message_key], |r| {
            Ok((r.get::<_, String>(9)?, super::interaction_from_row(r)?))
        })?;
        Ok(rows.collect::<Result<Vec<_>, _>>()?)
    }

    /// How many messages wait to be read again whole.
    pub fn rereads_waiting(&self) -> Result<i64> {
        Ok(self
            .conn
            .prepare_cached("SELECT COUNT(*) FROM headers_only WHERE reread = 1")?
            .query_row([], |r| r.get(0))?)
    }

    /// When rapport first read a message of this mailbox (the first sync), if it has.
    pub fn watching_since(&self) -> Result<Option<jiff::Timestamp>> {
        let at: Option<String> = self
            .conn
            .prepare_cached("SELECT seen_at FROM messages ORDER BY id LIMIT 1")?
            .query_row([], |r| r.get(0))
            .optional()?;
        Ok(at.and_then(|a| a.parse().ok()))
    }
}
