use super::*;

const URL: &str =
    "https://calendar.example.com/calendar/ical/ada%40example.org/private-0123abcd/basic.ics";

#[test]
fn no_error_text_carries_the_address_or_its_secret_path() {
    for e in [
        ureq::Error::BadUri(URL.to_string()),
        ureq::Error::HostNotFound,
        ureq::Error::ConnectionFailed,
        ureq::Error::Io(std::io::Error::other(format!("failed to reach {URL}"))),
        ureq::Error::RequireHttpsOnly(URL.to_string()),
    ] {
        let text = plain(&e, URL);
        assert!(!text.contains("private-0123abcd"), "{text}");
        assert!(!text.contains("calendar.example.com"), "{text}");
    }
}

#[test]
fn an_unknown_ca_is_said_with_the_ca_file_fix() {
    let io = std::io::Error::new(
        std::io::ErrorKind::InvalidData,
        "invalid peer certificate: UnknownIssuer",
    );
    let text = plain(&ureq::Error::Io(io), URL);
    assert!(text.contains("TLS failed"), "{text}");
    assert!(text.contains("ca_file"), "{text}");
}
