//! `rapport daemon`: the loop that keeps the queue true while you do other things.
//!
//! Each turn: sync the mailbox, plan every contact, send what is approved and due (inside
//! the window, under the cap, after one more look at the inbox per draft). Then it sleeps
//! until the earliest of: new mail (IMAP IDLE on the inbox, re-issued every few minutes),
//! the next due time of anything approved or plannable, a kick from the CLI (SIGUSR1),
//! or the poll interval where the server has no IDLE. Network errors back off with
//! jitter; a turn that fails or panics leaves the loop able to run the next one. One
//! daemon per database (a lock file holding its pid); SIGTERM lets an SMTP conversation
//! in progress finish and exits; SIGHUP reloads the config, keeping the old one if the
//! new one is bad.
//!
//! The daemon never sends anything that was not approved; it only calls the same
//! [`crate::send::send_due`] as `rapport send`. IMAP is async (tokio) and every wait on
//! the server is bounded; the store is owned by the loop (no lock that a panic could
//! poison).

#[cfg(test)]
mod tests;
mod turn;
mod wake;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::sync::{Notify, watch};

use crate::config::{self, Loaded};
use crate::mail::imap;
use crate::store::Store;

pub use wake::{
    KICK_SIGNAL_NAME, NEXT_WAKEUP, TurnDone, Waited, kick, last_turn_seq, next_due, plan_wait,
    wait_for_turn, with_copy,
};

/// How long one IDLE lasts before it is re-issued (RFC 2177 asks for under 29 minutes;
/// shorter keeps the watchdog honest and the folders fresh).
pub const IDLE_SLICE: Duration = Duration::from_secs(5 * 60);

/// The daemon's exclusive lock on a database.
pub struct DaemonLock {
    _file: std::fs::File,
}

fn lock_path(store_path: &Path) -> PathBuf {
    let mut name = store_path.file_name().unwrap_or_default().to_os_string();
    name.push(".daemon.lock");
    store_path.with_file_name(name)
}

/// Takes the daemon lock, writing our pid into it; `Ok(None)` if another daemon holds it.
pub fn try_lock(store_path: &Path) -> Result<Option<DaemonLock>> {
    use std::io::Write;
    crate::store::ensure_data_dir(store_path)?;
    let path = lock_path(store_path);
    let mut file = std::fs::File::options()
        .create(true)
        .truncate(false)
        .write(true)
        .read(true)
        .open(&path)
        .with_context(|| format!("Opening {}", path.display()))?;
    match file.try_lock() {
        Ok(()) => {
            file.set_len(0)?;
            writeln!(file, "{}", std::process::id())?;
            Ok(Some(DaemonLock { _file: file }))
        }
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("Locking {}", path.display()))
        }
    }
}

/// Whether a daemon holds the lock on this database, and its pid.
pub fn running(store_path: &Path) -> Result<Option<String>> {
    let path = lock_path(store_path);
    if !path.exists() {
        return Ok(None);
    }
    let file = std::fs::File::options()
        .read(true)
        .write(true)
        .open(&path)?;
    match file.try_lock() {
        Ok(()) => Ok(None),
        Err(std::fs::TryLockError::WouldBlock) => {
            let pid = std::fs::read_to_string(&path).unwrap_or_default();
            Ok(Some(pid.trim().to_string()))
        }
        Err(std::fs::TryLockError::Error(e)) => Err(e.into()),
    }
}

/// Exponential backoff with ±25% jitter, 2 s doubling to 5 minutes.
pub fn backoff(failures: u32) -> Duration {
    let base = 2u64.saturating_pow(failures.min(9)).min(300);
    let jitter = fastrand::f64() * 0.5 + 0.75;
    Duration::from_secs_f64((base as f64 * jitter).max(1.0))
}

/// What wakes the loop early: signals and the CLI's kick, each a flag plus one shared
/// notification (a permit is kept, so a kick during a turn is not lost).
#[derive(Default)]
struct Wakers {
    notify: Notify,
    kicked: AtomicBool,
    reload: AtomicBool,
    stop: AtomicBool,
}

impl Wakers {
    fn raise(&self, flag: &AtomicBool) {
        flag.store(true, Ordering::SeqCst);
        self.notify.notify_one();
    }
    fn take(flag: &AtomicBool) -> bool {
        flag.swap(false, Ordering::SeqCst)
    }
}

fn spawn_signal_listeners(wakers: &Arc<Wakers>, shutdown: watch::Receiver<bool>) -> Result<()> {
    use tokio::signal::unix::{SignalKind, signal};
    let mut hup = signal(SignalKind::hangup()).context("Installing the SIGHUP handler")?;
    let mut usr1 = signal(SignalKind::user_defined1()).context("Installing the SIGUSR1 handler")?;
    let w = wakers.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                Some(()) = hup.recv() => w.raise(&w.reload),
                Some(()) = usr1.recv() => w.raise(&w.kicked),
                else => break,
            }
        }
    });
    let w = wakers.clone();
    let mut rx = shutdown;
    tokio::spawn(async move {
        loop {
            if *rx.borrow() {
                w.raise(&w.stop);
                break;
            }
            if rx.changed().await.is_err() {
                break;
            }
        }
    });
    Ok(())
}

