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

use std::collections::HashMap;

use crate::core::attribution::find_referral;
use crate::core::attribution::{self as core_attribution, Directory, Found, Known, Route, View};
use crate::core::model::{Direction, InteractionKind};
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

/// The store's answers to attribution's questions, asked before it runs (it is pure).
struct Prefetched {
    owners: HashMap<String, Known>,
    thread: Vec<Known>,
}

impl Directory for Prefetched {
    fn owner(&self, address: &str) -> Option<Known> {
        self.owners.get(address).cloned()
    }
    fn written_to(&self, _message_ids: &[String]) -> Vec<Known> {
        self.thread.clone()
    }
}

/// Every address attribution may ask the owner of for `m`: the recipients of the
/// user's own mail; the sender and the invitees a tool may name for anything else (the
/// To/Cc of someone else's mail only matter against a thread's contacts, who are known).
fn candidates(m: &StoredMessage) -> Vec<String> {
    if m.direction == Direction::Out {
        return m
            .to_addrs
            .iter()
            .take(256)
            .map(|a| a.to_lowercase())
            .collect();
    }
    let p = &m.parties;
    let meeting = m.classification.meeting.as_ref();
    std::iter::once(&m.from_addr)
        .chain(p.reply_to.iter().map(|a| &a.address))
        .chain(&p.body_addresses)
        .chain(
            meeting
                .into_iter()
                .flat_map(|x| x.attendee_status.iter().map(|(a, _)| a)),
        )
        .chain(meeting.and_then(|x| x.organizer.as_ref()))
        .take(64)
        .map(|a| a.to_lowercase())
        .collect()
}

/// Who `m` is about, and how: a bounce by the addresses it names, anything else by
/// `core::attribution`.
fn attribute(
    batch: &Batch<'_>,
    m: &StoredMessage,
    entry: &timeline::Entry,
    thread: &[String],
) -> Result<Vec<Found>> {
    if entry.hard_bounce.is_some() {
        return Ok(batch
            .contacts_with_addresses(&entry.with)?
            .into_iter()
            .map(|contact| Found {
                contact,
                route: Route::From {
                    address: entry.with.join(", "),
                },
            })
            .collect());
    }
    let mut owners = HashMap::new();
    for a in candidates(m) {
        if !owners.contains_key(&a)
            && let Some(k) = batch.owner_of(&a)?
        {
            owners.insert(a, k);
        }
    }
    let outbound = m.direction == Direction::Out;
    let dir = Prefetched {
        owners,
        thread: if outbound || thread.is_empty() {
            Vec::new()
        } else {
            batch.written_to(thread)?
        },
    };
    let view = View {
        outbound,
        label: m.label,
        from_addr: &m.from_addr,
        from_name: &m.from_name,
        to_addrs: &m.to_addrs,
        thread,
        meeting: m.classification.meeting.as_ref(),
        parties: &m.parties,
        user: &[],
    };
    Ok(core_attribution::attribute(&view, &dir))
}

