//! Writes a classified message's timeline entry on the contacts it involves.
//!
//! What the entry says is decided by the pure `core::timeline`; this module finds the
//! contacts, resolves thread ids through server aliases and writes. Derivation is a
//! function of the stored message, so it can be run again at any time: re-syncing,
//! `rapport mark` and adding a contact later all call [`derive`], which first removes
//! what it derived before for that message. It never touches drafts.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde_json::Value;

use crate::core::classify::Label;
use crate::core::timeline;
use crate::store::{
    NewInteraction, StoredMessage, canonical_message_id, fmt_ts, insert_interaction,
};

/// The contacts (id) among `addresses`.
fn contacts_for(conn: &Connection, addresses: &[String]) -> Result<Vec<i64>> {
    let mut ids = Vec::new();
    let mut stmt =
        conn.prepare_cached("SELECT contact_id FROM contact_emails WHERE address = ?1")?;
    for a in addresses {
        let found: Vec<i64> = stmt
            .query_map([a.to_lowercase()], |r| r.get(0))?
            .collect::<Result<_, _>>()?;
        for id in found {
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
    }
    Ok(ids)
}

/// Whether `message_id` is one rapport sent itself (its interaction came from sending).
fn sent_by_rapport(conn: &Connection, message_id: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM drafts WHERE message_id = ?1 AND status IN ('sent', 'unknown'))
             OR EXISTS (SELECT 1 FROM message_aliases WHERE alias = ?1)",
        [message_id],
        |r| r.get(0),
    )?)
}

/// Records which messages an inbound message answers (In-Reply-To and References, with
/// server aliases resolved to the id the user sent), so the planner can count it as an
/// answer whatever its `Date:` says.
fn add_thread(conn: &Connection, m: &StoredMessage, detail: &mut Value) -> Result<()> {
    let Some(obj) = detail.as_object_mut() else {
        return Ok(());
    };
    if !m.in_reply_to.is_empty() {
        obj.insert(
            "in_reply_to".into(),
            Value::String(canonical_message_id(conn, &m.in_reply_to)?),
        );
    }
    let mut refs = Vec::with_capacity(m.refs.len());
    for r in m.refs.iter().take(64) {
        refs.push(Value::String(canonical_message_id(conn, r)?));
    }
    if !refs.is_empty() {
        obj.insert("refs".into(), Value::Array(refs));
    }
    Ok(())
}

/// (Re)derives the timeline entries of one message. Returns how many were written.
pub fn derive(conn: &Connection, m: &StoredMessage, now: Timestamp) -> Result<usize> {
    conn.execute(
        "DELETE FROM interactions WHERE source = 'sync' AND message_key = ?1",
        [&m.message_id],
    )?;
    let at = m.date.parse::<Timestamp>().unwrap_or(now);
    let outbound = m.direction == "out";
    let facts = timeline::MessageFacts {
        row: m.id,
        label: Label::from_name(&m.label).unwrap_or(Label::Other),
        confirmed: m.label_override.is_some(),
        outbound,
        subject: &m.subject,
        from_addr: &m.from_addr,
        to_addrs: &m.to_addrs,
        classification: &m.classification,
    };
    let Some(mut entry) = timeline::entry(&facts) else {
        return Ok(0);
    };
    let contacts = contacts_for(conn, &entry.with)?;
    if contacts.is_empty() {
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && outbound && sent_by_rapport(conn, &m.message_id)? {
        // Recorded when rapport sent it; the copy in Sent adds nothing.
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && !outbound {
        add_thread(conn, m, &mut entry.detail)?;
    }
    let mut written = 0;
    for id in contacts {
        if entry.hard_bounce == Some(true) {
            for addr in &entry.with {
                conn.execute(
                    "UPDATE contact_emails SET bounced_at = ?1 WHERE address = ?2 AND contact_id = ?3 AND bounced_at IS NULL",
                    params![fmt_ts(at), addr, id],
                )?;
            }
        }
        written += usize::from(insert_interaction(
            conn,
            &NewInteraction {
                contact_id: id,
                at,
                kind: entry.kind,
                summary: &entry.summary,
                message_key: &m.message_id,
                draft_id: None,
                detail: entry.detail.clone(),
                source: "sync",
            },
        )?);
    }
    Ok(written)
}

/// Derives the timelines of contacts from mail synced before they were contacts.
pub fn link_history(
    store: &mut crate::store::Store,
    contact_ids: &[i64],
    now: Timestamp,
) -> Result<usize> {
    let mut addresses = std::collections::HashSet::new();
    for id in contact_ids {
        if let Some(c) = store.contact(*id)? {
            addresses.extend(c.emails.into_iter().map(|e| e.address));
        }
    }
    let messages = store.messages_involving(&addresses)?;
    let tx = store.transaction()?;
    let mut n = 0;
    for m in &messages {
        n += derive(&tx, m, now)?;
    }
    // Those read from their headers alone are fetched and read whole by the next sync.
    let rows: Vec<i64> = messages.iter().map(|m| m.id).collect();
    crate::store::sync_batch::want_reread(&tx, &rows)?;
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewContact, NewMessage, Store, upsert_message};
    use serde_json::json;

    #[test]
    fn a_contact_added_later_gets_their_mail_and_bounces_in_one_pass() {
        let mut s = Store::open_in_memory().unwrap();
        let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
        let msg = |id: &str, from: &str, to: &str, label: &str, class: Value| NewMessage {
            message_id: id.into(),
            in_reply_to: String::new(),
            refs: vec![],
            outbound: false,
            from_addr: from.into(),
            from_name: String::new(),
            to_addrs: vec![to.into()],
            date: "2026-11-02T10:00:00Z".parse().unwrap(),
            subject: "s".into(),
            snippet: String::new(),
            label: label.into(),
            classification: class,
            parse_error: String::new(),
        };
        for m in [
            msg(
                "a@x",
                "sam@old.example",
                "me@example.org",
                "other",
                json!({}),
            ),
            msg(
                "b@x",
                "mailer-daemon@mx.example",
                "me@example.org",
                "bounce",
                json!({"bounce": {"hard": true, "failed_recipients": ["Sam@Old.example"]}}),
            ),
            msg(
                "c@x",
                "someone@else.example",
                "me@example.org",
                "other",
                json!({}),
            ),
        ] {
            upsert_message(s.conn(), &m, now).unwrap();
        }
        let id = s
            .add_contact(
                &NewContact {
                    name: "Sam".into(),
                    emails: vec!["sam@old.example".into()],
                    ..NewContact::default()
                },
                now,
            )
            .unwrap();
        assert_eq!(link_history(&mut s, &[id], now).unwrap(), 2);
        let kinds: Vec<String> = s
            .interactions(id)
            .unwrap()
            .into_iter()
            .map(|i| i.kind)
            .collect();
        assert_eq!(kinds, vec!["email-received", "bounce"]);
        let c = s.contact(id).unwrap().unwrap();
        assert!(
            c.emails[0].bounced_at.is_some(),
            "the hard bounce marks the address"
        );
        link_history(&mut s, &[id], now).unwrap();
        assert_eq!(
            s.interactions(id).unwrap().len(),
            2,
            "linking again doubles nothing"
        );
    }
}
