//! Dates and times written in prose: "December 3", "3rd of Dec 2026",
//! "2026-12-03", "12/3", "Tuesday the 3rd", "four weeks out", "next month",
//! "in January", "after the holidays", and meeting times such as
//! "Tuesday, December 3, 2026 10:00am - 10:25am (Europe/Berlin)".
//!
//! Every relative or year-less date is resolved against a reference date
//! passed in (the message date, else `now`): the next such date on or after
//! it. No clock is read here.

use jiff::civil::{Date, Time, Weekday};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Word(String),
    Num { value: u32, digits: usize },
    Ord(u32),
    Punct(char),
    Newline,
}

#[derive(Debug, Clone)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// Most characters tokenised.
const MAX_CHARS: usize = 64 * 1024;

fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut count = 0usize;
    while let Some((i, c)) = it.next() {
        count += 1;
        if count > MAX_CHARS {
            break;
        }
        if c == '\n' {
            out.push(Token {
                tok: Tok::Newline,
                start: i,
                end: i + 1,
            });
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            let mut end = i + c.len_utf8();
            let mut s = String::from(c);
            while let Some(&(j, d)) = it.peek() {
                if d.is_ascii_digit() && s.len() < 9 {
                    s.push(d);
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            let value: u32 = s.parse().unwrap_or(u32::MAX);
            // Ordinal suffix directly attached: 3rd, 1st, 22nd, 5th.
            let mut suffix = String::new();
            let mut probe = it.clone();
            while let Some(&(_, d)) = probe.peek() {
                if d.is_alphabetic() && suffix.len() < 3 {
                    suffix.push(d.to_ascii_lowercase());
                    probe.next();
                } else {
                    break;
                }
            }
            let next_is_alpha = probe.peek().is_some_and(|&(_, d)| d.is_alphabetic());
            if matches!(
                suffix.as_str(),
                "st" | "nd" | "rd" | "th" | "er" | "º" | "o"
            ) && !next_is_alpha
            {
                for _ in 0..2 {
                    if let Some((j, d)) = it.next() {
                        end = j + d.len_utf8();
                    }
                }
                out.push(Token {
                    tok: Tok::Ord(value),
                    start: i,
                    end,
                });
            } else {
                out.push(Token {
                    tok: Tok::Num {
                        value,
                        digits: s.len(),
                    },
                    start: i,
                    end,
                });
            }
            continue;
        }
        if c.is_alphabetic() {
            let mut end = i + c.len_utf8();
            let mut s: String = c.to_lowercase().collect();
            while let Some(&(j, d)) = it.peek() {
                if d.is_alphabetic() || d == '\'' || d == '\u{2019}' {
                    s.extend(d.to_lowercase());
                    end = j + d.len_utf8();
                    it.next();
                } else {
                    break;
                }
            }
            out.push(Token {
                tok: Tok::Word(s),
                start: i,
                end,
            });
            continue;
        }
        let c = match c {
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        };
        out.push(Token {
            tok: Tok::Punct(c),
            start: i,
            end: i + c.len_utf8(),
        });
    }
    out
}

fn month_of(w: &str) -> Option<i8> {
    let w = w.trim_end_matches('.');
    Some(match w {
        "january" | "jan" | "januar" | "jänner" | "janvier" | "enero" | "gennaio" => 1,
        "february" | "feb" | "februar" | "février" | "fevrier" | "febrero" | "febbraio" => 2,
        "march" | "mar" | "märz" | "mars" | "marzo" => 3,
        "april" | "apr" | "avril" | "abril" | "aprile" => 4,
        "may" | "mai" | "mayo" | "maggio" => 5,
        "june" | "jun" | "juni" | "juin" | "junio" | "giugno" => 6,
        "july" | "jul" | "juli" | "juillet" | "julio" | "luglio" => 7,
        "august" | "aug" | "août" | "aout" | "agosto" => 8,
        "september" | "sep" | "sept" | "septembre" | "septiembre" | "settembre" => 9,
        "october" | "oct" | "oktober" | "okt" | "octobre" | "octubre" | "ottobre" => 10,
        "november" | "nov" | "novembre" | "noviembre" => 11,
        "december" | "dec" | "dezember" | "dez" | "décembre" | "decembre" | "diciembre"
        | "dicembre" => 12,
        _ => return None,
    })
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" | "mon" | "montag" | "lundi" | "lunes" => Weekday::Monday,
        "tuesday" | "tue" | "tues" | "dienstag" | "mardi" | "martes" => Weekday::Tuesday,
        "wednesday" | "wed" | "mittwoch" | "mercredi" | "miércoles" => Weekday::Wednesday,
        "thursday" | "thu" | "thur" | "thurs" | "donnerstag" | "jeudi" | "jueves" => {
            Weekday::Thursday
        }
        "friday" | "fri" | "freitag" | "vendredi" | "viernes" => Weekday::Friday,
        "saturday" | "samstag" | "samedi" | "sábado" => Weekday::Saturday,
        "sunday" | "sonntag" | "dimanche" | "domingo" => Weekday::Sunday,
        _ => return None,
    })
}

