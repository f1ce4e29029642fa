//! The daemon reads each calendar on a thread of its own: at start, on a kick (SIGUSR1,
//! what `rapport sync` sends), while another calendar's server hangs and while mail goes
//! on being read; its log says "calendar read" and never the feed's secret address.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use crate::calendar_feed::{event, ics, meetings};
use crate::support::feed::Feed;
use crate::util::Env;
use crate::util::daemon::Daemon;

/// A server that accepts connections and never answers; counts them.
fn hanging_server() -> (u16, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let accepted = Arc::new(AtomicUsize::new(0));
    let count = accepted.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for conn in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(conn);
        }
    });
    (port, accepted)
}

const MAIL: &str = "From: Priya Nair <priya@example.com>\n\
To: ada@example.org\n\
Subject: Notes from our coffee\n\
Date: Mon, 23 Nov 2026 09:30:00 +0000\n\
Message-ID: <priya-notes@example.com>\n\
\n\
Hi Ada, here are the notes I promised.\n";

#[test]
fn the_daemon_reads_calendars_on_their_own_threads_and_on_a_kick() {
    let feed = Feed::start(&ics(&event(
        "d-1@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let (port, accepted) = hanging_server();
    let env = Env::with_maildir();
    env.add_contact("priya@example.com", "Priya Nair");
    let url = feed.url();
    env.edit_config(|t| {
        format!(
            "{t}\n[[calendars]]\nname = \"stuck\"\nkind = \"ics\"\nurl = \"http://127.0.0.1:{port}/stuck.ics\"\n\
             \n[[calendars]]\nname = \"personal\"\nkind = \"ics\"\nurl = \"{url}\"\n"
        )
    });
    let d = Daemon::start(&env, "warn,rapport=info", &[]);
    let limit = Duration::from_secs(20);
    d.wait_until("the feed's meeting", limit, || {
        meetings(&env, false).len() == 1
    });
    d.wait_until("the hanging server's connection", limit, || {
        accepted.load(Ordering::SeqCst) >= 1
    });

    // Mail is read while the other calendar hangs.
    env.deliver("1763890000.priya.example:2,", MAIL);
    d.signal("USR1");
    d.wait_until("the mail on the timeline", limit, || {
        env.rapport(&["contacts", "show", "priya"])
            .ok()
            .stdout
            .contains("Notes from our coffee")
    });

    // A kick reads the feed again: the moved meeting moves.
    let served = feed.requests();
    feed.set(&ics(&event(
        "d-1@cal.example",
        "20261125T150000Z",
        "20261125T153000Z",
        "SEQUENCE:1\r\n",
    )));
    d.signal("USR1");
    d.wait_until("the meeting moved", limit, || {
        meetings(&env, false)
            .first()
            .is_some_and(|m| m["start"] == "2026-11-25T15:00:00Z")
    });
    println!(
        "feed requests: {served} before the kick, {} after",
        feed.requests()
    );
    assert!(feed.requests() > served);
    let log = d.log();
    assert!(log.contains("calendar read"), "{log}");
    assert!(log.contains("personal"), "{log}");
    let secret = feed.path.trim_start_matches('/').split('/').next().unwrap();
    assert!(
        !log.contains(secret),
        "the secret address is in the log:\n{log}"
    );
    d.stop_within_ten_seconds();
}
