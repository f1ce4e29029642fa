use super::*;

#[test]
fn the_servers_words_come_without_the_debug_wrapping() {
    let e = async_imap::error::Error::No(
        "code: None, info: Some(\"[AUTHENTICATIONFAILED] Authentication failed.\")".into(),
    );
    let w = library_words(&e);
    assert_eq!(
        w,
        "the server answered NO: \"[AUTHENTICATIONFAILED] Authentication failed.\""
    );
    assert!(!w.contains("Some("), "{w}");
    let e = async_imap::error::Error::Bad("code: None, info: None".into());
    assert!(!library_words(&e).contains("info:"));
}

#[test]
fn a_parse_failure_never_dumps_the_bytes() {
    let e = std::io::Error::other(format!(
        "Error(Tag) during parsing of {:?}",
        "* LIST () \"/\" \u{fffd}".repeat(500)
    ));
    let w = io_words(&e);
    assert!(w.len() < 200, "{w}");
    assert!(!w.contains("LIST"), "{w}");
}

#[test]
fn words_are_escaped_and_bounded() {
    let w = escape(&format!("a\u{1b}]52;c;x\u{7}{}", "z".repeat(500)));
    assert!(!w.contains('\u{1b}') && !w.contains('\u{7}'), "{w}");
    assert!(w.len() <= WORDS_MAX + 12, "{}", w.len());
}

#[test]
fn a_refusal_quotes_code_and_text() {
    let e = completion(
        &Status::No,
        Some(&ResponseCode::ReadOnly),
        Some("Current box is selected READ-ONLY."),
        "saving a copy in Sent",
    );
    let Err(ImapError::Refused(m)) = e else {
        panic!("{e:?}");
    };
    assert_eq!(
        m,
        "saving a copy in Sent: the server answered NO: \"[READ-ONLY] Current box is selected READ-ONLY.\""
    );
    assert!(completion(&Status::Ok, None, None, "x").is_ok());
}

#[test]
fn an_error_passed_on_as_text_loses_its_debug_wrapping_too() {
    // IDLE's DONE and wait hand async-imap's errors on through their Display.
    let e = async_imap::error::Error::No(
        "code: None, info: Some(\"Current box is selected READ-ONLY.\")".into(),
    );
    let w = plain_words(&e.to_string());
    assert_eq!(
        w,
        "the server answered NO: \"Current box is selected READ-ONLY.\""
    );
    let e = async_imap::error::Error::Bad("code: None, info: None".into());
    let w = plain_words(&e.to_string());
    assert!(!w.contains("code:") && w.contains("BAD"), "{w}");
    assert_eq!(plain_words("connection reset"), "connection reset");
    let w = plain_words(
        "peer closed connection without sending TLS close_notify: https://docs.rs/rustls/latest/rustls/manual/_03_howto/index.html#unexpected-eof",
    );
    assert!(
        !w.contains("https://") && w.contains("closed the connection"),
        "{w}"
    );
}
