//! Reading one date at a token: numeric and written-out dates, relative
//! phrases ("four weeks out", "next month") and month phrases ("mid-January").
//! It must never resolve a date against anything but the reference passed in.

use super::*;

/// Tries to read a date starting at token `i`. Returns the date, the tokens
/// used and how specific it is.
pub(super) fn date_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
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
    if let Some(m) = c.word(j).and_then(month_of) {
        return month_day_at(c, i, j + 1, m, r);
    }
    // "Tuesday the 3rd", "mandag den 4. januar", "Montag, den 4.", "mardi le 5".
    let article = [
        "the", "den", "dem", "der", "le", "el", "il", "dia", "día", "giorno", "du", "dal",
    ]
    .iter()
    .any(|a| c.is_word(j, a));
    let k = if article { j + 1 } else { j };
    if let Some(d) = c.day_number(k) {
        return day_month_at(c, i, j, k, d, wd, r);
    }
    if let Some(w) = wd
        && lone_weekday_reads(c, i)
    {
        return Some((next_weekday(r, w)?, j - i, Specificity::Weekday));
    }
    None
}

/// Words before a weekday abbreviation that make it one ("on Mon", "till Thu").
const BEFORE_ABBREVIATION: &[&str] = &[
    "on", "by", "until", "till", "til", "next", "this", "from", "before", "after", "or", "and",
    "every", "back",
];
/// Words after a weekday abbreviation that keep it one ("Mon or Tue", "Fri at 3").
const AFTER_ABBREVIATION: &[&str] = &[
    "or",
    "and",
    "at",
    "morning",
    "afternoon",
    "evening",
    "am",
    "pm",
    "works",
    "is",
];

/// Whether the weekday word at token `i`, with no date after it, names a day.
/// A full name always does; a short abbreviation ("mon", "wed") only where it
/// reads as one (punctuation or a time after it, "on" before it): otherwise
/// it is a word of another language ("dès mon retour", "Mon calendrier").
fn lone_weekday_reads(c: &Cursor<'_>, i: usize) -> bool {
    let Some(w) = c.word(i) else {
        return false;
    };
    if w.chars().count() > 3 {
        return true;
    }
    let before = i
        .checked_sub(1)
        .and_then(|p| c.word(p))
        .is_some_and(|b| BEFORE_ABBREVIATION.contains(&b));
    let after = match c.word(i + 1) {
        Some(a) => AFTER_ABBREVIATION.contains(&a),
        None => true,
    };
    before || after
}

/// Month Day [, Year], the day at token `k` (after the month); the date
/// started at token `i`.
fn month_day_at(
    c: &Cursor<'_>,
    i: usize,
    mut k: usize,
    m: i8,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    if c.punct(k) == Some('.') {
        k += 1;
    }
    let d = c.day_number(k)?;
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
    Some((date, used - i, Specificity::Exact))
}

