//! The incremental pass against the full pass. Two databases are given the same changes
//! (replies, requests, meetings moved and cancelled, bounces, tier and address edits,
//! approvals, snoozes, sends, contacts added and removed, time passing, the clock set back,
//! a config change); after every change the incremental pass (`bring_current`) on one and
//! the full pass (plan everyone, check every open draft) on the other must leave the same
//! queue. A scripted story checks the cases by name; a seeded random walk checks their
//! mixtures, and proves it drafted, withdrew and sent, and that the incremental side
//! skipped contacts, so it cannot pass by doing nothing or by planning everyone.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::core::classify::{Classification, Label};
use crate::core::model::{DraftKind, DraftStatus, InteractionKind as K, Tier};
use crate::store::{ContactPatch, NewContact, NewInteraction, NewMessage};

mod meeting_steps;

fn t(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn loaded(dir: &std::path::Path, extra: &str) -> Loaded {
    let text = format!(
        "[identity]\nname = \"Ada\"\nemail = \"ada@example.org\"\ntimezone = \"Europe/Berlin\"\n\n[smtp]\nhost = \"localhost\"\ntransport = \"file\"\nfile_dir = \"/nonexistent\"\n{extra}"
    );
    let path = dir.join(format!("config{}.toml", extra.len()));
    std::fs::write(&path, text).unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    crate::config::load(&path).unwrap()
}

/// What bring_current did before it was incremental: plan everyone, then check every
/// open draft against the timeline.
fn full_current(store: &mut Store, cfg: &Loaded, now: Timestamp) {
    plan_all(store, cfg, now).unwrap();
    for d in store.drafts(false).unwrap() {
        if !d.status.is_open() {
            continue;
        }
        if let crate::send::Verdict::Supersede(why) | crate::send::Verdict::Hold(why) =
            crate::send::replied_since(store, &d).unwrap()
        {
            store.supersede(d.id, &why, now).unwrap();
        }
    }
}

/// The queue as the user sees it, every draft ever made, with its text.
fn queue(store: &Store) -> Vec<String> {
    let mut q: Vec<String> = store
        .drafts(true)
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {:?} {} {} | {} | {}",
                d.contact_id,
                d.kind,
                d.reason_key,
                d.status,
                d.effective_due(),
                d.reason,
                d.subject,
                d.body
            )
        })
        .collect();
    q.sort();
    q
}

#[derive(Default)]
struct Seen {
    kinds: std::collections::BTreeSet<String>,
    statuses: std::collections::BTreeSet<String>,
    /// Contacts the incremental side left alone / planned, over every first pass.
    skipped: usize,
    planned: usize,
}

struct Twin {
    inc: Store,
    full: Store,
    seen: Seen,
}

impl Twin {
    fn new() -> Twin {
        Twin {
            inc: Store::open_in_memory().unwrap(),
            full: Store::open_in_memory().unwrap(),
            seen: Seen::default(),
        }
    }

    fn both(&mut self, f: impl Fn(&mut Store)) {
        f(&mut self.inc);
        f(&mut self.full);
    }

    /// One pass on each, the same queue; then passes until the incremental side has
    /// nobody left to plan (a pass that drafts or withdraws leaves that contact marked),
    /// the queues equal after each.
    fn check(&mut self, cfg: &Loaded, now: Timestamp, step: &str) -> Vec<String> {
        let total = self.inc.contacts().unwrap().len();
        for pass in 0..4 {
            let before = self.inc.contacts_to_plan(now).unwrap().len();
            if pass == 0 {
                self.seen.planned += before;
                self.seen.skipped += total.saturating_sub(before);
            }
            bring_current(&mut self.inc, cfg, now).unwrap();
            full_current(&mut self.full, cfg, now);
            let (a, b) = (queue(&self.inc), queue(&self.full));
            assert_eq!(a, b, "queues differ after {step}, pass {pass}");
            if self.inc.contacts_to_plan(now).unwrap().is_empty() {
                break;
            }
        }
        for d in self.inc.drafts(true).unwrap() {
            self.seen.kinds.insert(d.kind.to_string());
            self.seen.statuses.insert(format!("{:?}", d.status));
        }
        queue(&self.inc)
    }
}

fn contact(store: &mut Store, name: &str, tier: Option<Tier>, now: Timestamp) -> i64 {
    let email = format!("{}@example.com", name.to_lowercase());
    let c = NewContact {
        name: name.into(),
        emails: vec![email],
        tier,
        ..Default::default()
    };
    store.add_contact(&c, now).unwrap()
}

fn event(store: &mut Store, contact: i64, at: Timestamp, kind: K, key: &str, detail: &str) {
    store
        .add_interaction(&NewInteraction {
            contact_id: contact,
            at,
            kind,
            summary: key,
            message_key: key,
            draft_id: None,
            detail: serde_json::from_str(detail).unwrap(),
            source: "sync",
        })
        .unwrap();
}

