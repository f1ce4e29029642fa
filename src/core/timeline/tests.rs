use super::*;

/// A classification as stored: the JSON read back through the store's type.
fn class(v: Value) -> Classification {
    serde_json::from_value(v).unwrap()
}

fn facts<'a>(
    label: Label,
    outbound: bool,
    c: &'a Classification,
    to: &'a [String],
) -> MessageFacts<'a> {
    MessageFacts {
        row: 7,
        label,
        confirmed: false,
        outbound,
        subject: "Coffee?",
        from_addr: "ana@x.example",
        to_addrs: to,
        classification: c,
    }
}

/// One row per (label, direction): the kind and the summary the timeline shows.
#[test]
fn every_label_makes_the_right_entry() {
    let to = vec!["bo@y.example".to_string()];
    let c = class(json!({
        "intent": "later", "later_until": "2027-01-15",
        "auto_reply_until": "2026-12-07",
        "meeting": {"uid": "u1", "start": "2026-12-03T09:00:00Z", "end": "2026-12-03T09:25:00Z"},
        "bounce": {"hard": false, "failed_recipients": ["Ana@X.example"]}
    }));
    use InteractionKind as K;
    let rows: &[(Label, bool, Option<K>, &str)] = &[
        (
            Label::HumanReply,
            false,
            Some(K::Reply),
            "replied (later, until 2027-01-15): Coffee?",
        ),
        (
            Label::MeetingRequest,
            true,
            Some(K::RequestSent),
            "you asked (written by you): Coffee?",
        ),
        (
            Label::MeetingRequest,
            false,
            Some(K::RequestReceived),
            "they asked you: Coffee?",
        ),
        (
            Label::ThankYou,
            false,
            Some(K::ThankYouReceived),
            "thanked you: Coffee?",
        ),
        (
            Label::ThankYou,
            true,
            Some(K::ThankYouSent),
            "you thanked them: Coffee?",
        ),
        (
            Label::AutoReply,
            false,
            Some(K::AutoReply),
            "auto-reply, back 2026-12-07",
        ),
        (
            Label::MeetingInvite,
            false,
            Some(K::MeetingScheduled),
            "meeting scheduled for 2026-12-03 09:00 UTC: Coffee?",
        ),
        (
            Label::MeetingAccept,
            false,
            Some(K::MeetingScheduled),
            "meeting scheduled for 2026-12-03 09:00 UTC: Coffee?",
        ),
        (
            Label::MeetingUpdate,
            false,
            Some(K::MeetingMoved),
            "meeting moved for 2026-12-03 09:00 UTC: Coffee?",
        ),
        (
            Label::MeetingCancel,
            false,
            Some(K::MeetingCancelled),
            "meeting cancelled: Coffee?",
        ),
        (
            Label::MeetingDecline,
            false,
            Some(K::MeetingDeclined),
            "meeting declined: Coffee?",
        ),
        (
            Label::Bounce,
            false,
            Some(K::Bounce),
            "soft bounce: ana@x.example",
        ),
        (Label::Bulk, false, None, ""),
        (Label::Other, true, Some(K::EmailSent), "you wrote: Coffee?"),
        (
            Label::Other,
            false,
            Some(K::EmailReceived),
            "they wrote: Coffee?",
        ),
    ];
    for (label, out, kind, summary) in rows {
        let e = entry(&facts(*label, *out, &c, &to));
        assert_eq!(e.as_ref().map(|e| e.kind), *kind, "{label:?} out={out}");
        if let Some(e) = e {
            assert_eq!(e.summary, *summary, "{label:?} out={out}");
        }
    }
}

#[test]
fn entries_go_to_the_other_side() {
    let to = vec!["bo@y.example".to_string()];
    let c = class(json!({}));
    let e = entry(&facts(Label::Other, true, &c, &to)).unwrap();
    assert_eq!(e.with, to);
    let e = entry(&facts(Label::Other, false, &c, &to)).unwrap();
    assert_eq!(e.with, vec!["ana@x.example".to_string()]);
}

#[test]
fn a_later_date_shows_only_with_intent_later() {
    let c = class(json!({"intent": "yes", "later_until": "2027-01-15"}));
    let e = entry(&facts(Label::HumanReply, false, &c, &[])).unwrap();
    assert_eq!(e.summary, "replied (yes): Coffee?");
    assert_eq!(e.detail["later_until"], Value::Null);
}

#[test]
fn unsure_readings_are_marked_until_confirmed() {
    let c = class(json!({"certainty": "unsure", "intent": "other"}));
    let mut f = facts(Label::HumanReply, false, &c, &[]);
    let e = entry(&f).unwrap();
    assert_eq!(e.detail["unsure"], Value::Bool(true));
    assert!(e.summary.contains("unsure"), "{}", e.summary);
    f.confirmed = true;
    let e = entry(&f).unwrap();
    assert_eq!(e.detail.get("unsure"), None);
}
