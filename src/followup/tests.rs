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

/// One random change, drawn before it is applied, so both databases get the same one.
enum Op {
    Request(i64, Timestamp),
    Reply(i64, Timestamp, &'static str, bool),
    Meeting(i64, String, Timestamp),
    Cancel(i64, String),
    Plain(i64, Timestamp, K),
    AutoReply(i64, Timestamp, u32),
    Agreed(i64, Timestamp, u32),
    Bounce(i64),
    Tier(i64, Option<Tier>),
    DoNotContact(i64, bool),
    AddEmail(i64, u32),
    Remove(i64),
    Add(u32, Option<Tier>, Timestamp),
    Approve(Mine),
    Reject(Mine),
    Snooze(Mine, Timestamp),
    Edit(Mine),
    Send(Mine),
    Time(SignedDuration),
    Config(usize),
    Meeting2(meeting_steps::MeetingOp),
}

/// A draft by what it is for: the two databases make the same drafts, but not always in
/// the same order (the incremental side plans fewer contacts), so their ids differ.
#[derive(Clone)]
struct Mine(i64, String);

impl Mine {
    fn id(&self, s: &Store) -> i64 {
        let drafts = s.drafts_for_contact(self.0).unwrap();
        drafts.iter().find(|d| d.reason_key == self.1).unwrap().id
    }
}

struct Walk {
    rng: fastrand::Rng,
    now: Timestamp,
    serial: u32,
    meetings: Vec<(i64, String)>,
}

const TIERS: [Option<Tier>; 4] = [
    None,
    Some(Tier::Close),
    Some(Tier::Regular),
    Some(Tier::Acquaintance),
];
const INTENTS: [&str; 5] = ["", "yes", "no", "later", "other"];

impl Walk {
    fn minutes(&mut self, lo: i64, hi: i64) -> SignedDuration {
        SignedDuration::from_mins(self.rng.i64(lo..hi))
    }