/// [the] Day [.] [of] Month [Year], a numeric date, or "[Tuesday] the 3rd":
/// the day number `d` at token `day_tok`, after the weekday prefix ending
/// at `j`; the date started at token `i`.
fn day_month_at(
    c: &Cursor<'_>,
    i: usize,
    j: usize,
    day_tok: usize,
    d: u32,
    wd: Option<Weekday>,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    let mut k = day_tok + 1;
    if c.punct(k) == Some('.') {
        k += 1;
    }
    // "3rd of May", "7 de dezembro".
    if c.is_word(k, "of") || c.is_word(k, "de") {
        k += 1;
    }
    if let Some(m) = c.word(k).and_then(month_of) {
        k += 1;
        let mut used = k + pl_tr::turkish_after(c, k);
        let mut y = k;
        if c.punct(y) == Some(',') || (c.is_word(y, "de") && c.year(y + 1).is_some()) {
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
    if let Some(numeric) = numeric_at(c, i, day_tok, r) {
        return numeric;
    }
    if let Some(found) = pl_tr::ordinal_day(c, i, day_tok, d, wd, r) {
        return Some(found);
    }
    // "the 3rd", "Tuesday the 3rd"
    // "no dia 11", "el día 11", "il giorno 11": a bare day after the word for day.
    // "am 25.", "ab dem 25.", "le 11", "el 11", "à partir du 5", "dal 7": an article
    // before a bare day.
    let day_word = [
        "dia", "día", "giorno", "den", "dem", "der", "le", "el", "il", "du", "dal",
    ]
    .iter()
    .any(|w| c.is_word(j, w));
    // "lundi 11", "Montag 11." : a weekday and a bare day, not a time ("Monday 10 am",
    // "lundi 11h", "Tuesday 10:30").
    let time_after = c.word(day_tok + 1).is_some_and(|w| {
        matches!(
            w,
            "am" | "pm"
                | "h"
                | "uhr"
                | "hs"
                | "hrs"
                | "horas"
                | "ore"
                | "uur"
                | "heures"
                | "o'clock"
        )
    }) || (matches!(c.punct(day_tok + 1), Some(':' | '.'))
        && c.num(day_tok + 2).is_some());
    let weekday_day = wd.is_some() && day_tok == j && !time_after;
    if day_word
        || weekday_day
        || (c.is_word(j, "the") && matches!(c.toks.get(day_tok).map(|t| &t.tok), Some(Tok::Ord(_))))
    {
        let date = next_day_of_month(r, i8::try_from(d).ok()?, wd)?;
        return Some((date, day_tok + 1 - i, Specificity::Exact));
    }
    None
}

/// Numeric 12/3, 3.12.2026, 05/01/2010 at token `day_tok`: `None` when the
/// tokens are not of that form, else the reading (itself `None` when the
/// form is there but no date: "1.5" alone may be a version).
fn numeric_at(
    c: &Cursor<'_>,
    i: usize,
    day_tok: usize,
    r: Date,
) -> Option<Option<(Date, usize, Specificity)>> {
    let (Some((a, ad)), Some(sep)) = (c.num(day_tok), c.punct(day_tok + 1)) else {
        return None;
    };
    if !(sep == '/' || sep == '.') || ad > 2 {
        return None;
    }
    let (b, bd) = c.num(day_tok + 2)?;
    if bd > 2 {
        return None;
    }
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
    // A dot date needs a year or its closing dot ("30.06.", the German
    // way); "1.5" alone may be a version.
    if sep == '.' && year.is_none() {
        if c.punct(day_tok + 3) != Some('.') {
            return Some(None);
        }
        used = day_tok + 4;
    }
    Some(numeric_date(r, a, b, year, sep == '.').map(|date| (date, used - i, Specificity::Exact)))
}

/// Relative phrases starting at token `i`.
pub(super) fn relative_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
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
        // "a few weeks" is about three; "a few months" names no date a reader would.
        if w == "a"
            && c.is_word(k + 1, "few")
            && !c.word(k + 2).is_some_and(|u| u.starts_with("month"))
        {
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
        "in" | "im" if new_year_at(c, i, r).is_some() => return new_year_at(c, i, r),
        // "in four weeks", "in a few weeks", "in 2 months"
        "in" => {
            let (n, used) = count_at(i + 1)?;
            let (days, months) = unit_days(c.word(i + 1 + used)?)?;
            return Some((add(n, days, months)?, used + 2, Specificity::Relative));
        }
        "next" => return next_unit_at(c, i, r),
        "tomorrow" => return Some((r.tomorrow().ok()?, 1, Specificity::Relative)),
        // "vecka 2", "KW 3", "week 2", "semaine 4": the Monday of that ISO week,
        // the next one on or after the reference.
        "week" | "vecka" | "veckan" | "uge" | "uke" | "kw" | "kalenderwoche" | "semaine"
        | "semana" | "settimana" | "wk" => return iso_week_at(c, i, r),
        "after" | "nach" | "après" | "despues" | "después" | "dopo" | "depois" | "na" | "efter"
        | "etter" => return after_at(c, i, r),
        "po" => return pl_tr::after_po(c, i, r, from_easter(r, 1)).or_else(|| after_at(c, i, r)),
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

/// "in the new year", "im neuen Jahr" at token `i`: 1 January.
fn new_year_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    let english = c.is_word(i + 1, "the") && c.is_word(i + 2, "new") && c.is_word(i + 3, "year");
    let german = c.is_word(i + 1, "neuen") && c.is_word(i + 2, "jahr");
    let used = match (english, german) {
        (true, _) => 4,
        (_, true) => 3,
        _ => return None,
    };
    Some((next_month_day(r, 1, 1)?, used, Specificity::Relative))
}

/// "vecka 2", "KW 3", "week 2", "semaine 4" at token `i`: the Monday of that ISO week,
/// the next one on or after the reference.
fn iso_week_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    let (n, _) = c.num(i + 1)?;
    let week = i8::try_from(n).ok().filter(|n| (1..=53).contains(n))?;
    let monday = |y: i16| {
        jiff::civil::ISOWeekDate::new(y, week, Weekday::Monday)
            .ok()
            .map(jiff::civil::ISOWeekDate::date)
    };
    let date = [r.year(), r.year().saturating_add(1)]
        .into_iter()
        .filter_map(monday)
        .find(|d| d.checked_add(6.days()).is_ok_and(|end| end >= r))?;
    Some((date, 2, Specificity::Weekday))
}

/// "next week" (Monday), "next month", "next year", "next quarter" (their
/// first day) and "next March" (its first day) at token `i`.
fn next_unit_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
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
    Some((d, 2, Specificity::Relative))
}

