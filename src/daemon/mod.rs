//! `rapport daemon`: the loop that keeps the queue true while you do other things.
//!
//! Each turn: sync the mailbox, plan every contact, send what is approved and due (inside
//! the window, under the cap, after one more look at the inbox per draft). Then it sleeps
//! until the earliest of: new mail (IMAP IDLE on the inbox, re-issued every few minutes),
//! the next due time of anything approved or plannable, a kick from the CLI (SIGUSR1),
//! or the poll interval where the server has no IDLE. Network errors back off with
//! jitter; a turn that fails or panics leaves the loop able to run the next one. One
//! daemon per database (a lock file holding its pid); SIGTERM lets an SMTP conversation
//! in progress finish and exits, but waits for it at most [`STOP_GRACE`] (under the
//! unit's `TimeoutStopSec=15`, so systemd never has to SIGKILL it): a draft still being
//! handed over then is marked `unknown` with the hint to settle it, and logged, before
//! the process exits. SIGHUP reloads the config, keeping the old one if the new one is
//! bad. Each turn starts by checking that the database file is still the one
//! it opened (device and inode); if it was replaced or deleted the daemon stops with an
//! error naming it (systemd starts it again on the file that is there now), and the lock
//! file records which file it has open, so the CLI never says "the daemon will send it"
//! for a daemon working on another file.
//!
//! The daemon never sends anything that was not approved; it only calls the same
//! [`crate::send::send_due`] as `rapport send`. IMAP is async (tokio) and every wait on
//! the server is bounded; the store is owned by the loop (no lock that a panic could
//! poison).

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

mod accounts;
mod guard;
pub mod memory;
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

pub use guard::{LOGIN_WARNING, LOGINS_PER_MINUTE};
pub use wake::{
    KICK_SIGNAL_NAME, NEXT_WAKEUP, TurnDone, Waited, kick, last_turn_seq, next_due, plan_wait,
    wait_for_turn, with_copy,
};

/// How long one IDLE lasts before it is re-issued (RFC 2177 asks for under 29 minutes;
/// shorter keeps the watchdog honest and the folders fresh).
pub const IDLE_SLICE: Duration = Duration::from_secs(5 * 60);

/// How long a stop (SIGTERM) waits for the turn in progress, an SMTP exchange above all
/// (whose own timeout is 30 s by default), before abandoning it: well under the unit's
/// `TimeoutStopSec=15`, leaving time to record the draft and exit.
pub const STOP_GRACE: Duration = Duration::from_secs(10);

/// The daemon's exclusive lock on a database.
pub struct DaemonLock {
    file: std::fs::File,
}

impl DaemonLock {
    /// Records in the lock file, after the pid, which database file the daemon opened.
    fn record_database(&mut self, id: FileId) -> Result<()> {
        use std::io::{Seek, Write};
        self.file.set_len(0)?;
        self.file.rewind()?;
        writeln!(self.file, "{}\n{}", std::process::id(), id)?;
        Ok(())
    }
}

/// A file's identity: the device and inode it is on, as `stat` gives them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FileId {
    dev: u64,
    ino: u64,
}

impl std::fmt::Display for FileId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.dev, self.ino)
    }
}

impl FileId {
    /// The identity of the file at `path` (symlinks followed); `None` if there is none.
    pub fn of(path: &Path) -> Option<FileId> {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(path).ok().map(|m| FileId {
            dev: m.dev(),
            ino: m.ino(),
        })
    }

    fn parse(s: &str) -> Option<FileId> {
        let (dev, ino) = s.trim().split_once(':')?;
        Some(FileId {
            dev: dev.parse().ok()?,
            ino: ino.parse().ok()?,
        })
    }
}

fn lock_path(store_path: &Path) -> PathBuf {
    crate::store::lock_path(store_path, ".daemon.lock")
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
            Ok(Some(DaemonLock { file }))
        }
        Err(std::fs::TryLockError::WouldBlock) => Ok(None),
        Err(std::fs::TryLockError::Error(e)) => {
            Err(e).with_context(|| format!("Locking {}", path.display()))
        }
    }
}

