use super::*;

// The readers take a text read once; these read it for each test.
fn judge(t: &str, r: Date) -> Judgement {
    super::judge(&Reading::new(t), r)
}
fn thanks_phrase(t: &str) -> Option<String> {
    super::thanks_phrase(&Reading::new(t)).map(|t| t.phrase)
}
#[allow(dead_code)]
fn bare_thanks(t: &str) -> Option<String> {
    super::bare_thanks(&Reading::new(t))
}
#[allow(dead_code)]
fn request_phrase(t: &str) -> Option<(String, bool)> {
    super::request_phrase(&Reading::new(t))
}
use jiff::civil::date;

fn intent(t: &str) -> Intent {
    judge(t, date(2026, 11, 22)).intent
}

#[test]
fn yes_no_later_other() {
    assert_eq!(intent("Yes, happy to meet!"), Intent::Yes);
    assert_eq!(intent("Sure - sounds good."), Intent::Yes);
    assert_eq!(intent("I am available next Tuesday."), Intent::Yes);
    assert_eq!(intent("Thanks, but I'm not interested."), Intent::No);
    assert_eq!(intent("Unfortunately I can't help with this."), Intent::No);
    assert_eq!(intent("I'll pass, sorry."), Intent::No);
    assert_eq!(intent("Ping me in January."), Intent::Later);
    assert_eq!(intent("After the holidays would be better."), Intent::Later);
    assert_eq!(intent("Hello"), Intent::Other);
    assert_eq!(intent("Who is this?"), Intent::Other);
}

#[test]
fn negated_yes_is_not_yes() {
    assert_eq!(intent("I'm not sure what this is about."), Intent::Other);
    assert_eq!(intent("Not happy to be spammed."), Intent::Other);
}

#[test]
fn deferral_beats_refusal() {
    let j = judge(
        "Not in the next three weeks, but how about four weeks out? I can do Tuesday the 3rd",
        date(2026, 10, 6),
    );
    assert_eq!(j.intent, Intent::Later);
    assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 11, 3)));
}

#[test]
fn not_but_alternative_is_later() {
    let j = judge(
        "I can't make next week. But how about December 10?",
        date(2026, 11, 22),
    );
    assert_eq!(j.intent, Intent::Later);
    assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 12, 10)));
}

#[test]
fn bare_date_proposal_is_later_with_date() {
    let j = judge("I can do Tuesday the 3rd.", date(2026, 10, 6));
    assert_eq!(j.intent, Intent::Later);
    assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 11, 3)));
}

#[test]
fn later_dates_are_derived() {
    let r = date(2026, 11, 22);
    let until = |t: &str| judge(t, r).later_until.map(|f| f.date);
    assert_eq!(until("Ping me in January"), Some(date(2027, 1, 1)));
    assert_eq!(
        until("Let's talk after the holidays"),
        Some(date(2027, 1, 5))
    );
    assert_eq!(until("Next month works better"), Some(date(2026, 12, 1)));
    assert_eq!(until("Maybe later, busy right now"), None);
}

#[test]
fn thank_you_phrases() {
    assert!(thanks_phrase("Thanks for your time yesterday!").is_some());
    assert!(thanks_phrase("Thank you for taking the time to meet with me.").is_some());
    assert!(thanks_phrase("Great chatting today.").is_some());
    assert!(thanks_phrase("I really appreciate you making the time.").is_some());
    assert!(thanks_phrase("Thanks again for meeting, Omar.").is_some());
    assert!(thanks_phrase("Thanks for the conversation.").is_some());
    assert!(thanks_phrase("Thank you for your e-mail. I will reply soon.").is_none());
    assert!(thanks_phrase("Thank you for your payment.").is_none());
    assert!(thanks_phrase("Thank you for booking with easyHotel.").is_none());
    assert!(thanks_phrase("Thanks for reaching out, I'm busy this time of year").is_none());
    assert!(thanks_phrase("Thanks!").is_none());
}

#[test]
fn hard_wrapped_later_keeps_its_date() {
    let r = date(2026, 11, 3);
    let j = judge(
        "Thanks for reaching out. Not in the next three weeks, but how about four\nweeks out? We are in the middle of a launch until then.",
        r,
    );
    assert_eq!(j.intent, Intent::Later);
    assert_eq!(j.later_until.map(|f| f.date), Some(date(2026, 12, 1)));
}

