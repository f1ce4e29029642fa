use super::*;

#[test]
fn microsofts_hint_is_read_in_milliseconds() {
    let text = "could not search INBOX: the server refused: NO [THROTTLED] Request is throttled. Suggested Backoff Time: 299961 milliseconds";
    assert_eq!(hint(text), Some(Duration::from_millis(299_961)));
    assert_eq!(
        hint("a1 NO [THROTTLED] Suggested Backoff Time: 2500 ms"),
        Some(Duration::from_millis(2500))
    );
    assert_eq!(
        hint("BYE Suggested Backoff Time: 90 s"),
        Some(Duration::from_secs(90))
    );
}

#[test]
fn a_throttle_without_a_figure_waits_the_default_and_a_huge_one_is_capped() {
    assert_eq!(hint("NO [UNAVAILABLE] try later"), Some(DEFAULT_WAIT));
    assert_eq!(
        hint("NO User is authenticated but not connected."),
        Some(DEFAULT_WAIT)
    );
    assert_eq!(hint("NO [LIMIT] too many sessions"), Some(DEFAULT_WAIT));
    assert_eq!(
        hint("NO [THROTTLED] Suggested Backoff Time: 99999999999 ms"),
        Some(MAX_WAIT)
    );
}

#[test]
fn other_refusals_are_no_throttle() {
    assert_eq!(
        hint("NO [AUTHENTICATIONFAILED] Authentication failed."),
        None
    );
    assert_eq!(hint("NO Mailbox doesn't exist: Archive"), None);
    assert_eq!(hint(""), None);
}
