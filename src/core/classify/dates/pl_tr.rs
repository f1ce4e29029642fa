//! Polish and Turkish ways of writing a date the other languages' readers do not
//! cover: Polish "za tydzień", "po 10-tym", "po świętach", "w nowym roku"; Turkish
//! "iki hafta sonra", "haftaya", "18 Ocak'tan sonra", "Ocak'ta", "Ocak ortasına
//! kadar", "ayın 15'inden sonra". Their "next month" and "in two weeks" ("w
//! przyszłym miesiącu", "za dwa tygodnie", "gelecek ay") are in `relative`'s table.
//!
//! A day "after" which the writer is free is read as the day itself ("po 10
//! stycznia", "18 Ocak'tan sonra"), the Turkish word with it; `first_day` makes the
//! day after it the first free one, as for "after the 10th". Every date is resolved
//! against the reference passed in, like the rest of the reader; it never panics.

use super::*;

/// A Polish or Turkish unit of time: (days, or whole months).
fn unit_of(w: &str) -> Option<(i64, bool)> {
    Some(match w {
        "dzień" | "dzien" | "dni" | "dnia" | "gün" | "gun" => (1, false),
        "tydzień" | "tydzien" | "tygodnie" | "tygodni" | "tygodnia" | "hafta" => (7, false),
        "miesiąc" | "miesiac" | "miesiące" | "miesiace" | "miesięcy" | "miesiecy" | "miesiąca"
        | "miesiaca" | "ay" => (0, true),
        _ => return None,
    })
}

/// `n` of a unit from [`unit_of`] after `r`.
fn ahead(r: Date, n: i64, (days, months): (i64, bool)) -> Option<Date> {
    if months {
        r.checked_add(n.months()).ok()
    } else {
        r.checked_add((n * days).days()).ok()
    }
}

/// A Polish or Turkish relative date at token `i` that the other languages' table
/// (`relative`) does not hold: "jutro", "yarın", "haftaya" (next week), "seneye"
/// (next year), "za tydzień" (in a week, no count), "w nowym roku", "yeni yılda",
/// "yılbaşından sonra", and a count whose "later" comes after it ("iki hafta
/// sonra", "birkaç gün içinde").
pub(super) fn relative_at(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    if let Some(found) = count_then_later(c, i, r) {
        return Some(found);
    }
    let w = c.word(i)?;
    let (date, used) = match w {
        "jutro" | "yarın" | "yarin" => (r.tomorrow().ok()?, 1),
        "pojutrze" => (r.checked_add(2.days()).ok()?, 1),
        "haftaya" => (next_weekday(r, Weekday::Monday)?, 1),
        "seneye" => (Date::new(r.year().checked_add(1)?, 1, 1).ok()?, 1),
        "za" => (ahead(r, 1, unit_of(c.word(i + 1)?)?)?, 2),
        // "w nowym roku", "yeni yılda": the new year's first day.
        "nowym" if c.is_word(i + 1, "roku") => (next_month_day(r, 1, 1)?, 2),
        "yeni"
            if c.word(i + 1)
                .is_some_and(|n| matches!(n, "yılda" | "yilda")) =>
        {
            (next_month_day(r, 1, 1)?, 2)
        }
        // "yılbaşından sonra": after the new year, the 5th of January as for the
        // other languages' holidays.
        "yılbaşından" | "yilbasindan"
            if c.word(i + 1)
                .is_some_and(|n| matches!(n, "sonra" | "sonrası" | "sonrasi")) =>
        {
            (next_month_day(r, 1, 5)?, 2)
        }
        _ => return None,
    };
    Some((date, used, Specificity::Relative))
}

/// Turkish "iki hafta sonra", "2 hafta sonra", "birkaç gün içinde" at token `i`.
fn count_then_later(c: &Cursor<'_>, i: usize, r: Date) -> Option<(Date, usize, Specificity)> {
    let n = match c.num(i) {
        Some((v, _)) => i64::from(v).min(60),
        None => number_word(c.word(i)?)?,
    };
    let unit = unit_of(c.word(i + 1)?)?;
    if !c
        .word(i + 2)
        .is_some_and(|t| matches!(t, "sonra" | "içinde" | "icinde"))
    {
        return None;
    }
    Some((ahead(r, n, unit)?, 3, Specificity::Relative))
}

/// What Polish "po" (after) names at the token after `i`: the year-end holidays
/// and the new year (5 January), Easter (`easter`, the Monday after it), Epiphany
/// (7 January). Months and quarters are left to the English reader's "after", and
/// a day to the day reader ("po 10 stycznia" is read as the 10th, the last busy
/// day: `first_day` makes the 11th the first free one).
pub(super) fn after_po(
    c: &Cursor<'_>,
    i: usize,
    r: Date,
    easter: Option<Date>,
) -> Option<(Date, usize, Specificity)> {
    let k = i + 1;
    let w = c.word(k).unwrap_or("");
    let next = c.word(k + 1).unwrap_or("");
    let holiday = match (w, next) {
        ("świętach" | "swietach", "wielkanocnych") | ("wielkanocy" | "wielkanoc", _) => {
            Some((easter?, 1 + usize::from(next == "wielkanocnych")))
        }
        ("trzech", "królach" | "krolach" | "króli" | "kroli") => {
            Some((next_month_day(r, 1, 7)?, 2))
        }
        ("nowym", "roku") | ("bożym" | "bozym", "narodzeniu") => {
            Some((next_month_day(r, 1, 5)?, 2))
        }
        ("świętach" | "swietach" | "sylwestrze" | "świętami", _) => {
            Some((next_month_day(r, 1, 5)?, 1))
        }
        _ => None,
    };
    holiday.map(|(date, used)| (date, used + 1, Specificity::Relative))
}