#[test]
fn a_concession_then_keep_in_touch_is_later() {
    let j = judge(
        "ich würde gerne, aber leider bin ich bis Ende des Jahres ausgebucht. Lass uns in Kontakt bleiben!",
        date(2026, 11, 25),
    );
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    let j = judge("I'd love to, but I'm swamped.", date(2026, 11, 25));
    assert_eq!(j.intent, Intent::No, "{j:?}");
    assert_eq!(intent("Sounds good, does 3pm work?"), Intent::Yes);
    assert_eq!(intent("Would that work for you?"), Intent::Other);
}

fn read(t: &str) -> Judgement {
    judge(t, date(2026, 11, 22))
}

/// The doubts, joined, for assertions on why a reading is unsure.
fn doubts(j: &Judgement) -> String {
    j.doubts.join(" | ")
}

#[test]
fn plain_answers_are_sure() {
    for (t, want) in [
        ("Works for me!", Intent::Yes),
        ("Sure.", Intent::Yes),
        ("Ja, gerne.", Intent::Yes),
        ("Sounds good, see you Tuesday.", Intent::Yes),
        ("Sure thing. Does the 14th at 11 suit?", Intent::Yes),
        ("Not interested, thanks.", Intent::No),
        ("Ping me in January.", Intent::Later),
    ] {
        let j = read(t);
        assert_eq!(j.intent, want, "{t:?}: {j:?}");
        assert!(j.sure(), "{t:?} should be sure: {}", doubts(&j));
    }
}

#[test]
fn a_yes_resting_on_one_weak_word_is_unsure() {
    let j = read("Please make sure the agenda goes out before then.");
    assert_eq!(j.intent, Intent::Yes);
    assert!(doubts(&j).contains("weak word"), "{j:?}");
    // The same word opening its sentence carries the reading.
    assert!(read("Sure, the agenda goes out before then.").sure());
}

#[test]
fn a_contrast_after_the_yes_is_unsure() {
    let j = read("Sounds good. However, I am travelling the whole first week.");
    assert_eq!(j.intent, Intent::Yes);
    assert!(doubts(&j).contains("contrast"), "{j:?}");
    let j = read("Happy to chat! I'm out next week though, so maybe the week after?");
    assert!(doubts(&j).contains("contrast"), "{j:?}");
    // A later sentence with no contrast casts no doubt.
    assert!(read("Sounds good. The room is on the third floor.").sure());
}

#[test]
fn a_yes_under_a_negation_is_unsure() {
    let j = read("I don't think that works for me at all.");
    assert_ne!(j.intent, Intent::Yes);
    assert!(!j.sure(), "{j:?}");
    assert!(doubts(&j).contains("negation"), "{j:?}");
    for t in ["Absolutely not.", "Of course not!", "Sure not, no way."] {
        let j = read(t);
        assert_ne!(j.intent, Intent::Yes, "{t:?}: {j:?}");
        assert!(!j.sure(), "{t:?}: {j:?}");
    }
    // A comma ends the yes before a "no" that is its own word.
    assert_eq!(read("Yes, no problem.").intent, Intent::Yes);
}

#[test]
fn yes_and_no_together_are_unsure() {
    let j = read("Yes, Tuesday works. Actually I can't make it after all.");
    assert_eq!(j.intent, Intent::No);
    assert!(doubts(&j).contains("both an acceptance"), "{j:?}");
    let j = read("I'd love to, but I'm completely swamped.");
    assert_eq!(j.intent, Intent::No);
    assert!(!j.sure(), "{j:?}");
}

#[test]
fn a_refusal_that_names_a_date_is_unsure() {
    let j = read("Unfortunately I can't make it on the 14th.");
    assert_eq!(j.intent, Intent::No);
    assert!(doubts(&j).contains("names a date"), "{j:?}");
    assert!(read("Unfortunately I can't make it.").sure());
}

#[test]
fn a_yes_beside_a_deferral_is_unsure() {
    let j = read("Sounds good. Let's talk after the holidays.");
    assert_eq!(j.intent, Intent::Later);
    assert!(doubts(&j).contains("acceptance"), "{j:?}");
    assert!(read("Let's talk after the holidays.").sure());
}

#[test]
fn refusals_holding_a_thanks_word_are_no() {
    for t in [
        "Nein danke.",
        "Merci, mais non.",
        "Tak for invitationen, men jeg må takke nej.",
        "Takk, men jeg må takke nei.",
        "Nej tack, det passar inte.",
        "Obrigado pelo convite, mas não vou conseguir.",
        "Merci beaucoup pour l'invitation, mais je ne pourrai pas venir.",
        "Thanks for thinking of me, but I'll pass.",
        "Gracias por la invitación, pero no puedo.",
    ] {
        let j = read(t);
        assert_eq!(j.intent, Intent::No, "{t:?}: {j:?}");
    }
    // A thanks followed by a contrast with no negation is no refusal.
    assert_ne!(
        read("Thanks for the call, but the deck is attached.").intent,
        Intent::No
    );
}

