//! Writes a classified message's timeline entry on the contacts it involves.
//!
//! What the entry says is decided by the pure `core::timeline`; this module finds the
//! contacts, resolves thread ids through server aliases and writes. Derivation is a
//! function of the stored message, so it can be run again at any time: re-syncing,
//! `rapport mark` and adding a contact later all call [`derive`], which first removes
//! what it derived before for that message. It never touches drafts.

use anyhow::Result;
use jiff::Timestamp;
use serde_json::Value;

use crate::core::model::Direction;
use crate::core::timeline;
use crate::store::{Batch, NewInteraction, StoredMessage};

/// Records which messages an inbound message answers (In-Reply-To and References, with
/// server aliases resolved to the id the user sent), so the planner can count it as an
/// answer whatever its `Date:` says.
fn add_thread(batch: &Batch<'_>, m: &StoredMessage, detail: &mut Value) -> Result<()> {
    let Some(obj) = detail.as_object_mut() else {
        return Ok(());
    };
    if !m.in_reply_to.is_empty() {
        obj.insert(
            "in_reply_to".into(),
            Value::String(batch.canonical_message_id(&m.in_reply_to)?),
        );
    }
    let mut refs = Vec::with_capacity(m.refs.len());
    for r in m.refs.iter().take(64) {
        refs.push(Value::String(batch.canonical_message_id(r)?));
    }
    if !refs.is_empty() {
        obj.insert("refs".into(), Value::Array(refs));
    }
    Ok(())
}

/// (Re)derives the timeline entries of one message. Returns how many were written.
pub fn derive(batch: &Batch<'_>, m: &StoredMessage, now: Timestamp) -> Result<usize> {
    batch.forget_derived(&m.message_id)?;
    let at = m.date.parse::<Timestamp>().unwrap_or(now);
    let outbound = m.direction == Direction::Out;
    let facts = timeline::MessageFacts {
        row: m.id,
        label: m.label,
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
    let contacts = batch.contacts_with_addresses(&entry.with)?;
    if contacts.is_empty() {
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && outbound && batch.sent_by_rapport(&m.message_id)? {
        // Recorded when rapport sent it; the copy in Sent adds nothing.
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && !outbound {
        add_thread(batch, m, &mut entry.detail)?;
    }
    let mut written = 0;
    for id in contacts {
        if entry.hard_bounce == Some(true) {
            for addr in &entry.with {
                batch.mark_bounced(addr, id, at)?;
            }
        }
        written += usize::from(batch.add_interaction(&NewInteraction {
            contact_id: id,
            at,
            kind: entry.kind,
            summary: &entry.summary,
            message_key: &m.message_id,
            draft_id: None,
            detail: entry.detail.clone(),
            source: "sync",
        })?);
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
    let batch = store.batch()?;
    let mut n = 0;
    for m in &messages {
        n += derive(&batch, m, now)?;
    }
    // Those read from their headers alone are fetched and read whole by the next sync.
    let rows: Vec<i64> = messages.iter().map(|m| m.id).collect();
    batch.want_reread(&rows)?;
    batch.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::classify::Label;
    use crate::core::model::InteractionKind;
    use crate::store::{NewContact, NewMessage, Store};
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
            label: Label::from_name(label).unwrap(),
            classification: serde_json::from_value(class).unwrap(),
            parse_error: String::new(),
        };
        let batch = s.batch().unwrap();
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
            batch.upsert_message(&m, now).unwrap();
        }
        batch.commit().unwrap();
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
        let kinds: Vec<InteractionKind> = s
            .interactions(id)
            .unwrap()
            .into_iter()
            .map(|i| i.kind)
            .collect();
        assert_eq!(
            kinds,
            vec![InteractionKind::EmailReceived, InteractionKind::Bounce]
        );
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