    fn draw(&mut self, tw: &Twin) -> Op {
        let ids: Vec<i64> = tw.inc.contacts().unwrap().iter().map(|c| c.id).collect();
        let open: Vec<Mine> = tw
            .inc
            .drafts(false)
            .unwrap()
            .iter()
            .filter(|d| d.status.is_open())
            .map(|d| Mine(d.contact_id, d.reason_key.clone()))
            .collect();
        self.serial += 1;
        let n = self.serial;
        // Half the changes happen now, after the drafts of the last pass were made (a
        // reply to a waiting draft); half a little earlier (mail that arrives late).
        let past = if self.rng.bool() {
            self.now
        } else {
            self.now - self.minutes(1, 180)
        };
        let Some(&c) = self.rng.choice(&ids) else {
            return Op::Add(n, None, self.now);
        };
        let draft = self.rng.choice(&open).cloned();
        match (self.rng.u32(0..24), draft) {
            (0 | 1, _) => Op::Request(c, past),
            (2 | 3, _) => {
                let intent = INTENTS[self.rng.usize(..INTENTS.len())];
                Op::Reply(c, past, intent, self.rng.u8(..5) == 0)
            }
            (4, _) => {
                let start = self.now + self.minutes(-3 * 24 * 60, 10 * 24 * 60);
                let uid = match self.rng.choice(&self.meetings) {
                    Some((mc, uid)) if *mc == c && self.rng.bool() => uid.clone(),
                    _ => format!("m{n}"),
                };
                self.meetings.push((c, uid.clone()));
                Op::Meeting(c, uid, start)
            }
            (5, _) => match self.rng.choice(&self.meetings) {
                Some((mc, uid)) => Op::Cancel(*mc, uid.clone()),
                None => Op::Plain(c, past, K::EmailReceived),
            },
            (6, _) => {
                let kinds = [
                    K::EmailReceived,
                    K::EmailSent,
                    K::ThankYouSent,
                    K::ThankYouReceived,
                ];
                Op::Plain(c, past, kinds[self.rng.usize(..kinds.len())])
            }
            (7, _) => Op::AutoReply(c, past, self.rng.u32(1..15)),
            (8, _) => Op::Agreed(c, past, self.rng.u32(5..120)),
            (9, _) => Op::Bounce(c),
            (10, _) => Op::Tier(c, TIERS[self.rng.usize(..TIERS.len())]),
            (11, _) => Op::DoNotContact(c, self.rng.u8(..3) == 0),
            (12, _) => Op::AddEmail(c, n),
            (13, _) if ids.len() > 3 => Op::Remove(c),
            (13 | 14, _) => {
                let history = self.now - self.minutes(60 * 24 * 90, 60 * 24 * 400);
                Op::Add(n, TIERS[self.rng.usize(..TIERS.len())], history)
            }
            (15, Some(d)) => Op::Approve(d),
            (16, Some(d)) => Op::Reject(d),
            (17, Some(d)) => Op::Snooze(d, self.now + self.minutes(60, 10 * 24 * 60)),
            (18, Some(d)) => Op::Edit(d),
            (19, Some(d)) => Op::Send(d),
            (20, _) if self.rng.u8(..8) == 0 => Op::Time(-self.minutes(30, 180)),
            (21, _) if self.rng.u8(..3) == 0 => Op::Config(self.rng.usize(..3)),
            (22 | 23, _) => Op::Meeting2(meeting_steps::draw(&mut self.rng, c, self.now)),
            _ => {
                let steps = [
                    10,
                    180,
                    60 * 20,
                    60 * 24 * 2,
                    60 * 24 * 5,
                    60 * 24 * 12,
                    60 * 24 * 40,
                ];
                Op::Time(SignedDuration::from_mins(
                    steps[self.rng.usize(..steps.len())],
                ))
            }
        }
    }
}

fn apply(s: &mut Store, op: &Op, now: Timestamp) {
    let key = |n: &dyn std::fmt::Display| format!("<{n}@example.net>");
    match op {
        Op::Request(c, at) => request(s, *c, *at, &format!("<req{}@example.org>", at.as_second())),
        Op::Reply(c, at, intent, unsure) => {
            let to = s
                .interactions(*c)
                .unwrap()
                .iter()
                .rev()
                .find(|i| matches!(i.kind, K::RequestSent | K::NudgeSent | K::CheckInSent))
                .map(|i| i.message_key.trim_matches(['<', '>']).to_string())
                .unwrap_or_default();
            let mut d = serde_json::json!({ "in_reply_to": to, "unsure": unsure });
            if !intent.is_empty() {
                d["intent"] = (*intent).into();
            }
            if *intent == "later" {
                d["later_until"] = (now + SignedDuration::from_hours(24 * 30))
                    .to_zoned_datetime(jiff::tz::TimeZone::UTC)
                    .date()
                    .to_string()
                    .into();
            }
            event(s, *c, *at, K::Reply, &key(&at.as_second()), &d.to_string());
        }
        Op::Meeting(c, uid, start) => {
            let end = *start + SignedDuration::from_hours(1);
            let d = serde_json::json!({ "uid": uid, "start": start.to_string(), "end": end.to_string() });
            let moved = s
                .interactions(*c)
                .unwrap()
                .iter()
                .any(|i| i.detail["uid"] == uid.as_str());
            let kind = if moved {
                K::MeetingMoved
            } else {
                K::MeetingScheduled
            };
            event(
                s,
                *c,
                now,
                kind,
                &key(&format!("{uid}.{}", now.as_second())),
                &d.to_string(),
            );
        }
        Op::Cancel(c, uid) => {
            let d = serde_json::json!({ "uid": uid });
            if s.contact(*c).unwrap().is_some() {
                event(
                    s,
                    *c,
                    now,
                    K::MeetingCancelled,
                    &key(&format!("x{uid}")),
                    &d.to_string(),
                );
            }
        }
        Op::Plain(c, at, kind) => event(
            s,
            *c,
            *at,
            *kind,
            &key(&format!("p{}", at.as_second())),
            "{}",
        ),
        Op::AutoReply(c, at, days) => dated(s, *c, *at, *days, K::AutoReply, "until"),
        Op::Agreed(c, at, days) => dated(s, *c, *at, *days, K::NextContactAgreed, "later_until"),
        Op::Bounce(c) => {
            let first = s.contact(*c).unwrap().unwrap().emails[0].address.clone();
            s.mark_bounced(&first, now).unwrap();
        }
        Op::Tier(c, tier) => patch(
            s,
            *c,
            ContactPatch {
                tier: *tier,
                ..Default::default()
            },
        ),
        Op::DoNotContact(c, on) => {
            patch(
                s,
                *c,
                ContactPatch {
                    do_not_contact: Some(*on),
                    ..Default::default()
                },
            );
        }
        Op::AddEmail(c, n) => {
            let add_emails = vec![format!("alt{n}@example.com")];
            patch(
                s,
                *c,
                ContactPatch {
                    add_emails,
                    ..Default::default()
                },
            );
        }
        Op::Remove(c) => s.remove_contact(*c).unwrap(),
        Op::Add(n, tier, history) => {
            let id = contact(s, &format!("P{n}"), *tier, now);
            event(s, id, *history, K::EmailSent, &key(&format!("h{n}")), "{}");
            event(
                s,
                id,
                *history + SignedDuration::from_hours(5),
                K::EmailReceived,
                &key(&format!("i{n}")),
                "{}",
            );
        }
        // A refusal (a draft in the wrong state) is the same on both sides.
        Op::Approve(d) => drop(s.approve(d.id(s), now)),
        Op::Reject(d) => drop(s.reject(d.id(s), "not now", now)),
        Op::Snooze(d, until) => drop(s.snooze(d.id(s), *until, now)),
        Op::Edit(d) => {
            let body = b"Subject: Hello\r\n\r\nHello again.\r\n";
            drop(s.edit(d.id(s), "Hello", "Hello again.", body, now));
        }
        Op::Send(d) => {
            let id = d.id(s);
            send(s, id, now);
        }
        Op::Time(_) => {
            s.wake_snoozed(now).unwrap();
        }
        Op::Config(_) => {}
        Op::Meeting2(m) => meeting_steps::apply(s, m, now),
    }
}

/// An entry whose detail names a day `days` after it: a return date, an agreed date.
fn dated(s: &mut Store, c: i64, at: Timestamp, days: u32, kind: K, field: &str) {
    let day = (at + SignedDuration::from_hours(24 * i64::from(days)))
        .to_zoned_datetime(jiff::tz::TimeZone::UTC)
        .date();
    let d = serde_json::json!({ field: day.to_string() });
    let key = format!("<{field}{}@example.net>", at.as_second());
    event(s, c, at, kind, &key, &d.to_string());
}

fn patch(s: &mut Store, c: i64, p: ContactPatch) {
    s.update_contact(c, &p).unwrap();
}

/// Seeds × steps of random changes; `RAPPORT_PLAN_WALKS=N` runs more seeds.
#[test]
fn a_random_walk_keeps_the_incremental_queue_equal_to_the_full_one() {
    let dir = tempfile::tempdir().unwrap();
    let configs = [
        loaded(dir.path(), ""),
        loaded(
            dir.path(),
            "\n[policy]\nnudge_after_days = 3\nthank_you_after_hours = 2\n",
        ),
        loaded(
            dir.path(),
            "\n[tiers]\nregular_months = 1\nclose_months = 1\n",
        ),
    ];
    let seeds: u64 = std::env::var("RAPPORT_PLAN_WALKS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(24);
    let mut seen = Seen::default();
    for seed in 0..seeds {
        let mut tw = Twin::new();
        let mut walk = Walk {
            rng: fastrand::Rng::with_seed(seed),
            now: t("2026-03-02T09:00:00Z"),
            serial: 0,
            meetings: vec![],
        };
        let mut cfg = 0;
        for _ in 0..5 {
            let op = walk.draw(&tw);
            let now = walk.now;
            tw.both(|s| apply(s, &op, now));
        }
        for step in 0..70 {
            let op = walk.draw(&tw);
            match &op {
                Op::Time(d) => walk.now += *d,
                Op::Config(c) => cfg = *c,
                _ => {}
            }
            let now = walk.now;
            tw.both(|s| apply(s, &op, now));
            tw.check(&configs[cfg], now, &format!("seed {seed} step {step}"));
        }
        seen.kinds.extend(std::mem::take(&mut tw.seen.kinds));
        seen.statuses.extend(std::mem::take(&mut tw.seen.statuses));
        seen.skipped += tw.seen.skipped;
        seen.planned += tw.seen.planned;
    }
    // The walk must have exercised what it claims to, or equal queues prove nothing.
    for kind in [DraftKind::Nudge, DraftKind::ThankYou, DraftKind::CheckIn] {
        assert!(
            seen.kinds.contains(kind.as_str()),
            "no {kind} drafted: {:?}",
            seen.kinds
        );
    }
    for status in [
        DraftStatus::Superseded,
        DraftStatus::Sent,
        DraftStatus::Pending,
    ] {
        assert!(
            seen.statuses.contains(&format!("{status:?}")),
            "no draft ended {status:?}: {:?}",
            seen.statuses
        );
    }
    let merged = meeting_steps::MERGED.with(std::cell::Cell::get);
    assert!(merged > 0, "no proposal confirmed or meeting merged");
    assert!(
        seen.skipped > seen.planned,
        "the incremental side planned {} and skipped only {}",
        seen.planned,
        seen.skipped
    );
}

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
