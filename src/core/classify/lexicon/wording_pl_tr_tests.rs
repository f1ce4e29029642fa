//! How people word their answers in Polish and Turkish, in the style of
//! `wording_tests`: each phrase family with its neighbours (both genders, "Pan /
//! Pani", "siz / sen", phone typing without diacritics) and the traps it must not
//! catch (a yes under a negation, a thanks inside a refusal, a question, a
//! condition). Every row is read against Monday 1 February 2027.

use super::super::Intent::{Later, No, Other, Yes};
use super::super::intent::{Reading, bare_thanks, request_phrase, thanks_phrase};
use super::wording_tests::When::{Any, Day, Month, Undated};
use super::wording_tests::check;

#[test]
fn polish_refusals_and_their_traps() {
    check(&[
        (
            "Dziękuję za zaproszenie, ale niestety muszę odmówić.",
            No,
            Any,
        ),
        ("Dziękuję, ale nie skorzystam.", No, Any),
        ("dziekuje, ale nie skorzystam", No, Any),
        ("Tym razem podziękuję.", No, Any),
        ("Nie, dziękuję.", No, Any),
        ("Niestety nie dam rady.", No, Any),
        ("nie moge niestety", No, Any),
        ("Nie będę mógł wziąć udziału, przepraszam.", No, Any),
        ("Nie będę mogła się spotkać.", No, Any),
        ("Nie jestem zainteresowana, dziękuję.", No, Any),
        ("Wtorek mi nie pasuje.", No, Any),
        ("Ten termin nie pasuje mi zupełnie.", No, Any),
        ("Nie jestem właściwą osobą do takiej rozmowy.", No, Any),
        ("Dzięki, ale to nie wchodzi w grę.", No, Any),
        (
            "Bardzo chętnie bym pomógł, ale niestety nie dam rady.",
            No,
            Any,
        ),
        // Traps: "I can't wait" holds "nie mogę" and is a yes; "probably" is no yes.
        ("Nie mogę się doczekać naszej rozmowy!", Yes, Any),
        ("Pewnie będę zajęty do końca miesiąca.", Other, Any),
        ("Dobrze, że piszesz.", Other, Any),
    ]);
}

#[test]
fn polish_acceptances_and_their_traps() {
    check(&[
        ("Chętnie! Pasuje mi czwartek 14 stycznia o 15:00.", Yes, Any),
        (
            "Jasne, chętnie porozmawiam. Pasuje Ci środa 13 stycznia o 17:00?",
            Yes,
            Any,
        ),
        (
            "Dzień dobry, chętnie porozmawiam. Czy pasuje Panu czwartek o 10:00?",
            Yes,
            Any,
        ),
        ("Z przyjemnością się spotkam.", Yes, Any),
        ("Tak, pasuje mi wtorek.", Yes, Any),
        ("chetnie, sroda 15:00", Yes, Any),
        ("Nie ma problemu, dzwoń w czwartek.", Yes, Any),
        ("Byłabym zainteresowana, proszę o zaproszenie.", Yes, Any),
        ("Bylbym zainteresowany.", Yes, Any),
        ("Jak najbardziej, do zobaczenia w piątek!", Yes, Any),
        (
            "Prowadzę kalendarz pani dyrektor Nowak; chętnie z Panem porozmawia – czy pasuje 3 lutego o 14:00?",
            Yes,
            Any,
        ),
        ("Wysłałam zaproszenie na czwartek.", Yes, Any),
        // Traps: a question, a condition, a negation.
        ("Czy pasuje Panu czwartek?", Other, Any),
        ("Jeśli Panu pasuje, proszę dać znać.", Other, Any),
        ("To mi nie pasuje.", No, Any),
        ("Jasne jest, że to ważny temat.", Other, Any),
    ]);
}