#[test]
fn acknowledgements_are_other_not_yes() {
    for t in [
        "Received, thanks - let me check my calendar and come back to you.",
        "Got it, will get back to you.",
        "Bien reçu, je regarde mon agenda et je reviens vers vous.",
        "Recibido, reviso mi agenda y te digo algo.",
        "Danke, habe ich erhalten. Ich gebe Ihnen Bescheid.",
        "Goed ontvangen, ik kom erop terug.",
        "Ricevuto, ti faccio sapere.",
        "確認の上、改めてご連絡いたします。",
    ] {
        let j = read(t);
        assert_eq!(j.intent, Intent::Other, "{t:?}: {j:?}");
        assert!(j.acknowledgement, "{t:?}: {j:?}");
    }
    // An answer with an acknowledgement word is still the answer, held unsure.
    let j = read("Received your note, sounds good. I'll let you know the room.");
    assert_eq!(j.intent, Intent::Yes, "{j:?}");
    assert!(doubts(&j).contains("acknowledgement"), "{j:?}");
}

#[test]
fn no_phrase_is_unsure() {
    let j = read("Who else will be on the call?");
    assert_eq!(j.intent, Intent::Other);
    assert!(doubts(&j).contains("no recognised intent phrase"), "{j:?}");
}

#[test]
fn a_thanks_for_what_any_letter_names_is_not_specific() {
    let t = |s: &str| super::thanks_phrase(&Reading::new(s));
    assert_eq!(
        t("Thank you for your time.").map(|t| t.specific),
        Some(false)
    );
    assert!(t("Vielen Dank für Ihre Zeit.").is_none_or(|t| !t.specific));
    assert_eq!(
        t("Thanks for your time yesterday.").map(|t| t.specific),
        Some(true)
    );
    assert_eq!(t("Great chatting today.").map(|t| t.specific), Some(true));
    assert_eq!(
        t("Thanks for the coffee this morning.").map(|t| t.specific),
        Some(true)
    );
}

#[test]
fn sales_wording_is_seen() {
    let s = |t: &str| sales_like(&Reading::new(t));
    assert!(s("We offer SEO services. Click here to book a demo.").is_some());
    assert!(s("Pour vous désabonner, cliquez ici.").is_some());
    assert!(s("See http://a.example http://b.example https://c.example").is_some());
    assert!(s("Thanks for the chat, see the notes at http://notes.example").is_none());
    assert!(s("Tuesday works, see you then.").is_none());
}

#[test]
fn the_cue_files_use_known_sections_only() {
    assert_eq!(cues::unknown_sections(), Vec::<String>::new());
}

#[test]
fn a_deferral_resting_on_one_word_inside_a_sentence_is_unsure() {
    let j = read("Could we maybe postpone to a date in spring?");
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert!(doubts(&j).contains("one word"), "{j:?}");
    let j = read("Später gerne.");
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert!(!doubts(&j).contains("one word"), "{j:?}");
}

#[test]
fn a_contrast_then_a_negation_is_an_unsure_no() {
    for t in [
        "Leider kann ich am 14. Dezember nicht.",
        "Unfortunately that is not going to be feasible.",
        "Malheureusement je ne serai pas là.",
    ] {
        let j = read(t);
        assert_eq!(j.intent, Intent::No, "{t:?}: {j:?}");
        assert!(!j.sure(), "{t:?}: {j:?}");
    }
    // A negation before the contrast is no refusal.
    assert_eq!(
        read("Not a problem, but the room changed.").intent,
        Intent::Other
    );
}

#[test]
fn an_ordinal_dot_does_not_end_the_sentence() {
    let s = sentences("Leider kann ich am 14. Dezember nicht. Danke!");
    assert_eq!(
        s.len(),
        2,
        "{:?}",
        s.iter().map(|s| &s.text).collect::<Vec<_>>()
    );
    // A number that ends a sentence still ends it.
    assert_eq!(sentences("We are 4. Is that fine?").len(), 2);
}

