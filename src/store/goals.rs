//! The rows `rapport goals` counts: when contacts were added, and the requests, replies
//! and calendar events since a day. SQL only; the counting is `core::goals`.

use anyhow::Result;
use jiff::Timestamp;

use super::{Store, fmt_ts, parse_ts};
use crate::core::goals::Activity;
use crate::core::model::InteractionKind as K;

/// The kinds the goals count: requests, human replies, calendar traffic.
const COUNTED: [K; 10] = [
    K::RequestSent,
    K::ShareSent,
    K::IntroSent,
    K::Reply,
    K::EmailReceived,
    K::ThankYouReceived,
    K::MeetingScheduled,
    K::MeetingMoved,
    K::MeetingCancelled,
    K::MeetingDeclined,
];

impl Store {
    /// When each contact was added, for those added at or after `since` by hand or met in
    /// the mail. Imported contacts are history (a LinkedIn export holds connections years
    /// old), never new people.
    pub fn contacts_added_since(&self, since: Timestamp) -> Result<Vec<Timestamp>> {
        let mut stmt = self.conn.prepare(
            "SELECT created_at FROM contacts
             WHERE created_at >= ?1 AND source <> 'import' ORDER BY created_at",
        )?;
        let rows = stmt.query_map([fmt_ts(since)], |r| r.get::<_, String>(0))?;
        let mut out = Vec::new();
        for s in rows {
            out.push(parse_ts(&s?)?);
        }
        Ok(out)
    }

    /// Requests, human replies and calendar events at or after `since` (meetings also
    /// when they start after it, however early they were arranged), oldest first.
    pub fn goal_activity(&self, since: Timestamp) -> Result<Vec<Activity>> {
        let mut stmt = self.conn.prepare(
            "SELECT contact_id, at, kind, json_extract(detail, '$.uid'),
                    json_extract(detail, '$.start'), json_extract(detail, '$.end')
             FROM interactions
             WHERE kind IN (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
               AND (at >= ?1 OR json_extract(detail, '$.start') >= ?1)
             ORDER BY at, id",
        )?;
        let mut params = vec![fmt_ts(since)];
        params.extend(COUNTED.iter().map(|k| k.as_str().to_string()));
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((
                r.get::<_, i64>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, Option<String>>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut out = Vec::new();
        for row in rows {
            let (contact_id, at, kind, uid, start, end) = row?;
            let (Ok(at), Ok(kind)) = (parse_ts(&at), kind.parse()) else {
                continue;
            };
            out.push(Activity {
                contact_id,
                at,
                kind,
                uid,
                start: start.and_then(|s| s.parse().ok()),
                end: end.and_then(|s| s.parse().ok()),
            });
        }
        Ok(out)
    }
}
