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

#[test]
fn a_password_is_judged_by_the_login_command_rapport_sends() {
    let caps = |c: &[&str]| c.iter().map(|s| (*s).to_string()).collect::<Vec<_>>();
    // Courier before STARTTLS-less login: no AUTH= at all, LOGIN accepted.
    let courier = caps(&["IMAP4rev1", "UIDPLUS", "IDLE"]);
    let ok = check_imap_offered(AuthMethod::Password, &courier);
    assert!(
        ok.as_ref().is_ok_and(|l| l.contains("LOGIN command")),
        "{ok:?}"
    );
    // Offered mechanisms other than PLAIN/LOGIN change nothing for LOGIN.
    let cram = caps(&["IMAP4rev1", "AUTH=CRAM-MD5"]);
    assert!(check_imap_offered(AuthMethod::Password, &cram).is_ok());
    // LOGINDISABLED: rapport's LOGIN would be refused, whatever else is offered.
    let disabled = caps(&["IMAP4rev1", "AUTH=PLAIN", "LOGINDISABLED", "STARTTLS"]);
    let no = check_imap_offered(AuthMethod::Password, &disabled);
    assert!(
        no.as_ref()
            .is_err_and(|l| l.contains("LOGINDISABLED") && l.contains("security")),
        "{no:?}"
    );
    // A token still needs its mechanism.
    assert!(check_imap_offered(AuthMethod::Xoauth2, &courier).is_err());
    assert!(check_imap_offered(AuthMethod::Xoauth2, &caps(&["AUTH=XOAUTH2"])).is_ok());
}
