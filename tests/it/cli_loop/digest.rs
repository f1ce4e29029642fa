//! The morning digest from the command line and the daemon: once a workday, to the user only, what it speaks of.

use super::*;

fn digests(env: &Env) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(env.outbox())
        .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    v.retain(|p: &std::path::PathBuf| {
        p.file_name()
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("digest-")
    });
    v.sort();
    v
}

#[test]
fn the_digest_goes_once_per_workday_to_the_user_only_across_restarts() {
    let mut env = env_with_maildir();
    env.edit_config(|t| t.replace("enabled = false\nat = ", "enabled = true\nat = "));
    env.now = "2026-11-29T09:00:00Z".into(); // a Sunday
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["digest", "--send-if-due"]).ok();
    assert!(digests(&env).is_empty(), "not on a Sunday");

    env.now = "2026-11-30T06:30:00Z".into(); // Monday 07:30 in Berlin
    env.rapport(&["digest", "--send-if-due"]).ok();
    assert!(digests(&env).is_empty(), "not before 08:00");

    env.now = "2026-11-30T07:05:00Z".into();
    let r = env.rapport(&["digest", "--send-if-due"]).ok();
    assert!(
        r.stdout
            .contains("Sent the morning digest to ada@example.org"),
        "{}",
        r.stdout
    );
    let files = digests(&env);
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).unwrap();
    assert!(text.contains("X-Rapport-Digest: 1\r\n"), "{text}");
    assert!(
        text.contains("Auto-Submitted: auto-generated\r\n"),
        "{text}"
    );
    assert!(
        text.contains("To: \"Ada Lovelace\" <ada@example.org>"),
        "{text}"
    );
    assert!(
        !text.contains("jessica@example.com>"),
        "never to anyone else: {text}"
    );
    assert!(text.contains("meeting-request to Jessica Park"), "{text}");
    assert!(text.contains("rapport review"), "{text}");

    // Every later process that day (a restarted daemon) sends nothing more.
    for now in [
        "2026-11-30T07:06:00Z",
        "2026-11-30T12:00:00Z",
        "2026-11-30T22:59:00Z",
    ] {
        env.now = now.into();
        env.rapport(&["digest", "--send-if-due"]).ok();
    }
    assert_eq!(digests(&env).len(), 1);

    // Tuesday: one more; a workday with nothing waiting: none.
    env.now = "2026-12-01T07:30:00Z".into();
    env.rapport(&["digest", "--send-if-due"]).ok();
    assert_eq!(digests(&env).len(), 2);
    env.rapport(&["queue", "reject", "1"]).ok();
    env.now = "2026-12-02T07:30:00Z".into();
    let r = env.rapport(&["digest"]).ok();
    assert!(r.stdout.contains("Nothing waits"), "{}", r.stdout);
    env.rapport(&["digest", "--send-if-due"]).ok();
    assert_eq!(digests(&env).len(), 2);
}

/// The daemon itself sends the morning digest once on a workday morning, however often it
/// is restarted that day, and again the next workday (issue 10's "done when").
#[test]
fn the_daemon_sends_exactly_one_digest_a_workday_morning_across_restarts() {
    let mut env = env_with_maildir();
    env.edit_config(|t| t.replace("enabled = false\nat = ", "enabled = true\nat = "));
    env.now = "2026-11-30T07:05:00Z".into(); // Monday 08:05 in Berlin
    env.rapport(&["request", "jessica"]).ok();
    let run_daemon_once = |env: &Env| {
        let mut daemon = env
            .command(&["daemon"])
            .stdout(std::process::Stdio::null())
            .stderr(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let start = std::time::Instant::now();
        // A turn has run when status shows this process's `now` as the last turn.
        while env.rapport(&["status", "--json"]).json()["daemon"]["last_turn"] != *env.now {
            assert!(daemon.try_wait().unwrap().is_none(), "the daemon died");
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "no turn"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
        let pid = daemon.id().to_string();
        std::process::Command::new("kill")
            .args(["-TERM", &pid])
            .status()
            .unwrap();
        assert!(daemon.wait().unwrap().success());
    };
    // Three daemons that Monday: the first sends the digest, the restarts send nothing.
    for now in [
        "2026-11-30T07:05:00Z",
        "2026-11-30T07:06:00Z",
        "2026-11-30T12:00:00Z",
    ] {
        env.now = now.into();
        run_daemon_once(&env);
        assert_eq!(digests(&env).len(), 1, "at {now}");
    }
    // Tuesday morning: one more.
    env.now = "2026-12-01T07:30:00Z".into();
    run_daemon_once(&env);
    assert_eq!(digests(&env).len(), 2);
}

#[test]
fn digest_prints_what_waits_and_is_off_by_default() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-24T15:00"])
        .ok();
    env.now = "2026-11-23T07:30:00Z".into();
    let out = env.rapport(&["digest"]).ok().stdout;
    for want in [
        "1 draft to approve",
        "tomorrow 15:00: Jessica Park",
        "new people this month",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
    env.rapport(&["digest", "--send-if-due"]).ok();
    assert!(digests(&env).is_empty(), "[digest] is off unless enabled");
}

#[test]
fn digest_speaks_of_replies_requests_action_items_meetings_and_goals() {
    let env = env_with_unsure_reply_and_inbound_request();
    env.rapport(&[
        "todo",
        "jessica",
        "send her the deck",
        "--due",
        "2026-11-24",
    ])
    .ok();
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-25T15:00"])
        .ok();
    let out = env.rapport(&["digest"]).ok().stdout;
    for want in [
        "Replies to confirm",
        "Jessica Park: thanked you: Re: 25 minutes? (unsure",
        "They asked you for a meeting; answer them:",
        "Omar Haddad: they asked you: Coffee?",
        "Action items due:",
        "send her the deck (due today)",
        "tomorrow 15:00: Jessica Park",
        "brief: `rapport brief",
        "new people this month: 2 of",
        "conversations this week:",
    ] {
        assert!(out.contains(want), "{want}: {out}");
    }
}
