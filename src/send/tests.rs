use super::*;
use crate::config::Window;
use jiff::civil::{Time, Weekday};
use jiff::tz::TimeZone;

fn window() -> Window {
    Window {
        days: vec![
            Weekday::Monday,
            Weekday::Tuesday,
            Weekday::Wednesday,
            Weekday::Thursday,
            Weekday::Friday,
        ],
        start: Time::new(9, 0, 0, 0).unwrap(),
        end: Time::new(17, 0, 0, 0).unwrap(),
    }
}

#[test]
fn window_respects_days_hours_and_zone() {
    let tz = TimeZone::get("Europe/Berlin").unwrap();
    // Monday 2026-11-23 08:30 UTC is 09:30 in Berlin.
    assert!(window_check(&window(), &tz, "2026-11-23T08:30:00Z".parse().unwrap()).is_ok());
    // 07:30 UTC is 08:30 Berlin: closed, opens 09:00 the same day.
    let next = window_check(&window(), &tz, "2026-11-23T07:30:00Z".parse().unwrap()).unwrap_err();
    assert_eq!(next.timestamp().to_string(), "2026-11-23T08:00:00Z");
    // Saturday: opens Monday.
    let next = window_check(&window(), &tz, "2026-11-21T10:00:00Z".parse().unwrap()).unwrap_err();
    assert_eq!(next.weekday(), Weekday::Monday);
    // 17:00 is outside (end is exclusive).
    assert!(window_check(&window(), &tz, "2026-11-23T16:00:00Z".parse().unwrap()).is_err());
}

#[test]
fn which_refusals_mean_no_such_recipient() {
    for yes in [
        "permanent error (550): 5.1.1 <bob@example.test>: User unknown",
        "permanent error (550): 5.1.10 Recipient address rejected: null MX",
        "permanent error (550): No such user here",
    ] {
        assert!(recipient_unknown(yes), "{yes}");
    }
    for no in [
        "permanent error (554): 5.3.0 Injected permanent failure (test fault)",
        "permanent error (550): 5.7.1 Relaying denied",
        "permanent error (553): 5.1.7 Bad sender address syntax",
        "permanent error (552): 5.2.2 Mailbox full",
        "permanent error (550): Requested action not taken: mailbox unavailable",
    ] {
        assert!(!recipient_unknown(no), "{no}");
    }
}

#[test]
fn lock_is_exclusive() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("r.db");
    let a = try_lock(&db).unwrap();
    assert!(a.is_some());
    assert!(try_lock(&db).unwrap().is_none());
    drop(a);
    assert!(try_lock(&db).unwrap().is_some());
}