/// Runs the daemon until SIGTERM/SIGINT (or `shutdown` is set to true).
pub async fn run(config_path: PathBuf, shutdown: watch::Receiver<bool>) -> Result<()> {
    let cfg = config::load(&config_path)?;
    let Some(_daemon_lock) = try_lock(&cfg.store_path)? else {
        let pid = running(&cfg.store_path)?.unwrap_or_default();
        bail!(
            "another rapport daemon (pid {pid}) is already running on {}; stop it first (systemctl --user stop rapport)",
            cfg.store_path.display()
        );
    };
    let Some(send_lock) = crate::send::try_lock(&cfg.store_path)? else {
        bail!("a `rapport send` is running right now; start the daemon when it is done");
    };
    if tokio::runtime::Handle::current().runtime_flavor()
        != tokio::runtime::RuntimeFlavor::MultiThread
    {
        bail!("the daemon needs the multi-threaded runtime (it blocks one thread to send)");
    }
    let store = Store::open(&cfg.store_path)?;
    let wakers = Arc::new(Wakers::default());
    spawn_signal_listeners(&wakers, shutdown)?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        config = %config_path.display(),
        database = %cfg.store_path.display(),
        "rapport daemon starting"
    );
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    let heartbeat = Arc::new(AtomicI64::new(monotonic_secs()));
    spawn_watchdog(heartbeat.clone(), watchdog_allowance(&cfg));
    let mut daemon = Daemon {
        config_path,
        cfg,
        store,
        send_lock,
        wakers,
        heartbeat,
        session: None,
        failures: 0,
        seq: 0,
        plan_due: None,
        copy_due: None,
        look_folders: Vec::new(),
    };
    daemon.seq = last_turn_seq(&daemon.store)?;
    daemon.run_loop().await;
    tracing::info!("rapport daemon stopped");
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    Ok(())
}

/// The loop's state between turns.
struct Daemon {
    config_path: PathBuf,
    cfg: Loaded,
    store: Store,
    send_lock: crate::send::SendLock,
    wakers: Arc<Wakers>,
    heartbeat: Arc<AtomicI64>,
    session: Option<imap::Session>,
    failures: u32,
    /// The number of the last turn, for `rapport send` waiting on one.
    seq: u64,
    /// When the planner next has something to draft (from the last turn).
    plan_due: Option<jiff::Timestamp>,
    /// When a copy of a sent email is next to be filed in Sent (from the last turn).
    copy_due: Option<jiff::Timestamp>,
    /// The folders looked at again just before each send (the chosen ones but Sent).
    look_folders: Vec<String>,
}

impl Daemon {
    async fn run_loop(&mut self) {
        loop {
            if self.wakers.stop.load(Ordering::SeqCst) {
                break;
            }
            self.heartbeat.store(monotonic_secs(), Ordering::Relaxed);
            Wakers::take(&self.wakers.kicked);
            let retry = self.turn().await;
            if self.wakers.stop.load(Ordering::SeqCst) {
                break;
            }
            self.wait(retry).await;
            if Wakers::take(&self.wakers.reload) {
                self.reload();
            }
        }
        if let Some(s) = self.session.take() {
            s.logout().await;
        }
    }

    fn reload(&mut self) {
        match config::load(&self.config_path) {
            Ok(new) => {
                tracing::info!("configuration reloaded");
                self.cfg = new;
                self.session = None;
            }
            Err(e) => {
                tracing::error!(error = %e, "new configuration refused; keeping the old one");
            }
        }
    }
}

/// Seconds on a clock that only moves forward (for the heartbeat).
fn monotonic_secs() -> i64 {
    static START: std::sync::OnceLock<std::time::Instant> = std::sync::OnceLock::new();
    let start = *START.get_or_init(std::time::Instant::now);
    i64::try_from(start.elapsed().as_secs()).unwrap_or(i64::MAX)
}

/// How stale the heartbeat may grow before the loop counts as stuck: one wait (at most
/// an IDLE slice or a poll) plus a turn whose every server exchange is bounded.
fn watchdog_allowance(cfg: &Loaded) -> Duration {
    let (poll, timeout) = cfg
        .config
        .imap
        .as_ref()
        .map_or((60, 30), |i| (i.poll_seconds, i.timeout_seconds));
    IDLE_SLICE.max(Duration::from_secs(poll)) + Duration::from_secs(timeout.saturating_mul(4) + 300)
}

/// Whether the watchdog may be pinged: only while the heartbeat is fresh.
pub fn heartbeat_fresh(age_secs: i64, allowed: Duration) -> bool {
    u64::try_from(age_secs).is_ok_and(|a| a <= allowed.as_secs())
}

/// Pings systemd's watchdog only while the loop's heartbeat is fresh.
fn spawn_watchdog(heartbeat: Arc<AtomicI64>, allowed: Duration) {
    let Some(timeout) = sd_notify::watchdog_enabled().filter(|t| !t.is_zero()) else {
        return;
    };
    let interval = timeout / 2;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(interval).await;
            let age = monotonic_secs() - heartbeat.load(Ordering::Relaxed);
            if heartbeat_fresh(age, allowed) {
                let _ = sd_notify::notify(&[sd_notify::NotifyState::Watchdog]);
            } else {
                tracing::error!(
                    age,
                    "the main loop is stuck; letting the watchdog restart rapport"
                );
            }
        }
    });
}