/// A request the user wrote by hand: the message (so a nudge can reply in its thread)
/// and its timeline entry.
fn request(store: &mut Store, contact: i64, at: Timestamp, key: &str) {
    let to = store.contact(contact).unwrap().unwrap().emails[0]
        .address
        .clone();
    let m = NewMessage {
        message_id: key.trim_matches(['<', '>']).to_string(),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: true,
        from_addr: "ada@example.org".into(),
        from_name: "Ada".into(),
        to_addrs: vec![to],
        date: at,
        subject: "Coffee in the next weeks?".into(),
        snippet: "Would you be available for a 25-minute conversation?".into(),
        label: Label::MeetingRequest,
        classification: Classification::default(),
        parse_error: String::new(),
        arrived: None,
        parties: Default::default(),
        account: String::new(),
    };
    let b = store.batch().unwrap();
    b.upsert_message(&m, at).unwrap();
    b.commit().unwrap();
    event(store, contact, at, K::RequestSent, key, "{}");
}

fn open_draft(store: &Store, contact: i64) -> Option<i64> {
    let drafts = store.drafts_for_contact(contact).unwrap();
    drafts.iter().find(|d| d.status.is_open()).map(|d| d.id)
}

fn send(s: &mut Store, id: i64, now: Timestamp) {
    // An approved draft refuses a second approval; the send goes ahead either way.
    let _ = s.approve(id, now);
    if s.claim_for_sending(id, now).unwrap().is_some() {
        s.mark_sent(id, now).unwrap();
    }
}

#[test]
fn the_incremental_pass_keeps_the_queue_of_the_full_pass() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path(), "");
    let changed = loaded(dir.path(), "\n[policy]\nnudge_after_days = 9\n");
    let mut tw = Twin::new();
    let hour = SignedDuration::from_hours(1);
    let day = hour * 24;
    let mut now = t("2026-11-23T10:00:00Z");
    let start = now;
    tw.both(|s| {
        let a = contact(s, "Asker", None, start);
        request(s, a, start - day * 2, "<r1@example.org>");
        let b = contact(s, "Old", Some(Tier::Close), start);
        event(s, b, start - day * 400, K::EmailSent, "<o1@x>", "{}");
        event(s, b, start - day * 399, K::EmailReceived, "<o2@x>", "{}");
        let c = contact(s, "Met", None, start);
        let meet = r#"{"uid":"m1","start":"2026-11-23T08:00:00Z","end":"2026-11-23T09:00:00Z"}"#;
        event(s, c, start - day * 3, K::MeetingScheduled, "<m1@x>", meet);
        contact(s, "Quiet", None, start);
    });
    let q = tw.check(&cfg, now, "the first pass");
    assert!(q.iter().any(|d| d.starts_with("2 check-in")), "{q:#?}");

    // The thank-you comes due hours after the meeting: no data changed, only time.
    now += hour * 20;
    let q = tw.check(&cfg, now, "the thank-you coming due");
    assert!(q.iter().any(|d| d.starts_with("3 thank-you")), "{q:#?}");

    now += day * 6;
    let q = tw.check(&cfg, now, "six days passing");
    assert!(q.iter().any(|d| d.starts_with("1 nudge")), "{q:#?}");

    // They are away: the nudge waits for their return. Snoozed by the user to a day
    // before that (a change to the draft alone), it still waits for their return.
    tw.both(|s| {
        let until = r#"{"until":"2026-12-09"}"#;
        event(s, 1, now, K::AutoReply, "<away@x>", until);
    });
    tw.check(&cfg, now, "an auto-reply");
    tw.both(|s| {
        let id = open_draft(s, 1).unwrap();
        s.snooze(id, now + day * 2, now).unwrap();
    });
    let q = tw.check(&cfg, now, "a snooze before they are back");
    let nudge = q.iter().find(|d| d.starts_with("1 nudge")).unwrap();
    assert!(nudge.contains("2026-12-09"), "{nudge}");

    let reply_at = now + SignedDuration::from_mins(5);
    tw.both(|s| {
        let detail = r#"{"in_reply_to":"r1@example.org","intent":"yes"}"#;
        event(s, 1, reply_at, K::Reply, "<a2@x>", detail);
    });
    // Only the contact the reply touched is planned again; the trigger marked it.
    assert_eq!(tw.inc.contacts_to_plan(now + hour).unwrap(), vec![1]);
    now += hour;
    let q = tw.check(&cfg, now, "a reply");
    assert!(
        q.iter()
            .any(|d| d.starts_with("1 nudge") && d.contains("Superseded")),
        "{q:#?}"
    );

    let until = now + day * 3;
    tw.both(|s| {
        if let Some(id) = open_draft(s, 2) {
            s.snooze(id, until, now).unwrap();
        }
    });
    tw.check(&cfg, now, "a snooze");
    now += day * 4;
    tw.both(|s| {
        s.wake_snoozed(now).unwrap();
    });
    tw.check(&cfg, now, "the snooze ending");

    tw.both(|s| {
        if let Some(id) = open_draft(s, 3) {
            let body = b"Subject: Thanks\r\n\r\nThank you!\r\n";
            s.edit(id, "Thanks", "Thank you!", body, now).unwrap();
            send(s, id, now);
        }
    });
    let q = tw.check(&cfg, now, "an edit and a send");
    assert!(
        q.iter()
            .any(|d| d.starts_with("3 thank-you") && d.contains("Sent"))
    );

    tw.check(&changed, now, "a config change");
    tw.both(|s| {
        s.remove_contact(2).unwrap();
        let d = contact(s, "Newcomer", None, now);
        event(s, d, now - day * 200, K::EmailReceived, "<n1@x>", "{}");
    });
    tw.check(&changed, now, "a contact removed and one added");

    for step in 0..6 {
        now += day * 30;
        tw.check(&changed, now, &format!("month {step}"));
    }
    assert!(
        tw.seen.skipped > 0,
        "the incremental side planned everyone every time"
    );
}

