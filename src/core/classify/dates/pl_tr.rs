//! Polish and Turkish ways of writing a date the other languages' readers do not
//! cover: Polish "za dwa tygodnie", "w przyszłym miesiącu", "po 10 stycznia", "po
//! 10-tym", "po świętach"; Turkish "iki hafta sonra", "gelecek ay", "haftaya",
//! "18 Ocak'tan sonra", "Ocak'ta", "Ocak ortasına kadar", "ayın 15'inden sonra".
//!
//! "After" a day is the day after it ("po 10 stycznia", "18 Ocak'tan sonra": the
//! 11th, the 19th), as both languages say it; "from" a day is that day ("od 11
//! stycznia", "11 Ocak'tan itibaren"). Every date is resolved against the reference
//! passed in, like the rest of the reader; it never panics.

use super::*;

/// A Polish or Turkish unit of time: (days, or whole months).
pub(super) fn unit_of(w: &str) -> Option<(i64, bool)> {
    Some(match w {
        "dzień" | "dzien" | "dni" | "dnia" | "gün" | "gun" => (1, false),
        "tydzień" | "tydzien" | "tygodnie" | "tygodni" | "tygodnia" | "hafta" => (7, false),
        "miesiąc" | "miesiac" | "miesiące" | "miesiace" | "miesięcy" | "miesiecy" | "miesiąca"
        | "miesiaca" | "ay" => (0, true),
        _ => return None,
    })
}

/// Words after a count and its unit that make it a time from now: Turkish "iki
/// hafta sonra" (two weeks later), "birkaç gün içinde" (within a few days).
pub(super) const COUNT_TAILS: &[&str] = &["sonra", "içinde", "icinde"];

/// The English unit of "next" ("week", "month", "year", "quarter") a Polish or
/// Turkish word names after its "next" word.
fn english_unit(w: &str) -> Option<&'static str> {
    Some(match w {
        "tydzień" | "tydzien" | "tygodniu" | "tygodnia" | "hafta" => "week",
        "miesiąc" | "miesiac" | "miesiącu" | "miesiacu" | "miesiąca" | "miesiaca" | "ay" => {
            "month"
        }
        "rok" | "roku" | "yıl" | "yil" | "sene" => "year",
        "kwartał" | "kwartal" | "kwartale" | "kwartału" | "kwartalu" | "çeyrek" => "quarter",
        _ => return None,
    })
}

/// Polish and Turkish words for "next" before a unit ("w przyszłym tygodniu",
/// "gelecek ay", "önümüzdeki hafta").
const NEXT: &[&str] = &[
    "przyszłym",
    "przyszlym",
    "przyszły",
    "przyszly",
    "przyszłego",
    "przyszlego",
    "następnym",
    "nastepnym",
    "gelecek",
    "önümüzdeki",
    "onumuzdeki",
];

/// A Polish or Turkish relative date at token `i` ("jutro", "w przyszłym
/// miesiącu", "haftaya", "seneye", "w nowym roku"), with the unit's date read by
/// `next_unit` (the English reader's "next week" etc.).
pub(super) fn relative(
    c: &Cursor<'_>,
    i: usize,
    r: Date,
    next_unit: impl Fn(&str) -> Option<Date>,
) -> Option<(Date, usize, Specificity)> {
    let w = c.word(i)?;
    let (date, used) = match w {
        "jutro" | "yarın" | "yarin" => (r.tomorrow().ok()?, 1),
        "pojutrze" => (r.checked_add(2.days()).ok()?, 1),
        "haftaya" => (next_unit("week")?, 1),
        "seneye" => (next_unit("year")?, 1),
        // "w nowym roku", "yeni yılda": the new year's first day.
        "nowym" if c.is_word(i + 1, "roku") => (next_month_day(r, 1, 1)?, 2),
        "yeni"
            if c.word(i + 1)
                .is_some_and(|n| matches!(n, "yılda" | "yilda")) =>
        {
            (next_month_day(r, 1, 1)?, 2)
        }
        // "yılbaşından sonra": after the new year, the 5th of January as for
        // the other languages' holidays.
        "yılbaşından" | "yilbasindan" | "yılbaşı" | "yilbasi"
            if c.word(i + 1)
                .is_some_and(|n| matches!(n, "sonra" | "sonrası" | "sonrasi")) =>
        {
            (next_month_day(r, 1, 5)?, 2)
        }
        w if NEXT.contains(&w) => (next_unit(english_unit(c.word(i + 1)?)?)?, 2),
        _ => return None,
    };
    Some((date, used, Specificity::Relative))
}

/// What Polish "po" (after) names at token `k`: the year-end holidays and the
/// new year (5 January), Easter (the Monday after it), Epiphany (7 January),
/// or a day, which it puts one day on ("po 10 stycznia" is the 11th). `easter`
/// is the Monday after the next Easter. Months and quarters are left to the
/// English reader's "after".
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
    if let Some((date, used)) = holiday {
        return Some((date, used + 1, Specificity::Relative));
    }
    let (date, used, spec) = date_at(c, k, r)?;
    (spec == Specificity::Exact).then_some((date.tomorrow().ok()?, used + 1, spec))
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

/// How many tokens after a day number at `day_tok` make it an ordinal day of the
/// month in Polish ("10-tym") or Turkish ("15'inde"): 2, or None.
pub(super) fn ordinal_tail(c: &Cursor<'_>, day_tok: usize) -> Option<usize> {
    let ending = c.word(day_tok + 2)?;
    match c.punct(day_tok + 1)? {
        '-' if POLISH_ORDINAL.contains(&ending) => Some(2),
        '\'' | '\u{2019}' if TURKISH_CASE.contains(&ending) => Some(2),
        _ => None,
    }
}

/// Turkish words after a day that put it after ("sonra") or from ("itibaren") it:
/// how many tokens they take from token `k` (a case ending written apart after an
/// apostrophe, "2027'den sonra", included) and the days they add.
pub(super) fn turkish_after(c: &Cursor<'_>, k: usize) -> Option<(usize, i64)> {
    let mut n = 0;
    if matches!(c.punct(k), Some('\'' | '\u{2019}'))
        && c.word(k + 1).is_some_and(|w| TURKISH_CASE.contains(&w))
    {
        n = 2;
    }
    match c.word(k + n)? {
        "sonra" | "sonrası" | "sonrasi" | "sonrasında" => Some((n + 1, 1)),
        "itibaren" | "itibarıyla" | "itibariyle" => Some((n + 1, 0)),
        _ => None,
    }
}

/// A day read at tokens `..end` with what Turkish puts after it: one day on after
/// "sonra", the tokens it takes ([`turkish_after`]).
pub(super) fn with_turkish_after(c: &Cursor<'_>, end: usize, date: Date) -> (Date, usize) {
    match turkish_after(c, end) {
        Some((n, days)) => match date.checked_add(days.days()) {
            Ok(d) => (d, n),
            Err(_) => (date, 0),
        },
        None => (date, 0),
    }
}

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
