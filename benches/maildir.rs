//! The Maildir first sync against its floor, in one run.
//!
//! `cargo bench --bench maildir` writes a generated Maildir shaped like real mail
//! (`common/mailbox.rs`, 20,000 files; `RAPPORT_BENCH_MESSAGES=N` changes that) and
//! prints, interleaved three times:
//! - the floor: opening and reading every file of the folder whole, once, on one thread;
//! - rapport's first sync of the folder (`mail::maildir::sync_maildir`) into a fresh
//!   database with the 200 contacts, in this process;
//!
//! each beside the load average of the moment, then min/median, the ratio of medians and
//! "goal met / not met" (issue 27: within 4x). The page cache is warmed first, so both
//! sides read from memory; rapport's figure includes its classifier's set-up and the
//! database's writes.

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
#[path = "common/mailbox.rs"]
mod mailbox;

use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// Issue 27's goal for the Maildir first sync against reading every file.
const RATIO_GOAL: f64 = 4.0;

/// Writes `n` generated messages into `root/cur`; returns their bytes.
fn seed(root: &Path, n: usize, now: jiff::Timestamp) -> u64 {
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(root.join(sub)).expect("maildir");
    }
    let mut rng = fastrand::Rng::with_seed(13);
    let mut bytes = 0u64;
    for i in 0..n {
        let m = mailbox::message(&mut rng, "bench", i, n, now);
        bytes += m.len() as u64;
        let name = format!("1700000000.M{i:06}P1.bench:2,S");
        std::fs::write(root.join("cur").join(name), &m).expect("file");
    }
    bytes
}

/// The floor: every file of the folder opened and read whole. Returns (seconds, files).
fn floor(root: &Path) -> (f64, usize) {
    let start = Instant::now();
    let mut buf = Vec::new();
    let mut files = 0;
    for sub in ["cur", "new"] {
        for e in std::fs::read_dir(root.join(sub)).expect("dir").flatten() {
            buf.clear();
            std::fs::File::open(e.path())
                .and_then(|mut f| f.read_to_end(&mut buf))
                .expect("read");
            files += 1;
        }
    }
    (start.elapsed().as_secs_f64(), files)
}

/// A fresh database with the contacts, and the config that reads `mail` into it.
fn fresh(dir: &Path, mail: &Path) -> rapport::config::Loaded {
    std::fs::create_dir_all(dir).expect("dir");
    let text = format!(
        "[identity]\nname = \"Me\"\nemail = \"me@example.test\"\n[smtp]\ntransport = \"file\"\nfile_dir = \"{out}\"\n[maildir]\npath = \"{mail}\"\n[store]\npath = \"{db}\"\n",
        out = dir.join("out").display(),
        mail = mail.display(),
        db = dir.join("rapport.db").display(),
    );
    let path = dir.join("config.toml");
    std::fs::write(&path, &text).expect("config");
    let cfg = rapport::config::parse(&path, &text).expect("config");
    let mut store = rapport::store::Store::open(&cfg.store_path).expect("store");
    let added: jiff::Timestamp = "2026-01-01T00:00:00Z".parse().expect("ts");
    for k in 0..mailbox::CONTACTS {
        store
            .add_contact(
                &rapport::store::NewContact {
                    name: format!("Person {k}"),
                    emails: vec![mailbox::person(k)],
                    ..Default::default()
                },
                added,
            )
            .expect("contact");
    }
    cfg
}

fn min_median(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (s[0], s[s.len() / 2])
}

fn main() {
    let n: usize = std::env::var("RAPPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    // The bench dates mail around the real now; it never runs rapport's clock.
    #[allow(clippy::disallowed_methods)]
    let now = jiff::Timestamp::now();
    let work = tempfile::tempdir().expect("tempdir");
    let mail: PathBuf = work.path().join("Mail");
    let t = Instant::now();
    let bytes = seed(&mail, n, now);
    println!(
        "seeded {n} files ({:.1} MB) in {:.1} s",
        bytes as f64 / 1e6,
        t.elapsed().as_secs_f64()
    );
    let (warm, seen) = floor(&mail);
    assert_eq!(seen, n);
    println!("warm-up read (page cache): {warm:.2} s");
    let (mut floors, mut syncs) = (Vec::new(), Vec::new());
    for round in 1..=3 {
        let (f, _) = floor(&mail);
        let load_f = common::load_average();
        let cfg = fresh(&work.path().join(format!("run{round}")), &mail);
        let mut store = rapport::store::Store::open(&cfg.store_path).expect("store");
        let start = Instant::now();
        let cpu = common::cpu_secs();
        let reports = rapport::mail::maildir::sync_maildir(&mut store, &cfg, now).expect("sync");
        let secs = start.elapsed().as_secs_f64();
        let cpu = common::cpu_secs() - cpu;
        let new: usize = reports.iter().map(|r| r.new).sum();
        assert_eq!(new, n, "every file stored");
        println!(
            "round {round}: floor {f:.2} s (load {load_f}) | rapport {secs:.2} s (CPU {cpu:.2} s, load {}) | ratio {:.2}",
            common::load_average(),
            secs / f
        );
        floors.push(f);
        syncs.push(secs);
    }
    let (fmin, fmed) = min_median(&floors);
    let (smin, smed) = min_median(&syncs);
    let ratio = smed / fmed;
    println!("floor (read every file): min {fmin:.2} s, median {fmed:.2} s");
    println!("rapport Maildir sync:    min {smin:.2} s, median {smed:.2} s");
    println!(
        "ratio (median/median):   {ratio:.2}x; best/best {:.2}x; peak RSS of this process {} KiB",
        smin / fmin,
        common::peak_rss_kib()
    );
    println!(
        "{}: Maildir first sync of {n} within {RATIO_GOAL}x reading every file ({ratio:.2}x)",
        if ratio <= RATIO_GOAL {
            "goal met"
        } else {
            "goal NOT met"
        }
    );
}
