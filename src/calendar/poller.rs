//! The daemon's calendar reader: one thread of its own (with its own database
//! connection), so a calendar server that hangs never stalls mail. Each calendar is
//! read every `poll_minutes`, at once on a kick (`rapport sync` signals the daemon), and
//! after a failure again with backoff (2 s doubling, never later than its interval).
//!
//! It must never log a calendar's address; it logs "calendar 'NAME'" and counts.

use std::collections::BTreeMap;
use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::Loaded;
use crate::store::Store;

#[derive(Default)]
struct Shared {
    kicked: bool,
    stop: bool,
    config: Option<Loaded>,
}

type Signal = Arc<(Mutex<Shared>, Condvar)>;

/// A handle on the calendar thread.
pub struct Poller {
    signal: Signal,
}

impl Poller {
    /// Starts the thread for the calendars of `cfg`; `written` is called after a read
    /// that changed a timeline (the daemon plans then).
    pub fn start(cfg: Loaded, written: Box<dyn Fn() + Send>) -> std::io::Result<Poller> {
        let signal: Signal = Arc::default();
        let inner = signal.clone();
        std::thread::Builder::new()
            .name("calendars".into())
            .spawn(move || run(cfg, &inner, written.as_ref()))?;
        Ok(Poller { signal })
    }

    fn update(&self, f: impl FnOnce(&mut Shared)) {
        let (lock, cvar) = &*self.signal;
        let mut s = lock.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut s);
        cvar.notify_all();
    }

    /// Reads every calendar now.
    pub fn kick(&self) {
        self.update(|s| s.kicked = true);
    }

    /// Uses a new configuration from the next read on.
    pub fn reload(&self, cfg: Loaded) {
        self.update(|s| {
            s.config = Some(cfg);
            s.kicked = true;
        });
    }
}

impl Drop for Poller {
    /// Stops the thread after the read in progress (never waited for: a read is
    /// bounded by its timeouts, and the process may exit first).
    fn drop(&mut self) {
        self.update(|s| s.stop = true);
    }
}

fn backoff(failures: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(failures.min(12)))
}

fn run(mut cfg: Loaded, signal: &Signal, written: &dyn Fn()) {
    if cfg.config.calendars.is_empty() {
        tracing::debug!("no calendars configured");
    }
    let mut store = match Store::open(&cfg.store_path) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "calendars: cannot open the database; calendars are not read");
            return;
        }
    };
    let mut next: BTreeMap<String, Instant> = BTreeMap::new();
    let mut failures: BTreeMap<String, u32> = BTreeMap::new();
    loop {
        let (kicked, stop, new_cfg) = {
            let (lock, _) = &**signal;
            let mut s = lock.lock().unwrap_or_else(PoisonError::into_inner);
            (std::mem::take(&mut s.kicked), s.stop, s.config.take())
        };
        if stop {
            return;
        }
        if let Some(c) = new_cfg {
            cfg = c;
        }
        let mut changed = false;
        for cal in &cfg.config.calendars {
            let due = next.get(&cal.name).is_none_or(|t| Instant::now() >= *t);
            if !(kicked || due) {
                continue;
            }
            let interval = Duration::from_secs(u64::from(cal.poll_minutes) * 60);
            let now = match crate::clock::now() {
                Ok(n) => n,
                Err(e) => {
                    tracing::error!(error = %format!("{e:#}"), "calendars: cannot read the clock");
                    return;
                }
            };
            match crate::calendar::read(&cfg, cal, &mut store, now) {
                Ok(o) => {
                    failures.remove(&cal.name);
                    next.insert(cal.name.clone(), Instant::now() + interval);
                    changed |= o.written > 0;
                    tracing::info!(
                        calendar = %cal.name,
                        requests = o.requests,
                        unchanged = o.unchanged,
                        events = o.occurrences,
                        with_contacts = o.meetings,
                        written = o.written,
                        "calendar read"
                    );
                    for n in &o.notes {
                        tracing::warn!(calendar = %cal.name, note = %n, "calendar read in part");
                    }
                }
                Err(e) => {
                    let n = failures.entry(cal.name.clone()).or_default();
                    *n += 1;
                    let wait = backoff(*n).min(interval);
                    next.insert(cal.name.clone(), Instant::now() + wait);
                    tracing::warn!(calendar = %cal.name, error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "calendar read failed");
                }
            }
        }
        if changed {
            written();
        }
        let wait = next
            .values()
            .min()
            .map_or(Duration::from_secs(3600), |t| {
                t.saturating_duration_since(Instant::now())
            })
            .max(Duration::from_millis(200));
        let (lock, cvar) = &**signal;
        let s = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = cvar
            .wait_timeout_while(s, wait, |s| !s.kicked && !s.stop && s.config.is_none())
            .unwrap_or_else(PoisonError::into_inner);
    }
}
