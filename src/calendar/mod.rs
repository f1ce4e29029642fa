//! Calendars as a source of meetings: reads a `[[calendars]]` entry (an iCalendar feed
//! or a CalDAV collection), turns its events in the window into meetings on the
//! timelines of the contacts they are with, and records the calendar's state.
//!
//! What to write is decided in `core::calendar`; this module fetches (`ics`,
//! `caldav`, over `http`), asks the store and writes. It must never write to a
//! calendar, never log or store a calendar's address or password (messages say
//! "calendar 'NAME'"), and never send mail.

use std::collections::{BTreeMap, BTreeSet};

use anyhow::{Context, Result};
use base64::Engine;
use jiff::{SignedDuration, Timestamp};
use serde_json::json;

use crate::config::{CalendarCfg, CalendarKind, Loaded};
use crate::core::calendar::{self, Change, Known, Occurrence, People, Window};
use crate::core::model::InteractionKind;
use crate::store::{CalendarTags, NewInteraction, Store, fmt_ts};

mod caldav;
pub mod http;
mod ics;
pub mod poller;

/// How far ahead of now a calendar is read.
pub const LOOK_AHEAD_DAYS: i64 = 60;
/// How far back a calendar is read without an `[imap]` lookback.
pub const DEFAULT_LOOKBACK_DAYS: i64 = 30;
/// How long a server's "unchanged" is trusted before the whole calendar is read again
/// (so that the window's new days are read even when nothing changed).
pub const FULL_READ_EVERY: SignedDuration = SignedDuration::from_hours(24);

/// What a fetch gave.
#[derive(Debug)]
pub enum Fetched {
    /// The server said (or the content shows) nothing changed since the last reading.
    Unchanged,
    /// The calendar's content: one iCalendar text per resource.
    Content {
        /// The iCalendar texts.
        texts: Vec<String>,
        /// The validators to keep.
        tags: CalendarTags,
    },
}

/// What one read of a calendar did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outcome {
    /// HTTP requests sent (0 for a file).
    pub requests: u32,
    /// The server said nothing changed: nothing was read or written.
    pub unchanged: bool,
    /// Occurrences in the window.
    pub occurrences: usize,
    /// Occurrences with a contact (one per contact).
    pub meetings: usize,
    /// Timeline entries written (scheduled, moved, cancelled).
    pub written: usize,
    /// Things read only in part.
    pub notes: Vec<String>,
}

/// The span read: the lookback of `[imap]` (or 30 days) back, 60 days ahead.
pub fn window(loaded: &Loaded, now: Timestamp) -> Window {
    let back = loaded
        .config
        .imap
        .as_ref()
        .map_or(DEFAULT_LOOKBACK_DAYS, |i| i64::from(i.lookback_days));
    let day = SignedDuration::from_hours(24);
    Window {
        from: now
            .checked_sub(day * back.clamp(1, 3660) as i32)
            .unwrap_or(now),
        to: now.checked_add(day * LOOK_AHEAD_DAYS as i32).unwrap_or(now),
    }
}

/// The calendar's address: `url`, or the first line `url_command` prints.
fn address(cal: &CalendarCfg) -> Result<String> {
    if let Some(url) = &cal.url {
        return Ok(url.trim().to_string());
    }
    let cmd = cal.url_command.as_deref().unwrap_or("");
    let url = crate::secrets::fetch_command(&cal.section(), "url_command", cmd, "address")?;
    let url = url.expose().trim().to_string();
    let who = format!("calendar '{}'", cal.name);
    crate::config::calendars::check_url(&who, cal.kind, &url)
        .map_err(|m| anyhow::anyhow!("{m} (the address url_command printed)"))?;
    Ok(url)
}