#[test]
fn polish_deferrals_keep_their_dates() {
    check(&[
        // The day named ("after the 10th"); the first free day, the 11th, is
        // `dates::first_day_after`'s, as in every language.
        ("Chętnie, ale dopiero po 10 marca.", Later, Day(2027, 3, 10)),
        (
            "Teraz nie dam rady, odezwij się proszę w marcu.",
            Later,
            Month(3),
        ),
        (
            "Niestety w tym miesiącu nie dam rady, ale chętnie porozmawiam w marcu, np. po 10-tym.",
            Later,
            Day(2027, 3, 10),
        ),
        (
            "Chętnie, ale dopiero po Wielkanocy. Odezwij się po 10 kwietnia.",
            Later,
            Day(2027, 4, 10),
        ),
        ("Napisz za dwa tygodnie.", Later, Day(2027, 2, 15)),
        ("W przyszłym miesiącu chętnie.", Later, Day(2027, 3, 1)),
        (
            "Czy możemy przełożyć to na koniec kwietnia?",
            Later,
            Month(4),
        ),
        (
            "Chętnie, ale dopiero po Wielkanocy.",
            Later,
            Day(2027, 3, 29),
        ),
        (
            "Od 11 marca jestem dostępna, wtedy porozmawiajmy.",
            Later,
            Day(2027, 3, 11),
        ),
        ("Wróćmy do tematu po wakacjach.", Later, Undated),
        ("Odezwij sie po 20-tym", Later, Day(2027, 2, 20)),
        ("Kiedy indziej chętnie, teraz jestem w podróży.", Later, Any),
    ]);
}

#[test]
fn turkish_refusals_and_their_traps() {
    check(&[
        (
            "Davetin için teşekkürler ama maalesef katılamayacağım.",
            No,
            Any,
        ),
        (
            "Teşekkür ederim ama maalesef bu aralar görüşme yapamayacağım.",
            No,
            Any,
        ),
        (
            "İlginiz için teşekkür ederim, ancak bu görüşmeyi kabul edemeyeceğim.",
            No,
            Any,
        ),
        ("Maalesef bu ay görüşemeyeceğim, kusura bakmayın.", No, Any),
        ("Hayır, teşekkürler.", No, Any),
        ("Teşekkürler, kalsın.", No, Any),
        ("tesekkurler ama katilamayacagim", No, Any),
        ("Salı benim için uygun değil.", No, Any),
        ("Maalesef müsait değilim.", No, Any),
        ("musait degilim", No, Any),
        ("İlgilenmiyorum.", No, Any),
        ("Bu sefer pas geçeceğim.", No, Any),
        // Traps: a question is no answer, a yes mentioned is no yes.
        ("Salı uygun mu?", Other, Any),
        ("Bu saat size uygun mu?", Other, Any),
        ("Evet mi hayır mı, henüz karar vermedim.", Other, Any),
    ]);
}

#[test]
fn turkish_acceptances() {
    check(&[
        (
            "Memnuniyetle görüşürüm. 12 Şubat Cuma saat 11:00 uygun mu?",
            Yes,
            Any,
        ),
        ("Memnuniyetle. 10 Şubat saat 14:00 uygun mu?", Yes, Any),
        ("Tabii ki, salı öğleden sonra müsaitim.", Yes, Any),
        (
            "Mesajınız için teşekkürler, salı günü benim için uygun.",
            Yes,
            Any,
        ),
        ("Memnuniyetle, salı günü saat 11 bana uyar.", Yes, Any),
        ("Olur, çarşamba görüşelim.", Yes, Any),
        ("musaitim, persembe 14:00", Yes, Any),
        ("Çok isterim! Perşembe 15:00 benim için uygun.", Yes, Any),
        ("Harika, davet gönderdim.", Yes, Any),
        ("Neden olmasın, kahve içelim.", Yes, Any),
        (
            "Ayşe Hanım'ın takvimini ben yönetiyorum; sizinle memnuniyetle görüşür.",
            Yes,
            Any,
        ),
    ]);
}

