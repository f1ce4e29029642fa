//! What the walk found, each held by a focused test of its own.

use std::time::{Duration, Instant};

use crate::util::Env;
use crate::util::daemon::Daemon;

/// Found by the walk: a `rapport send` (or any command that kicks the daemon) right
/// after the daemon started killed it. The daemon wrote its pid into its lock file, where
/// the CLI finds whom to kick, before it handled SIGUSR1, whose default action ends the
/// process. A kick the moment the pid is there must wake it, never end it.
/// How long the daemon must go on living after the kick.
const MOMENT: Duration = Duration::from_millis(300);

#[test]
fn a_kick_the_moment_the_daemon_starts_does_not_kill_it() {
    for round in 1..=3 {
        // A new database each round: its migrations make the start slower.
        let env = Env::new();
        let lock = env
            .home()
            .join(".local/share/rapport/rapport.db.daemon.lock");
        let d = Daemon::start(&env, "warn,rapport=info", &[]);
        let pid = d.id().to_string();
        let start = Instant::now();
        while std::fs::read_to_string(&lock)
            .map_or(true, |t| t.lines().next() != Some(pid.as_str()))
        {
            assert!(
                d.alive(),
                "round {round}: {:?}\n{}",
                d.exit_status(),
                d.log()
            );
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "round {round}: the daemon never wrote its pid into {lock:?}\n{}",
                d.log()
            );
        }
        d.signal("USR1");
        let start = Instant::now();
        while !d.log().contains("rapport daemon starting") || start.elapsed() < MOMENT {
            if let Some(status) = d.exit_status() {
                panic!(
                    "round {round}: a kick as it started ended the daemon ({status})\n{}",
                    d.log()
                );
            }
            assert!(
                start.elapsed() < Duration::from_secs(30),
                "round {round}: no start line\n{}",
                d.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        d.stop_within_ten_seconds();
    }
}
