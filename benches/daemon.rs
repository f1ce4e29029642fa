//! The daemon at work against Dovecot and the test SMTP server on loopback.
//! `cargo bench --bench daemon` (needs scripts/setup-test-servers.sh, run as root).
//! Prints, with no timed assertion:
//! - delivery → on the timeline with the daemon in IDLE, 10 trials, beside a bare
//!   async-imap IDLE client woken by the same deliveries (median ratio);
//! - approval → SMTP DATA done with the daemon idle, 10 trials;
//! - the idle daemon's RSS after its first sync of a large mailbox
//!   (`RAPPORT_BENCH_MESSAGES`, default 20,000), and where it is: anonymous (heap),
//!   file-backed, and of that the rapport binary's own pages.

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

#[path = "../tests/it/support/mod.rs"]
#[allow(dead_code)] // the integration tests use the rest of the harness
mod support;

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::mpsc;
use std::time::{Duration, Instant};

use futures_util::StreamExt as _;
use support::TestServers;

const NOW: &str = "2026-11-23T10:00:00Z";

struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    fn new(servers: &TestServers) -> Home {
        use std::os::unix::fs::PermissionsExt;
        let dir = tempfile::tempdir().expect("tempdir");
        let cfg = dir.path().join(".config/rapport/config.toml");
        std::fs::create_dir_all(cfg.parent().expect("parent")).expect("config dir");
        std::fs::write(&cfg, servers.rapport_config()).expect("config");
        std::fs::set_permissions(&cfg, std::fs::Permissions::from_mode(0o600)).expect("chmod");
        Home { dir }
    }
    fn command(&self, args: &[&str]) -> Command {
        let mut c = Command::new(env!("CARGO_BIN_EXE_rapport"));
        c.args(args)
            .env_clear()
            .env("PATH", std::env::var("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("RAPPORT_NOW", NOW)
            .env("RAPPORT_LOG", "warn");
        c
    }
    fn run(&self, args: &[&str]) -> String {
        let out = self.command(args).output().expect("rapport");
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
    fn store(&self) -> rapport::store::Store {
        rapport::store::Store::open(&self.dir.path().join(".local/share/rapport/rapport.db"))
            .expect("store")
    }
    fn daemon(&self) -> Reaped {
        Reaped(
            self.command(&["daemon"])
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .expect("daemon"),
        )
    }
}

/// A daemon that is stopped however the bench ends (a failed assertion included).
struct Reaped(Child);

impl Reaped {
    fn id(&self) -> u32 {
        self.0.id()
    }
}

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn wait(limit: Duration, mut f: impl FnMut() -> bool) -> Duration {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "gave up after {limit:?}");
        std::thread::sleep(Duration::from_millis(2));
    }
    start.elapsed()
}

fn median(v: &mut [f64]) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// A bare IDLE client: reports the instant of each EXISTS it hears.
fn bare_idle_client(servers: &TestServers, tx: mpsc::Sender<Instant>, ready: mpsc::Sender<()>) {
    let (host, port, ca) = (servers.host(), servers.imaps_port(), servers.ca_pem_path());
    std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("rt");
        rt.block_on(async move {
            let tls = rapport::mail::imap::tls_config(Some(&ca), "bench").expect("tls");
            let tcp = tokio::net::TcpStream::connect((host.as_str(), port))
                .await
                .expect("tcp");
            let name = rustls::pki_types::ServerName::try_from(host.clone()).expect("name");
            let stream = tokio_rustls::TlsConnector::from(Arc::clone(&tls))
                .connect(name, tcp)
                .await
                .expect("tls");
            let mut client = async_imap::Client::new(stream);
            client.read_response().await.expect("greeting");
            let mut session = client
                .login("me@example.test", "me-secret")
                .await
                .map_err(|(e, _)| e)
                .expect("login");
            session.examine("INBOX").await.expect("examine");
            let mut idle = session.idle();
            idle.init().await.expect("idle");
            let _ = ready.send(());
            while let Some(Ok(r)) = idle.next().await {
                if matches!(
                    r.parsed(),
                    imap_proto::Response::MailboxData(imap_proto::MailboxDatum::Exists(_))
                ) && tx.send(Instant::now()).is_err()
                {
                    break;
                }
            }
        });
    });
}

fn message(i: usize) -> Vec<u8> {
    format!(
        "From: Omar Haddad <bob@example.test>\r\nTo: me@example.test\r\nSubject: Note {i}\r\nDate: Mon, 23 Nov 2026 09:00:00 +0000\r\nMessage-ID: <bench-daemon-{i}@example.test>\r\n\r\nA line from Omar, number {i}.\r\n"
    )
    .into_bytes()
}

fn rss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("VmRSS:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|n| n.parse().ok())
        })
        .unwrap_or(0)
}

