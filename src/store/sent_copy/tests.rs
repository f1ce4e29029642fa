use super::*;
use crate::core::model::DraftKind;
use crate::store::{NewContact, NewDraft};

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

/// A store with one draft to jessica, sent at 09:00.
fn sent_draft() -> (Store, i64) {
    let mut s = Store::open_in_memory().unwrap();
    let now = t("2026-11-22T09:00:00Z");
    let contact_id = s
        .add_contact(
            &NewContact {
                name: "Jessica Park".into(),
                emails: vec!["jessica@example.com".into()],
                ..Default::default()
            },
            now,
        )
        .unwrap();
    let d = NewDraft {
        contact_id,
        kind: DraftKind::MeetingRequest,
        template: "meeting-request".into(),
        reason: "you asked".into(),
        reason_key: "r1".into(),
        due_at: now,
        to_addr: "jessica@example.com".into(),
        to_name: "Jessica Park".into(),
        subject: "Coffee?".into(),
        body: "Hi\n".into(),
        message_id: "r1@example.org".into(),
        in_reply_to: String::new(),
        references: vec![],
        message: b"Subject: Coffee?\r\n\r\nHi\r\n".to_vec(),
        cc: Default::default(),
        account: String::new(),
    };
    let id = s.insert_draft(&d, now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    s.claim_for_sending(id, now).unwrap().unwrap();
    (s, id)
}

#[test]
fn only_sent_drafts_without_a_record_are_pending_and_a_record_is_kept_once() {
    let (mut s, id) = sent_draft();
    assert!(
        s.sent_copies_pending("a", "Sent").unwrap().is_empty(),
        "sending is not sent yet"
    );
    s.mark_sent(id, t("2026-11-22T09:01:00Z")).unwrap();
    let pending = s.sent_copies_pending("a", "Sent").unwrap();
    assert_eq!(pending.len(), 1);
    assert_eq!(pending[0].draft_id, id);
    assert_eq!(pending[0].message, b"Subject: Coffee?\r\n\r\nHi\r\n");
    assert_eq!(pending[0].sent_at, t("2026-11-22T09:01:00Z"));
    assert!(!pending[0].seen_in_folder);
    let now = t("2026-11-22T09:20:00Z");
    s.record_sent_copy(id, CopyState::Appended, "Sent", now)
        .unwrap();
    s.record_sent_copy(id, CopyState::Found, "Sent", now)
        .unwrap();
    assert!(s.sent_copies_pending("a", "Sent").unwrap().is_empty());
    let state: String = s
        .conn
        .query_row(
            "SELECT state FROM sent_copies WHERE draft_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(state, "appended", "the first record stands");
}