/// Polish endings of a day written as an ordinal after a dash: "po 10-tym", "do
/// 5-go", "od 11-tego".
const POLISH_ORDINAL: &[&str] = &["tym", "ym", "go", "ego", "tego", "ty", "ej", "tej"];

/// Turkish case endings after a day's apostrophe: "15'i", "15'inde", "15'inden".
const TURKISH_CASE: &[&str] = &[
    "i", "ı", "ü", "u", "si", "sı", "inde", "ında", "ünde", "unda", "sinde", "sında", "ine", "ına",
    "üne", "una", "sine", "sına", "inden", "ından", "ünden", "undan", "sinden", "sından", "ten",
    "tan", "den", "dan", "te", "ta", "de", "da", "e", "a", "ye", "ya",
];

/// A bare day of the month written as an ordinal, `d` at token `day_tok` of a date
/// that starts at token `i` (after weekday `wd`, if any): Polish "po 10-tym", Turkish
/// "ayın 15'inden sonra" (its "sonra" read with it, see [`turkish_after`]).
pub(super) fn ordinal_day(
    c: &Cursor<'_>,
    i: usize,
    day_tok: usize,
    d: u32,
    wd: Option<Weekday>,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    let end = day_tok + 1 + ordinal_tail(c, day_tok)?;
    let date = next_day_of_month(r, i8::try_from(d).ok()?, wd)?;
    Some((date, end + turkish_after(c, end) - i, Specificity::Exact))
}

/// How many tokens after a day number at `day_tok` make it an ordinal day of the
/// month in Polish ("10-tym") or Turkish ("15'inde"): 2, or None.
fn ordinal_tail(c: &Cursor<'_>, day_tok: usize) -> Option<usize> {
    let ending = c.word(day_tok + 2)?;
    match c.punct(day_tok + 1)? {
        '-' if POLISH_ORDINAL.contains(&ending) => Some(2),
        '\'' | '\u{2019}' if TURKISH_CASE.contains(&ending) => Some(2),
        _ => None,
    }
}

/// How many tokens after a day at token `k` are the Turkish word of "after" or
/// "from" that follows it ("18 Ocak'tan sonra", "11 Ocak'tan itibaren", "2027'den
/// sonra", a case ending written apart after an apostrophe included), read as part
/// of the date: 0 when none follows. "After" a day makes it the last busy one
/// (`first_day`); "from" a day, the first free one.
pub(super) fn turkish_after(c: &Cursor<'_>, k: usize) -> usize {
    let mut n = 0;
    if matches!(c.punct(k), Some('\'' | '\u{2019}'))
        && c.word(k + 1).is_some_and(|w| TURKISH_CASE.contains(&w))
    {
        n = 2;
    }
    match c.word(k + n) {
        Some(w) if TURKISH_AFTER.contains(&w) || TURKISH_FROM.contains(&w) => n + 1,
        _ => 0,
    }
}

/// Turkish words of "after" that follow their day.
pub(crate) const TURKISH_AFTER: &[&str] = &["sonra", "sonrası", "sonrasi", "sonrasında"];

/// Turkish words of "from" that follow their day.
const TURKISH_FROM: &[&str] = &["itibaren", "itibarıyla", "itibariyle"];

/// Turkish puts the part after its month ("Mart başında" 1 March, "Şubat ortasına
/// kadar" 15 February, "Ocak sonunda" the 28th) and a case ending on it ("Ocak'ta"
/// in January, "Ocak'tan sonra" after it, the 1st of February): the month `m`
/// named at token `i`. None for a bare month name.
pub(super) fn turkish_month(
    c: &Cursor<'_>,
    i: usize,
    m: i8,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    let start = next_month_start(r, m)?;
    let word = c.word(i)?;
    let suffix = word.split_once(['\'', '\u{2019}']).map_or("", |(_, s)| s);
    let ablative = matches!(suffix, "tan" | "dan" | "ten" | "den");
    let (day, used) = match c.word(i + 1) {
        Some(
            "başında" | "basinda" | "başı" | "basi" | "ayında" | "ayinda" | "içinde" | "icinde"
            | "başına" | "basina" | "başlarında" | "baslarinda" | "başlarına" | "baslarina",
        ) => (1, 2),
        Some(
            "ortasında" | "ortasinda" | "ortası" | "ortasi" | "ortasına" | "ortasina"
            | "ortalarında" | "ortalarinda" | "ortalarına" | "ortalarina",
        ) => (15, 2),
        Some("sonlarında" | "sonlarinda" | "sonlarına" | "sonlarina") => (20, 2),
        // "Şubat'ın ikinci yarısında": the second half of February, from the 15th.
        Some("ikinci" | "ilk")
            if c.word(i + 2).is_some_and(|w| {
                matches!(
                    w,
                    "yarısında" | "yarisinda" | "yarısı" | "yarisi" | "yarısına"
                )
            }) =>
        {
            (if c.is_word(i + 1, "ilk") { 1 } else { 15 }, 3)
        }
        Some("sonunda" | "sonu" | "sonuna") => (28, 2),
        Some("sonra" | "sonrası" | "sonrasi") if ablative => {
            return Some((
                start.checked_add(1.month()).ok()?,
                2,
                Specificity::MonthOnly,
            ));
        }
        Some("itibaren" | "itibarıyla" | "itibariyle") if ablative => (1, 2),
        _ if matches!(suffix, "ta" | "da" | "te" | "de" | "a" | "e" | "ya" | "ye") => (1, 1),
        _ => return None,
    };
    let date = Date::new(start.year(), start.month(), day).ok()?;
    Some((date, used, Specificity::MonthOnly))
}

#[cfg(test)]
mod tests;
