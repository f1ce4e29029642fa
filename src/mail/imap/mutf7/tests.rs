use proptest::prelude::*;

use super::*;

#[test]
fn the_names_servers_send_read_as_text() {
    // As Dovecot, Cyrus and Courier list "Éléments envoyés" and friends.
    let cases = [
        (
            "INBOX.&AMk-l&AOk-ments envoy&AOk-s",
            "INBOX.Éléments envoyés",
        ),
        ("&kAFP4W4IMH8w4TD8MOs-", "送信済みメール"),
        ("Wys&AUI-ane", "Wysłane"),
        ("G&APY-nderilmi&AV8- &ANYBHw-eler", "Gönderilmiş Öğeler"),
        ("R&-D", "R&D"),
        ("Sent", "Sent"),
        ("&2D3eAQ-", "😁"),
    ];
    for (wire, text) in cases {
        assert_eq!(decode(wire).as_deref(), Some(text), "{wire}");
        assert_eq!(encode(text), wire, "{text}");
    }
}

#[test]
fn what_is_not_modified_utf7_is_refused_not_guessed() {
    for wire in [
        "Éléments",   // raw UTF-8 (a server speaking UTF8=ACCEPT)
        "R&D",        // a stray &
        "&AMk",       // no closing -
        "&AMk-&AOk-", // two runs back to back
        "&AGE-",      // "a" encoded
        "&AAk-",      // a tab encoded
        "&AIU-",      // a C1 control (NEL) encoded
        "&AM/-",      // RFC 2045's / instead of ,
        "&AMkA-",     // bits left over that are not zero padding
        "&2D0-",      // a lone surrogate
        "tab\there",
    ] {
        assert_eq!(decode(wire), None, "{wire}");
        assert_eq!(display(wire), wire);
    }
}

#[test]
fn a_configured_name_may_be_plain_or_already_encoded() {
    assert_eq!(
        from_config("INBOX.Éléments envoyés"),
        "INBOX.Éléments envoyés"
    );
    assert_eq!(
        from_config("INBOX.&AMk-l&AOk-ments envoy&AOk-s"),
        "INBOX.Éléments envoyés"
    );
    assert_eq!(from_config("R&D"), "R&D");
    assert_eq!(from_config("R&D-Team"), "R&D-Team");
    assert_eq!(encode(&from_config("R&D-Team")), "R&-D-Team");
}

proptest! {
    #[test]
    fn every_name_round_trips(name in "\\PC{0,40}") {
        let wire = encode(&name);
        prop_assert!(wire.bytes().all(|b| (0x20..0x7f).contains(&b)), "{}", wire);
        prop_assert_eq!(decode(&wire), Some(name.clone()));
        prop_assert_eq!(from_config(&name).is_empty(), name.is_empty());
    }

    #[test]
    fn a_decoded_wire_name_encodes_back_to_itself(wire in "[ -~]{0,30}") {
        if let Some(text) = decode(&wire) {
            prop_assert_eq!(encode(&text), wire);
        }
    }
}
