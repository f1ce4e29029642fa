use super::*;
use crate::store::Store;

fn store() -> Store {
    let mut s = Store::open_in_memory().unwrap();
    let now: jiff::Timestamp = "2026-12-07T10:00:00Z".parse().unwrap();
    for (name, email) in [
        ("Jessica Park", "jessica@park.example"),
        ("José Álvarez", "jose@alvarez.example"),
        ("Jess Müller", "jm@mueller.example"),
    ] {
        let c = crate::store::NewContact {
            name: name.into(),
            emails: vec![email.into()],
            company: String::new(),
            role: String::new(),
            tier: None,
            tags: Vec::new(),
            link: String::new(),
            source: "manual".into(),
        };
        s.add_contact(&c, now).unwrap();
    }
    s
}

fn values(c: &[CompletionCandidate]) -> Vec<String> {
    c.iter()
        .map(|c| c.get_value().to_string_lossy().into_owned())
        .collect()
}

#[test]
fn a_contact_completes_by_address_prefix_or_by_a_piece_of_the_name() {
    let s = store();
    let all = s.contacts().unwrap();
    assert_eq!(values(&contact_candidates(&all, "")).len(), 3);
    assert_eq!(
        values(&contact_candidates(&all, "jo")),
        ["jose@alvarez.example"]
    );
    // "jess" is the start of two names, one of them not the start of the address.
    let mut by_name = values(&contact_candidates(&all, "jess"));
    by_name.sort();
    assert_eq!(by_name, ["jessica@park.example", "jm@mueller.example"]);
    // Accents in the name are found as typed, and the name is the help text.
    let c = contact_candidates(&all, "álv");
    assert_eq!(values(&c), ["jose@alvarez.example"]);
    assert_eq!(
        c[0].get_help().map(ToString::to_string).as_deref(),
        Some("José Álvarez")
    );
    assert!(contact_candidates(&all, "nobody").is_empty());
}
