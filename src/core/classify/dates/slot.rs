//! A meeting time a reply names in words: a day ("Tuesday", "the 9th", "next
//! Wednesday", "tomorrow") next to a clock time ("at 3pm", "14:00", "um 15 Uhr",
//! "a las 3", "kl 15", "4 o'clock"), with the zone when one is written after it.
//!
//! Token-level only: which clause may hold a proposal (not a refusal, not the
//! past, not quoted) is decided by `classify::proposal`. It must never read a
//! clock or guess a zone that is not written.

use super::time::{time_at, to_24h, zone_after};
use super::*;
use crate::core::classify::proposal::words::ProposalWords;
use crate::core::classify::tz::resolve_label;

/// A day and a time found next to each other.
#[derive(Debug, Clone)]
pub(crate) struct Slot {
    pub date: Date,
    pub hour: u32,
    pub minute: u32,
    /// The zone written after the time: the zone, the words, and whether they are a
    /// short abbreviation ("CET", "PT") that the caller must find written in capitals
    /// (lowercase "est", "ist", "et" are words of French and German).
    pub zone: Option<(TimeZone, String, bool)>,
    /// Byte range of the words it was read from.
    pub start: usize,
    pub end: usize,
}

/// How far (in tokens) a time may stand from its day.
const REACH: usize = 7;

/// The length of the longest listed word sequence at token `i`.
fn seq_at(c: &Cursor<'_>, i: usize, seqs: &[Vec<String>]) -> Option<usize> {
    seqs.iter()
        .filter(|s| {
            !s.is_empty()
                && s.iter()
                    .enumerate()
                    .all(|(n, w)| c.word(i + n) == Some(w.as_str()))
        })
        .map(Vec::len)
        .max()
}

/// Whether a listed word sequence ends just before token `k`.
fn ends_before(c: &Cursor<'_>, k: usize, seqs: &[Vec<String>]) -> bool {
    seqs.iter().any(|s| {
        !s.is_empty()
            && s.len() <= k
            && s.iter()
                .enumerate()
                .all(|(n, w)| c.word(k - s.len() + n) == Some(w.as_str()))
    })
}

/// A clock time at token `k` that is not a deadline ("until 3pm", "bis 15 Uhr").
fn proposed_time_at(c: &Cursor<'_>, k: usize, w: &ProposalWords) -> Option<(u32, u32, usize)> {
    if ends_before(c, k, &w.until) {
        return None;
    }
    time_here(c, k, w)
}

/// Whether a "today" word stands within a few tokens of `i..j`.
fn today_near(c: &Cursor<'_>, i: usize, j: usize, w: &ProposalWords) -> bool {
    (i.saturating_sub(REACH)..j + REACH).any(|k| seq_at(c, k, &w.today).is_some())
}

/// A weekday name at token `i` from the lexicon or the proposal words, with the
/// tokens it takes ("terça-feira" takes three).
fn weekday_word(c: &Cursor<'_>, i: usize, w: &ProposalWords) -> Option<(Weekday, usize)> {
    let word = c.word(i)?;
    let wd = weekday_of(word).or_else(|| w.weekdays.get(word).copied())?;
    let used = if c.punct(i + 1) == Some('-') && c.is_word(i + 2, "feira") {
        3
    } else {
        1
    };
    Some((wd, used))
}

/// A day at token `i`: (date, tokens used).
fn day_at(c: &Cursor<'_>, i: usize, r: Date, w: &ProposalWords) -> Option<(Date, usize)> {
    if let Some(n) = seq_at(c, i, &w.next)
        && let Some((wd, used)) = weekday_word(c, i + n, w)
    {
        // "next Wednesday": that weekday of the following calendar week.
        let monday = next_weekday(r, Weekday::Monday)?;
        let offset = i64::from(wd.to_monday_zero_offset());
        return Some((monday.checked_add(offset.days()).ok()?, n + used));
    }
    if let Some(n) = seq_at(c, i, &w.today) {
        return Some((r, n));
    }
    if let Some(n) = seq_at(c, i, &w.tomorrow) {
        return Some((r.tomorrow().ok()?, n));
    }
    if let Some((date, used, spec)) = date_at(c, i, r)
        && spec >= Specificity::Weekday
    {
        return Some((date, used.max(1)));
    }
    let (wd, used) = weekday_word(c, i, w)?;
    Some((next_weekday(r, wd)?, used))
}

