//! Fault injection against the real servers: `rapport send` killed with SIGKILL at a
//! random moment, over and over, must never send a draft twice and never lose an approved
//! one (every approved draft ends up sent exactly once, or `unknown` for the user to
//! check — never silently dropped, never resent on its own).
//!
//! `cargo test --test it faults::` runs a few dozen kills; the ignored test runs hundreds:
//! `RAPPORT_FAULT_TRIALS=300 cargo test --test it faults:: -- --ignored --nocapture`.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use crate::support::{CONTACTS, TestServers};
use crate::util::{Env, without_section};

/// The test servers' config without `[imap]`: these trials are about sending.
fn config(s: &TestServers) -> String {
    without_section(&s.rapport_config(), "imap")
}

/// What one trial saw.
#[derive(Default, Debug)]
struct Tally {
    drafts: usize,
    kills: usize,
    unknown: usize,
}

/// How many accepted messages carry each Message-ID.
fn deliveries(s: &TestServers) -> HashMap<String, usize> {
    let mut out = HashMap::new();
    for m in s.sent_messages() {
        let text = String::from_utf8_lossy(&m);
        if let Some(line) = text
            .lines()
            .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        {
            let id = line["message-id:".len()..]
                .trim()
                .trim_matches(['<', '>'])
                .to_string();
            *out.entry(id).or_default() += 1;
        }
    }
    out
}

