//! The queries behind the brief and the goals: which contacts meet in a window, and the
//! dated activity the goals count. SQL only; the judgement is in `core::brief` and
//! `core::goals`.

use anyhow::Result;
use jiff::Timestamp;

use super::{Store, fmt_ts};

impl Store {
    /// Contacts with a meeting scheduled or moved to start in [from, to). A later cancel
    /// is not looked at here: the brief's own fold of the timeline decides.
    pub fn contacts_meeting_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT contact_id FROM interactions
             WHERE kind IN ('meeting-scheduled', 'meeting-moved')
               AND json_extract(detail, '$.start') >= ?1 AND json_extract(detail, '$.start') < ?2
             ORDER BY contact_id",
        )?;
        let rows = stmt.query_map([fmt_ts(from), fmt_ts(to)], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