#[test]
fn a_change_to_the_planning_settings_plans_everyone_again() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path(), "");
    let eager = loaded(dir.path(), "\n[policy]\nnudge_after_days = 3\n");
    let mut tw = Twin::new();
    let now = t("2026-11-23T10:00:00Z");
    tw.both(|s| {
        let a = contact(s, "Asker", None, now);
        request(
            s,
            a,
            now - SignedDuration::from_hours(24 * 4),
            "<r1@example.org>",
        );
    });
    let q = tw.check(&cfg, now, "four days after the request");
    assert!(!q.iter().any(|d| d.contains("nudge")), "{q:#?}");
    // Nothing in the database changed, only the settings: the nudge is due now.
    let q = tw.check(&eager, now, "nudge_after_days lowered to 3");
    assert!(q.iter().any(|d| d.starts_with("1 nudge")), "{q:#?}");
}

#[test]
fn a_reply_withdraws_a_waiting_thank_you_of_that_contact_only() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path(), "");
    let mut tw = Twin::new();
    let mut now = t("2026-11-23T20:00:00Z");
    tw.both(|s| {
        for name in ["Met", "Also"] {
            let c = contact(s, name, None, now);
            let meet =
                r#"{"uid":"m1","start":"2026-11-23T08:00:00Z","end":"2026-11-23T09:00:00Z"}"#;
            let key = format!("<m.{name}@x>");
            event(
                s,
                c,
                now - SignedDuration::from_hours(30),
                K::MeetingScheduled,
                &key,
                meet,
            );
        }
    });
    let q = tw.check(&cfg, now, "the meetings held");
    assert_eq!(
        q.iter()
            .filter(|d| d.contains("thank-you") && d.contains("Pending"))
            .count(),
        2
    );
    now += SignedDuration::from_hours(1);
    tw.both(|s| event(s, 1, now, K::EmailReceived, "<later@x>", "{}"));
    let q = tw.check(&cfg, now, "a message from the first");
    assert!(
        q.iter()
            .any(|d| d.starts_with("1 thank-you") && d.contains("Superseded")),
        "{q:#?}"
    );
    assert!(
        q.iter()
            .any(|d| d.starts_with("2 thank-you") && d.contains("Pending")),
        "{q:#?}"
    );
}

mod walk;

#[test]
fn a_contact_left_unsettled_by_an_error_still_names_its_next_due_time() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path(), "");
    let mut store = Store::open_in_memory().unwrap();
    let now = t("2026-11-23T10:00:00Z");
    let day = SignedDuration::from_hours(24);
    let a = contact(&mut store, "Asker", None, now);
    // A meeting set up nine days ago, held an hour ago: its thank-you comes due later
    // today. A request after that, whose message is not stored: its nudge cannot be
    // drafted (no thread), so the contact stays marked for the next pass.
    let meet = r#"{"uid":"m1","start":"2026-11-23T08:00:00Z","end":"2026-11-23T09:00:00Z"}"#;
    event(
        &mut store,
        a,
        now - day * 9,
        K::MeetingScheduled,
        "<m1@x>",
        meet,
    );
    event(
        &mut store,
        a,
        now - day * 8,
        K::RequestSent,
        "<lost@x>",
        "{}",
    );
    let (report, planned) = plan_changed(&mut store, &cfg, now).unwrap();
    assert_eq!(planned, vec![a]);
    assert!(!report.errors.is_empty(), "{report:?}");
    assert_eq!(
        store.contacts_to_plan(now).unwrap(),
        vec![a],
        "left unsettled"
    );
    // The thank-you is still what the daemon wakes for.
    let due = report.next_due.expect("a next due time");
    assert!(due > now && due < now + day, "{due}");
}
