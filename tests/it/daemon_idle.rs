//! The daemon against a Dovecot that sends `* OK Still here` every two seconds: it sits
//! in IDLE through the keep-alives and still acts at once on a kick, notices a server
//! that stops answering mid-IDLE (SIGSTOP) and reconnects after it continues, and a
//! turn that panics leaves the next turn working.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::{Options, TestServers};
use crate::util::Env;
use crate::util::daemon::Daemon;

/// The daemon's log filter here: the IDLE keep-alives are logged at trace.
const TRACE: &str = "warn,rapport=trace";

/// How many `* OK Still here` the daemon has heard so far.
fn keep_alives(d: &Daemon) -> usize {
    d.log().matches("IDLE keep-alive").count()
}

fn servers() -> TestServers {
    TestServers::start_with(Options {
        idle_notify_secs: Some(2),
        ..Options::default()
    })
}

fn env(s: &TestServers) -> Env {
    let env = Env::with_config(&s.rapport_config().replace(
        "poll_seconds = 10",
        "poll_seconds = 10\ntimeout_seconds = 5",
    ));
    env.add_contact("bob@example.test", "Omar Haddad");
    env
}

fn draft_status(env: &Env, id: i64) -> String {
    env.draft(id)["status"]
        .as_str()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn a_draft_approved_while_the_daemon_idles_through_keep_alives_is_sent_at_once() {
    let s = servers();
    let env = env(&s);
    env.rapport(&["request", "bob"]).ok();
    let d = Daemon::start(&env, TRACE, &[]);
    // Several keep-alives pass while the daemon waits: it does not mistake them for mail
    // and does not wake on them.
    d.wait_until("three keep-alives", Duration::from_secs(40), || {
        keep_alives(&d) >= 3
    });
    assert!(d.alive());
    let approved = Instant::now();
    let r = env.rapport(&["queue", "approve", "1"]).ok();
    assert!(
        r.stdout
            .contains("Approved 1; the daemon will send it now (inside the window)"),
        "{}",
        r.stdout
    );
    d.wait_until("the SMTP delivery", Duration::from_secs(10), || {
        s.sent_messages().len() == 1
    });
    let latency = approved.elapsed();
    eprintln!("approval -> SMTP delivery while idling: {latency:?}");
    // The figure is printed above (its goal is 2 s, measured by `cargo bench --bench
    // daemon`); the bound only separates an IDLE wake-up from the 5-minute poll slice, with
    // room for a loaded 2-core machine.
    assert!(latency < Duration::from_secs(60), "{latency:?}");
    d.wait_until("draft 1 recorded as sent", Duration::from_secs(5), || {
        draft_status(&env, 1) == "sent"
    });
    // Back in IDLE, hearing keep-alives again, and nothing is sent twice.
    let heard = keep_alives(&d);
    d.wait_until(
        "keep-alives after the send",
        Duration::from_secs(20),
        || keep_alives(&d) >= heard + 2,
    );
    assert_eq!(s.sent_messages().len(), 1);
    let status = env.rapport(&["status", "--json"]).ok().json();
    // The instant and its reason apart (issue 22 item 7).
    let wake = status["daemon"]["next_wakeup_reason"]
        .as_str()
        .unwrap_or_default();
    assert!(
        wake.contains("new mail or a kick wakes it sooner"),
        "{status}"
    );
    let at = status["daemon"]["next_wakeup"].as_str().unwrap_or_default();
    assert!(at.parse::<jiff::Timestamp>().is_ok(), "{status}");
    let log = d.log();
    assert!(log.contains("rapport daemon starting"), "{log}");
    assert!(log.contains("watching the mailbox"), "{log}");
    assert!(
        !log.contains('\u{1b}'),
        "ANSI codes in a log that is not a terminal"
    );
    // The turn that sent says so at info.
    assert!(log.contains("sent=[1]"), "{log}");
}

#[test]
fn a_server_that_stops_answering_mid_idle_is_noticed_and_nothing_is_lost_or_doubled() {
    let s = servers();
    let env = env(&s);
    let d = Daemon::start(&env, TRACE, &[]);
    d.wait_until("two keep-alives", Duration::from_secs(40), || {
        keep_alives(&d) >= 2
    });
    s.pause_dovecot();
    let paused = Instant::now();
    let noticed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        d.wait_until("the stall to be noticed", Duration::from_secs(40), || {
            d.log().contains("went silent during IDLE")
        });
    }));
    s.resume_dovecot();
    if let Err(e) = noticed {
        std::panic::resume_unwind(e);
    }
    eprintln!("a hung server was noticed after {:?}", paused.elapsed());
    assert!(d.alive(), "the daemon died");
    s.deliver(
        "me",
        b"From: Omar Haddad <bob@example.test>\r\nTo: me@example.test\r\nSubject: Still there?\r\nDate: Mon, 23 Nov 2026 10:05:00 +0000\r\nMessage-ID: <after-stall@example.test>\r\n\r\nAre you around next week?\r\n",
    );
    let received = || -> usize {
        env.rapport(&["contacts", "show", "bob", "--json"]).json()["timeline"]
            .as_array()
            .map_or(0, |t| {
                t.iter().filter(|i| i["kind"] == "email-received").count()
            })
    };
    d.wait_until("the mail after the stall", Duration::from_secs(60), || {
        received() == 1
    });
    // Another few keep-alives on the new connection; still exactly one entry.
    let heard = keep_alives(&d);
    d.wait_until(
        "keep-alives after reconnecting",
        Duration::from_secs(30),
        || keep_alives(&d) >= heard + 2,
    );
    assert_eq!(received(), 1);
    assert!(d.alive());
}

