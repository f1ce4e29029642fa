//! Which contacts incremental planning must plan again: those the triggers of migration
//! 0016 marked (a count of changes, so a pass clears only what it read), those whose wake instant has come, and everyone once the planning
//! configuration changed. Hand-written because the marks live in the database itself
//! (a trigger cannot be forgotten by a code path); no crate tracks that.
//!
//! It must never decide a plan; it only remembers when one was made and when it expires.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::OptionalExtension;

use super::Store;

const CONFIG_KEY: &str = "plan_config";

/// Unix nanoseconds, saturated to the `i64` range (year 1677 to 2262).
fn nanos(t: Timestamp) -> i64 {
    let n = t.as_nanosecond();
    i64::try_from(n).unwrap_or(if n < 0 { i64::MIN } else { i64::MAX })
}

impl Store {
    /// The contacts whose plan may differ from the one last carried out at `now`.
    pub fn contacts_to_plan(&self, now: Timestamp) -> Result<Vec<i64>> {
        Ok(self.plan_due(now)?.into_iter().map(|(id, _)| id).collect())
    }

    /// [`Store::contacts_to_plan`], each with the count of changes marked on it so far:
    /// what [`Store::mark_planned`] may take off once the pass that read it is done.
    pub fn plan_due(&self, now: Timestamp) -> Result<Vec<(i64, i64)>> {
        let mut st = self.conn.prepare_cached(
            "SELECT c.id, coalesce(m.dirty, 0) FROM contacts c
             LEFT JOIN plan_marks m ON m.contact = c.id
             WHERE m.contact IS NULL OR m.dirty > 0 OR m.wake <= ?1 OR m.planned_at > ?1
             ORDER BY c.id",
        )?;
        let due = st
            .query_map([nanos(now)], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<Vec<(i64, i64)>>>()?;
        Ok(due)
    }

    /// Records that `contact` was planned at `now` with nothing left to carry out, and
    /// that time alone changes its plan no sooner than `wake`. `seen` is the change
    /// count [`Store::plan_due`] gave before the pass read the contact: only those
    /// changes are taken off, so one made meanwhile (by the daemon, by another command)
    /// keeps the contact marked.
    pub fn mark_planned(
        &self,
        contact: i64,
        seen: i64,
        now: Timestamp,
        wake: Option<Timestamp>,
    ) -> Result<()> {
        self.conn
            .prepare_cached(
                "INSERT INTO plan_marks (contact, dirty, wake, planned_at) VALUES (?1, 0, ?2, ?3)
                 ON CONFLICT (contact) DO UPDATE
                 SET dirty = max(dirty - ?4, 0), wake = excluded.wake,
                     planned_at = excluded.planned_at",
            )?
            .execute(rusqlite::params![
                contact,
                wake.map(nanos),
                nanos(now),
                seen
            ])?;
        Ok(())
    }

    /// The earliest wake instant of any contact: when the daemon must plan again even
    /// if no mail comes.
    pub fn next_plan_wake(&self) -> Result<Option<Timestamp>> {
        let n: Option<i64> = self.conn.query_row(
            "SELECT min(m.wake) FROM plan_marks m JOIN contacts c ON c.id = m.contact
             WHERE m.dirty = 0",
            [],
            |r| r.get(0),
        )?;
        Ok(n.and_then(|n| Timestamp::from_nanosecond(i128::from(n)).ok()))
    }

    /// Forgets every mark when the planning configuration's fingerprint is not `hash`,
    /// and remembers `hash`. True when it changed.
    pub fn plan_config_is(&self, hash: &str, now: Timestamp) -> Result<bool> {
        let old: Option<String> = self
            .conn
            .query_row(
                "SELECT value FROM state WHERE key = ?1",
                [CONFIG_KEY],
                |r| r.get(0),
            )
            .optional()?;
        if old.as_deref() == Some(hash) {
            return Ok(false);
        }
        self.conn.execute("DELETE FROM plan_marks", [])?;
        self.set_state(CONFIG_KEY, hash, now)?;
        Ok(true)
    }
}

#[cfg(test)]
mod tests;
