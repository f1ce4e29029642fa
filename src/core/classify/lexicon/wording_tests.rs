//! How real people word their answers, per language: each table row is a
//! reply's fresh text and the reading it must get, with its neighbours and
//! the traps that must not be caught. All failures are reported at once.

use jiff::civil::{Date, date};

use super::super::Intent;
use super::super::intent::{Judgement, Reading, judge, request_phrase, thanks_phrase};

/// What a row expects of the date a "later" points to.
#[derive(Debug, Clone, Copy)]
pub(super) enum When {
    /// No check.
    Any,
    /// No date found.
    Undated,
    /// A date in this month (1–12).
    Month(i8),
    /// Exactly this day.
    Day(i16, i8, i8),
}
use When::*;

/// The message date every row is read against: a Monday in early February.
const R: (i16, i8, i8) = (2027, 2, 1);

fn r() -> Date {
    date(R.0, R.1, R.2)
}

pub(super) fn check(rows: &[(&str, Intent, When)]) {
    let mut bad = Vec::new();
    for (text, want, when) in rows {
        let j: Judgement = judge(&Reading::new(text), r());
        let got_date = j.later_until.as_ref().map(|f| f.date);
        let date_ok = match when {
            Any => true,
            Undated => got_date.is_none(),
            Month(m) => got_date.is_some_and(|d| d.month() == *m),
            Day(y, m, d) => got_date == Some(date(*y, *m, *d)),
        };
        if j.intent != *want || !date_ok {
            bad.push(format!(
                "{text:?}: want {want:?} {when:?}, got {:?} {got_date:?} ({:?})",
                j.intent, j.phrase
            ));
        }
    }
    assert!(bad.is_empty(), "{} misread:\n{}", bad.len(), bad.join("\n"));
}

use Intent::{Later, No, Other, Yes};

#[test]
fn english_wording() {
    check(&[
        ("I'm going to have to pass on this one, sorry.", No, Any),
        (
            "I'll sit this one out, but thanks for thinking of me.",
            No,
            Any,
        ),
        ("Not for me right now, thanks.", No, Any),
        ("I'm afraid I'll have to decline.", No, Any),
        ("I'll have to say no this time.", No, Any),
        ("I'm going to bow out of this one.", No, Any),
        ("4 o'clock on the 9th is fine by me.", Yes, Any),
        ("Count me in!", Yes, Any),
        ("Happy to chat. Does Thursday work?", Yes, Any),
        ("Sure thing. Does the 14th at 11 suit?", Yes, Any),
        ("Tuesday at 3 works nicely for me.", Yes, Any),
        ("I'd be up for that. Send me a few times.", Yes, Any),
        (
            "I manage Dr. Lee's diary; she'd be glad to speak — could you do 2pm on the 3rd?",
            Yes,
            Any,
        ),
        (
            "I look after Mr. Okafor's calendar. He would be happy to meet; does Friday at 10 suit?",
            Yes,
            Any,
        ),
        ("Could we look at late April instead?", Later, Month(4)),
        (
            "Could we push it to March 3 instead?",
            Later,
            Day(2027, 3, 3),
        ),
        ("Would mid-March be possible instead?", Later, Month(3)),
        (
            "Would be great, though this spring is impossible for me.",
            Later,
            Undated,
        ),
        (
            "I'd love to, but this month is impossible. Try me after Easter?",
            Later,
            Any,
        ),
        ("After the holidays would suit me better.", Later, Any),
        // Acknowledgements are not answers.
        (
            "Received, thanks — let me check my calendar and come back to you.",
            Other,
            Any,
        ),
        (
            "Got it, thanks. I'll check with my team and revert.",
            Other,
            Any,
        ),
        ("Noted, I'll get back to you shortly.", Other, Any),
        // Traps.
        ("I can't say no to coffee!", Yes, Any),
        ("Not sure I follow — what is this about?", Other, Any),
        ("Who gave you my address?", Other, Any),
    ]);
}

