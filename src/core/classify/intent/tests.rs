use super::*;

// The readers take a text read once; these read it for each test.
fn judge(t: &str, r: Date) -> Judgement {
    super::judge(&Reading::new(t), r)
}
fn thanks_phrase(t: &str) -> Option<String> {
    super::thanks_phrase(&Reading::new(t))
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
