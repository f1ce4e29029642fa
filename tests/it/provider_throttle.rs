//! Microsoft 365's throttling (issue 23), against the scriptable server: a LOGIN or a
//! UID SEARCH answered `NO [THROTTLED] … Suggested Backoff Time: N ms` is obeyed — the
//! daemon makes no login before the wait the server asked for ends (its own backoff is
//! shorter), says so in its log and in `rapport status`, and goes on once the server
//! lets it. The gaps between logins are measured and printed.

use std::time::Duration;

use crate::hostile_server::{Fault, HostileImap, On};
use crate::util::Env;
use crate::util::daemon::Daemon;

/// The gaps between the logins the server saw.
fn gaps(server: &HostileImap) -> Vec<Duration> {
    server
        .login_times()
        .windows(2)
        .map(|w| w[1].duration_since(w[0]))
        .collect()
}

#[test]
fn a_throttled_login_and_search_are_obeyed_for_the_wait_the_server_asks() {
    let server = HostileImap::start();
    server.set_capabilities("IMAP4rev1 IDLE UNSELECT");
    // Two logins throttled for 4 s, then one search throttled for 12 s (longer than the
    // daemon's third backoff, 6–10 s).
    server.fault(On::Login, Fault::Throttled(4000), 2);
    server.fault(On::Search, Fault::Throttled(12_000), 1);
    // A search that finds something (the server spoils only those).
    let hello = "From: Bob Example <bob@example.test>\r\nTo: Ada Lovelace <ada@example.org>\r\nSubject: Hello\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bob-hello@example.test>\r\n\r\nGood to meet you.\r\n";
    server.add("INBOX", &[hello.as_bytes().to_vec()]);
    let env = Env::new();
    env.edit_config(|t| format!("{t}\n{}", server.imap_section()));
    let daemon = Daemon::start(&env, "warn,rapport=info", &[]);
    daemon.wait_until("four logins", Duration::from_secs(90), || {
        server.logins() >= 4
    });
    let gaps = gaps(&server);
    eprintln!("gaps between logins: {gaps:?}");
    assert!(gaps.len() >= 3, "{gaps:?}");
    // The daemon's own first backoff is 1.5–2.5 s: only obeying the server waits longer.
    assert!(
        gaps[0] >= Duration::from_millis(3900),
        "{gaps:?}\n{}",
        daemon.log()
    );
    assert!(
        gaps[1] >= Duration::from_millis(3900),
        "{gaps:?}\n{}",
        daemon.log()
    );
    assert!(
        gaps[2] >= Duration::from_millis(11_900),
        "{gaps:?}\n{}",
        daemon.log()
    );
    let log = daemon.log();
    assert!(log.contains("asked rapport to slow down"), "{log}");
    assert!(log.contains("[THROTTLED]"), "the server's words: {log}");
    assert!(
        !log.contains("check [imap] username"),
        "a throttle is no wrong password: {log}"
    );
    let status = env.rapport(&["status"]).ok().stdout;
    assert!(status.contains("asked rapport to slow down"), "{status}");
    daemon.stop_within_ten_seconds();
}

/// An IDLE cut by `* BYE [UNAVAILABLE] … Suggested Backoff Time: 6000 ms`: the next login
/// waits the 6 s asked, not the daemon's own first IDLE backoff (about 2 s).
#[test]
fn an_idle_cut_by_a_throttling_bye_waits_what_the_server_asks() {
    let server = HostileImap::start();
    server.set_capabilities("IMAP4rev1 IDLE UNSELECT");
    server.fault(On::Idle, Fault::Throttled(6000), 1);
    let env = Env::new();
    env.edit_config(|t| format!("{t}\n{}", server.imap_section()));
    let daemon = Daemon::start(&env, "warn,rapport=info", &[]);
    daemon.wait_until("a second login", Duration::from_secs(60), || {
        server.logins() >= 2
    });
    let gaps = gaps(&server);
    eprintln!("gap before the login after the throttled IDLE: {gaps:?}");
    assert!(
        gaps[0] >= Duration::from_millis(5900),
        "{gaps:?}\n{}",
        daemon.log()
    );
    assert!(
        daemon.log().contains("asked rapport to slow down"),
        "{}",
        daemon.log()
    );
    daemon.stop_within_ten_seconds();
}
