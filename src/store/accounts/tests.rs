use jiff::Timestamp;

use super::*;
use crate::core::model::DraftKind;
use crate::store::{NewContact, NewDraft};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn contact(s: &mut Store, email: &str) -> i64 {
    let c = NewContact {
        name: "Grace".into(),
        emails: vec![email.into()],
        ..Default::default()
    };
    s.add_contact(&c, t("2026-11-01T09:00:00Z")).unwrap()
}

fn message(s: &mut Store, contact: i64, id: &str, out: bool, account: &str) {
    let ends = if out {
        ("ada@work.example", "grace@example.com")
    } else {
        ("grace@example.com", "ada@home.example")
    };
    crate::store::test_support::store_message(s, contact, id, ends, out, account);
}

#[test]
fn a_contacts_chosen_account_is_kept_and_cleared() {
    let mut s = Store::open_in_memory().unwrap();
    let c = contact(&mut s, "grace@example.com");
    assert_eq!(s.contact_account(c).unwrap(), None);
    assert!(s.set_contact_account(c, Some("work")).unwrap());
    assert_eq!(s.contact_account(c).unwrap().as_deref(), Some("work"));
    assert!(s.set_contact_account(c, None).unwrap());
    assert_eq!(s.contact_account(c).unwrap(), None);
    assert!(!s.set_contact_account(c + 100, Some("work")).unwrap());
}

#[test]
fn the_last_conversation_is_the_last_message_read_with_its_account() {
    let mut s = Store::open_in_memory().unwrap();
    let c = contact(&mut s, "grace@example.com");
    assert_eq!(s.last_conversation(c).unwrap(), None);
    message(&mut s, c, "one@x", true, "work");
    message(&mut s, c, "two@x", false, "personal");
    let last = s.last_conversation(c).unwrap().unwrap();
    assert_eq!(last.account, "personal");
    assert_eq!(last.direction, Direction::In);
    assert_eq!(last.to_addrs, ["ada@home.example"]);
    // A message stored without an account belongs to the default one.
    message(&mut s, c, "three@x", true, "");
    assert_eq!(s.last_conversation(c).unwrap().unwrap().account, "default");
    assert_eq!(
        s.messages_per_account().unwrap(),
        [
            ("default".to_string(), 1),
            ("personal".to_string(), 1),
            ("work".to_string(), 1)
        ]
    );
}

#[test]
fn each_accounts_cap_counts_only_its_own_sends() {
    let mut s = Store::open_in_memory().unwrap();
    let c = contact(&mut s, "grace@example.com");
    let now = t("2026-11-03T10:00:00Z");
    for (key, account) in [("a", "work"), ("b", "work"), ("c", "personal")] {
        let d = NewDraft {
            contact_id: c,
            kind: DraftKind::CheckIn,
            template: "check-in".into(),
            reason: "r".into(),
            reason_key: key.into(),
            due_at: now,
            to_addr: "grace@example.com".into(),
            to_name: String::new(),
            subject: "s".into(),
            body: "b".into(),
            message_id: format!("{key}@x"),
            in_reply_to: String::new(),
            references: vec![],
            message: b"Subject: s\r\n\r\nb\r\n".to_vec(),
            cc: Default::default(),
            account: account.into(),
        };
        let id = s.insert_draft(&d, now).unwrap().unwrap();
        assert_eq!(s.draft(id).unwrap().unwrap().account, account);
        s.approve(id, now).unwrap();
        s.claim_for_sending(id, now).unwrap().unwrap();
        s.mark_sent(id, now).unwrap();
    }
    let (from, to) = (t("2026-11-03T00:00:00Z"), t("2026-11-04T00:00:00Z"));
    assert_eq!(s.sent_between_from("work", from, to).unwrap(), 2);
    assert_eq!(s.sent_between_from("personal", from, to).unwrap(), 1);
    assert_eq!(s.sent_between(from, to).unwrap(), 3);
}
