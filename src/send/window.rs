//! The send window in instants: on each allowed day it opens at the first instant whose
//! local time is at or after `start` and closes at `end`. On a day whose clocks jump
//! forward over `start` (a DST gap) it opens at the first valid instant after the jump,
//! and a window lying wholly inside the skipped hour keeps its length from there, so it
//! still opens that day (issue 20.13: a window at 02:30 "opened 02:30" and never did).
//! On a day whose clocks go back, the earlier of two equal local times counts.
//!
//! This module must never read the clock: `now` is passed in.

use jiff::civil::{Date, DateTime};
use jiff::tz::{AmbiguousOffset, TimeZone};
use jiff::{Timestamp, ZonedDateTime};

use crate::config::Window;

/// The first instant whose local time is at or after `dt`.
fn first_at_or_after(tz: &TimeZone, dt: DateTime) -> Option<Timestamp> {
    let ambiguous = tz.to_ambiguous_timestamp(dt);
    match ambiguous.offset() {
        AmbiguousOffset::Gap { after, .. } => {
            // Read with the offset after the jump, `dt` is an instant before it: the
            // jump itself is the first transition after that instant.
            let before_jump = after.to_timestamp(dt).ok()?;
            tz.following(before_jump).next().map(|t| t.timestamp())
        }
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => {
            ambiguous.earlier().ok()
        }
    }
}

/// The instants the window is open on `day`: `[open, close)`.
fn day_window(window: &Window, tz: &TimeZone, day: Date) -> Option<(Timestamp, Timestamp)> {
    let open = first_at_or_after(tz, day.to_datetime(window.start))?;
    let end = tz.to_ambiguous_timestamp(day.to_datetime(window.end));
    let close = match end.offset() {
        // The end was skipped too: from the jump, as long as the window was meant to be.
        AmbiguousOffset::Gap { .. } => open
            .checked_add(window.start.duration_until(window.end))
            .ok()?,
        AmbiguousOffset::Unambiguous { .. } | AmbiguousOffset::Fold { .. } => end.earlier().ok()?,
    };
    Some((open, close.max(open)))
}

/// Whether `now` is inside the send window; otherwise when it next opens.
pub fn window_check(window: &Window, tz: &TimeZone, now: Timestamp) -> Result<(), ZonedDateTime> {
    let local = now.to_zoned_datetime(tz.clone());
    // Yesterday's window too: a window that a jump pushed past midnight.
    let mut day = local.date().yesterday().unwrap_or(local.date());
    for _ in 0..10 {
        if window.days.contains(&day.weekday())
            && let Some((open, close)) = day_window(window, tz, day)
        {
            if open <= now && now < close {
                return Ok(());
            }
            if open > now {
                return Err(open.to_zoned_datetime(tz.clone()));
            }
        }
        day = match day.tomorrow() {
            Ok(d) => d,
            Err(_) => break,
        };
    }
    Err(local)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::{Time, Weekday};

    fn every_day(start: (i8, i8), end: (i8, i8)) -> Window {
        Window {
            days: vec![
                Weekday::Monday,
                Weekday::Tuesday,
                Weekday::Wednesday,
                Weekday::Thursday,
                Weekday::Friday,
                Weekday::Saturday,
                Weekday::Sunday,
            ],
            start: Time::new(start.0, start.1, 0, 0).unwrap(),
            end: Time::new(end.0, end.1, 0, 0).unwrap(),
        }
    }

    fn at(s: &str) -> Timestamp {
        s.parse().unwrap()
    }

    /// Berlin skips 02:00–03:00 on Sunday 2027-03-28 (01:00Z is 03:00 CEST).
    #[test]
    fn a_window_inside_the_skipped_hour_opens_at_the_jump() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let w = every_day((2, 15), (2, 45));
        let next = window_check(&w, &tz, at("2027-03-28T00:30:00Z")).unwrap_err();
        assert_eq!(
            next.timestamp(),
            at("2027-03-28T01:00:00Z"),
            "opens at the jump"
        );
        // It does open then, for the half hour it was meant to last.
        assert!(window_check(&w, &tz, at("2027-03-28T01:00:00Z")).is_ok());
        assert!(window_check(&w, &tz, at("2027-03-28T01:29:00Z")).is_ok());
        let next = window_check(&w, &tz, at("2027-03-28T01:30:00Z")).unwrap_err();
        assert_eq!(
            next.timestamp(),
            at("2027-03-29T00:15:00Z"),
            "then the next day"
        );
    }

    #[test]
    fn a_window_starting_in_the_skipped_hour_opens_at_the_jump_and_ends_as_set() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let w = every_day((2, 30), (6, 0));
        let next = window_check(&w, &tz, at("2027-03-28T00:59:00Z")).unwrap_err();
        assert_eq!(next.timestamp(), at("2027-03-28T01:00:00Z"));
        assert!(window_check(&w, &tz, at("2027-03-28T01:00:00Z")).is_ok());
        assert!(window_check(&w, &tz, at("2027-03-28T03:59:00Z")).is_ok());
        assert!(window_check(&w, &tz, at("2027-03-28T04:00:00Z")).is_err());
        // An ordinary day is the wall clock: 02:30–06:00 CET.
        assert!(window_check(&w, &tz, at("2027-03-27T01:29:00Z")).is_err());
        assert!(window_check(&w, &tz, at("2027-03-27T01:30:00Z")).is_ok());
    }

    /// Berlin repeats 02:00–03:00 on Sunday 2027-10-31: the earlier 02:30 opens it.
    #[test]
    fn a_window_in_the_repeated_hour_opens_at_the_first_one() {
        let tz = TimeZone::get("Europe/Berlin").unwrap();
        let w = every_day((2, 30), (9, 0));
        let next = window_check(&w, &tz, at("2027-10-30T23:00:00Z")).unwrap_err();
        assert_eq!(next.timestamp(), at("2027-10-31T00:30:00Z"));
        assert!(window_check(&w, &tz, at("2027-10-31T00:30:00Z")).is_ok());
        assert!(window_check(&w, &tz, at("2027-10-31T07:59:00Z")).is_ok());
        assert!(window_check(&w, &tz, at("2027-10-31T08:00:00Z")).is_err());
    }
}
