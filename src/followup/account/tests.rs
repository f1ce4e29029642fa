use jiff::Timestamp;

use super::*;

use crate::store::NewContact;

const TWO: &str = r#"
[identity]
name = "Ada"
[[accounts]]
name = "personal"
email = "ada@home.example"
[accounts.maildir]
path = "/nonexistent/home"
[accounts.smtp]
transport = "file"
file_dir = "/nonexistent"
[[accounts]]
name = "work"
email = "ada@work.example"
aliases = ["lovelace@work.example"]
[accounts.maildir]
path = "/nonexistent/work"
[accounts.smtp]
transport = "file"
file_dir = "/nonexistent"
"#;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn setup() -> (Store, Loaded, i64) {
    let cfg = crate::config::parse(std::path::Path::new("/c.toml"), TWO).unwrap();
    let mut s = Store::open_in_memory().unwrap();
    let c = NewContact {
        name: "Grace".into(),
        emails: vec!["grace@example.com".into()],
        ..Default::default()
    };
    let id = s.add_contact(&c, t("2026-11-01T09:00:00Z")).unwrap();
    (s, cfg, id)
}

/// A message between Grace and `mine`, read in `read_in`.
fn message(s: &mut Store, contact: i64, id: &str, mine: &str, out: bool, read_in: &str) {
    let ends = if out {
        (mine, "grace@example.com")
    } else {
        ("grace@example.com", mine)
    };
    crate::store::test_support::store_message(s, contact, id, ends, out, read_in);
}

#[test]
fn without_any_conversation_the_first_account_is_used_and_said() {
    let (s, cfg, c) = setup();
    assert_eq!(
        choose(&s, &cfg, c).unwrap(),
        ("personal".into(), Why::First)
    );
}

#[test]
fn the_account_of_the_address_in_the_last_conversation_wins() {
    let (mut s, cfg, c) = setup();
    // Grace wrote to the work alias; the message was read in the personal mailbox
    // (a forward, a copy): the address she wrote to decides.
    message(
        &mut s,
        c,
        "m1@x",
        "lovelace@work.example",
        false,
        "personal",
    );
    assert_eq!(
        choose(&s, &cfg, c).unwrap(),
        ("work".into(), Why::LastConversation)
    );
    // The user wrote to her later from home.
    message(&mut s, c, "m2@x", "ada@home.example", true, "personal");
    assert_eq!(
        choose(&s, &cfg, c).unwrap(),
        ("personal".into(), Why::LastConversation)
    );
    let view = view_for(&s, &cfg, c).unwrap();
    assert_eq!(view.config.identity.email, "ada@home.example");
}

#[test]
fn an_address_of_no_account_falls_back_to_the_account_it_was_read_in() {
    let (mut s, cfg, c) = setup();
    message(&mut s, c, "m1@x", "list@lists.example", false, "work");
    assert_eq!(
        choose(&s, &cfg, c).unwrap(),
        ("work".into(), Why::LastConversation)
    );
}

#[test]
fn the_contacts_choice_beats_the_conversation_and_an_unknown_one_is_ignored() {
    let (mut s, cfg, c) = setup();
    message(&mut s, c, "m1@x", "ada@home.example", false, "personal");
    s.set_contact_account(c, Some("work")).unwrap();
    assert_eq!(choose(&s, &cfg, c).unwrap(), ("work".into(), Why::Chosen));
    s.set_contact_account(c, Some("gone")).unwrap();
    assert_eq!(
        choose(&s, &cfg, c).unwrap(),
        ("personal".into(), Why::LastConversation)
    );
}

#[test]
fn the_from_line_names_the_account_only_when_there_are_several() {
    let (_, cfg, _) = setup();
    assert_eq!(
        from_line(&cfg, "work").as_deref(),
        Some("from work <ada@work.example>")
    );
    let one = r#"
[identity]
name = "Ada"
email = "ada@example.org"
[smtp]
transport = "file"
file_dir = "/nonexistent"
"#;
    let single = crate::config::parse(std::path::Path::new("/c.toml"), one).unwrap();
    assert_eq!(from_line(&single, "default"), None);
}

#[test]
fn an_address_the_contact_may_not_know_is_said() {
    let (mut s, cfg, c) = setup();
    let w = unseen_warning(&s, &cfg, c, "personal").unwrap().unwrap();
    assert!(w.contains("no conversation with them yet"), "{w}");
    message(&mut s, c, "m1@x", "ada@work.example", false, "work");
    assert_eq!(unseen_warning(&s, &cfg, c, "work").unwrap(), None);
    let w = unseen_warning(&s, &cfg, c, "personal").unwrap().unwrap();
    assert!(w.contains("(that was work)"), "{w}");
}
