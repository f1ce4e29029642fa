//! The balance of give and ask with one person: how often the user asked them for
//! something (a meeting request, its nudge) and how often gave (a share, an
//! introduction made for them). Thank-yous and check-ins count neither way.
//!
//! Pure: kinds in, counts out; the digest's "now and then" is decided from `now` passed
//! in, never from the clock.

use jiff::Timestamp;
use jiff::civil::Weekday;
use jiff::tz::TimeZone;
use serde::Serialize;

use crate::core::model::InteractionKind;

/// Asks and gives with one person.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Balance {
    /// Requests and nudges sent to them.
    pub asks: u32,
    /// Shares sent to them and introductions made for them.
    pub gives: u32,
}

impl Balance {
    /// Counts a timeline's entries.
    pub fn of(kinds: impl IntoIterator<Item = InteractionKind>) -> Balance {
        let mut b = Balance::default();
        for k in kinds {
            match k {
                InteractionKind::RequestSent | InteractionKind::NudgeSent => b.asks += 1,
                InteractionKind::ShareSent | InteractionKind::IntroSent => b.gives += 1,
                _ => {}
            }
        }
        b
    }

    /// The user has asked of them and never given.
    pub fn only_asked(self) -> bool {
        self.asks > 0 && self.gives == 0
    }

    /// "2 asks, 1 give".
    pub fn words(self) -> String {
        let n = |v: u32, one: &str| format!("{v} {one}{}", if v == 1 { "" } else { "s" });
        format!("{}, {}", n(self.asks, "ask"), n(self.gives, "give"))
    }
}

/// Whether `now` is a day the digest suggests someone to give to (Mondays).
pub fn suggestion_day(now: Timestamp, tz: &TimeZone) -> bool {
    now.to_zoned_datetime(tz.clone()).weekday() == Weekday::Monday
}

/// Now and then (on Mondays, in the user's zone) up to two of the people only ever
/// asked of, a different pair each week; none on other days.
pub fn suggestions<T: Clone>(only_asked: &[T], now: Timestamp, tz: &TimeZone) -> Vec<T> {
    let local = now.to_zoned_datetime(tz.clone());
    if !suggestion_day(now, tz) || only_asked.is_empty() {
        return Vec::new();
    }
    let week = usize::try_from(local.date().iso_week_date().week()).unwrap_or(0);
    let start = (week * 2) % only_asked.len();
    only_asked
        .iter()
        .cycle()
        .skip(start)
        .take(only_asked.len().min(2))
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests;
