//! What goes out, against the real servers: the exact approved bytes, OAuth2 logins
//! (XOAUTH2 and OAUTHBEARER with a `token_command`, a refused token retried once), a
//! recipient that does not exist, secrets that never show their words, and the check
//! of the mailbox before any kind of draft goes out.

use crate::support::TestServers;
use crate::util::{Env, token_script};

/// The test servers' config with `[smtp]`'s password line replaced by `login`.
fn config(s: &TestServers, login: &str) -> String {
    s.rapport_config()
        .replacen("password_command = \"echo me-secret\"", login, 1)
}

fn auth_results(s: &TestServers) -> Vec<serde_json::Value> {
    s.smtp_events("auth_result")
        .iter()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

/// Issue 11 item 9: the server receives exactly `Date:` plus the approved bytes — not
/// one CRLF more.
#[test]
fn the_bytes_on_the_wire_are_exactly_the_approved_bytes() {
    let s = TestServers::start();
    let env = Env::with_config(&s.rapport_config());
    env.request("bob@example.test", "Bob Example");
    let approved = env.draft(1)["message"].as_str().unwrap().to_string();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let got = s.sent_messages();
    assert_eq!(got.len(), 1);
    let got = String::from_utf8(got[0].clone()).unwrap();
    let (date, rest) = got.split_once("\r\n").unwrap();
    assert!(
        date.starts_with("Date: Mon, 23 Nov 2026 10:00:00 +0000"),
        "{date}"
    );
    assert_eq!(
        rest, approved,
        "the server got other bytes than were approved"
    );
}

#[test]
fn xoauth2_sends_with_a_token_and_retries_a_refused_one_once() {
    let s = TestServers::start();
    let dir = tempfile::tempdir().unwrap();
    s.set_tokens(&[("fresh-token-1", "me@example.test")]);
    let cmd = token_script(dir.path(), "stale-token-0", "fresh-token-1");
    let env = Env::with_config(&config(
        &s,
        &format!("auth = \"xoauth2\"\ntoken_command = \"{cmd}\""),
    ));
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env.rapport(&["send", "--json"]).ok();
    assert_eq!(env.draft(1)["status"], "sent", "{}", out.stdout);
    let results = auth_results(&s);
    let seen: Vec<(&str, bool)> = results
        .iter()
        .map(|r| {
            (
                r["mechanism"].as_str().unwrap(),
                r["success"].as_bool().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        vec![("XOAUTH2", false), ("XOAUTH2", true)],
        "the stale token, then one fresh one"
    );
    assert!(results.iter().all(|r| r["login"] == "me@example.test"));
    assert_eq!(s.sent_messages().len(), 1);
    // The token is nowhere rapport writes.
    let db = std::fs::read(env.db_path()).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("fresh-token-1"));
    assert!(!out.stdout.contains("token-") && !out.stderr.contains("token-"));
}

#[test]
fn oauthbearer_sends_and_a_token_refused_twice_says_what_to_do() {
    let s = TestServers::start();
    let dir = tempfile::tempdir().unwrap();
    s.set_tokens(&[("good", "me@example.test")]);
    let env = Env::with_config(&config(
        &s,
        "auth = \"oauthbearer\"\ntoken_command = \"echo revoked\"",
    ));
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue", "approve", "1"]).ok();
    // A send that could not log in exits non-zero; the draft waits, approved.
    let out = env.rapport(&["send"]).fails().stdout;
    assert!(out.contains("the token was refused"), "{out}");
    assert!(out.contains("token helper"), "{out}");
    assert_eq!(auth_results(&s).len(), 2, "one retry, no more");
    assert_eq!(env.draft(1)["status"], "approved", "nothing left");
    assert!(s.sent_messages().is_empty());

    let cmd = token_script(dir.path(), "good", "good");
    env.edit_config(|t| t.replace("echo revoked", &cmd));
    let mut env = env;
    env.now = "2026-11-23T10:05:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    let last = auth_results(&s).pop().unwrap();
    assert_eq!(last["mechanism"], "OAUTHBEARER");
    assert_eq!(last["success"], true);
}

/// Issue 9: a 5.1.1 "user unknown" marks the address bounced (as a bounce would),
/// withdraws the other drafts to it, and the failed draft says what to do next.
#[test]
fn an_unknown_recipient_is_marked_bounced_and_its_other_drafts_withdrawn() {
    let s = TestServers::start();
    let env = Env::with_config(&s.rapport_config());
    env.request("nobody@example.test", "No Body");
    // A second open draft to the same address (as a planned check-in would be).
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    conn.execute(
        "INSERT INTO drafts (contact_id, kind, template, reason, reason_key, due_at, to_addr, to_name,
            subject, body, message_id, in_reply_to, refs, message, created_at, updated_at)
         SELECT contact_id, 'check-in', 'check-in', 'time to check in', 'test:second', due_at, to_addr,
            to_name, subject, body, 'second@example.test', '', '', message, created_at, updated_at
         FROM drafts WHERE id = 1",
        [],
    )
    .unwrap();
    drop(conn);
    env.rapport(&["queue", "approve", "1"]).ok();
    let r = env.rapport(&["send"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("Failed 1"), "{}", r.stdout);
    assert!(r.stdout.contains("Withdrew 2"), "{}", r.stdout);
    let d = env.draft(1);
    assert_eq!(d["status"], "failed");
    assert!(d["last_error"].as_str().unwrap().contains("5.1.1"), "{d}");
    let todo = d["todo"].as_str().unwrap();
    assert!(todo.contains("address"), "{todo}");
    // Commands to paste: the draft's id and the address filled in, no placeholders.
    assert!(
        todo.contains(
            "`rapport contacts edit nobody@example.test --email NEW --remove-email nobody@example.test`"
        ) && todo.contains("`queue reject 1`"),
        "{todo}"
    );
    assert!(!todo.contains("CONTACT") && !todo.contains("OLD"), "{todo}");
    assert_eq!(env.draft(2)["status"], "superseded");
    let c = env
        .rapport(&["contacts", "show", "nobody", "--json"])
        .ok()
        .json();
    let text = c.to_string();
    assert!(text.contains("bounced"), "{c}");
    let timeline = c["timeline"].as_array().unwrap();
    assert!(timeline.iter().any(|i| i["kind"] == "bounce"), "{c}");
    // Approving the failed draft says what to do instead.
    let r = env.rapport(&["queue", "approve", "1"]).fails();
    assert!(r.stderr.contains("failed"), "{}", r.stderr);
    assert!(r.stderr.contains("contacts"), "{}", r.stderr);
    assert_eq!(s.smtp_events("rcpt").len(), 1, "never tried again");
}

/// Issue 11 item 10: a failing password command's words reach neither the output, the
/// JSON, the log nor the database.
#[test]
fn a_failing_password_command_is_reported_by_its_status_only() {
    let s = TestServers::start();
    let mut env = Env::with_config(&config(
        &s,
        "password_command = \"echo out-hunter2; echo err-hunter3 >&2; exit 7\"",
    ));
    env.extra_env.push(("RAPPORT_LOG".into(), "debug".into()));
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue", "approve", "1"]).ok();
    let r = env.rapport(&["send", "--json"]);
    let all = format!("{}{}", r.stdout, r.stderr);
    assert!(all.contains("exit status: 7"), "{all}");
    for word in ["hunter2", "hunter3", "echo"] {
        assert!(!all.contains(word), "{word} leaked: {all}");
    }
    let d = env.draft(1);
    let last = d["last_error"].as_str().unwrap();
    assert!(last.contains("password_command failed"), "{d}");
    let db = std::fs::read(env.db_path()).unwrap();
    assert!(!String::from_utf8_lossy(&db).contains("hunter"));
}

/// Issue 11 item 2: `rapport send` looks at the mailbox before any draft, not only a
/// nudge or check-in: an approved meeting request to someone who has since written is
/// withdrawn.
#[test]
fn an_approved_request_is_withdrawn_when_they_wrote_meanwhile() {
    let s = TestServers::start();
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-11-23T09:00:00Z".into();
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue", "approve", "1"]).ok();
    env.now = "2026-11-23T10:00:00Z".into();
    s.deliver(
        "me",
        b"From: Bob Example <bob@example.test>\r\nTo: me@example.test\r\nSubject: Long time!\r\nDate: Mon, 23 Nov 2026 09:30:00 +0000\r\nMessage-ID: <bob-wrote@example.test>\r\n\r\nHey, are you around next week? Would love to catch up.\r\n",
    );
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Withdrew 1"), "{out}");
    assert_eq!(env.draft(1)["status"], "superseded");
    assert!(s.sent_messages().is_empty());
}

/// Issue 9: `doctor` says which logins the SMTP server offers and whether the
/// configured one fits, and logs in with a token.
#[test]
fn doctor_names_the_offered_logins_and_checks_the_token() {
    let s = TestServers::start();
    s.set_tokens(&[("doctor-token", "me@example.test")]);
    let env = Env::with_config(&config(
        &s,
        "auth = \"xoauth2\"\ntoken_command = \"echo doctor-token\"",
    ));
    let out = env.rapport(&["doctor"]).stdout;
    assert!(out.contains("ok    smtp auth: offers"), "{out}");
    assert!(
        out.contains("XOAUTH2") && out.contains("OAUTHBEARER"),
        "{out}"
    );
    assert!(out.contains("ok    smtp login: me@example.test"), "{out}");
    assert!(!out.contains("doctor-token"), "{out}");
    let logins = auth_results(&s);
    assert_eq!(logins.len(), 1, "the token command's login ran once");
}
