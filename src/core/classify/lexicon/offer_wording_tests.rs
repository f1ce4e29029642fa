//! The wording of a slot offered, a refusal that asks to be understood and an
//! invitation to write again, per language, with the traps each must not catch
//! (issue 21, the seventh blind set's kinds). Read against 1 February 2027.

use super::super::Intent::{Later, No, Other, Yes};
use super::wording_tests::When::{Any, Day, Month};
use super::wording_tests::check;

#[test]
fn a_slot_offered_or_an_invitation_promised_is_a_yes() {
    check(&[
        ("Monday the 8th at 9:30 CET. I'll send the link.", Yes, Any),
        (
            "Grab any open slot on my calendar link, whatever suits you.",
            Yes,
            Any,
        ),
        (
            "He could do either Thursday 11 or Friday 12 February, 10:30 GMT.",
            Yes,
            Any,
        ),
        ("I'm free Tuesday afternoon, give me a call.", Yes, Any),
        (
            "Donnerstag ab 15 Uhr sitze ich im Büro, rufen Sie einfach durch.",
            Yes,
            Any,
        ),
        (
            "Am Mittwoch habe ich Zeit, ich schicke Ihnen eine Einladung.",
            Yes,
            Any,
        ),
        ("Le mercredi 10 je suis libre, appelez-moi.", Yes, Any),
        ("El martes 9 a las 10 estoy libre. Llámame.", Yes, Any),
        ("Martedì 9 sono libero, chiamami pure.", Yes, Any),
        ("Com todo o gosto. Sugiro o dia 10, às 11h00.", Yes, Any),
        (
            "Prima, woensdag 10 februari om 10.00 uur schikt mij.",
            Yes,
            Any,
        ),
        ("Jag är ledig på tisdag, ring mig.", Yes, Any),
        // Traps: the same words negated, or in a refusal, do not accept.
        ("I'm not free this month, sorry.", No, Any),
        ("Ich habe leider keine Zeit.", No, Any),
        ("No estoy libre estas semanas, lo siento.", No, Any),
    ]);
}

#[test]
fn a_refusal_that_asks_to_be_understood_is_a_no() {
    check(&[
        ("Not something I do, sorry.", No, Any),
        (
            "I had to stop doing these altogether. Hope you understand.",
            No,
            Any,
        ),
        (
            "Honestly I don't think a call makes sense on my end.",
            No,
            Any,
        ),
        ("Ehrlich gesagt habe ich dafür gerade keinen Kopf.", No, Any),
        (
            "Dafür fehlt mir die Zeit, ich bitte um Verständnis.",
            No,
            Any,
        ),
        (
            "Je n'ai pas le temps en ce moment, merci de votre compréhension.",
            No,
            Any,
        ),
        ("No me es posible, gracias por tu comprensión.", No, Any),
        ("Non riesco, grazie per la comprensione.", No, Any),
        (
            "Neste momento não consigo assumir mais nada. Obrigada pela compreensão.",
            No,
            Any,
        ),
        ("Agradeço o contato, mas vou declinar.", No, Any),
        ("Dat lukt me niet, bedankt voor je begrip.", No, Any),
        ("Det hinner jag inte, tack för förståelsen.", No, Any),
        // Traps: a deferral that asks to be understood is still a deferral; an
        // acceptance after an apology for a slow reply is still an acceptance.
        (
            "Swamped until March, thanks for your understanding - ping me in March.",
            Later,
            Month(3),
        ),
        ("Sorry for the slow reply! Thursday works for me.", Yes, Any),
    ]);
}

#[test]
fn an_invitation_to_write_again_with_a_date_is_a_later() {
    check(&[
        ("Escríbeme en un mes.", Later, Day(2027, 3, 1)),
        ("Hör av dig om två veckor.", Later, Day(2027, 2, 15)),
        (
            "Melde dich gern in zwei Wochen nochmal.",
            Later,
            Day(2027, 2, 15),
        ),
        (
            "Diesen Monat geht es nicht, schreib mir nächsten Monat.",
            Later,
            Day(2027, 3, 1),
        ),
        ("Ci sentiamo dopo Pasqua?", Later, Month(3)),
        (
            "Estou de férias. Pode me procurar a partir do dia 19?",
            Later,
            Day(2027, 2, 19),
        ),
        ("Me chama depois do Carnaval?", Later, Day(2027, 2, 10)),
        // Traps: "let me know" asks for a slot; the writer's own promise is no invitation.
        (
            "Cualquier tarde de la semana que viene me sirve, avísame.",
            Yes,
            Any,
        ),
        ("I'll get back to you next week.", Other, Any),
    ]);
}

#[test]
fn a_question_back_is_no_answer_yet() {
    check(&[
        (
            "Before I say yes or no - what would you like to discuss?",
            Other,
            Any,
        ),
        (
            "Can you tell me a bit more about what you'd like to cover?",
            Other,
            Any,
        ),
        ("Worum genau soll es denn gehen?", Other, Any),
        (
            "Pourriez-vous m'en dire un peu plus sur l'objet de cet échange ?",
            Other,
            Any,
        ),
        ("¿De qué se trata exactamente?", Other, Any),
        ("Di cosa si tratta?", Other, Any),
        ("Sobre o que seria exatamente?", Other, Any),
        ("Wat wil je precies bespreken?", Other, Any),
        ("Vad gäller det?", Other, Any),
        // Traps: an answer beside the question is the answer.
        ("Happy to chat - what would you like to discuss?", Yes, Any),
        ("Worum geht es? Ich habe leider keine Zeit.", No, Any),
    ]);
}

