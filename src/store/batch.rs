//! One write transaction with the typed writes made inside it: sync and Maildir reading
//! record a chunk of messages and move the cursor, `rapport mark` corrects a reading,
//! and the timeline writer replaces what it derived from one message. Committed by
//! [`Batch::commit`]; dropped without it, everything is rolled back.
//!
//! It exists so that no `rusqlite` type and no SQL leaves `store/`: callers get these
//! methods, never the transaction. It must never send mail or touch drafts.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Transaction, TransactionBehavior, params};

use super::messages::{self, Cursor, NewMessage, StoredMessage};
use super::{NewInteraction, Store, fmt_ts};
use crate::core::classify::Label;

/// A write transaction on the store.
pub struct Batch<'s> {
    pub(super) tx: Transaction<'s>,
}

impl Store {
    /// Starts a write transaction (taking the write lock at once, so two processes
    /// never interleave a batch).
    pub fn batch(&mut self) -> Result<Batch<'_>> {
        let tx = self
            .conn
            .transaction_with_behavior(TransactionBehavior::Immediate)?;
        Ok(Batch { tx })
    }
}

impl Batch<'_> {
    /// Makes every write of the batch durable at once.
    pub fn commit(self) -> Result<()> {
        Ok(self.tx.commit()?)
    }

    /// Records a message unless one with the same Message-ID is known; returns its row
    /// id and whether it is new.
    pub fn upsert_message(&self, m: &NewMessage, now: Timestamp) -> Result<(i64, bool)> {
        messages::upsert_message(&self.tx, m, now)
    }

    /// Remembers that message `row` lives at (folder, uidvalidity, uid).
    pub fn add_location(
        &self,
        account: &str,
        folder: &str,
        uidvalidity: u32,
        uid: u32,
        row: i64,
    ) -> Result<()> {
        messages::add_location(&self.tx, account, folder, uidvalidity, uid, row)
    }

    /// Remembers that the Maildir file `name` of a folder holds message `row`.
    pub fn add_maildir_file(
        &self,
        account: &str,
        folder: &str,
        name: &str,
        row: i64,
    ) -> Result<()> {
        super::maildir::add_maildir_file(&self.tx, account, folder, name, row)
    }

    /// Moves a folder's cursor, with the messages read up to it.
    pub fn set_cursor(&self, account: &str, folder: &str, c: Cursor, now: Timestamp) -> Result<()> {
        messages::set_cursor(&self.tx, account, folder, c, now)
    }

    /// A message by its Message-ID, as the batch sees it.
    pub fn message_by_message_id(&self, message_id: &str) -> Result<Option<StoredMessage>> {
        messages::message_by_message_id(&self.tx, message_id)
    }

    /// Records the user's reading of a message (`rapport mark`): the label in force and
    /// the corrected classification.
    pub fn set_label_override(
        &self,
        id: i64,
        label: Label,
        classification: &crate::core::classify::Classification,
    ) -> Result<()> {
        messages::set_label_override(&self.tx, id, label, classification)
    }

    /// The Message-ID the user sent when `id` is an alias a server rewrote it to; else `id`.
    pub fn canonical_message_id(&self, id: &str) -> Result<String> {
        messages::canonical_message_id(&self.tx, id)
    }

    /// The contacts (ids, each once, in the order found) owning any of `addresses`.
    pub fn contacts_with_addresses(&self, addresses: &[String]) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        let mut stmt = self
            .tx
            .prepare_cached("SELECT contact_id FROM contact_emails WHERE address = ?1")?;
        for a in addresses {
            let found: Vec<i64> = stmt
                .query_map([a.to_lowercase()], |r| r.get(0))?
                .collect::<Result<_, _>>()?;
            for id in found {
                if !ids.contains(&id) {
                    ids.push(id);
                }
            }
        }
        Ok(ids)
    }

    /// Whether `message_id` is one rapport sent itself (a sent or unknown draft, or an
    /// alias a server gave one).
    pub fn sent_by_rapport(&self, message_id: &str) -> Result<bool> {
        Ok(self
            .tx
            .prepare_cached(
                "SELECT EXISTS (SELECT 1 FROM drafts WHERE message_id = ?1 AND status IN ('sent', 'unknown'))
                 OR EXISTS (SELECT 1 FROM message_aliases WHERE alias = ?1)",
            )?
            .query_row([message_id], |r| r.get(0))?)
    }

    /// Removes the timeline entries sync derived from one message, before deriving again.
    pub fn forget_derived(&self, message_key: &str) -> Result<()> {
        self.tx
            .prepare_cached("DELETE FROM interactions WHERE source = 'sync' AND message_key = ?1")?
            .execute([message_key])?;
        Ok(())
    }

    /// Marks one contact's address as bounced at `at`, unless it already was.
    pub fn mark_bounced(&self, address: &str, contact_id: i64, at: Timestamp) -> Result<()> {
        self.tx.execute(
            "UPDATE contact_emails SET bounced_at = ?1
              WHERE address = ?2 AND contact_id = ?3 AND bounced_at IS NULL",
            params![fmt_ts(at), address, contact_id],
        )?;
        Ok(())
    }

    /// Records a timeline entry; false when the same (contact, kind, message) was
    /// already recorded.
    pub fn add_interaction(&self, i: &NewInteraction<'_>) -> Result<bool> {
        super::insert_interaction(&self.tx, i)
    }
}
