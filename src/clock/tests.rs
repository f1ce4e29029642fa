use super::*;

#[test]
fn parses_rfc3339_with_offset() {
    let t = parse_now("2026-11-22T10:00:00+01:00").unwrap();
    assert_eq!(t.to_string(), "2026-11-22T09:00:00Z");
}

#[test]
fn rejects_garbage_with_the_variable_named() {
    let err = parse_now("tomorrow").unwrap_err().to_string();
    assert!(err.contains("RAPPORT_NOW"), "{err}");
}
