use super::*;

#[test]
fn internal_dates_read_with_or_without_padding() {
    let a = internal_date(" 7-Dec-2026 10:00:00 +0000").map(|t| t.to_string());
    let b = internal_date("07-Dec-2026 11:00:00 +0100").map(|t| t.to_string());
    assert_eq!(a.as_deref(), Some("2026-12-07T10:00:00Z"));
    assert_eq!(a, b);
    assert_eq!(internal_date("yesterday"), None);
}

#[test]
fn folder_names_are_quoted_and_control_characters_refused() {
    assert_eq!(mailbox_arg("Sent").ok().as_deref(), Some("\"Sent\""));
    assert_eq!(mailbox_arg("a\"b").ok().as_deref(), Some("\"a\\\"b\""));
    assert!(mailbox_arg("a\r\nb").is_err());
}

#[test]
fn message_data_is_told_from_a_flag_change() {
    assert!(!carries_message_data(&V::Flags(vec![])));
    assert!(carries_message_data(&V::Rfc822Size(3)));
}
