//! Meeting proposals in the store: the replies whose timeline entry carries a
//! proposed time, and what the user decided about each (migration 0019). SQL only;
//! where a proposal stands is decided by `core::meetings`.

use std::collections::HashMap;

use anyhow::Result;
use jiff::Timestamp;

use super::{Interaction, Store, fmt_ts, interaction_from_row};
use crate::core::meetings::Decision;
use crate::core::model::InteractionKind;

impl Store {
    /// Every reply entry that proposes a meeting time, by contact and in timeline order.
    pub fn proposal_interactions(&self) -> Result<Vec<Interaction>> {
        let mut stmt = self.conn.prepare(
            "SELECT id, contact_id, at, kind, summary, message_key, draft_id, detail, source
             FROM interactions
             WHERE kind = ?1 AND json_extract(detail, '$.proposed.start') IS NOT NULL
             ORDER BY contact_id, at, id",
        )?;
        let rows = stmt.query_map([InteractionKind::Reply.as_str()], interaction_from_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    /// What the user decided about each proposal, by the reply entry's id.
    pub fn proposal_decisions(&self) -> Result<HashMap<i64, Decision>> {
        let mut stmt = self
            .conn
            .prepare("SELECT interaction_id, decision FROM proposal_decisions")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
        let mut out = HashMap::new();
        for row in rows {
            let (id, d) = row?;
            if let Some(d) = Decision::from_name(&d) {
                out.insert(id, d);
            }
        }
        Ok(out)
    }

    /// Records the user's decision about the proposal of reply entry `id` (a later
    /// decision replaces an earlier one).
    pub fn decide_proposal(&self, id: i64, decision: Decision, now: Timestamp) -> Result<()> {
        self.conn.execute(
            "INSERT INTO proposal_decisions (interaction_id, decision, decided_at)
             VALUES (?1, ?2, ?3)
             ON CONFLICT (interaction_id) DO UPDATE
             SET decision = excluded.decision, decided_at = excluded.decided_at",
            rusqlite::params![id, decision.as_str(), fmt_ts(now)],
        )?;
        Ok(())
    }
}
