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

/// Return dates in every language of the word lists: a named return day
/// wins over the last day away; a range ends the day after its end; an
/// inclusive last day is followed by the day back.
#[test]
fn return_dates_in_every_language() {
    let r = date(2026, 11, 30);
    let rows: &[(&str, Option<Date>)] = &[
        (
            "Ich bin bis zum 18. Dezember nicht im Büro. Ab Dienstag, 22. Dezember bin ich wieder erreichbar.",
            Some(date(2026, 12, 22)),
        ),
        (
            "Vanaf maandag 7 december ben ik weer bereikbaar.",
            Some(date(2026, 12, 7)),
        ),
        (
            "I am out of the office from 3 to 6 December.",
            Some(date(2026, 12, 7)),
        ),
        (
            "Estaré fuera del 2 al 9 de diciembre.",
            Some(date(2026, 12, 10)),
        ),
        (
            "Ich bin vom 3. bis 6. Dezember im Urlaub.",
            Some(date(2026, 12, 7)),
        ),
        (
            "Je suis absente du 3 au 6 décembre.",
            Some(date(2026, 12, 7)),
        ),
        (
            "Je suis absente jusqu'au 4 décembre inclus.",
            Some(date(2026, 12, 5)),
        ),
        (
            "Ik ben afwezig tot en met 4 december.",
            Some(date(2026, 12, 5)),
        ),
        (
            "Jag är borta till och med 4 december.",
            Some(date(2026, 12, 5)),
        ),
        (
            "Estarei de volta no dia 7 de dezembro.",
            Some(date(2026, 12, 7)),
        ),
        (
            "Sarò di nuovo in ufficio lunedì 7 dicembre.",
            Some(date(2026, 12, 7)),
        ),
        (
            "Jag är tillbaka måndag 7 december.",
            Some(date(2026, 12, 7)),
        ),
        (
            "12月7日まで不在にしております。12月8日より順次対応いたします。",
            Some(date(2026, 12, 8)),
        ),
        (
            "12月7日まで休暇をいただいております。",
            Some(date(2026, 12, 8)),
        ),
        (
            "12月4日（金）まで不在です。12月7日（月）より出社いたします。",
            Some(date(2026, 12, 7)),
        ),
        (
            "2027年1月5日(火)まで休業いたします。",
            Some(date(2027, 1, 6)),
        ),
        // Traps: the start of an absence is no return, and neither is a
        // "from" date that no back word follows.
        ("Ab 16. Dezember bin ich im Urlaub.", None),
        ("From Monday 7 December I will be travelling.", None),
    ];
    let mut bad = Vec::new();
    for (text, want) in rows {
        let got = return_date(text, r).map(|f| f.date);
        if got != *want {
            bad.push(format!("{text:?}: want {want:?}, got {got:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A weekday abbreviation alone is a day only where it reads as one; the
/// same letters in another language ("mon" is French for "my") are none.
#[test]
fn a_lone_weekday_abbreviation_needs_to_read_as_one() {
    let r = date(2026, 12, 21); // a Monday
    for text in [
        "Je vous répondrai dès mon retour.",
        "Mon calendrier est plein jusqu'à nouvel ordre.",
        "mon agenda déborde",
        "Wed like to meet",
    ] {
        assert_eq!(best(text, r), None, "{text:?}");
    }
    for (text, want) in [
        ("back on Mon", date(2026, 12, 28)),
        ("Mon or Tue works", date(2026, 12, 28)),
        ("Thu at 3pm?", date(2026, 12, 24)),
        ("How about Wed.", date(2026, 12, 23)),
        ("Mon 4 Jan", date(2027, 1, 4)),
        ("Monday works", date(2026, 12, 28)),
        ("lundi matin", date(2026, 12, 28)),
    ] {
        assert_eq!(best(text, r), Some(want), "{text:?}");
    }
    // An out-of-office: "dès mon retour" is no return day; the range is.
    let text =
        "Je suis absente du 21 décembre au 3 janvier inclus. Je vous répondrai dès mon retour.";
    assert_eq!(return_date(text, r).map(|f| f.date), Some(date(2027, 1, 4)));
}

/// The year-end holidays, months after a preposition and quarters, in every
/// language of the lexicon, with their traps.
#[test]
fn holidays_months_and_quarters_in_every_language() {
    let r = date(2026, 12, 9);
    let jan5 = Some(date(2027, 1, 5));
    for text in [
        "after the holidays",
        "after Christmas",
        "nach den Feiertagen",
        "après les fêtes",
        "después de las fiestas",
        "dopo le feste",
        "depois das festas",
        "na de feestdagen",
        "efter helgerna",
        "efter jul",
    ] {
        assert_eq!(best(text, r), jan5, "{text:?}");
    }
    // New Year's Day itself: the day after it (three blind writers read it so).
    for text in [
        "after the new year",
        "etter nyttår",
        "efter nyår",
        "nach Neujahr",
    ] {
        assert_eq!(best(text, r), Some(date(2027, 1, 2)), "{text:?}");
    }
    // Epiphany: 7 January.
    assert_eq!(best("después de Reyes", r), Some(date(2027, 1, 7)));
    for (text, want) in [
        ("recontacte-moi en février", date(2027, 2, 1)),
        ("escríbeme en marzo", date(2027, 3, 1)),
        ("podemos falar em fevereiro?", date(2027, 2, 1)),
        ("skriv igen i januar", date(2027, 1, 1)),
        ("hör av dig i maj", date(2027, 5, 1)),
        ("ricontattami a febbraio", date(2027, 2, 1)),
        ("sentiamoci ad aprile", date(2027, 4, 1)),
        ("I'm back in Q2", date(2027, 4, 1)),
        ("busy until Q3 2027", date(2027, 7, 1)),
        ("ping me after Q1", date(2027, 4, 1)),
    ] {
        assert_eq!(best(text, r), Some(want), "{text:?}");
    }
    // Traps: English "I may", "a March deadline", a quarter named without a
    // preposition, "after" with nothing it knows.
    for text in [
        "I may be free then",
        "I march on",
        "we have a March deadline",
        "Q1 planning eats everything",
        "after the meeting",
        "vi ses i jul",
        "na quarta-feira",
    ] {
        let got = best(text, r);
        assert!(
            got.is_none() || text.starts_with("na "),
            "{text:?} read as {got:?}"
        );
    }
    // "na quarta-feira" (Portuguese "on Wednesday") is still a weekday.
    assert_eq!(best("na quarta-feira", r), Some(date(2026, 12, 16)));
}

/// Return days in Polish, Turkish, Russian, Chinese and Portuguese, and a weekday
/// with its date after an article ("mandag den 4. januar"); an English "do" before a
/// date is no "until".
#[test]
fn return_dates_in_more_languages() {
    let r = date(2026, 12, 24);
    for (text, back) in [
        (
            "jestem na urlopie do 4 stycznia włącznie.",
            date(2027, 1, 5),
        ),
        ("Я в отпуске до 10 января включительно.", date(2027, 1, 11)),
        // A named return wins over the last day away, in the verbs of each language.
        (
            "Estaré fuera del 4 al 8 de enero. Volveré el lunes 11.",
            date(2027, 1, 11),
        ),
        (
            "Sono in ferie fino all'8 gennaio. Torno lunedì 11 gennaio.",
            date(2027, 1, 11),
        ),
        (
            "En congés jusqu'au 8 janvier. Je rentre le lundi 11 janvier.",
            date(2027, 1, 11),
        ),
        (
            "Ledig till 8 januari, åter på kontoret 11 januari.",
            date(2027, 1, 11),
        ),
        (
            "5 Ocak 2027 tarihine kadar izindeyim. 6 Ocak Çarşamba günü ofise döneceğim.",
            date(2027, 1, 6),
        ),
        ("我目前正在休假，将于1月4日返回办公室。", date(2027, 1, 4)),
        ("我休假至1月3日。", date(2027, 1, 4)),
        (
            "Estou de férias até 10 de janeiro, regressando no dia 11.",
            date(2027, 1, 11),
        ),
        (
            "Jeg er på juleferie og er tilbage mandag den 4. januar.",
            date(2027, 1, 4),
        ),
        (
            "Ich bin ab Montag, den 4. Januar wieder da.",
            date(2027, 1, 4),
        ),
    ] {
        assert_eq!(return_date(text, r).map(|f| f.date), Some(back), "{text}");
    }
    assert_eq!(
        return_date("I will do my best to answer.", r).map(|f| f.date),
        None
    );
}

/// Turkish puts the part of the month after it: "Mart başında" is 1 March.
#[test]
fn turkish_month_parts() {
    let r = date(2027, 1, 20);
    assert_eq!(
        best("Mart başında tekrar yazarsan sevinirim", r),
        Some(date(2027, 3, 1))
    );
    assert_eq!(best("Şubat ortasında", r), Some(date(2027, 2, 15)));
}

/// Easter (the Monday after it), the new year, and Polish and Russian months after
/// their prepositions.
#[test]
fn easter_new_year_and_slavic_months() {
    let r = date(2027, 1, 20);
    assert_eq!(
        best("ask me again after Easter", r),
        Some(date(2027, 3, 29))
    );
    assert_eq!(best("nach Ostern", r), Some(date(2027, 3, 29)));
    assert_eq!(
        best("ping me in the new year", date(2026, 12, 10)),
        Some(date(2027, 1, 1))
    );
    assert_eq!(best("odezwij się w lutym", r), Some(date(2027, 2, 1)));
    assert_eq!(best("na początku marca", r), Some(date(2027, 3, 1)));
    assert_eq!(best("в середине февраля", r), Some(date(2027, 2, 15)));
    assert_eq!(best("in the new office", r), None);
}
