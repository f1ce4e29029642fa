use super::*;

#[test]
fn gmail_top_posting() {
    let t = "Yes, happy to.\n\nOn Mon, Apr 2, 2012 at 6:26 PM, Megan One <\nxxx@gmail.com> wrote:\n\n> Hi\n> can we meet?\n";
    assert_eq!(fresh_text(t).text, "Yes, happy to.");
}

#[test]
fn bottom_posting_keeps_text_after_quote() {
    let t = "On 04/02/2012 06:26 PM, Megan One wrote:\n> Hi\nHello there";
    assert_eq!(fresh_text(t).text, "Hello there");
}

#[test]
fn outlook_header_block() {
    let t = "Sounds good.\n\nFrom: Bob [mailto:bob@x.com]\nSent: Monday\nTo: me\nSubject: hi\n\nold text";
    assert_eq!(fresh_text(t).text, "Sounds good.");
}

#[test]
fn original_message_separator_and_signature() {
    let t = "No thanks.\n-- \nBob\n";
    assert_eq!(fresh_text(t).text, "No thanks.");
    let t = "Hello\n\n-----Original Message-----\nFrom: bob\nSent: now\n";
    assert_eq!(fresh_text(t).text, "Hello");
    let t = "Hello\n\n----- Original Message -----\nFrom: bob\n";
    assert_eq!(fresh_text(t).text, "Hello");
}

#[test]
fn french_and_german_attributions() {
    let t = "Oui.\n\nLe 3 déc. 2026 à 10:00, Jean <j@x.fr> a écrit :\n\nancien texte";
    assert_eq!(fresh_text(t).text, "Oui.");
    let t = "Gerne.\n\nAm 03.12.2026 um 10:00 schrieb Lena Vogel <l@v.de>:\nalter Text";
    assert_eq!(fresh_text(t).text, "Gerne.");
    let t = "It's 1.0.\n\nHocuri schrieb am 17.03.2021 14:25 (GMT +01:00):\n> What's the version?";
    assert_eq!(fresh_text(t).text, "It's 1.0.");
}

#[test]
fn gmx_header_block_in_either_order() {
    let t = "YIPPEE\n\nGesendet: Dienstag, 08. Dezember 2020\nVon: bob@gmx.de\nAn: Alice\n\nNow?";
    assert_eq!(fresh_text(t).text, "YIPPEE");
}

#[test]
fn sent_from_iphone_is_cut() {
    let t = "Hello\n\nSent from my iPhone\n\nOn Apr 3, 2012, at 4:19 PM, bob wrote:\n\n> Hi";
    assert_eq!(fresh_text(t).text, "Hello");
}

#[test]
fn html_blockquote_becomes_quoted_lines() {
    let h = "<div>Yes!</div><div class=\"gmail_quote\">On Mon, X wrote:<blockquote>Out of office<br>until May</blockquote></div>";
    let t = html_to_text(h);
    assert!(t.contains("> Out of office"), "{t}");
    assert_eq!(fresh_text(&t).text, "Yes!");
}

#[test]
fn html_entities_and_style() {
    let h = "<html><head><style>p{color:red}</style></head><body><p>A&amp;B&nbsp;&lt;c&gt; &#233;&#x41;</p></body></html>";
    assert_eq!(html_to_text(h).trim(), "A&B <c> éA");
}

#[test]
fn html_entities_beyond_the_common_few() {
    let h = "<p>Viele Gr&uuml;&szlig;e &amp; bis bald &ndash; &Ouml;zlem&hellip; &euro;5 &#8364;5 &#x20AC;5 &copy; &AMP;&NBSP;x</p>";
    assert_eq!(
        html_to_text(h).trim(),
        "Viele Grüße & bis bald \u{2013} Özlem… €5 €5 €5 © & x"
    );
    // Not a reference: kept as written.
    let h = "<p>R&D &unknownentity; &#xZZ; AT&T;</p>";
    assert_eq!(html_to_text(h).trim(), "R&D &unknownentity; &#xZZ; AT&T;");
}

#[test]
fn hostile_html_does_not_panic() {
    for h in [
        "<",
        "<a",
        "&",
        "&#xFFFFFFFF;",
        "<!--",
        "<blockquote><blockquote>",
        "</blockquote></x",
        "&#55296;",
    ] {
        let _ = html_to_text(h);
    }
}