/// "Gladly, but only from <date>": a later with the first day, in several languages; a
/// contrast to a date with no word that it is the first day is a guessed later; a date
/// the writer negates ("but not in January") is no first day at all.
#[test]
fn acceptance_with_a_first_day_after_a_contrast_is_a_later() {
    let r = date(2026, 12, 4);
    for (text, first) in [
        ("Gerne, aber erst ab Mitte Januar.", date(2027, 1, 15)),
        ("Volontiers, mais plutôt en février.", date(2027, 2, 1)),
        ("Con gusto, pero mejor a partir de marzo.", date(2027, 3, 1)),
        ("Happy to, but not before March.", date(2027, 3, 1)),
        ("Graag, maar pas vanaf februari.", date(2027, 2, 1)),
        ("Gärna, men först i mars.", date(2027, 3, 1)),
    ] {
        let j = judge(text, r);
        assert_eq!(j.intent, Intent::Later, "{text}: {j:?}");
        assert_eq!(
            j.later_until.as_ref().map(|f| f.date),
            Some(first),
            "{text}"
        );
        assert!(j.sure(), "{text}: {:?}", j.doubts);
    }
    let guess = judge("I'd love to, but in March it would work better.", r);
    assert_eq!(guess.intent, Intent::Later, "{guess:?}");
    assert!(!guess.sure(), "no word says March is the first day");
    // A from-word is a word: Spanish "ab" is not in "abril".
    let april = judge("Con gusto, pero en abril.", r);
    assert_eq!(april.intent, Intent::Later, "{april:?}");
    assert!(!april.sure(), "no word says April is the first day");
    let negated = judge("I'd love to, but not in January, sorry.", r);
    assert_ne!(
        negated.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 1))
    );
    assert!(!negated.sure(), "{negated:?}");
}

/// "Why not" accepts; it does not negate the booking link after it, in several
/// languages; a real negation before a yes still does.
#[test]
fn why_not_is_no_negation() {
    let r = date(2026, 12, 4);
    for text in [
        "Why not - grab a slot here: https://cal.example/sam",
        "I don't see why not. Does Wednesday at 4 work?",
        "Pourquoi pas - réservez un créneau ici : https://cal.example/x",
        "Warum nicht - such dir einen Termin aus: https://cal.example/x",
    ] {
        let j = judge(text, r);
        assert_eq!(j.intent, Intent::Yes, "{text}: {j:?}");
    }
    assert_ne!(
        judge("I won't grab a slot, sorry.", r).intent,
        Intent::Yes,
        "a negated booking phrase"
    );
}

/// "I'm in" joins; "I'm in London next week" says where the writer is, and a
/// request after it is still a request.
#[test]
fn im_in_a_place_is_no_yes() {
    let r = date(2026, 12, 4);
    assert_eq!(judge("I'm in! Send me a time.", r).intent, Intent::Yes);
    assert_eq!(
        judge("Count me in, I'm in for a coffee.", r).intent,
        Intent::Yes
    );
    assert_ne!(judge("I'm in London next week.", r).intent, Intent::Yes);
    assert_ne!(
        judge("I'm in meetings all day, sorry.", r).intent,
        Intent::Yes
    );
    let asks = request_phrase("I'm in London next week - would coffee on Wednesday work?");
    assert!(asks.is_some(), "{asks:?}");
}

/// A yes under a condition ("if that works") offers; one inside a refusal ("I wish I
/// could say yes") refuses; an exclamation does not cut a yes from the contrast after
/// it ("Love to! but …"); a yes after a dated deferral accepts the later time.
#[test]
fn conditions_refusals_and_deferrals_hold_their_yes() {
    let r = date(2026, 12, 10);
    let j = judge(
        "Love to! but I'm traveling through Jan 8. Free from the 11th onward if that works.",
        r,
    );
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 11))
    );
    assert!(j.sure(), "{:?}", j.doubts);
    let j = judge(
        "I wish I could say yes but I really can't take on anything extra right now.",
        r,
    );
    assert_eq!(j.intent, Intent::No, "{j:?}");
    assert!(j.sure(), "{:?}", j.doubts);
    let j = judge(
        "I'm on paternity leave until January 11 - can we pick this up when I'm back? Happy to do it that week.",
        r,
    );
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert!(j.sure(), "{:?}", j.doubts);
    // The yes before the deferral still doubts it.
    let j = judge("Happy to! Can we pick this up after January 11?", r);
    assert!(!j.sure() || j.intent == Intent::Later, "{j:?}");
    assert_ne!(judge("Tuesday at 10, if that works?", r).intent, Intent::No);
    assert_ne!(
        judge("Let me know if that works for your team.", r).intent,
        Intent::Yes
    );
}

