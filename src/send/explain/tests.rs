use super::*;

const TO: Target<'static> = Target {
    section: "smtp",
    host: "mail.example.com",
    port: 587,
    timeout_seconds: 30,
};

#[test]
fn each_usual_failure_is_named_with_its_fix() {
    let cases = [
        (
            "Connection error: Connection refused (os error 111)",
            Cause::Refused,
            "[smtp] host and port",
        ),
        (
            "Connection error: failed to lookup address information: Name or service not known",
            Cause::NameNotFound,
            "spelling of [smtp] host",
        ),
        (
            "Connection error: Temporary failure in name resolution",
            Cause::NameNotFound,
            "online",
        ),
        (
            "Connection error: connection timed out",
            Cause::TimedOut,
            "[smtp] timeout_seconds",
        ),
        (
            "Connection error: Resource temporarily unavailable (os error 11)",
            Cause::TimedOut,
            "did not answer within 30 s",
        ),
        (
            "Connection error: invalid peer certificate: certificate not valid for name \"mail.example.com\"; certificate is only valid for other.example",
            Cause::CertificateName,
            "[smtp] host to a name",
        ),
        (
            "Connection error: invalid peer certificate: certificate expired: verification time 1 (UNIX), but certificate is not valid after 0 (1 seconds ago)",
            Cause::CertificateExpired,
            "renew",
        ),
        (
            "Connection error: invalid peer certificate: Expired",
            Cause::CertificateExpired,
            "renew",
        ),
        (
            "Connection error: invalid peer certificate: UnknownIssuer",
            Cause::CertificateUnknownCa,
            "[smtp] ca_file",
        ),
        (
            "Connection error: received fatal alert: HandshakeFailure",
            Cause::Tls,
            "ca_file",
        ),
    ];
    for (text, want, fix) in cases {
        assert_eq!(cause(text), want, "{text}");
        let said = explain("connecting to", TO, text);
        assert!(said.contains(fix), "{text}: {said}");
        assert!(said.contains("mail.example.com"), "{said}");
    }
}

#[test]
fn an_unknown_failure_is_reported_as_it_came_not_guessed() {
    let said = explain("connecting to", TO, "something odd happened");
    assert_eq!(cause("something odd happened"), Cause::Other);
    assert_eq!(
        said,
        "connecting to mail.example.com:587: something odd happened"
    );
    // A refused connection is not a TLS problem, though the word "tls" is near.
    assert_eq!(
        cause("tls: Connection refused (os error 111)"),
        Cause::Refused
    );
}
