//! What the user taught the learned reader (migration 0020): one labelled text per
//! corrected message. Written in the correction's transaction, read whole when a sync
//! builds its reader, deleted by `rapport mark --forget`. It must never keep more of a
//! message than the snippet `messages` already holds.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::params;

use super::{Batch, Store, fmt_ts};
use crate::core::classify::model::Class;

impl Batch<'_> {
    /// Keeps `text` as an example of `class` for the message `message_id`, replacing an
    /// earlier one for the same message.
    pub fn keep_reader_example(
        &self,
        message_id: &str,
        text: &str,
        class: Class,
        now: Timestamp,
    ) -> Result<()> {
        self.tx.execute(
            "INSERT INTO reader_examples (message_id, text, label, created) VALUES (?1, ?2, ?3, ?4)
             ON CONFLICT (message_id) DO UPDATE SET text = excluded.text,
                 label = excluded.label, created = excluded.created",
            params![message_id, text, class.as_str(), fmt_ts(now)],
        )?;
        Ok(())
    }
}

impl Store {
    /// Forgets the example kept for `message_id`; true when there was one.
    pub fn forget_reader_example(&mut self, message_id: &str) -> Result<bool> {
        let n = self.conn.execute(
            "DELETE FROM reader_examples WHERE message_id = ?1",
            [message_id],
        )?;
        Ok(n > 0)
    }

    /// Every example the user taught, oldest first: (text, class).
    pub fn reader_examples(&self) -> Result<Vec<(String, Class)>> {
        let mut stmt = self
            .conn
            .prepare_cached("SELECT id, text, label FROM reader_examples ORDER BY id")?;
        let rows = stmt.query_map([], |r| {
            let id: i64 = r.get(0)?;
            let label: String = r.get(2)?;
            let class = Class::from_name(&label).ok_or_else(|| {
                super::bad_value(
                    "reader_examples",
                    id,
                    "label",
                    format!("{label:?} is not a class"),
                )
            })?;
            Ok((r.get::<_, String>(1)?, class))
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests;