#[test]
fn passing_and_not_hesitating() {
    check(&[
        ("Gracias, pero paso.", No, Any),
        ("Grazie, ma passo.", No, Any),
        ("Danke, da passe ich.", No, Any),
        ("Merci, mais je passe mon tour.", No, Any),
        ("Tack, men jag avstår.", No, Any),
        // A negation that invites: "don't hesitate to write me".
        (
            "N'hésitez pas à me recontacter à partir du 15 février.",
            Later,
            Day(2027, 2, 15),
        ),
        ("No dudes en escribirme en marzo.", Later, Month(3)),
        (
            "Don't hesitate to write me after the 20th.",
            Later,
            Day(2027, 2, 20),
        ),
        // Traps: passing something on is no refusal; a real negation still negates.
        ("Te paso el enlace para reservar.", Yes, Any),
        ("Please don't write me again.", Other, Any),
    ]);
}

#[test]
fn everyday_answers_in_the_listed_languages() {
    check(&[
        (
            "I appreciate you thinking of me, but I don't have the capacity right now.",
            No,
            Any,
        ),
        ("I'm not taking any meetings at the moment, sorry.", No, Any),
        (
            "Vielen Dank für Ihre Anfrage, leider muss ich absagen.",
            No,
            Any,
        ),
        (
            "Klar, lass uns telefonieren. Mittwoch geht bei mir.",
            Yes,
            Any,
        ),
        (
            "Lassen Sie uns im Februar nochmal sprechen.",
            Later,
            Month(2),
        ),
        (
            "Merci, mais je ne suis pas disponible pour ce type d'échange.",
            No,
            Any,
        ),
        ("Possiamo risentirci a febbraio?", Later, Month(2)),
        ("Goed idee, laten we bellen. Dinsdag?", Yes, Any),
        ("Kunnen we het in maart oppakken?", Later, Month(3)),
        ("Tyvärr har jag inte möjlighet just nu.", No, Any),
        // Traps: "klar" that is not clear, a call the writer will not make.
        ("Mir ist nicht klar, worum es geht.", Other, Any),
        ("Laten we niet bellen, mail is makkelijker.", Other, Any),
    ]);
}

#[test]
fn everyday_refusals_and_their_traps() {
    check(&[
        ("Je ne vais pas pouvoir, désolé.", No, Any),
        ("No voy a poder, lo siento mucho.", No, Any),
        ("Ahora mismo no tengo tiempo para esto, disculpa.", No, Any),
        ("Non ho tempo, mi spiace.", No, Any),
        ("Não vai dar, desculpa.", No, Any),
        ("I don't really do these kinds of calls anymore.", No, Any),
        ("Dat gaat helaas niet lukken.", No, Any),
        ("Tyvärr hinner jag inte.", No, Any),
        ("Let's touch base again mid-January.", Later, Month(1)),
        ("Stuur me in maart nog een berichtje.", Later, Month(3)),
    ]);
}

#[test]
fn a_handover_and_plain_times() {
    check(&[
        (
            "Adding my colleague Priya who runs this area - Priya, over to you.",
            Other,
            Any,
        ),
        (
            "Te paso con mi compañera Lucía, que lleva ese tema.",
            Other,
            Any,
        ),
        (
            "Meine Kollegin Frau Lehmann ist die bessere Ansprechpartnerin, ich habe sie in CC gesetzt.",
            Other,
            Any,
        ),
        (
            "Good timing - I have a gap on Thursday afternoon if that helps.",
            Yes,
            Any,
        ),
        ("Tuesday is wide open for me.", Yes, Any),
        ("Appreciate the note. I'll sit this out.", No, Any),
        (
            "Thanks for thinking of me - it's a no from me though.",
            No,
            Any,
        ),
        // Traps: an offer of something else, an open door for questions.
        (
            "I could make an intro to Dan instead, he knows more.",
            Other,
            Any,
        ),
        (
            "The door is wide open if you want to send questions by email.",
            Other,
            Any,
        ),
    ]);
}

#[test]
fn no_longer_taking_these_moving_them_and_writing_then() {
    check(&[
        ("Sorry, I don't take advisory calls anymore.", No, Any),
        ("Lo siento, ya no hago este tipo de reuniones.", No, Any),
        ("Désolée, je ne fais plus ce genre de rendez-vous.", No, Any),
        ("Sorry, dit soort gesprekken doe ik niet meer.", No, Any),
        ("Tyvärr måste jag säga nej, kalendern är full.", No, Any),
        (
            "¿Podemos dejarlo para el próximo trimestre?",
            Later,
            Day(2027, 4, 1),
        ),
        (
            "Kunnen we dit naar volgend kwartaal schuiven?",
            Later,
            Day(2027, 4, 1),
        ),
        (
            "Estoy de baja hasta marzo. ¿Me escribes entonces?",
            Later,
            Month(3),
        ),
        ("Ik ben tot maart met verlof. Mail me dan?", Later, Month(3)),
        (
            "Bra idé, vi tar en lunch. Jag kan alla dagar utom onsdag.",
            Yes,
            Any,
        ),
        // Traps: time that is not taken, a proposal that is not an acceptance, a
        // "then" with no date before it.
        ("Det tar inte lång tid, tisdag passar bra.", Yes, Any),
        (
            "Any chance we could push to the new year? The week of 11 January would be ideal.",
            Later,
            Any,
        ),
        ("Me escribes el enlace?", Other, Any),
    ]);
}
