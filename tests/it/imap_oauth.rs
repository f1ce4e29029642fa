//! OAuth2 for the IMAP login (issue 9), against a real Dovecot whose `oauth2` passdb asks
//! a loopback introspection endpoint: `auth = "xoauth2"` with a `token_command` syncs the
//! mailbox and sends; a refused token is retried exactly once with a fresh one, and
//! refused twice says what to do; OAUTHBEARER works too; `doctor` says which logins the
//! IMAP server offers.

use crate::support::{SeedMessage, TestServers};
use crate::util::{Env, token_script};

/// The test servers' config with `[smtp]`'s and `[imap]`'s password lines replaced.
fn config(s: &TestServers, smtp_login: &str, imap_login: &str) -> String {
    let text = s.rapport_config();
    let (smtp, imap) = text.split_once("[imap]").unwrap();
    let pw = "password_command = \"echo me-secret\"";
    format!(
        "{}[imap]{}",
        smtp.replacen(pw, smtp_login, 1),
        imap.replacen(pw, imap_login, 1)
    )
}

fn token_login(method: &str, command: &str) -> String {
    format!("auth = \"{method}\"\ntoken_command = \"{command}\"")
}

fn seed_reply(s: &TestServers) {
    let raw = "From: Bob Example <bob@example.test>\r\nTo: me@example.test\r\nSubject: Hello from Bob\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bob-1@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nGood to meet you last week.\r\n";
    s.seed_messages("me", "INBOX", &[SeedMessage::new(raw.as_bytes().to_vec())]);
}

/// How many messages `rapport sync --json` read from INBOX.
fn inbox_read(report: &serde_json::Value) -> u64 {
    report["folders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["folder"] == "INBOX")
        .unwrap_or_else(|| panic!("no INBOX in {report}"))["read"]
        .as_u64()
        .unwrap()
}

/// The introspection endpoint's verdicts, in order: `true` for an accepted token.
fn token_checks(s: &TestServers) -> Vec<bool> {
    s.introspection_log()
        .iter()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            v["active"].as_bool().unwrap_or(false)
        })
        .collect()
}

/// The "done when": a run with `auth = "xoauth2"` syncs and sends with a token
/// from a `token_command`, and the token is nowhere rapport writes.
#[test]
fn xoauth2_syncs_the_mailbox_and_sends_with_a_token_command() {
    let s = TestServers::start_oauth2();
    seed_reply(&s);
    s.set_tokens(&[("imap-tok-7", "me"), ("smtp-tok-7", "me@example.test")]);
    let env = Env::with_config(&config(
        &s,
        &token_login("xoauth2", "echo smtp-tok-7"),
        &token_login("xoauth2", "echo imap-tok-7"),
    ));
    env.add_contact("bob@example.test", "Bob Example");
    let sync = env.rapport(&["sync", "--json"]).ok();
    assert_eq!(inbox_read(&sync.json()), 1, "{}", s.diagnostics());
    assert_eq!(token_checks(&s), vec![true], "one login, one token check");
    let timeline = env.rapport(&["contacts", "show", "bob@example.test", "--json"]);
    assert!(
        timeline.ok().stdout.contains("Hello from Bob"),
        "the synced message is in Bob's timeline"
    );

    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let send = env.rapport(&["send"]).ok();
    let shown = env.draft(1);
    assert_eq!(shown["status"], "sent", "{}", send.stdout);
    assert_eq!(s.sent_messages().len(), 1);

    let db = std::fs::read(env.db_path()).unwrap();
    for out in [&sync.stdout, &sync.stderr, &send.stdout, &send.stderr] {
        assert!(!out.contains("tok-7"), "a token leaked: {out}");
    }
    assert!(!String::from_utf8_lossy(&db).contains("tok-7"));
}

/// A stale token is refused, a fresh one is fetched and works: two token checks, no more.
#[test]
fn a_refused_token_is_retried_once_with_a_fresh_one() {
    let s = TestServers::start_oauth2();
    seed_reply(&s);
    s.set_tokens(&[("fresh-1", "me")]);
    let dir = tempfile::tempdir().unwrap();
    let cmd = token_script(dir.path(), "stale-0", "fresh-1");
    let env = Env::with_config(&config(
        &s,
        "password_command = \"echo me-secret\"",
        &token_login("xoauth2", &cmd),
    ));
    let sync = env.rapport(&["sync", "--json"]).ok();
    assert_eq!(inbox_read(&sync.json()), 1);
    assert_eq!(token_checks(&s), vec![false, true], "{}", s.diagnostics());
}

/// A token refused twice stops with the fix, after exactly one retry; OAUTHBEARER logs in
/// once the helper gives a good token.
#[test]
fn a_token_refused_twice_says_what_to_do_and_oauthbearer_logs_in() {
    let s = TestServers::start_oauth2();
    seed_reply(&s);
    s.set_tokens(&[("good-2", "me")]);
    let env = Env::with_config(&config(
        &s,
        "password_command = \"echo me-secret\"",
        &token_login("oauthbearer", "echo revoked-2"),
    ));
    let run = env.rapport(&["sync"]).fails();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(said.contains("the token was refused"), "{said}");
    assert!(
        said.contains("token helper ([imap] token_command)"),
        "{said}"
    );
    assert!(!said.contains("revoked-2"), "the token leaked: {said}");
    assert_eq!(token_checks(&s), vec![false, false], "one retry, no more");

    env.edit_config(|t| t.replace("echo revoked-2", "echo good-2"));
    let sync = env.rapport(&["sync", "--json"]).ok();
    assert_eq!(inbox_read(&sync.json()), 1);
    assert_eq!(token_checks(&s), vec![false, false, true]);
}

/// `doctor` names the logins the IMAP server offers and whether `[imap] auth` fits.
#[test]
fn doctor_says_which_auth_the_imap_server_offers() {
    let s = TestServers::start_oauth2();
    s.set_tokens(&[("imap-tok-3", "me")]);
    let env = Env::with_config(&config(
        &s,
        "password_command = \"echo me-secret\"",
        &token_login("xoauth2", "echo imap-tok-3"),
    ));
    let out = env.rapport(&["doctor"]).stdout;
    let line = out
        .lines()
        .find(|l| l.contains("imap auth"))
        .unwrap_or_else(|| panic!("no imap auth line:\n{out}"));
    assert!(line.contains("XOAUTH2") && line.contains("fits"), "{line}");
    assert!(
        out.lines()
            .any(|l| l.starts_with("ok") && l.contains("imap login")),
        "{out}"
    );

    // A Dovecot without OAuth2: the line says what it offers and what to set instead.
    let plain = TestServers::start();
    let env = Env::with_config(&config(
        &plain,
        "password_command = \"echo me-secret\"",
        &token_login("oauthbearer", "echo imap-tok-3"),
    ));
    let run = env.rapport(&["doctor"]);
    assert_ne!(run.code, 0);
    let line = run
        .stdout
        .lines()
        .find(|l| l.contains("imap auth"))
        .unwrap_or_else(|| panic!("no imap auth line:\n{}", run.stdout));
    assert!(line.starts_with("FAIL") && line.contains("PLAIN"), "{line}");
    assert!(line.contains("auth = \"password\""), "{line}");
}
