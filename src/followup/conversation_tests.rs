//! The whole conversation, through the same path as a sync (classify, record, derive,
//! plan): every route by which a contact can answer stops their follow-up. Each test
//! names the route; mail arrives as raw bytes where who it is about depends on them.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::core::classify::{Classification, Label};
use crate::core::model::{DraftKind, DraftStatus, InteractionKind as K};
use crate::mail::sync::Classifier;
use crate::store::{NewContact, NewMessage, Store};

const DAY: SignedDuration = SignedDuration::from_hours(24);
const ME: &str = "ada@example.org";

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn config(dir: &std::path::Path) -> Loaded {
    let text = "[identity]\nname = \"Ada\"\nemail = \"ada@example.org\"\ntimezone = \"Europe/Berlin\"\n\n[smtp]\nhost = \"localhost\"\ntransport = \"file\"\nfile_dir = \"/nonexistent\"\n";
    let path = dir.join("config.toml");
    std::fs::write(&path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    crate::config::load(&path).unwrap()
}

fn add(store: &mut Store, name: &str, emails: &[&str], now: Timestamp) -> i64 {
    let c = NewContact {
        name: name.into(),
        emails: emails.iter().map(|e| (*e).to_string()).collect(),
        ..Default::default()
    };
    store.add_contact(&c, now).unwrap()
}

fn record(store: &mut Store, m: &NewMessage, now: Timestamp) {
    let b = store.batch().unwrap();
    crate::mail::sync::record_with(&b, m, now, |_, _| Ok(())).unwrap();
    b.commit().unwrap();
}

/// A message the user wrote, read as `label` (whatever words it used).
fn mine(id: &str, to: &[&str], label: Label, at: Timestamp) -> NewMessage {
    NewMessage {
        message_id: id.into(),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: true,
        from_addr: ME.into(),
        from_name: "Ada".into(),
        to_addrs: to.iter().map(|a| (*a).to_string()).collect(),
        date: at,
        subject: "Coffee in the next weeks?".into(),
        snippet: String::new(),
        label,
        classification: Classification::default(),
        parse_error: String::new(),
        arrived: Some(at),
        parties: Default::default(),
        account: String::new(),
    }
}

/// Raw mail read the way a sync reads it, at `now`.
fn incoming(store: &Store, raw: &str, now: Timestamp) -> NewMessage {
    let c = Classifier {
        user: vec![ME.to_string()],
        sent_ids: store.sent_message_ids().unwrap(),
        tz: jiff::tz::TimeZone::UTC,
        now,
        reader: None,
        account: String::new(),
    };
    c.prepare(raw.replace('\n', "\r\n").as_bytes(), Some(now))
}

/// The open drafts of `contact`, by kind.
fn open(store: &Store, contact: i64) -> Vec<DraftKind> {
    store
        .drafts_for_contact(contact)
        .unwrap()
        .iter()
        .filter(|d| d.status.is_open())
        .map(|d| d.kind)
        .collect()
}

/// Carol asked on day 0; on day 8 her nudge waits in the queue.
fn asked(dir: &std::path::Path) -> (Store, Loaded, i64, Timestamp) {
    let cfg = config(dir);
    let mut s = Store::open_in_memory().unwrap();
    let start = t("2026-11-02T09:00:00Z");
    let carol = add(&mut s, "Carol Nguyen", &["carol@acme.example"], start);
    let req = mine(
        "req1@example.org",
        &["carol@acme.example"],
        Label::MeetingRequest,
        start,
    );
    record(&mut s, &req, start);
    let now = start + DAY * 8;
    bring_current(&mut s, &cfg, now).unwrap();
    assert_eq!(open(&s, carol), vec![DraftKind::Nudge], "the nudge waits");
    (s, cfg, carol, now)
}

fn kinds(s: &Store, c: i64) -> Vec<K> {
    s.interactions(c).unwrap().iter().map(|i| i.kind).collect()
}

const ICS: &str = "BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Calendly//EN
METHOD:REQUEST
BEGIN:VEVENT
UID:cal-123@calendly.com
DTSTART:20261112T150000Z
DTEND:20261112T153000Z
SUMMARY:30 Minute Meeting
ORGANIZER;CN=Calendly:mailto:no-reply@calendly.com
ATTENDEE;CN=Carol Nguyen;PARTSTAT=ACCEPTED:mailto:carol@acme.example
ATTENDEE;CN=Ada;PARTSTAT=NEEDS-ACTION:mailto:ada@example.org
END:VEVENT
END:VCALENDAR
";

#[test]
fn a_booking_tools_confirmation_reaches_the_invitee_and_withdraws_the_nudge() {
    for with_ics in [true, false] {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, cfg, carol, now) = asked(dir.path());
        let body = "Hi Ada,\nA new event has been scheduled.\nInvitee: Carol Nguyen\nInvitee Email: carol@acme.example\nEvent Date/Time: 15:00 - Thursday, 12 November 2026\n";
        let raw = if with_ics {
            format!(
                "From: Calendly <notifications@calendly.com>\nTo: ada@example.org\nSubject: New Event: Carol Nguyen - 15:00 Thu, 12 Nov 2026 - 30 Minute Meeting\nMessage-ID: <ev1@calendly.com>\nDate: Mon, 09 Nov 2026 10:00:00 +0000\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\n{body}\n--b\nContent-Type: text/calendar; method=REQUEST\n\n{ICS}\n--b--\n"
            )
        } else {
            format!(
                "From: Calendly <notifications@calendly.com>\nReply-To: Carol Nguyen <carol@acme.example>\nTo: ada@example.org\nSubject: New Event: Carol Nguyen - 15:00 Thu, 12 Nov 2026 - 30 Minute Meeting\nMessage-ID: <ev2@calendly.com>\nDate: Mon, 09 Nov 2026 10:00:00 +0000\n\n{body}"
            )
        };
        let later = now + SignedDuration::from_hours(1);
        let m = incoming(&s, &raw, later);
        record(&mut s, &m, later);
        let timeline = s.interactions(carol).unwrap();
        let booked = timeline
            .iter()
            .find(|i| i.kind == K::MeetingScheduled)
            .unwrap_or_else(|| panic!("ics {with_ics}: {timeline:#?} ({:?})", m.label));
        assert!(booked.summary.contains("Calendly"), "{}", booked.summary);
        // The check just before sending withdraws it too, planner or not.
        let nudge = s
            .drafts_for_contact(carol)
            .unwrap()
            .into_iter()
            .find(|d| d.kind == DraftKind::Nudge)
            .unwrap();
        assert!(matches!(
            crate::send::replied_since(&s, &nudge).unwrap(),
            crate::send::Verdict::Supersede(_)
        ));
        bring_current(&mut s, &cfg, later).unwrap();
        assert!(
            open(&s, carol).is_empty(),
            "ics {with_ics}: the nudge is withdrawn"
        );
    }
}

