//! Property tests for the planner: random interaction histories, drafts, policies,
//! time zones and `now`, checked against the hard rules (README: "What rapport will and will not send").
//!
//! Two kinds of history: "realistic" ones where every event happened at or before
//! `now` (the daemon's view), and "wild" ones where some are dated after `now` (clock
//! skew, bad data), on which only the rules that must hold whatever the input are checked.

use std::collections::BTreeSet;

use jiff::civil::Date;
use jiff::tz::{self, TimeZone};
use jiff::{SignedDuration, Timestamp};
use proptest::prelude::*;
use proptest::sample::select;
use rapport::core::classify::Intent;
use rapport::core::model::{DraftKind, DraftStatus, InteractionKind as K, Tier};
use rapport::core::plan::{Action, ContactFacts, Event, ExistingDraft, Plan, Policy, plan};

mod intro_walk;

const INTENTS: &[&str] = &["yes", "no", "later", "other", "NO", " later ", "maybe"];
const DAYS: u32 = 180;

fn t0() -> Timestamp {
    Timestamp::from_second(1_767_225_600).unwrap() // 2026-01-01T00:00:00Z
}

fn at_hours(h: u32) -> Timestamp {
    t0() + SignedDuration::from_hours(i64::from(h))
}

fn date_at_day(day: u32) -> Date {
    at_hours(day * 24).to_zoned_datetime(TimeZone::UTC).date()
}

fn zone(i: u8) -> TimeZone {
    match i % 5 {
        0 => TimeZone::UTC,
        1 => TimeZone::fixed(tz::offset(-8)),
        2 => TimeZone::fixed(tz::offset(9)),
        3 => TimeZone::posix("CET-1CEST,M3.5.0,M10.5.0/3").unwrap(),
        _ => TimeZone::posix("NZST-12NZDT,M9.5.0,M4.1.0/3").unwrap(),
    }
}

#[derive(Debug, Clone)]
struct EventSpec {
    kind: K,
    hour: u32,
    with_key: bool,
    intent: Option<&'static str>,
    later_day: Option<u32>, // days after the event
    uid: Option<u8>,
    times: Option<(u32, u32)>, // (start hours after the event, duration in minutes)
    away_day: Option<u32>,     // days after the event
    late: Option<u32>,         // hours after its date that rapport first read it
}

/// Every kind, with requests, replies and auto-replies more often than the rest so
/// that nudges and their reschedules come up.
fn kind() -> impl Strategy<Value = K> {
    prop_oneof![
        3 => Just(K::RequestSent),
        2 => Just(K::Reply),
        4 => Just(K::AutoReply),
        10 => select(K::ALL),
    ]
}

fn event_spec() -> impl Strategy<Value = EventSpec> {
    (
        kind(),
        0..DAYS * 24,
        prop::bool::weighted(0.8),
        prop::option::of(select(INTENTS)),
        prop::option::of(0u32..60),
        prop::option::weighted(0.9, 0u8..3),
        prop::option::weighted(0.9, (0u32..400, 0u32..240)),
        prop::option::of(0u32..30),
        prop::option::weighted(0.3, 0u32..400),
    )
        .prop_map(
            |(kind, hour, with_key, intent, later_day, uid, times, away_day, late)| EventSpec {
                kind,
                hour,
                with_key,
                intent,
                later_day,
                uid,
                times,
                away_day,
                late,
            },
        )
}

fn build_event(i: usize, s: &EventSpec) -> Event {
    let id = i as i64 + 1;
    let at = at_hours(s.hour);
    let mut e = Event::new(id, at, s.kind);
    if s.with_key {
        e.message_key = format!("<m{id}@example.org>");
    }
    match s.kind {
        K::Reply => {
            // Loosely written names ("NO", " later ") read as the intent; unknown ones as none.
            e.intent = s
                .intent
                .and_then(|i| Intent::from_name(&i.trim().to_lowercase()));
            e.later_until = s.later_day.map(|d| date_at_day(s.hour / 24 + d));
        }
        K::NextContactAgreed => {
            e.later_until = s.later_day.map(|d| date_at_day(s.hour / 24 + d));
        }
        K::MeetingScheduled | K::MeetingMoved | K::MeetingCancelled | K::MeetingDeclined => {
            e.meeting_uid = s.uid.map(|u| format!("u{u}"));
            if let Some((start_h, minutes)) = s.times {
                let start = at + SignedDuration::from_hours(i64::from(start_h));
                e.meeting_start = Some(start);
                e.meeting_end = Some(start + SignedDuration::from_mins(i64::from(minutes)));
            }
        }
        K::AutoReply => e.auto_reply_until = s.away_day.map(|d| date_at_day(s.hour / 24 + d)),
        _ => {}
    }
    // When rapport first read it: some hours after its date (mail written offline,
    // delivered late, or old history read by the first sync).
    if is_inbound_human(s.kind) {
        e.seen = s
            .late
            .map(|h| at + SignedDuration::from_hours(i64::from(h)));
    }
    e
}

