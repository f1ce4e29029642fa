use super::*;

#[test]
fn waits_read_as_seconds_or_durations() {
    assert_eq!(parse_wait("10m"), Ok(600));
    assert_eq!(parse_wait("2 minutes"), Ok(120));
    assert_eq!(parse_wait("PT1H"), Ok(3600));
    assert_eq!(parse_wait("0s"), Ok(0));
    assert!(parse_wait("soon").is_err());
    assert!(parse_wait("-5m").is_err());
}
