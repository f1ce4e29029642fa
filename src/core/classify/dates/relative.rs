//! Relative times in the languages beyond English: "nächsten Monat", "le mois
//! prochain", "el mes que viene", "la prossima settimana", "no mês que vem",
//! "volgend jaar", "nästa vecka", and counts ahead: "in zwei Wochen", "dans trois
//! semaines", "en un mes", "tra due settimane", "daqui a duas semanas", "over een
//! maand", "om två veckor". English has its own reader in `prose`.
//!
//! "Next week" is its Monday, "next month" and "next year" their first day, and a
//! count of days, weeks or months that far from the reference day, as in English.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::{Cursor, Specificity, next_weekday, number_word};

#[derive(Clone, Copy, PartialEq, Eq)]
enum Unit {
    Day,
    Week,
    Month,
    Quarter,
    Year,
}

/// The unit a word names, singular or plural, in any of the languages.
fn unit(w: &str) -> Option<Unit> {
    // "l'année", "l'anno": an elided article is part of the word.
    let w = w
        .strip_prefix("l'")
        .or_else(|| w.strip_prefix("l\u{2019}"))
        .unwrap_or(w);
    Some(match w {
        "tag" | "tage" | "tagen" | "jour" | "jours" | "día" | "días" | "dia" | "dias"
        | "giorno" | "giorni" | "dag" | "dagen" | "dagar" | "dage" | "dager" | "dzień"
        | "dzien" | "dni" | "dnia" | "gün" | "gun" => Unit::Day,
        "woche" | "wochen" | "semaine" | "semaines" | "semana" | "semanas" | "settimana"
        | "settimane" | "week" | "weken" | "vecka" | "veckor" | "veckan" | "uge" | "uger"
        | "ugen" | "uke" | "uker" | "uken" | "tydzień" | "tydzien" | "tygodnie" | "tygodni"
        | "tygodnia" | "tygodniu" | "hafta" => Unit::Week,
        "monat" | "monate" | "monaten" | "mois" | "mes" | "meses" | "mese" | "mesi" | "mês"
        | "maand" | "maanden" | "månad" | "månader" | "måned" | "måneder" | "miesiąc"
        | "miesiac" | "miesiące" | "miesiace" | "miesięcy" | "miesiecy" | "miesiąca"
        | "miesiaca" | "miesiącu" | "miesiacu" | "ay" => Unit::Month,
        "quartal" | "trimestre" | "kwartaal" | "kvartal" | "kvartalet" => Unit::Quarter,
        "jahr" | "jahre" | "jahren" | "année" | "an" | "ans" | "año" | "años" | "anno" | "anni"
        | "ano" | "anos" | "jaar" | "år" | "rok" | "roku" | "yıl" | "yil" | "yılın" | "yilin"
        | "sene" => Unit::Year,
        _ => return None,
    })
}

/// "Next" before its unit: "nächste Woche", "prossima settimana", "volgende maand".
const NEXT_BEFORE: &[&str] = &[
    "nächste",
    "nächsten",
    "nächster",
    "nächstes",
    "kommende",
    "kommenden",
    "kommendes",
    "próximo",
    "próxima",
    "prossimo",
    "prossima",
    "volgende",
    "volgend",
    "komende",
    "nästa",
    "kommande",
    "næste",
    "neste",
    "kommende",
    "przyszły",
    "przyszly",
    "przyszłym",
    "przyszlym",
    "przyszłego",
    "przyszlego",
    "następny",
    "następnym",
    "nastepnym",
    "gelecek",
    "önümüzdeki",
    "onumuzdeki",
];

/// "Next" after its unit: "semaine prochaine", "mes próximo", "anno prossimo".
const NEXT_AFTER: &[&str] = &[
    "prochain",
    "prochaine",
    "próximo",
    "próxima",
    "prossimo",
    "prossima",
    "entrante",
];

/// Words before a count of time ahead: "in", "dans", "en", "tra", "fra", "em",
/// "daqui a", "over", "om", Polish "za".
const AHEAD: &[&str] = &["in", "dans", "en", "tra", "fra", "em", "over", "om", "za"];