/// Whether `e` counts as written after `t`: by its date, or because rapport first read
/// it after `t` (when that was not the first sync, whose reads say nothing of order).
fn after(c: &Case, e: &Event, t: Timestamp) -> bool {
    e.at >= t
        || e.seen
            .is_some_and(|s| s > t && c.contact.watching_since.is_some_and(|w| s > w))
}

/// A typical relationship: a request, maybe an out-of-office, maybe a nudge, some
/// answer or none, maybe a meeting (moved, cancelled), a thank-you, later contact; then
/// a little noise of any kind. Times are hours from the start.
fn story() -> impl Strategy<Value = (Vec<EventSpec>, Option<u32>)> {
    let spec = |kind: K, hour: u32| EventSpec {
        kind,
        hour,
        with_key: true,
        intent: None,
        later_day: None,
        uid: Some(0),
        times: None,
        away_day: None,
        late: None,
    };
    (
        (0u32..DAYS * 24, prop::option::of((0u32..48, 0u32..20))),
        (
            prop::option::of(100u32..300),
            prop::option::of((0u32..400, prop_oneof![Just(2usize), 0usize..6], 0u32..60)),
        ),
        (
            prop::option::of((0u32..200, 0u32..200, 15u32..90)),
            prop::option::of(0u32..200),
            prop::option::weighted(0.25, prop::bool::ANY),
        ),
        (
            prop::option::of((0u32..72, prop::bool::ANY)),
            prop::collection::vec(event_spec(), 0..3),
        ),
    )
        .prop_map(
            move |((r, away), (nudge, answer), (meet, moved, cancel), (thanks, noise))| {
                let mut out = vec![spec(K::RequestSent, r)];
                if let Some((after, days)) = away {
                    out.push(EventSpec {
                        away_day: Some(days),
                        ..spec(K::AutoReply, r + after)
                    });
                }
                if let Some(after) = nudge {
                    out.push(spec(K::NudgeSent, r + after));
                }
                let mut now = r;
                let mut milestone = r;
                if let Some((after, intent, later)) = answer {
                    now = r + after;
                    milestone = now;
                    let kind = if intent == 5 {
                        K::EmailReceived
                    } else {
                        K::Reply
                    };
                    out.push(EventSpec {
                        intent: INTENTS.get(intent).copied(),
                        later_day: Some(later),
                        ..spec(kind, now)
                    });
                }
                if let Some((after, start, minutes)) = meet {
                    now += after;
                    out.push(EventSpec {
                        times: Some((start, minutes)),
                        ..spec(K::MeetingScheduled, now)
                    });
                    let mut end = now + start + 1;
                    milestone = end;
                    if let Some(by) = moved {
                        out.push(EventSpec {
                            times: Some((start + by, minutes)),
                            ..spec(K::MeetingMoved, now + 1)
                        });
                        end += by;
                        milestone = end;
                    }
                    if let Some(declined) = cancel {
                        let kind = if declined {
                            K::MeetingDeclined
                        } else {
                            K::MeetingCancelled
                        };
                        out.push(spec(kind, now + 2));
                    }
                    if let Some((after, sent)) = thanks {
                        let kind = if sent {
                            K::ThankYouSent
                        } else {
                            K::ThankYouReceived
                        };
                        out.push(spec(kind, end + after));
                    }
                }
                out.extend(noise);
                (out, Some(milestone))
            },
        )
}

#[derive(Debug, Clone)]
struct DraftSpec {
    key_type: u8,
    event: usize,
    kind: DraftKind,
    status: DraftStatus,
    created_hour: u32,
    due_hours_after: u32,
}

