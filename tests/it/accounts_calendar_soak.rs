//! The daemon for real minutes with two accounts and a CalDAV calendar (issue 25's
//! done-when): two Dovecot and SMTP servers (`personal` is `me@example.test`, `work` is
//! `work@example.test`) and a real Radicale on loopback, the calendar read every minute.
//!
//! Each round a new contact writes to one account (in turn), is asked for a meeting,
//! and the request must go out from that account only (envelope, From: and Sent copy
//! checked at its server); then an event with them is put in the calendar and must
//! become exactly one meeting on their timeline, and every third round the same
//! meeting also arrives as an invitation mail with the same UID, which must not double
//! it. Writes what it did and the daemon's log lines to
//! `target/accounts-calendar-soak.txt`.
//!
//! Run: `RAPPORT_SOAK_MINUTES=30 cargo test --test it accounts_calendar_soak -- --ignored --nocapture`.

use std::time::{Duration, Instant};

use crate::accounts::{Two, a_contact_writes, copies, mail_from, two};
use crate::support::radicale::Radicale;
use crate::util::Env;
use crate::util::daemon::Daemon;

/// The meetings `meeting list --json` shows with this UID.
fn meetings_with(env: &Env, uid: &str) -> Vec<serde_json::Value> {
    env.rapport(&["meeting", "list", "--all", "--json"])
        .ok()
        .json()["meetings"]
        .as_array()
        .cloned()
        .unwrap_or_default()
        .into_iter()
        .filter(|m| m["uid"] == uid)
        .collect()
}

/// One event with `who` as attendee, organised by the user, at `start` for 30 minutes.
fn event(uid: &str, who: &str, start: jiff::Timestamp) -> String {
    let fmt = |t: jiff::Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let end = start
        .checked_add(jiff::SignedDuration::from_mins(30))
        .unwrap();
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rapport soak//EN\r\nBEGIN:VEVENT\r\nUID:{uid}\r\n\
         DTSTAMP:20261120T000000Z\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Coffee\r\n\
         ORGANIZER:mailto:me@example.test\r\nATTENDEE;PARTSTAT=ACCEPTED:mailto:me@example.test\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:{who}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        fmt(start),
        fmt(end)
    )
}

/// The same meeting as an invitation mail from `who` to `to`, with the same UID.
fn invitation(uid: &str, who: &str, to: &str, start: jiff::Timestamp, n: usize) -> Vec<u8> {
    let fmt = |t: jiff::Timestamp| t.strftime("%Y%m%dT%H%M%SZ").to_string();
    let end = start
        .checked_add(jiff::SignedDuration::from_mins(30))
        .unwrap();
    format!(
        "From: {who}\nTo: {to}\nSubject: Invitation: Coffee\nDate: Mon, 23 Nov 2026 09:30:00 +0000\n\
         Message-ID: <soak-invite-{n}@example.test>\nMIME-Version: 1.0\n\
         Content-Type: text/calendar; method=REQUEST; charset=utf-8\n\n\
         BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rapport soak//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\n\
         UID:{uid}\r\nSEQUENCE:0\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{}\r\nDTEND:{}\r\nSUMMARY:Coffee\r\n\
         ORGANIZER:mailto:{who}\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:{to}\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
        fmt(start),
        fmt(end)
    )
    .into_bytes()
}

