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

/// Found by the walk: a second request to someone, drafted just before their answer to
/// the first one was read, went out once approved. rapport compared the second the draft
/// was made with the second the answer was read (the daemon's turn start), and a tie, or
/// a turn that had started before the draft, read as "the answer came first". Here the
/// draft is made, then the answer read, in the same second.
#[test]
fn an_answer_read_after_a_draft_was_made_in_the_same_second_stops_it() {
    let mut env = Env::with_maildir();
    env.add_contact("jessica@example.com", "Jessica Park");
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let asked = crate::cli_loop::sent_message_id(&env);
    // A second request, drafted before her answer to the first is read.
    env.now = "2026-11-23T10:00:01Z".into();
    env.rapport(&["request", "jessica"]).ok();
    env.deliver(
        "1764100000.jessica.example:2,",
        &format!(
            "From: Jessica Park <jessica@example.com>\nTo: Ada Lovelace <ada@example.org>\nSubject: Re: 25 minutes?\nDate: Mon, 23 Nov 2026 10:00:00 +0000\nMessage-ID: <jp-1@mail.example.com>\nIn-Reply-To: <{asked}>\nReferences: <{asked}>\n\nSure, happy to talk next week.\n"
        ),
    );
    env.rapport(&["sync"]).ok();
    // The user approves it anyway: it must not go out.
    let approve = env.rapport(&["queue", "approve", "2"]);
    env.rapport(&["send"]).ok();
    assert_eq!(
        env.outbox_files().len(),
        1,
        "the second request went out after her answer was read\n{}{}\n{:#?}",
        approve.stdout,
        approve.stderr,
        env.drafts()
    );
}