/// Where a process's resident memory is: anonymous (heap, stacks), file-backed, and of
/// the file-backed pages those of its own binary, from /proc (status and smaps).
fn rss_breakdown(pid: u32) -> String {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| -> u64 {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|n| n.parse().ok())
            .unwrap_or(0)
    };
    let exe = std::fs::read_link(format!("/proc/{pid}/exe")).unwrap_or_default();
    let smaps = std::fs::read_to_string(format!("/proc/{pid}/smaps")).unwrap_or_default();
    let (mut own, mut heap, mut mine) = (0u64, 0u64, false);
    let mut is_heap = false;
    for line in smaps.lines() {
        let words: Vec<&str> = line.split_whitespace().collect();
        if words
            .first()
            .is_some_and(|w| w.contains('-') && !w.ends_with(':'))
        {
            let path = words.get(5).copied().unwrap_or("");
            mine = !path.is_empty() && std::path::Path::new(path) == exe;
            is_heap = path == "[heap]";
        } else if words.first() == Some(&"Rss:") {
            let kib: u64 = words.get(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            if mine {
                own += kib;
            }
            if is_heap {
                heap += kib;
            }
        }
    }
    format!(
        "RSS {} KiB = anonymous {} KiB (heap {heap} KiB) + file {} KiB (the rapport binary's own pages {own} KiB) + shared {} KiB",
        field("VmRSS:"),
        field("RssAnon:"),
        field("RssFile:"),
        field("RssShmem:")
    )
}

fn latency_trials(servers: &TestServers, home: &Home) {
    home.run(&[
        "contacts",
        "add",
        "bob@example.test",
        "--name",
        "Omar Haddad",
    ]);
    let (tx, rx) = mpsc::channel();
    let (ready_tx, ready) = mpsc::channel();
    bare_idle_client(servers, tx, ready_tx);
    ready
        .recv_timeout(Duration::from_secs(20))
        .expect("bare client ready");
    let daemon = home.daemon();
    let store = home.store();
    wait(Duration::from_secs(30), || {
        !store.sync_states().unwrap_or_default().is_empty()
    });
    std::thread::sleep(Duration::from_millis(500));
    let (mut ours, mut bare) = (Vec::new(), Vec::new());
    for i in 0..10 {
        let before = store.message_count().expect("count");
        let start = Instant::now();
        servers.deliver("me", &message(i));
        let t = wait(Duration::from_secs(30), || {
            store.message_count().unwrap_or(0) > before
        });
        let heard = rx
            .recv_timeout(Duration::from_secs(30))
            .expect("bare client woke");
        ours.push(t.as_secs_f64() * 1000.0);
        bare.push(heard.duration_since(start).as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(300));
    }
    let (o, b) = (median(&mut ours), median(&mut bare));
    println!(
        "delivery -> timeline (daemon, IDLE): median {o:.1} ms over 10; bare IDLE client: median {b:.1} ms; ratio {:.2}",
        o / b
    );
    let mut approvals = Vec::new();
    for i in 1..=10 {
        // Each request at its own (earlier) time: its key carries the time.
        let at = format!("2026-11-23T09:{:02}:00Z", 40 + i);
        let out = home
            .command(&["request", "bob"])
            .env("RAPPORT_NOW", &at)
            .output()
            .expect("rapport request");
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        let id = (i).to_string();
        let sent = servers.sent_messages().len();
        let start = Instant::now();
        home.run(&["queue", "approve", &id]);
        wait(Duration::from_secs(60), || {
            servers.sent_messages().len() > sent
        });
        let t = start.elapsed();
        approvals.push(t.as_secs_f64() * 1000.0);
        std::thread::sleep(Duration::from_millis(200));
    }
    println!(
        "approval -> SMTP DATA done (daemon idle): median {:.1} ms, max {:.1} ms over 10",
        median(&mut approvals),
        approvals.iter().copied().fold(0.0, f64::max)
    );
    drop(daemon);
}

fn idle_rss(n: usize) {
    let servers = TestServers::start();
    let msgs: Vec<Vec<u8>> = (0..n).map(|i| message(1000 + i)).collect();
    servers.seed_maildir("me", "INBOX", &msgs);
    let home = Home::new(&servers);
    let daemon = home.daemon();
    let store = home.store();
    let t = wait(Duration::from_secs(1200), || {
        store.message_count().unwrap_or(0) >= n as i64
    });
    std::thread::sleep(Duration::from_secs(3));
    println!(
        "idle daemon RSS after a {n}-message first sync ({:.1} s): {} KiB (this bench process: peak {} KiB)",
        t.as_secs_f64(),
        rss_kib(daemon.id()),
        common::peak_rss_kib()
    );
    println!(
        "idle daemon memory: {}; load {}",
        rss_breakdown(daemon.id()),
        common::load_average()
    );
    drop(daemon);
}

fn main() {
    let n: usize = std::env::var("RAPPORT_BENCH_MESSAGES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20_000);
    let servers = TestServers::start();
    let home = Home::new(&servers);
    latency_trials(&servers, &home);
    idle_rss(n);
}