fn number_word(w: &str) -> Option<i64> {
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" | "couple" => 2,
        "three" | "few" | "several" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" => 12,
        _ => return None,
    })
}

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

struct Cursor<'a> {
    toks: &'a [Token],
}

impl<'a> Cursor<'a> {
    fn word(&self, i: usize) -> Option<&'a str> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    fn num(&self, i: usize) -> Option<(u32, usize)> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Num { value, digits }) => Some((*value, *digits)),
            _ => None,
        }
    }
    fn day_number(&self, i: usize) -> Option<u32> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Num { value, digits }) if *digits <= 2 && (1..=31).contains(value) => {
                Some(*value)
            }
            Some(Tok::Ord(v)) if (1..=31).contains(v) => Some(*v),
            _ => None,
        }
    }
    fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Punct(c)) => Some(*c),
            _ => None,
        }
    }
    fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }
    fn year(&self, i: usize) -> Option<i16> {
        match self.num(i) {
            Some((v, 4)) if (1900..=2200).contains(&v) => i16::try_from(v).ok(),
            _ => None,
        }
    }
}

/// The next date on or after `r` with this month and day.
fn next_month_day(r: Date, month: i8, day: i8) -> Option<Date> {
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
fn next_weekday(r: Date, wd: Weekday) -> Option<Date> {
    let mut d = r.tomorrow().ok()?;
    for _ in 0..7 {
        if d.weekday() == wd {
            return Some(d);
        }
        d = d.tomorrow().ok()?;
    }
    None
}

/// The first day of the next month named `month` on or after `r` (if `r` is
/// inside that month already, next year's).
fn next_month_start(r: Date, month: i8) -> Option<Date> {
    for y in r.year()..=r.year().saturating_add(1) {
        if let Ok(d) = Date::new(y, month, 1)
            && d >= r
        {
            return Some(d);
        }
    }
    None
}

/// "the 3rd", optionally with a weekday: the next date on or after `r` that
/// is that day of a month and that weekday, looking at the next three such
/// days of the month; otherwise the next such day of the month.
fn next_day_of_month(r: Date, day: i8, wd: Option<Weekday>) -> Option<Date> {
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
fn numeric_date(r: Date, a: u32, b: u32, year: Option<i16>, day_first_only: bool) -> Option<Date> {
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

fn two_digit_year(v: u32, digits: usize) -> Option<i16> {
    match digits {
        4 if (1900..=2200).contains(&v) => i16::try_from(v).ok(),
        2 => i16::try_from(2000 + v).ok(),
        _ => None,
    }
}

/// Tries to read a date starting at token `i`. Returns the date, the tokens
/// used and how specific it is.
fn date_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    // ISO 2026-12-03
    if let Some(y) = c.year(i)
        && c.punct(i + 1) == Some('-')
        && c.punct(i + 3) == Some('-')
    {
        let m = c.num(i + 2)?.0;
        let d = c.num(i + 4)?.0;
        let date = Date::new(y, i8::try_from(m).ok()?, i8::try_from(d).ok()?).ok()?;
        return Some((date, 5, Specificity::Exact));
    }
    let mut j = i;
    // Optional weekday prefix ("Monday, December 1", "Tuesday the 3rd").
    let wd = c.word(j).and_then(weekday_of);
    if wd.is_some() {
        j += 1;
        if c.punct(j) == Some(',') || c.punct(j) == Some('.') {
            j += 1;
        }
    }
    // Month Day [, Year]
    if let Some(m) = c.word(j).and_then(month_of) {
        let mut k = j + 1;
        if c.punct(k) == Some('.') {
            k += 1;
        }
        if let Some(d) = c.day_number(k) {
            k += 1;
            // Not a time: "Dec 3, 10:00" is fine, "May 10:00" is not a day.
            if c.punct(k) == Some(':') {
                return None;
            }
            let mut year = None;
            let mut used = k;
            let mut y = k;
            if c.punct(y) == Some(',') {
                y += 1;
            }
            if let Some(yy) = c.year(y) {
                year = Some(yy);
                used = y + 1;
            }
            let date = match year {
                Some(yy) => Date::new(yy, m, i8::try_from(d).ok()?).ok()?,
                None => next_month_day(r, m, i8::try_from(d).ok()?)?,
            };
            return Some((date, used - i, Specificity::Exact));
        }
        return None;
    }
    // [the] Day [.] [of] Month [Year]
    let mut k = j;
    if c.is_word(k, "the") {
        k += 1;
    }
    if let Some(d) = c.day_number(k) {
        let day_tok = k;
        k += 1;
        if c.punct(k) == Some('.') {
            k += 1;
        }
        if c.is_word(k, "of") {
            k += 1;
        }
        if let Some(m) = c.word(k).and_then(month_of) {
            k += 1;
            let mut used = k;
            let mut y = k;
            if c.punct(y) == Some(',') {
                y += 1;
            }
            let year = c.year(y);
            if year.is_some() {
                used = y + 1;
            }
            let date = match year {
                Some(yy) => Date::new(yy, m, i8::try_from(d).ok()?).ok()?,
                None => next_month_day(r, m, i8::try_from(d).ok()?)?,
            };
            return Some((date, used - i, Specificity::Exact));
        }
        // Numeric 12/3, 3.12.2026, 05/01/2010
        if let (Some((a, ad)), Some(sep)) = (c.num(day_tok), c.punct(day_tok + 1))
            && (sep == '/' || sep == '.')
            && ad <= 2
            && let Some((b, bd)) = c.num(day_tok + 2)
            && bd <= 2
        {
            let mut used = day_tok + 3;
            let mut year = None;
            if c.punct(day_tok + 3) == Some(sep)
                && let Some((yv, yd)) = c.num(day_tok + 4)
            {
                year = two_digit_year(yv, yd);
                if year.is_some() {
                    used = day_tok + 5;
                }
            }
            // A dot date needs a year or its closing dot ("30.06.", the
            // German way); "1.5" alone may be a version.
            if sep == '.' && year.is_none() {
                if c.punct(day_tok + 3) != Some('.') {
                    return None;
                }
                used = day_tok + 4;
            }
            let date = numeric_date(r, a, b, year, sep == '.')?;
            return Some((date, used - i, Specificity::Exact));
        }
        // "the 3rd", "Tuesday the 3rd"
        if c.is_word(j, "the") && matches!(c.toks.get(day_tok).map(|t| &t.tok), Some(Tok::Ord(_))) {
            let date = next_day_of_month(r, i8::try_from(d).ok()?, wd)?;
            return Some((date, day_tok + 1 - i, Specificity::Exact));
        }
        return None;
    }
    if let Some(w) = wd {
        return Some((next_weekday(r, w)?, j - i, Specificity::Weekday));
    }
    None
}

/// Relative phrases starting at token `i`.
fn relative_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    let w = c.word(i)?;
    let unit_days = |u: &str| -> Option<(i64, bool)> {
        match u {
            "day" | "days" => Some((1, false)),
            "week" | "weeks" => Some((7, false)),
            "month" | "months" => Some((0, true)),
            _ => None,
        }
    };
    let count_at = |k: usize| -> Option<(i64, usize)> {
        if let Some((v, _)) = c.num(k) {
            return (v <= 60).then_some((i64::from(v), 1));
        }
        let w = c.word(k)?;
        if w == "a" && c.is_word(k + 1, "couple") {
            let extra = if c.is_word(k + 2, "of") { 3 } else { 2 };
            return Some((2, extra));
        }
        if w == "a" && c.is_word(k + 1, "few") {
            return Some((3, 2));
        }
        number_word(w).map(|n| (n, 1))
    };
    let add = |n: i64, days: i64, months: bool| -> Option<Date> {
        if months {
            r.checked_add(n.months()).ok()
        } else {
            r.checked_add((n * days).days()).ok()
        }
    };
    match w {
        // "in four weeks", "in a few weeks", "in 2 months"
        "in" => {
            let (n, used) = count_at(i + 1)?;
            let (days, months) = unit_days(c.word(i + 1 + used)?)?;
            return Some((add(n, days, months)?, used + 2, Specificity::Relative));
        }
        "next" => {
            let unit = c.word(i + 1)?;
            let d = match unit {
                "week" => next_weekday(r, Weekday::Monday)?,
                "month" => r.first_of_month().checked_add(1.month()).ok()?,
                "year" => Date::new(r.year().checked_add(1)?, 1, 1).ok()?,
                "quarter" => {
                    let q_start_month = ((r.month() - 1) / 3) * 3 + 1;
                    Date::new(r.year(), q_start_month, 1)
                        .ok()?
                        .checked_add(3.months())
                        .ok()?
                }
                _ => {
                    if let Some(m) = month_of(unit) {
                        return Some((next_month_start(r, m)?, 2, Specificity::MonthOnly));
                    }
                    return None;
                }
            };
            return Some((d, 2, Specificity::Relative));
        }
        "tomorrow" => return Some((r.tomorrow().ok()?, 1, Specificity::Relative)),
        "after" => {
            // after the holidays / christmas / new year
            let k = if c.is_word(i + 1, "the") {
                i + 2
            } else {
                i + 1
            };
            if matches!(
                c.word(k),
                Some("holidays" | "holiday" | "christmas" | "xmas")
            ) || (c.is_word(k, "new") && c.is_word(k + 1, "year"))
            {
                return Some((next_month_day(r, 1, 5)?, k + 1 - i, Specificity::Relative));
            }
            // after January → February 1
            if let Some(m) = c.word(k).and_then(month_of)
                && c.day_number(k + 1).is_none()
            {
                let start = next_month_start(r, m)?;
                return Some((
                    start.checked_add(1.month()).ok()?,
                    k + 1 - i,
                    Specificity::MonthOnly,
                ));
            }
            return None;
        }
        _ => {}
    }
    // "four weeks out", "2 weeks from now"
    if let Some((n, used)) = count_at(i)
        && let Some((days, months)) = c.word(i + used).and_then(unit_days)
    {
        let tail = c.word(i + used + 1);
        let from_now = tail == Some("from") && c.is_word(i + used + 2, "now");
        if tail == Some("out") || tail == Some("later") || from_now {
            let used_all = used + if from_now { 3 } else { 2 };
            return Some((add(n, days, months)?, used_all, Specificity::Relative));
        }
    }
    None
}

/// Month names after a preposition: "in January", "until March", "early
/// February", "mid-May", "end of June".
fn month_phrase_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    let w = c.word(i)?;
    let (skip, day): (usize, i8) = match w {
        "in" | "until" | "till" | "by" | "around" | "early" | "during" | "im" => (1, 1),
        "mid" => (if c.punct(i + 1) == Some('-') { 2 } else { 1 }, 15),
        "late" => (1, 20),
        "end" if c.is_word(i + 1, "of") => (2, 28),
        _ => return None,
    };
    let m = c.word(i + skip).and_then(month_of)?;
    if c.day_number(i + skip + 1).is_some() {
        return None; // a full date, read elsewhere
    }
    let start = next_month_start(r, m)?;
    let date = Date::new(start.year(), start.month(), day).ok()?;
    Some((date, skip + 1, Specificity::MonthOnly))
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

/// The most specific date in the text (the first among equals).
pub(crate) fn best_date(text: &str, r: Date) -> Option<Found> {
    let found = find_dates(text, r);
    let best = found.iter().map(|f| f.specificity).max()?;
    found.into_iter().find(|f| f.specificity == best)
}

/// Words after which an out-of-office names the day the person is back; such
/// a day wins over an "until" ("until Friday 1 January, back on Monday 4").
const BACK_TRIGGERS: &[&str] = &[
    "back",
    "return",
    "returning",
    "returns",
    "zurück",
    "wieder",
    "retour",
    "vuelta",
    "regreso",
    "terug",
    "rientro",
    "regresso",
    "tillbaka",
    "tilbage",
    "tilbake",
];

/// Words after which an out-of-office states until when the person is away.
/// By the convention of the fixtures, "until X" names X as the day back.
const UNTIL_TRIGGERS: &[&str] = &[
    "until", "till", "til", "untill", "through", "thru", "bis", "jusqu'au", "hasta", "fino", "tot",
    "até", "t/m",
];

/// The last word of a range "from X to Y" in many languages: the person is
/// away through Y and back the day after.
const RANGE_ENDS: &[&str] = &[
    "to", "au", "al", "bis", "tot", "till", "til", "até", "-", "–",
];
const RANGE_STARTS: &[&str] = &[
    "from", "du", "del", "vom", "van", "dal", "de", "från", "fra", "desde",
];

/// The date at token `t + 1 ..` (same line), as a `Found`.
fn date_after(text: &str, c: &Cursor<'_>, t: usize, r: Date) -> Option<Found> {
    for i in t + 1..(t + 8).min(c.toks.len()) {
        if matches!(c.toks.get(i).map(|t| &t.tok), Some(Tok::Newline)) {
            break;
        }
        if let Some((date, used, specificity)) = date_at(c, i, r).or_else(|| relative_at(c, i, r)) {
            let start = c.toks.get(i).map_or(0, |t| t.start);
            let end = c.toks.get(i + used.max(1) - 1).map_or(start, |t| t.end);
            return Some(Found {
                date,
                specificity,
                text: text.get(start..end).unwrap_or_default().to_string(),
                offset: start,
            });
        }
    }
    None
}

/// Whether token `t` ends a range that a start word and a date open just before.
fn ends_range(c: &Cursor<'_>, t: usize, r: Date) -> bool {
    (t.saturating_sub(6)..t).any(|p| {
        p > 0
            && c.word(p - 1).is_some_and(|w| RANGE_STARTS.contains(&w))
            && date_at(c, p, r).is_some_and(|(_, used, _)| p + used == t)
    })
}

/// The return date stated in an out-of-office text ("back on Monday,
/// December 1", "until 5 May", "du 1er juillet au 31 août" → 1 September):
/// a named return day wins, then the end of a range (the day after it), then
/// an "until".
pub(crate) fn return_date(text: &str, r: Date) -> Option<Found> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    let word = |t: usize| -> Option<&str> {
        match &toks.get(t)?.tok {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        }
    };
    let trigger_at = |t: usize, list: &[&str]| {
        word(t).is_some_and(|w| list.contains(&w))
            || c.punct(t)
                .is_some_and(|p| list.iter().any(|l| l.chars().eq([p])))
    };
    let back = (0..toks.len())
        .filter(|t| trigger_at(*t, BACK_TRIGGERS))
        .find_map(|t| date_after(text, &c, t, r));
    if back.is_some() {
        return back;
    }
    for t in 0..toks.len() {
        if trigger_at(t, RANGE_ENDS)
            && ends_range(&c, t, r)
            && let Some(mut f) = date_after(text, &c, t, r)
        {
            f.date = f.date.tomorrow().ok()?;
            return Some(f);
        }
        if trigger_at(t, UNTIL_TRIGGERS)
            && let Some(f) = date_after(text, &c, t, r)
        {
            return Some(f);
        }
    }
    None
}

