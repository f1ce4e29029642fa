//! `queue approve` without servers (the file transport): `--all` approves only what the
//! user was shown, `--now` sends at once outside the window under the cap, a failed or
//! sent draft says what to do instead, and private files stay private.

use std::os::unix::fs::PermissionsExt;

use crate::util::Env;

fn status(env: &Env, id: i64) -> String {
    env.draft(id)["status"].as_str().unwrap().to_string()
}

fn mode(path: &std::path::Path) -> u32 {
    std::fs::metadata(path).unwrap().permissions().mode() & 0o777
}

/// Issue 11 item 11: a draft made after the user last looked is never approved by
/// `--all`; the ids it approves are named.
#[test]
fn approve_all_without_a_terminal_approves_only_what_the_listing_showed() {
    let env = Env::new();
    env.request("a@example.com", "Ann");
    // Never listed: nothing is approved, and the user is told why.
    let r = env.rapport(&["queue", "approve", "--all"]).fails();
    assert!(r.stderr.contains("rapport queue"), "{}", r.stderr);
    assert_eq!(status(&env, 1), "pending");

    env.rapport(&["queue"]).ok();
    // The daemon drafts another one after the user looked.
    env.request("b@example.com", "Ben");
    let out = env.rapport(&["queue", "approve", "--all"]).ok().stdout;
    assert!(out.contains("Approved 1"), "{out}");
    assert!(out.contains("Not approving 2"), "{out}");
    assert_eq!(status(&env, 1), "approved");
    assert_eq!(status(&env, 2), "pending", "made after the listing");

    // Once listed, it can be approved the same way.
    env.rapport(&["queue", "--json"]).ok();
    let out = env.rapport(&["queue", "approve", "--all"]).ok().stdout;
    assert!(out.contains("Approved 2"), "{out}");
}

/// Issue 9: `--now` sends at once outside the window; the daily cap still holds.
#[test]
fn approve_now_sends_outside_the_window_but_not_over_the_cap() {
    let mut env = Env::new();
    env.edit_config(|t| t.replacen("daily_send_cap = 20", "daily_send_cap = 1", 1));
    // Saturday: the window is closed.
    env.now = "2026-11-28T10:00:00Z".into();
    env.request("a@example.com", "Ann");
    env.request("b@example.com", "Ben");
    let out = env.rapport(&["queue", "approve", "1", "--now"]).ok().stdout;
    assert!(out.contains("Sent 1"), "{out}");
    assert_eq!(status(&env, 1), "sent");
    assert_eq!(env.outbox_files().len(), 1);
    let out = env.rapport(&["queue", "approve", "2", "--now"]).ok().stdout;
    assert!(out.contains("daily cap"), "{out}");
    assert_eq!(status(&env, 2), "approved", "it waits, approved");
    assert_eq!(env.outbox_files().len(), 1);
    // Without --now, an approved draft waits for the window.
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("outside the send window"), "{out}");
}

#[test]
fn approving_a_sent_or_withdrawn_draft_says_what_to_do_instead() {
    let env = Env::new();
    env.request("a@example.com", "Ann");
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let r = env.rapport(&["queue", "approve", "1"]).fails();
    assert!(r.stderr.contains("was sent on 2026-11-23"), "{}", r.stderr);
    assert!(r.stderr.contains("rapport request"), "{}", r.stderr);
    env.request("b@example.com", "Ben");
    env.rapport(&["queue", "reject", "2"]).ok();
    let r = env.rapport(&["queue", "approve", "2"]).fails();
    assert!(r.stderr.contains("rejected"), "{}", r.stderr);
}

/// Issue 11 item 12: a database file others can read is made private again (and
/// `doctor` says so); the file transport's `.eml` files are 0600.
#[test]
fn the_database_and_the_outbox_are_private() {
    let env = Env::new();
    env.request("a@example.com", "Ann");
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let eml = env.outbox_files();
    assert_eq!(eml.len(), 1);
    assert_eq!(mode(&eml[0]), 0o600, "{}", eml[0].display());

    let db = env.db_path();
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o644)).unwrap();
    let out = env.rapport(&["doctor"]).stdout;
    assert!(out.contains("readable by others"), "{out}");
    assert_eq!(mode(&db), 0o600, "doctor fixed it");
    std::fs::set_permissions(&db, std::fs::Permissions::from_mode(0o640)).unwrap();
    let r = env.rapport(&["queue"]).ok();
    assert!(r.stderr.contains("chmod"), "{}", r.stderr);
    assert_eq!(mode(&db), 0o600, "any command fixes it");
}

