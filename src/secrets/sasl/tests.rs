use super::*;

#[test]
fn token_strings() {
    assert_eq!(
        xoauth2("me@example.test", "tok"),
        "user=me@example.test\x01auth=Bearer tok\x01\x01"
    );
    assert_eq!(
        oauthbearer("a,b=c@x.y", "tok", "imap.x.y", 993),
        "n,a=a=2Cb=3Dc@x.y,\x01host=imap.x.y\x01port=993\x01auth=Bearer tok\x01\x01"
    );
    assert_eq!(
        initial_response(AuthMethod::Password, "u", "t", "h", 1),
        None
    );
}

#[test]
fn offered_mechanisms() {
    let ehlo = [
        "smtp.example.test",
        "SIZE 35882577",
        "AUTH LOGIN PLAIN XOAUTH2 oauthbearer",
        "AUTH=LOGIN",
    ];
    assert_eq!(
        smtp_offered(ehlo),
        vec!["LOGIN", "PLAIN", "XOAUTH2", "OAUTHBEARER"]
    );
    let caps = ["IMAP4rev1", "IDLE", "AUTH=PLAIN", "auth=xoauth2", "AUTH="];
    assert_eq!(imap_offered(caps), vec!["PLAIN", "XOAUTH2"]);
}

#[test]
fn doctor_verdicts() {
    let offered = vec!["PLAIN".to_string(), "XOAUTH2".to_string()];
    assert!(check_offered("smtp", AuthMethod::Xoauth2, &offered).is_ok());
    assert!(check_offered("smtp", AuthMethod::Password, &offered).is_ok());
    let e = check_offered("imap", AuthMethod::Oauthbearer, &offered).unwrap_err();
    assert!(e.contains("xoauth2"), "{e}");
    let e = check_offered("smtp", AuthMethod::Xoauth2, &["PLAIN".into()]).unwrap_err();
    assert!(e.contains("auth = \"password\""), "{e}");
}
