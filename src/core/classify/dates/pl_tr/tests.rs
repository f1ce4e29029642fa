use super::super::{best_date, first_day_after, return_date};
use jiff::civil::{Date, date};

fn best(text: &str, r: Date) -> Option<Date> {
    best_date(text, r).map(|f| f.date)
}

/// The first day to write again on, from the date a deferral names.
fn first_day(text: &str, r: Date) -> Option<Date> {
    best_date(text, r).map(|f| first_day_after(f, text).date)
}

/// A day "after" which the writer is free is the last busy one: the first free day
/// is the next ("po 10 stycznia", "18 Ocak'tan sonra"); "from" a day is that day.
#[test]
fn polish_and_turkish_first_free_days() {
    let r = date(2026, 12, 14);
    for (text, want) in [
        ("Chętnie, ale dopiero po 10 stycznia.", date(2027, 1, 11)),
        ("Odezwij się po 10 stycznia", date(2027, 1, 11)),
        ("np. po 10-tym", date(2027, 1, 11)),
        ("od 11 stycznia jestem dostępna", date(2027, 1, 11)),
        (
            "18 Ocak'tan sonra tekrar yazabilir misin?",
            date(2027, 1, 19),
        ),
        ("15 Ocak sonrası", date(2027, 1, 16)),
        ("ayın 20'sinden sonra", date(2026, 12, 21)),
        ("18 Ocak 2027'den sonra", date(2027, 1, 19)),
        ("11 Ocak'tan itibaren müsaitim", date(2027, 1, 11)),
    ] {
        assert_eq!(first_day(text, r), Some(want), "{text:?}");
    }
}

/// Polish dates: genitive and locative months, "po" and "od" a day, ordinals after a
/// dash, relative words, the holidays.
#[test]
fn polish_dates() {
    let r = date(2026, 12, 14);
    for (text, want) in [
        ("Chętnie, ale dopiero po 10 stycznia.", date(2027, 1, 10)),
        ("od 11 stycznia jestem dostępna", date(2027, 1, 11)),
        ("w styczniu", date(2027, 1, 1)),
        ("np. po 10-tym", date(2027, 1, 10)),
        ("do 5-go", date(2027, 1, 5)),
        ("odezwij się w lutym", date(2027, 2, 1)),
        ("w połowie lutego", date(2027, 2, 15)),
        ("do połowy stycznia", date(2027, 1, 15)),
        ("pod koniec stycznia", date(2027, 1, 28)),
        ("od lutego", date(2027, 2, 1)),
        ("za dwa tygodnie", date(2026, 12, 28)),
        ("za 3 dni", date(2026, 12, 17)),
        ("za tydzień", date(2026, 12, 21)),
        ("za kilka tygodni", date(2027, 1, 4)),
        ("w przyszłym tygodniu", date(2026, 12, 21)),
        ("w przyszłym miesiącu", date(2027, 1, 1)),
        ("w przyszlym roku", date(2027, 1, 1)),
        ("na początku przyszłego roku", date(2027, 1, 1)),
        ("jutro", date(2026, 12, 15)),
        ("po świętach", date(2027, 1, 5)),
        ("po Nowym Roku", date(2027, 1, 5)),
        ("w nowym roku", date(2027, 1, 1)),
        ("po Wielkanocy", date(2027, 3, 29)),
        ("po świętach wielkanocnych", date(2027, 3, 29)),
        ("po Trzech Królach", date(2027, 1, 7)),
        ("po styczniu", date(2027, 2, 1)),
        ("w środę 13 stycznia", date(2027, 1, 13)),
    ] {
        assert_eq!(best(text, r), Some(want), "{text:?}");
    }
    // Traps: "po" and "do" before no date, German "Sie" is no August, "do" before
    // an English month that is a verb.
    for text in [
        "po prostu nie mam czasu",
        "do zobaczenia",
        "Können Sie 15 Minuten?",
        "what do May and June look like",
        "Dziękuję za rozmowę",
    ] {
        assert_eq!(best(text, r), None, "{text:?}");
    }
}

/// Turkish dates: a case ending after the month ("Ocak'ta", "Ocak'tan sonra"), the
/// part of the month after it ("Ocak ortasına kadar"), "sonra" after a count.
#[test]
fn turkish_dates() {
    let r = date(2026, 12, 14);
    for (text, want) in [
        (
            "18 Ocak'tan sonra tekrar yazabilir misin?",
            date(2027, 1, 18),
        ),
        ("11 Ocak'tan itibaren müsaitim", date(2027, 1, 11)),
        ("18 Ocak 2027'den sonra", date(2027, 1, 18)),
        ("15 Ocak sonrası", date(2027, 1, 15)),
        ("Ocak ortasına kadar yoğunum", date(2027, 1, 15)),
        ("Mart başında tekrar yaz", date(2027, 3, 1)),
        ("Şubat sonuna kadar", date(2027, 2, 28)),
        ("Ocak'ta görüşelim", date(2027, 1, 1)),
        ("Ocak ayında", date(2027, 1, 1)),
        ("Ocak'tan sonra", date(2027, 2, 1)),
        ("ayın 20'sinden sonra", date(2026, 12, 20)),
        ("iki hafta sonra", date(2026, 12, 28)),
        ("birkaç gün içinde", date(2026, 12, 17)),
        ("bir ay sonra", date(2027, 1, 14)),
        ("gelecek hafta", date(2026, 12, 21)),
        ("önümüzdeki ay", date(2027, 1, 1)),
        ("haftaya", date(2026, 12, 21)),
        ("seneye", date(2027, 1, 1)),
        ("yeni yılda", date(2027, 1, 1)),
        ("yılbaşından sonra", date(2027, 1, 5)),
        ("yarın", date(2026, 12, 15)),
        ("12 Ocak Salı saat 11:00", date(2027, 1, 12)),
        ("Cuma'ya kadar", date(2026, 12, 18)),
    ] {
        assert_eq!(best(text, r), Some(want), "{text:?}");
    }
    for text in ["toplantıdan sonra", "dosya eki", "ara sıra", "pazar payı"] {
        assert_eq!(best(text, r), None, "{text:?}");
    }
}

/// Return days of Polish and Turkish out-of-office notices: an inclusive last day,
/// a range, a named day back, "from" a day with a word that says back.
#[test]
fn polish_and_turkish_return_days() {
    let r = date(2026, 12, 24);
    for (text, back) in [
        (
            "jestem na urlopie do 8 stycznia 2027 r. włącznie.",
            date(2027, 1, 9),
        ),
        ("Jestem poza biurem od 3 do 6 stycznia.", date(2027, 1, 7)),
        ("Jestem na urlopie. Wracam 11 stycznia.", date(2027, 1, 11)),
        ("Od 11 stycznia będę ponownie dostępna.", date(2027, 1, 11)),
        (
            "Będę z powrotem w poniedziałek 4 stycznia.",
            date(2027, 1, 4),
        ),
        (
            "4 Ocak 2027 tarihine kadar ofis dışındayım.",
            date(2027, 1, 4),
        ),
        ("7 Ocak'tan itibaren ofisteyim.", date(2027, 1, 7)),
        (
            "İzindeyim, 11 Ocak Pazartesi günü döneceğim.",
            date(2027, 1, 11),
        ),
    ] {
        assert_eq!(return_date(text, r).map(|f| f.date), Some(back), "{text}");
    }
    // The start of an absence is no return day.
    assert_eq!(
        return_date("Od 28 grudnia jestem na urlopie.", r).map(|f| f.date),
        None
    );
}