#[test]
fn an_assistants_answer_in_the_thread_with_the_contact_in_cc_stops_the_nudge() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, cfg, carol, now) = asked(dir.path());
    let raw = "From: Sam Ortiz <sam@acme.example>\nTo: ada@example.org\nCc: Carol Nguyen <carol@acme.example>\nSubject: Re: Coffee in the next weeks?\nMessage-ID: <as1@acme.example>\nIn-Reply-To: <req1@example.org>\nReferences: <req1@example.org>\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\nHi Ada, I look after Carol's diary. She is glad to meet; I will send an invitation.\n";
    let later = now + SignedDuration::from_hours(1);
    let m = incoming(&s, raw, later);
    record(&mut s, &m, later);
    let timeline = s.interactions(carol).unwrap();
    let answer = timeline
        .iter()
        .find(|i| i.message_key == "as1@acme.example")
        .unwrap_or_else(|| panic!("{timeline:#?}"));
    assert!(
        answer
            .summary
            .contains("answered by their assistant Sam Ortiz"),
        "{}",
        answer.summary
    );
    bring_current(&mut s, &cfg, later).unwrap();
    assert!(open(&s, carol).is_empty(), "{:?}", kinds(&s, carol));
    // `why` tells how, and how to add Sam.
    let found = s.entries_of_message("as1@acme.example").unwrap();
    assert_eq!(found.len(), 1);
    assert_eq!(found[0].1.detail["via"]["route"], "assistant");
}

