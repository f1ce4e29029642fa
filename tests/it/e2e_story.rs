//! The demo's story against real servers, with RAPPORT_NOW moving through six months:
//! requests out through SMTP, replies into the inbox through SMTP, sync, plan, approve,
//! send; every approved email arrives in its recipient's mailbox exactly once, and
//! nothing else does. Then the daemon itself: it sends what is due, picks up new mail by
//! IDLE, refuses a second instance, survives a bad reload, and stops on SIGTERM.

use std::time::Duration;

use crate::support::TestServers;
use crate::util::Env;
use crate::util::daemon::Daemon;
use lettre::Transport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};

fn config(s: &TestServers) -> String {
    s.rapport_config()
}

/// Another person's mail client sending to `me` through the SMTP server.
pub(crate) fn send_to_me(s: &TestServers, raw: &str) {
    let tls = TlsParameters::builder(s.host())
        .add_root_certificate(Certificate::from_pem(&s.ca_pem()).unwrap())
        .build_rustls()
        .unwrap();
    let transport = lettre::SmtpTransport::builder_dangerous(s.host())
        .port(s.smtp_port())
        .tls(Tls::Required(tls))
        .credentials(Credentials::new(
            "me@example.test".into(),
            "me-secret".into(),
        ))
        .build();
    let from: lettre::Address = raw
        .lines()
        .find_map(|l| l.strip_prefix("From: "))
        .and_then(|f| f.split('<').nth(1))
        .and_then(|f| f.split('>').next())
        .unwrap()
        .parse()
        .unwrap();
    let env = lettre::address::Envelope::new(Some(from), vec!["me@example.test".parse().unwrap()])
        .unwrap();
    transport
        .send_raw(&env, raw.replace('\n', "\r\n").as_bytes())
        .unwrap();
}

pub(crate) fn inbox_count(s: &TestServers, user: &str) -> u32 {
    s.mailbox_status(user, "INBOX").messages
}

fn request_id(env: &Env, to: &str) -> String {
    env.drafts()
        .into_iter()
        .find(|d| d["to"] == to && d["kind"] == "meeting-request")
        .unwrap()["message_id"]
        .as_str()
        .unwrap()
        .to_string()
}

