//! Recurrence rules (RFC 5545 RRULE) expanded into occurrence start times, bounded.
//!
//! Read: FREQ=DAILY/WEEKLY/MONTHLY/YEARLY with INTERVAL, COUNT, UNTIL, BYDAY (with
//! ordinals for monthly and yearly), BYMONTHDAY, BYMONTH and WKST=MO. Any other part
//! (BYSETPOS, BYHOUR, BYWEEKNO, …) or frequency makes the rule [`Rule::unread`]: the
//! caller keeps the first occurrence only, since guessing would put meetings that do not
//! exist on a timeline, and a thank-you after one.
//!
//! It must never loop without bound: at most [`MAX_PERIODS`] periods and
//! [`MAX_OCCURRENCES`] occurrences per rule. It reads no clock; the horizon is passed in.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::{Timestamp, ToSpan};

/// Most periods (days, weeks, months, years) walked for one rule.
pub const MAX_PERIODS: i64 = 20_000;
/// Most occurrences produced for one rule.
pub const MAX_OCCURRENCES: usize = 2_000;

/// How often a rule repeats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Freq {
    /// Every INTERVAL days.
    Daily,
    /// Every INTERVAL weeks.
    Weekly,
    /// Every INTERVAL months.
    Monthly,
    /// Every INTERVAL years.
    Yearly,
}

/// A recurrence rule as far as rapport reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// FREQ.
    pub freq: Freq,
    /// INTERVAL (at least 1).
    pub interval: i64,
    /// COUNT: how many occurrences in all, the first included.
    pub count: Option<usize>,
    /// UNTIL as written (a date, or a date-time, `Z` or local).
    pub until: Option<String>,
    /// BYDAY: (ordinal, 0 for every such day; weekday).
    pub by_day: Vec<(i8, Weekday)>,
    /// BYMONTHDAY (negative counts from the month's end).
    pub by_month_day: Vec<i8>,
    /// BYMONTH.
    pub by_month: Vec<i8>,
    /// The first part rapport does not read, when there is one.
    pub unread: Option<String>,
}

