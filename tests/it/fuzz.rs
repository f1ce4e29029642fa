//! A fuzz harness on stable Rust: mutated corpus messages, configs and import files fed
//! through the real entry points (classification, the Maildir reader's cap, config
//! parsing and validation, import parsing and merging into a store), for a given time.
//! Any panic is a failure; the input is saved under `target/fuzz-failures/`.
//!
//! `RAPPORT_FUZZ_SECS=300 cargo test --release --test it fuzz:: -- --ignored --nocapture`
//! prints executions, executions per second and failures; the normal suite runs a short
//! round so the harness itself cannot rot. `RAPPORT_FUZZ_SEED` replays a run.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};
use std::sync::Once;
use std::time::{Duration, Instant};

use rapport::core::classify::{Context, classify};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Every file under `dir` whose name ends in one of `exts`.
fn files(dir: &Path, exts: &[&str]) -> Vec<Vec<u8>> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(rd) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in rd.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if exts.iter().any(|x| p.to_string_lossy().ends_with(x))
                && let Ok(b) = std::fs::read(&p)
            {
                out.push(b);
            }
        }
    }
    out
}

/// One mutation of `input`, sometimes spliced with another seed.
fn mutate(rng: &mut fastrand::Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..rng.usize(1..=8) {
        let len = v.len();
        let at = if len == 0 { 0 } else { rng.usize(..=len) };
        match rng.u8(0..9) {
            0 if len > 0 => v[at.min(len - 1)] = rng.u8(..),
            1 if len > 0 => v[at.min(len - 1)] ^= 1 << rng.u8(0..8),
            2 => v.insert(
                at,
                *rng.choice(b"\r\n:;,\"=<>@\\\t \x00\xff\xc3".iter())
                    .unwrap_or(&b'x'),
            ),
            3 if len > 0 => {
                let end = (at + rng.usize(1..64)).min(len);
                v.drain(at.min(end)..end);
            }
            4 if len > 0 => {
                let end = (at + rng.usize(1..256)).min(len);
                let chunk = v[at.min(end)..end].to_vec();
                for _ in 0..rng.usize(1..8) {
                    v.splice(at..at, chunk.iter().copied());
                }
            }
            5 if !other.is_empty() => {
                let from = rng.usize(..other.len());
                let end = (from + rng.usize(1..512)).min(other.len());
                v.splice(at..at, other[from..end].iter().copied());
            }
            6 => v.truncate(at),
            7 => {
                let n: &[u8] = rng
                    .choice([
                        &b"4294967296"[..],
                        b"-1",
                        b"99999999999999999999",
                        b"0",
                        b"1e308",
                    ])
                    .unwrap_or(&b"0"[..]);
                v.splice(at..at, n.iter().copied());
            }
            _ => {
                let utf8 = String::from_utf8_lossy(&v).into_owned();
                v = utf8
                    .replacen('\n', &"\n".repeat(rng.usize(1..4)), 1)
                    .into_bytes();
            }
        }
    }
    v
}

#[derive(Clone, Copy, Debug)]
enum Target {
    Message,
    Config,
    Import,
}

fn run_one(target: Target, input: &[u8]) {
    match target {
        Target::Message => {
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
            let capped = rapport::mail::maildir::read_capped(input, 4096).unwrap();
            std::hint::black_box(classify(&capped, &ctx));
            std::hint::black_box(classify(input, &ctx));
        }
        Target::Config => {
            let text = String::from_utf8_lossy(input);
            let _ = std::hint::black_box(rapport::config::parse(Path::new("fuzz.toml"), &text));
        }
        Target::Import => {
            if let Ok(parsed) = rapport::contacts::import::parse_import(input) {
                let mut store = rapport::store::Store::open_in_memory().unwrap();
                let now = "2026-11-22T12:00:00Z".parse().unwrap();
                rapport::contacts::merge::merge(&mut store, &parsed, now).unwrap();
                let again = rapport::contacts::merge::merge(&mut store, &parsed, now).unwrap();
                assert_eq!(
                    again.added, 0,
                    "a second import of the same file adds nothing"
                );
            }
        }
    }
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// While alive, panics on this thread print nothing (the fuzz loop catches thousands);
/// other threads' panics print as before. The panic hook is process-wide and every
/// integration test shares this process, so the hook is wrapped once, never swapped out.
struct QuietPanics;

impl QuietPanics {
    fn on_this_thread() -> QuietPanics {
        static WRAP: Once = Once::new();
        WRAP.call_once(|| {
            let previous = std::panic::take_hook();
            std::panic::set_hook(Box::new(move |info| {
                if !QUIET.with(Cell::get) {
                    previous(info);
                }
            }));
        });
        QUIET.with(|q| q.set(true));
        QuietPanics
    }
}

impl Drop for QuietPanics {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(false));
    }
}

