use super::*;
use crate::store::NewContact;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn setup() -> (Store, i64) {
    let mut s = Store::open_in_memory().unwrap();
    let c = s
        .add_contact(
            &NewContact {
                name: "Jessica Park".into(),
                emails: vec!["jessica@example.com".into()],
                ..Default::default()
            },
            t("2026-11-22T09:00:00Z"),
        )
        .unwrap();
    (s, c)
}

fn new_draft(contact_id: i64, key: &str) -> NewDraft {
    NewDraft {
        contact_id,
        kind: DraftKind::MeetingRequest,
        template: "meeting-request".into(),
        reason: "you asked".into(),
        reason_key: key.into(),
        due_at: t("2026-11-22T09:00:00Z"),
        to_addr: "jessica@example.com".into(),
        to_name: "Jessica Park".into(),
        subject: "Coffee?".into(),
        body: "Hi\n".into(),
        message_id: format!("{key}@example.org"),
        in_reply_to: String::new(),
        references: vec![],
        message: b"Subject: Coffee?\r\n\r\nHi\r\n".to_vec(),
        cc: Default::default(),
        account: String::new(),
    }
}

#[test]
fn same_reason_never_makes_a_second_draft() {
    let (s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    assert!(s.insert_draft(&new_draft(c, "r1"), now).unwrap().is_some());
    let mut again = new_draft(c, "r1");
    again.message_id = "other@example.org".into();
    assert!(s.insert_draft(&again, now).unwrap().is_none());
    assert_eq!(s.drafts(true).unwrap().len(), 1);
}

#[test]
fn only_approved_bytes_are_claimed_and_claimed_once() {
    let (mut s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    assert!(
        s.claim_for_sending(id, now).unwrap().is_none(),
        "pending is not sendable"
    );
    s.approve(id, now).unwrap();
    // Tamper with the bytes behind the queue's back: the claim must refuse.
    s.conn
        .execute("UPDATE drafts SET message = X'00' WHERE id = ?1", [id])
        .unwrap();
    assert!(s.claim_for_sending(id, now).unwrap().is_none());
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Pending);

    s.edit(id, "Coffee?", "Hi\n", b"new bytes", now).unwrap();
    s.approve(id, now).unwrap();
    let d = s.claim_for_sending(id, now).unwrap().unwrap();
    assert_eq!(d.status, DraftStatus::Sending);
    assert!(
        s.claim_for_sending(id, now).unwrap().is_none(),
        "second claim loses"
    );
    s.mark_sent(id, now).unwrap();
    let tl = s.interactions(c).unwrap();
    assert_eq!(tl.len(), 1);
    assert_eq!(tl[0].kind, InteractionKind::RequestSent);
    assert_eq!(tl[0].message_key, "r1@example.org");
}

#[test]
fn interrupted_send_becomes_unknown_and_is_not_resent() {
    let (mut s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    s.claim_for_sending(id, now).unwrap().unwrap();
    assert_eq!(s.recover_interrupted(now).unwrap(), vec![id]);
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Unknown);
    assert!(s.due_approved(now).unwrap().is_empty());
    assert!(
        s.approve(id, now).is_err(),
        "unknown cannot be approved blindly"
    );
    s.resolve(id, false, now).unwrap();
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Pending);
}

#[test]
fn snooze_and_reject() {
    let (s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    s.snooze(id, t("2026-12-01T09:00:00Z"), now).unwrap();
    let d = s.draft(id).unwrap().unwrap();
    assert_eq!(d.status, DraftStatus::Snoozed);
    assert_eq!(d.effective_due(), "2026-12-01T09:00:00Z");
    assert_eq!(s.wake_snoozed(t("2026-11-30T09:00:00Z")).unwrap(), 0);
    assert_eq!(s.wake_snoozed(t("2026-12-01T09:00:00Z")).unwrap(), 1);
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Pending);
    s.reject(id, "not now", now).unwrap();
    let e = s.approve(id, now).unwrap_err().to_string();
    assert!(e.contains("rejected"), "{e}");
}

#[test]
fn a_deleted_drafts_id_is_never_handed_out_again() {
    let (s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let first = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.conn()
        .execute("DELETE FROM drafts WHERE id = ?1", [first])
        .unwrap();
    let second = s.insert_draft(&new_draft(c, "r2"), now).unwrap().unwrap();
    assert!(second > first, "{second} reuses {first}");
}

#[test]
fn the_claim_records_the_stamped_bytes_that_go_out() {
    let (s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    let d = s
        .claim_stamped(id, now, |m| [b"Date: x\r\n".as_slice(), m].concat())
        .unwrap()
        .unwrap();
    assert_eq!(d.outgoing(), b"Date: x\r\nSubject: Coffee?\r\n\r\nHi\r\n");
    assert_eq!(
        d.message, b"Subject: Coffee?\r\n\r\nHi\r\n",
        "approved bytes kept"
    );
    let again = s.draft(id).unwrap().unwrap();
    assert_eq!(again.sent_message.as_deref(), Some(d.outgoing()));
}

/// Every outcome of a send is a compare-and-set from `sending`: on a draft another process
/// already moved on (here: resolved as sent), each reports that it did not take and leaves
/// the draft as it was, so the sender can say so instead of recording a failure or a retry.
#[test]
fn a_refused_outcome_is_reported_and_changes_nothing() {
    let (mut s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let later = t("2026-11-22T10:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    s.claim_for_sending(id, now).unwrap().unwrap();
    s.mark_sent(id, now).unwrap();
    let before = s.draft(id).unwrap().unwrap();
    assert_eq!(before.status, DraftStatus::Sent);

    assert!(!s.mark_failed(id, "550 refused", later).unwrap());
    assert!(!s.mark_unknown(id, "connection lost", later).unwrap());
    assert!(!s.mark_retry(id, "421 busy", later, later).unwrap());
    assert!(
        !s.mark_retry_from(id, false, "421 busy", later, later)
            .unwrap()
    );
    assert!(!s.mark_failed_from(id, false, "gave up", later).unwrap());
    assert!(s.recover_interrupted(later).unwrap().is_empty());

    let after = s.draft(id).unwrap().unwrap();
    assert_eq!(after.status, DraftStatus::Sent);
    assert_eq!(after.last_error, before.last_error);
    assert_eq!(after.attempts, before.attempts);
}

/// The same calls on a draft that is `sending` take, so the refusals above are not a
/// method that never takes.
#[test]
fn an_outcome_on_a_sending_draft_takes() {
    let (s, c) = setup();
    let now = t("2026-11-22T09:00:00Z");
    let id = s.insert_draft(&new_draft(c, "r1"), now).unwrap().unwrap();
    s.approve(id, now).unwrap();
    s.claim_for_sending(id, now).unwrap().unwrap();
    assert!(s.mark_retry(id, "421 busy", now, now).unwrap());
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Approved);
    assert!(s.mark_retry_from(id, false, "421 busy", now, now).unwrap());
    s.claim_for_sending(id, now).unwrap().unwrap();
    assert!(s.mark_unknown(id, "connection lost", now).unwrap());
    assert_eq!(s.draft(id).unwrap().unwrap().status, DraftStatus::Unknown);
}
