use super::*;
use jiff::civil::{Time, Weekday};

fn every_day(start: (i8, i8), end: (i8, i8)) -> Window {
    Window {
        days: vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
            Weekday::Saturday,
            Weekday::Sunday,
        ],
        start: Time::new(start.0, start.1, 0, 0).unwrap(),
        end: Time::new(end.0, end.1, 0, 0).unwrap(),
    }
}

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// Berlin skips 02:00–03:00 on Sunday 2027-03-28 (01:00Z is 03:00 CEST).
#[test]
fn a_window_inside_the_skipped_hour_opens_at_the_jump() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let w = every_day((2, 15), (2, 45));
    let next = window_check(&w, &tz, at("2027-03-28T00:30:00Z")).unwrap_err();
    assert_eq!(
        next.timestamp(),
        at("2027-03-28T01:00:00Z"),
        "opens at the jump"
    );
    // It does open then, for the half hour it was meant to last.
    assert!(window_check(&w, &tz, at("2027-03-28T01:00:00Z")).is_ok());
    assert!(window_check(&w, &tz, at("2027-03-28T01:29:00Z")).is_ok());
    let next = window_check(&w, &tz, at("2027-03-28T01:30:00Z")).unwrap_err();
    assert_eq!(
        next.timestamp(),
        at("2027-03-29T00:15:00Z"),
        "then the next day"
    );
}

#[test]
fn a_window_starting_in_the_skipped_hour_opens_at_the_jump_and_ends_as_set() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let w = every_day((2, 30), (6, 0));
    let next = window_check(&w, &tz, at("2027-03-28T00:59:00Z")).unwrap_err();
    assert_eq!(next.timestamp(), at("2027-03-28T01:00:00Z"));
    assert!(window_check(&w, &tz, at("2027-03-28T01:00:00Z")).is_ok());
    assert!(window_check(&w, &tz, at("2027-03-28T03:59:00Z")).is_ok());
    assert!(window_check(&w, &tz, at("2027-03-28T04:00:00Z")).is_err());
    // An ordinary day is the wall clock: 02:30–06:00 CET.
    assert!(window_check(&w, &tz, at("2027-03-27T01:29:00Z")).is_err());
    assert!(window_check(&w, &tz, at("2027-03-27T01:30:00Z")).is_ok());
}

/// Berlin repeats 02:00–03:00 on Sunday 2027-10-31: the earlier 02:30 opens it.
#[test]
fn a_window_in_the_repeated_hour_opens_at_the_first_one() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    let w = every_day((2, 30), (9, 0));
    let next = window_check(&w, &tz, at("2027-10-30T23:00:00Z")).unwrap_err();
    assert_eq!(next.timestamp(), at("2027-10-31T00:30:00Z"));
    assert!(window_check(&w, &tz, at("2027-10-31T00:30:00Z")).is_ok());
    assert!(window_check(&w, &tz, at("2027-10-31T07:59:00Z")).is_ok());
    assert!(window_check(&w, &tz, at("2027-10-31T08:00:00Z")).is_err());
}