#[test]
fn attributions_in_more_languages() {
    for t in [
        "Sim.\n\nEm seg., 3 de dez. de 2026 às 10:00, Ana <a@b.pt>\nescreveu:\n\ntexto antigo",
        "Ja.\n\nOp 3 dec. 2026 om 10:00 schreef Piet\n<p@v.nl>:\n\noude tekst",
        "Sì.\n\nIl giorno 3 dic 2026 alle ore 10:00 Luca <l@x.it>\nha scritto:\n\ntesto",
        "Ja.\n\nDen tis 3 dec. 2026 kl 10:00 skrev Anna\n<a@b.se>:\n\ngammal text",
        "Sí.\n\nEl mar, 3 dic 2026 a las 10:00, Ana (<a@b.es>)\nescribió:\n\ntexto",
    ] {
        let f = fresh_text(t);
        assert!(f.quote_found, "{t:?}");
        assert_eq!(f.text.lines().count(), 1, "{t:?} -> {:?}", f.text);
    }
}

#[test]
fn quote_headers_and_signatures_in_more_languages() {
    let t =
        "Prima.\n\nVan: Piet [mailto:p@v.nl]\nVerzonden: maandag\nAan: mij\nOnderwerp: hoi\n\noud";
    assert_eq!(fresh_text(t).text, "Prima.");
    let t = "Ok.\n\nDe: Ana\nEnviada: segunda-feira\nPara: mim\nAssunto: oi\n\nvelho";
    assert_eq!(fresh_text(t).text, "Ok.");
    let t = "Ok.\n\nVerzonden vanaf mijn iPhone\n\nOp 3 dec. schreef Piet <p@v.nl>:\n> hoi";
    assert_eq!(fresh_text(t).text, "Ok.");
    let t = "Claro.\n\nInício da mensagem reencaminhada:\n\nDe: Ana <a@b.pt>";
    let f = fresh_text(t);
    assert_eq!(f.text, "Claro.");
    assert!(f.quote_found);
    let t = "Ja.\n\n-------- Oorspronkelijk bericht --------\nVan: Piet";
    assert_eq!(fresh_text(t).text, "Ja.");
}

#[test]
fn quote_traps_stay_fresh_text() {
    for t in [
        // A sentence that starts like an attribution but never ends like one.
        "On Monday we meet at 10.\nAm Dienstag geht es auch.\nLe mardi aussi.",
        // "van:" / "de:" only open a quote when header names follow.
        "Van: de trein naar huis.\nDe: nada, fue un placer.",
        // Dashes around words that are no separator.
        "----- agenda -----\nSee you there.",
        // A sentence that mentions a device, not a signature line.
        "Sent from my phone yesterday, the file you asked for is attached, see the notes at the end.",
    ] {
        let f = fresh_text(t);
        assert_eq!(f.text, t, "{t:?}");
        assert!(!f.quote_found, "{t:?}");
    }
}

#[test]
fn phrases_match_on_word_boundaries() {
    let sure = lexicon::PhraseSet::from_list(&["sure"]);
    assert!(!sure.any(&normalise_for_match("I am unsure. Measure twice.")));
    assert!(sure.any(&normalise_for_match("Sure, that works!")));
    let glad = lexicon::PhraseSet::from_list(&["i'd be glad"]);
    assert!(glad.any(&normalise_for_match("I\u{2019}d be glad")));
}

/// The request the fixtures quote: its "happy to" must never reach the fresh text.
const QUOTED: &str = "Would you have 20 minutes for a call? Happy to work around you.";

