//! The seeded random walk: random changes (mail of every kind, booking-tool
//! confirmations, assistants and referrals through the sync's own recording path,
//! edits, approvals, sends, time) applied to two databases, the incremental queue held
//! equal to the full one after each, and no follow-up ever open for a request that the
//! contact answered by any route.

use super::*;

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
    /// A scheduling tool's confirmation naming the contact as the invitee.
    Booking(i64, u32),
    /// Someone else answering in the contact's thread, the contact in Cc.
    Assistant(i64, u32),
    /// The contact handing the conversation to someone new.
    Referral(i64, u32),
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
    /// (contact, the request's key) the contact answered after it was made.
    answered: Vec<(i64, String)>,
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
        match (self.rng.u32(0..27), draft) {
            (22, _) => Op::Booking(c, n),
            (23, _) => Op::Assistant(c, n),
            (24, _) => Op::Referral(c, n),
            (25 | 26, _) => Op::Meeting2(meeting_steps::draw(&mut self.rng, c, self.now)),
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
        Op::Booking(c, n) | Op::Assistant(c, n) | Op::Referral(c, n) => {
            if let Some(m) = routed(s, op, *c, *n, now) {
                let b = s.batch().unwrap();
                crate::mail::sync::record_with(&b, &m, now, |_, _| Ok(())).unwrap();
                b.commit().unwrap();
            }
        }
    }
}

/// The key of the contact's latest request (or nudge or check-in), as on the timeline.
fn latest_ask(s: &Store, c: i64) -> Option<String> {
    s.interactions(c)
        .unwrap()
        .iter()
        .rev()
        .find(|i| matches!(i.kind, K::RequestSent | K::NudgeSent | K::CheckInSent))
        .map(|i| i.message_key.clone())
}

/// The message of a routed answer: who it is about is for attribution to find.
fn routed(s: &Store, op: &Op, c: i64, n: u32, now: Timestamp) -> Option<NewMessage> {
    let contact = s.contact(c).unwrap()?;
    let addr = contact.emails.first()?.address.clone();
    let mut m = NewMessage {
        message_id: format!("routed{n}@example.net"),
        in_reply_to: String::new(),
        refs: vec![],
        outbound: false,
        from_addr: String::new(),
        from_name: String::new(),
        to_addrs: vec!["ada@example.org".into()],
        date: now,
        subject: "Re: Coffee".into(),
        snippet: String::new(),
        label: Label::HumanReply,
        classification: Classification::default(),
        parse_error: String::new(),
        arrived: Some(now),
        parties: Default::default(),
        account: String::new(),
    };
    let who = |a: &str, name: &str| crate::core::classify::Address {
        address: a.to_string(),
        name: Some(name.to_string()),
    };
    match op {
        Op::Booking(..) => {
            m.from_addr = "notifications@calendly.com".into();
            m.label = Label::MeetingConfirmation;
            m.classification.label = Label::MeetingConfirmation;
            m.classification.meeting = Some(crate::core::classify::Meeting {
                uid: format!("bk{n}"),
                start: Some(now + SignedDuration::from_hours(30)),
                end: Some(now + SignedDuration::from_hours(31)),
                ..Default::default()
            });
            m.parties.tool = Some("Calendly".into());
            m.parties.reply_to = vec![who(&addr, &contact.name)];
        }
        Op::Assistant(..) => {
            m.from_addr = format!("assistant{n}@helpers.example");
            m.from_name = format!("Helper {n}");
            m.to_addrs.push(addr);
            m.in_reply_to = latest_ask(s, c)?;
            m.classification.intent = Some(crate::core::classify::Intent::Yes);
        }
        _ => {
            m.from_addr = addr;
            let new = format!("new{n}@else.example");
            m.to_addrs.push(new.clone());
            m.parties.named = vec![who(&new, &format!("Newt {n}"))];
            m.snippet = format!("Please talk to Newt, cc'd: he handles this now ({n}).");
            m.in_reply_to = latest_ask(s, c).unwrap_or_default();
            m.classification.intent = Some(crate::core::classify::Intent::Other);
        }
    }
    Some(m)
}

/// The requests of `c` made before an answer at `now` (the answer came after them).
fn asks_answered(s: &Store, c: i64, now: Timestamp) -> Vec<(i64, String)> {
    s.interactions(c)
        .unwrap()
        .iter()
        .filter(|i| i.kind == K::RequestSent && i.at <= now)
        .map(|i| (c, i.message_key.clone()))
        .collect()
}

/// The promise: no follow-up open for a request the contact answered by any route.
fn never_to_someone_who_answered(s: &Store, answered: &[(i64, String)], step: &str) {
    for d in s.drafts(false).unwrap() {
        if !d.status.is_open() || d.kind != DraftKind::Nudge {
            continue;
        }
        let key = d.reason_key.strip_prefix("nudge:").unwrap_or("");
        assert!(
            !answered.iter().any(|(c, k)| *c == d.contact_id && k == key),
            "{step}: a nudge to contact {} is open after they answered: {}",
            d.contact_id,
            d.reason
        );
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
    let mut routes = std::collections::HashSet::new();
    for seed in 0..seeds {
        let mut tw = Twin::new();
        let mut walk = Walk {
            rng: fastrand::Rng::with_seed(seed),
            now: t("2026-03-02T09:00:00Z"),
            serial: 0,
            meetings: vec![],
            answered: vec![],
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
            let answer = match &op {
                Op::Booking(c, n) | Op::Assistant(c, n) | Op::Referral(c, n) => Some((*c, *n)),
                _ => None,
            };
            tw.both(|s| apply(s, &op, now));
            let attributed = |c: i64, n: u32| {
                let key = format!("routed{n}@example.net");
                tw.inc
                    .interactions(c)
                    .unwrap()
                    .iter()
                    .any(|i| i.message_key == key)
            };
            if let Some((c, n)) = answer
                && attributed(c, n)
            {
                walk.answered.extend(asks_answered(&tw.inc, c, now));
                routes.insert(std::mem::discriminant(&op));
            }
            let name = format!("seed {seed} step {step}");
            tw.check(&configs[cfg], now, &name);
            never_to_someone_who_answered(&tw.inc, &walk.answered, &name);
            never_to_someone_who_answered(&tw.full, &walk.answered, &name);
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
    assert_eq!(
        routes.len(),
        3,
        "every route (booking, assistant, referral) answered at least once"
    );
    let merged = meeting_steps::MERGED.with(std::cell::Cell::get);
    assert!(merged > 0, "no proposal confirmed or meeting merged");
    assert!(
        seen.skipped > seen.planned,
        "the incremental side planned {} and skipped only {}",
        seen.planned,
        seen.skipped
    );
}