#[test]
#[ignore = "a 30-minute daemon run: RAPPORT_SOAK_MINUTES=30 cargo test --test it accounts_calendar_soak -- --ignored --nocapture"]
fn two_accounts_and_a_caldav_calendar_for_real_minutes() {
    let minutes: u64 = std::env::var("RAPPORT_SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let Two { home, work, env } = two();
    let dav = Radicale::start();
    let url = dav.calendar_url();
    env.edit_config(|t| {
        format!(
            "{}\n[[calendars]]\nname = \"work-calendar\"\nkind = \"caldav\"\nurl = \"{url}\"\nusername = \"ada\"\npassword_command = \"echo {}\"\npoll_minutes = 1\n",
            // More than a day's cap goes out under a fixed clock; the cap would hold it.
            t.replacen(
                "timezone = \"Europe/London\"\n",
                "timezone = \"Europe/London\"\n\n[policy]\ndaily_send_cap = 10000\n",
                1,
            ),
            Radicale::PASSWORD
        )
    });
    let base: jiff::Timestamp = env.now.parse().unwrap();
    let daemon = Daemon::start(&env, "info", &[]);
    let started = Instant::now();
    let end = started + Duration::from_secs(minutes * 60);
    let (mut sent, mut meetings, mut invitations) = ([0usize; 2], 0usize, 0usize);
    let mut lines = Vec::new();
    let mut uids: Vec<String> = Vec::new();
    let mut n = 0;
    while Instant::now() < end {
        n += 1;
        let (server, user, account, i) = if n % 2 == 0 {
            (&home, "me", "personal", 0)
        } else {
            (&work, "work", "work", 1)
        };
        let address = a_contact_writes(&home, &work, &env, n, (server, user));
        let delivered = Instant::now();
        daemon.wait_until("the mail on the timeline", Duration::from_secs(90), || {
            env.rapport(&["contacts", "show", &address, "--json"])
                .json()["timeline"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        });
        let on_timeline = delivered.elapsed();
        env.rapport(&["request", &address]).ok();
        let d = env
            .drafts()
            .into_iter()
            .find(|d| d["to"] == address.as_str())
            .unwrap();
        assert_eq!(d["account"], account, "{d}");
        let id = d["id"].to_string();
        let approved = Instant::now();
        env.rapport(&["queue", "approve", &id]).ok();
        daemon.wait_until("the request sent", Duration::from_secs(90), || {
            env.draft(id.parse().unwrap())["status"] == "sent"
        });
        let to_smtp = approved.elapsed();
        sent[i] += 1;
        assert_eq!(
            mail_from(server).last().map(String::as_str),
            Some(format!("\"{user}@example.test\"").as_str()),
            "round {n}: the envelope of the account written to"
        );
        let message_id = env.draft(id.parse().unwrap())["message_id"]
            .as_str()
            .unwrap()
            .to_string();
        let other = if i == 0 {
            (&work, "work")
        } else {
            (&home, "me")
        };
        daemon.wait_until("the Sent copy", Duration::from_secs(60), || {
            copies(server, &format!("{user}@example.test"), &message_id) == 1
        });
        assert_eq!(
            copies(other.0, &format!("{}@example.test", other.1), &message_id),
            0,
            "round {n}: no copy in the other account's Sent"
        );

        // A meeting with them arrives from the calendar.
        let uid = format!("soak-cal-{n}@cal.example");
        let start = base
            .checked_add(jiff::SignedDuration::from_hours(
                48 + i64::try_from(n).unwrap(),
            ))
            .unwrap();
        dav.put(&format!("soak-{n}.ics"), &event(&uid, &address, start));
        let put = Instant::now();
        if n % 3 == 0 {
            server.deliver(
                user,
                &invitation(&uid, &address, &format!("{user}@example.test"), start, n),
            );
            invitations += 1;
        }
        daemon.wait_until("the calendar's meeting", Duration::from_secs(150), || {
            !meetings_with(&env, &uid).is_empty()
        });
        let from_calendar = put.elapsed();
        if n % 3 == 0 {
            daemon.wait_until("the invitation mail read", Duration::from_secs(90), || {
                env.rapport(&["contacts", "show", &address, "--json"])
                    .json()["timeline"]
                    .as_array()
                    .is_some_and(|t| {
                        t.iter().any(|e| {
                            e["kind"]
                                .as_str()
                                .is_some_and(|k| k.contains("meeting") && k.contains("sched"))
                                && e["source"] != "calendar:work-calendar"
                        })
                    })
            });
        }
        let found = meetings_with(&env, &uid);
        assert_eq!(
            found.len(),
            1,
            "round {n}: one meeting, never doubled: {found:?}"
        );
        meetings += 1;
        uids.push(uid);
        let line = format!(
            "round {n:>3} at {:>5} s: {account:<8} mail on the timeline {on_timeline:.2?}, approval -> sent {to_smtp:.2?}; calendar event -> meeting {from_calendar:.1?}{}",
            started.elapsed().as_secs(),
            if n % 3 == 0 {
                " (and its invitation mail: still one)"
            } else {
                ""
            }
        );
        eprintln!("{line}");
        lines.push(line);
        std::thread::sleep(Duration::from_secs(10));
    }
    assert!(n >= 2, "the run did both accounts");
    // After one more calendar read, each event (and each invitation mail for one) is
    // still exactly one meeting.
    std::thread::sleep(Duration::from_secs(70));
    for uid in &uids {
        let found = meetings_with(&env, uid);
        assert_eq!(found.len(), 1, "{uid}: one meeting at the end: {found:?}");
    }
    assert_eq!(
        mail_from(&home).len(),
        sent[0],
        "personal: every request once"
    );
    assert_eq!(mail_from(&work).len(), sent[1], "work: every request once");
    let log = daemon.log();
    let summary = format!(
        "accounts + calendar soak: {minutes} min, {n} rounds; sent from personal {}, from work {} (each once, from the account written to, its copy in that account's Sent only); {meetings} calendar meetings, {invitations} also as invitation mail, none doubled; Radicale requests {} (PROPFIND {}, REPORT {})\n",
        sent[0],
        sent[1],
        dav.all_requests(),
        dav.requests("PROPFIND"),
        dav.requests("REPORT"),
    );
    let wanted: Vec<&str> = log
        .lines()
        .filter(|l| {
            l.contains("calendar read")
                || l.contains("account")
                || l.contains("sent")
                || l.contains("ERROR")
                || l.contains("WARN")
        })
        .collect();
    let report = format!(
        "{summary}\n{}\n\ndaemon log lines ({} of {}):\n{}\n",
        lines.join("\n"),
        wanted.len(),
        log.lines().count(),
        wanted.join("\n")
    );
    let out =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/accounts-calendar-soak.txt");
    let _ = std::fs::write(&out, &report);
    eprintln!("{summary}");
    assert!(
        !log.contains(" ERROR "),
        "no error in the daemon's log:\n{log}"
    );
    daemon.stop_within_ten_seconds();
}