fn quoted() -> String {
    QUOTED
        .lines()
        .map(|l| format!("> {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn outlook_header_blocks_in_unlisted_languages() {
    for (fresh, block) in [
        (
            "Niestety nie dam rady.",
            "Od: Sam Rivera <sam@x.com>\nWysłane: środa, 2 grudnia 2026 09:00\nDo: Dana\nTemat: Rozmowa?",
        ),
        (
            "Maalesef gelemiyorum.",
            "Kimden: Sam Rivera <sam@x.com>\nGönderildi: 2 Aralık 2026 Çarşamba 09:00\nKime: Dana\nKonu: Görüşme?",
        ),
        (
            "К сожалению, не смогу.",
            "От: Sam Rivera <sam@x.com>\nОтправлено: 2 декабря 2026 г. 9:00\nКому: Dana\nТема: Звонок?",
        ),
        (
            "下周二可以。",
            "发件人: Sam Rivera <sam@x.com>\n发送时间: 2026年12月2日 9:00\n收件人: Dana\n主题: 通话?",
        ),
        (
            "下周二可以。",
            "发件人：Sam Rivera <sam@x.com>\n发送时间：2026年12月2日 9:00\n收件人：Dana\n主题：通话?",
        ),
        (
            "화요일 괜찮습니다.",
            "보낸 사람: Sam Rivera <sam@x.com>\n보낸 날짜: 2026년 12월 2일 수요일 오전 9:00\n받는 사람: Dana\n제목: 통화?",
        ),
        (
            "火曜日で大丈夫です。",
            "差出人: Sam Rivera <sam@x.com>\n送信日時: 2026年12月2日 9:00\n宛先: Dana\n件名: お電話?",
        ),
    ] {
        let t = format!("{fresh}\n\n{block}\n\n{QUOTED}");
        let f = fresh_text(&t);
        assert_eq!(f.text, fresh, "{t:?}");
        assert!(f.quote_found, "{t:?}");
    }
}

#[test]
fn attributions_in_unlisted_languages() {
    for (fresh, attribution) in [
        (
            "Pasuje mi środa.",
            "W dniu 2.12.2026 o 09:00 Sam Rivera <sam@x.com> napisał:",
        ),
        ("Pasuje mi środa.", "Sam Rivera <sam@x.com> napisał(a):"),
        (
            "Salı uygun.",
            "Sam Rivera <sam@x.com>, 2 Ara 2026 Çar, 09:00 tarihinde şunu yazdı:",
        ),
        ("Вторник подходит.", "Сэм пишет:"),
        (
            "下周二可以。",
            "Sam Rivera <sam@x.com> 于2026年12月2日周三 09:00写道：",
        ),
        (
            "화요일 괜찮습니다.",
            "2026년 12월 2일 (수) 오전 9:00, Sam Rivera <sam@x.com>님이 작성:",
        ),
    ] {
        let t = format!("{fresh}\n\n{attribution}\n\n{}", quoted());
        let f = fresh_text(&t);
        assert_eq!(f.text, fresh, "{t:?}");
        assert!(f.quote_found, "{t:?}");
    }
}

#[test]
fn phone_signatures_in_unlisted_languages() {
    for sig in [
        "Wysłane z iPhone'a",
        "iPhone'umdan gönderildi",
        "Отправлено с iPhone",
        "发自我的iPhone",
        "iPhone에서 보냄",
        "iPhoneから送信",
    ] {
        let t = format!("Ok.\n\n{sig}\n\n{}", quoted());
        assert_eq!(fresh_text(&t).text, "Ok.", "{t:?}");
    }
}

#[test]
fn unlisted_language_quote_traps_stay_fresh_text() {
    for t in [
        // "Do:" / "Od:" only open a block when header names follow.
        "Do zobaczenia w środę.\nOd jutra jestem w biurze.",
        // "Konu:" inside a sentence is no header.
        "Konu: bütçe. Salı günü konuşalım.",
        // A Russian sentence that says someone wrote, with no colon at the end.
        "Он пишет, что вторник подходит.",
    ] {
        let f = fresh_text(t);
        assert_eq!(f.text, t, "{t:?}");
        assert!(!f.quote_found, "{t:?}");
    }
}

/// A Gmail attribution that starts with the sender (Turkish, Polish) wrapped before its
/// last words: both lines are the attribution; a line that only ends in a colon stays.
#[test]
fn wrapped_attributions_that_start_with_the_sender() {
    for (fresh, attribution) in [
        (
            "Şubat'ın ikinci yarısında tekrar yazarsanız bakarız.",
            "Sam Rivera <sam@x.com>, 20 Oca 2027 Çar, 12:00 tarihinde şunu\nyazdı:",
        ),
        (
            "Pasuje mi środa.",
            "Sam Rivera <sam@x.com>, 2.12.2026 o 09:00\nnapisał(a):",
        ),
    ] {
        let t = format!("{fresh}\n\n{attribution}\n\n{}", quoted());
        let f = fresh_text(&t);
        assert_eq!(f.text, fresh, "{t:?}");
        assert!(f.quote_found, "{t:?}");
    }
    // Apple Mail's Polish attribution names the writer after its verb.
    let t = format!(
        "Pasuje mi środa.\n\nWiadomość napisana przez Sam Rivera <sam@x.com> w dniu 2.12.2026, o godz. 09:00:\n\n{}",
        quoted()
    );
    assert_eq!(fresh_text(&t).text, "Pasuje mi środa.");
    // The fresh text's last line holds no address: it stays.
    let t = format!("Salı uygun.\nAyşe\n\nyazdı:\n\n{}", quoted());
    assert_eq!(fresh_text(&t).text, "Salı uygun.\nAyşe");
}
