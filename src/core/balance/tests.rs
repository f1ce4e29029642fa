use super::*;
use crate::core::model::InteractionKind as K;

#[test]
fn asks_and_gives_count_what_the_issue_says_and_nothing_else() {
    let b = Balance::of([
        K::RequestSent,
        K::NudgeSent,
        K::ThankYouSent,
        K::CheckInSent,
        K::Reply,
        K::ShareSent,
        K::IntroStep,
    ]);
    assert_eq!(b, Balance { asks: 2, gives: 1 });
    assert!(!b.only_asked());
    assert_eq!(b.words(), "2 asks, 1 give");
    let asked = Balance::of([K::RequestSent]);
    assert!(asked.only_asked());
    assert!(
        !Balance::of([K::ThankYouSent]).only_asked(),
        "nothing asked"
    );
    assert_eq!(Balance::of([K::IntroSent]).gives, 1);
}

#[test]
fn suggestions_come_on_mondays_two_at_a_time_and_rotate() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let people = ["a", "b", "c", "d", "e"];
    let monday: Timestamp = "2026-11-02T08:00:00Z".parse().unwrap();
    let tuesday: Timestamp = "2026-11-03T08:00:00Z".parse().unwrap();
    let next_monday: Timestamp = "2026-11-09T08:00:00Z".parse().unwrap();
    assert!(suggestions(&people, tuesday, &tz).is_empty());
    let first = suggestions(&people, monday, &tz);
    let second = suggestions(&people, next_monday, &tz);
    assert_eq!(first.len(), 2);
    assert_eq!(second.len(), 2);
    assert_ne!(first, second, "a different pair each week");
    assert_eq!(suggestions(&["only"], monday, &tz), vec!["only"]);
    assert!(suggestions::<&str>(&[], monday, &tz).is_empty());
}
