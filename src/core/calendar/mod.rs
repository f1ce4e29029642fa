//! Meetings read from a calendar (an iCalendar feed or CalDAV resources): the events
//! of a window expanded into occurrences ([`read`]), the contacts each one is with
//! ([`contacts_of`]), and what to write on the timelines to bring them in line with the
//! calendar ([`changes`]).
//!
//! The iCalendar text is read by the mail classifier's reader (`classify::ical`, on
//! `core::contentline`), so a calendar and an invitation agree on UIDs and times.
//! An occurrence of a recurring event is its own meeting, keyed `UID/START` (the
//! original start, RFC 3339 UTC), so moving or cancelling one occurrence touches only it.
//!
//! Pure: text and the current state in, occurrences and changes out. It must never
//! read the store, the network or the clock, and never invent an occurrence from a rule
//! it does not fully read (see [`expand`]).

use std::collections::BTreeMap;

use jiff::civil::DateTime;
use jiff::tz::TimeZone;
use jiff::{SignedDuration, Timestamp};

use crate::core::classify::ical::{self, Component, Prop, RawTime, VTimezone};

pub mod dav;
pub mod expand;

/// The span of time a calendar is read over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Window {
    /// Occurrences ending before this are left out.
    pub from: Timestamp,
    /// Occurrences starting after this are left out.
    pub to: Timestamp,
}

/// One occurrence of an event: a single event, or one of a recurring event's.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Occurrence {
    /// The meeting key: the UID, or `UID/START` for an occurrence of a recurring event.
    pub key: String,
    /// The event's UID.
    pub uid: String,
    /// When it starts.
    pub start: Timestamp,
    /// When it ends (the start when the event names no end).
    pub end: Timestamp,
    /// A day-long event.
    pub all_day: bool,
    /// The TZID the event was written in (`UTC` for a `Z` time), if any.
    pub zone: Option<String>,
    /// SUMMARY, unescaped.
    pub summary: String,
    /// LOCATION, unescaped.
    pub location: Option<String>,
    /// A video-call link from URL, LOCATION or DESCRIPTION.
    pub link: Option<String>,
    /// The organizer's address, lower case.
    pub organizer: Option<String>,
    /// (attendee address lower case, PARTSTAT upper case).
    pub attendees: Vec<(String, String)>,
    /// STATUS:CANCELLED (on the event or on this occurrence).
    pub cancelled: bool,
}

/// What a calendar text held in a window.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reading {
    /// The occurrences in the window, in start order.
    pub occurrences: Vec<Occurrence>,
    /// Things read only in part, for the log (never event details beyond a UID).
    pub notes: Vec<String>,
}

/// One event's shared fields, before its times are set.
fn base(event: &Component, uid: &str) -> Occurrence {
    let text = |name: &str| {
        event
            .value(name)
            .map(|v| ical::unescape(v).trim().to_string())
            .filter(|v| !v.is_empty())
    };
    let location = text("LOCATION");
    let link = [
        text("URL"),
        text("X-GOOGLE-CONFERENCE"),
        location.clone(),
        text("DESCRIPTION"),
    ]
    .into_iter()
    .flatten()
    .find_map(|t| crate::core::brief::meeting_link(&t));
    let attendees = event
        .props_named("ATTENDEE")
        .map(|p| {
            let status = p.param("PARTSTAT").unwrap_or("NEEDS-ACTION");
            (
                ical::cal_address(&p.value),
                status.trim().to_ascii_uppercase(),
            )
        })
        .filter(|(a, _)| !a.is_empty())
        .take(500)
        .collect();
    Occurrence {
        key: uid.to_string(),
        uid: uid.to_string(),
        start: Timestamp::UNIX_EPOCH,
        end: Timestamp::UNIX_EPOCH,
        all_day: false,
        zone: None,
        summary: text("SUMMARY").unwrap_or_default(),
        location,
        link,
        organizer: event
            .value("ORGANIZER")
            .map(ical::cal_address)
            .filter(|o| !o.is_empty()),
        attendees,
        cancelled: event
            .value("STATUS")
            .is_some_and(|s| s.trim().eq_ignore_ascii_case("CANCELLED")),
    }
}

/// The zones and text the times of one calendar text are read with.
struct Zones<'a> {
    timezones: Vec<VTimezone>,
    default_tz: &'a TimeZone,
}