/// "after the holidays" (5 January), "after January" (1 February) and
/// "after Q1" (the first day of Q2) at token `i`.
fn after_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    // after the holidays / christmas / new year, in the languages of the lists
    let articles = [
        "the", "den", "dem", "der", "les", "la", "las", "los", "le", "de", "del", "le", "le", "i",
        "as", "os", "o", "a", "das", "dos", "da", "do",
    ];
    let mut k = i + 1;
    while k < i + 3
        && c.word(k)
            .is_some_and(|w| articles.contains(&w) && !is_holiday(w))
    {
        k += 1;
    }
    if let Some((date, used)) = feast_at(c, k, r) {
        return Some((date, k + used - i, Specificity::Relative));
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
    // after Q1 → the first day of Q2
    let (start, used) = quarter_at(c, k, r)?;
    Some((
        start.checked_add(3.months()).ok()?,
        k + used - i,
        Specificity::MonthOnly,
    ))
}

/// A feast or the year-end holidays at token `k` ("Easter", "Carnaval", "Reyes", "New
/// Year", "the holidays"), in the languages of the lists: the first day after it and
/// the tokens read.
fn feast_at(c: &Cursor<'_>, k: usize, r: Date) -> Option<(Date, usize)> {
    // Easter ("after Easter", "nach Ostern", "après Pâques"): the Monday after it.
    if matches!(
        c.word(k),
        Some(
            "easter"
                | "ostern"
                | "pâques"
                | "paques"
                | "pascua"
                | "pasqua"
                | "páscoa"
                | "pasen"
                | "påsk"
                | "påske"
                | "påsken"
        )
    ) {
        return Some((from_easter(r, 1)?, 1));
    }
    // Carnival ("depois do Carnaval", "nach Fasching", "dopo Carnevale"): Ash Wednesday.
    if matches!(
        c.word(k),
        Some(
            "carnaval"
                | "carnival"
                | "karneval"
                | "fasching"
                | "fastnacht"
                | "carnevale"
                | "fastelavn"
                | "fastelavan"
                | "carnestolendas"
        )
    ) {
        return Some((from_easter(r, -46)?, 1));
    }
    // Epiphany ("después de Reyes", "dopo l'Epifania", "nach Dreikönig"): 7 January.
    if matches!(
        c.word(k),
        Some(
            "reyes"
                | "epifania"
                | "epifanía"
                | "l'epifania"
                | "dreikönig"
                | "epiphanie"
                | "l'épiphanie"
                | "trettondagen"
                | "helligtrekonger"
        )
    ) {
        return Some((next_month_day(r, 1, 7)?, 1));
    }
    // New Year itself ("efter nyår", "after New Year", "nach Neujahr"): 2 January.
    let two = |a: &str, b: &str| c.is_word(k, a) && c.is_word(k + 1, b);
    if c.word(k).is_some_and(|w| {
        matches!(
            w,
            "nyår" | "nytår" | "nyttår" | "neujahr" | "nieuwjaar" | "capodanno" | "yılbaşı"
        )
    }) {
        return Some((next_month_day(r, 1, 2)?, 1));
    }
    if two("new", "year") || two("nouvel", "an") || two("año", "nuevo") || two("ano", "novo") {
        return Some((next_month_day(r, 1, 2)?, 2));
    }
    if c.word(k).is_some_and(is_holiday) {
        return Some((next_month_day(r, 1, 5)?, 1));
    }
    None
}