#[test]
fn turkish_deferrals_keep_their_dates() {
    check(&[
        (
            "Çok isterim ama Mart ortasına kadar yoğunum. 18 Mart'tan sonra tekrar yazabilir misin?",
            Later,
            Day(2027, 3, 18),
        ),
        (
            "Şu sıralar çok yoğunum; Nisan başında tekrar yazarsan sevinirim.",
            Later,
            Day(2027, 4, 1),
        ),
        (
            "Çok isterim ama şu sıralar çok yoğunum, biraz ileride görüşebilir miyiz?",
            Later,
            Undated,
        ),
        (
            "Gelecek ay tekrar yazabilir misiniz?",
            Later,
            Day(2027, 3, 1),
        ),
        ("İki hafta sonra tekrar yaz.", Later, Day(2027, 2, 15)),
        (
            "Memnuniyetle, ama ancak 15 Mart'tan sonra.",
            Later,
            Day(2027, 3, 15),
        ),
        ("Mart'ta tekrar yazın.", Later, Month(3)),
        (
            "11 Mart'tan itibaren müsaitim, o zaman görüşelim.",
            Later,
            Day(2027, 3, 11),
        ),
        ("Bayramdan sonra tekrar iletişime geçelim.", Later, Undated),
        ("Ayın 20'sinden sonra yaz lütfen.", Later, Day(2027, 2, 20)),
    ]);
}