/// A clock time at token `i`: "10:00", "10.30", "10am", "10:00 a.m.".
fn time_at(c: &Cursor<'_>, i: usize) -> Option<(u32, u32, Option<bool>, usize)> {
    let (h, hd) = c.num(i)?;
    if hd > 2 || h > 24 {
        return None;
    }
    let mut k = i + 1;
    let mut minute = 0;
    let mut has_minutes = false;
    if matches!(c.punct(k), Some(':') | Some('.'))
        && let Some((m, 2)) = c.num(k + 1)
        && m < 60
    {
        minute = m;
        has_minutes = true;
        k += 2;
    }
    let mut pm = None;
    match c.word(k) {
        Some("am") => {
            pm = Some(false);
            k += 1;
        }
        Some("pm") => {
            pm = Some(true);
            k += 1;
        }
        Some("a") | Some("p") if c.punct(k + 1) == Some('.') && c.is_word(k + 2, "m") => {
            pm = Some(c.is_word(k, "p"));
            k += 3;
            if c.punct(k) == Some('.') {
                k += 1;
            }
        }
        Some("uhr") | Some("h") => k += 1,
        _ => {}
    }
    if !has_minutes && pm.is_none() {
        return None;
    }
    if pm.is_some() && h > 12 {
        return None;
    }
    Some((h, minute, pm, k - i))
}