/// The Authorization header of a CalDAV calendar: Basic, or Bearer for a token.
fn authorization(cal: &CalendarCfg) -> Result<Option<String>> {
    if cal.kind == CalendarKind::Ics {
        return Ok(None);
    }
    let secret = crate::secrets::fetch_for(&cal.section(), &cal.login())?;
    if cal.token_command.is_some() {
        return Ok(Some(format!("Bearer {}", secret.expose())));
    }
    let user = cal.username.as_deref().unwrap_or("");
    let pair = format!("{user}:{}", secret.expose());
    Ok(Some(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    )))
}

/// Fetches a calendar's content (or "unchanged") with the tags `last`.
pub fn fetch(cal: &CalendarCfg, last: &CalendarTags, window: Window) -> Result<(Fetched, u32)> {
    let who = format!("calendar '{}'", cal.name);
    let url = address(cal)?;
    let mut client = http::Client::new(cal, authorization(cal)?)?;
    let fetched = match cal.kind {
        CalendarKind::Ics => ics::fetch(&mut client, &who, &url, last)?,
        CalendarKind::Caldav => caldav::fetch(&mut client, &who, &url, last, window)?,
    };
    Ok((fetched, client.requests))
}

/// Reads one calendar now and brings the timelines in line with it; a failure is
/// recorded as the calendar's last error (and returned).
pub fn read(
    loaded: &Loaded,
    cal: &CalendarCfg,
    store: &mut Store,
    now: Timestamp,
) -> Result<Outcome> {
    let result = read_inner(loaded, cal, store, now);
    if let Err(e) = &result {
        store.calendar_failed(&cal.name, &format!("{e:#}"), now)?;
    }
    result
}

fn read_inner(
    loaded: &Loaded,
    cal: &CalendarCfg,
    store: &mut Store,
    now: Timestamp,
) -> Result<Outcome> {
    let state = store.calendar_state(&cal.name)?;
    let full_due = state
        .last_full
        .is_none_or(|t| now.duration_since(t) >= FULL_READ_EVERY || t > now);
    let last = if full_due {
        CalendarTags::default()
    } else {
        state.tags.clone()
    };
    let window = window(loaded, now);
    let (fetched, requests) = fetch(cal, &last, window)?;
    let (texts, tags) = match fetched {
        Fetched::Unchanged => {
            store.calendar_unchanged(&cal.name, now)?;
            return Ok(Outcome {
                requests,
                unchanged: true,
                ..Outcome::default()
            });
        }
        Fetched::Content { texts, tags } => (texts, tags),
    };
    let mut outcome = Outcome {
        requests,
        ..Outcome::default()
    };
    let mut occurrences: Vec<Occurrence> = Vec::new();
    for text in &texts {
        let reading = calendar::read(text, &loaded.tz, window);
        occurrences.extend(reading.occurrences);
        outcome.notes.extend(reading.notes);
    }
    outcome.occurrences = occurrences.len();
    let (written, meetings) = apply(loaded, cal, store, &occurrences, &tags, window, now)?;
    outcome.written = written;
    outcome.meetings = meetings;
    Ok(outcome)
}

/// The user's own addresses, lower case.
fn my_addresses(loaded: &Loaded) -> Vec<String> {
    let id = &loaded.config.identity;
    std::iter::once(&id.email)
        .chain(&id.aliases)
        .map(|a| a.trim().to_lowercase())
        .collect()
}

/// The meetings on the timelines of `contacts`: (contact, key) → times.
fn known(store: &Store, contacts: &BTreeSet<i64>) -> Result<BTreeMap<(i64, String), Known>> {
    let mut out = BTreeMap::new();
    for id in contacts {
        let Some(c) = store.contact(*id)? else {
            continue;
        };
        for m in crate::followup::meetings_of(&c, &store.interactions(*id)?) {
            let k = Known {
                start: m.start,
                end: m.end,
                cancelled: m.cancelled,
            };
            out.insert((*id, m.uid), k);
        }
    }
    Ok(out)
}

