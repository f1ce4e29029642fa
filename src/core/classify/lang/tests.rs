use super::*;

fn code(t: &str) -> Option<(&'static str, bool)> {
    identify(t).map(|l| (l.code, l.listed))
}

#[test]
fn short_replies_in_listed_languages_are_never_unlisted() {
    for t in [
        "Works for me!",
        "Sure.",
        "Ja, gerne.",
        "Oui avec plaisir",
        "Sounds good, see you then.",
        "Sí, perfecto.",
        "Prima, tot dan!",
        "Låter bra!",
        "Perfetto, a presto",
        "Claro, combinado.",
        "Thanks!",
        "OK",
    ] {
        assert!(
            code(t).is_none_or(|(_, listed)| listed),
            "{t:?} -> {:?}",
            identify(t)
        );
    }
}

#[test]
fn longer_texts_in_listed_languages_stay_listed() {
    for t in [
        "Thanks for reaching out. I'd be happy to have a call next week, Tuesday afternoon works best for me.",
        "Vielen Dank für die Nachricht, leider habe ich in den nächsten Wochen keine Zeit für ein Treffen.",
        "Merci pour votre message, je serais ravi d'en discuter la semaine prochaine autour d'un café.",
        "Muchas gracias por escribirme, pero ahora mismo no tengo tiempo para una reunión.",
        "Grazie mille per il messaggio, purtroppo questo mese sono molto impegnato con il lavoro.",
        "Obrigado pelo convite, mas não vou conseguir participar este mês, estou viajando.",
        "Bedankt voor je bericht, ik heb volgende week wel tijd voor een kop koffie.",
        "Tack för ditt mejl, jag har tyvärr inte tid just nu men hör gärna av dig senare.",
    ] {
        assert!(
            code(t).is_some_and(|(_, listed)| listed),
            "{t:?} -> {:?}",
            identify(t)
        );
    }
}

#[test]
fn polish_and_turkish_are_listed_and_told_by_their_letters() {
    for (t, want) in [
        (
            "Dziękuję za wiadomość, niestety w tym miesiącu nie dam rady się spotkać.",
            "pl",
        ),
        ("Cześć, pasuje mi środa.", "pl"),
        (
            "Mesajınız için teşekkürler, maalesef bu ay görüşemeyeceğim.",
            "tr",
        ),
        ("Memnuniyetle, salı günü saat 11 bana uyar.", "tr"),
    ] {
        let l = identify(t);
        assert!(
            l.is_some_and(|l| l.listed && (l.code == want || l.how == "word list")),
            "{t:?} -> {l:?}"
        );
    }
    // Without their letters, short replies fall back to the lists.
    for t in ["dzieki, pasuje", "tamam, sali uygun"] {
        assert!(code(t).is_none_or(|(_, listed)| listed), "{t:?}");
    }
}

#[test]
fn unlisted_languages_are_told_by_script_letters_or_statistics() {
    let cases = [
        (
            "Спасибо за письмо, к сожалению, я не смогу встретиться.",
            "ru",
        ),
        ("谢谢你的邮件，我下周有空。", "zh"),
        ("메일 감사합니다. 다음 주에 시간이 됩니다.", "ko"),
    ];
    for (t, want) in cases {
        let l = identify(t);
        assert_eq!(
            l.map(|l| (l.code, l.listed)),
            Some((want, false)),
            "{t:?} -> {l:?}"
        );
    }
    assert_eq!(code("来週の火曜日でお願いします。"), Some(("ja", true)));
}

#[test]
fn a_polish_name_in_an_english_reply_is_not_polish() {
    assert_eq!(
        code("Sounds good, Tuesday at 3pm works for me. Best, Łukasz").map(|c| c.1),
        Some(true)
    );
}