#[test]
fn a_reply_from_a_second_address_stops_the_nudge() {
    // Known second address, and an unknown one under her own name in her thread.
    for (from, known) in [
        ("Carol Nguyen <cn@home.example>", true),
        ("Carol Nguyen <carol.nguyen@gmail.example>", false),
    ] {
        let dir = tempfile::tempdir().unwrap();
        let (mut s, cfg, carol, now) = asked(dir.path());
        if known {
            s.update_contact(
                carol,
                &crate::store::ContactPatch {
                    add_emails: vec!["cn@home.example".into()],
                    ..Default::default()
                },
            )
            .unwrap();
        }
        let raw = format!(
            "From: {from}\nTo: ada@example.org\nSubject: Re: Coffee in the next weeks?\nMessage-ID: <c2@x.example>\nIn-Reply-To: <req1@example.org>\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\nHappy to, how about next week?\n"
        );
        let later = now + SignedDuration::from_hours(1);
        let m = incoming(&s, &raw, later);
        record(&mut s, &m, later);
        bring_current(&mut s, &cfg, later).unwrap();
        assert!(
            open(&s, carol).is_empty(),
            "{from}: {:?}",
            s.interactions(carol).unwrap()
        );
    }
}

#[test]
fn a_referral_ends_the_request_and_suggests_the_new_contact() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, cfg, carol, now) = asked(dir.path());
    let raw = "From: Carol Nguyen <carol@acme.example>\nTo: ada@example.org\nCc: Ana Lima <ana.lima@acme.example>\nSubject: Re: Coffee in the next weeks?\nMessage-ID: <ref1@acme.example>\nIn-Reply-To: <req1@example.org>\nDate: Tue, 10 Nov 2026 10:00:00 +0000\n\nThanks Ada! My colleague Ana is better placed to talk about hiring, cc'd.\n";
    let later = now + SignedDuration::from_hours(1);
    let m = incoming(&s, raw, later);
    record(&mut s, &m, later);
    bring_current(&mut s, &cfg, later).unwrap();
    assert!(open(&s, carol).is_empty());
    let todo = s.attention().unwrap();
    let ana = todo
        .iter()
        .find(|a| a.introduced.is_some())
        .unwrap_or_else(|| panic!("{todo:#?}"));
    let (name, address) = ana.introduced.clone().unwrap();
    assert_eq!(
        (name.as_str(), address.as_str()),
        ("Ana Lima", "ana.lima@acme.example")
    );
    assert_eq!(ana.contact, "Carol Nguyen");
    assert_eq!(
        crate::core::attribution::add_contact_command(&name, &address, &ana.contact),
        "rapport contacts add 'ana.lima@acme.example' --name 'Ana Lima' --met 'introduced by Carol Nguyen' --request"
    );
    // Once Ana is a contact, the suggestion goes.
    add(&mut s, "Ana Lima", &["ana.lima@acme.example"], later);
    assert!(
        s.attention()
            .unwrap()
            .iter()
            .all(|a| a.introduced.is_none())
    );
}

