//! The incremental pass against the full pass: over a scripted sequence (replies, sends,
//! snoozes, edits, time passing, a config change, contacts added and removed) two
//! databases given the same changes must hold the same queue.

use jiff::{SignedDuration, Timestamp};

use super::*;
use crate::core::model::InteractionKind as K;
use crate::store::{NewContact, NewInteraction};

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

/// The queue as the user sees it, every draft ever made.
fn queue(store: &Store) -> Vec<String> {
    let mut q: Vec<String> = store
        .drafts(true)
        .unwrap()
        .iter()
        .map(|d| {
            format!(
                "{} {} {} {:?} {} {}",
                d.contact_id,
                d.kind,
                d.reason_key,
                d.status,
                d.effective_due(),
                d.reason
            )
        })
        .collect();
    q.sort();
    q
}

struct Twin {
    inc: Store,
    full: Store,
}

impl Twin {
    fn both(&mut self, f: impl Fn(&mut Store)) {
        f(&mut self.inc);
        f(&mut self.full);
    }

    /// One pass on each, the same queue; then passes until the incremental side has
    /// nobody left to plan (a pass that drafts or withdraws leaves that contact marked),
    /// the queues equal after each.
    fn check(&mut self, cfg: &Loaded, now: Timestamp, step: &str) -> Vec<String> {
        for pass in 0..4 {
            bring_current(&mut self.inc, cfg, now).unwrap();
            full_current(&mut self.full, cfg, now);
            let (a, b) = (queue(&self.inc), queue(&self.full));
            assert_eq!(a, b, "queues differ after {step}, pass {pass}");
            if self.inc.contacts_to_plan(now).unwrap().is_empty() {
                return a;
            }
        }
        // A contact whose drafting fails stays marked (the full pass retries it too).
        queue(&self.inc)
    }
}

fn contact(store: &mut Store, name: &str, now: Timestamp) -> i64 {
    let email = format!("{}@example.com", name.to_lowercase());
    let c = NewContact {
        name: name.into(),
        emails: vec![email],
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

fn open_draft(store: &Store, contact: i64) -> Option<i64> {
    let drafts = store.drafts_for_contact(contact).unwrap();
    drafts.iter().find(|d| d.status.is_open()).map(|d| d.id)
}

#[test]
fn the_incremental_pass_keeps_the_queue_of_the_full_pass() {
    let dir = tempfile::tempdir().unwrap();
    let cfg = loaded(dir.path(), "");
    let changed = loaded(dir.path(), "\n[policy]\nnudge_after_days = 9\n");
    let mut tw = Twin {
        inc: Store::open_in_memory().unwrap(),
        full: Store::open_in_memory().unwrap(),
    };
    let day = SignedDuration::from_hours(24);
    let mut now = t("2026-11-23T10:00:00Z");
    let start = now;
    tw.both(|s| {
        let a = contact(s, "Asker", start);
        event(s, a, start - day * 2, K::RequestSent, "<r1@x>", "{}");
        let b = contact(s, "Old", start);
        event(s, b, start - day * 400, K::EmailSent, "<o1@x>", "{}");
        let c = contact(s, "Met", start);
        let meet = r#"{"uid":"m1","start":"2026-11-23T08:00:00Z","end":"2026-11-23T09:00:00Z"}"#;
        event(s, c, start - day * 3, K::MeetingScheduled, "<m1@x>", meet);
        contact(s, "Quiet", start);
    });
    tw.check(&cfg, now, "the first pass");

    now += day * 6;
    tw.check(&cfg, now, "six days passing");

    let reply_at = now + SignedDuration::from_mins(5);
    tw.both(|s| {
        event(
            s,
            1,
            reply_at,
            K::Reply,
            "<a2@x>",
            r#"{"in_reply_to":"r1@x"}"#,
        )
    });
    // Only the contact the reply touched is planned again; the trigger marked it.
    assert_eq!(tw.inc.contacts_to_plan(now).unwrap(), vec![1]);
    now += SignedDuration::from_hours(1);
    tw.check(&cfg, now, "a reply");

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
            s.edit(
                id,
                "Thanks",
                "Thank you!",
                b"Subject: Thanks\r\n\r\nThank you!\r\n",
                now,
            )
            .unwrap();
            s.approve(id, now).unwrap();
            if s.claim_for_sending(id, now).unwrap().is_some() {
                s.mark_sent(id, now).unwrap();
            }
        }
    });
    tw.check(&cfg, now, "an edit and a send");

    tw.check(&changed, now, "a config change");
    tw.both(|s| {
        s.remove_contact(2).unwrap();
        let d = contact(s, "Newcomer", now);
        event(s, d, now - day * 200, K::EmailReceived, "<n1@x>", "{}");
    });
    tw.check(&changed, now, "a contact removed and one added");

    for step in 0..6 {
        now += day * 30;
        tw.check(&changed, now, &format!("month {step}"));
    }
}
