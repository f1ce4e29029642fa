//! `rapport daemon`: the loop that keeps the queue true while you do other things.
//!
//! Each turn: sync the mailbox (blocking IMAP in `spawn_blocking`), plan every contact,
//! send what is approved and due (inside the window, under the cap), then wait — in IMAP
//! IDLE on the inbox where the server has it (re-issued well before 29 minutes), else for
//! `poll_seconds`. Network errors back off with jitter. One daemon per database (a lock
//! file); SIGTERM lets an SMTP conversation in progress finish and exits; SIGHUP reloads
//! the config, keeping the old one if the new one is bad.
//!
//! The daemon never sends anything that was not approved; it only calls the same
//! [`crate::send::send_due`] as `rapport send`.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicI64, Ordering};
use std::time::Duration;

use anyhow::{Context, Result, bail};
use tokio::sync::watch;

use crate::config::{self, Loaded};
use crate::mail::imap;
use crate::store::Store;

/// How long one IDLE lasts before it is re-issued (RFC 2177 asks for under 29 minutes;
/// shorter keeps the watchdog honest).
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
    let base = 2u64.saturating_pow(failures.min(8)).min(300);
    let jitter = fastrand::f64() * 0.5 + 0.75;
    Duration::from_secs_f64((base as f64 * jitter).max(1.0))
}

/// Runs the daemon until SIGTERM/SIGINT (or `shutdown` is set to true).
pub async fn run(config_path: PathBuf, mut shutdown: watch::Receiver<bool>) -> Result<()> {
    let mut cfg = config::load(&config_path)?;
    let _daemon_lock = match try_lock(&cfg.store_path)? {
        Some(l) => l,
        None => {
            let pid = running(&cfg.store_path)?.unwrap_or_default();
            bail!(
                "another rapport daemon (pid {pid}) is already running on {}; stop it first (systemctl --user stop rapport)",
                cfg.store_path.display()
            );
        }
    };
    let Some(send_lock) = crate::send::try_lock(&cfg.store_path)? else {
        bail!("a `rapport send` is running right now; start the daemon when it is done");
    };
    let store = Store::open(&cfg.store_path)?;
    let store = Arc::new(std::sync::Mutex::new(store));
    let send_lock = Arc::new(send_lock);
    let stopping = Arc::new(AtomicBool::new(false));
    let heartbeat = Arc::new(AtomicI64::new(jiff::Timestamp::now().as_second()));

    // The moment a stop is asked for, work in progress (a sync batch loop, the send
    // loop) sees it and winds down; an SMTP conversation already begun is finished.
    {
        let stopping = stopping.clone();
        let mut rx = shutdown.clone();
        tokio::spawn(async move {
            while rx.changed().await.is_ok() {
                if *rx.borrow() {
                    stopping.store(true, Ordering::SeqCst);
                    break;
                }
            }
        });
    }
    let mut hup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())
        .context("Installing the SIGHUP handler")?;

    tracing::info!(config = %config_path.display(), store = %cfg.store_path.display(), "rapport daemon starting");
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Ready]);
    spawn_watchdog(heartbeat.clone());

    let mut session: Option<imap::Session> = None;
    let mut failures: u32 = 0;
    loop {
        if *shutdown.borrow() {
            break;
        }
        heartbeat.store(jiff::Timestamp::now().as_second(), Ordering::Relaxed);
        let turn = one_turn(
            &cfg,
            store.clone(),
            send_lock.clone(),
            stopping.clone(),
            session.take(),
        )
        .await;
        let wait = match turn {
            Ok(s) => {
                failures = 0;
                session = s;
                None
            }
            Err(e) => {
                failures = failures.saturating_add(1);
                let wait = backoff(failures);
                tracing::warn!(error = %format!("{e:#}"), retry_in = ?wait, "turn failed");
                record_error(&store, &format!("{e:#}"));
                Some(wait)
            }
        };
        if *shutdown.borrow() {
            break;
        }
        // Wait for mail, the next poll, a signal, or the backoff.
        let poll = cfg
            .config
            .imap
            .as_ref()
            .map(|i| Duration::from_secs(i.poll_seconds))
            .unwrap_or(Duration::from_secs(60));
        let wait_for = wait.unwrap_or(poll.min(IDLE_SLICE));
        let idle = match (wait, session.take()) {
            (None, Some(s)) if s.idle_supported => Some(tokio::task::spawn_blocking(move || {
                let mut s = s;
                let r = s.examine("INBOX").and_then(|_| s.idle(IDLE_SLICE));
                (s, r)
            })),
            (_, s) => {
                session = s;
                None
            }
        };
        tokio::select! {
            _ = shutdown.changed() => {}
            _ = hup.recv() => {
                match config::load(&config_path) {
                    Ok(new) => {
                        tracing::info!("configuration reloaded");
                        cfg = new;
                        session = None;
                    }
                    Err(e) => tracing::error!(error = %e, "new configuration refused; keeping the old one"),
                }
            }
            r = async {
                match idle {
                    Some(handle) => handle.await.ok(),
                    None => { tokio::time::sleep(wait_for).await; None }
                }
            } => {
                if let Some((s, res)) = r {
                    match res {
                        Ok(changed) => {
                            tracing::debug!(changed, "IDLE ended");
                            session = Some(s);
                        }
                        Err(e) => tracing::info!(error = %e, "IDLE ended with an error; reconnecting"),
                    }
                }
            }
        }
    }
    stopping.store(true, Ordering::SeqCst);
    tracing::info!("rapport daemon stopped");
    let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Stopping]);
    Ok(())
}

