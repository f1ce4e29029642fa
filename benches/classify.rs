//! Classification throughput on the shared corpus and the project's fixtures.
//! `cargo bench --bench classify` — prints messages per second in three
//! rounds, each beside the floor (mail-parser's parse of the same bytes), the
//! goal (classification within 2x the parse's time, issue 27) met or not, and
//! peak memory.

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

use rapport::core::classify::{Context, classify};

fn main() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let corpus = std::env::var("RAPPORT_CORPUS")
        .map_or_else(|_| root.join("../shared/corpus"), std::path::PathBuf::from);
    let mut files = Vec::new();
    for dir in [corpus.clone(), root.join("tests/fixtures/mail")] {
        let mut stack = vec![dir];
        while let Some(d) = stack.pop() {
            let Ok(rd) = std::fs::read_dir(&d) else {
                continue;
            };
            for e in rd.flatten() {
                let p = e.path();
                if p.is_dir() {
                    stack.push(p);
                } else if p.extension().is_some_and(|x| x == "eml" || x == "ics") {
                    files.push(std::fs::read(&p).unwrap_or_default());
                }
            }
        }
    }
    if files.is_empty() {
        eprintln!(
            "no corpus found at {}; set RAPPORT_CORPUS",
            corpus.display()
        );
        std::process::exit(1);
    }
    let bytes: usize = files.iter().map(Vec::len).sum();
    let user = vec!["ada@example.org".to_string()];
    let sent = |_: &str| false;
    let reader = rapport::core::classify::model::Reader::shipped().unwrap();
    let ctx = Context {
        now: "2026-11-22T12:00:00Z".parse().unwrap(),
        user_addresses: &user,
        sent_message_ids: &sent,
        default_tz: jiff::tz::TimeZone::UTC,
        reader: Some(&reader),
    };
    // Warm up, then three rounds, each timing classification and, beside it
    // on the same bytes, the floor: mail-parser's parse alone (every message
    // is parsed once by any reader; the rest is rapport's own work).
    for f in &files {
        std::hint::black_box(classify(f, &ctx));
    }
    let passes = 20;
    let n = files.len() * passes;
    let parser = mail_parser::MessageParser::default();
    let mut rates = Vec::new();
    let mut ratios = Vec::new();
    for round in 1..=3 {
        let start = Instant::now();
        for _ in 0..passes {
            for f in &files {
                std::hint::black_box(classify(f, &ctx));
            }
        }
        let secs = start.elapsed().as_secs_f64();
        let start = Instant::now();
        for _ in 0..passes {
            for f in &files {
                std::hint::black_box(parser.parse(f.as_slice()));
            }
        }
        let floor = start.elapsed().as_secs_f64();
        let rate = n as f64 / secs;
        rates.push(rate);
        ratios.push(secs / floor);
        println!(
            "classify round {round}: {} files ({:.1} MB) x {passes} passes: {rate:.0} messages/s, {:.1} MB/s, {:.1} us/message; floor (mail-parser parse only) {:.0} messages/s, {:.1} us/message; classify = {:.2}x the floor's time; load {}",
            files.len(),
            bytes as f64 / 1e6,
            (bytes * passes) as f64 / 1e6 / secs,
            secs * 1e6 / n as f64,
            n as f64 / floor,
            floor * 1e6 / n as f64,
            secs / floor,
            common::load_average(),
        );
    }
    rates.sort_by(f64::total_cmp);
    ratios.sort_by(f64::total_cmp);
    let median = rates.get(1).copied().unwrap_or(0.0);
    let ratio = ratios.get(1).copied().unwrap_or(f64::INFINITY);
    let goal = 2.0;
    println!(
        "classify: median {median:.0} messages/s, median {ratio:.2}x the parse's time (min {:.2}x, max {:.2}x); goal <= {goal:.1}x: {}; peak RSS {} KiB",
        ratios.first().copied().unwrap_or(f64::INFINITY),
        ratios.last().copied().unwrap_or(f64::INFINITY),
        if ratio <= goal { "met" } else { "NOT met" },
        common::peak_rss_kib()
    );
}
