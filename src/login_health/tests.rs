use super::*;

fn at(s: &str) -> Timestamp {
    s.parse().unwrap()
}

#[test]
fn backoff_doubles_from_retry_seconds_and_stops_at_fifteen_minutes() {
    assert_eq!(backoff(60, 1), 60);
    assert_eq!(backoff(60, 2), 120);
    assert_eq!(backoff(60, 4), 480);
    assert_eq!(backoff(60, 5), MAX_BACKOFF_SECONDS);
    assert_eq!(backoff(60, u32::MAX), MAX_BACKOFF_SECONDS);
    assert_eq!(backoff(0, 1), 1, "never a zero wait: no tight loop");
}

#[test]
fn failures_are_counted_from_the_first_and_cleared_by_a_working_login() {
    let store = Store::open_in_memory().unwrap();
    let t0 = at("2026-11-23T10:00:00Z");
    assert!(problems(&store).unwrap().is_empty());
    let p = record(&store, "smtp", "[smtp] token_command failed", 60, t0).unwrap();
    assert_eq!((p.failures, p.since), (1, t0));
    assert_eq!(p.retry_at, at("2026-11-23T10:01:00Z"));
    let t1 = at("2026-11-23T10:05:00Z");
    let p = record(&store, "smtp", "[smtp] token_command failed", 60, t1).unwrap();
    assert_eq!(
        (p.failures, p.since),
        (2, t0),
        "since stays the first failure"
    );
    assert_eq!(p.retry_at, at("2026-11-23T10:07:00Z"));
    assert_eq!(wait_until(&store, "smtp", t1).unwrap(), Some(p.retry_at));
    assert_eq!(wait_until(&store, "smtp", p.retry_at).unwrap(), None);
    assert_eq!(wait_until(&store, "imap", t1).unwrap(), None);
    let shown = p.describe(&jiff::tz::TimeZone::UTC);
    assert!(
        shown.contains("[smtp] login does not work since Mon 2026-11-23 10:00"),
        "{shown}"
    );
    assert!(
        shown.contains("2 failed tries") && shown.contains("wait for a working login"),
        "{shown}"
    );

    clear(&store, "smtp", t1).unwrap();
    assert!(problem(&store, "smtp").unwrap().is_none());
    let p = record(&store, "smtp", "again", 60, t1).unwrap();
    assert_eq!(p.failures, 1, "a new run of failures starts afresh");
}