/// Writes what the occurrences change; (entries written, meetings with a contact).
fn apply(
    loaded: &Loaded,
    cal: &CalendarCfg,
    store: &mut Store,
    occurrences: &[Occurrence],
    tags: &CalendarTags,
    window: Window,
    now: Timestamp,
) -> Result<(usize, usize)> {
    let me = my_addresses(loaded);
    let names = store.contact_full_names()?;
    let people = People {
        me: &me,
        names: &names,
    };
    let mut wanted: Vec<(i64, &Occurrence)> = Vec::new();
    {
        let lookup = |a: &str| store.contact_id_by_address(a).ok().flatten();
        for o in occurrences {
            for id in calendar::contacts_of(o, people, &lookup) {
                wanted.push((id, o));
            }
        }
    }
    let seen = store.calendar_seen(&cal.name)?;
    let contacts: BTreeSet<i64> = wanted
        .iter()
        .map(|(c, _)| *c)
        .chain(seen.keys().map(|(c, _)| *c))
        .collect();
    let known = known(store, &contacts)?;
    let (changes, gives) = calendar::changes(&wanted, &known, &seen, window);
    let source = format!("calendar:{}", cal.name);
    let entries: Vec<Entry> = changes
        .iter()
        .map(|c| entry(c, &cal.name, loaded, now))
        .collect();
    let writes: Vec<NewInteraction<'_>> = entries
        .iter()
        .map(|e| NewInteraction {
            contact_id: e.contact_id,
            at: now,
            kind: e.kind,
            summary: &e.summary,
            message_key: &e.message_key,
            draft_id: None,
            detail: e.detail.clone(),
            source: &source,
        })
        .collect();
    let written = store
        .calendar_read(&cal.name, &writes, &gives, tags, now)
        .with_context(|| format!("Recording calendar '{}'", cal.name))?;
    Ok((written, wanted.len()))
}

/// One timeline entry to write, owning its text.
struct Entry {
    contact_id: i64,
    kind: InteractionKind,
    summary: String,
    message_key: String,
    detail: serde_json::Value,
}

fn entry(change: &Change<'_>, name: &str, loaded: &Loaded, now: Timestamp) -> Entry {
    let stamp = fmt_ts(now);
    match change {
        Change::Schedule {
            contact_id,
            key,
            occurrence: o,
        }
        | Change::Move {
            contact_id,
            key,
            occurrence: o,
        } => {
            let moved = matches!(change, Change::Move { .. });
            let local = o.start.to_zoned_datetime(loaded.tz.clone());
            let when = if o.all_day {
                local.strftime("%Y-%m-%d (all day)").to_string()
            } else {
                local.strftime("%Y-%m-%d %H:%M %Z").to_string()
            };
            let verb = if moved { "moved to" } else { "scheduled for" };
            let title: String = o.summary.chars().take(120).collect();
            Entry {
                contact_id: *contact_id,
                kind: if moved {
                    InteractionKind::MeetingMoved
                } else {
                    InteractionKind::MeetingScheduled
                },
                summary: format!("meeting {verb} {when} (calendar '{name}'): {title}"),
                message_key: format!("calendar:{name}:{key}:{}:{stamp}", fmt_ts(o.start)),
                detail: json!({
                    "uid": key,
                    "start": fmt_ts(o.start),
                    "end": fmt_ts(o.end),
                    "all_day": o.all_day,
                    "zone": o.zone,
                    "location": o.location,
                    "link": o.link,
                    "calendar": name,
                }),
            }
        }
        Change::Cancel {
            contact_id,
            key,
            removed,
        } => Entry {
            contact_id: *contact_id,
            kind: InteractionKind::MeetingCancelled,
            summary: if *removed {
                format!("meeting removed from calendar '{name}'")
            } else {
                format!("meeting cancelled in calendar '{name}'")
            },
            message_key: format!("calendar:{name}:{key}:cancelled:{stamp}"),
            detail: json!({ "uid": key, "calendar": name }),
        },
    }
}
