use super::quote;

#[test]
fn quotes_escape_and_refuse_line_breaks() {
    assert_eq!(quote("<a@b>").ok().as_deref(), Some("\"<a@b>\""));
    assert_eq!(quote("a\"b\\c").ok().as_deref(), Some("\"a\\\"b\\\\c\""));
    assert!(quote("a\r\nb").is_err());
    assert!(quote("é").is_err());
}
