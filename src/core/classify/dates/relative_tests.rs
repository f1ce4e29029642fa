//! Tests of the relative times beyond English and of the first day after a last busy one.

use super::*;
use jiff::civil::date;

fn best(text: &str, r: Date) -> Option<Date> {
    best_date(text, r).map(|f| f.date)
}

#[test]
fn next_week_month_and_year_in_every_language() {
    // 2 December 2026 is a Wednesday.
    let r = date(2026, 12, 2);
    let month = Some(date(2027, 1, 1));
    for t in [
        "schreib mir nächsten Monat",
        "le mois prochain",
        "el mes que viene",
        "el próximo mes",
        "il mese prossimo",
        "il prossimo mese",
        "no mês que vem",
        "no próximo mês",
        "volgende maand",
        "nästa månad",
        "næste måned",
        "neste måned",
    ] {
        assert_eq!(best(t, r), month, "{t}");
    }
    let monday = Some(date(2026, 12, 7));
    for t in [
        "nächste Woche",
        "la semaine prochaine",
        "la semana que viene",
        "la prossima settimana",
        "a semana que vem",
        "volgende week",
        "nästa vecka",
        "næste uge",
        "neste uke",
    ] {
        assert_eq!(best(t, r), monday, "{t}");
    }
    for t in [
        "nächstes Jahr",
        "l'année prochaine",
        "el año que viene",
        "volgend jaar",
    ] {
        assert_eq!(best(t, r), Some(date(2027, 1, 1)), "{t}");
    }
}

#[test]
fn counts_ahead_in_every_language() {
    let r = date(2026, 12, 2);
    let two_weeks = Some(date(2026, 12, 16));
    for t in [
        "in zwei Wochen",
        "dans deux semaines",
        "en dos semanas",
        "tra due settimane",
        "fra 2 settimane",
        "daqui a duas semanas",
        "over twee weken",
        "om två veckor",
        "om ett par veckor",
        "om to uger",
    ] {
        assert_eq!(best(t, r), two_weeks, "{t}");
    }
    for t in ["in einem Monat", "dans un mois", "en un mes", "om en månad"] {
        assert_eq!(best(t, r), Some(date(2027, 1, 2)), "{t}");
    }
}

#[test]
fn relative_traps_are_no_dates() {
    let r = date(2026, 12, 2);
    // A count without a unit, a unit without "next", the next day, an English article.
    for t in [
        "in zwei Minuten",
        "en dos palabras",
        "le mois dernier",
        "el mes pasado",
        "am nächsten Tag",
        "due to the launch",
        "an update",
        "over the moon",
    ] {
        assert_eq!(best(t, r), None, "{t}");
    }
}

fn first_day(text: &str, r: Date) -> Option<Date> {
    best_date(text, r).map(|f| first_day_after(f, text).date)
}

#[test]
fn a_last_busy_day_gives_the_day_after() {
    let r = date(2026, 12, 2);
    assert_eq!(
        first_day("try me again after the 15th", r),
        Some(date(2026, 12, 16))
    );
    assert_eq!(
        first_day("bis einschließlich 8. Januar im Urlaub", r),
        Some(date(2027, 1, 9))
    );
    assert_eq!(first_day("through January 8", r), Some(date(2027, 1, 9)));
    assert_eq!(
        first_day("till och med den 8 januari", r),
        Some(date(2027, 1, 9))
    );
    assert_eq!(first_day("après le 15 janvier", r), Some(date(2027, 1, 16)));
    assert_eq!(
        first_day("depois do dia 15 de janeiro", r),
        Some(date(2027, 1, 16))
    );
    // "Until" alone names the day; with "after that" it is the last busy one.
    assert_eq!(
        first_day("on leave until January 11", r),
        Some(date(2027, 1, 11))
    );
    assert_eq!(
        first_day(
            "heads-down until the 20th of January. My diary opens up after that.",
            r
        ),
        Some(date(2027, 1, 21))
    );
    // "From" is the first day itself; a wait names the day to write; a month moves not.
    assert_eq!(
        first_day("from the 11th of January", r),
        Some(date(2027, 1, 11))
    );
    assert_eq!(
        first_day("can we wait until the 20th?", r),
        Some(date(2026, 12, 20))
    );
    assert_eq!(first_day("after January", r), best("after January", r));
    // An inclusive word after the date is read elsewhere, never twice.
    assert_eq!(
        first_day("jusqu'au 8 janvier inclus", r),
        Some(date(2027, 1, 8))
    );
}