/// On a terminal, `--all` shows the pending drafts and approves exactly those after a
/// yes (run under `script`, which gives the command a pseudo-terminal).
#[test]
fn approve_all_on_a_terminal_asks_first() {
    let env = Env::new();
    env.request("a@example.com", "Ann");
    let run = |answer: &str| {
        let cmd = env.command(&["queue", "approve", "--all"]);
        let program = cmd.get_program().to_string_lossy().into_owned();
        let mut script = std::process::Command::new("/usr/bin/script");
        script
            .args([
                "-qec",
                &format!("{program} queue approve --all"),
                "/dev/null",
            ])
            .env_clear()
            .envs(cmd.get_envs().filter_map(|(k, v)| v.map(|v| (k, v))))
            .stdin(std::process::Stdio::piped())
            .stdout(std::process::Stdio::piped());
        let mut child = script.spawn().unwrap();
        use std::io::Write;
        child
            .stdin
            .take()
            .unwrap()
            .write_all(answer.as_bytes())
            .unwrap();
        let out = child.wait_with_output().unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    };
    let out = run("n\n");
    assert!(out.contains("Pending drafts:"), "{out}");
    assert!(out.contains("[y/N]"), "{out}");
    assert_eq!(status(&env, 1), "pending", "{out}");
    let out = run("y\n");
    assert!(out.contains("Approved 1"), "{out}");
    assert_eq!(status(&env, 1), "approved");
}

/// Issue 22 item 4: an approved draft goes out at once with `send --now ID` or
/// `queue approve ID --now`, outside the window, saying so; never past the daily cap.
#[test]
fn send_now_sends_an_approved_draft_outside_the_window_and_says_so() {
    let mut env = Env::new();
    env.edit_config(|t| t.replacen("daily_send_cap = 20", "daily_send_cap = 2", 1));
    // Saturday: the window is closed.
    env.now = "2026-11-28T10:00:00Z".into();
    env.request("a@example.com", "Ann");
    env.request("b@example.com", "Ben");
    env.request("c@example.com", "Cy");
    env.rapport(&["queue", "approve", "1", "2", "3"]).ok();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("outside the send window"), "{out}");
    assert_eq!(env.outbox_files().len(), 0);

    let out = env.rapport(&["send", "--now", "1"]).ok().stdout;
    assert!(out.contains("Sent 1."), "{out}");
    assert!(
        out.contains("outside the send window, as you asked"),
        "{out}"
    );
    assert_eq!(status(&env, 1), "sent");
    assert_eq!(status(&env, 2), "approved", "only the draft named");

    // Approving again with --now is not "already approved": it sends.
    let out = env.rapport(&["queue", "approve", "2", "--now"]).ok().stdout;
    assert!(out.contains("Sent 2."), "{out}");
    assert_eq!(status(&env, 2), "sent");

    // The cap (2 a day) holds for --now too.
    let out = env.rapport(&["send", "--now"]).ok().stdout;
    assert!(out.contains("daily cap"), "{out}");
    assert_eq!(status(&env, 3), "approved");
    assert_eq!(env.outbox_files().len(), 2);

    // A sent draft is due nothing: `queue --all` shows no "now" for it.
    let all = env.rapport(&["queue", "--all"]).ok().stdout;
    let line = all
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap_or_else(|| panic!("{all}"));
    assert!(!line.contains(" now "), "{line}");
    assert!(line.contains("sent"), "{line}");

    // Without --now, ids are refused rather than ignored.
    let r = env.rapport(&["send", "3"]).fails();
    assert!(r.stderr.contains("--now"), "{}", r.stderr);
}