impl Zones<'_> {
    /// The instant of wall time `dt` written like `prop` (its TZID, `Z` or date form).
    fn at(&self, prop: &Prop, dt: DateTime) -> Option<Timestamp> {
        let value = match ical::parse_value(&prop.value)? {
            RawTime::Date(_) => dt.strftime("%Y%m%d").to_string(),
            RawTime::Utc(_) => dt.strftime("%Y%m%dT%H%M%SZ").to_string(),
            RawTime::Local(_) => dt.strftime("%Y%m%dT%H%M%S").to_string(),
        };
        let p = Prop {
            name: prop.name.clone(),
            params: prop.params.clone(),
            value,
        };
        ical::resolve_time(&p, &self.timezones, self.default_tz).map(|r| r.at)
    }

    /// An event's start, end and all-day flag, and the wall time it starts at.
    fn times(&self, event: &Component) -> Option<(DateTime, Timestamp, SignedDuration, bool)> {
        let prop = event.prop("DTSTART")?;
        let start = ical::resolve_time(prop, &self.timezones, self.default_tz)?;
        let wall = match ical::parse_value(&prop.value)? {
            RawTime::Date(d) => d.to_datetime(jiff::civil::Time::midnight()),
            RawTime::Utc(dt) | RawTime::Local(dt) => dt,
        };
        let end = event
            .prop("DTEND")
            .and_then(|p| ical::resolve_time(p, &self.timezones, self.default_tz))
            .map(|e| e.at)
            .or_else(|| {
                let d = event.value("DURATION").and_then(ical::parse_duration)?;
                start.at.checked_add(d).ok()
            })
            .unwrap_or(if start.all_day {
                start.at.checked_add(SignedDuration::from_hours(24)).ok()?
            } else {
                start.at
            });
        let length = end.duration_since(start.at).max(SignedDuration::ZERO);
        Some((wall, start.at, length, start.all_day))
    }
}

fn zone_of(prop: Option<&Prop>) -> Option<String> {
    let prop = prop?;
    if let Some(tzid) = prop.param("TZID") {
        return Some(tzid.trim().trim_matches('"').to_string());
    }
    matches!(ical::parse_value(&prop.value)?, RawTime::Utc(_)).then(|| "UTC".to_string())
}

/// The instants of a list property (EXDATE, RDATE), read like DTSTART.
fn instants(event: &Component, name: &str, zones: &Zones<'_>) -> Vec<Timestamp> {
    event
        .props_named(name)
        .flat_map(|p| {
            p.value.split(',').take(1000).filter_map(move |v| {
                let one = Prop {
                    name: p.name.clone(),
                    params: p.params.clone(),
                    value: v.trim().to_string(),
                };
                ical::resolve_time(&one, &zones.timezones, zones.default_tz).map(|r| r.at)
            })
        })
        .collect()
}

/// The starts of a series master: DTSTART, the rule's, RDATEs, less EXDATEs.
fn series_starts(
    master: &Component,
    wall: DateTime,
    zones: &Zones<'_>,
    horizon: Timestamp,
    notes: &mut Vec<String>,
    uid: &str,
) -> Vec<Timestamp> {
    let Some(prop) = master.prop("DTSTART") else {
        return Vec::new();
    };
    let to_ts = |dt: DateTime| zones.at(prop, dt);
    let mut starts: Vec<Timestamp> = match master.value("RRULE").and_then(expand::parse_rule) {
        Some(rule) => {
            if let Some(part) = &rule.unread {
                notes.push(format!(
                    "event {uid}: its repeat rule has {part}, which rapport does not read; only its first occurrence is kept"
                ));
            }
            let until = rule.until.as_deref().and_then(|u| until_of(u, prop, zones));
            expand::expand(wall, &rule, until, horizon, &to_ts)
                .into_iter()
                .filter_map(to_ts)
                .collect()
        }
        None => to_ts(wall).into_iter().collect(),
    };
    starts.extend(instants(master, "RDATE", zones));
    let excluded = instants(master, "EXDATE", zones);
    starts.retain(|s| !excluded.contains(s));
    starts.sort();
    starts.dedup();
    starts
}

