//! Not a check: the test servers (an IMAP server and the SMTP sink, on loopback, in a
//! temporary directory) kept up for a person to try rapport by hand against real servers,
//! as a new user would. It prints the `[smtp]` and `[imap]` sections to paste into a
//! config, where delivered mail lands, how to put mail in the INBOX and where to read the
//! Sent folder, then waits until the file it names is removed (or
//! `RAPPORT_SERVERS_MINUTES`, default 60, pass).
//!
//! - `RAPPORT_SERVERS_IMAP=courier` (or `cyrus`) keeps Courier-IMAP 5.0 (or Cyrus 3.6,
//!   `support::compat`, unpacked by `scripts/setup-test-servers.sh`) up as the IMAP
//!   server instead of Dovecot; `dovecot` (the default) keeps Dovecot.
//! - `RAPPORT_SERVERS_USERS=jessica,carlos` adds those mailboxes on the SMTP side
//!   (`jessica@example.test`, …; the SMTP server refuses unknown recipients).
//! - `.eml` files put in the printed `deliver-to-inbox` folder land in `me`'s INBOX;
//!   the printed `sent` folder shows the IMAP Sent folder (`N.eml` and its flags in
//!   `N.flags`), refreshed every 2 s; creating the printed `cut-imap` file cuts
//!   every IMAP connection from the server's side (Courier and Cyrus: their `imapd`
//!   processes are killed; Dovecot: `doveadm kick`), as a server restart does.
//!
//! `RAPPORT_SERVERS_IMAP=courier cargo test --test it servers_up -- --ignored --nocapture`

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::compat::{Kind, Mailhost, Quirks};

#[test]
#[ignore = "a tool, not a check: cargo test --test it servers_up -- --ignored --nocapture"]
fn keep_the_test_servers_up_for_a_manual_run() {
    let kind = match std::env::var("RAPPORT_SERVERS_IMAP")
        .unwrap_or_default()
        .to_ascii_lowercase()
        .as_str()
    {
        "" | "dovecot" => Kind::Dovecot,
        "courier" => Kind::Courier,
        "cyrus" => Kind::Cyrus,
        other => panic!("RAPPORT_SERVERS_IMAP={other}: say dovecot, courier or cyrus"),
    };
    let Some(host) = Mailhost::start(kind, Quirks::default()) else {
        panic!("RAPPORT_SERVERS_IMAP: the server cannot be had (said above)");
    };
    let minutes: u64 = std::env::var("RAPPORT_SERVERS_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    for user in std::env::var("RAPPORT_SERVERS_USERS")
        .unwrap_or_default()
        .split(',')
        .filter(|u| !u.is_empty())
    {
        host.servers.add_user(user, &format!("{user}-secret"));
    }
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("servers-up");
    std::fs::write(&flag, "remove this file to stop the servers\n").unwrap();
    let inbox = dir.path().join("deliver-to-inbox");
    let sent = dir.path().join("sent");
    let cut = dir.path().join("cut-imap");
    std::fs::create_dir_all(&inbox).unwrap();
    std::fs::create_dir_all(&sent).unwrap();
    eprintln!(
        "{} and the SMTP sink up for {minutes} min; config sections:\n\n{}\n\
         SMTP deliveries: {}\nput .eml files in {} to deliver them to the INBOX\n\
         the IMAP Sent folder ({}): {}\ncut every IMAP connection: touch {}\nstop: rm {}",
        host.name(),
        host.rapport_config(),
        host.servers.smtp_messages_dir().display(),
        inbox.display(),
        host.sent_wire(),
        sent.display(),
        cut.display(),
        flag.display()
    );
    let start = Instant::now();
    let mut shown = Instant::now() - Duration::from_secs(60);
    while flag.exists() && start.elapsed() < Duration::from_secs(minutes * 60) {
        for e in std::fs::read_dir(&inbox).unwrap().flatten() {
            let raw = std::fs::read(e.path()).unwrap();
            host.admin().append("INBOX", "", &raw);
            std::fs::remove_file(e.path()).unwrap();
            eprintln!("{:.3} delivered {}", unix_now(), e.path().display());
        }
        if cut.exists() {
            host.drop_connections();
            std::fs::remove_file(&cut).unwrap();
            eprintln!("{:.3} cut every IMAP connection", unix_now());
        }
        if shown.elapsed() >= Duration::from_secs(2) {
            show_sent(&host, &sent);
            shown = Instant::now();
        }
        std::thread::sleep(Duration::from_millis(200));
    }
}

/// Rewrites `dir` with the Sent folder's messages: `N.eml` and `N.flags`.
fn show_sent(host: &Mailhost, dir: &Path) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        std::fs::remove_file(e.path()).unwrap();
    }
    for (n, m) in host.admin().messages(host.sent_wire()).iter().enumerate() {
        std::fs::write(dir.join(format!("{}.eml", n + 1)), &m.raw).unwrap();
        std::fs::write(dir.join(format!("{}.flags", n + 1)), &m.flags).unwrap();
    }
}

/// Seconds since the epoch, to line deliveries up with the daemon's log, which stamps
/// the real time (not rapport's clock, which `RAPPORT_NOW` may move).
#[allow(clippy::disallowed_methods)]
fn unix_now() -> f64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs_f64()
}
