//! Importing 10,000 contacts into a store that already holds 20,000 messages with them,
//! history linking included. `cargo bench --bench import` — prints seconds and peak
//! memory for each step (numbers, never assertions).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::print_stdout,
    clippy::print_stderr,
    unsafe_code,
    reason = "a benchmark is a test program: it prints its figures and stops loudly"
)]

mod common;

use std::time::Instant;

use rapport::contacts::{import::parse_import, merge::merge};
use rapport::core::classify::{Classification, Intent, Label};
use rapport::store::{NewMessage, Store};

const CONTACTS: usize = 10_000;
const MESSAGES: usize = 20_000;

fn main() -> anyhow::Result<()> {
    let dir = tempfile::tempdir()?;
    let mut store = Store::open(&dir.path().join("r.db"))?;
    let now: jiff::Timestamp = "2026-11-22T09:00:00Z".parse()?;
    let batch = store.batch()?;
    for i in 0..MESSAGES {
        let m = NewMessage {
            message_id: format!("m{i}@bench.example"),
            in_reply_to: String::new(),
            refs: vec![],
            outbound: false,
            from_addr: format!("p{}@example.com", i % CONTACTS),
            from_name: format!("Person {}", i % CONTACTS),
            to_addrs: vec!["ada@example.org".into()],
            date: now.checked_sub(jiff::SignedDuration::from_hours(i as i64))?,
            subject: format!("hello {i}"),
            snippet: "Hi Ada, a short note.".into(),
            label: Label::HumanReply,
            classification: Classification {
                label: Label::HumanReply,
                intent: Some(Intent::Other),
                ..Classification::default()
            },
            parse_error: String::new(),
            arrived: None,
            parties: Default::default(),
            account: String::new(),
        };
        batch.upsert_message(&m, now)?;
    }
    batch.commit()?;
    let before = common::peak_rss_kib();

    let mut csv = String::from("Name,Email,Company,Title\n");
    for i in 0..CONTACTS {
        csv.push_str(&format!(
            "Person {i},p{i}@example.com,Company {},Role {}\n",
            i % 97,
            i % 13
        ));
    }
    let t = Instant::now();
    let parsed = parse_import(csv.as_bytes())?;
    let parse_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let report = merge(&mut store, &parsed, now)?;
    let merge_s = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let linked = rapport::mail::timeline::link_history(&mut store, &report.added_ids, now)?;
    let link_s = t.elapsed().as_secs_f64();
    println!(
        "import: {CONTACTS} contacts: parse {parse_s:.2} s, merge {merge_s:.2} s (added {}), link history {link_s:.2} s ({linked} interactions from {MESSAGES} messages); total {:.2} s; peak RSS {} KiB before the import, {} KiB after",
        report.added,
        parse_s + merge_s + link_s,
        before,
        common::peak_rss_kib()
    );
    Ok(())
}