/// UNTIL as an instant: a date means the end of that day.
fn until_of(until: &str, dtstart: &Prop, zones: &Zones<'_>) -> Option<Timestamp> {
    match ical::parse_value(until)? {
        RawTime::Utc(dt) => jiff::tz::Offset::UTC.to_timestamp(dt).ok(),
        RawTime::Local(dt) => zones.at(dtstart, dt),
        RawTime::Date(d) => {
            let dt = d.to_datetime(jiff::civil::Time::MAX);
            let p = Prop {
                value: dt.strftime("%Y%m%dT%H%M%S").to_string(),
                params: dtstart
                    .params
                    .iter()
                    .filter(|(k, _)| k == "TZID")
                    .cloned()
                    .collect(),
                name: dtstart.name.clone(),
            };
            ical::resolve_time(&p, &zones.timezones, zones.default_tz).map(|r| r.at)
        }
    }
}

/// The occurrences of one UID's events (a master and its overrides).
fn occurrences_of(
    uid: &str,
    events: &[&Component],
    zones: &Zones<'_>,
    window: Window,
    notes: &mut Vec<String>,
) -> Vec<Occurrence> {
    let master = events.iter().find(|e| e.prop("RECURRENCE-ID").is_none());
    let recurring = master.is_some_and(|m| m.prop("RRULE").is_some() || m.prop("RDATE").is_some());
    let mut by_start: BTreeMap<Timestamp, Occurrence> = BTreeMap::new();
    if let Some(master) = master
        && let Some((wall, first, length, all_day)) = zones.times(master)
    {
        let starts = if recurring {
            series_starts(master, wall, zones, window.to, notes, uid)
        } else {
            vec![first]
        };
        for start in starts {
            let mut o = base(master, uid);
            o.start = start;
            o.end = start.checked_add(length).unwrap_or(start);
            o.all_day = all_day;
            o.zone = zone_of(master.prop("DTSTART"));
            if recurring {
                o.key = format!("{uid}/{start}");
            }
            by_start.insert(start, o);
        }
    }
    for over in events.iter().filter(|e| e.prop("RECURRENCE-ID").is_some()) {
        let Some(original) = over
            .prop("RECURRENCE-ID")
            .and_then(|p| ical::resolve_time(p, &zones.timezones, zones.default_tz))
        else {
            continue;
        };
        let Some((_, start, length, all_day)) = zones.times(over) else {
            continue;
        };
        let mut o = base(over, uid);
        o.key = format!("{uid}/{}", original.at);
        o.start = start;
        o.end = start.checked_add(length).unwrap_or(start);
        o.all_day = all_day;
        o.zone = zone_of(over.prop("DTSTART"));
        by_start.insert(original.at, o);
    }
    by_start
        .into_values()
        .filter(|o| o.end >= window.from && o.start <= window.to)
        .collect()
}

/// Reads every VEVENT of a calendar text into the occurrences within `window`; times
/// without a zone are read in `default_tz`.
pub fn read(text: &str, default_tz: &TimeZone, window: Window) -> Reading {
    let roots = ical::parse(text);
    let calendars: Vec<&Component> = roots.iter().filter(|c| c.name == "VCALENDAR").collect();
    let zones = Zones {
        timezones: calendars
            .iter()
            .flat_map(|c| c.children_named("VTIMEZONE"))
            .filter_map(ical::vtimezone)
            .collect(),
        default_tz,
    };
    let mut by_uid: BTreeMap<String, Vec<&Component>> = BTreeMap::new();
    let mut reading = Reading::default();
    let mut without_uid = 0usize;
    for event in calendars.iter().flat_map(|c| c.children_named("VEVENT")) {
        match event.value("UID").map(str::trim).filter(|u| !u.is_empty()) {
            Some(uid) => by_uid.entry(uid.to_string()).or_default().push(event),
            None => without_uid += 1,
        }
    }
    if without_uid > 0 {
        reading.notes.push(format!(
            "{without_uid} event(s) without a UID were left out"
        ));
    }
    for (uid, events) in &by_uid {
        let found = occurrences_of(uid, events, &zones, window, &mut reading.notes);
        reading.occurrences.extend(found);
    }
    reading
        .occurrences
        .sort_by(|a, b| (a.start, &a.key).cmp(&(b.start, &b.key)));
    reading
}

mod mapping;
pub use mapping::{Change, Known, People, Seen, changes, contacts_of};

#[cfg(test)]
mod tests;
