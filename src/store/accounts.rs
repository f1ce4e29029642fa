//! Which account a message was read in, a draft goes out from, and a contact chose
//! (migration 0024). This module only remembers; which account a follow-up uses is
//! decided in [`crate::followup::account`].
//!
//! It must never change a draft's account after the draft was made: its bytes carry
//! that account's From address, and the user approves those bytes.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{OptionalExtension as _, params};

use super::{Store, fmt_ts};
use crate::core::model::Direction;

/// The last message of a conversation with a contact: who wrote it to whom, and the
/// account it was read in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LastConversation {
    /// The account the message was read in.
    pub account: String,
    /// Whether the user wrote it (`Out`) or the contact did (`In`).
    pub direction: Direction,
    /// The sender's address, lowercased.
    pub from_addr: String,
    /// Its To and Cc, lowercased.
    pub to_addrs: Vec<String>,
}

impl Store {
    /// The account a contact chose (`contacts edit --account`), if any.
    pub fn contact_account(&self, contact_id: i64) -> Result<Option<String>> {
        let chosen: Option<String> = self
            .conn
            .query_row(
                "SELECT account FROM contacts WHERE id = ?1",
                [contact_id],
                |r| r.get(0),
            )
            .optional()?;
        Ok(chosen.filter(|a| !a.is_empty()))
    }

    /// Sets (or, with `None`, clears) the account a contact's follow-ups go out from;
    /// false when there is no such contact.
    pub fn set_contact_account(&self, contact_id: i64, account: Option<&str>) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE contacts SET account = ?2 WHERE id = ?1",
            params![contact_id, account.unwrap_or("")],
        )?;
        Ok(n == 1)
    }

    /// The last message on the contact's timeline (the highest row: the last read), if
    /// any came from the mailbox.
    pub fn last_conversation(&self, contact_id: i64) -> Result<Option<LastConversation>> {
        let row = self
            .conn
            .query_row(
                "SELECT m.account, m.direction, m.from_addr, m.to_addrs
                 FROM messages m
                 WHERE m.id = (SELECT MAX(m2.id) FROM messages m2
                               JOIN interactions i ON i.message_key = m2.message_id
                               WHERE i.contact_id = ?1)",
                [contact_id],
                |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                    ))
                },
            )
            .optional()?;
        let Some((account, direction, from_addr, to)) = row else {
            return Ok(None);
        };
        Ok(Some(LastConversation {
            account,
            direction: direction.parse().unwrap_or(Direction::In),
            from_addr,
            to_addrs: serde_json::from_str(&to).unwrap_or_default(),
        }))
    }

    /// Emails from `account` counted against its daily cap between `from` and `to`:
    /// sent, being sent, or of unknown outcome (as [`Store::sent_between`] counts all).
    pub fn sent_between_from(&self, account: &str, from: Timestamp, to: Timestamp) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(*) FROM drafts WHERE status IN ('sent', 'unknown', 'sending')
             AND account = ?3
             AND COALESCE(sent_at, updated_at) >= ?1 AND COALESCE(sent_at, updated_at) < ?2",
            params![fmt_ts(from), fmt_ts(to), account],
            |r| r.get(0),
        )?)
    }

    /// The accounts messages were read in, with how many each.
    pub fn messages_per_account(&self) -> Result<Vec<(String, i64)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT account, COUNT(*) FROM messages GROUP BY account ORDER BY account")?;
        let rows = stmt
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<Result<Vec<_>, _>>()?;
        Ok(rows)
    }
}

#[cfg(test)]
mod tests;