#[test]
fn german_wording() {
    check(&[
        ("Ich muss leider absagen.", No, Any),
        ("Da muss ich leider passen.", No, Any),
        ("Das klappt bei mir leider nicht.", No, Any),
        ("Ich muss Ihnen leider eine Absage erteilen.", No, Any),
        ("Gerne! Donnerstag um 15 Uhr passt.", Yes, Any),
        ("Sehr gern, Dienstag passt mir gut.", Yes, Any),
        ("Nach Ostern gerne wieder.", Later, Any),
        ("Lassen Sie uns nach dem Sommer sprechen.", Later, Any),
        (
            "Können wir das auf Ende April verschieben?",
            Later,
            Month(4),
        ),
        (
            "Danke, ist angekommen – ich schaue in meinen Kalender und melde mich.",
            Other,
            Any,
        ),
        (
            "Ich betreue den Kalender von Frau Dr. Weber; sie spricht gerne mit Ihnen. Ginge Dienstag um 10 Uhr?",
            Yes,
            Any,
        ),
    ]);
}

#[test]
fn french_wording() {
    check(&[
        ("Je vais devoir décliner, désolé.", No, Any),
        ("Je passe mon tour cette fois-ci.", No, Any),
        ("Je dois malheureusement refuser.", No, Any),
        ("Avec plaisir, jeudi 14h me convient.", Yes, Any),
        ("Volontiers !", Yes, Any),
        ("Revenons-en à la rentrée.", Later, Any),
        ("Pourrions-nous plutôt viser fin avril ?", Later, Month(4)),
        ("Bien reçu, je reviens vers vous.", Other, Any),
        (
            "Bien reçu, merci. Je regarde mon agenda et je vous redis.",
            Other,
            Any,
        ),
    ]);
}

#[test]
fn spanish_wording() {
    check(&[
        ("Tengo que decir que no, lo siento.", No, Any),
        ("Me temo que tendré que declinar.", No, Any),
        ("Con gusto, el jueves a las 10 me va bien.", Yes, Any),
        ("Mejor después del verano.", Later, Any),
        ("¿Podríamos verlo a finales de abril?", Later, Month(4)),
        ("Recibido, lo reviso y te digo algo.", Other, Any),
    ]);
}

#[test]
fn italian_wording() {
    check(&[
        ("Devo rinunciare, mi dispiace.", No, Any),
        ("Purtroppo devo dire di no.", No, Any),
        ("Volentieri! Giovedì alle 15 va bene.", Yes, Any),
        ("Ne riparliamo dopo l'estate.", Later, Any),
        (
            "Ricevuto, grazie: controllo l'agenda e ti faccio sapere.",
            Other,
            Any,
        ),
    ]);
}

#[test]
fn portuguese_wording() {
    check(&[
        ("Vou ter que recusar.", No, Any),
        ("Obrigado pelo convite, mas não vou conseguir.", No, Any),
        ("Com prazer! Quinta às 15h funciona.", Yes, Any),
        ("Melhor depois das férias.", Later, Any),
        ("Recebido, vou ver a minha agenda e já te digo.", Other, Any),
    ]);
}

#[test]
fn dutch_wording() {
    check(&[
        ("Ik moet helaas afzeggen.", No, Any),
        ("Ik sla deze keer over.", No, Any),
        ("Graag! Donderdag om 15.00 uur past prima.", Yes, Any),
        ("Laten we het na de zomer oppakken.", Later, Any),
        ("Ontvangen, ik kom erop terug.", Other, Any),
    ]);
}

#[test]
fn scandinavian_wording() {
    check(&[
        ("Jag måste tacka nej den här gången.", No, Any),
        ("Tack för inbjudan, men jag måste tacka nej.", No, Any),
        ("Gärna! Torsdag kl 15 passar bra.", Yes, Any),
        ("Vi tar det efter sommaren.", Later, Any),
        ("Tack, jag har fått det och återkommer.", Other, Any),
        (
            "Tak for invitationen, men jeg må desværre takke nej.",
            No,
            Any,
        ),
        ("Tak, jeg vil gerne takke nej.", No, Any),
        ("Gerne! Torsdag passer fint.", Yes, Any),
        ("Lad os tage det efter sommerferien.", Later, Any),
        ("Tusen takk, men jeg må dessverre takke nei.", No, Any),
        ("Gjerne! Torsdag passer fint.", Yes, Any),
        ("Vi tar det etter sommerferien.", Later, Any),
    ]);
}

