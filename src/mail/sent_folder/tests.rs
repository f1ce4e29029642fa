use super::*;

fn imap_config(extra: &str) -> Imap {
    toml::from_str(&format!(
        "host = \"imap.example.org\"\npassword_command = \"true\"\n{extra}"
    ))
    .unwrap()
}

fn folder(name: &str, special: Option<Special>) -> Folder {
    Folder {
        name: name.into(),
        special,
        selectable: true,
    }
}

fn found(cfg: &str, folders: &[Folder]) -> Option<(String, How)> {
    find(&imap_config(cfg), folders).map(|s| (s.name, s.how))
}

#[test]
fn without_special_use_the_common_names_are_tried_under_any_prefix_and_case() {
    // Courier: no SPECIAL-USE, every folder under INBOX.
    for (name, listed) in [
        ("INBOX.Sent", "INBOX.Sent"),
        ("INBOX/Sent Items", "INBOX/Sent Items"),
        ("sent messages", "sent messages"),
        ("[Gmail]/Sent Mail", "[Gmail]/Sent Mail"),
        ("INBOX.Éléments envoyés", "INBOX.Éléments envoyés"),
        ("inbox.GESENDET", "inbox.GESENDET"),
        ("Gönderilmiş Öğeler", "Gönderilmiş Öğeler"),
        ("送信済み", "送信済み"),
        ("INBOX.Wysłane", "INBOX.Wysłane"),
    ] {
        let folders = [folder("INBOX", Some(Special::Inbox)), folder(listed, None)];
        assert_eq!(
            found("", &folders),
            Some((name.to_string(), How::Named)),
            "{name}"
        );
    }
    let none = [
        folder("INBOX", None),
        folder("INBOX.Sentimental", None),
        folder("Drafts", None),
    ];
    assert_eq!(found("", &none), None);
}

#[test]
fn the_config_then_the_mark_then_the_name_decide() {
    let folders = [
        folder("INBOX.Sent", None),
        folder("Outgoing", Some(Special::Sent)),
    ];
    assert_eq!(found("", &folders), Some(("Outgoing".into(), How::Marked)));
    assert_eq!(
        found("sent_folder = \"Mine\"", &folders),
        Some(("Mine".into(), How::Configured))
    );
    // A folder that cannot be opened is never the one chosen.
    let unselectable = [Folder {
        selectable: false,
        ..folder("Sent", None)
    }];
    assert_eq!(found("", &unselectable), None);
}

#[test]
fn the_choice_and_its_absence_are_said() {
    let s = SentFolder {
        name: "INBOX.Sent".into(),
        how: How::Named,
    };
    assert!(
        s.describe().contains("chosen by its name"),
        "{}",
        s.describe()
    );
    assert_eq!(state_value(Some(&s)), "INBOX.Sent");
    assert_eq!(state_value(None), "");
    assert!(none_warning("imap.example.org").contains("[imap] sent_folder"));
}
