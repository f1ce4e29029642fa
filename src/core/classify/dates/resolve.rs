//! Calendar arithmetic for year-less and relative dates: the next such
//! date on or after the reference date. It must never read a clock.

use super::*;

/// The next date on or after `r` with this month and day.
pub(super) fn next_month_day(r: Date, month: i8, day: i8) -> Option<Date> {
    for y in r.year()..=r.year().saturating_add(8) {
        if let Ok(d) = Date::new(y, month, day)
            && d >= r
        {
            return Some(d);
        }
    }
    None
}

/// The next date strictly after `r` falling on `wd`.
pub(super) fn next_weekday(r: Date, wd: Weekday) -> Option<Date> {
    let mut d = r.tomorrow().ok()?;
    for _ in 0..7 {
        if d.weekday() == wd {
            return Some(d);
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// The first day of the month named `month` that has not ended on `r`: this month's
/// own first day when `r` is inside it ("now in December", said in December, is this
/// December, and "mid-December" its 15th), else the next one's.
pub(super) fn next_month_start(r: Date, month: i8) -> Option<Date> {
    for y in r.year()..=r.year().saturating_add(1) {
        if let Ok(d) = Date::new(y, month, 1)
            && (d >= r || (d.year(), d.month()) == (r.year(), r.month()))
        {
            return Some(d);
        }
    }
    None
}

/// "the 3rd", optionally with a weekday: the next date on or after `r` that
/// is that day of a month and that weekday, looking at the next three such
/// days of the month; otherwise the next such day of the month.
pub(super) fn next_day_of_month(r: Date, day: i8, wd: Option<Weekday>) -> Option<Date> {
    let mut first: Option<Date> = None;
    let mut found = 0;
    let mut month_start = r.first_of_month();
    for _ in 0..24 {
        if let Ok(d) = Date::new(month_start.year(), month_start.month(), day)
            && d >= r
        {
            found += 1;
            if first.is_none() {
                first = Some(d);
            }
            if wd.is_none_or(|w| d.weekday() == w) {
                return Some(d);
            }
            if found >= 3 {
                break;
            }
        }
        month_start = month_start.checked_add(1.month()).ok()?;
    }
    first
}

/// Both readings of an all-numeric a/b[/y] date; the one that lands on or
/// after `r` soonest wins.
pub(super) fn numeric_date(
    r: Date,
    a: u32,
    b: u32,
    year: Option<i16>,
    day_first_only: bool,
) -> Option<Date> {
    let mut cands: Vec<Date> = Vec::new();
    let mut push = |m: u32, d: u32| {
        let (Ok(m), Ok(d)) = (i8::try_from(m), i8::try_from(d)) else {
            return;
        };
        let date = match year {
            Some(y) => Date::new(y, m, d).ok(),
            None => next_month_day(r, m, d),
        };
        if let Some(date) = date {
            cands.push(date);
        }
    };
    if day_first_only {
        push(b, a);
    } else {
        push(a, b);
        push(b, a);
    }
    let after: Option<Date> = cands.iter().copied().filter(|d| *d >= r).min();
    after.or_else(|| cands.iter().copied().max())
}

pub(super) fn two_digit_year(v: u32, digits: usize) -> Option<i16> {
    match digits {
        4 if (1900..=2200).contains(&v) => i16::try_from(v).ok(),
        2 => i16::try_from(2000 + v).ok(),
        _ => None,
    }
}
