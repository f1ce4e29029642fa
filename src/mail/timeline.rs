//! From a classified message to timeline entries on the contacts it involves.
//!
//! Derivation is a function of the stored message (its label, or the user's correction,
//! and the classification's details), so it can be run again at any time: re-syncing,
//! `rapport mark` and adding a contact later all call [`derive`], which first removes
//! what it derived before for that message. It never touches drafts.

use anyhow::Result;
use jiff::Timestamp;
use rusqlite::{Connection, params};
use serde_json::{Value, json};

use crate::core::model::InteractionKind;
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

fn str_at<'a>(v: &'a Value, path: &[&str]) -> Option<&'a str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
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
    let c = &m.classification;
    let label = m.label.as_str();
    let outbound = m.direction == "out";
    let mut written = 0;

    // Bounces name the contact in their body, not in From.
    if label == "bounce" {
        let hard = c
            .get("bounce")
            .and_then(|b| b.get("hard"))
            .and_then(Value::as_bool)
            .unwrap_or(true);
        let failed: Vec<String> = c
            .get("bounce")
            .and_then(|b| b.get("failed_recipients"))
            .and_then(Value::as_array)
            .map(|a| {
                a.iter()
                    .filter_map(Value::as_str)
                    .map(str::to_lowercase)
                    .collect()
            })
            .unwrap_or_default();
        for id in contacts_for(conn, &failed)? {
            if hard {
                for addr in &failed {
                    conn.execute(
                        "UPDATE contact_emails SET bounced_at = ?1 WHERE address = ?2 AND contact_id = ?3 AND bounced_at IS NULL",
                        params![fmt_ts(at), addr, id],
                    )?;
                }
            }
            let summary = format!(
                "{} bounce: {}",
                if hard { "hard" } else { "soft" },
                failed.join(", ")
            );
            written += usize::from(insert_interaction(
                conn,
                &NewInteraction {
                    contact_id: id,
                    at,
                    kind: InteractionKind::Bounce,
                    summary: &summary,
                    message_key: &m.message_id,
                    draft_id: None,
                    detail: json!({ "hard": hard, "failed": failed, "message": m.id }),
                    source: "sync",
                },
            )?);
        }
        return Ok(written);
    }

    // Who the message is with: the recipients of what the user sent, the sender of
    // what they received.
    let others: Vec<String> = if outbound {
        m.to_addrs.clone()
    } else {
        vec![m.from_addr.clone()]
    };
    let contacts = contacts_for(conn, &others)?;
    if contacts.is_empty() {
        return Ok(0);
    }
    if outbound && sent_by_rapport(conn, &m.message_id)? {
        // Recorded when rapport sent it; the copy in Sent adds nothing.
        return Ok(0);
    }
    let meeting = c.get("meeting").cloned().unwrap_or(Value::Null);
    let start = str_at(&meeting, &["start"]).map(str::to_string);
    let end = str_at(&meeting, &["end"]).map(str::to_string);
    let uid = str_at(&meeting, &["uid"]).map(str::to_string);
    let meeting_detail = || {
        json!({
            "uid": uid,
            "start": start,
            "end": end,
            "message": m.id,
        })
    };
    let when = |s: &Option<String>| {
        s.as_deref()
            .and_then(|s| s.parse::<Timestamp>().ok())
            .map(|t| format!(" for {}", fmt_ts(t).replace('T', " ").trim_end_matches('Z')))
            .unwrap_or_default()
    };
    let (kind, summary, detail) = match (label, outbound) {
        ("human_reply", false) => {
            let intent = str_at(c, &["intent"]).unwrap_or("other").to_string();
            let until = str_at(c, &["later_until"]).map(str::to_string);
            let summary = match &until {
                Some(u) => format!("replied ({intent}, until {u}): {}", m.subject),
                None => format!("replied ({intent}): {}", m.subject),
            };
            (
                InteractionKind::Reply,
                summary,
                json!({ "intent": intent, "later_until": until, "in_reply_to": m.in_reply_to, "message": m.id }),
            )
        }
        ("thank_you", false) => (
            InteractionKind::ThankYouReceived,
            format!("thanked you: {}", m.subject),
            json!({ "message": m.id }),
        ),
        ("thank_you", true) => (
            InteractionKind::ThankYouSent,
            format!("you thanked them: {}", m.subject),
            json!({ "message": m.id }),
        ),
        ("auto_reply", false) => {
            let until = str_at(c, &["auto_reply_until"]).map(str::to_string);
            (
                InteractionKind::AutoReply,
                match &until {
                    Some(u) => format!("auto-reply, back {u}"),
                    None => "auto-reply".to_string(),
                },
                json!({ "until": until, "message": m.id }),
            )
        }
        ("meeting_invite" | "meeting_accept" | "meeting_confirmation" | "meeting_tentative", _) => {
            (
                InteractionKind::MeetingScheduled,
                format!("meeting scheduled{}: {}", when(&start), m.subject),
                meeting_detail(),
            )
        }
        ("meeting_update", _) => (
            InteractionKind::MeetingMoved,
            format!("meeting moved{}: {}", when(&start), m.subject),
            meeting_detail(),
        ),
        ("meeting_cancel", _) => (
            InteractionKind::MeetingCancelled,
            format!("meeting cancelled: {}", m.subject),
            meeting_detail(),
        ),
        ("meeting_decline", _) => (
            InteractionKind::MeetingDeclined,
            format!("meeting declined: {}", m.subject),
            meeting_detail(),
        ),
        ("bulk", _) => return Ok(0),
        (_, true) => (
            InteractionKind::EmailSent,
            format!("you wrote: {}", m.subject),
            json!({ "message": m.id }),
        ),
        (_, false) => (
            InteractionKind::EmailReceived,
            format!("they wrote: {}", m.subject),
            json!({ "message": m.id }),
        ),
    };
    let mut detail = detail;
    if !outbound {
        add_thread(conn, m, &mut detail)?;
    }
    for id in contacts {
        written += usize::from(insert_interaction(
            conn,
            &NewInteraction {
                contact_id: id,
                at,
                kind,
                summary: &summary,
                message_key: &m.message_id,
                draft_id: None,
                detail: detail.clone(),
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
    tx.commit()?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::{NewContact, NewMessage, Store, upsert_message};

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