/// The In-Reply-To and References of `m`, server aliases resolved.
fn thread_ids(batch: &Batch<'_>, m: &StoredMessage) -> Result<Vec<String>> {
    let mut ids = Vec::new();
    for r in std::iter::once(&m.in_reply_to)
        .chain(m.refs.iter())
        .filter(|r| !r.is_empty())
        .take(64)
    {
        let id = batch.canonical_message_id(r)?;
        if !ids.contains(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// When rapport first read `m` and when the server says it arrived: the order of
/// arrival, with the `Date:` header only as evidence (the planner and the send check
/// count a message rapport had not seen when a draft was made as written after it).
fn add_arrival(m: &StoredMessage, detail: &mut Value) {
    if let Some(obj) = detail.as_object_mut() {
        obj.insert("seen".into(), Value::String(m.seen_at.clone()));
        if let Some(a) = &m.arrived_at {
            obj.insert("arrived".into(), Value::String(a.clone()));
        }
    }
}

/// The entry as `contact` gets it: how the message came to them, and a referral when
/// their own message hands the conversation to someone new.
fn for_contact(
    m: &StoredMessage,
    entry: &timeline::Entry,
    found: &Found,
    own: &[String],
) -> (String, Value) {
    let mut summary = entry.summary.clone();
    let mut detail = entry.detail.clone();
    let how = found.route.describe();
    let Some(obj) = detail.as_object_mut() else {
        return (summary, detail);
    };
    if !how.is_empty() {
        summary.push_str(&format!(" ({how})"));
        obj.insert(
            "via".into(),
            serde_json::to_value(&found.route).unwrap_or(Value::Null),
        );
    }
    let human = matches!(
        entry.kind,
        InteractionKind::Reply | InteractionKind::EmailReceived
    );
    if human && matches!(found.route, Route::From { .. }) {
        let mut not_new: Vec<String> = own.to_vec();
        not_new.push(m.from_addr.clone());
        if let Some(r) = find_referral(&m.snippet, &m.parties.named, &not_new) {
            summary.push_str(&format!(" (hands you over to {} <{}>)", r.name, r.address));
            obj.insert(
                "referral".into(),
                serde_json::to_value(&r).unwrap_or(Value::Null),
            );
        }
    }
    (summary, detail)
}

/// (Re)derives the timeline entries of one message. Returns how many were written.
pub fn derive(batch: &Batch<'_>, m: &StoredMessage, now: Timestamp) -> Result<usize> {
    batch.forget_derived(&m.message_id)?;
    derive_new(batch, m, now)
}

/// Derives the timeline entries of a message stored for the first time in this very
/// batch: nothing can have been derived from it before (entries are keyed by its
/// Message-ID, which no stored message had, and messages are never deleted), so the
/// removal [`derive`] starts with is skipped: one statement less per message of a first
/// sync. Anything else goes through [`derive`].
pub fn derive_new(batch: &Batch<'_>, m: &StoredMessage, now: Timestamp) -> Result<usize> {
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
    let thread = thread_ids(batch, m)?;
    let found = attribute(batch, m, &entry, &thread)?;
    if found.is_empty() {
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && outbound && batch.sent_by_rapport(&m.message_id)? {
        // Recorded when rapport sent it; the copy in Sent adds nothing.
        return Ok(0);
    }
    if entry.hard_bounce.is_none() && !outbound {
        add_thread(batch, m, &mut entry.detail)?;
        add_arrival(m, &mut entry.detail);
    }
    // The sender's own addresses are never the new person of a referral.
    let own = match entry.hard_bounce {
        None if !outbound => batch
            .owner_of(&m.from_addr)?
            .map(|k| k.addresses)
            .unwrap_or_default(),
        _ => Vec::new(),
    };
    let mut written = 0;
    for f in &found {
        if entry.hard_bounce == Some(true) {
            for addr in &entry.with {
                batch.mark_bounced(addr, f.contact, at)?;
            }
        }
        let (summary, detail) = for_contact(m, &entry, f, &own);
        written += usize::from(batch.add_interaction(&NewInteraction {
            contact_id: f.contact,
            at,
            kind: entry.kind,
            summary: &summary,
            message_key: &m.message_id,
            draft_id: None,
            detail,
            source: "sync",
        })?);
    }
    Ok(written)
}

/// Derives again the messages that answer `m`, the user's own message just recorded:
/// who they are about may have changed (an assistant's answer in the thread), and the
/// next sync of their folder reads them again whole, now that they can be read as
/// answers to the user. Returns the entries written.
pub fn context_arrived(batch: &Batch<'_>, m: &StoredMessage, now: Timestamp) -> Result<usize> {
    if m.direction != Direction::Out || batch.sent_by_rapport(&m.message_id)? {
        // What rapport sent was known as the user's before any answer was read.
        return Ok(0);
    }
    let answers = batch.answers_to(&m.message_id)?;
    let mut n = 0;
    let mut rows = Vec::with_capacity(answers.len());
    for (row, id) in answers {
        if let Some(a) = batch.message_by_message_id(&id)? {
            n += derive(batch, &a, now)?;
            rows.push(row);
        }
    }
    batch.reread_whole(&rows)?;
    Ok(n)
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
mod tests;
