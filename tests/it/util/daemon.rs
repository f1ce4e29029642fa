//! `rapport daemon` as a child process for the tests that watch it work: started with
//! its log in a file, stopped (and reaped) however the test ends, and the waits that
//! poll it, which fail at once if it died and show its log when they time out.

use std::cell::RefCell;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::Env;

/// A daemon process that is killed and reaped when dropped.
pub struct Daemon {
    // In a RefCell so that a wait's closure can look at the daemon too.
    child: RefCell<Child>,
    log: PathBuf,
}

impl Daemon {
    /// `rapport daemon` in `env`, logging at `filter` (a `RAPPORT_LOG` value) to
    /// `daemon.log` in its HOME, with `extra` environment variables.
    pub fn start(env: &Env, filter: &str, extra: &[(&str, &str)]) -> Daemon {
        let log = env.home().join("daemon.log");
        let mut cmd = env.command(&["daemon"]);
        cmd.env("RAPPORT_LOG", filter)
            .stdout(Stdio::null())
            .stderr(std::fs::File::create(&log).unwrap());
        for (k, v) in extra {
            cmd.env(k, v);
        }
        Daemon {
            child: RefCell::new(cmd.spawn().unwrap()),
            log,
        }
    }

    pub fn id(&self) -> u32 {
        self.child.borrow().id()
    }

    /// What it has logged so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    pub fn alive(&self) -> bool {
        self.child.borrow_mut().try_wait().unwrap().is_none()
    }

    /// How it ended (`None` while it runs): a daemon that died without a line in its
    /// log was usually killed by a signal, which this names.
    pub fn exit_status(&self) -> Option<std::process::ExitStatus> {
        self.child.borrow_mut().try_wait().unwrap()
    }

    /// Sends `signal` (a name such as `HUP`) with kill(1).
    pub fn signal(&self, signal: &str) {
        let pid = self.id().to_string();
        let ok = Command::new("kill")
            .args([&format!("-{signal}"), &pid])
            .status()
            .unwrap()
            .success();
        assert!(ok, "kill -{signal} {pid}");
    }

    /// Polls `f` every 50 ms until it holds; panics with the daemon's log if the daemon
    /// exits first or after `limit`.
    pub fn wait_until(&self, what: &str, limit: Duration, mut f: impl FnMut() -> bool) {
        let start = Instant::now();
        while !f() {
            assert!(
                self.alive(),
                "the daemon exited while waiting for {what}; log:\n{}",
                self.log()
            );
            if start.elapsed() > limit {
                panic!(
                    "timed out after {limit:?} waiting for {what}; daemon log:\n{}",
                    self.log()
                );
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGTERM, then the daemon must exit with success within 10 seconds.
    pub fn stop_within_ten_seconds(&self) {
        let start = Instant::now();
        self.signal("TERM");
        let status = loop {
            let exited = self.child.borrow_mut().try_wait().unwrap();
            if let Some(st) = exited {
                break st;
            }
            assert!(
                start.elapsed() < Duration::from_secs(10),
                "SIGTERM must stop it within 10 s; log:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(50));
        };
        assert!(status.success(), "{status:?}; log:\n{}", self.log());
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        let child = self.child.get_mut();
        let _ = child.kill();
        let _ = child.wait();
    }
}