fn draft_spec() -> impl Strategy<Value = DraftSpec> {
    (
        0u8..6,
        0usize..64,
        select(DraftKind::ALL),
        select(DraftStatus::ALL),
        0..DAYS * 24,
        0u32..400,
    )
        .prop_map(
            |(key_type, event, kind, status, created_hour, due_hours_after)| DraftSpec {
                key_type,
                event,
                kind,
                status,
                created_hour,
                due_hours_after,
            },
        )
}

fn build_draft(i: usize, s: &DraftSpec, events: &[Event]) -> ExistingDraft {
    // Keys mostly name an event of the kind they are about, sometimes any event.
    let wanted = match s.key_type {
        0 => Some(K::RequestSent),
        1 => Some(K::Reply),
        _ => None,
    };
    let pool: Vec<&Event> = events
        .iter()
        .filter(|e| s.event.is_multiple_of(4) || wanted.is_none_or(|k| e.kind == k))
        .collect();
    let e = if pool.is_empty() {
        None
    } else {
        pool.get(s.event % pool.len()).copied()
    };
    let key_of = |e: Option<&Event>| e.map_or_else(|| "none".to_string(), Event::key);
    let (kind, reason_key) = match s.key_type {
        0 => (DraftKind::Nudge, format!("nudge:{}", key_of(e))),
        1 => (DraftKind::CheckIn, format!("later:{}", key_of(e))),
        2 => (DraftKind::ThankYou, format!("thank-you:u{}", s.event % 3)),
        3 => (
            DraftKind::CheckIn,
            format!("check-in:{}", e.map_or(t0(), |e| e.at)),
        ),
        4 => (DraftKind::MeetingRequest, format!("request:{i}")),
        _ => (s.kind, format!("other:{i}")),
    };
    // Mostly made soon after the event it is about, as the daemon would.
    let created_at = match e {
        Some(e) if !s.created_hour.is_multiple_of(3) => {
            e.at + SignedDuration::from_mins(i64::from(s.created_hour % (72 * 60)))
        }
        _ => at_hours(s.created_hour),
    };
    ExistingDraft {
        id: i as i64 + 1,
        kind,
        reason_key,
        status: s.status,
        created_at,
        due: created_at + SignedDuration::from_hours(i64::from(s.due_hours_after)),
    }
}

fn policy() -> impl Strategy<Value = Policy> {
    prop_oneof![
        3 => Just(Policy::default()),
        1 => (0u32..15, 0u32..30, 0u32..48, (0u32..13, 0u32..13, 0u32..13), 0u32..10, 0u32..60)
            .prop_map(|(nudge, dormant, hours, (close, regular, acq), stale_ty, stale_req)| Policy {
                nudge_after_days: nudge,
                dormant_after_days: dormant,
                thank_you_after_hours: hours,
                close_months: close,
                regular_months: regular,
                acquaintance_months: acq,
                stale_thank_you_days: stale_ty,
                stale_request_days: stale_req,
            }),
    ]
}

fn contact() -> impl Strategy<Value = ContactFacts> {
    (
        select(Tier::ALL),
        prop::bool::weighted(0.15),
        prop::bool::weighted(0.1),
        prop::bool::weighted(0.9),
        prop::option::weighted(0.7, 0u32..DAYS * 24),
    )
        .prop_map(
            |(tier, do_not_contact, all_addresses_bounced, has_address, watching)| ContactFacts {
                id: 1,
                tier,
                do_not_contact,
                all_addresses_bounced,
                has_address,
                watching_since: watching.map(at_hours),
            },
        )
}

#[derive(Debug, Clone)]
struct Case {
    contact: ContactFacts,
    events: Vec<Event>,
    drafts: Vec<ExistingDraft>,
    now: Timestamp,
    zone: u8,
    policy: Policy,
}