#[test]
fn a_turn_that_panics_leaves_the_next_turn_working() {
    let s = servers();
    let env = env(&s);
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let d = Daemon::start(&env, TRACE, &[("RAPPORT_TEST_PANIC_TURN", "1")]);
    d.wait_until("the next turn to send", Duration::from_secs(40), || {
        s.sent_messages().len() == 1
    });
    let log = d.log();
    assert!(log.contains("asked turn 1 to panic"), "{log}");
    assert!(log.contains("the next turn starts afresh"), "{log}");
    assert!(d.alive(), "the daemon exited after a panic:\n{log}");
    d.wait_until("draft 1 recorded as sent", Duration::from_secs(5), || {
        draft_status(&env, 1) == "sent"
    });
    assert_eq!(s.sent_messages().len(), 1);
}

#[test]
fn a_nudge_whose_time_comes_while_the_daemon_idles_is_drafted_within_seconds() {
    let s = servers();
    let mut env = env(&s);
    // Monday 10:00: the request goes out; the nudge is due a week later, 10:00.
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(draft_status(&env, 1), "sent");
    // The daemon starts eight seconds before that, on a clock that runs.
    env.now = "2026-11-30T09:59:52Z".into();
    let started = Instant::now();
    let d = Daemon::start(&env, TRACE, &[("RAPPORT_NOW_RUNS", "1")]);
    let nudges = |env: &Env| -> usize {
        env.rapport(&["queue", "--json", "--all"]).ok().json()["drafts"]
            .as_array()
            .map_or(0, |a| a.iter().filter(|d| d["kind"] == "nudge").count())
    };
    d.wait_until("the first turn", Duration::from_secs(20), || {
        d.log().contains("waiting")
    });
    assert_eq!(nudges(&env), 0, "drafted before its time");
    d.wait_until("the nudge", Duration::from_secs(30), || nudges(&env) == 1);
    let after = started.elapsed();
    eprintln!(
        "nudge drafted {:?} after its due time",
        after.saturating_sub(Duration::from_secs(8))
    );
    assert!(after >= Duration::from_secs(7), "{after:?}");
    // Near the due time, not at the end of a 5-minute IDLE slice (generous for a loaded
    // machine; the measured figure is printed above).
    assert!(after < Duration::from_secs(90), "{after:?}");
    assert!(
        keep_alives(&d) >= 1,
        "the daemon was not idling:\n{}",
        d.log()
    );
}

#[test]
fn a_reply_that_lands_during_the_turn_withdraws_the_draft_before_smtp() {
    let s = servers();
    let env = env(&s);
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let message_id = env.draft(1)["message_id"].as_str().unwrap().to_string();
    let gate = env.home().join("send-gate");
    let waiting = env.home().join("send-gate.waiting");
    let d = Daemon::start(
        &env,
        TRACE,
        &[("RAPPORT_TEST_SEND_GATE", gate.to_str().unwrap())],
    );
    // The turn has synced and planned; before it sends, Omar writes.
    d.wait_until(
        "the turn to reach the send",
        Duration::from_secs(30),
        || waiting.exists(),
    );
    s.deliver(
        "me",
        format!(
            "From: Omar Haddad <bob@example.test>\r\nTo: me@example.test\r\nSubject: Re: coffee\r\nDate: Mon, 23 Nov 2026 10:00:30 +0000\r\nMessage-ID: <mid-turn@example.test>\r\nIn-Reply-To: <{message_id}>\r\n\r\nHappy to meet, Tuesday works.\r\n"
        )
        .as_bytes(),
    );
    std::fs::write(&gate, b"").unwrap();
    d.wait_until("the draft to be withdrawn", Duration::from_secs(30), || {
        draft_status(&env, 1) == "superseded"
    });
    assert!(
        s.sent_messages().is_empty(),
        "sent to someone who had just replied"
    );
    assert!(
        d.log().contains("new mail just before sending"),
        "{}",
        d.log()
    );
}