fn record_error(store: &Arc<std::sync::Mutex<Store>>, e: &str) {
    if let Ok(s) = store.lock()
        && let Ok(now) = crate::clock::now()
    {
        let _ = s.set_state("last_error", e, now);
    }
}

/// Pings systemd's watchdog only while the loop's heartbeat is fresh.
fn spawn_watchdog(heartbeat: Arc<AtomicI64>) {
    let mut usec = 0;
    if !sd_notify::watchdog_enabled(false, &mut usec) || usec == 0 {
        return;
    }
    let interval = Duration::from_micros(usec / 2);
    // The loop may legitimately spend an IDLE slice plus a sync between heartbeats.
    let allowed = (IDLE_SLICE + Duration::from_secs(300)).as_secs() as i64;
    tokio::spawn(async move {
        loop {
            tokio::time::sleep(interval).await;
            let age = jiff::Timestamp::now().as_second() - heartbeat.load(Ordering::Relaxed);
            if age <= allowed {
                let _ = sd_notify::notify(false, &[sd_notify::NotifyState::Watchdog]);
            } else {
                tracing::error!(
                    age,
                    "the main loop is stuck; letting the watchdog restart rapport"
                );
            }
        }
    });
}

/// One turn: sync, plan, send. Returns the IMAP session for the wait.
async fn one_turn(
    cfg: &Loaded,
    store: Arc<std::sync::Mutex<Store>>,
    send_lock: Arc<crate::send::SendLock>,
    stopping: Arc<AtomicBool>,
    session: Option<imap::Session>,
) -> Result<Option<imap::Session>> {
    let cfg = cfg.clone();
    tokio::task::spawn_blocking(move || -> Result<Option<imap::Session>> {
        let now = crate::clock::now()?;
        let mut guard = store
            .lock()
            .map_err(|_| anyhow::anyhow!("the store lock was poisoned"))?;
        let store = &mut *guard;
        let mut session = session;
        let stop = || stopping.load(Ordering::SeqCst);
        if let Some(icfg) = &cfg.config.imap {
            let username = icfg
                .username
                .clone()
                .unwrap_or_else(|| cfg.config.identity.email.clone());
            let account = crate::mail::sync::imap_account(icfg, &username);
            let mut s = match session.take() {
                Some(s) => s,
                None => imap::Session::connect(icfg, &username)?,
            };
            let folders = s.folders()?;
            for folder in crate::mail::sync::choose_folders(icfg, &folders) {
                if stop() {
                    return Ok(None);
                }
                match crate::mail::sync::sync_folder(store, &cfg, &mut s, &account, &folder, now, &stop) {
                    Ok(r) if r.new > 0 => tracing::info!(folder = %r.folder, new = r.new, interactions = r.interactions, "synced"),
                    Ok(_) => {}
                    Err(e) => {
                        store.set_sync_error(&account, &folder, &format!("{e:#}"))?;
                        return Err(e);
                    }
                }
            }
            session = Some(s);
            crate::mail::sync::confirm_unknown(store, now)?;
        }
        if stop() {
            return Ok(session);
        }
        if cfg.config.maildir.is_some() {
            crate::mail::maildir::sync_maildir(store, &cfg, now)?;
        }
        let plan = crate::planning::plan_all(store, &cfg, now)?;
        for e in &plan.errors {
            tracing::warn!(error = %e, "could not draft");
        }
        let report = crate::send::send_due(store, &cfg, now, &send_lock, &mut |_, _| Ok(crate::send::Verdict::Proceed), &stop)?;
        for id in &report.sent {
            tracing::info!(draft = id, "sent");
        }
        if let Some(h) = &report.held {
            tracing::debug!(reason = %h, "sending held");
        }
        crate::digest::maybe_send(store, &cfg, now);
        store.set_state("last_turn", &crate::store::fmt_ts(now), now)?;
        Ok(session)
    })
    .await
    .context("The daemon's worker stopped")?
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_grows_and_is_bounded() {
        for f in 0..20 {
            let d = backoff(f);
            assert!(d >= Duration::from_secs(1), "{f}: {d:?}");
            assert!(d <= Duration::from_secs(375), "{f}: {d:?}");
        }
        assert!(backoff(1) < Duration::from_secs(3));
        assert!(backoff(12) >= Duration::from_secs(225));
    }

    #[test]
    fn second_daemon_is_refused() {
        let dir = tempfile::tempdir().unwrap();
        let db = dir.path().join("r.db");
        let a = try_lock(&db).unwrap();
        assert!(a.is_some());
        assert!(try_lock(&db).unwrap().is_none());
        assert_eq!(running(&db).unwrap(), Some(std::process::id().to_string()));
        drop(a);
        assert_eq!(running(&db).unwrap(), None);
    }
}