/// A daemon holding the lock beside a database.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Running {
    pub pid: String,
    /// Whether the file it has open is the one at the database's path now (false when
    /// the file was replaced or deleted since it started).
    pub same_file: bool,
}

/// The daemon holding the lock beside this database, if one does, and whether it works
/// on the file that is there now.
pub fn running_daemon(store_path: &Path) -> Result<Option<Running>> {
    let Some(text) = lock_text(store_path)? else {
        return Ok(None);
    };
    let mut lines = text.lines();
    let pid = lines.next().unwrap_or_default().trim().to_string();
    // A daemon that has not opened its database yet (or an older rapport) records no
    // file: taken as the same one.
    let same_file = match lines.next().and_then(FileId::parse) {
        Some(opened) => FileId::of(store_path) == Some(opened),
        None => true,
    };
    Ok(Some(Running { pid, same_file }))
}

/// Whether a daemon holds the lock on this database, and its pid.
pub fn running(store_path: &Path) -> Result<Option<String>> {
    Ok(lock_text(store_path)?.map(|t| t.lines().next().unwrap_or_default().trim().to_string()))
}

/// The lock file's text, if a daemon holds the lock.
fn lock_text(store_path: &Path) -> Result<Option<String>> {
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
            Ok(Some(std::fs::read_to_string(&path).unwrap_or_default()))
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
    /// The accounts after the first whose inbox changed since they were last read (their
    /// IDLE watchers mark them), so a turn logs in only to those that have news.
    changed: std::sync::Mutex<std::collections::HashSet<String>>,
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
    // The handlers come before the lock: the lock file publishes our pid, and the CLI
    // kicks that pid with SIGUSR1, whose default action would end the process.
    let wakers = Arc::new(Wakers::default());
    spawn_signal_listeners(&wakers, shutdown.clone())?;
    let Some(mut daemon_lock) = try_lock(&cfg.store_path)? else {
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
    let database = FileId::of(&cfg.store_path).with_context(|| {
        format!(
            "The database {} vanished right after it was opened",
            cfg.store_path.display()
        )
    })?;
    daemon_lock.record_database(database)?;
    spawn_stop_deadline(shutdown, cfg.store_path.clone());
    // Calendars are read on a thread of their own, off the mail path; a read that
    // changed a timeline wakes the loop so that it plans.
    let w = wakers.clone();
    let calendars =
        crate::calendar::poller::Poller::start(&cfg, Arc::new(move || w.notify.notify_one()))
            .context("Starting the calendar readers")?;
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        config = %config_path.display(),
        database = %cfg.store_path.display(),
        "rapport daemon starting"
    );
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Ready]);
    let heartbeat = Arc::new(AtomicI64::new(monotonic_secs()));
    spawn_watchdog(heartbeat.clone(), watchdog_allowance(&cfg));
    let watchers = accounts::spawn_watchers(&cfg, &wakers);
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
        database,
        guard: guard::Guard::default(),
        waiting_in_idle: None,
        calendars,
        watchers,
        other_logins: accounts::OtherLogins::default(),
        other_due: None,
    };
    daemon.seq = last_turn_seq(&daemon.store)?;
    let ran = daemon.run_loop().await;
    let _ = sd_notify::notify(&[sd_notify::NotifyState::Stopping]);
    drop(daemon_lock);
    if let Err(e) = &ran {
        tracing::error!(error = %format!("{e:#}"), "rapport daemon stopped");
    } else {
        tracing::info!("rapport daemon stopped");
    }
    ran
}

