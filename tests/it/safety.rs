//! The safety findings of issue 20 (items 3, 4, 10–13) held end to end: `rapport send`
//! looks at the mailbox again before each draft of a batch (against the real Dovecot
//! and SMTP servers), draft ids and `approve --all` listings never match a draft nobody
//! was shown, and the lower findings (a newer schema refused before it is touched, a
//! read-only data directory, the password kept from child commands, bounded imports).

use std::time::{Duration, Instant};

use crate::support::TestServers;
use crate::util::Env;

/// Runs rapport, killing it if it has not ended within `limit` (the code before the
/// fix ran forever here): its output, and whether it ended by itself.
fn run_within(env: &Env, args: &[&str], limit: Duration) -> (std::process::Output, bool) {
    let mut child = env
        .command(args)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let start = Instant::now();
    let ended = loop {
        if child.try_wait().unwrap().is_some() {
            break true;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            break false;
        }
        std::thread::sleep(Duration::from_millis(50));
    };
    (child.wait_with_output().unwrap(), ended)
}

fn wait_for(what: &str, limit: Duration, f: impl Fn() -> bool) {
    let start = Instant::now();
    while !f() {
        assert!(start.elapsed() < limit, "waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Issue 20.3: a reply that lands while `rapport send` is going through its batch
/// withdraws the drafts after it (the CLI looks again before each draft, as the
/// daemon does); the draft sent before the reply went out, the one after did not.
#[test]
fn a_reply_landing_during_a_cli_batch_withdraws_the_next_draft() {
    let s = TestServers::start();
    let mut env = Env::with_config(&s.rapport_config());
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.add_contact(&s.account("carol").address, "Carol Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["request", "carol"]).ok();
    env.rapport(&["queue", "approve", "1", "2"]).ok();
    env.now = "2026-11-23T10:05:00Z".into();
    let gate = env.home().join("gate");
    let waiting = env.home().join("gate.waiting");
    let child = env
        .command(&["send"])
        .env("RAPPORT_TEST_SEND_GATE", &gate)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    // The gate opens after the first draft went out, before the second is looked at.
    wait_for("the batch's second look", Duration::from_secs(60), || {
        waiting.exists()
    });
    assert_eq!(s.sent_messages().len(), 1, "the first draft went out");
    s.deliver(
        "me",
        b"From: Carol Example <carol@example.test>\r\nTo: me@example.test\r\nSubject: catching up\r\nDate: Mon, 23 Nov 2026 10:03:00 +0000\r\nMessage-ID: <carol-during-batch@example.test>\r\n\r\nHi Ada, are you free for a coffee next week?\r\n",
    );
    std::fs::write(&gate, b"").unwrap();
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(env.draft(1)["status"], "sent", "{stdout}");
    let second = env.draft(2);
    assert_eq!(second["status"], "superseded", "{stdout}\n{second}");
    assert!(stdout.contains("Withdrew 2"), "{stdout}");
    let delivered = s.sent_messages();
    assert_eq!(delivered.len(), 1, "nothing went to Carol after her mail");
    assert!(String::from_utf8_lossy(&delivered[0]).contains("bob@example.test"));
}

/// Issue 20.4: `contacts remove` deletes the contact's drafts; a draft made after that
/// never takes the id of one a listing showed, and `approve --all` from that old
/// listing approves nothing it did not show.
#[test]
fn approve_all_from_an_old_listing_never_approves_a_draft_it_did_not_show() {
    let env = Env::new();
    env.request("bob@example.test", "Bob Example");
    let listed = env.rapport(&["queue"]).ok();
    assert!(listed.stdout.contains("Bob Example"), "{}", listed.stdout);
    env.rapport(&["contacts", "remove", "bob", "--yes"]).ok();
    env.request("carol@example.test", "Carol Example");
    // No listing since: `queue show` does not record one.
    env.rapport(&["queue", "show", "1"]).fails();
    let carol = env.draft(2);
    assert_eq!(carol["to"], "carol@example.test", "{carol}");
    let r = env.rapport(&["queue", "approve", "--all"]).ok();
    assert!(r.stdout.contains("Not approving 2"), "{}", r.stdout);
    assert!(r.stdout.contains("Nothing approved"), "{}", r.stdout);
    assert_eq!(env.draft(2)["status"], "pending");
    // Listed now, it is approved.
    env.rapport(&["queue"]).ok();
    env.rapport(&["queue", "approve", "--all"]).ok();
    assert_eq!(env.draft(2)["status"], "approved");
}

/// Issue 20.10: the database replaced under a running daemon (a backup restored over
/// it): the CLI does not promise that the daemon will send what it approves, `status`
/// says so, and the daemon stops at its next turn with an error naming the file.
#[test]
fn a_daemon_whose_database_was_replaced_stops_and_promises_nothing() {
    use crate::util::daemon::Daemon;
    let env = Env::new();
    env.request("bob@example.test", "Bob Example");
    env.request("carol@example.test", "Carol Example");
    // A copy of the database as it is now (the CLI closed it: no WAL left over).
    let db = env.db_path();
    let backup = db.with_file_name("backup.db");
    std::fs::copy(&db, &backup).unwrap();
    let d = Daemon::start(&env, "warn,rapport=info", &[]);
    d.wait_until("its first turn", Duration::from_secs(30), || {
        env.rapport(&["status", "--json"]).json()["daemon"]["last_turn"].is_string()
    });
    let r = env.rapport(&["queue", "approve", "2"]).ok();
    assert!(r.stdout.contains("the daemon will send it"), "{}", r.stdout);
    // The backup is restored over the live file.
    for side in ["-wal", "-shm"] {
        let mut p = db.clone().into_os_string();
        p.push(side);
        let _ = std::fs::remove_file(p);
    }
    std::fs::rename(&backup, &db).unwrap();
    // The daemon may notice at a turn of its own at any moment and stop; while it has
    // not, the CLI must say it works on the old file. Never may it claim it sends.
    let status = env.rapport(&["status"]).ok().stdout;
    assert!(!status.contains("Daemon: running"), "{status}");
    if d.alive() {
        assert!(
            status.contains("still runs on the file this database replaced"),
            "{status}"
        );
    }
    let r = env.rapport(&["queue", "approve", "1"]).ok();
    assert!(
        !r.stdout.contains("the daemon will send it"),
        "{}",
        r.stdout
    );
    if d.alive() {
        assert!(r.stdout.contains("runs on an older file"), "{}", r.stdout);
    }
    let start = Instant::now();
    while d.alive() {
        assert!(
            start.elapsed() < Duration::from_secs(30),
            "the daemon did not stop; log:\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    assert!(
        d.log().contains("was replaced while the daemon ran"),
        "{}",
        d.log()
    );
    // A daemon started again works on the file that is there now.
    let again = Daemon::start(&env, "warn,rapport=info", &[]);
    again.wait_until("it sends the draft", Duration::from_secs(30), || {
        env.draft(1)["status"] == "sent"
    });
}

/// Issue 20.13: a second daemon reaching the same database through a symlink is
/// refused (the lock is taken on the real path).
#[test]
fn a_second_daemon_through_a_symlinked_path_is_refused() {
    use crate::util::daemon::Daemon;
    let env = Env::new();
    env.request("bob@example.test", "Bob Example");
    let first = Daemon::start(&env, "warn,rapport=info", &[]);
    first.wait_until("its first turn", Duration::from_secs(30), || {
        env.rapport(&["status", "--json"]).json()["daemon"]["last_turn"].is_string()
    });
    let link = env.home().join("elsewhere.db");
    std::os::unix::fs::symlink(env.db_path(), &link).unwrap();
    let path = format!("[store]\npath = \"{}\"\n", link.display());
    env.edit_config(|t| {
        if t.contains("[store]\n") {
            t.replacen("[store]\n", &path, 1)
        } else {
            format!("{t}\n{path}")
        }
    });
    let (out, ended) = run_within(&env, &["daemon"], Duration::from_secs(20));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(ended, "a second daemon ran on the same database: {stderr}");
    assert!(!out.status.success());
    assert!(stderr.contains("already running"), "{stderr}");
    assert!(first.alive());
}

/// Issue 20.11: SIGTERM while the server sits on the end of DATA (its reply slower than
/// the unit's `TimeoutStopSec=15`; the SMTP timeout is 30 s): the daemon exits within
/// the stop timeout, and the draft it was handing over is `unknown` with the hint to
/// settle it, in the store and in the log — never left `sending` or lost silently.
#[test]
fn sigterm_during_a_slow_end_of_data_exits_in_time_and_leaves_unknown() {
    use crate::util::daemon::Daemon;
    let s = TestServers::start();
    let env = Env::with_config(
        &s.rapport_config()
            .replace("timeout_seconds = 10", "timeout_seconds = 30"),
    );
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    s.set_faults(r#"{"data:*": [{"delay": 60}]}"#);
    let d = Daemon::start(&env, "warn,rapport=info", &[]);
    d.wait_until("it watches the mailbox", Duration::from_secs(30), || {
        d.log().contains("watching the mailbox")
    });
    env.rapport(&["queue", "approve", "1"]).ok();
    d.wait_until(
        "the server sits on the data",
        Duration::from_secs(30),
        || !s.smtp_events("fault").is_empty(),
    );
    let stopped = Instant::now();
    d.signal("TERM");
    while d.alive() {
        assert!(
            stopped.elapsed() < Duration::from_secs(15),
            "still running 15 s after SIGTERM: systemd would SIGKILL it; log:\n{}",
            d.log()
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    println!("SIGTERM to exit: {:?}", stopped.elapsed());
    let draft = env.draft(1);
    assert_eq!(draft["status"], "unknown", "{draft}");
    assert!(
        draft["note"]
            .as_str()
            .unwrap()
            .contains("check your Sent folder"),
        "{draft}"
    );
    assert!(
        d.log().contains("rapport queue resolve 1 sent"),
        "{}",
        d.log()
    );
    // Settling it says what each answer risks.
    let r = env.rapport(&["queue", "resolve", "1", "not-sent"]).ok();
    assert!(
        r.stdout.contains("approving sends it a second time"),
        "{}",
        r.stdout
    );
}

/// Issue 20.12: with `save_sent = "never"` and a provider that files no copy of what
/// rapport sent (the test SMTP server files none), `doctor` says an interrupted send
/// cannot be checked, and how to fix it.
#[test]
fn doctor_says_unknowns_cannot_be_checked_without_any_copy() {
    let s = TestServers::start();
    let env = Env::with_config(&format!("{}save_sent = \"never\"\n", s.rapport_config()));
    let before = env.rapport(&["doctor"]).stdout;
    assert!(
        before.contains("ok    checking interrupted sends: save_sent = \"never\""),
        "{before}"
    );
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    env.rapport(&["sync"]).ok();
    let after = env.rapport(&["doctor"]).stdout;
    assert!(
        after.contains("FAIL  checking interrupted sends: no copy of the 1 email(s) rapport sent"),
        "{after}"
    );
    assert!(after.contains("save_sent = \"auto\""), "{after}");
}

/// Issue 20.13: the SMTP password given by `password_env` is not passed on to the
/// commands rapport starts (here the IMAP password command records what it inherited).
#[test]
fn the_password_from_the_environment_is_kept_from_child_commands() {
    let s = TestServers::start();
    let seen = tempfile::tempdir().unwrap();
    let record = seen.path().join("inherited");
    let config = s.rapport_config().replacen(
        "password_command = \"echo me-secret\"",
        "password_env = \"RAPPORT_TEST_SMTP_PASSWORD\"",
        1,
    );
    let config = config.replacen(
        "password_command = \"echo me-secret\"",
        &format!(
            "password_command = \"printf %s \\\"${{RAPPORT_TEST_SMTP_PASSWORD:-absent}}\\\" > {}; echo me-secret\"",
            record.display()
        ),
        1,
    );
    let env = Env::with_config(&config);
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env
        .command(&["send"])
        .env("RAPPORT_TEST_SMTP_PASSWORD", "me-secret")
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        env.draft(1)["status"],
        "sent",
        "the SMTP login used the variable"
    );
    assert_eq!(std::fs::read_to_string(&record).unwrap(), "absent");
}

/// The uid and gid of the tests' unprivileged user (the tests run as root, whom no
/// permission stops).
fn unprivileged() -> (u32, u32) {
    let passwd = std::fs::read_to_string("/etc/passwd").unwrap();
    passwd
        .lines()
        .find_map(|line| {
            let f: Vec<&str> = line.split(':').collect();
            (f.len() >= 4 && f[0] == crate::support::MAIL_USER)
                .then(|| Some((f[2].parse().ok()?, f[3].parse().ok()?)))
                .flatten()
        })
        .unwrap()
}

/// Issue 20.13: a data directory that cannot be written: commands that write fail with
/// a hint naming the folder and the fix, and `status` still shows what is there.
#[test]
fn a_read_only_data_directory_gives_a_hint_and_status_still_works() {
    use std::os::unix::fs::PermissionsExt;
    use std::os::unix::process::CommandExt;
    let env = Env::new();
    env.request("bob@example.test", "Bob Example");
    let (uid, gid) = unprivileged();
    let chown = std::process::Command::new("chown")
        .arg("-R")
        .arg(format!("{uid}:{gid}"))
        .arg(env.home())
        .status()
        .unwrap();
    assert!(chown.success());
    let data = env.db_path().parent().unwrap().to_path_buf();
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o500)).unwrap();
    let run = |args: &[&str]| {
        let mut c = env.command(args);
        c.uid(uid).gid(gid);
        c.output().unwrap()
    };
    let queue = run(&["queue"]);
    let stderr = String::from_utf8_lossy(&queue.stderr);
    assert!(!queue.status.success(), "{stderr}");
    assert!(stderr.contains("cannot be written"), "{stderr}");
    assert!(
        stderr.contains(&format!("chmod u+w {}", data.display())),
        "{stderr}"
    );
    let status = run(&["status"]);
    let stdout = String::from_utf8_lossy(&status.stdout);
    assert!(
        status.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&status.stderr)
    );
    assert!(stdout.contains("Daemon: not running"), "{stdout}");
    assert!(stdout.contains("pending"), "{stdout}");
    std::fs::set_permissions(&data, std::fs::Permissions::from_mode(0o700)).unwrap();
}

/// Issue 20.13: an SMTP server that does not answer in time is reported as a timeout
/// naming the setting, not as "Resource temporarily unavailable (os error 11)".
#[test]
fn an_smtp_timeout_is_reported_as_a_timeout() {
    let s = TestServers::start();
    let env = Env::with_config(
        &s.rapport_config()
            .replace("timeout_seconds = 10", "timeout_seconds = 2"),
    );
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    s.set_faults(r#"{"mail:*": [{"delay": 6}]}"#);
    let r = env.rapport(&["send"]);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(
        all.contains("did not answer within 2 s ([smtp] timeout_seconds)"),
        "{all}"
    );
    assert!(!all.contains("os error 11"), "{all}");
    assert_eq!(
        env.draft(1)["status"],
        "approved",
        "nothing was accepted: retried"
    );
}

/// Issue 20.13: importing an endless file (`/dev/zero`) or one far larger than any
/// export ends at once with a clear error, reading no more than the cap.
#[test]
fn importing_an_endless_file_ends_with_a_clear_error() {
    let env = Env::new();
    let start = Instant::now();
    let (out, ended) = run_within(
        &env,
        &["contacts", "import", "/dev/zero"],
        Duration::from_secs(30),
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(ended, "importing /dev/zero never ended");
    assert!(!out.status.success());
    assert!(stderr.contains("larger than 64 MiB"), "{stderr}");
    println!("/dev/zero refused after {:?}", start.elapsed());
}

/// Issue 20.4: a listed draft whose text changed after the listing (here edited) is
/// not what the listing showed, so `approve --all` leaves it.
#[test]
fn approve_all_never_approves_a_draft_changed_since_the_listing() {
    let env = Env::new();
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue"]).ok();
    let out = env
        .command(&["queue", "edit", "1"])
        .env("VISUAL", "sed -i s/Bob/Robert/")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(stdout.contains("Saved draft 1"), "{stdout}");
    let r = env.rapport(&["queue", "approve", "--all"]).ok();
    assert!(r.stdout.contains("Not approving 1"), "{}", r.stdout);
    assert_eq!(env.draft(1)["status"], "pending");
}