#[test]
fn the_users_own_note_after_a_meeting_in_any_words_is_the_thank_you() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let mut s = Store::open_in_memory().unwrap();
    let start = t("2026-11-02T09:00:00Z");
    let bob = add(&mut s, "Bob Lee", &["bob@x.example"], start);
    let meet = serde_json::json!({"uid": "m1", "start": "2026-11-05T14:00:00Z", "end": "2026-11-05T15:00:00Z"});
    s.add_interaction(&crate::store::NewInteraction {
        contact_id: bob,
        at: start,
        kind: K::MeetingScheduled,
        summary: "meeting",
        message_key: "inv@x",
        draft_id: None,
        detail: meet,
        source: "sync",
    })
    .unwrap();
    // Written by hand that evening; no phrase list reads it as a thank-you.
    let evening = t("2026-11-05T19:30:00Z");
    let mut note = mine(
        "note@example.org",
        &["bob@x.example"],
        Label::Other,
        evening,
    );
    note.subject = "Today".into();
    record(&mut s, &note, evening);
    bring_current(&mut s, &cfg, t("2026-11-06T09:00:00Z")).unwrap();
    assert!(
        open(&s, bob).is_empty(),
        "no second thank-you: {:?}",
        s.drafts_for_contact(bob).unwrap()
    );
    // A request written that evening is not a thank-you: the thank-you is still drafted.
    let dir2 = tempfile::tempdir().unwrap();
    let cfg2 = config(dir2.path());
    let mut s2 = Store::open_in_memory().unwrap();
    let bob2 = add(&mut s2, "Bob Lee", &["bob@x.example"], start);
    s2.add_interaction(&crate::store::NewInteraction {
        contact_id: bob2,
        at: start,
        kind: K::MeetingScheduled,
        summary: "meeting",
        message_key: "inv@x",
        draft_id: None,
        detail: serde_json::json!({"uid": "m1", "start": "2026-11-05T14:00:00Z", "end": "2026-11-05T15:00:00Z"}),
        source: "sync",
    })
    .unwrap();
    let ask = mine(
        "ask@example.org",
        &["bob@x.example"],
        Label::MeetingRequest,
        evening,
    );
    record(&mut s2, &ask, evening);
    bring_current(&mut s2, &cfg2, t("2026-11-06T09:00:00Z")).unwrap();
    assert!(open(&s2, bob2).contains(&DraftKind::ThankYou));
}

#[test]
fn a_later_with_a_date_wakes_on_the_first_run_after_it_however_long_rapport_was_off() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = config(dir.path());
    let mut s = Store::open_in_memory().unwrap();
    let start = t("2026-10-01T09:00:00Z");
    let bob = add(&mut s, "Bob Lee", &["bob@x.example"], start);
    record(
        &mut s,
        &mine(
            "req@example.org",
            &["bob@x.example"],
            Label::MeetingRequest,
            start,
        ),
        start,
    );
    bring_current(&mut s, &cfg, start).unwrap();
    // Rapport is off for 60 days. Meanwhile Bob answered: "ping me after the 20th".
    let back = start + DAY * 60;
    let raw = "From: Bob Lee <bob@x.example>\nTo: ada@example.org\nSubject: Re: Coffee\nMessage-ID: <later1@x.example>\nIn-Reply-To: <req@example.org>\nDate: Fri, 02 Oct 2026 10:00:00 +0000\n\nBusy until then, ping me after the 20th.\n";
    let mut m = incoming(&s, raw, back);
    // However the words are read, the reading is "later until 2026-10-21".
    m.label = Label::HumanReply;
    m.classification.label = Label::HumanReply;
    m.classification.intent = Some(crate::core::classify::Intent::Later);
    m.classification.later_until = Some("2026-10-21".parse().unwrap());
    m.classification.certainty = crate::core::classify::Certainty::Sure;
    record(&mut s, &m, back);
    bring_current(&mut s, &cfg, back).unwrap();
    let drafts = s.drafts_for_contact(bob).unwrap();
    let check_in = drafts
        .iter()
        .find(|d| d.kind == DraftKind::CheckIn && d.status.is_open())
        .unwrap_or_else(|| panic!("{drafts:#?}"));
    assert!(
        check_in.reason_key.starts_with("later:"),
        "{}",
        check_in.reason_key
    );
    assert!(crate::store::parse_ts(check_in.effective_due()).unwrap() <= back);
}

