use super::*;
use crate::core::classify::Label;
use crate::core::model::InteractionKind;
use crate::store::{NewContact, NewMessage, Store};
use serde_json::json;

#[test]
fn a_contact_added_later_gets_their_mail_and_bounces_in_one_pass() {
    let mut s = Store::open_in_memory().unwrap();
    let now: Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    let msg = |id: &str, from: &str, to: &str, label: &str, class: Value| NewMessage {
        message_id: id.into(),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: false,
        from_addr: from.into(),
        from_name: String::new(),
        to_addrs: vec![to.into()],
        date: "2026-11-02T10:00:00Z".parse().unwrap(),
        subject: "s".into(),
        snippet: String::new(),
        label: Label::from_name(label).unwrap(),
        classification: serde_json::from_value(class).unwrap(),
        parse_error: String::new(),
        arrived: None,
        parties: Default::default(),
        account: String::new(),
    };
    let batch = s.batch().unwrap();
    for m in [
        msg(
            "a@x",
            "sam@old.example",
            "me@example.org",
            "other",
            json!({}),
        ),
        msg(
            "b@x",
            "mailer-daemon@mx.example",
            "me@example.org",
            "bounce",
            json!({"bounce": {"hard": true, "failed_recipients": ["Sam@Old.example"]}}),
        ),
        msg(
            "c@x",
            "someone@else.example",
            "me@example.org",
            "other",
            json!({}),
        ),
    ] {
        batch.upsert_message(&m, now).unwrap();
    }
    batch.commit().unwrap();
    let id = s
        .add_contact(
            &NewContact {
                name: "Sam".into(),
                emails: vec!["sam@old.example".into()],
                ..NewContact::default()
            },
            now,
        )
        .unwrap();
    assert_eq!(link_history(&mut s, &[id], now).unwrap(), 2);
    let kinds: Vec<InteractionKind> = s
        .interactions(id)
        .unwrap()
        .into_iter()
        .map(|i| i.kind)
        .collect();
    assert_eq!(
        kinds,
        vec![InteractionKind::EmailReceived, InteractionKind::Bounce]
    );
    let c = s.contact(id).unwrap().unwrap();
    assert!(
        c.emails[0].bounced_at.is_some(),
        "the hard bounce marks the address"
    );
    link_history(&mut s, &[id], now).unwrap();
    assert_eq!(
        s.interactions(id).unwrap().len(),
        2,
        "linking again doubles nothing"
    );
}
