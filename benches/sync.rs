//! The first sync against its floor, in one run, on Dovecot over TLS on loopback.
//!
//! `cargo bench --bench sync` (needs scripts/setup-test-servers.sh, run as root) seeds a
//! generated mailbox shaped like real mail (`common/mailbox.rs`, 20,000 messages, every
//! one inside the lookback window) and prints, interleaved three times:
//! - the floor: one `UID FETCH 1:* (UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER])`
//!   over the same TLS settings, written with async-imap directly;
//! - rapport's first sync, classified and stored, into a fresh database with 200
//!   contacts, run in a child process so its peak memory (VmHWM) and CPU time are its
//!   own;
//!
//! then the median ratio, a re-sync with nothing new against bare login + EXAMINE, and
//! "goal met / not met". Both sides run in a fresh child process of this binary and are
//! timed the same way inside it, so both pay a new process's first TLS setup (the system
//! roots) and first touches, and neither counts the process start: the sync child's
//! clock covers `mail::sync::sync_imap` (its runtime, connection, login, sync, logout;
//! the database is opened before), the floor child's its runtime, connection, login,
//! the command and logout. What rapport does beyond the floor is its own cost and
//! counted: it runs the configured `password_command` (`sh -c`), asks for CAPABILITY
//! and LIST, and writes the cursor. `RAPPORT_BENCH_FULL=1` adds a 100,000-message first
//! sync (time and peak memory); `RAPPORT_BENCH_MESSAGES=N` changes the 20,000;
//! `RAPPORT_BENCH_WRAP="perf record -g -o FILE"` runs each child sync under that command
//! (a profiler, `strace -f -tt -o FILE`), which of course slows what it times.

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
#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)] // the integration tests use the rest of the harness
mod support;

use std::path::{Path, PathBuf};
use std::time::Instant;

use futures_util::StreamExt as _;

/// Set in the child: the config to sync with; the child prints one `RESULT` line.
const CHILD: &str = "RAPPORT_BENCH_SYNC_CHILD";
/// The `now` the child syncs at (RFC 3339).
const CHILD_NOW: &str = "RAPPORT_BENCH_SYNC_NOW";
/// Set in a floor child: how to log in, the folder, and `headers` or `examine`.
const FLOOR_CHILD: &str = "RAPPORT_BENCH_FLOOR_CHILD";
/// A command line the child sync runs under (a profiler, `strace`); unset: none.
const WRAP: &str = "RAPPORT_BENCH_WRAP";
/// The goals of issue 13.
const RATIO_GOAL: f64 = 2.0;
const PEAK_GOAL_KIB: u64 = 100_000_000 / 1024;

/// What one child sync measured.
#[derive(Debug, Clone, Copy)]
struct Run {
    secs: f64,
    read: usize,
    new: usize,
    bodies: usize,
    peak_kib: u64,
    /// CPU seconds of the sync, all its threads.
    cpu: f64,
}

fn child(config: &str) {
    let path = PathBuf::from(config);
    let text = std::fs::read_to_string(&path).expect("child config");
    let cfg = rapport::config::parse(&path, &text).expect("config");
    let now: jiff::Timestamp = std::env::var(CHILD_NOW).expect("now").parse().expect("now");
    let mut store = rapport::store::Store::open(&cfg.store_path).expect("store");
    let start = Instant::now();
    let cpu = common::cpu_secs();
    let reports = rapport::mail::sync::sync_imap(&mut store, &cfg, now).expect("sync");
    let secs = start.elapsed().as_secs_f64();
    let cpu = common::cpu_secs() - cpu;
    let (mut read, mut new, mut bodies) = (0, 0, 0);
    for r in &reports {
        assert!(r.error.is_none(), "{r:?}");
        read += r.read;
        new += r.new;
        bodies += r.bodies;
    }
    println!(
        "RESULT {secs} {read} {new} {bodies} {} {cpu}",
        common::peak_rss_kib()
    );
}