fn case(realistic: bool) -> impl Strategy<Value = Case> {
    (
        contact(),
        prop_oneof![
            2 => story(),
            2 => prop::collection::vec(event_spec(), 0..8).prop_map(|v| (v, None)),
            1 => prop::collection::vec(event_spec(), 8..24).prop_map(|v| (v, None)),
        ],
        prop::collection::vec(draft_spec(), 0..6),
        (prop::bool::ANY, 0..(DAYS + 20) * 24 * 60),
        0u8..5,
        policy(),
    )
        .prop_map(
            move |(contact, (specs, milestone), dspecs, (soon, now_min), zone, policy)| {
                let mut events: Vec<Event> = specs
                    .iter()
                    .enumerate()
                    .map(|(i, s)| build_event(i, s))
                    .collect();
                // Half the time the planner runs soon after the story's last milestone
                // (up to 6 days) or the last event (up to 20), as the daemon does;
                // otherwise at any time in the period.
                let now = if soon {
                    let (base, window) = match milestone {
                        Some(h) => (at_hours(h), 6),
                        None => (events.iter().map(|e| e.at).max().unwrap_or(t0()), 20),
                    };
                    base + SignedDuration::from_mins(i64::from(now_min % (window * 24 * 60)))
                } else {
                    t0() + SignedDuration::from_mins(i64::from(now_min))
                };
                if realistic {
                    events.retain(|e| e.at <= now);
                }
                // Nothing is read by rapport after now, and it began reading before.
                for e in &mut events {
                    e.seen = e.seen.map(|s| s.min(now));
                }
                let mut contact = contact;
                contact.watching_since = contact.watching_since.map(|w| w.min(now));
                // The store hands them over sorted; the planner must not rely on it, so
                // half the cases keep the generated (random) order.
                if now_min.is_multiple_of(2) {
                    events.sort_by_key(|e| (e.at, e.id));
                }
                let drafts = dspecs
                    .iter()
                    .enumerate()
                    .map(|(i, s)| build_draft(i, s, &events))
                    .collect();
                Case {
                    contact,
                    events,
                    drafts,
                    now,
                    zone,
                    policy,
                }
            },
        )
}

fn run(c: &Case, drafts: &[ExistingDraft]) -> Plan {
    plan(
        &c.contact,
        &c.events,
        drafts,
        c.now,
        &zone(c.zone),
        &c.policy,
    )
}

fn is_inbound_human(k: K) -> bool {
    matches!(
        k,
        K::Reply | K::ThankYouReceived | K::EmailReceived | K::RequestReceived
    )
}

fn blocked(c: &ContactFacts) -> bool {
    c.do_not_contact || c.all_addresses_bounced || !c.has_address
}

struct Created<'a> {
    kind: DraftKind,
    key: &'a str,
    due: Timestamp,
}

fn creates(p: &Plan) -> Vec<Created<'_>> {
    p.actions
        .iter()
        .filter_map(|a| match a {
            Action::Create {
                kind,
                reason_key,
                due,
                ..
            } => Some(Created {
                kind: *kind,
                key: reason_key,
                due: *due,
            }),
            _ => None,
        })
        .collect()
}

