use super::*;

fn now() -> Timestamp {
    "2026-11-23T10:00:00Z".parse().unwrap()
}

#[test]
fn a_bare_token_is_no_json() {
    assert!(read("smtp", "ya29.token", now()).is_none());
}

#[test]
fn the_token_is_taken_from_the_json_and_its_end_noted() {
    let line = r#"{"access_token": "tok-1", "expires_at": "2026-11-25T10:00:00Z"}"#;
    let secret = read("imap-test-a", line, now()).unwrap().unwrap();
    assert_eq!(secret.expose(), "tok-1");
    let noted = take_expiries();
    assert!(
        noted.contains(&(
            "imap-test-a".to_string(),
            "2026-11-25T10:00:00Z".parse().unwrap()
        )),
        "{noted:?}"
    );
    let unix = r#"{"access_token": "tok-2", "expires_at": 1800000000}"#;
    assert_eq!(read("x", unix, now()).unwrap().unwrap().expose(), "tok-2");
    let none = r#"{"access_token": "tok-3"}"#;
    assert_eq!(read("x", none, now()).unwrap().unwrap().expose(), "tok-3");
}

#[test]
fn an_ended_sign_in_is_refused_before_any_server_sees_the_token() {
    let line = r#"{"access_token": "tok-secret", "expires_at": "2026-11-23T09:59:59Z"}"#;
    let err = read("smtp", line, now()).unwrap().unwrap_err();
    let text = err.to_string();
    assert!(matches!(err, SecretError::Expired { .. }), "{text}");
    assert!(
        text.contains("[smtp] token_command says its sign-in expired"),
        "{text}"
    );
    assert!(!text.contains("tok-secret"), "{text}");
}

#[test]
fn json_rapport_cannot_read_is_said_without_repeating_it() {
    for line in [
        r#"{"token": "tok-secret"}"#,
        r#"{"access_token": ""}"#,
        "{not json tok-secret",
        r#"{"access_token": "tok-secret", "expires_at": "soon"}"#,
    ] {
        let err = read("smtp", line, now()).unwrap().unwrap_err();
        assert!(matches!(err, SecretError::BadJson { .. }), "{line}");
        assert!(!err.to_string().contains("tok-secret"), "{err}");
    }
}
