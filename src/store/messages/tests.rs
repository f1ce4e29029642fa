//! The stored classification: what is written reads back as the same type, a row in
//! the form written before the type existed still reads, and a damaged one is an error
//! that names its row.

use super::*;
use crate::core::classify::{Address, Bounce, Certainty, Envelope, Evidence, Intent, Meeting};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn message(id: &str, label: Label, classification: Classification) -> NewMessage {
    NewMessage {
        message_id: id.into(),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: false,
        from_addr: "ana@x.example".into(),
        from_name: "Ana".into(),
        to_addrs: vec!["me@example.org".into()],
        date: t("2026-11-02T10:00:00Z"),
        subject: "Coffee?".into(),
        snippet: String::new(),
        label,
        classification,
        parse_error: String::new(),
        arrived: None,
        parties: Default::default(),
        account: String::new(),
    }
}

/// Stores `m` and returns its row id.
fn store_one(store: &mut Store, m: &NewMessage) -> i64 {
    let batch = store.batch().unwrap();
    let (id, new) = batch.upsert_message(m, t("2026-11-22T09:00:00Z")).unwrap();
    batch.commit().unwrap();
    assert!(new);
    id
}

/// Every field set, so a field that does not survive the round trip shows.
fn full() -> Classification {
    Classification {
        label: Label::MeetingInvite,
        certainty: Certainty::Unsure,
        intent: Some(Intent::Later),
        later_until: Some("2027-01-15".parse().unwrap()),
        evidence: vec![Evidence {
            kind: "ics".into(),
            detail: "METHOD:REQUEST in text/calendar part".into(),
        }],
        meeting: Some(Meeting {
            uid: "u1".into(),
            recurrence_id: Some("20261203".into()),
            sequence: 2,
            start: Some(t("2026-12-03T09:00:00Z")),
            end: Some(t("2026-12-03T09:25:00Z")),
            all_day: false,
            summary: "Coffee".into(),
            organizer: Some("ana@x.example".into()),
            attendee_status: vec![("me@example.org".into(), "ACCEPTED".into())],
            method: "REQUEST".into(),
        }),
        auto_reply_until: Some("2026-12-07".parse().unwrap()),
        bounce: Some(Bounce {
            hard: true,
            failed_recipients: vec!["bo@y.example".into()],
            original_message_id: Some("m1@x.example".into()),
            status: Some("5.1.1".into()),
            diagnostic: Some("no such user".into()),
        }),
        envelope: Envelope {
            message_id: Some("m2@x.example".into()),
            in_reply_to: Some("m1@x.example".into()),
            references: vec!["m0@x.example".into(), "m1@x.example".into()],
            from: Some(Address {
                address: "ana@x.example".into(),
                name: Some("Ana".into()),
            }),
            to: vec!["me@example.org".into()],
            cc: vec![],
            subject: Some("Coffee?".into()),
            date: Some(t("2026-11-02T10:00:00Z")),
            snippet: "Sure, after the 15th".into(),
            from_user: false,
        },
        proposed: Some(crate::core::classify::ProposedTime {
            start: t("2026-12-08T14:00:00Z"),
            text: "tuesday at 3pm".into(),
            zone: "Europe/Berlin".into(),
            zone_stated: false,
        }),
    }
}

#[test]
fn a_classification_reads_back_as_written() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store_one(&mut store, &message("a@x", Label::MeetingInvite, full()));
    let m = store.message(&id.to_string()).unwrap().unwrap();
    assert_eq!(m.classification, full());
    assert_eq!(m.label, Label::MeetingInvite);
}

/// A row as sync wrote it before the store read it as a type (`serde_json::Value` of
/// the same struct), one that `rapport mark` had stripped of its intent, and the
/// column's default.
#[test]
fn rows_written_before_the_type_still_read() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store_one(
        &mut store,
        &message("b@x", Label::HumanReply, Classification::default()),
    );
    let set = |json: &str| {
        store
            .conn()
            .execute(
                "UPDATE messages SET classification = ?1 WHERE id = ?2",
                rusqlite::params![json, id],
            )
            .unwrap();
    };
    let read = || {
        store
            .message(&id.to_string())
            .unwrap()
            .unwrap()
            .classification
    };
    set(
        r#"{"label":"human_reply","certainty":"unsure","intent":"later","later_until":"2027-01-15","evidence":[{"kind":"phrase","detail":"\"after the 15th\""}],"meeting":null,"auto_reply_until":null,"bounce":null,"envelope":{"message_id":"b@x","in_reply_to":null,"references":[],"from":{"address":"ana@x.example","name":null},"to":["me@example.org"],"cc":[],"subject":"Re: Coffee?","date":"2026-11-02T10:00:00Z","snippet":"after the 15th","from_user":false}}"#,
    );
    let c = read();
    assert_eq!(c.label, Label::HumanReply);
    assert_eq!(c.certainty, Certainty::Unsure);
    assert_eq!(c.intent, Some(Intent::Later));
    assert_eq!(c.later_until, Some("2027-01-15".parse().unwrap()));
    assert_eq!(c.envelope.date, Some(t("2026-11-02T10:00:00Z")));
    assert_eq!(c.evidence.len(), 1);

    set(r#"{"label":"other","certainty":"sure","evidence":[]}"#);
    let c = read();
    assert_eq!(
        (c.label, c.intent, c.later_until),
        (Label::Other, None, None)
    );

    set("{}");
    assert_eq!(read(), Classification::default());
}

#[test]
fn an_unreadable_classification_is_an_error_naming_the_row() {
    let mut store = Store::open_in_memory().unwrap();
    let id = store_one(
        &mut store,
        &message("c@x", Label::HumanReply, Classification::default()),
    );
    for damaged in [
        r#"{"intent":"maybe"}"#,
        r#"{"meeting":{"start":"soon"}}"#,
        "[1",
    ] {
        store
            .conn()
            .execute(
                "UPDATE messages SET classification = ?1 WHERE id = ?2",
                rusqlite::params![damaged, id],
            )
            .unwrap();
        let err = format!("{:#}", store.message(&id.to_string()).unwrap_err());
        assert!(
            err.contains(&format!("messages row {id}, column classification")),
            "{damaged}: {err}"
        );
    }
}