/// Whether the database file at `path` is still `opened`; an error naming the change
/// and the way out if not.
fn check_database(path: &Path, opened: FileId) -> Result<()> {
    match FileId::of(path) {
        Some(now) if now == opened => Ok(()),
        Some(now) => bail!(
            "the database {} was replaced while the daemon ran (it opened file {opened}, the path is now file {now}); stopping so that nothing is planned or sent from a copy nobody reads — systemd starts it again on the new file (or run `rapport daemon` again)",
            path.display()
        ),
        None => bail!(
            "the database {} was deleted or moved while the daemon ran; stopping so that nothing is planned or sent from a file nobody reads — restore it, or let systemd start the daemon again on a new one",
            path.display()
        ),
    }
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
    /// The database file the daemon opened.
    database: FileId,
    /// Backoff and the login cap for a server that keeps failing.
    guard: guard::Guard,
    /// How the last wait was logged (true: IDLE), so the log says each change of how
    /// the daemon waits for mail, and never keeps claiming IDLE while it polls.
    waiting_in_idle: Option<bool>,
    /// The calendar readers' threads (kicked with the loop, restarted on a reload).
    calendars: crate::calendar::poller::Poller,
    /// The IDLE watchers of the accounts after the first, one task each.
    watchers: Vec<tokio::task::JoinHandle<()>>,
    /// The logins of the turns' reads of the accounts after the first.
    other_logins: accounts::OtherLogins,
    /// When an account after the first, held back by the login cap, may be read.
    other_due: Option<jiff::Timestamp>,
}

impl Daemon {
    async fn run_loop(&mut self) -> Result<()> {
        let mut ended = Ok(());
        loop {
            if self.wakers.stop.load(Ordering::SeqCst) {
                break;
            }
            if let Err(e) = check_database(&self.cfg.store_path, self.database) {
                ended = Err(e);
                break;
            }
            self.heartbeat.store(monotonic_secs(), Ordering::Relaxed);
            if Wakers::take(&self.wakers.kicked) {
                self.calendars.kick();
            }
            let retry = self.turn().await;
            memory::give_back(&self.store);
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
        for w in self.watchers.drain(..) {
            w.abort();
        }
        ended
    }

    fn reload(&mut self) {
        match config::load(&self.config_path) {
            Ok(new) => {
                tracing::info!("configuration reloaded");
                if let Err(e) = self.calendars.reload(&new) {
                    tracing::error!(error = %e, "the calendar readers could not be restarted");
                }
                for w in self.watchers.drain(..) {
                    w.abort();
                }
                self.watchers = accounts::spawn_watchers(&new, &self.wakers);
                self.cfg = new;
                self.session = None;
            }
            Err(e) => {
                tracing::error!(error = %e, "new configuration refused; keeping the old one");
            }
        }
    }
}

/// After a stop request, gives the loop [`STOP_GRACE`] to finish; then abandons what it
/// is doing (an SMTP exchange the server is slow to answer): a draft in `sending` is
/// marked `unknown` with the hint, logged, and the process exits (1 if a draft was cut
/// off, else 0).
fn spawn_stop_deadline(mut shutdown: watch::Receiver<bool>, store_path: PathBuf) {
    tokio::spawn(async move {
        while !*shutdown.borrow() {
            if shutdown.changed().await.is_err() {
                return;
            }
        }
        tokio::time::sleep(STOP_GRACE).await;
        let cut = abandon_sending(&store_path);
        tracing::warn!(
            grace = ?STOP_GRACE,
            cut_off = cut,
            "stopping took longer than the grace period; exiting now"
        );
        std::process::exit(i32::from(cut > 0));
    });
}

/// Marks the drafts left in `sending` `unknown` with the hint, logging each; returns
/// how many.
fn abandon_sending(store_path: &Path) -> usize {
    let ids = crate::clock::now()
        .and_then(|now| Store::open(store_path).and_then(|s| s.recover_interrupted(now)));
    match ids {
        Ok(ids) => {
            for id in &ids {
                tracing::error!(
                    draft = id,
                    "stopped while the server was still taking this draft: it may or may not have arrived, so it is `unknown` and never resent on its own; check your Sent folder, then `rapport queue resolve {id} sent` or `rapport queue resolve {id} not-sent`"
                );
            }
            ids.len()
        }
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "could not record the draft being sent as unknown; the next start does");
            1
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
