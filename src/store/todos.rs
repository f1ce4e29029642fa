//! Action items (`rapport todo`): what the user promised a contact, open until done.
//!
//! This module holds the SQL only; ordering and labels are `core::todo`'s. It must never
//! delete an item the user did not remove with its contact.

use anyhow::Result;
use jiff::Timestamp;
use jiff::civil::Date;
use rusqlite::{OptionalExtension, Row, params};

use super::{Store, fmt_ts};
use crate::core::todo::ActionItem;

const SELECT: &str = "SELECT t.id, t.contact_id, t.text, t.due, t.done_at,
        CASE WHEN c.name != '' THEN c.name
             ELSE coalesce((SELECT address FROM contact_emails e WHERE e.contact_id = c.id
                            ORDER BY position, address LIMIT 1), '#' || c.id) END
    FROM todos t JOIN contacts c ON c.id = t.contact_id";

fn item(r: &Row<'_>) -> rusqlite::Result<ActionItem> {
    let due: Option<String> = r.get(3)?;
    Ok(ActionItem {
        id: r.get(0)?,
        contact_id: r.get(1)?,
        text: r.get(2)?,
        // Written by `add_todo` from a parsed Date; an unreadable one reads as undated.
        due: due.and_then(|d| d.parse::<Date>().ok()),
        done_at: r.get(4)?,
        contact: r.get(5)?,
    })
}

impl Store {
    /// Records an action item for a contact; returns its id.
    pub fn add_todo(
        &self,
        contact_id: i64,
        text: &str,
        due: Option<Date>,
        now: Timestamp,
    ) -> Result<i64> {
        self.conn.execute(
            "INSERT INTO todos (contact_id, text, due, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![contact_id, text, due.map(|d| d.to_string()), fmt_ts(now)],
        )?;
        Ok(self.conn.last_insert_rowid())
    }

    /// Every open action item, of every contact, earliest due first, undated last.
    /// The digest and `rapport todo` read this.
    pub fn open_todos(&self) -> Result<Vec<ActionItem>> {
        let sql = format!("{SELECT} WHERE t.done_at IS NULL ORDER BY t.due IS NULL, t.due, t.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([], item)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One contact's action items, open and done, oldest first.
    pub fn todos_for_contact(&self, contact_id: i64) -> Result<Vec<ActionItem>> {
        let sql = format!("{SELECT} WHERE t.contact_id = ?1 ORDER BY t.id");
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map([contact_id], item)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// One action item by id.
    pub fn todo(&self, id: i64) -> Result<Option<ActionItem>> {
        let sql = format!("{SELECT} WHERE t.id = ?1");
        Ok(self.conn.query_row(&sql, [id], item).optional()?)
    }

    /// Marks an item done; false when it is unknown or was already done.
    pub fn complete_todo(&self, id: i64, now: Timestamp) -> Result<bool> {
        let n = self.conn.execute(
            "UPDATE todos SET done_at = ?2 WHERE id = ?1 AND done_at IS NULL",
            params![id, fmt_ts(now)],
        )?;
        Ok(n == 1)
    }
}

#[cfg(test)]
mod tests;
