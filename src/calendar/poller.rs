//! The daemon's calendar readers: one thread per calendar (each with its own database
//! connection), so a calendar server that hangs stalls neither mail nor the other
//! calendars. Each calendar is read every `poll_minutes`, at once on a kick (`rapport
//! sync` signals the daemon), and after a failure again with backoff (2 s doubling,
//! never later than its interval); every read is bounded by the HTTP timeouts.
//!
//! It must never log a calendar's address; it logs "calendar 'NAME'" and counts.

use std::sync::{Arc, Condvar, Mutex, PoisonError};
use std::time::{Duration, Instant};

use crate::config::{CalendarCfg, Loaded};
use crate::store::Store;

#[derive(Default)]
struct Shared {
    kicks: u64,
    stop: bool,
}

type Signal = Arc<(Mutex<Shared>, Condvar)>;

/// What the daemon calls after a read that changed a timeline.
pub type OnWritten = Arc<dyn Fn() + Send + Sync>;

/// The calendar threads of one configuration.
pub struct Poller {
    signal: Signal,
    written: OnWritten,
}

impl Poller {
    /// Starts a thread for each calendar of `cfg`; `written` is called after a read
    /// that changed a timeline (the daemon plans then).
    pub fn start(cfg: &Loaded, written: OnWritten) -> std::io::Result<Poller> {
        let signal: Signal = Arc::default();
        for cal in &cfg.config.calendars {
            let (cfg, cal, signal, written) =
                (cfg.clone(), cal.clone(), signal.clone(), written.clone());
            std::thread::Builder::new()
                .name(format!("calendar {}", cal.name))
                .spawn(move || run(&cfg, &cal, &signal, written.as_ref()))?;
        }
        Ok(Poller { signal, written })
    }

    fn update(&self, f: impl FnOnce(&mut Shared)) {
        let (lock, cvar) = &*self.signal;
        let mut s = lock.lock().unwrap_or_else(PoisonError::into_inner);
        f(&mut s);
        cvar.notify_all();
    }

    /// Reads every calendar now (each as soon as its read in progress, if any, ends).
    pub fn kick(&self) {
        self.update(|s| s.kicks += 1);
    }

    /// Stops these threads and starts those of `cfg`.
    pub fn reload(&mut self, cfg: &Loaded) -> std::io::Result<()> {
        let fresh = Poller::start(cfg, self.written.clone())?;
        *self = fresh;
        Ok(())
    }
}

impl Drop for Poller {
    /// Stops the threads after the read in progress (never waited for: a read is
    /// bounded by its timeouts, and the process may exit first).
    fn drop(&mut self) {
        self.update(|s| s.stop = true);
    }
}

fn backoff(failures: u32) -> Duration {
    Duration::from_secs(2u64.saturating_pow(failures.min(12)))
}

/// Reads one calendar; when it is next due, and whether it wrote anything. `None`
/// when the clock cannot be read (the thread then ends).
fn read_once(
    cfg: &Loaded,
    cal: &CalendarCfg,
    store: &mut Store,
    failures: &mut u32,
) -> Option<(Instant, bool)> {
    let interval = Duration::from_secs(u64::from(cal.poll_minutes) * 60);
    let now = match crate::clock::now() {
        Ok(n) => n,
        Err(e) => {
            tracing::error!(error = %format!("{e:#}"), "calendars: cannot read the clock");
            return None;
        }
    };
    match crate::calendar::read(cfg, cal, store, now) {
        Ok(o) => {
            *failures = 0;
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
            Some((Instant::now() + interval, o.written > 0))
        }
        Err(e) => {
            *failures += 1;
            let wait = backoff(*failures).min(interval);
            tracing::warn!(calendar = %cal.name, error = %format!("{e:#}"), retry_in_s = wait.as_secs(), "calendar read failed");
            Some((Instant::now() + wait, false))
        }
    }
}

fn run(cfg: &Loaded, cal: &CalendarCfg, signal: &Signal, written: &(dyn Fn() + Send + Sync)) {
    let mut store = match Store::open(&cfg.store_path) {
        Ok(s) => s,
        Err(e) => {
            tracing::error!(calendar = %cal.name, error = %format!("{e:#}"), "cannot open the database; this calendar is not read");
            return;
        }
    };
    let (lock, cvar) = &**signal;
    let mut seen = lock.lock().unwrap_or_else(PoisonError::into_inner).kicks;
    let mut next = Instant::now();
    let mut failures = 0;
    loop {
        let (kicked, stop) = {
            let s = lock.lock().unwrap_or_else(PoisonError::into_inner);
            let kicked = s.kicks != seen;
            seen = s.kicks;
            (kicked, s.stop)
        };
        if stop {
            return;
        }
        if kicked || Instant::now() >= next {
            let Some((due, wrote)) = read_once(cfg, cal, &mut store, &mut failures) else {
                return;
            };
            next = due;
            if wrote {
                written();
            }
        }
        let wait = next
            .saturating_duration_since(Instant::now())
            .max(Duration::from_millis(100));
        let s = lock.lock().unwrap_or_else(PoisonError::into_inner);
        let _ = cvar
            .wait_timeout_while(s, wait, |s| !s.stop && s.kicks == seen)
            .unwrap_or_else(PoisonError::into_inner);
    }
}
