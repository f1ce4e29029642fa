//! What rapport keeps per calendar: the server's last validators (ETag, ctag, sync
//! token), when it was last read, the last error, and which meetings it gave at its
//! last reading; and the one transaction that writes a reading's meetings.
//!
//! SQL only; what to write is `core::calendar`. It must never store a calendar's
//! address (a feed URL holds a secret) or an event's text beyond the timeline summary.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{OptionalExtension, params};

use super::{NewInteraction, Store, fmt_ts, insert_interaction, parse_ts};
use crate::core::calendar::Seen;

/// The validators a server gave with a calendar's content.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarTags {
    /// A feed's ETag.
    pub etag: String,
    /// A CalDAV collection's getctag.
    pub ctag: String,
    /// A CalDAV collection's sync-token.
    pub sync_token: String,
}

/// Where a calendar stands.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CalendarState {
    /// The calendar's name in the config.
    pub name: String,
    /// The validators of the last good reading.
    pub tags: CalendarTags,
    /// When it was last read without error (also when the server said "unchanged").
    pub last_read: Option<Timestamp>,
    /// When a read was last tried.
    pub last_tried: Option<Timestamp>,
    /// When the whole content was last read (not just "unchanged").
    pub last_full: Option<Timestamp>,
    /// The last read's error, empty after a good one.
    pub last_error: String,
    /// How many occurrences with a contact the last good reading had.
    pub events: i64,
}

fn opt_ts(s: &str) -> Result<Option<Timestamp>> {
    if s.is_empty() {
        Ok(None)
    } else {
        Ok(Some(parse_ts(s)?))
    }
}

impl Store {
    /// A calendar's state; the default (never read) when there is none.
    pub fn calendar_state(&self, name: &str) -> Result<CalendarState> {
        let row = self
            .conn
            .query_row(
                "SELECT etag, ctag, sync_token, last_read, last_tried, last_error, events,
                        last_full
                 FROM calendar_state WHERE name = ?1",
                [name],
                |r| {
                    Ok((
                        CalendarTags {
                            etag: r.get(0)?,
                            ctag: r.get(1)?,
                            sync_token: r.get(2)?,
                        },
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                        r.get::<_, String>(5)?,
                        r.get::<_, i64>(6)?,
                        r.get::<_, String>(7)?,
                    ))
                },
            )
            .optional()?;
        let Some((tags, read, tried, last_error, events, full)) = row else {
            return Ok(CalendarState {
                name: name.to_string(),
                ..CalendarState::default()
            });
        };
        Ok(CalendarState {
            name: name.to_string(),
            tags,
            last_read: opt_ts(&read)?,
            last_tried: opt_ts(&tried)?,
            last_full: opt_ts(&full)?,
            last_error,
            events,
        })
    }

    /// Records a read that failed; the validators and the last good read stay.
    pub fn calendar_failed(&self, name: &str, error: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "INSERT INTO calendar_state (name, last_tried, last_error) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET last_tried = ?2, last_error = ?3",
            params![name, fmt_ts(now), error],
        )?;
        Ok(())
    }

    /// Records a read in which the server said nothing changed.
    pub fn calendar_unchanged(&self, name: &str, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "INSERT INTO calendar_state (name, last_read, last_tried, last_error)
             VALUES (?1, ?2, ?2, '')
             ON CONFLICT (name) DO UPDATE SET last_read = ?2, last_tried = ?2, last_error = ''",
            params![name, fmt_ts(now)],
        )?;
        Ok(())
    }

    /// What the calendar gave at its last reading: (contact, key) → (start, end).
    pub fn calendar_seen(&self, name: &str) -> Result<Seen> {
        let mut stmt = self.conn.prepare(
            "SELECT contact_id, key, start_at, end_at FROM calendar_events WHERE calendar = ?1",
        )?;
        let rows = stmt.query_map([name], |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        let mut out = Seen::new();
        for row in rows {
            let (contact, key, start, end) = row?;
            out.insert((contact, key), (parse_ts(&start)?, parse_ts(&end)?));
        }
        Ok(out)
    }

    /// Writes one good reading in one transaction: its timeline entries, what it gave
    /// (replacing the last reading's), its validators and the time. Returns how many
    /// timeline entries were new.
    pub fn calendar_read(
        &mut self,
        name: &str,
        writes: &[NewInteraction<'_>],
        seen: &Seen,
        tags: &CalendarTags,
        now: Timestamp,
    ) -> Result<usize> {
        let tx = self
            .conn
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        let mut added = 0;
        for w in writes {
            if insert_interaction(&tx, w)? {
                added += 1;
            }
        }
        tx.execute("DELETE FROM calendar_events WHERE calendar = ?1", [name])?;
        for ((contact, key), (start, end)) in seen {
            tx.execute(
                "INSERT INTO calendar_events (calendar, contact_id, key, start_at, end_at)
                 SELECT ?1, ?2, ?3, ?4, ?5 WHERE EXISTS (SELECT 1 FROM contacts WHERE id = ?2)",
                params![name, contact, key, fmt_ts(*start), fmt_ts(*end)],
            )?;
        }
        tx.execute(
            "INSERT INTO calendar_state
                 (name, etag, ctag, sync_token, last_read, last_tried, last_full, last_error,
                  events)
             VALUES (?1, ?2, ?3, ?4, ?5, ?5, ?5, '', ?6)
             ON CONFLICT (name) DO UPDATE SET etag = ?2, ctag = ?3, sync_token = ?4,
                 last_read = ?5, last_tried = ?5, last_full = ?5, last_error = '', events = ?6",
            params![
                name,
                tags.etag,
                tags.ctag,
                tags.sync_token,
                fmt_ts(now),
                i64::try_from(seen.len()).unwrap_or(i64::MAX)
            ],
        )?;
        tx.commit()?;
        Ok(added)
    }

    /// Contacts' names of at least two words, lower case, for matching event titles.
    pub fn contact_full_names(&self) -> Result<Vec<(i64, String)>> {
        let mut stmt = self
            .conn
            .prepare("SELECT id, name FROM contacts WHERE name LIKE '% %' ORDER BY id")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = Vec::new();
        for row in rows {
            let (id, name) = row?;
            out.push((id, name.trim().to_lowercase()));
        }
        Ok(out)
    }
}

#[cfg(test)]
mod tests;
