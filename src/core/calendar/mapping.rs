//! Which contacts a calendar occurrence is with, and what to write on their timelines
//! so that the meetings there match the calendar.
//!
//! The calendar is read-only and the timeline is the record: a change is written only
//! when the calendar changed since its last reading, so a meeting the user removed
//! (`meeting remove`) or an invitation mail moved is not fought over on every poll.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::{Occurrence, Window};

/// Who the user is and whom they know, as the mapping needs it.
#[derive(Debug, Clone, Copy)]
pub struct People<'a> {
    /// The user's own addresses (identity and aliases), lower case.
    pub me: &'a [String],
    /// Contacts' names of at least two words, lower case: (contact id, name).
    pub names: &'a [(i64, String)],
}

/// Whether `summary` names `name` (two words at least), word for word, ignoring case
/// and accents ("Zoë Ångström" in "Lunch with zoe angstrom").
fn names_in(summary: &str, name: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        deunicode::deunicode(s)
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect()
    };
    let (hay, needle) = (words(summary), words(name));
    needle.len() >= 2 && hay.windows(needle.len()).any(|w| w == needle.as_slice())
}

/// The contacts an occurrence is with: every attendee who is a contact (any of their
/// addresses; one who declined is not with it), or — when none is and the user
/// organised it (or it is an event on the user's own calendar with no organizer and no
/// attendees) — every contact whose full name its title names. Empty when the user
/// declined it. `address_of` finds the contact owning an address.
pub fn contacts_of(
    o: &Occurrence,
    people: People<'_>,
    address_of: &dyn Fn(&str) -> Option<i64>,
) -> Vec<i64> {
    let mine = |a: &str| people.me.iter().any(|m| m == a);
    if o.attendees
        .iter()
        .any(|(a, status)| mine(a) && status == "DECLINED")
    {
        return Vec::new();
    }
    let mut ids: Vec<i64> = o
        .attendees
        .iter()
        .filter(|(a, status)| !mine(a) && status != "DECLINED")
        .filter_map(|(a, _)| address_of(a))
        .collect();
    let organised_by_me = match &o.organizer {
        Some(org) => mine(org),
        None => o.attendees.iter().all(|(a, _)| mine(a)),
    };
    if ids.is_empty() && organised_by_me {
        ids.extend(
            people
                .names
                .iter()
                .filter(|(_, name)| names_in(&o.summary, name))
                .map(|(id, _)| *id),
        );
    }
    ids.sort_unstable();
    ids.dedup();
    ids
}

/// A meeting as the contact's timeline has it now (from any source).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Known {
    /// When it starts.
    pub start: Timestamp,
    /// When it ends.
    pub end: Timestamp,
    /// Cancelled, declined or removed.
    pub cancelled: bool,
}

/// What this calendar put on a timeline at its last reading: (contact, key) → times.
pub type Seen = BTreeMap<(i64, String), (Timestamp, Timestamp)>;

/// One write on a contact's timeline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change<'a> {
    /// A meeting the timeline does not have yet (or had cancelled, and the calendar
    /// has it again).
    Schedule {
        /// The contact.
        contact_id: i64,
        /// The meeting key written (the occurrence's, or the UID an invitation used).
        key: String,
        /// The occurrence.
        occurrence: &'a Occurrence,
    },
    /// The calendar moved it.
    Move {
        /// The contact.
        contact_id: i64,
        /// The meeting key.
        key: String,
        /// The occurrence at its new time.
        occurrence: &'a Occurrence,
    },
    /// The calendar cancelled it (STATUS:CANCELLED) or no longer has it.
    Cancel {
        /// The contact.
        contact_id: i64,
        /// The meeting key.
        key: String,
        /// True when it is gone from the calendar, false when marked cancelled.
        removed: bool,
    },
}

/// The key an occurrence is written under for a contact: its own, unless it is the
/// occurrence of a recurring event whose invitation put the bare UID on the timeline
/// at the same start (then it is that meeting).
fn key_for(contact_id: i64, o: &Occurrence, known: &BTreeMap<(i64, String), Known>) -> String {
    if o.key != o.uid
        && !known.contains_key(&(contact_id, o.key.clone()))
        && known
            .get(&(contact_id, o.uid.clone()))
            .is_some_and(|k| k.start == o.start)
    {
        return o.uid.clone();
    }
    o.key.clone()
}

/// The writes that bring the timelines in line with the calendar's `wanted`
/// (contact, occurrence) pairs, given the meetings `known` on the timelines and what
/// the calendar `seen` gave last time; and what it gives now, to keep for next time.
/// Something seen that ended before the window is not removed (it only slid out of
/// the window).
pub fn changes<'a>(
    wanted: &[(i64, &'a Occurrence)],
    known: &BTreeMap<(i64, String), Known>,
    seen: &Seen,
    window: Window,
) -> (Vec<Change<'a>>, Seen) {
    let mut out = Vec::new();
    let mut present = BTreeSet::new();
    let mut gives = Seen::new();
    for &(contact_id, o) in wanted {
        let key = key_for(contact_id, o, known);
        present.insert((contact_id, key.clone()));
        if !o.cancelled {
            gives.insert((contact_id, key.clone()), (o.start, o.end));
        }
        let now = known.get(&(contact_id, key.clone()));
        let unchanged = seen.get(&(contact_id, key.clone())) == Some(&(o.start, o.end));
        if o.cancelled {
            if now.is_some_and(|k| !k.cancelled) {
                out.push(Change::Cancel {
                    contact_id,
                    key,
                    removed: false,
                });
            }
            continue;
        }
        match now {
            None => out.push(Change::Schedule {
                contact_id,
                key,
                occurrence: o,
            }),
            Some(_) if unchanged => {}
            Some(k) if k.cancelled => out.push(Change::Schedule {
                contact_id,
                key,
                occurrence: o,
            }),
            Some(k) if k.start != o.start || k.end != o.end => out.push(Change::Move {
                contact_id,
                key,
                occurrence: o,
            }),
            Some(_) => {}
        }
    }
    for ((contact_id, key), (_, end)) in seen {
        let gone = !present.contains(&(*contact_id, key.clone()));
        let live = known
            .get(&(*contact_id, key.clone()))
            .is_some_and(|k| !k.cancelled);
        if gone && live && *end >= window.from {
            out.push(Change::Cancel {
                contact_id: *contact_id,
                key: key.clone(),
                removed: true,
            });
        }
    }
    (out, gives)
}
