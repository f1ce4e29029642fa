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
mod tests {
    use super::*;
    use crate::store::{NewContact, NewInteraction};

    fn t(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    fn meeting(store: &Store, contact: i64, uid: &str, start: &str, at: &str) {
        let key = format!("{uid}/{start}");
        store
            .add_interaction(&NewInteraction {
                contact_id: contact,
                at: t(at),
                kind: InteractionKind::MeetingScheduled,
                summary: "meeting",
                message_key: &key,
                draft_id: None,
                detail: serde_json::json!({ "uid": uid, "start": start }),
                source: "sync",
            })
            .unwrap();
    }

    #[test]
    fn counts_contacts_from_a_time_and_meetings_once_per_uid() {
        let mut store = Store::open_in_memory().unwrap();
        let mut ids = Vec::new();
        for (email, at) in [
            ("a@example.com", "2026-10-31T23:59:59Z"),
            ("b@example.com", "2026-11-01T00:00:00Z"),
            ("c@example.com", "2026-11-20T10:00:00Z"),
        ] {
            let c = NewContact {
                name: email.into(),
                emails: vec![email.into()],
                ..NewContact::default()
            };
            ids.push(store.add_contact(&c, t(at)).unwrap());
        }
        let (a, b) = (ids[0], ids[1]);
        let nov = t("2026-11-01T00:00:00Z");
        assert_eq!(store.count_contacts_added_since(nov).unwrap(), 2);

        // Moved once (same UID): one meeting; another contact's, and one outside the week.
        meeting(
            &store,
            a,
            "u1",
            "2026-11-03T10:00:00Z",
            "2026-11-01T09:00:00Z",
        );
        meeting(
            &store,
            a,
            "u1",
            "2026-11-04T10:00:00Z",
            "2026-11-02T09:00:00Z",
        );
        meeting(
            &store,
            b,
            "u2",
            "2026-11-08T23:59:59Z",
            "2026-11-02T09:00:00Z",
        );
        meeting(
            &store,
            b,
            "u3",
            "2026-11-09T00:00:00Z",
            "2026-11-02T09:00:00Z",
        );
        let week = (t("2026-11-02T00:00:00Z"), t("2026-11-09T00:00:00Z"));
        assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 2);
        // Recorded by hand, then the invitation for it: still one; another day: two.
        meeting(
            &store,
            b,
            "manual-meeting:2026-11-05T10:00:00Z",
            "2026-11-05T10:00:00Z",
            "2026-11-02T09:00:00Z",
        );
        assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 3);
        meeting(
            &store,
            b,
            "inv-b",
            "2026-11-05T10:30:00Z",
            "2026-11-03T09:00:00Z",
        );
        assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 3);
        meeting(
            &store,
            a,
            "proposal:9",
            "2026-11-07T10:00:00Z",
            "2026-11-03T09:00:00Z",
        );
        assert_eq!(store.count_meetings_starting(week.0, week.1).unwrap(), 4);
        assert!(store.messages_seen_at(nov).unwrap().is_empty());
    }
}