/// The rules that must hold for any input, however odd.
fn check_hard_rules(c: &Case, p: &Plan) -> Result<(), TestCaseError> {
    let created = creates(p);

    // (c) Blocked contacts: no Create, no Reschedule, every open draft superseded.
    if blocked(&c.contact) {
        prop_assert!(created.is_empty(), "Create for a blocked contact: {p:#?}");
        let open: BTreeSet<i64> = c
            .drafts
            .iter()
            .filter(|d| d.status.is_open())
            .map(|d| d.id)
            .collect();
        let gone: BTreeSet<i64> = p
            .actions
            .iter()
            .filter_map(|a| match a {
                Action::Supersede { draft_id, .. } => Some(*draft_id),
                _ => None,
            })
            .collect();
        prop_assert_eq!(open, gone);
        prop_assert!(
            p.actions
                .iter()
                .all(|a| matches!(a, Action::Supersede { .. })),
            "only supersedes for a blocked contact: {p:#?}"
        );
    }

    // No reason key twice, and never one that already exists in any status.
    let mut keys = BTreeSet::new();
    for cr in &created {
        prop_assert!(keys.insert(cr.key), "duplicate Create {}", cr.key);
        prop_assert!(
            c.drafts.iter().all(|d| d.reason_key != cr.key),
            "Create {} already exists: {p:#?}",
            cr.key
        );
    }

    // (a) One nudge per request: at most one Create, none after a NudgeSent.
    let nudges: Vec<&Created> = created
        .iter()
        .filter(|cr| cr.kind == DraftKind::Nudge)
        .collect();
    prop_assert!(nudges.len() <= 1, "two nudges: {p:#?}");
    for n in &nudges {
        let key = n.key.strip_prefix("nudge:");
        prop_assert!(key.is_some(), "nudge key {}", n.key);
        let request = c
            .events
            .iter()
            .filter(|e| e.kind == K::RequestSent && Some(e.key().as_str()) == key)
            .max_by_key(|e| (e.at, e.id));
        prop_assert!(request.is_some(), "nudge for no request: {}", n.key);
        let Some(r) = request else { continue };
        prop_assert!(
            !c.events
                .iter()
                .any(|e| e.kind == K::NudgeSent && e.at >= r.at),
            "nudge after a NudgeSent: {p:#?}"
        );
        // (b) ... and not to someone who answered it, by date or by arrival.
        prop_assert!(
            !c.events
                .iter()
                .any(|e| is_inbound_human(e.kind) && after(c, e, r.at)),
            "nudge after an inbound message: {p:#?}"
        );
        prop_assert!(n.due >= r.at, "nudge due before the request");
    }

    // (b) Check-ins: nothing from them after the basis.
    for cr in created.iter().filter(|cr| cr.kind == DraftKind::CheckIn) {
        let basis = if let Some(k) = cr.key.strip_prefix("later:") {
            let reply = c
                .events
                .iter()
                .filter(|e| e.kind == K::Reply && e.key() == k)
                .max_by_key(|e| (e.at, e.id));
            prop_assert!(reply.is_some(), "later check-in for no reply: {}", cr.key);
            reply.map(|r| r.at)
        } else if let Some(ts) = cr.key.strip_prefix("check-in:") {
            let ts: Result<Timestamp, _> = ts.parse();
            prop_assert!(ts.is_ok(), "check-in key {}", cr.key);
            let ts = ts.ok();
            // The basis is the last contact: nothing (but machines, and an intro's
            // bookkeeping step) after it.
            if let Some(b) = ts {
                prop_assert!(
                    !c.events.iter().any(|e| {
                        !matches!(e.kind, K::AutoReply | K::Bounce | K::IntroStep) && e.at > b
                    }),
                    "check-in basis {b} is not the last contact: {p:#?}"
                );
            }
            ts
        } else {
            prop_assert!(false, "unknown check-in key {}", cr.key);
            None
        };
        if let Some(b) = basis {
            prop_assert!(
                !c.events
                    .iter()
                    .any(|e| is_inbound_human(e.kind) && e.at > b),
                "check-in after an inbound message: {p:#?}"
            );
        }
    }

    // Reply "no" and nothing from them since: no Create at all.
    let mut sorted: Vec<&Event> = c.events.iter().collect();
    sorted.sort_by_key(|e| (e.at, e.id));
    if let Some(pos) = sorted.iter().rposition(|e| e.kind == K::Reply) {
        let said_no = sorted[pos].intent == Some(Intent::No);
        let engaged = sorted[pos + 1..].iter().any(|e| {
            is_inbound_human(e.kind) || matches!(e.kind, K::MeetingScheduled | K::MeetingMoved)
        });
        if said_no && !engaged {
            prop_assert!(created.is_empty(), "Create after a no: {p:#?}");
        }
    }

    // The hard rule for open drafts: an automated nudge or check-in to someone who
    // wrote since it was made is superseded. Actions name real drafts, once each;
    // only open drafts are touched; a reschedule only ever moves later.
    let mut touched = BTreeSet::new();
    for a in &p.actions {
        let id = match a {
            Action::Create { .. } => continue,
            Action::Supersede { draft_id, .. } => *draft_id,
            Action::Reschedule { draft_id, due, .. } => {
                let d = c.drafts.iter().find(|d| d.id == *draft_id);
                prop_assert!(d.is_some_and(|d| *due > d.due), "bad reschedule {a:?}");
                *draft_id
            }
        };
        prop_assert!(touched.insert(id), "draft {id} touched twice");
        prop_assert!(
            c.drafts.iter().any(|d| d.id == id && d.status.is_open()),
            "action on a draft that is not open: {a:?}"
        );
    }
    for d in c.drafts.iter().filter(|d| d.status.is_open()) {
        // Written after the draft was made, or first read by rapport after it.
        let wrote_since = c.events.iter().any(|e| {
            is_inbound_human(e.kind)
                && (e.at > d.created_at || e.seen.is_some_and(|s| s > d.created_at))
        });
        if matches!(d.kind, DraftKind::Nudge | DraftKind::CheckIn) && wrote_since {
            prop_assert!(
                p.actions
                    .iter()
                    .any(|a| matches!(a, Action::Supersede { draft_id, .. } if *draft_id == d.id)),
                "open {} draft {} survives a reply: {p:#?}",
                d.kind,
                d.reason_key
            );
        }
    }

    prop_assert!(!p.next.is_empty());
    Ok(())
}