/// The day `offset` days from Easter Sunday (the Gregorian computus; 1 is Easter
/// Monday, -46 Ash Wednesday), in the first year in which it falls on or after `r`.
fn from_easter(r: Date, offset: i64) -> Option<Date> {
    let easter = |y: i16| -> Option<Date> {
        let y32 = i32::from(y);
        let a = y32 % 19;
        let b = y32 / 100;
        let c = y32 % 100;
        let d = b / 4;
        let e = b % 4;
        let f = (b + 8) / 25;
        let g = (b - f + 1) / 3;
        let h = (19 * a + b - d - g + 15) % 30;
        let i = c / 4;
        let k = c % 4;
        let l = (32 + 2 * e + 2 * i - h - k) % 7;
        let m = (a + 11 * h + 22 * l) / 451;
        let month = i8::try_from((h + l - 7 * m + 114) / 31).ok()?;
        let day = i8::try_from((h + l - 7 * m + 114) % 31 + 1).ok()?;
        Date::new(y, month, day).ok()
    };
    [r.year(), r.year().saturating_add(1)]
        .into_iter()
        .filter_map(easter)
        .filter_map(|e| e.checked_add(offset.days()).ok())
        .find(|d| *d >= r)
}

/// Words for the year-end holidays, in the languages of the lists.
fn is_holiday(w: &str) -> bool {
    matches!(
        w,
        "holidays"
            | "holiday"
            | "christmas"
            | "xmas"
            | "feiertagen"
            | "feiertage"
            | "weihnachten"
            | "neujahr"
            | "jahreswechsel"
            | "fêtes"
            | "fetes"
            | "noël"
            | "noel"
            | "fiestas"
            | "navidad"
            | "navidades"
            | "feste"
            | "natale"
            | "festas"
            | "natal"
            | "feestdagen"
            | "kerst"
            | "kerstmis"
            | "helgerna"
            | "jul"
            | "julen"
            | "helligdagene"
            | "helgene"
            | "nyår"
            | "nytår"
            | "nyttår"
    )
}

/// "Q1" … "Q4" at token `k` ("q" and a number, an optional year after it):
/// the first day of that quarter, the next on or after `r`; and the tokens used.
fn quarter_at(c: &Cursor<'_>, k: usize, r: Date) -> Option<(Date, usize)> {
    if !c.is_word(k, "q") {
        return None;
    }
    let (n, _) = c
        .num(k + 1)
        .filter(|(n, d)| (1..=4).contains(n) && *d == 1)?;
    let month = i8::try_from((n - 1) * 3 + 1).ok()?;
    match c.year(k + 2) {
        Some(y) => Some((Date::new(y, month, 1).ok()?, 3)),
        None => Some((next_month_start(r, month)?, 2)),
    }
}

/// The English month words: after "a" they are English ("a March deadline"),
/// not Italian ("a marzo").
const ENGLISH_MONTHS: &[&str] = &[
    "january",
    "jan",
    "february",
    "feb",
    "march",
    "mar",
    "april",
    "apr",
    "may",
    "june",
    "jun",
    "july",
    "jul",
    "august",
    "aug",
    "september",
    "sep",
    "sept",
    "october",
    "oct",
    "november",
    "nov",
    "december",
    "dec",
];