fn weekday(s: &str) -> Option<Weekday> {
    Some(match s {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn by_day(v: &str) -> Option<Vec<(i8, Weekday)>> {
    v.split(',')
        .map(|d| {
            let d = d.trim();
            let split = d.len().checked_sub(2)?;
            let (ord, day) = (d.get(..split)?, d.get(split..)?);
            let ord: i8 = if ord.is_empty() {
                0
            } else {
                ord.trim_start_matches('+').parse().ok()?
            };
            (-53..=53).contains(&ord).then_some(())?;
            Some((ord, weekday(day)?))
        })
        .collect()
}

fn numbers(v: &str, range: std::ops::RangeInclusive<i8>) -> Option<Vec<i8>> {
    v.split(',')
        .map(|n| {
            n.trim()
                .trim_start_matches('+')
                .parse::<i8>()
                .ok()
                .filter(|n| *n != 0 && range.contains(n))
        })
        .collect()
}

/// Reads an RRULE value; `None` when it names no frequency at all.
pub fn parse_rule(value: &str) -> Option<Rule> {
    let mut rule = Rule {
        freq: Freq::Daily,
        interval: 1,
        count: None,
        until: None,
        by_day: Vec::new(),
        by_month_day: Vec::new(),
        by_month: Vec::new(),
        unread: None,
    };
    let mut freq = None;
    for part in value.trim().split(';').filter(|p| !p.trim().is_empty()) {
        let (k, v) = part.split_once('=').unwrap_or((part, ""));
        let (k, v) = (k.trim().to_ascii_uppercase(), v.trim().to_ascii_uppercase());
        let ok = match k.as_str() {
            "FREQ" => {
                freq = Some(v.clone());
                true
            }
            "INTERVAL" => v
                .parse::<i64>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .map(|n| rule.interval = n)
                .is_some(),
            "COUNT" => v
                .parse::<usize>()
                .ok()
                .map(|n| rule.count = Some(n))
                .is_some(),
            "UNTIL" => {
                rule.until = Some(v.clone());
                true
            }
            "BYDAY" => by_day(&v).map(|d| rule.by_day = d).is_some(),
            "BYMONTHDAY" => numbers(&v, -31..=31)
                .map(|d| rule.by_month_day = d)
                .is_some(),
            "BYMONTH" => numbers(&v, 1..=12).map(|m| rule.by_month = m).is_some(),
            "WKST" => v == "MO",
            _ => false,
        };
        if !ok && rule.unread.is_none() {
            rule.unread = Some(part.trim().to_string());
        }
    }
    let freq = freq?;
    rule.freq = match freq.as_str() {
        "DAILY" => Freq::Daily,
        "WEEKLY" => Freq::Weekly,
        "MONTHLY" => Freq::Monthly,
        "YEARLY" => Freq::Yearly,
        _ => {
            rule.unread.get_or_insert(format!("FREQ={freq}"));
            Freq::Daily
        }
    };
    let ordinal_in_week = rule.by_day.iter().any(|(o, _)| *o != 0);
    let yearly_weeks =
        rule.freq == Freq::Yearly && !rule.by_day.is_empty() && rule.by_month.is_empty();
    if (ordinal_in_week && matches!(rule.freq, Freq::Daily | Freq::Weekly)) || yearly_weeks {
        rule.unread
            .get_or_insert_with(|| "BYDAY in this frequency".to_string());
    }
    Some(rule)
}

/// The day `md` of a month (negative from its end), if the month has it.
fn month_day(first: Date, md: i8) -> Option<Date> {
    let len = first.days_in_month();
    let day = if md > 0 { md } else { len + md + 1 };
    (1..=len)
        .contains(&day)
        .then(|| first.with().day(day).build().ok())?
}

/// The days of one month that a monthly or yearly rule picks.
fn days_in_month(first: Date, rule: &Rule, default_day: i8) -> Vec<Date> {
    let mut out: Vec<Date> = Vec::new();
    if !rule.by_day.is_empty() {
        for (ord, wd) in &rule.by_day {
            if *ord != 0 {
                out.extend(first.nth_weekday_of_month(*ord, *wd).ok());
                continue;
            }
            out.extend(
                (1..=first.days_in_month())
                    .filter_map(|d| month_day(first, d))
                    .filter(|d| d.weekday() == *wd),
            );
        }
        if !rule.by_month_day.is_empty() {
            out.retain(|d| {
                rule.by_month_day
                    .iter()
                    .any(|md| month_day(first, *md) == Some(*d))
            });
        }
    } else if !rule.by_month_day.is_empty() {
        out.extend(
            rule.by_month_day
                .iter()
                .filter_map(|md| month_day(first, *md)),
        );
    } else {
        out.extend(month_day(first, default_day));
    }
    out
}

/// The candidate days of period `n` (the n-th day, week, month or year of the rule).
fn period_days(start: Date, rule: &Rule, n: i64) -> Option<Vec<Date>> {
    let step = n.checked_mul(rule.interval)?;
    let mut days = match rule.freq {
        Freq::Daily => {
            let d = start.checked_add(step.days()).ok()?;
            let day_ok =
                rule.by_day.is_empty() || rule.by_day.iter().any(|(_, w)| *w == d.weekday());
            let md_ok = rule.by_month_day.is_empty()
                || rule
                    .by_month_day
                    .iter()
                    .any(|md| month_day(d.first_of_month(), *md) == Some(d));
            if day_ok && md_ok { vec![d] } else { Vec::new() }
        }
        Freq::Weekly => {
            let monday = start
                .checked_sub(i64::from(start.weekday().to_monday_zero_offset()).days())
                .ok()?
                .checked_add((step * 7).days())
                .ok()?;
            let wanted: Vec<Weekday> = if rule.by_day.is_empty() {
                vec![start.weekday()]
            } else {
                rule.by_day.iter().map(|(_, w)| *w).collect()
            };
            (0..7)
                .filter_map(|i| monday.checked_add(i.days()).ok())
                .filter(|d| wanted.contains(&d.weekday()))
                .collect()
        }
        Freq::Monthly => {
            let first = start.first_of_month().checked_add(step.months()).ok()?;
            days_in_month(first, rule, start.day())
        }
        Freq::Yearly => {
            let year = i16::try_from(i64::from(start.year()).checked_add(step)?).ok()?;
            let months = if rule.by_month.is_empty() {
                vec![start.month()]
            } else {
                rule.by_month.clone()
            };
            months
                .into_iter()
                .filter_map(|m| Date::new(year, m, 1).ok())
                .flat_map(|first| days_in_month(first, rule, start.day()))
                .collect()
        }
    };
    if !rule.by_month.is_empty() && rule.freq != Freq::Yearly {
        days.retain(|d| rule.by_month.contains(&d.month()));
    }
    days.sort();
    days.dedup();
    Some(days)
}

/// The occurrence starts of a rule from `start` (the first one, always included) up to
/// `horizon` and `until`, as local (or UTC) wall times; `to_ts` places a wall time on
/// the timeline. A rule [`Rule::unread`] gives the first occurrence only.
pub fn expand(
    start: DateTime,
    rule: &Rule,
    until: Option<Timestamp>,
    horizon: Timestamp,
    to_ts: &dyn Fn(DateTime) -> Option<Timestamp>,
) -> Vec<DateTime> {
    let mut out = vec![start];
    if rule.unread.is_some() {
        return out;
    }
    let limit = rule.count.unwrap_or(MAX_OCCURRENCES).min(MAX_OCCURRENCES);
    for n in 0..MAX_PERIODS {
        let Some(days) = period_days(start.date(), rule, n) else {
            break;
        };
        for day in days {
            let at = day.to_datetime(start.time());
            if at <= start {
                continue;
            }
            if out.len() >= limit {
                return out;
            }
            let Some(ts) = to_ts(at) else { continue };
            if ts > horizon || until.is_some_and(|u| ts > u) {
                return out;
            }
            out.push(at);
        }
    }
    out
}

#[cfg(test)]
mod tests;
