//! Gathers what a brief needs from the store and the config, and builds it with
//! [`crate::core::brief`]. `rapport brief` and the morning digest both come through
//! here: [`brief`] for one contact, [`tomorrow`] for everyone met tomorrow.
//!
//! Read-only: it never changes the store, drafts or sends anything.

use anyhow::Result;
use jiff::Timestamp;
use serde_json::Value;

use crate::config::Loaded;
use crate::core::brief::{self, Brief, Entry, Input, Person, Prep, Slot};
use crate::store::{Contact, Store, parse_ts};

/// The user's facts and narrative from `[identity]`.
pub fn prep(cfg: &Loaded) -> Prep {
    Prep {
        facts: cfg.config.identity.facts.clone(),
        narrative: cfg.config.identity.narrative.clone(),
    }
}

fn ts_at(v: &Value, key: &str) -> Option<Timestamp> {
    v.get(key)?.as_str()?.parse().ok()
}

/// A video-call link for a calendar entry: one recorded with it, else one in the
/// subject or snippet of the message it came from.
fn link_of(store: &Store, detail: &Value) -> Result<Option<String>> {
    if let Some(l) = detail.get("link").and_then(Value::as_str) {
        return Ok(Some(l.to_string()));
    }
    let Some(id) = detail.get("message").and_then(Value::as_i64) else {
        return Ok(None);
    };
    Ok(store
        .message(&format!("#{id}"))?
        .and_then(|m| brief::meeting_link(&format!("{} {}", m.subject, m.snippet))))
}

/// The store's side of a contact's brief.
pub fn input(store: &Store, c: &Contact) -> Result<Input> {
    let mut timeline = Vec::new();
    let mut met = None;
    for i in store.interactions(c.id)? {
        let (kind, at) = (i.kind, i.at);
        if i.message_key == crate::store::MET_KEY {
            met = Some((at, i.summary.clone()));
        }
        let slot = match i.detail.get("uid") {
            Some(uid) => Some(Slot {
                uid: uid.as_str().unwrap_or("").to_string(),
                start: ts_at(&i.detail, "start"),
                end: ts_at(&i.detail, "end"),
                link: link_of(store, &i.detail)?,
            }),
            None => None,
        };
        timeline.push(Entry {
            at,
            kind,
            summary: i.summary,
            slot,
        });
    }
    Ok(Input {
        person: Person {
            id: c.id,
            name: c.name.clone(),
            emails: c.emails.iter().map(|e| e.address.clone()).collect(),
            company: c.company.clone(),
            role: c.role.clone(),
            tier: c.tier,
            tags: c.tags.clone(),
            link: c.link.clone(),
            source: c.source.clone(),
            added: parse_ts(&c.created_at).ok(),
            met,
        },
        timeline,
        todos: store.todos_for_contact(c.id)?,
    })
}

/// The brief for one contact, as of `now`.
pub fn brief(store: &Store, cfg: &Loaded, c: &Contact, now: Timestamp) -> Result<Brief> {
    Ok(brief::build(&input(store, c)?, &prep(cfg), now, &cfg.tz))
}

/// The briefs for every contact with a meeting tomorrow (in the user's zone), earliest
/// meeting first. For the morning digest.
pub fn tomorrow(store: &Store, cfg: &Loaded, now: Timestamp) -> Result<Vec<Brief>> {
    let Some((from, to)) = brief::tomorrow(now, &cfg.tz) else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for id in store.contacts_meeting_between(from, to)? {
        let Some(c) = store.contact(id)? else {
            continue;
        };
        let b = brief(store, cfg, &c, now)?;
        if b.next_meeting.as_ref().is_some_and(|m| m.tomorrow) {
            out.push(b);
        }
    }
    out.sort_by_key(|b| b.next_meeting.as_ref().map(|m| m.start));
    Ok(out)
}