fn to_24h(h: u32, pm: Option<bool>) -> u32 {
    match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    }
}

/// A meeting time stated in text: a date with a start time, an optional end
/// time and an optional zone in parentheses or after the times.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatedTime {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub how: String,
}

pub(crate) fn meeting_time(text: &str, r: Date, default_tz: &TimeZone) -> Option<StatedTime> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    let mut i = 0;
    while i < toks.len() {
        let Some((date, used, Specificity::Exact)) = date_at(&c, i, r) else {
            i += 1;
            continue;
        };
        // Look for a time after the date (same or next lines), else before.
        let after = (i + used..(i + used + 24).min(toks.len()))
            .find_map(|k| time_at(&c, k).map(|t| (k, t)));
        let before = || (i.saturating_sub(24)..i).find_map(|k| time_at(&c, k).map(|t| (k, t)));
        let Some((k, (h, m, pm, tused))) = after.or_else(before) else {
            i += used;
            continue;
        };
        // Range end.
        let mut e = k + tused;
        let mut end_time = None;
        let sep = c.punct(e) == Some('-')
            || c.is_word(e, "to")
            || c.is_word(e, "bis")
            || c.is_word(e, "until");
        if sep && let Some((h2, m2, pm2, used2)) = time_at(&c, e + 1) {
            end_time = Some((h2, m2, pm2));
            e = e + 1 + used2;
        }
        // AM/PM inheritance: "10:00 - 10:25am".
        let mut start_pm = pm;
        if start_pm.is_none()
            && let Some((h2, _, Some(p2))) = end_time
        {
            let cand = to_24h(h, Some(p2));
            start_pm = Some(if cand > to_24h(h2, Some(p2)) {
                false
            } else {
                p2
            });
        }
        let sh = to_24h(h, start_pm);
        // Zone: "(Europe/Berlin)" or the rest of the line.
        let (tz, zone_how) = zone_after(text, &c, e).unwrap_or_else(|| {
            (
                default_tz.clone(),
                "no zone stated, read in the default zone".to_string(),
            )
        });
        let start_time =
            Time::new(i8::try_from(sh.min(23)).ok()?, i8::try_from(m).ok()?, 0, 0).ok()?;
        let start = tz.to_timestamp(date.to_datetime(start_time)).ok()?;
        let end = end_time.and_then(|(h2, m2, p2)| {
            let eh = to_24h(h2, p2.or(start_pm));
            let t = Time::new(i8::try_from(eh.min(23)).ok()?, i8::try_from(m2).ok()?, 0, 0).ok()?;
            let mut end = tz.to_timestamp(date.to_datetime(t)).ok()?;
            if end < start {
                end = end.checked_add(24.hours()).ok()?;
            }
            Some(end)
        });
        return Some(StatedTime {
            start,
            end,
            how: zone_how,
        });
    }
    None
}