/// One trial: three approved meeting requests, `rapport send` killed after a random
/// delay (sometimes twice), then sends run to completion; the invariants are checked.
fn trial(s: &TestServers, rng: &mut fastrand::Rng, tally: &mut Tally) {
    let env = Env::with_config(&config(s));
    approved(&env, &CONTACTS);
    tally.drafts += CONTACTS.len();
    for _ in 0..rng.usize(1..=2) {
        let mut child = env
            .command(&["send"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(Duration::from_millis(rng.u64(0..400)));
        if child.try_wait().unwrap().is_none() {
            tally.kills += 1;
        }
        // SIGKILL: no destructor, no flush, no goodbye.
        let _ = child.kill();
        child.wait().unwrap();
    }
    // Whatever is left approved goes out now; an interrupted one stays unknown.
    let start = Instant::now();
    loop {
        env.rapport(&["send"]);
        let open = env
            .drafts()
            .iter()
            .filter(|d| d["status"] == "approved" || d["status"] == "sending")
            .count();
        if open == 0 {
            break;
        }
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{:?}",
            env.drafts()
        );
    }
    let sent = deliveries(s);
    let drafts = env.drafts();
    // A listing that lost its drafts would make every check below pass on nothing.
    assert_eq!(drafts.len(), CONTACTS.len(), "{drafts:?}");
    for d in drafts {
        let id = d["message_id"]
            .as_str()
            .unwrap()
            .trim_matches(['<', '>'])
            .to_string();
        let n = sent.get(&id).copied().unwrap_or(0);
        let status = d["status"].as_str().unwrap();
        assert!(n <= 1, "draft {} delivered {n} times: {d}", d["id"]);
        match status {
            "sent" => assert_eq!(n, 1, "marked sent but never delivered: {d}"),
            // Interrupted mid-conversation: delivered or not, never resent on its own.
            "unknown" => tally.unknown += 1,
            other => panic!("an approved draft ended {other:?}, lost: {d}"),
        }
    }
}

/// The seed of the default run, pinned so a failure can be replayed; another comes from
/// `RAPPORT_FAULT_SEED`.
const DEFAULT_SEED: u64 = 20_261_207;

fn run(trials: usize) {
    let s = TestServers::start();
    let seed = std::env::var("RAPPORT_FAULT_SEED")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(DEFAULT_SEED);
    let mut rng = fastrand::Rng::with_seed(seed);
    let mut tally = Tally::default();
    let start = Instant::now();
    for _ in 0..trials {
        trial(&s, &mut rng, &mut tally);
    }
    eprintln!(
        "faults: seed {seed}: {trials} trials, {} drafts, {} kills mid-run, {} left unknown, 0 duplicates, 0 lost, {:.1} s",
        tally.drafts,
        tally.kills,
        tally.unknown,
        start.elapsed().as_secs_f64()
    );
    // The trials prove something only if kills land while a send is running: at least one
    // in four of them must (each trial kills once or twice at a random point in 0–400 ms).
    assert!(
        tally.kills * 4 >= trials,
        "only {} of {trials} trials killed a running send (seed {seed}): the kills came too late to test anything",
        tally.kills
    );
}

#[test]
fn send_killed_at_random_points_never_duplicates_or_loses_a_draft() {
    run(12);
}

#[test]
#[ignore = "hundreds of trials: RAPPORT_FAULT_TRIALS=300 cargo test --test it faults:: -- --ignored"]
fn send_killed_at_random_points_many_times() {
    let trials = std::env::var("RAPPORT_FAULT_TRIALS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(300);
    run(trials);
}

/// A small tmpfs mounted as the data directory (the database's folder), unmounted on
/// drop. Needs root, as the whole server harness does.
struct SmallDisk {
    path: std::path::PathBuf,
}

impl SmallDisk {
    fn mount(env: &Env, size: &str) -> SmallDisk {
        let path = env.db_path().parent().unwrap().to_path_buf();
        std::fs::create_dir_all(&path).unwrap();
        sh(
            &[
                "mount",
                "-t",
                "tmpfs",
                "-o",
                &format!("size={size},mode=0700"),
                "tmpfs",
            ],
            &path,
        );
        SmallDisk { path }
    }

    fn remount(&self, how: &str) {
        sh(&["mount", "-o", &format!("remount,{how}")], &self.path);
    }
}

impl Drop for SmallDisk {
    fn drop(&mut self) {
        let _ = std::process::Command::new("umount")
            .arg(&self.path)
            .status();
    }
}

fn sh(args: &[&str], path: &std::path::Path) {
    let st = std::process::Command::new(args[0])
        .args(&args[1..])
        .arg(path)
        .status()
        .unwrap();
    assert!(st.success(), "{args:?} {}", path.display());
}

/// Contacts with approved meeting requests, ready to send.
fn approved(env: &Env, users: &[&str]) {
    for user in users {
        env.request(&format!("{user}@example.test"), user);
    }
    // `--all` approves what the last listing showed, as a user would see it first.
    env.rapport(&["queue"]).ok();
    env.rapport(&["queue", "approve", "--all"]).ok();
}

#[test]
fn a_read_only_database_is_a_clear_error_sends_nothing_and_the_next_run_recovers() {
    let s = TestServers::start();
    let env = Env::with_config(&config(&s));
    let disk = SmallDisk::mount(&env, "8m");
    approved(&env, &["bob"]);
    disk.remount("ro");
    let r = env.rapport(&["send"]);
    assert_ne!(r.code, 0, "{}", r.stdout);
    assert!(
        r.stderr.to_lowercase().contains("read-only") || r.stderr.contains("rapport.db"),
        "a clear error: {}",
        r.stderr
    );
    assert!(
        s.sent_messages().is_empty(),
        "nothing sent from a read-only store"
    );
    disk.remount("rw");
    env.rapport(&["send"]).ok();
    assert_eq!(
        deliveries(&s).values().sum::<usize>(),
        1,
        "recovered: sent once"
    );
    assert_eq!(env.drafts()[0]["status"], "sent");
}

#[test]
fn a_full_disk_loses_nothing_and_the_next_run_recovers() {
    let s = TestServers::start();
    let env = Env::with_config(&config(&s));
    let disk = SmallDisk::mount(&env, "4m");
    approved(&env, &["alice", "bob", "carol"]);
    // Fill what is left of the disk.
    let filler = disk.path.join("filler");
    let mut f = std::fs::File::create(&filler).unwrap();
    let block = vec![0u8; 64 * 1024];
    while std::io::Write::write_all(&mut f, &block).is_ok() {}
    drop(f);
    let r = env.rapport(&["send"]);
    assert!(
        r.code != 0 || r.stdout.contains("Sent"),
        "a full disk either fails or sends: {} {}",
        r.stdout,
        r.stderr
    );
    if r.code != 0 {
        assert!(
            r.stderr.contains("rapport.db"),
            "names the database: {}",
            r.stderr
        );
        assert!(
            r.stderr.contains("free some space"),
            "says the fix: {}",
            r.stderr
        );
    }
    let sent_while_full = deliveries(&s);
    for n in sent_while_full.values() {
        assert_eq!(*n, 1, "nothing twice even on a full disk");
    }
    eprintln!(
        "full disk: exit {}, {} sent, stderr: {}",
        r.code,
        sent_while_full.len(),
        r.stderr.trim()
    );
    std::fs::remove_file(&filler).unwrap();
    let start = Instant::now();
    while env
        .drafts()
        .iter()
        .any(|d| d["status"] == "approved" || d["status"] == "sending")
    {
        env.rapport(&["send"]);
        assert!(
            start.elapsed() < Duration::from_secs(60),
            "{:?}",
            env.drafts()
        );
    }
    let sent = deliveries(&s);
    for d in env.drafts() {
        let id = d["message_id"].as_str().unwrap().trim_matches(['<', '>']);
        let n = sent.get(id).copied().unwrap_or(0);
        assert!(n <= 1, "duplicate: {d}");
        match d["status"].as_str().unwrap() {
            "sent" => assert_eq!(n, 1, "{d}"),
            "unknown" => {}
            other => panic!("lost: {other} {d}"),
        }
    }
}

/// `config` in another time zone with a daily cap.
fn zoned_config(s: &TestServers, tz: &str, cap: u32) -> String {
    format!(
        "{}\n[policy]\ndaily_send_cap = {cap}\n",
        config(s).replacen(
            "timezone = \"Europe/London\"",
            &format!("timezone = \"{tz}\""),
            1
        )
    )
}

#[test]
fn the_send_window_follows_daylight_saving_time() {
    let s = TestServers::start();
    let mut env = Env::with_config(&zoned_config(&s, "Europe/London", 20));
    env.now = "2026-03-27T10:00:00Z".into(); // a Friday, GMT
    approved(&env, &["bob"]);
    // Monday after the clocks went forward: 07:30 UTC is 08:30 BST, before the window.
    env.now = "2026-03-30T07:30:00Z".into();
    let r = env.rapport(&["send"]);
    assert!(
        s.sent_messages().is_empty(),
        "sent before 09:00 local: {}",
        r.stdout
    );
    // 08:30 UTC is 09:30 BST: inside (it would be outside in GMT).
    env.now = "2026-03-30T08:30:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(s.sent_messages().len(), 1);
}

#[test]
fn the_daily_cap_counts_the_local_day_across_a_utc_midnight_and_a_clock_jump() {
    let s = TestServers::start();
    let mut env = Env::with_config(&zoned_config(&s, "Pacific/Auckland", 2));
    env.now = "2026-11-23T21:00:00Z".into(); // Tuesday 10:00 in Auckland
    approved(&env, &["alice", "bob", "carol"]);
    env.rapport(&["send"]);
    assert_eq!(s.sent_messages().len(), 2, "the cap of 2");
    // Tuesday 15:00 in Auckland is already Wednesday in UTC: still the same local day.
    env.now = "2026-11-24T02:00:00Z".into();
    env.rapport(&["send"]);
    assert_eq!(
        s.sent_messages().len(),
        2,
        "a UTC midnight is not a new local day"
    );
    // The clock jumps back an hour: still the same day, still capped.
    env.now = "2026-11-24T01:00:00Z".into();
    env.rapport(&["send"]);
    assert_eq!(
        s.sent_messages().len(),
        2,
        "a clock jump back does not reset the cap"
    );
    // The next local day (Wednesday 10:00 in Auckland) the last one goes, once.
    env.now = "2026-11-24T21:00:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(s.sent_messages().len(), 3);
    assert!(deliveries(&s).values().all(|n| *n == 1));
}