fn pending(env: &Env) -> Vec<(i64, String, String)> {
    env.drafts()
        .into_iter()
        .filter(|d| d["status"] == "pending")
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["kind"].as_str().unwrap().to_string(),
                d["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn stage(env: &Env, who: &str) -> String {
    env.rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json()["stage"]["stage"]
        .as_str()
        .unwrap()
        .to_string()
}

/// The one draft a morning made: (kind, recipient).
fn only(drafted: &[(i64, String, String)]) -> (&str, &str) {
    assert_eq!(drafted.len(), 1, "{drafted:?}");
    (drafted[0].1.as_str(), drafted[0].2.as_str())
}

/// sync, plan, approve what is pending and due, send: one morning with rapport.
fn morning(env: &mut Env, now: &str) -> Vec<(i64, String, String)> {
    env.now = now.into();
    env.rapport(&["sync"]).ok();
    env.rapport(&["plan"]).ok();
    let drafted = pending(env);
    for (id, _, _) in &drafted {
        env.rapport(&["queue", "approve", &id.to_string()]).ok();
    }
    env.rapport(&["send"]).ok();
    drafted
}

#[test]
fn six_months_of_follow_up_against_real_servers() {
    let s = TestServers::start();
    s.add_user("sam", "sam-secret");
    s.add_user("dave", "dave-secret");
    let mut env = Env::with_config(&config(&s));
    let people = [
        ("alice", "Jessica Park"),
        ("bob", "Omar Haddad"),
        ("carol", "Lena Vogel"),
        ("sam", "Sam Doe"),
        ("dave", "Priya Nair"),
    ];
    env.now = "2026-11-02T10:00:00Z".into();
    for (user, name) in people {
        let addr = format!("{user}@example.test");
        env.add_contact(&addr, name);
        env.rapport(&["request", &addr]).ok();
    }
    env.rapport(&["queue"]).ok(); // `--all` approves what the listing showed
    env.rapport(&["queue", "approve", "--all"]).ok();
    env.rapport(&["send"]).ok();
    for (user, _) in people {
        assert_eq!(inbox_count(&s, user), 1, "{user} got the request once");
    }

    // Replies, through SMTP.
    let jessica_req = request_id(&env, "alice@example.test");
    send_to_me(
        &s,
        &format!(
            "From: Jessica Park <alice@example.test>\nTo: me@example.test\nSubject: Re: 25 minutes in the next few weeks?\nDate: Tue, 03 Nov 2026 09:00:00 +0000\nMessage-ID: <e2e-jessica-yes@example.test>\nIn-Reply-To: <{jessica_req}>\nReferences: <{jessica_req}>\n\nYes, happy to! Send me an invite.\n\nOn Mon, Ada wrote:\n> Would you be available?\n"
        ),
    );
    send_to_me(
        &s,
        &format!(
            "From: Lena Vogel <carol@example.test>\nTo: me@example.test\nSubject: Automatic reply: 25 minutes in the next few weeks?\nDate: Tue, 03 Nov 2026 09:01:00 +0000\nMessage-ID: <e2e-lena-ooo@example.test>\nIn-Reply-To: <{}>\nAuto-Submitted: auto-replied\n\nI am out of the office until November 16.\n",
            request_id(&env, "carol@example.test")
        ),
    );
    let sam_req = request_id(&env, "sam@example.test");
    s.deliver("me", format!(
        "From: Mail Delivery System <MAILER-DAEMON@mx.example.test>\r\nTo: me@example.test\r\nSubject: Undelivered Mail Returned to Sender\r\nDate: Tue, 03 Nov 2026 09:02:00 +0000\r\nMessage-ID: <e2e-bounce@mx.example.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"b1\"\r\n\r\n--b1\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered.\r\n\r\n--b1\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; sam@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\n\r\n--b1\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <{sam_req}>\r\nTo: sam@example.test\r\n\r\n--b1--\r\n").as_bytes());
    let priya_req = request_id(&env, "dave@example.test");
    send_to_me(
        &s,
        &format!(
            "From: Priya Nair <dave@example.test>\nTo: me@example.test\nSubject: Re: 25 minutes in the next few weeks?\nDate: Tue, 03 Nov 2026 09:03:00 +0000\nMessage-ID: <e2e-priya-later@example.test>\nIn-Reply-To: <{priya_req}>\n\nNot in the next three weeks, but how about four weeks out?\n"
        ),
    );

    let drafted = morning(&mut env, "2026-11-03T09:30:00Z");
    assert!(drafted.is_empty(), "nothing is due yet: {drafted:?}");
    assert_eq!(stage(&env, "sam@example.test"), "bounced");

    send_to_me(
        &s,
        "From: Jessica Park <alice@example.test>\nTo: me@example.test\nSubject: Accepted: Ada / Jessica @ Tue Nov 10, 2026 3pm - 3:25pm (GMT)\nDate: Wed, 04 Nov 2026 12:00:00 +0000\nMessage-ID: <e2e-accept@example.test>\nMIME-Version: 1.0\nContent-Type: text/calendar; charset=UTF-8; method=REPLY\n\nBEGIN:VCALENDAR\nMETHOD:REPLY\nVERSION:2.0\nPRODID:-//Google Inc//Google Calendar 70.9054//EN\nBEGIN:VEVENT\nDTSTART:20261110T150000Z\nDTEND:20261110T152500Z\nUID:e2e-meeting@example.test\nORGANIZER:mailto:me@example.test\nATTENDEE;PARTSTAT=ACCEPTED;CN=Jessica Park:mailto:alice@example.test\nSEQUENCE:0\nSUMMARY:Ada / Jessica\nEND:VEVENT\nEND:VCALENDAR\n",
    );
    morning(&mut env, "2026-11-04T12:30:00Z");
    assert_eq!(stage(&env, "alice@example.test"), "scheduled");

    let drafted = morning(&mut env, "2026-11-09T10:00:00Z");
    assert_eq!(only(&drafted), ("nudge", "bob@example.test"));
    assert_eq!(inbox_count(&s, "bob"), 2);

    let drafted = morning(&mut env, "2026-11-11T09:15:00Z");
    assert_eq!(only(&drafted), ("thank-you", "alice@example.test"));

    let drafted = morning(&mut env, "2026-11-17T10:00:00Z");
    assert_eq!(only(&drafted), ("nudge", "carol@example.test"));

    let drafted = morning(&mut env, "2026-11-23T10:00:00Z");
    assert!(drafted.is_empty(), "{drafted:?}");
    assert_eq!(stage(&env, "bob@example.test"), "dormant");

    let drafted = morning(&mut env, "2026-12-01T10:00:00Z");
    assert_eq!(only(&drafted), ("check-in", "dave@example.test"));

    let drafted = morning(&mut env, "2027-02-15T10:00:00Z");
    assert_eq!(only(&drafted), ("check-in", "alice@example.test"));

    // Six months on: nothing more goes to anyone who went quiet or bounced, and every
    // approved email arrived exactly once.
    morning(&mut env, "2027-05-02T10:00:00Z");
    for (user, expected) in [
        ("alice", 3),
        ("bob", 2),
        ("carol", 2),
        ("sam", 1),
        ("dave", 2),
    ] {
        assert_eq!(inbox_count(&s, user), expected, "{user}");
    }
    let sent = env
        .drafts()
        .iter()
        .filter(|d| d["status"] == "sent")
        .count();
    assert_eq!(sent, 10);
    assert_eq!(
        s.smtp_events("data").len(),
        10 + 4,
        "10 from rapport; a yes, an out-of-office, a later and an acceptance from people"
    );
}

#[test]
fn the_daemon_sends_listens_refuses_a_twin_reloads_and_stops() {
    let s = TestServers::start();
    let env = Env::with_config(&config(&s));
    env.add_contact("bob@example.test", "Omar Haddad");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();

    let daemon = Daemon::start(&env, "info", &[]);
    daemon.wait_until("the request to arrive", Duration::from_secs(20), || {
        inbox_count(&s, "bob") == 1
    });
    daemon.wait_until("the draft to be sent", Duration::from_secs(10), || {
        env.drafts()[0]["status"] == "sent"
    });

    let twin = env.rapport(&["daemon"]);
    assert_eq!(twin.code, 1);
    assert!(twin.stderr.contains("already running"), "{}", twin.stderr);
    // `rapport send` asks the running daemon for a turn and shows what it did.
    let r = env.rapport(&["send"]).ok();
    assert!(r.stdout.contains("The daemon sent"), "{}", r.stdout);
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(status["daemon"]["running"], true, "{status}");
    // Issue 22 item 7: a number, and the wake-up a timestamp with its reason apart.
    assert_eq!(status["daemon"]["pid"], daemon.id());
    if let Some(wakeup) = status["daemon"]["next_wakeup"].as_str() {
        assert!(wakeup.parse::<jiff::Timestamp>().is_ok(), "{status}");
        assert!(
            status["daemon"]["next_wakeup_reason"].is_string(),
            "{status}"
        );
    }

    // New mail is seen without waiting for a poll: IDLE wakes the daemon.
    let req = request_id(&env, "bob@example.test");
    send_to_me(
        &s,
        &format!(
            "From: Omar Haddad <bob@example.test>\nTo: me@example.test\nSubject: Re: hello\nDate: Mon, 23 Nov 2026 10:05:00 +0000\nMessage-ID: <e2e-omar-reply@example.test>\nIn-Reply-To: <{req}>\n\nSure, happy to talk next week.\n"
        ),
    );
    daemon.wait_until("the reply on the timeline", Duration::from_secs(15), || {
        env.rapport(&["contacts", "show", "bob", "--json"]).json()["timeline"]
            .as_array()
            .is_some_and(|t| t.iter().any(|i| i["kind"] == "reply"))
    });

    // A bad config on SIGHUP is refused, naming the culprit, and the daemon keeps running
    // on the old one; a good one is then taken.
    let good = std::fs::read_to_string(env.config_path()).unwrap();
    env.write_config(&format!("{good}\n[bogus]\nkey = 1\n"));
    daemon.signal("HUP");
    daemon.wait_until("the bad config refused", Duration::from_secs(15), || {
        daemon.log().contains("new configuration refused")
    });
    let refusal = daemon.log();
    assert!(
        refusal.contains("bogus"),
        "the refusal names the key:\n{refusal}"
    );
    assert!(
        !refusal.contains("configuration reloaded"),
        "a bad config was taken:\n{refusal}"
    );
    assert!(daemon.alive(), "still running after a bad reload");
    env.write_config(&good);
    daemon.signal("HUP");
    daemon.wait_until("the good config taken", Duration::from_secs(15), || {
        daemon.log().contains("configuration reloaded")
    });
    assert!(daemon.alive(), "still running after a good reload");

    daemon.stop_within_ten_seconds();
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(status["daemon"]["running"], false);
    assert_eq!(
        inbox_count(&s, "bob"),
        1,
        "exactly once, whatever the daemon did"
    );
}

#[test]
fn sigterm_during_a_long_first_sync_stops_within_ten_seconds_and_loses_nothing() {
    let s = TestServers::start();
    let n = 20_000;
    let msgs: Vec<Vec<u8>> = (0..n)
        .map(|i| {
            format!(
                "From: Person {i} <p{i}@example.test>\r\nTo: me@example.test\r\nSubject: Note {i}\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bulk-{i}@example.test>\r\n\r\nHello {i}\r\n"
            )
            .into_bytes()
        })
        .collect();
    s.seed_maildir("me", "INBOX", &msgs);
    let env = Env::with_config(&config(&s));
    let messages = |env: &Env| {
        env.rapport(&["status", "--json"]).ok().json()["messages"]
            .as_u64()
            .unwrap()
    };
    let daemon = Daemon::start(&env, "info", &[]);
    // Generous: on a loaded 2-core machine Dovecot first indexes 20,000 new files. What
    // the test asserts is the 10-second stop.
    daemon.wait_until("the first batches", Duration::from_secs(180), || {
        messages(&env) > 0
    });
    daemon.stop_within_ten_seconds();
    let partial = messages(&env);
    assert!(partial < n, "stopped mid-sync ({partial})");
    // The next sync goes on from the saved cursor: everything, nothing doubled.
    env.rapport(&["sync"]).ok();
    assert_eq!(messages(&env), n);
}

#[test]
fn the_daemon_reconnects_after_the_server_drops_it() {
    let s = TestServers::start();
    let env = Env::with_config(&config(&s));
    env.add_contact("bob@example.test", "Omar Haddad");
    let daemon = Daemon::start(&env, "info", &[]);
    daemon.wait_until("the first sync", Duration::from_secs(30), || {
        env.rapport(&["status", "--json"]).ok().json()["folders"]
            .as_array()
            .is_some_and(|f| !f.is_empty())
    });
    // The server throws every session of `me` out, IDLE included.
    std::thread::sleep(Duration::from_millis(300));
    s.doveadm(&["kick", "me"]);
    send_to_me(
        &s,
        "From: Omar Haddad <bob@example.test>\nTo: me@example.test\nSubject: Hello again\nDate: Mon, 23 Nov 2026 10:05:00 +0000\nMessage-ID: <e2e-after-kick@example.test>\n\nAre you around next week?\n",
    );
    daemon.wait_until(
        "the new mail after reconnecting",
        Duration::from_secs(30),
        || {
            env.rapport(&["contacts", "show", "bob", "--json"]).json()["timeline"]
                .as_array()
                .is_some_and(|t| t.iter().any(|i| i["kind"] == "email-received"))
        },
    );
    daemon.stop_within_ten_seconds();
    let log = daemon.log();
    assert!(
        // The kick can land in IDLE or while the daemon reopens the INBOX to wait; either
        // way the log says it reconnected (or that the turn failed and will be retried).
        log.contains("; reconnecting") || log.contains("turn failed"),
        "the dropped connection was noticed:\n{log}"
    );
}