#[test]
fn acknowledgements_are_no_answers_in_polish_and_turkish() {
    check(&[
        (
            "Otrzymałem, dziękuję. Sprawdzę kalendarz i dam znać.",
            Other,
            Any,
        ),
        ("Dostałam, odezwę się jutro.", Other, Any),
        ("O czym dokładnie chciałby Pan porozmawiać?", Other, Any),
        (
            "Mesajınızı aldım, teşekkürler. En kısa sürede dönüş yapacağım.",
            Other,
            Any,
        ),
        ("Teşekkürler, takvimime bakıp haber vereceğim.", Other, Any),
        ("Tam olarak ne hakkında konuşmak istiyorsunuz?", Other, Any),
    ]);
    let mut bad = Vec::new();
    for ack in [
        "Dziękuję, otrzymałem. Odezwę się.",
        "Dzięki, dam znać.",
        "Teşekkürler, aldım. Size döneceğim.",
    ] {
        if let Some(t) = bare_thanks(&Reading::new(ack)) {
            bad.push(format!("{ack:?} read as only thanks ({t})"));
        }
    }
    for thanks in ["Dziękuję bardzo!", "Çok teşekkürler!"] {
        if bare_thanks(&Reading::new(thanks)).is_none() {
            bad.push(format!("{thanks:?} not read as only thanks"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A thank-you thanks for the meeting; a thanks for a message, an invitation
/// declined, an order or a pitch is none.
#[test]
fn polish_and_turkish_thank_yous_and_their_traps() {
    let mut bad = Vec::new();
    for real in [
        "Dziękuję za wczorajszą rozmowę, bardzo mi pomogła!",
        "Dzięki za kawę i wszystkie wskazówki.",
        "Miło było Cię poznać na konferencji.",
        "dzieki za rozmowe",
        "Dünkü görüşme için çok teşekkürler, çok faydalı oldu!",
        "Konferansta tanışmak çok güzeldi.",
        "Kahve için teşekkürler!",
        "gorusme icin tesekkurler",
    ] {
        if thanks_phrase(&Reading::new(real)).is_none() {
            bad.push(format!("{real:?} not read as a thank-you"));
        }
    }
    for trap in [
        "Dziękuję za wiadomość.",
        "Dziękuję za zaproszenie, ale nie skorzystam.",
        "Dziękujemy za zamówienie.",
        "Dziękuję za poświęcony czas. Oferujemy bezpłatny okres próbny.",
        "Davetiniz için teşekkürler ama katılamayacağım.",
        "Siparişiniz için teşekkür ederiz.",
        "Görüşme için müsaitim.",
        "Zaman ayırdığınız için teşekkürler, hizmetlerimiz hakkında bilgi vermek isteriz.",
    ] {
        if let Some(t) = thanks_phrase(&Reading::new(trap)) {
            bad.push(format!("{trap:?} read as a thank-you ({})", t.phrase));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Requests for time in Polish (the ask before what it asks for) and Turkish (what
/// it asks for before the ask), and the traps: answers, small talk, pitches.
#[test]
fn polish_and_turkish_requests_and_their_traps() {
    let mut bad = Vec::new();
    for ask in [
        "Czy znalazłbyś chwilę na krótką rozmowę w przyszłym tygodniu?",
        "Czy miałaby Pani 20 minut na rozmowę?",
        "Kawa w przyszłym tygodniu?",
        "Masz ochotę na piwo po konferencji?",
        "Czy byłaby możliwość krótkiego spotkania we wtorek o 15 lub w czwartek o 10?",
        "czy mialbys czas na kawe?",
        "Önümüzdeki hafta kısa bir görüşme için müsait misin?",
        "Önümüzdeki 2-3 hafta içinde 25 dakikalık bir görüşme için müsait olur musunuz?",
        "Konferanstan sonra bir kahve içelim mi?",
        "Gelecek hafta telefonla konuşabilir miyiz?",
        "Kahveye ne dersin?",
        "onumuzdeki hafta kisa bir gorusme icin musait misiniz?",
    ] {
        if request_phrase(&Reading::new(ask)).is_none() {
            bad.push(format!("not read as a request: {ask:?}"));
        }
    }
    for trap in [
        "Tak, chętnie porozmawiam we wtorek.",
        "Chętnie, kawa w czwartek mi pasuje.",
        "Kawa była świetna, dzięki.",
        "Oferujemy krótkie demo – czy ma Pan 15 minut na rozmowę?",
        "Evet, salı günü kısa bir görüşme için müsaitim.",
        "Kahve çok güzeldi, teşekkürler.",
        "Ücretsiz deneme sunuyoruz – 15 dakikalık bir görüşme için müsait misiniz?",
    ] {
        if let Some(p) = request_phrase(&Reading::new(trap)) {
            bad.push(format!("{trap:?} read as a request ({p:?})"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Polish's "tak" is Danish and Norwegian thanks: it is no Polish yes.
#[test]
fn danish_thanks_stay_thanks() {
    check(&[("Tak for mødet i går.", Other, Any), ("Nej tak.", No, Any)]);
    assert!(thanks_phrase(&Reading::new("Tak for mødet i går.")).is_some());
}

/// A slot or a call offered is a yes, an answer that asks to be understood a no, and
/// more room from a date a later; the negated offer is none of them.
#[test]
fn offers_and_plain_refusals_in_polish_and_turkish() {
    check(&[
        (
            "W czwartek po 14 jestem w biurze, proszę dzwonić.",
            Yes,
            Any,
        ),
        ("Zadzwoń śmiało w piątek.", Yes, Any),
        ("Mam wolne we wtorek po południu.", Yes, Any),
        ("Salı boşum, beni arayabilirsiniz.", Yes, Any),
        ("Perşembe vaktim var, link göndereceğim.", Yes, Any),
        ("Proszę nie dzwonić, wolę maila.", Other, Any),
        ("Beni aramayın lütfen.", Other, Any),
        ("Liczę na zrozumienie, nie mam wolnych terminów.", No, Any),
        ("Anlayışınız için teşekkürler, bu dönem görüşemem.", No, Any),
        (
            "Do końca lutego mam bardzo napięty grafik. Proszę odezwać się w marcu, wtedy chętnie porozmawiam.",
            Later,
            Month(3),
        ),
        (
            "Şubat'ın ikinci yarısında tekrar yazarsanız bakarız.",
            Later,
            Day(2027, 2, 15),
        ),
        ("Od marca będę miała więcej czasu.", Later, Month(3)),
    ]);
}

/// A refusal of such meetings at all, a later asked as a question, a yes in plain
/// words; a handing-on to a colleague is no yes ("X daha doğru kişi olur": X would be
/// the right person).
#[test]
fn plain_wording_in_polish_and_turkish() {
    check(&[
        ("Kusura bakmayın, bu tür görüşmelere katılmıyorum.", No, Any),
        ("Nie biorę udziału w takich rozmowach.", No, Any),
        (
            "Yılbaşına kadar çok yoğunum. Mart ortasında tekrar konuşalım mı?",
            Later,
            Day(2027, 3, 15),
        ),
        (
            "Mesajınız için teşekkürler, memnuniyetle görüşebilirim.",
            Yes,
            Any,
        ),
        ("Olur, perşembe öğleden sonra arayabilirsiniz.", Yes, Any),
        (
            "Çok isterim ama şu sıralar çok yoğunum, biraz ileride görüşebilir miyiz?",
            Later,
            Undated,
        ),
        (
            "Bu konuda ekip arkadaşım Elif Kaya daha doğru kişi olur, kendisini bilgiye ekledim.",
            Other,
            Any,
        ),
    ]);
}

/// A second round of neighbours and traps: "I can't wait" after a thanks, a
/// "whether" that doubts, a reminder asked for, phone typing.
#[test]
fn second_round_of_neighbours_in_polish_and_turkish() {
    check(&[
        ("Dziękuję, nie mogę się doczekać!", Yes, Any),
        ("Jasne! Kiedy Ci pasuje?", Yes, Any),
        (
            "Proszę mi przypomnieć za dwa tygodnie.",
            Later,
            Day(2027, 2, 15),
        ),
        ("Nie jestem pewien, czy to dobry pomysł.", Other, Any),
        ("Nie wiem, czy mi pasuje czwartek.", Other, Any),
        ("chetnie, ale dopiero w marcu", Later, Month(3)),
        ("spoko, pasuje mi", Yes, Any),
        ("Maalesef, bu tür talepleri kabul etmiyoruz.", No, Any),
        ("sagol ama su an olmaz", No, Any),
        ("tamamdir, persembe gorusuruz", Yes, Any),
        ("musait degilim kusura bakma", No, Any),
        ("Şubat'ta tekrar iletişime geçelim.", Later, Month(2)),
    ]);
    let mut bad = Vec::new();
    for ask in [
        "Hej, masz czas na szybki call jutro?",
        "Chciałbym umówić się na krótkie spotkanie w sprawie współpracy.",
        "Merhaba, yarın kısa bir toplantı yapabilir miyiz?",
        "Önümüzdeki hafta 20 dakikanızı rica edebilir miyim?",
    ] {
        if request_phrase(&Reading::new(ask)).is_none() {
            bad.push(format!("not read as a request: {ask:?}"));
        }
    }
    if let Some(p) = request_phrase(&Reading::new(
        "Czy mógłby Pan przesłać agendę przed spotkaniem?",
    )) {
        bad.push(format!("an agenda asked for read as a request ({p:?})"));
    }
    for real in [
        "Dzięki za wczoraj, świetna rozmowa!",
        "Dünkü toplantı için teşekkürler!",
    ] {
        if thanks_phrase(&Reading::new(real)).is_none() {
            bad.push(format!("{real:?} not read as a thank-you"));
        }
    }
    for trap in [
        "Dziękujemy za zakup w naszym sklepie.",
        "Dziękuję za informację, przekażę dalej.",
    ] {
        if thanks_phrase(&Reading::new(trap)).is_some() {
            bad.push(format!("{trap:?} read as a thank-you"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}