#[test]
fn a_server_that_never_answers_done_or_a_read_is_given_up_on_and_the_loop_goes_on() {
    let s = servers();
    let env = env(&s);
    let d = Daemon::start(&env, TRACE, &[]);
    d.wait_until("two keep-alives", Duration::from_secs(40), || {
        keep_alives(&d) >= 2
    });
    s.pause_dovecot();
    // A kick ends the IDLE: DONE goes unanswered, then the turn's reads hang; each wait
    // is bounded, so the loop notices instead of hanging with the server.
    let noticed = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        env.rapport(&["request", "bob"]).ok();
        d.wait_until("DONE to be given up", Duration::from_secs(30), || {
            d.log().contains("ending IDLE (DONE)")
        });
        d.wait_until("the hung turn to fail", Duration::from_secs(60), || {
            d.log().contains("turn failed")
        });
    }));
    s.resume_dovecot();
    if let Err(e) = noticed {
        std::panic::resume_unwind(e);
    }
    assert!(d.alive(), "the daemon died");
    let heard = keep_alives(&d);
    d.wait_until(
        "IDLE again after the server came back",
        Duration::from_secs(60),
        || keep_alives(&d) >= heard + 2,
    );
}

/// The soak the daemon issue asks for: a quiet mailbox for real minutes (Dovecot's own
/// 2-minute `* OK Still here`), a request approved every few minutes, each sent at once.
/// `RAPPORT_SOAK_MINUTES` (default 30) and `RAPPORT_SOAK_EVERY_SECS` (default 150);
/// writes the latencies and the daemon's info lines to `target/soak-report.txt`.
/// Run: `cargo test --test it daemon_idle::soak -- --ignored --nocapture`.
#[test]
#[ignore = "a 30-minute soak: RAPPORT_SOAK_MINUTES=30 cargo test --test it daemon_idle::soak -- --ignored --nocapture"]
fn soak_a_quiet_mailbox_with_an_approval_every_few_minutes() {
    let minutes: u64 = std::env::var("RAPPORT_SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(30);
    let every: u64 = std::env::var("RAPPORT_SOAK_EVERY_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(150);
    let s = TestServers::start_with(Options::default());
    let mut env = env(&s);
    let base: jiff::Timestamp = env.now.parse().unwrap();
    for who in ["alice", "carol"] {
        let addr = format!("{who}@example.test");
        env.add_contact(&addr, who);
    }
    let d = Daemon::start(&env, TRACE, &[("RAPPORT_NOW_RUNS", "1")]);
    let started = Instant::now();
    let mut latencies = Vec::new();
    let mut round = 0usize;
    while started.elapsed() < Duration::from_secs(minutes * 60) {
        std::thread::sleep(Duration::from_secs(every));
        let who = ["alice", "bob", "carol"][round % 3];
        // The daemon's clock runs from RAPPORT_NOW (RAPPORT_NOW_RUNS); the CLI's moves with it.
        let elapsed = jiff::SignedDuration::try_from(started.elapsed()).unwrap();
        env.now = base.checked_add(elapsed).unwrap().to_string();
        let r = env.rapport(&["request", who]).ok();
        let id = r
            .stdout
            .split(|c: char| !c.is_ascii_digit())
            .find(|t| !t.is_empty())
            .unwrap_or_default()
            .to_string();
        let before = s.sent_messages().len();
        let approved = Instant::now();
        env.rapport(&["queue", "approve", &id]).ok();
        d.wait_until("the SMTP delivery", Duration::from_secs(30), || {
            s.sent_messages().len() == before + 1
        });
        let latency = approved.elapsed();
        eprintln!(
            "round {round} at {:>4} s: draft {id} to {who}: approval -> SMTP {latency:?}",
            started.elapsed().as_secs()
        );
        latencies.push(latency);
        round += 1;
    }
    std::thread::sleep(Duration::from_secs(5));
    assert_eq!(
        s.sent_messages().len(),
        round,
        "every approval sent exactly once"
    );
    let log = d.log();
    let info: Vec<&str> = log.lines().filter(|l| l.contains(" INFO ")).collect();
    let mut sorted = latencies.clone();
    sorted.sort();
    let report = format!(
        "soak: {minutes} min, {round} approvals, {} keep-alives heard\nlatency min {:?} median {:?} max {:?}\n\ndaemon info lines:\n{}\n",
        keep_alives(&d),
        sorted.first().copied().unwrap_or_default(),
        sorted.get(sorted.len() / 2).copied().unwrap_or_default(),
        sorted.last().copied().unwrap_or_default(),
        info.join("\n")
    );
    let out = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/soak-report.txt");
    let _ = std::fs::write(&out, &report);
    eprintln!("{report}");
    assert!(round > 0);
    // Generous: the report above carries the measured figures; this only catches a send
    // that waited for a poll slice instead of the kick.
    assert!(sorted.last().copied().unwrap_or_default() < Duration::from_secs(60));
    // A quiet, healthy server is never taken for a hung one (the first 30-minute run
    // found a false "went silent" twice, from timing the first keep-alive from IDLE start).
    assert!(!log.contains("went silent"), "{report}");
}