/// "Not the right person" refuses unless it hands the request on; "gladly, from the
/// 25th" is a later from that day (a guess when the day is within three weeks).
#[test]
fn referrals_and_first_days() {
    let r = date(2027, 1, 8);
    let j = judge("I'm honestly not the right person for this, good luck!", r);
    assert_eq!(j.intent, Intent::No, "{j:?}");
    let j = judge(
        "I'm probably not the right person for this - I've copied Dev, who knows that world.",
        r,
    );
    assert_eq!(j.intent, Intent::Other, "{j:?}");
    assert!(!j.sure());
    let j = judge(
        "Bis zum 22. Januar stecke ich in der Messe. Ab dem 25. habe ich wieder Luft – dann sehr gern.",
        r,
    );
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 25))
    );
    let j = judge("Happy to - from the 20th of February I have time.", r);
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert!(j.sure(), "{:?}", j.doubts);
    assert_eq!(
        judge("Happy to! Tuesday the 12th works.", r).intent,
        Intent::Yes
    );
}

/// The fifth probe set's kinds: a question clause opening with a contrast takes a yes
/// back; a day asked for within the weeks of the request is a yes with a time; the
/// most specific day asked for wins; an inclusive last day is followed by the first
/// day back; a yes "after that" is for after the date named; Japanese dates count.
#[test]
fn fifth_probe_kinds() {
    let r = date(2026, 12, 8);
    let j = judge("Happy to help if I can, but what's this about exactly?", r);
    assert_eq!(j.intent, Intent::Other, "{j:?}");
    let j = judge(
        "Happy to chat, although 25 mins is a squeeze at the moment. Could we do 20 on the 15th?",
        r,
    );
    assert_eq!(j.intent, Intent::Yes, "{j:?}");
    assert!(!j.sure());
    let j = judge(
        "Would love to, but December is a write-off. Could we look at mid-January? Anything after the 11th works.",
        date(2026, 12, 2),
    );
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 11)),
        "{j:?}"
    );
    let j = judge(
        "Je suis en congé jusqu'au 8 janvier inclus, on peut en reparler à mon retour ?",
        date(2026, 12, 18),
    );
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 9)),
        "{j:?}"
    );
    let j = judge(
        "I'm on parental leave until 1 March, but would love to catch up after that.",
        date(2027, 1, 11),
    );
    assert_eq!(j.intent, Intent::Later, "{j:?}");
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 3, 1))
    );
    // A yes with its own day and an "afterwards" about something else stays a yes.
    let j = judge(
        "Yes, Tuesday the 15th works, and afterwards we could grab lunch.",
        date(2026, 12, 8),
    );
    assert_eq!(j.intent, Intent::Yes, "{j:?}");
    let j = judge(
        "年明けの1月12日以降であれば調整可能です。",
        date(2026, 12, 24),
    );
    assert_eq!(
        j.later_until.as_ref().map(|f| f.date),
        Some(date(2027, 1, 12)),
        "{j:?}"
    );
}

#[test]
fn an_invitation_to_write_again_with_a_date_is_a_later_from_it() {
    let r = date(2026, 12, 2);
    for (t, d) in [
        ("Escríbeme en un mes.", date(2027, 1, 2)),
        ("Hör av dig om två veckor!", date(2026, 12, 16)),
        (
            "Melde dich gern in zwei Wochen nochmal.",
            date(2026, 12, 16),
        ),
        ("Drop me a line on the 15th of January.", date(2027, 1, 15)),
        ("Écrivez-moi la semaine prochaine.", date(2026, 12, 7)),
        ("Skriv til mig om to uger.", date(2026, 12, 16)),
    ] {
        let j = judge(t, r);
        assert_eq!(j.intent, Intent::Later, "{t}");
        assert_eq!(j.later_until.map(|f| f.date), Some(d), "{t}");
    }
    // Traps: "let me know" a day is an acceptance's question; a promise of the writer's
    // own is no invitation; a negated one defers nothing; no date, no deferral from it.
    assert_ne!(
        judge(
            "Dale! Cualquier tarde de la semana que viene me sirve, avisame.",
            r
        )
        .intent,
        Intent::Later
    );
    assert_ne!(
        judge("I'll get back to you next week.", r).intent,
        Intent::Later
    );
    assert_ne!(
        judge("Stuur me een uitnodiging voor dinsdag.", r).intent,
        Intent::Later
    );
    assert!(
        judge("Schreiben Sie mir gern, worum es geht.", r)
            .later_until
            .is_none()
    );
}

#[test]
fn a_negation_ends_with_its_clause() {
    let r = date(2026, 12, 2);
    let j = judge("Diesen Monat geht es nicht, schreib mir nächsten Monat.", r);
    assert_eq!(j.intent, Intent::Later);
    assert_eq!(j.later_until.map(|f| f.date), Some(date(2027, 1, 1)));
    // A one-word aside keeps the negation's clause open.
    assert_ne!(intent("I can't, sadly, make it."), Intent::Yes);
    assert_ne!(intent("I don't think that works for me."), Intent::Yes);
}