fn spawn_sync(config: &Path, now: jiff::Timestamp) -> Run {
    let exe = std::env::current_exe().expect("exe");
    // `RAPPORT_BENCH_WRAP="perf record -g -o /tmp/p.data"`: the child runs under a profiler.
    let wrap = std::env::var(WRAP).unwrap_or_default();
    let mut words = wrap.split_whitespace();
    let mut cmd = match words.next() {
        Some(tool) => {
            let mut c = std::process::Command::new(tool);
            c.args(words).arg(&exe);
            c
        }
        None => std::process::Command::new(&exe),
    };
    let out = cmd
        .env(CHILD, config)
        .env(CHILD_NOW, now.to_string())
        .output()
        .expect("child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("RESULT "))
        .unwrap_or_else(|| {
            panic!(
                "the child sync failed: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let f: Vec<&str> = line.split_whitespace().collect();
    Run {
        secs: f[0].parse().expect("secs"),
        read: f[1].parse().expect("read"),
        new: f[2].parse().expect("new"),
        bodies: f[3].parse().expect("bodies"),
        peak_kib: f[4].parse().expect("peak"),
        cpu: f[5].parse().expect("cpu"),
    }
}

/// Where and as whom a floor child logs in.
struct Target {
    host: String,
    port: u16,
    ca: PathBuf,
    user: String,
    password: String,
}

impl Target {
    fn of(servers: &support::TestServers) -> Target {
        let me = servers.me();
        Target {
            host: servers.host(),
            port: servers.imaps_port(),
            ca: servers.ca_pem_path(),
            user: me.address,
            password: me.password,
        }
    }
}

/// A logged-in async-imap session over TLS with rapport's own TLS settings.
async fn login(
    t: &Target,
) -> async_imap::Session<tokio_rustls::client::TlsStream<tokio::net::TcpStream>> {
    let tcp = tokio::net::TcpStream::connect((t.host.as_str(), t.port))
        .await
        .expect("connect");
    tcp.set_nodelay(true).expect("nodelay");
    let tls = rapport::mail::imap::tls_config(Some(&t.ca), "imap").expect("tls");
    let name = rustls::pki_types::ServerName::try_from(t.host.clone()).expect("name");
    let stream = tokio_rustls::TlsConnector::from(tls)
        .connect(name, tcp)
        .await
        .expect("handshake");
    let mut client = async_imap::Client::new(stream);
    client.read_response().await.expect("greeting");
    client
        .login(&t.user, &t.password)
        .await
        .map_err(|(e, _)| e)
        .expect("login")
}

/// In a floor child: logs in, EXAMINEs `folder`, fetches every header when `headers`,
/// logs out; prints `FLOOR seconds messages`. Timed like the sync child: from before its
/// runtime is built to after the logout.
fn floor_child(spec: &str) {
    let f: Vec<&str> = spec.split('\n').collect();
    let t = Target {
        host: f[0].to_string(),
        port: f[1].parse().expect("port"),
        ca: PathBuf::from(f[2]),
        user: f[3].to_string(),
        password: f[4].to_string(),
    };
    let (folder, headers) = (f[5], f[6] == "headers");
    let start = Instant::now();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let n = rt.block_on(async {
        let mut s = login(&t).await;
        s.examine(folder).await.expect("examine");
        let mut n = 0;
        if headers {
            let mut bytes = 0usize;
            let query = "(UID RFC822.SIZE INTERNALDATE BODY.PEEK[HEADER])";
            let mut stream = s.uid_fetch("1:*", query).await.expect("fetch");
            while let Some(f) = stream.next().await {
                let f = f.expect("fetch item");
                bytes += f.header().map_or(0, <[u8]>::len);
                n += 1;
            }
            drop(stream);
            assert!(bytes > 0);
        }
        s.logout().await.expect("logout");
        n
    });
    println!("FLOOR {} {n}", start.elapsed().as_secs_f64());
}

/// Runs a floor child; returns (seconds, messages).
fn spawn_floor(servers: &support::TestServers, folder: &str, headers: bool) -> (f64, usize) {
    let t = Target::of(servers);
    let what = if headers { "headers" } else { "examine" };
    let spec = [
        t.host,
        t.port.to_string(),
        t.ca.display().to_string(),
        t.user,
        t.password,
        folder.to_string(),
        what.to_string(),
    ]
    .join("\n");
    let out = std::process::Command::new(std::env::current_exe().expect("exe"))
        .env(FLOOR_CHILD, spec)
        .output()
        .expect("floor child");
    let stdout = String::from_utf8_lossy(&out.stdout);
    let line = stdout
        .lines()
        .find_map(|l| l.strip_prefix("FLOOR "))
        .unwrap_or_else(|| {
            panic!(
                "the floor child failed: {stdout}\n{}",
                String::from_utf8_lossy(&out.stderr)
            )
        });
    let f: Vec<&str> = line.split_whitespace().collect();
    (f[0].parse().expect("secs"), f[1].parse().expect("n"))
}

/// The floor: every header of `folder` in one UID FETCH. Returns (seconds, messages).
fn floor(servers: &support::TestServers, folder: &str) -> (f64, usize) {
    spawn_floor(servers, folder, true)
}

/// The floor of a re-sync: log in, EXAMINE, log out.
fn bare_examine(servers: &support::TestServers, folder: &str) -> f64 {
    spawn_floor(servers, folder, false).0
}

/// A fresh database with the contacts, and a config to sync `folder` into it.
fn fresh_config(servers: &support::TestServers, dir: &Path, folder: &str) -> PathBuf {
    std::fs::create_dir_all(dir).expect("dir");
    let me = servers.me();
    let text = format!(
        "[identity]\nname = \"Me\"\nemail = \"{email}\"\n[smtp]\ntransport = \"file\"\nfile_dir = \"{out}\"\n[imap]\nhost = \"{host}\"\nport = {port}\nsecurity = \"tls\"\nusername = \"{email}\"\npassword_command = \"echo {pw}\"\nca_file = \"{ca}\"\nfolders = [\"{folder}\"]\n[store]\npath = \"{db}\"\n",
        email = me.address,
        pw = me.password,
        out = dir.join("out").display(),
        host = servers.host(),
        port = servers.imaps_port(),
        ca = servers.ca_pem_path().display(),
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
    path
}

fn seed(
    servers: &support::TestServers,
    folder: &str,
    tag: &str,
    n: usize,
    now: jiff::Timestamp,
) -> u64 {
    let mut rng = fastrand::Rng::with_seed(13);
    let mut bytes = 0u64;
    let mut chunk = Vec::with_capacity(1000);
    for i in 0..n {
        let m = mailbox::message(&mut rng, tag, i, n, now);
        bytes += m.len() as u64;
        chunk.push(m);
        if chunk.len() == 1000 || i + 1 == n {
            servers.seed_maildir("me", folder, &chunk);
            chunk.clear();
        }
    }
    bytes
}

fn min_median(v: &[f64]) -> (f64, f64) {
    let mut s = v.to_vec();
    s.sort_by(f64::total_cmp);
    (s[0], s[s.len() / 2])
}

fn verdict(met: bool) -> &'static str {
    if met { "goal met" } else { "goal NOT met" }
}

fn main() {
    if let Ok(config) = std::env::var(CHILD) {
        child(&config);
        return;
    }
    if let Ok(spec) = std::env::var(FLOOR_CHILD) {
        floor_child(&spec);
        return;
    }
    let n: usize = std::env::var("RAPPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let full = std::env::var("RAPPORT_BENCH_FULL").is_ok_and(|v| v == "1");
    // The bench seeds mail dated around the real now; it never runs rapport's clock.
    #[allow(clippy::disallowed_methods)]
    let now = jiff::Timestamp::now();
    let servers = support::TestServers::start();
    let seeded = Instant::now();
    let bytes = seed(&servers, "INBOX", "bench", n, now);
    println!(
        "seeded {n} messages ({:.1} MB) in {:.1} s",
        bytes as f64 / 1e6,
        seeded.elapsed().as_secs_f64()
    );
    // Dovecot indexes the folder on first access: that run is not counted.
    let (warm, seen) = floor(&servers, "INBOX");
    assert_eq!(seen, n);
    println!("warm-up header fetch (Dovecot indexing): {warm:.2} s");

    let work = tempfile::tempdir().expect("tempdir");
    let (mut floors, mut syncs, mut last) = (Vec::new(), Vec::new(), None);
    for round in 1..=3 {
        let (f, _) = floor(&servers, "INBOX");
        floors.push(f);
        let config = fresh_config(&servers, &work.path().join(format!("run{round}")), "INBOX");
        let r = spawn_sync(&config, now);
        assert_eq!(r.new, n, "every message stored");
        println!(
            "round {round}: floor {f:.2} s | rapport {:.2} s ({} read, {} bodies fetched, peak {:.1} MiB, CPU {:.2} s) | ratio {:.2} | load {}",
            r.secs,
            r.read,
            r.bodies,
            r.peak_kib as f64 / 1024.0,
            r.cpu,
            r.secs / f,
            common::load_average()
        );
        syncs.push(r.secs);
        last = Some(config);
    }
    let (fmin, fmed) = min_median(&floors);
    let (smin, smed) = min_median(&syncs);
    let ratio = smed / fmed;
    println!("floor (header fetch):   min {fmin:.2} s, median {fmed:.2} s");
    println!("rapport first sync:     min {smin:.2} s, median {smed:.2} s");
    println!(
        "ratio (median/median):  {ratio:.2}x; best/best {:.2}x",
        smin / fmin
    );

    let config = last.expect("a run");
    let (mut bare, mut again) = (Vec::new(), Vec::new());
    for _ in 0..3 {
        bare.push(bare_examine(&servers, "INBOX"));
        let r = spawn_sync(&config, now);
        assert_eq!(r.new, 0, "nothing new");
        again.push(r.secs);
    }
    let (_, bmed) = min_median(&bare);
    let (_, amed) = min_median(&again);
    println!(
        "re-sync, nothing new:   median {amed:.3} s vs login + EXAMINE {bmed:.3} s: {:.2}x",
        amed / bmed
    );
    println!(
        "{}: first sync of {n} within {RATIO_GOAL}x the header fetch ({ratio:.2}x)",
        verdict(ratio <= RATIO_GOAL)
    );

    if full {
        let big = 100_000;
        let t = Instant::now();
        let bytes = seed(&servers, "Big", "big", big, now);
        println!(
            "seeded {big} messages ({:.1} MB) in {:.1} s",
            bytes as f64 / 1e6,
            t.elapsed().as_secs_f64()
        );
        let _ = floor(&servers, "Big");
        let (f, _) = floor(&servers, "Big");
        let config = fresh_config(&servers, &work.path().join("big"), "Big");
        let r = spawn_sync(&config, now);
        assert_eq!(r.new, big, "every message stored");
        println!(
            "100k first sync: {:.1} s ({} bodies fetched) vs floor {f:.2} s ({:.2}x); peak memory {:.1} MiB",
            r.secs,
            r.bodies,
            r.secs / f,
            r.peak_kib as f64 / 1024.0
        );
        println!(
            "{}: 100k first sync peak memory within 100 MB ({:.1} MiB)",
            verdict(r.peak_kib <= PEAK_GOAL_KIB),
            r.peak_kib as f64 / 1024.0
        );
    } else {
        println!("100k first sync: not run (RAPPORT_BENCH_FULL=1 runs it)");
    }
}