/// The word "one" in its forms ("einem Monat", "un mois", "una semana", "een maand").
const ONE: &[&str] = &[
    "ein", "eine", "einem", "einer", "un", "une", "una", "uno", "um", "uma", "een", "en", "ett",
    "et",
];

/// Numbers read only between a word of "ahead" and a unit, where they cannot be
/// another word: Italian "due" and "sei" (English "due", Italian "you are"), and the
/// Scandinavian ones, which the lexicon does not list ("to", "sex", "fem").
const AHEAD_NUMBERS: &[(&str, i64)] = &[
    ("due", 2),
    ("sei", 6),
    ("två", 2),
    ("tre", 3),
    ("fyra", 4),
    ("fem", 5),
    ("sex", 6),
    ("to", 2),
    ("fire", 4),
    ("seks", 6),
    ("par", 2),
];

/// The first day of the next `u` after `r`.
fn next_of(u: Unit, r: Date) -> Option<Date> {
    match u {
        Unit::Day => r.tomorrow().ok(),
        Unit::Week => next_weekday(r, Weekday::Monday),
        Unit::Month => r.first_of_month().checked_add(1.month()).ok(),
        Unit::Quarter => {
            let first = Date::new(r.year(), (r.month() - 1) / 3 * 3 + 1, 1).ok()?;
            first.checked_add(3.months()).ok()
        }
        Unit::Year => Date::new(r.year().checked_add(1)?, 1, 1).ok(),
    }
}

/// `n` units after `r`.
fn ahead_of(u: Unit, n: i64, r: Date) -> Option<Date> {
    match u {
        Unit::Day => r.checked_add(n.days()).ok(),
        Unit::Week => r.checked_add((7 * n).days()).ok(),
        Unit::Month => r.checked_add(n.months()).ok(),
        Unit::Quarter => r.checked_add((3 * n).months()).ok(),
        Unit::Year => r.checked_add(n.years()).ok(),
    }
}

/// A relative time at token `i` in one of the languages (see the module doc): its
/// date, the tokens read and how specific it is.
pub(super) fn other_languages_at(
    c: &Cursor<'_>,
    i: usize,
    r: Date,
) -> Option<(Date, usize, Specificity)> {
    let w = c.word(i)?;
    let rel = |d: Option<Date>, used: usize| d.map(|d| (d, used, Specificity::Relative));
    // "nächste Woche", "la prossima settimana" (a day is no unit here: "nächsten Tag").
    if NEXT_BEFORE.contains(&w)
        && let Some(u) = c.word(i + 1).and_then(unit).filter(|u| *u != Unit::Day)
    {
        return rel(next_of(u, r), 2);
    }
    if let Some(u) = unit(w).filter(|u| *u != Unit::Day) {
        let next = c.word(i + 1)?;
        if NEXT_AFTER.contains(&next) {
            return rel(next_of(u, r), 2);
        }
        // "el mes que viene", "o mês que vem"
        if next == "que" && matches!(c.word(i + 2), Some("viene" | "vem")) {
            return rel(next_of(u, r), 3);
        }
        return None;
    }
    // "daqui a duas semanas"
    let (start, skip) = if w == "daqui" && c.is_word(i + 1, "a") {
        (i + 2, 2)
    } else if AHEAD.contains(&w) {
        (i + 1, 1)
    } else {
        return None;
    };
    let (n, used) = if let Some((v, _)) = c.num(start) {
        (i64::from(v).min(60), 1)
    } else {
        let word = c.word(start)?;
        let n = if ONE.contains(&word) {
            1
        } else if let Some((_, n)) = AHEAD_NUMBERS.iter().find(|(w, _)| *w == word) {
            *n
        } else {
            number_word(word)?
        };
        // "om ett par veckor", "om et par uger": a couple.
        if matches!(word, "ett" | "et") && c.is_word(start + 1, "par") {
            return rel(ahead_of(c.word(start + 2).and_then(unit)?, 2, r), skip + 3);
        }
        (n, 1)
    };
    let u = unit(c.word(start + used)?)?;
    rel(ahead_of(u, n, r), skip + used + 1)
}