#[test]
fn mail_dated_before_the_draft_but_arriving_after_approval_withdraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, _cfg, carol, now) = asked(dir.path());
    let draft = s
        .drafts_for_contact(carol)
        .unwrap()
        .into_iter()
        .find(|d| d.kind == DraftKind::Nudge)
        .unwrap();
    s.approve(draft.id, now).unwrap();
    // Written offline a week before the request, delivered after the approval; not
    // in the thread.
    let raw = "From: Carol Nguyen <carol@acme.example>\nTo: ada@example.org\nSubject: Ideas\nMessage-ID: <offline@acme.example>\nDate: Mon, 26 Oct 2026 08:00:00 +0000\n\nSome thoughts I meant to send you.\n";
    let later = now + SignedDuration::from_hours(2);
    let m = incoming(&s, raw, later);
    record(&mut s, &m, later);
    let d = s.draft(draft.id).unwrap().unwrap();
    assert!(matches!(
        crate::send::replied_since(&s, &d).unwrap(),
        crate::send::Verdict::Supersede(_)
    ));
    let status = s.draft(draft.id).unwrap().unwrap().status;
    assert_eq!(
        status,
        DraftStatus::Approved,
        "only the send check withdraws it"
    );
}

/// Found by the CLI + daemon walk: a reply rapport read in the same second a draft was
/// made (a meeting request drafted, the reply landing during the daemon's next turn)
/// let the draft go out later, once approved: times are stored to the second, and the
/// check asked whether the reply was read in a later one. The store's order decides now
/// (the reply stored after the draft), and a draft made after a message was read in
/// the same second is not withdrawn by it (the later follow-up test).
#[test]
fn a_reply_read_in_the_second_a_draft_was_made_withdraws_it() {
    let dir = tempfile::tempdir().unwrap();
    let (mut s, cfg, carol, now) = asked(dir.path());
    // A second request (the user's own) drafted in the same second as the nudge.
    let again = crate::store::NewDraft {
        contact_id: carol,
        kind: DraftKind::MeetingRequest,
        template: "meeting-request".into(),
        reason: "asked by the user".into(),
        reason_key: "request:again".into(),
        due_at: now,
        to_addr: "carol@acme.example".into(),
        to_name: "Carol Nguyen".into(),
        subject: "Coffee?".into(),
        body: "Would you have 25 minutes?".into(),
        message_id: "again@example.org".into(),
        in_reply_to: String::new(),
        references: vec![],
        message: b"Subject: Coffee?\r\n\r\nWould you have 25 minutes?\r\n".to_vec(),
        cc: Default::default(),
        account: String::new(),
    };
    s.insert_draft(&again, now).unwrap().unwrap();
    let raw = "From: Carol Nguyen <carol@acme.example>\nTo: ada@example.org\nSubject: Re: Coffee\nMessage-ID: <tie@acme.example>\nIn-Reply-To: <req1@example.org>\nDate: Tue, 10 Nov 2026 09:00:00 +0000\n\nHappy to, how about next week?\n";
    let m = incoming(&s, raw, now);
    record(&mut s, &m, now);
    for d in s.drafts_for_contact(carol).unwrap() {
        assert_eq!(d.created_at, crate::store::fmt_ts(now), "{d:?}");
        assert!(
            matches!(
                crate::send::replied_since(&s, &d).unwrap(),
                crate::send::Verdict::Supersede(_)
            ),
            "{:?} {} must not go out",
            d.kind,
            d.id
        );
    }
    bring_current(&mut s, &cfg, now).unwrap();
    assert!(
        !open(&s, carol).contains(&DraftKind::Nudge),
        "the nudge is withdrawn"
    );
}
