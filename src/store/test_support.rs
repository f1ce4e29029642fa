//! What unit tests of the store and of its callers share: a message between a contact
//! and one of the user's addresses, stored as a sync stores it, with its timeline entry.

use jiff::Timestamp;

use crate::core::classify::{Classification, Label};
use crate::core::model::InteractionKind;
use crate::store::{NewInteraction, NewMessage, Store};

/// Stores message `id` from `from` to `to` (outbound when the user wrote it), read in
/// `account`, on 2 November 2026, and its entry on `contact`'s timeline.
pub(crate) fn store_message(
    s: &mut Store,
    contact: i64,
    id: &str,
    (from, to): (&str, &str),
    out: bool,
    account: &str,
) {
    let at: Timestamp = "2026-11-02T09:00:00Z".parse().unwrap();
    let m = NewMessage {
        message_id: id.into(),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: out,
        from_addr: from.into(),
        from_name: String::new(),
        to_addrs: vec![to.into()],
        date: at,
        subject: "Hello".into(),
        snippet: String::new(),
        label: Label::Other,
        classification: Classification::default(),
        parse_error: String::new(),
        arrived: None,
        parties: Default::default(),
        account: account.into(),
    };
    let b = s.batch().unwrap();
    b.upsert_message(&m, at).unwrap();
    b.commit().unwrap();
    s.add_interaction(&NewInteraction {
        contact_id: contact,
        at,
        kind: InteractionKind::EmailReceived,
        summary: "Hello",
        message_key: id,
        draft_id: None,
        detail: serde_json::json!({}),
        source: "sync",
    })
    .unwrap();
}
