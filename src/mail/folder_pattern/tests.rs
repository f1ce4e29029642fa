use super::*;

fn folder(name: &str, selectable: bool) -> Folder {
    Folder {
        name: name.into(),
        special: None,
        selectable,
    }
}

#[test]
fn star_crosses_levels_and_percent_stays_in_one() {
    assert!(matches("Clients/*", "Clients/Acme"));
    assert!(matches("Clients/*", "Clients/Acme/2026"));
    assert!(matches("Clients/%", "Clients/Acme"));
    assert!(!matches("Clients/%", "Clients/Acme/2026"));
    assert!(!matches("Clients/%", "Clients.Acme"));
    assert!(matches("INBOX.%", "INBOX.Clients"));
    assert!(!matches("INBOX.%", "INBOX.Clients.Acme"));
    assert!(matches("*", "anything/at.all"));
    assert!(matches("Cl*s/A*e", "Clients/Acme"));
    assert!(
        !matches("Clients/*", "Clients"),
        "the parent is not below itself"
    );
    assert!(!matches("Clients/*", "Other/Clients/Acme"));
    assert!(
        !matches("clients/*", "Clients/Acme"),
        "names are case-sensitive"
    );
    assert!(matches("Ünïcode/*", "Ünïcode/Ça"));
}

#[test]
fn patterns_expand_in_the_servers_order_without_repeats_or_unselectable_folders() {
    let found = [
        folder("INBOX", true),
        folder("Clients", false),
        folder("Clients/Acme", true),
        folder("Clients/Zeta", true),
        folder("Archive", true),
    ];
    let entries: Vec<String> = ["INBOX", "Clients/*", "Clients/Acme", "Nope/*", "Missing"]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        expand(&entries, &found),
        ["INBOX", "Clients/Acme", "Clients/Zeta", "Missing"]
    );
    let all: Vec<String> = vec!["Clients*".into()];
    assert_eq!(expand(&all, &found), ["Clients/Acme", "Clients/Zeta"]);
}
