//! The counts `rapport status` shows and the rows the demo narrates: read-only queries
//! for what the CLI reports, typed, so no SQL lives in `cli/` or `demo.rs`.
//!
//! Must never write: every method here only reads.

use anyhow::Result;
use jiff::Timestamp;

use super::{Store, fmt_ts};
use crate::core::classify::{Classification, Label};
use crate::core::model::InteractionKind;

/// A message as the sync that first saw it recorded it, for a one-line account.
#[derive(Debug, Clone)]
pub struct SeenMessage {
    pub id: i64,
    pub from_addr: String,
    pub subject: String,
    pub label: Label,
    pub classification: Classification,
}

impl Store {
    /// How many contacts were added at or after `since`.
    pub fn count_contacts_added_since(&self, since: Timestamp) -> Result<i64> {
        Ok(self.conn.query_row(
            // Imported contacts are history, never new people (see contacts_added_since).
            "SELECT COUNT(*) FROM contacts WHERE created_at >= ?1 AND source <> 'import'",
            [fmt_ts(since)],
            |r| r.get(0),
        )?)
    }

    /// How many meetings (one per contact and calendar UID, however often moved) start
    /// in `[from, to)`. A meeting the user recorded or confirmed (key `manual-meeting:…`
    /// or `proposal:…`) with an invitation for the same contact starting within a day is
    /// that invitation's meeting (`core::meetings`), and counts once.
    pub fn count_meetings_starting(&self, from: Timestamp, to: Timestamp) -> Result<i64> {
        Ok(self.conn.query_row(
            "SELECT COUNT(DISTINCT i.contact_id || ':' || json_extract(i.detail, '$.uid'))
             FROM interactions i
             WHERE i.kind = ?1 AND json_extract(i.detail, '$.start') >= ?2
               AND json_extract(i.detail, '$.start') < ?3
               AND NOT ((json_extract(i.detail, '$.uid') LIKE 'manual-meeting:%'
                         OR json_extract(i.detail, '$.uid') LIKE 'proposal:%')
                    AND EXISTS (
                      SELECT 1 FROM interactions f
                      WHERE f.contact_id = i.contact_id AND f.kind = ?1
                        AND coalesce(json_extract(f.detail, '$.uid'), '') NOT LIKE 'manual-meeting:%'
                        AND coalesce(json_extract(f.detail, '$.uid'), '') NOT LIKE 'proposal:%'
                        AND abs(julianday(json_extract(f.detail, '$.start'))
                                - julianday(json_extract(i.detail, '$.start'))) <= 1.0))",
            [
                InteractionKind::MeetingScheduled.as_str().to_string(),
                fmt_ts(from),
                fmt_ts(to),
            ],
            |r| r.get(0),
        )?)
    }

    /// The messages a sync first saw at `at`, in the order they were stored.
    pub fn messages_seen_at(&self, at: Timestamp) -> Result<Vec<SeenMessage>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, from_addr, subject, label, classification FROM messages
             WHERE seen_at = ?1 ORDER BY id",
        )?;
        let rows = stmt.query_map([fmt_ts(at)], |r| {
            let id: i64 = r.get(0)?;
            let bad = |column: &str, why: String| super::bad_value("messages", id, column, why);
            let label: String = r.get(3)?;
            let classification: String = r.get(4)?;
            Ok(SeenMessage {
                id,
                from_addr: r.get(1)?,
                subject: r.get(2)?,
                label: Label::from_name(&label)
                    .ok_or_else(|| bad("label", format!("{label:?} is not a label")))?,
                classification: super::messages::read_classification(&classification)
                    .map_err(|e| bad("classification", e.to_string()))?,
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

#[cfg(test)]
mod tests;