fn fuzz(limit: Duration, fixed_seed: Option<u64>) {
    let r = root();
    let corpus =
        std::env::var("RAPPORT_CORPUS").map_or_else(|_| r.join("../shared/corpus"), PathBuf::from);
    let mut messages = files(&corpus, &[".eml"]);
    messages.extend(files(&r.join("tests/fixtures/mail"), &[".eml", ".ics"]));
    let mut configs = files(&r, &["config.example.toml"]);
    configs.truncate(1);
    // The example with its keys switched on, so that mutations reach every section.
    if let Some(example) = configs.first() {
        let on: String = String::from_utf8_lossy(example)
            .lines()
            .map(|l| {
                l.strip_prefix("# ")
                    .filter(|t| t.contains(" = ") || t.starts_with('['))
                    .unwrap_or(l)
            })
            .collect::<Vec<_>>()
            .join("\n");
        configs.push(on.into_bytes());
    }
    let imports = files(&r.join("tests/fixtures/import"), &[".csv", ".vcf"]);
    assert!(!messages.is_empty() && !configs.is_empty() && !imports.is_empty());
    let seed = std::env::var("RAPPORT_FUZZ_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .or(fixed_seed)
        .unwrap_or_else(|| fastrand::u64(..));
    let mut rng = fastrand::Rng::with_seed(seed);
    let out = r.join("target/fuzz-failures");
    let _quiet = QuietPanics::on_this_thread();
    let start = Instant::now();
    let (mut execs, mut failures) = ([0usize; 3], Vec::new());
    while start.elapsed() < limit {
        let (i, target, seeds) = match rng.u8(0..3) {
            0 => (0, Target::Message, &messages),
            1 => (1, Target::Config, &configs),
            _ => (2, Target::Import, &imports),
        };
        let a = &seeds[rng.usize(..seeds.len())];
        let b = &seeds[rng.usize(..seeds.len())];
        let input = mutate(&mut rng, a, b);
        execs[i] += 1;
        if catch_unwind(AssertUnwindSafe(|| run_one(target, &input))).is_err() {
            let _ = std::fs::create_dir_all(&out);
            let path = out.join(format!("{target:?}-{seed}-{}", failures.len()));
            let _ = std::fs::write(&path, &input);
            failures.push(path);
        }
    }
    let secs = start.elapsed().as_secs_f64();
    let total: usize = execs.iter().sum();
    eprintln!(
        "fuzz: seed {seed}: {total} executions in {secs:.1} s ({:.0}/s): {} messages, {} configs, {} imports; {} failures {:?}",
        total as f64 / secs,
        execs[0],
        execs[1],
        execs[2],
        failures.len(),
        failures
    );
    assert!(failures.is_empty(), "inputs that panicked: {failures:?}");
}

#[test]
fn a_short_fuzz_round_finds_no_panic() {
    // A fixed seed: the normal suite must not fail by luck; the long run explores.
    fuzz(Duration::from_secs(3), Some(11));
}

#[test]
#[ignore = "long: RAPPORT_FUZZ_SECS=300 cargo test --release --test it fuzz:: -- --ignored --nocapture"]
fn fuzz_for_a_given_time() {
    let secs = std::env::var("RAPPORT_FUZZ_SECS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(60);
    fuzz(Duration::from_secs(secs), None);
}