fn zone_after(text: &str, c: &Cursor<'_>, k: usize) -> Option<(TimeZone, String)> {
    let tok = c.toks.get(k)?;
    if matches!(tok.tok, Tok::Newline) {
        return None;
    }
    let rest = text.get(tok.start..)?;
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')')?;
        return super::tz::resolve_label(inner.get(..close)?);
    }
    let line = rest.lines().next().unwrap_or("");
    let line: String = line.chars().take(80).collect();
    let line = line.split(['|', '\u{2022}']).next().unwrap_or("");
    super::tz::resolve_label(line.trim().trim_end_matches(['.', ',']))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn best(text: &str, r: Date) -> Option<Date> {
        best_date(text, r).map(|f| f.date)
    }

    #[test]
    fn absolute_dates() {
        let r = date(2026, 11, 22);
        assert_eq!(best("December 3", r), Some(date(2026, 12, 3)));
        assert_eq!(best("on 3 December please", r), Some(date(2026, 12, 3)));
        assert_eq!(best("the 3rd of Dec", r), Some(date(2026, 12, 3)));
        assert_eq!(best("2026-12-03", r), Some(date(2026, 12, 3)));
        assert_eq!(best("how about 12/3?", r), Some(date(2026, 12, 3)));
        assert_eq!(best("am 3.12.2026", r), Some(date(2026, 12, 3)));
        assert_eq!(best("bis 5. Mai", r), Some(date(2027, 5, 5)));
        // A past month/day rolls to next year.
        assert_eq!(best("March 1", r), Some(date(2027, 3, 1)));
        assert_eq!(best("Monday, December 1, 2025", r), Some(date(2025, 12, 1)));
    }

    #[test]
    fn ambiguous_numeric_dates_pick_the_nearest_future_reading() {
        // Lotus "returning 05/01/2010" sent on 4 Jan 2010 means 5 January.
        assert_eq!(
            best("returning 05/01/2010", date(2010, 1, 4)),
            Some(date(2010, 1, 5))
        );
        // AOL "away until 05/07/2010" sent 5 July 2010 means 5 July.
        assert_eq!(
            best("until 05/07/2010", date(2010, 7, 5)),
            Some(date(2010, 7, 5))
        );
    }

    #[test]
    fn day_of_month_with_weekday() {
        // 2026-11-03 is a Tuesday.
        assert_eq!(
            best("I can do Tuesday the 3rd", date(2026, 10, 6)),
            Some(date(2026, 11, 3))
        );
        // From 2026-11-22 the next 3rds are Thu Dec 3, Sun Jan 3, Wed Feb 3:
        // none is a Tuesday, so the next 3rd.
        assert_eq!(
            best("Tuesday the 3rd", date(2026, 11, 22)),
            Some(date(2026, 12, 3))
        );
        assert_eq!(
            best("on the 3rd", date(2026, 11, 22)),
            Some(date(2026, 12, 3))
        );
    }

    #[test]
    fn relative_phrases() {
        let r = date(2026, 11, 22); // a Sunday
        assert_eq!(
            best("how about four weeks out?", r),
            Some(date(2026, 12, 20))
        );
        assert_eq!(best("in 2 weeks", r), Some(date(2026, 12, 6)));
        assert_eq!(best("in a few weeks", r), Some(date(2026, 12, 13)));
        assert_eq!(best("in a couple of weeks", r), Some(date(2026, 12, 6)));
        assert_eq!(best("next month", r), Some(date(2026, 12, 1)));
        assert_eq!(best("next week", r), Some(date(2026, 11, 23)));
        assert_eq!(best("ping me in January", r), Some(date(2027, 1, 1)));
        assert_eq!(best("after the holidays", r), Some(date(2027, 1, 5)));
        assert_eq!(
            best("after the holidays", date(2027, 1, 2)),
            Some(date(2027, 1, 5))
        );
        assert_eq!(best("next Tuesday", r), Some(date(2026, 11, 24)));
        assert_eq!(best("mid-January", r), Some(date(2027, 1, 15)));
        assert_eq!(best("not in the next three weeks", r), None);
    }

    #[test]
    fn specific_beats_relative() {
        let r = date(2026, 10, 6);
        let f = best_date(
            "Not in the next three weeks, but how about four weeks out? I can do Tuesday the 3rd",
            r,
        );
        assert_eq!(
            f.map(|f| (f.date, f.specificity)),
            Some((date(2026, 11, 3), Specificity::Exact))
        );
    }

    #[test]
    fn return_dates_in_out_of_office_text() {
        let r = date(2026, 11, 20);
        assert_eq!(
            return_date("I'm out until December 1", r).map(|f| f.date),
            Some(date(2026, 12, 1))
        );
        assert_eq!(
            return_date("back on Monday, December 1", r).map(|f| f.date),
            Some(date(2026, 12, 1))
        );
        assert_eq!(
            return_date("returning 2026-12-01", r).map(|f| f.date),
            Some(date(2026, 12, 1))
        );
        assert_eq!(
            return_date("Away until May 5", date(2005, 4, 29)).map(|f| f.date),
            Some(date(2005, 5, 5))
        );
        assert_eq!(
            return_date(
                "I am currently away returning to the office on May 5th.",
                date(2005, 4, 29)
            )
            .map(|f| f.date),
            Some(date(2005, 5, 5))
        );
        assert_eq!(return_date("I am out of the office.", r), None);
    }

    #[test]
    fn meeting_times_with_zones() {
        let utc = TimeZone::UTC;
        let r = date(2026, 11, 22);
        let t = meeting_time(
            "Tuesday, December 3, 2026 10:00am - 10:25am (Europe/Berlin)",
            r,
            &utc,
        )
        .unwrap();
        assert_eq!(t.start.to_string(), "2026-12-03T09:00:00Z");
        assert_eq!(
            t.end.map(|e| e.to_string()).as_deref(),
            Some("2026-12-03T09:25:00Z")
        );
        let t = meeting_time(
            "When: December 3, 2026\n10:00 - 10:25 (Central European Time)",
            r,
            &utc,
        )
        .unwrap();
        assert_eq!(t.start.to_string(), "2026-12-03T09:00:00Z");
        let t = meeting_time(
            "Time: Dec 3, 2026 10:00 AM Amsterdam, Berlin, Rome, Stockholm, Vienna",
            r,
            &utc,
        )
        .unwrap();
        assert_eq!(t.start.to_string(), "2026-12-03T09:00:00Z");
        assert_eq!(t.end, None);
        let t = meeting_time("2:30pm - 3pm (Eastern Time) on December 3, 2026", r, &utc).unwrap();
        assert_eq!(t.start.to_string(), "2026-12-03T19:30:00Z");
        assert_eq!(
            t.end.map(|e| e.to_string()).as_deref(),
            Some("2026-12-03T20:00:00Z")
        );
        assert!(meeting_time("no date here 10:00", r, &utc).is_none());
    }

    #[test]
    fn tokenizer_survives_garbage() {
        let r = date(2026, 11, 22);
        for s in [
            "99999999999999999999",
            "31/31/31",
            "0/0",
            "the 0th",
            "December 99",
            "2026-99-99",
            "in 99999 weeks",
            "\u{2013}\u{2013}",
            "9999-1-1",
        ] {
            let _ = find_dates(s, r);
            let _ = return_date(s, r);
            let _ = meeting_time(s, r, &TimeZone::UTC);
        }
    }
}