#[test]
fn japanese_wording() {
    check(&[
        ("ぜひお願いします。", Yes, Any),
        ("今回は見送らせていただきます。", No, Any),
        ("残念ながら参加できません。", No, Any),
        ("来月以降でお願いできますか。", Later, Any),
        ("受け取りました。確認して改めてご連絡します。", Other, Any),
    ]);
}

/// Requests for time, in every form and language, and the traps.
#[test]
fn requests_are_read_in_every_form() {
    let asks = [
        "Drinks after the conference?",
        "Coffee next week?",
        "Could I borrow 20 minutes to hear how you got into product?",
        "Would a quick call sometime next week be possible?",
        "Could we speak on Tuesday at 3pm or Wednesday at 10am?",
        "Zullen we volgende week even bellen?",
        "Heb je volgende week tijd voor een kop koffie?",
        "Wollen wir nach der Konferenz noch etwas trinken gehen?",
        "Un café la semaine prochaine ?",
        "¿Te apetece tomar un café la semana que viene?",
        "Ti va di prendere un caffè dopo la conferenza?",
        "Podemos marcar uma chamada rápida na próxima semana?",
        "Har du tid för ett kort samtal nästa vecka?",
        "来週、30分ほどお時間をいただけますか？",
    ];
    let mut bad = Vec::new();
    for a in asks {
        if request_phrase(&Reading::new(a)).is_none() {
            bad.push(format!("not read as a request: {a:?}"));
        }
    }
    for trap in [
        "Yes, happy to have a call on Tuesday.",
        "Sounds good, let's have a coffee on the 9th.",
        "Drinks were great last night.",
        "The conference drinks are on Friday.",
    ] {
        if let Some(p) = request_phrase(&Reading::new(trap)) {
            bad.push(format!("{trap:?} read as a request ({p:?})"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A thank-you thanks for time with the user; a sales phrase is not one.
#[test]
fn sales_thanks_are_not_thank_yous() {
    let mut bad = Vec::new();
    for spam in [
        "Thank you for your time and consideration. Our agency offers SEO services.",
        "Thanks for your attention. We offer a free trial of our platform.",
        "Thank you for taking the time to read this email.",
        "Vielen Dank für Ihre Aufmerksamkeit.",
        "Merci pour votre attention et votre considération.",
        "Gracias por su atención.",
        "Dear friend, thank you for your time. I have a business proposal for you.",
        "Thank you for your time and cooperation in this confidential matter.",
        "Thanks for your time! To be removed from our mailing list, reply REMOVE.",
    ] {
        if let Some(p) = thanks_phrase(&Reading::new(spam)) {
            bad.push(format!("{spam:?} read as a thank-you ({})", p.phrase));
        }
    }
    for real in [
        "Thank you for your time yesterday, it was really useful.",
        "Vielen Dank für das Gespräch heute.",
        "Merci pour l'échange de ce matin.",
    ] {
        if thanks_phrase(&Reading::new(real)).is_none() {
            bad.push(format!("{real:?} not read as a thank-you"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// An acknowledgement that promises an answer is no thank-you, even when it
/// says thanks; a thanks with nothing else still is one.
#[test]
fn acknowledgements_are_not_thank_yous() {
    use super::super::intent::bare_thanks;
    let mut bad = Vec::new();
    for ack in [
        "Received, thanks — let me check my calendar and come back to you.",
        "Danke, ist angekommen – ich melde mich.",
        "Merci, bien reçu. Je reviens vers vous.",
        "Gracias, recibido. Te digo algo.",
        "Grazie, ricevuto: ti faccio sapere.",
        "Obrigado, recebido. Já te digo.",
        "Bedankt, ontvangen. Ik kom erop terug.",
        "Tack, jag återkommer.",
        "ありがとうございます。確認してご連絡します。",
    ] {
        if let Some(t) = bare_thanks(&Reading::new(ack)) {
            bad.push(format!("{ack:?} read as only thanks ({t})"));
        }
    }
    for thanks in ["Thank you very much!", "Danke!", "Merci beaucoup."] {
        if bare_thanks(&Reading::new(thanks)).is_none() {
            bad.push(format!("{thanks:?} not read as only thanks"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A second round of neighbours: the same kinds in other words and
/// registers (mobile brevity, formal letters), every language.
#[test]
fn neighbours_in_every_language() {
    check(&[
        // English
        ("Afraid I can't this time round.", No, Any),
        ("I'll have to bow out, sorry!", No, Any),
        ("Thanks, but I'll pass.", No, Any),
        ("That doesn't work for me, I'm afraid.", No, Any),
        ("Yep, Thursday works.", Yes, Any),
        ("Sure, 10am on the 12th suits me.", Yes, Any),
        ("Happy to! Send over a couple of times.", Yes, Any),
        ("Love to. Tuesday?", Yes, Any),
        ("Can we revisit in the new year?", Later, Any),
        ("Let's pick this up after the summer.", Later, Any),
        ("Could we do early March instead?", Later, Month(3)),
        ("Ping me again in a couple of months.", Later, Any),
        ("Thanks, got it - will revert shortly.", Other, Any),
        // German
        ("Leider nein, danke.", No, Any),
        ("Ich muss leider passen.", No, Any),
        ("Klingt gut, Donnerstag passt.", Yes, Any),
        ("Gerne, melden Sie sich einfach.", Yes, Any),
        ("Lieber nach Pfingsten.", Later, Any),
        (
            "Können wir das auf Mitte März verschieben?",
            Later,
            Month(3),
        ),
        // French
        ("Non merci, ce n'est pas pour moi.", No, Any),
        ("Ça marche, jeudi 10h.", Yes, Any),
        ("Avec plaisir !", Yes, Any),
        ("Plutôt après l'été.", Later, Any),
        ("On en reparle début mars ?", Later, Any),
        // Spanish
        ("No me va a ser posible, lo siento.", No, Any),
        ("¡Claro! El martes me va bien.", Yes, Any),
        ("Hablamos después de Semana Santa.", Later, Any),
        // Italian
        ("Purtroppo non posso.", No, Any),
        ("Certo, giovedì va benissimo.", Yes, Any),
        ("Sentiamoci dopo le feste.", Later, Any),
        // Portuguese
        ("Infelizmente não vou poder.", No, Any),
        ("Claro, quinta funciona para mim.", Yes, Any),
        ("Falamos depois do verão?", Later, Any),
        // Dutch
        ("Helaas, dat lukt me niet.", No, Any),
        ("Prima, donderdag komt goed uit.", Yes, Any),
        ("Laten we na de zomervakantie verder praten.", Later, Any),
        // Swedish, Danish, Norwegian
        ("Nej tack, det passar inte.", No, Any),
        ("Absolut, torsdag funkar bra.", Yes, Any),
        ("Vi hörs efter jul.", Later, Any),
        ("Nej tak, det passer desværre ikke.", No, Any),
        ("Det lyder godt, torsdag passer mig.", Yes, Any),
        ("Lad os tage det efter jul.", Later, Any),
        ("Nei takk, det passer dessverre ikke.", No, Any),
        ("Høres bra ut, torsdag passer meg.", Yes, Any),
        ("Vi tar det etter jul.", Later, Any),
        // Japanese
        ("承知しました。木曜日の15時でお願いします。", Yes, Any),
        (
            "大変申し訳ありませんが、今回は辞退させていただきます。",
            No,
            Any,
        ),
        ("年明けにまたご相談させてください。", Later, Any),
    ]);
}

/// Requests that propose concrete slots, cold asks in every language, and
/// the traps (answers, newsletters' calls to action, pitches).
#[test]
fn requests_with_slots_and_their_traps() {
    let mut bad = Vec::new();
    for a in [
        "Would Tuesday 1 December at 3pm or Wednesday 2 December at 10am work for a 20-minute call?",
        "Hätten Sie am Dienstag um 15 Uhr oder am Mittwoch um 10 Uhr Zeit für ein kurzes Gespräch?",
        "Seriez-vous disponible mardi à 15h ou mercredi à 10h pour un appel ?",
        "¿Tendrías un hueco el martes a las 15:00 o el miércoles a las 10:00 para una llamada?",
        "Avresti tempo martedì alle 15 o mercoledì alle 10 per una chiamata?",
        "Você teria um tempinho na terça às 15h ou na quarta às 10h para uma conversa?",
        "Zou je dinsdag om 15.00 uur of woensdag om 10.00 uur tijd hebben voor een gesprek?",
        "Skulle du ha tid för ett samtal på tisdag kl 15 eller onsdag kl 10?",
        "Har du tid til en kop kaffe i næste uge?",
        "Har du tid til en kaffe neste uke?",
        "Lunch next Thursday?",
        "Fika nästa vecka?",
        "Un caffè la prossima settimana?",
        "Koffie volgende week?",
    ] {
        if request_phrase(&Reading::new(a)).is_none() {
            bad.push(format!("not read as a request: {a:?}"));
        }
    }
    for trap in [
        "Happy to — Tuesday at 3pm works for a call.",
        "Gerne, ein Telefonat am Dienstag passt.",
        "Oui, un appel mardi me va.",
        "Book a call with our sales team to see our platform in action.",
        "Do you have 15 minutes for a call? We offer SEO services that boost your rankings.",
        "Coffee was great, thanks again.",
        "Minutes from the meeting are attached.",
    ] {
        if let Some(p) = request_phrase(&Reading::new(trap)) {
            bad.push(format!("{trap:?} read as a request ({p:?})"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A later that names the day to come back after keeps that day.
#[test]
fn laters_keep_their_dates() {
    check(&[
        ("Could we talk after March 15?", Later, Day(2027, 3, 15)),
        (
            "Können wir nach dem 15. Februar sprechen?",
            Later,
            Day(2027, 2, 15),
        ),
        ("Reparlons-en après le 15 février.", Later, Day(2027, 2, 15)),
        (
            "¿Hablamos a partir del 15 de febrero?",
            Later,
            Day(2027, 2, 15),
        ),
        ("Sentiamoci dopo il 15 febbraio.", Later, Day(2027, 2, 15)),
        (
            "Falamos depois de 15 de fevereiro?",
            Later,
            Day(2027, 2, 15),
        ),
        ("Kunnen we na 15 februari bellen?", Later, Day(2027, 2, 15)),
        (
            "Kan vi ta det efter den 15 februari?",
            Later,
            Day(2027, 2, 15),
        ),
        // Traps: a date in an answer is not a deferral.
        ("Yes, the 15th works.", Yes, Any),
        ("Ja, der 15. Februar passt.", Yes, Any),
    ]);
}

/// Assistants and delegates answer for someone: their yes is a yes.
#[test]
fn assistants_answer_for_someone() {
    check(&[
        (
            "Writing on behalf of Dr. Lee: she would be happy to meet on the 3rd.",
            Yes,
            Any,
        ),
        (
            "I'm Mark's EA. He'd love to - does Thursday at 2 work?",
            Yes,
            Any,
        ),
        (
            "Je gère l'agenda de Mme Martin ; elle sera ravie d'échanger. Mardi 14h ?",
            Yes,
            Any,
        ),
        (
            "Ich bin die Assistentin von Herrn Kühn; er freut sich auf das Gespräch.",
            Yes,
            Any,
        ),
        (
            "Llevo la agenda del Sr. Ruiz; estará encantado de hablar con usted.",
            Yes,
            Any,
        ),
        (
            "Sono l'assistente del dott. Bianchi: sarà felice di sentirla giovedì.",
            Yes,
            Any,
        ),
        (
            "Ik beheer de agenda van mevrouw Smit; zij spreekt u graag donderdag.",
            Yes,
            Any,
        ),
        // A delegate who declines declines.
        (
            "I manage Dr. Lee's diary; unfortunately she won't be able to meet this month.",
            No,
            Any,
        ),
    ]);
}

/// A deferral keeps the date it names, in its own sentence before any other,
/// in every language: a month after a preposition, a quarter; "impossible
/// now, but …" defers (probe, issue 21).
#[test]
fn deferrals_keep_their_dates_in_every_language() {
    check(&[
        ("Let's pick this up after the holidays.", Later, Month(1)),
        ("After the new year works better.", Later, Month(1)),
        (
            "Je suis en congé jusqu'à fin mars. Recontacte-moi en avril ?",
            Later,
            Month(4),
        ),
        (
            "Ahora mismo imposible, pero escríbeme en abril y lo vemos.",
            Later,
            Month(4),
        ),
        (
            "Março está uma loucura. Podemos falar em abril?",
            Later,
            Month(4),
        ),
        (
            "Lige nu er det svært, men skriv igen i april.",
            Later,
            Month(4),
        ),
        ("Jag är upptagen nu, men skriv igen i maj.", Later, Month(5)),
        (
            "Adesso è un periodo pieno, ricontattami ad aprile.",
            Later,
            Month(4),
        ),
        ("Busy until Q2 - ping me then.", Later, Day(2027, 4, 1)),
        ("Busy in May - ping me in June.", Later, Month(6)),
        (
            "Mon agenda est plein en avril, recontacte-moi en juin.",
            Later,
            Month(6),
        ),
        (
            "Let's talk after the holidays, maybe Tuesday 12 January?",
            Later,
            Day(2028, 1, 12),
        ),
        (
            "Q3 planning eats everything until then, so ping me in May.",
            Later,
            Month(5),
        ),
        // Traps: an answer is no deferral, an English "I may" no month.
        ("Yes! I may be a few minutes late though.", Yes, Any),
        ("Ahora mismo no puedo, lo siento.", No, Any),
    ]);
}

/// A deferral to a named time no date is read from ("after the summer") is a
/// later, never vouched for: the date it gives is missing. The year-end holidays
/// give one (5 January) in every language.
#[test]
fn undated_deferrals_to_a_named_time_are_doubted() {
    let mut bad = Vec::new();
    for text in [
        "Let's pick this up after the summer.",
        "Sprechen wir nach dem Sommer.",
    ] {
        let j = judge(&Reading::new(text), r());
        if j.intent != Later || j.sure() {
            bad.push(format!("{text:?}: {:?} {:?}", j.intent, j.doubts));
        }
    }
    // A deferral with its date, or one that names no time, stays sure.
    for text in [
        "Let's pick this up after the holidays.",
        "Gern, aber erst nach den Feiertagen – meld dich dann nochmal!",
        "Reparlons-en après les fêtes.",
        "Hablamos después de las fiestas.",
        "Sentiamoci dopo le feste.",
        "Falamos depois das festas.",
        "Laten we na de feestdagen bellen.",
        "Vi hörs efter helgerna.",
        "Lad os tage det efter jul.",
        "Vi tar det etter nyttår.",
        "Not right now, maybe later.",
    ] {
        let j = judge(&Reading::new(text), r());
        if j.intent != Later || !j.sure() {
            bad.push(format!("{text:?}: {:?} {:?}", j.intent, j.doubts));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// A cold pitch asks for minutes too: what it says of its customers and
/// results makes it a pitch, in every language; a person's cold ask stays a
/// request (probe, issue 21).
#[test]
fn pitches_are_no_requests_in_every_language() {
    let mut bad = Vec::new();
    for pitch in [
        "Teams like yours use HireFlow to cut time-to-hire by 40%. Do you have 15 minutes next week?",
        "We help companies like yours reduce costs. Would you have 20 minutes for a call?",
        "Companies like yours double their pipeline. Could we book a quick demo on Tuesday?",
        "Unternehmen wie Ihres senken damit die Kosten. Hätten Sie 15 Minuten für ein Gespräch?",
        "Des entreprises comme la vôtre nous font confiance. Auriez-vous 15 minutes pour un appel ?",
        "Empresas como la suya ya lo usan. ¿Tendría 15 minutos para una llamada?",
        "Aziende come la sua lo usano già. Avrebbe 15 minuti per una chiamata?",
        "Bedrijven zoals het uwe gebruiken het al. Heeft u 15 minuten voor een gesprek?",
        "Empresas como a sua já usam. Teria 15 minutos para uma conversa?",
        "Företag som ert sparar tid. Har du tid för ett kort samtal nästa vecka?",
    ] {
        if let Some(p) = request_phrase(&Reading::new(pitch)) {
            bad.push(format!("{pitch:?} read as a request ({p:?})"));
        }
    }
    for ask in [
        "Maya suggested I reach out. Would you be open to a 20-minute call in January?",
        "I'm moving into product from consulting. Could I borrow 20 minutes to hear how you did it?",
        "Our team loved your talk. Would you have time for a coffee next week?",
        "Wir hatten uns auf dem Barcamp unterhalten. Hättest du Lust auf einen Kaffee?",
    ] {
        if request_phrase(&Reading::new(ask)).is_none() {
            bad.push(format!("not read as a request: {ask:?}"));
        }
    }
    assert!(bad.is_empty(), "{}", bad.join("\n"));
}

/// Formal and conditional acceptances, refusals of the moment, phone typing
/// without apostrophes and a day proposed soon, in every language, with the
/// traps (probe, issue 21).
#[test]
fn formal_yeses_and_refusals_of_the_moment() {
    check(&[
        ("Dear Sam, I would be pleased to meet.", Yes, Any),
        ("I'd be honoured - Thursday suits.", Yes, Any),
        ("Je serais ravie d'échanger avec vous.", Yes, Any),
        ("Ich würde mich freuen, Dienstag passt.", Yes, Any),
        ("Sarei felice di sentirti giovedì.", Yes, Any),
        ("Sería un placer, ¿el martes?", Yes, Any),
        ("Seria um prazer conversar.", Yes, Any),
        ("Ik zou het leuk vinden om te bellen.", Yes, Any),
        ("Now's really not a good time, I'm afraid.", No, Any),
        ("Ce n'est pas le bon moment pour moi.", No, Any),
        ("Gerade ist kein guter Zeitpunkt, sorry.", No, Any),
        ("No es un buen momento, lo siento.", No, Any),
        ("Ti ringrazio, ma purtroppo non riesco.", No, Any),
        ("Não tenho disponibilidade para isso.", No, Any),
        ("Ik heb hier helaas geen tijd voor.", No, Any),
        ("sorry cant make it work", No, Any),
        ("i wont be able to, sorry", No, Any),
        ("How about Wednesday the 10th at 4pm?", Yes, Undated),
        ("Wie wäre es mit Donnerstag, 4. Februar?", Yes, Undated),
        // Traps: a contrast governs, "after" defers, far is later.
        (
            "I'd be pleased to help, but I'm not the right person.",
            No,
            Any,
        ),
        (
            "Next week is not a good time, but the week after works for me.",
            Yes,
            Any,
        ),
        ("Not a good time now - ping me in March.", Later, Month(3)),
        ("How about after the 10th?", Later, Day(2027, 2, 10)),
        ("How about Wednesday 31 March?", Later, Day(2027, 3, 31)),
    ]);
    // A job application's form letter thanks for what a thank-you does not.
    for letter in [
        "Thank you for your time and interest in the Senior Product Manager role.",
        "Vielen Dank für Ihre Bewerbung und Ihre Zeit.",
        "Merci pour votre candidature et votre temps.",
    ] {
        assert!(
            thanks_phrase(&Reading::new(letter)).is_none(),
            "{letter:?} read as a thank-you"
        );
    }
    assert!(
        thanks_phrase(&Reading::new(
            "Thank you for your time and your advice yesterday."
        ))
        .is_some()
    );
}

/// A yes mentioned, not said ("before I say yes or no"), in every language:
/// no acceptance (probe, issue 21).
#[test]
fn a_yes_mentioned_is_no_yes() {
    check(&[
        (
            "Before I say yes or no, tell me more about what you have in mind.",
            Other,
            Any,
        ),
        ("Bevor ich ja oder nein sage, erzähl mir mehr.", Other, Any),
        ("Avant de dire oui ou non, dis-m'en plus.", Other, Any),
        ("Antes de decir sí o no, cuéntame más.", Other, Any),
        ("Prima di dire sì o no, dimmi di più.", Other, Any),
        ("Antes de dizer sim ou não, conta-me mais.", Other, Any),
        ("Voordat ik ja of nee zeg, vertel me meer.", Other, Any),
        ("Innan jag säger ja eller nej, berätta mer.", Other, Any),
        // Italian "prima di" (before) holds Dutch "prima" (fine) and accepts nothing.
        (
            "Prima di fissare, mi dici di cosa vuoi parlare?",
            Other,
            Any,
        ),
        ("Prima o poi ci sentiamo.", Other, Any),
        // Traps: a yes said stays one.
        (
            "Yes, happy to. Or Thursday, if that suits you better.",
            Yes,
            Any,
        ),
        ("Oui, avec plaisir, ou alors mardi.", Yes, Any),
        ("Prima, donderdag komt goed uit.", Yes, Any),
        ("Prima di tutto grazie: volentieri!", Yes, Any),
    ]);
}
