//! Dates and times written in prose: "December 3", "3rd of Dec 2026",
//! "2026-12-03", "12/3", "Tuesday the 3rd", "four weeks out", "next month",
//! "in January", "after the holidays", and meeting times such as
//! "Tuesday, December 3, 2026 10:00am - 10:25am (Europe/Berlin)".
//!
//! Every relative or year-less date is resolved against a reference date
//! passed in (the message date, else `now`): the next such date on or after
//! it. No clock is read here.

//!
//! Split by step: [`tokens`] (tokeniser and the words of each language),
//! [`prose`] (one date at a token), [`resolve`] (calendar arithmetic),
//! [`return_date`] (out-of-office return days) and [`time`] (meeting
//! times). Hand-written because no crate reads dates in free prose in many
//! languages; jiff does the calendar.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

mod first_day;
mod pl_tr;
mod prose;
mod relative;
mod resolve;
mod return_date;
mod return_ja;
mod slot;
mod time;
mod tokens;

pub(crate) use first_day::{AFTER_THAT, UNTIL, first_day_after};
use prose::*;
use resolve::*;
pub(crate) use return_date::return_date;
pub(crate) use slot::slot_in;
pub(crate) use time::{StatedTime, meeting_time};
use tokens::*;

/// How specific a found date is; the most specific wins.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Specificity {
    MonthOnly = 1,
    Relative = 2,
    Weekday = 3,
    Exact = 4,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Found {
    pub date: Date,
    pub specificity: Specificity,
    /// The words it was read from.
    pub text: String,
    /// Byte offset in the text.
    pub offset: usize,
}

/// All dates found in the text, in order.
pub(crate) fn find_dates(text: &str, r: Date) -> Vec<Found> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        let hit = date_at(&c, i, r)
            .or_else(|| relative_at(&c, i, r))
            .or_else(|| relative::other_languages_at(&c, i, r))
            .or_else(|| pl_tr::relative_at(&c, i, r))
            .or_else(|| month_phrase_at(&c, i, r));
        if let Some((date, used, specificity)) = hit {
            let used = used.max(1);
            let start = toks.get(i).map_or(0, |t| t.start);
            let end = toks.get(i + used - 1).map_or(start, |t| t.end);
            out.push(Found {
                date,
                specificity,
                text: text.get(start..end).unwrap_or_default().to_string(),
                offset: start,
            });
            i += used;
            if out.len() > 64 {
                break;
            }
        } else {
            i += 1;
        }
    }
    out
}

/// The most specific date in the text (the first among equals); Japanese and
/// Chinese `M月D日` dates too.
pub(crate) fn best_date(text: &str, r: Date) -> Option<Found> {
    let mut found = find_dates(text, r);
    if text.contains('月') {
        found.extend(
            return_ja::dates_ja(text, r)
                .into_iter()
                .map(|(date, start, end)| Found {
                    date,
                    specificity: Specificity::Exact,
                    text: text.get(start..end).unwrap_or_default().to_string(),
                    offset: start,
                }),
        );
    }
    let best = found.iter().map(|f| f.specificity).max()?;
    found.into_iter().find(|f| f.specificity == best)
}

/// The day after a last day the text calls inclusive ("jusqu'au 8 janvier inclus",
/// "bis 8. Januar einschließlich"): the first day back; other dates unchanged.
pub(crate) fn after_inclusive_end(found: Found, text: &str) -> Found {
    // The date's words where they stand in `text` (its offset may be another text's).
    let lower = text.to_lowercase();
    let Some(at) = lower.find(&found.text.to_lowercase()) else {
        return found;
    };
    let rest = lower.get(at + found.text.len()..).unwrap_or("");
    let inclusive = rest
        .split_whitespace()
        .take(2)
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .any(|w| return_date::INCLUSIVE.contains(&w.as_str()));
    match found.date.tomorrow() {
        Ok(next) if inclusive => Found {
            date: next,
            ..found
        },
        _ => found,
    }
}

/// A bare day of the month ("after the 15th") read in the month the text names
/// around it ("the second half of January … after the 15th" is 15 January, not the
/// next 15th): the same day in the first named month it does not fall in, when that
/// month's day comes later. Unchanged when the text names no other month or the
/// date names its own.
/// Month names that are also everyday words of another language ("may", Portuguese
/// "a gente marca" beside Polish "marca", Turkish "mart" beside English "mart",
/// Polish "maja" beside the name): never the month a bare day is read in.
const SHARED_MONTH_WORDS: &[&str] = &["may", "mar", "marca", "mart", "maja", "mars"];

pub(crate) fn in_named_month(found: Found, context: &str, r: Date) -> Found {
    let toks = tokenize(&found.text);
    let names_month = toks.iter().any(|t| match &t.tok {
        Tok::Word(w) => crate::core::classify::lexicon::month_of(w).is_some(),
        _ => false,
    });
    if names_month || found.specificity != Specificity::Exact {
        return found;
    }
    let ctx = tokenize(context);
    let month = ctx.iter().find_map(|t| match &t.tok {
        Tok::Word(w) => crate::core::classify::lexicon::month_of(w)
            .filter(|m| *m != found.date.month() && !SHARED_MONTH_WORDS.contains(&w.as_str())),
        _ => None,
    });
    let anchored = month.and_then(|m| next_month_day(r, m, found.date.day()));
    match anchored {
        Some(d) if d > found.date => Found { date: d, ..found },
        _ => found,
    }
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod relative_tests;
