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
mod tests;
