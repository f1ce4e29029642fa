//! Sync of a 20,000-message mailbox from Dovecot on loopback.
//! `cargo bench --bench sync` (needs scripts/setup-test-servers.sh, run as root).
//! Prints messages per second for the first sync and the time of a second (empty) one,
//! and the process's peak memory.

mod common;

#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)] // the integration tests use the rest of the harness
mod support;

use std::time::Instant;

fn message(i: usize) -> Vec<u8> {
    let who = ["alice", "bob", "carol", "dave", "erin"][i % 5];
    let (subject, extra, body) = match i % 4 {
        0 => (
            format!("Re: coffee {i}?"),
            format!("In-Reply-To: <req-{i}@example.test>\r\n"),
            "Sure, happy to! Tuesday works.\r\n\r\nOn Mon, Me wrote:\r\n> Would you be available?"
                .to_string(),
        ),
        1 => (
            format!("Weekly digest {i}"),
            "List-Id: <digest.lists.example>\r\nList-Unsubscribe: <mailto:u@lists.example>\r\n"
                .to_string(),
            "Links of the week. ".repeat(40),
        ),
        2 => (
            format!("Automatic reply: note {i}"),
            "Auto-Submitted: auto-replied\r\n".to_string(),
            "I am out of the office until December 1.".to_string(),
        ),
        _ => (
            format!("Project update {i}"),
            String::new(),
            "Here is where things stand on the project. ".repeat(20),
        ),
    };
    format!(
        "From: {who} <{who}@example.test>\r\nTo: me@example.test\r\nSubject: {subject}\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bench-{i}@example.test>\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn main() {
    let n: usize = std::env::var("RAPPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let servers = support::TestServers::start();
    let msgs: Vec<Vec<u8>> = (0..n).map(message).collect();
    let seeded = Instant::now();
    servers.seed_maildir("me", "INBOX", &msgs);
    println!(
        "seeded {n} messages in {:.2} s",
        seeded.elapsed().as_secs_f64()
    );

    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "[identity]\nname = \"Me\"\nemail = \"me@example.test\"\n[smtp]\ntransport = \"file\"\nfile_dir = \"{out}\"\n[imap]\nhost = \"{host}\"\nport = {port}\nsecurity = \"tls\"\nusername = \"me@example.test\"\npassword_command = \"echo me-secret\"\nca_file = \"{ca}\"\nfolders = [\"INBOX\"]\n[store]\npath = \"{db}\"\n",
        out = dir.path().join("out").display(),
        host = servers.host(),
        port = servers.imaps_port(),
        ca = servers.ca_pem_path().display(),
        db = dir.path().join("rapport.db").display(),
    );
    let path = dir.path().join("config.toml");
    let cfg = rapport::config::parse(&path, &text).expect("config");
    let mut store = rapport::store::Store::open(&cfg.store_path).expect("store");
    // A few contacts, so timelines are written as they would be.
    for who in ["alice", "bob", "carol"] {
        store
            .add_contact(
                &rapport::store::NewContact {
                    name: who.into(),
                    emails: vec![format!("{who}@example.test")],
                    ..Default::default()
                },
                "2026-11-01T00:00:00Z".parse().unwrap(),
            )
            .expect("contact");
    }
    let now: jiff::Timestamp = "2026-11-22T12:00:00Z".parse().unwrap();
    let start = Instant::now();
    let reports = rapport::mail::sync::sync_imap(&mut store, &cfg, now).expect("sync");
    let secs = start.elapsed().as_secs_f64();
    let r = &reports[0];
    println!(
        "first sync: {} messages ({} bodies, {} timeline entries) in {secs:.2} s: {:.0} messages/s",
        r.read,
        r.bodies,
        r.interactions,
        r.read as f64 / secs
    );
    assert_eq!(r.new, n, "every message stored");
    let start = Instant::now();
    let reports = rapport::mail::sync::sync_imap(&mut store, &cfg, now).expect("sync");
    println!(
        "second sync: {} messages read in {:.3} s",
        reports[0].read,
        start.elapsed().as_secs_f64()
    );
    println!(
        "peak RSS of rapport's process: {} KiB",
        common::peak_rss_kib()
    );
}