/// (d) Feeding the Creates back in, in `status`, yields no Create with a key present.
fn fed_back(c: &Case, p: &Plan, status: DraftStatus) -> Vec<ExistingDraft> {
    let mut drafts = c.drafts.clone();
    for (i, cr) in creates(p).iter().enumerate() {
        drafts.push(ExistingDraft {
            id: 1_000_000 + i as i64,
            kind: cr.kind,
            reason_key: cr.key.to_string(),
            status,
            created_at: c.now,
            due: cr.due,
        });
    }
    drafts
}

fn check_idempotent(c: &Case, p: &Plan, fixpoint: bool) -> Result<(), TestCaseError> {
    for status in [DraftStatus::Pending, DraftStatus::Rejected] {
        let drafts = fed_back(c, p, status);
        let again = run(c, &drafts);
        for cr in creates(&again) {
            prop_assert!(
                drafts.iter().all(|d| d.reason_key != cr.key),
                "second Create {} after re-planning: {again:#?}",
                cr.key
            );
        }
        if fixpoint && status == DraftStatus::Pending {
            // With the drafts in place the plan has nothing new to say about them.
            prop_assert!(creates(&again).is_empty(), "more Creates: {again:#?}");
            for a in &again.actions {
                let fresh = match a {
                    Action::Supersede { draft_id, .. } | Action::Reschedule { draft_id, .. } => {
                        *draft_id >= 1_000_000
                    }
                    Action::Create { .. } => false,
                };
                prop_assert!(!fresh, "a fresh draft is changed at once: {a:?}");
            }
            prop_assert_eq!(&again.stage, &p.stage);
        }
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig {
        cases: 2000,
        failure_persistence: Some(Box::new(
            proptest::test_runner::FileFailurePersistence::WithSource("regressions"),
        )),
        ..ProptestConfig::default()
    })]

    #[test]
    fn realistic_histories_keep_the_hard_rules(c in case(true)) {
        let p = run(&c, &c.drafts);
        check_hard_rules(&c, &p)?;
        check_idempotent(&c, &p, true)?;
        // Same answer whatever order the events come in.
        let mut reversed = c.clone();
        reversed.events.reverse();
        prop_assert_eq!(run(&reversed, &c.drafts), p);
    }

    #[test]
    fn wild_histories_keep_the_hard_rules(c in case(false)) {
        let p = run(&c, &c.drafts);
        check_hard_rules(&c, &p)?;
        check_idempotent(&c, &p, false)?;
    }
}

/// The generator must produce the situations the properties are about, or they
/// prove nothing: count how often each shows up over a fixed sample.
#[test]
fn generator_reaches_every_kind_of_create() {
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{Config, RngAlgorithm, TestRng, TestRunner};

    let mut runner = TestRunner::new_with_rng(
        Config::default(),
        TestRng::from_seed(RngAlgorithm::ChaCha, &[7; 32]),
    );
    let strategy = case(true);
    let mut seen = std::collections::BTreeMap::new();
    for _ in 0..2000 {
        let c = strategy.new_tree(&mut runner).unwrap().current();
        let p = run(&c, &c.drafts);
        for a in &p.actions {
            let name = match a {
                Action::Create { reason_key, .. } => {
                    reason_key.split(':').next().unwrap_or("").to_string()
                }
                Action::Supersede { .. } => "supersede".to_string(),
                Action::Reschedule { .. } => "reschedule".to_string(),
            };
            *seen.entry(name).or_insert(0) += 1;
        }
    }
    println!("{seen:?}");
    for (want, at_least) in [
        ("nudge", 50),
        ("later", 20),
        ("thank-you", 30),
        ("check-in", 50),
        ("supersede", 50),
        ("reschedule", 3),
    ] {
        assert!(
            seen.get(want).is_some_and(|n| *n >= at_least),
            "{want} too rare: {seen:?}"
        );
    }
}
