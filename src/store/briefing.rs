//! The queries behind the brief and the goals: which contacts meet in a window, and the
//! dated activity the goals count. SQL only; the judgement is in `core::brief` and
//! `core::goals`.

use anyhow::Result;
use jiff::Timestamp;

use super::{Interaction, Store, fmt_ts, interaction_from_row};
use crate::core::model::InteractionKind;

impl Store {
    /// Contacts with a meeting scheduled or moved to start in [from, to). A later cancel
    /// is not looked at here: the brief's own fold of the timeline decides.
    pub fn contacts_meeting_between(&self, from: Timestamp, to: Timestamp) -> Result<Vec<i64>> {
        let mut stmt = self.conn.prepare(
            "SELECT DISTINCT contact_id FROM interactions
             WHERE kind IN (?3, ?4)
               AND json_extract(detail, '$.start') >= ?1 AND json_extract(detail, '$.start') < ?2
             ORDER BY contact_id",
        )?;
        let params = [
            fmt_ts(from),
            fmt_ts(to),
            InteractionKind::MeetingScheduled.as_str().to_string(),
            InteractionKind::MeetingMoved.as_str().to_string(),
        ];
        let rows = stmt.query_map(params, |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// Every calendar entry of every contact (scheduled, moved, cancelled, declined), by
    /// contact and in timeline order: what the meeting list and the digest fold, without
    /// reading the other 95 % of 100,000 timelines.
    pub fn meeting_interactions(&self) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, contact_id, at, kind, summary, message_key, draft_id, detail, source
             FROM interactions WHERE kind IN (?1, ?2, ?3, ?4)
             ORDER BY contact_id, at, id",
        )?;
        let kinds = [
            InteractionKind::MeetingScheduled,
            InteractionKind::MeetingMoved,
            InteractionKind::MeetingCancelled,
            InteractionKind::MeetingDeclined,
        ]
        .map(InteractionKind::as_str);
        let rows = stmt.query_map(kinds, interaction_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}