/// An hour without am/pm: 1 to 7 are afternoon hours in a meeting proposal.
fn bare_hour(h: u32) -> u32 {
    if (1..=7).contains(&h) { h + 12 } else { h }
}

/// A clock time at token `k`: (hour, minute, tokens used).
fn time_here(c: &Cursor<'_>, k: usize, w: &ProposalWords) -> Option<(u32, u32, usize)> {
    if let Some((h, m, pm, used)) = time_at(c, k) {
        return Some((to_24h(h, pm), m, used));
    }
    let mut n = 0;
    let after_connector = if let Some(len) = seq_at(c, k, &w.at) {
        n = len;
        if c.punct(k + n) == Some('.') {
            n += 1;
        }
        if let Some((h, m, pm, used)) = time_at(c, k + n) {
            return Some((to_24h(h, pm), m, n + used));
        }
        true
    } else {
        false
    };
    let (h, digits) = c.num(k + n)?;
    if digits > 2 || h > 23 {
        return None;
    }
    let mut used = n + 1;
    let mut minute = 0;
    let oclock = seq_at(c, k + used, &w.oclock);
    if let Some(len) = oclock {
        used += len;
        if let Some((m, 2)) = c.num(k + used)
            && m < 60
        {
            minute = m;
            used += 1;
        }
    }
    if !after_connector && oclock.is_none() {
        return None;
    }
    Some((bare_hour(h), minute, used))
}

/// A zone written at token `k`: "(Europe/Berlin)", "Europe/Berlin", "central
/// european time", "CET".
fn zone_at(text: &str, c: &Cursor<'_>, k: usize) -> Option<(TimeZone, String, bool)> {
    let tok = c.toks.get(k)?;
    if c.punct(k) == Some('(') {
        let (tz, how) = zone_after(text, c, k)?;
        return Some((tz, how, false));
    }
    let rest = text.get(tok.start..)?;
    if c.punct(k + 1) == Some('/') {
        let name = rest
            .split_whitespace()
            .next()?
            .trim_end_matches(['.', ',', '?', '!']);
        let (tz, _) = resolve_label(name)?;
        return Some((tz, name.to_string(), false));
    }
    for n in (2..=4).rev() {
        let words: Option<Vec<&str>> = (k..k + n).map(|i| c.word(i)).collect();
        let Some(words) = words else { continue };
        let phrase = words.join(" ");
        if (phrase.ends_with(" time") || phrase.ends_with("zeit"))
            && let Some((tz, _)) = resolve_label(&phrase)
        {
            return Some((tz, phrase, false));
        }
    }
    let word = c.word(k).filter(|w| (2..=5).contains(&w.len()))?;
    let (tz, _) = resolve_label(word)?;
    Some((tz, word.to_string(), true))
}

/// The first day with a time beside it in `text`, read against `r`.
pub(crate) fn slot_in(text: &str, r: Date, w: &ProposalWords) -> Option<Slot> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    for i in 0..toks.len() {
        let Some((date, used)) = day_at(&c, i, r, w) else {
            continue;
        };
        if ends_before(&c, i, &w.until) {
            continue; // "by Tuesday at 3pm": a deadline
        }
        let day_end = i + used;
        let after = (day_end..(day_end + REACH).min(toks.len()))
            .find_map(|k| proposed_time_at(&c, k, w).map(|t| (k, t)));
        let before = || {
            (i.saturating_sub(REACH)..i)
                .filter_map(|k| proposed_time_at(&c, k, w).map(|t| (k, t)))
                .rfind(|(k, (_, _, n))| k + n <= i)
        };
        let Some((k, (hour, minute, n))) = after.or_else(before) else {
            continue;
        };
        // "Monday (today)" on a Monday is today, not a week from now.
        let week_on = r.checked_add(7.days()).ok();
        let date = if Some(date) == week_on && today_near(&c, i, day_end, w) {
            r
        } else {
            date
        };
        let first = i.min(k);
        let last = (day_end.max(k + n)).saturating_sub(1);
        let start = toks.get(first).map_or(0, |t| t.start);
        let end = toks.get(last).map_or(start, |t| t.end);
        return Some(Slot {
            date,
            hour,
            minute,
            // "10:30am Monday PDT": the zone may follow the day.
            zone: zone_at(text, &c, k + n).or_else(|| zone_at(text, &c, day_end)),
            start,
            end,
        });
    }
    None
}