/// The words that lead a month phrase at token `i` (`w` is its word): how many tokens
/// they take and the day of the month they mean ("in" 1, "mid" 15, "end of" 28).
fn month_lead(c: &Cursor<'_>, i: usize, w: &str) -> Option<(usize, i8)> {
    let dash = usize::from(c.punct(i + 1) == Some('-'));
    Some(match w {
        "in" | "until" | "till" | "by" | "around" | "early" | "during" | "im" | "anfang"
        | "begin" | "början" | "principios" | "inicio" | "início" | "inizio" | "début" | "en"
        | "em" => (1, 1),
        // "from March", "ab März", "a partir de marzo", "vanaf maart", "från mars":
        // the first day of the month ("de" only as the end of "a partir de" and its kin).
        "from" | "ab" | "vanaf" | "från" | "fra" | "desde" | "dès" => (1, 1),
        // "auf Januar verschieben", "lo dejamos para enero", "rimandiamo per gennaio",
        // "tot januari", "til januar": the month moved to.
        "auf" | "para" | "per" | "tot" | "til" | "hasta" | "até" | "bis" | "jusqu'en" => (1, 1),
        // "not before March", "nicht vor März", "pas avant mars": March is the first day.
        "before" | "vor" | "avant" | "antes" | "prima" | "voor" | "före" | "innan" | "før"
            if c.word(i.wrapping_sub(1)).is_some_and(|p| {
                matches!(
                    p,
                    "not" | "nicht" | "pas" | "no" | "non" | "niet" | "inte" | "ikke" | "não"
                )
            }) =>
        {
            (1, 1)
        }
        "de" | "da"
            if c.word(i.wrapping_sub(1))
                .is_some_and(|p| matches!(p, "partir" | "partire" | "depuis")) =>
        {
            (1, 1)
        }
        // Danish, Norwegian, Swedish "i januar" (not English "I may", nor "i
        // jul": at Christmas), Italian
        // "a febbraio", "ad aprile" (not English "a March deadline").
        // Polish and Russian "w lutym", "в марте", "na początku lutego", "в начале марта".
        "w" | "we" | "в" | "во" => (1, 1),
        "początku" | "początek" | "poczatku" | "poczatek" | "начале" => (1, 1),
        "połowie" | "połowy" | "polowie" | "polowy" | "середине" => (1, 15),
        "końcu" | "końca" | "koniec" | "koncu" | "konca" | "конце" => (1, 28),
        // Polish "od lutego" (from February), "do marca" (until March; not English
        // "do May's figures").
        "od" => (1, 1),
        "do" if c
            .word(i + 1)
            .is_some_and(|m| !matches!(m, "may" | "march" | "mar")) =>
        {
            (1, 1)
        }
        "i" if c
            .word(i + 1)
            .is_some_and(|m| !matches!(m, "may" | "march" | "mar" | "jul")) =>
        {
            (1, 1)
        }
        "a" | "ad"
            if c.word(i + 1)
                .is_some_and(|m| !ENGLISH_MONTHS.contains(&m.trim_end_matches('.'))) =>
        {
            (1, 1)
        }
        "mid" | "mi" | "mitte" | "mediados" | "metà" | "meados" | "midden" | "mitten" => {
            (1 + dash, 15)
        }
        "late" => (1, 20),
        "end" if c.is_word(i + 1, "of") => (2, 28),
        // Not Swedish "en fin jul" (a nice Christmas).
        "fin" if c.is_word(i + 1, "jul") => return None,
        "ende" | "fin" | "finales" | "fine" | "final" | "eind" | "slutet" | "slutningen"
        | "slutten" => (1, 28),
        _ => return None,
    })
}

/// Month names after a preposition: "in January", "until March", "early
/// February", "mid-May", "end of June".
pub(super) fn month_phrase_at(
    c: &Cursor<'_>,
    i: usize,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    let w = c.word(i)?;
    if let Some(m) = month_of(w) {
        return pl_tr::turkish_month(c, i, m, r);
    }
    let (mut skip, day) = month_lead(c, i, w)?;
    // "a finales de abril", "i slutet av april", "fine di aprile".
    if c.word(i + skip)
        .is_some_and(|x| matches!(x, "de" | "of" | "av" | "di" | "van" | "af"))
    {
        skip += 1;
    }
    // "in Q2", "until Q3 2027": the first day of the quarter.
    if day == 1
        && let Some((start, used)) = quarter_at(c, i + skip, r)
    {
        return Some((start, skip + used, Specificity::MonthOnly));
    }
    let m = c.word(i + skip).and_then(month_of)?;
    if c.day_number(i + skip + 1).is_some() {
        return None; // a full date, read elsewhere
    }
    let start = next_month_start(r, m)?;
    let date = Date::new(start.year(), start.month(), day).ok()?;
    Some((date, skip + 1, Specificity::MonthOnly))
}
