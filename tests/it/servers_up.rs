//! Not a check: the test servers (Dovecot and the SMTP sink, on loopback, in a temporary
//! directory) kept up for a person to try rapport by hand against real servers, as a new
//! user would. It prints the `[smtp]` and `[imap]` sections to paste into a config, where
//! delivered mail lands, and how to put mail in the INBOX, then waits until the file it
//! names is removed (or `RAPPORT_SERVERS_MINUTES`, default 60, pass).
//! `RAPPORT_SERVERS_USERS=jessica,carlos` adds those mailboxes (`jessica@example.test`, …).
//!
//! `cargo test --test it servers_up -- --ignored --nocapture`

use std::time::{Duration, Instant};

use crate::support::TestServers;

#[test]
#[ignore = "a tool, not a check: cargo test --test it servers_up -- --ignored --nocapture"]
fn keep_the_test_servers_up_for_a_manual_run() {
    let s = TestServers::start();
    let minutes: u64 = std::env::var("RAPPORT_SERVERS_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    // More mailboxes on the servers (the SMTP server refuses unknown recipients), e.g.
    // RAPPORT_SERVERS_USERS=jessica,carlos for jessica@example.test and carlos@….
    for user in std::env::var("RAPPORT_SERVERS_USERS")
        .unwrap_or_default()
        .split(',')
        .filter(|u| !u.is_empty())
    {
        s.add_user(user, &format!("{user}-secret"));
    }
    let dir = tempfile::tempdir().unwrap();
    let flag = dir.path().join("servers-up");
    std::fs::write(&flag, "remove this file to stop the servers\n").unwrap();
    let inbox = dir.path().join("deliver-to-inbox");
    std::fs::create_dir_all(&inbox).unwrap();
    eprintln!(
        "servers up for {minutes} min; config sections:\n\n{}\nSMTP deliveries: {}\n\
         put .eml files in {} to deliver them to the INBOX\nstop: rm {}",
        s.rapport_config(),
        s.smtp_messages_dir().display(),
        inbox.display(),
        flag.display()
    );
    let start = Instant::now();
    while flag.exists() && start.elapsed() < Duration::from_secs(minutes * 60) {
        for e in std::fs::read_dir(&inbox).unwrap().flatten() {
            let raw = std::fs::read(e.path()).unwrap();
            s.deliver("me", &raw);
            std::fs::remove_file(e.path()).unwrap();
            eprintln!("delivered {}", e.path().display());
        }
        std::thread::sleep(Duration::from_millis(500));
    }
}
