//! Sending through a real SMTP server (aiosmtpd with STARTTLS and AUTH, delivering into
//! Dovecot over LMTP), read back over IMAP: exactly once, the approved bytes, failures
//! handled, crashes never resent, passwords never sent in the clear.

use std::path::Path;
use std::time::{Duration, Instant};

use crate::support::TestServers;
use crate::util::Env;

/// A config for the user `me` against the test servers.
fn config(s: &TestServers, smtp_security: &str, smtp_port: u16, password: &str) -> String {
    s.rapport_config()
        .replacen(
            "security = \"starttls\"",
            &format!("security = \"{smtp_security}\""),
            1,
        )
        .replacen(
            &format!("port = {}", s.smtp_port()),
            &format!("port = {smtp_port}"),
            1,
        )
        .replacen("password_command = \"echo me-secret\"", password, 1)
}

/// Reads a user's INBOX over IMAP with rapport's own client: the whole messages.
pub fn inbox(s: &TestServers, user: &str) -> Vec<Vec<u8>> {
    let acct = s.account(user);
    let cfg: rapport::config::Imap = toml::from_str(&format!(
        "host = \"{}\"\nport = {}\nsecurity = \"tls\"\npassword_command = \"echo {}\"\nca_file = \"{}\"\n",
        s.host(),
        s.imaps_port(),
        acct.password,
        s.ca_pem_path().display()
    ))
    .unwrap();
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    rt.block_on(async {
        let mut session = rapport::mail::imap::Session::connect(&cfg, &acct.address)
            .await
            .unwrap();
        session.examine("INBOX").await.unwrap();
        let uids = session.uids_from(1).await.unwrap();
        let bodies = session.fetch_bodies(&uids).await.unwrap();
        session.logout().await;
        bodies.into_iter().map(|(_, b)| b).collect()
    })
}

fn header<'a>(msg: &'a str, name: &str) -> Option<&'a str> {
    msg.lines()
        .find(|l| {
            l.to_ascii_lowercase()
                .starts_with(&format!("{}:", name.to_ascii_lowercase()))
        })
        .map(|l| l[name.len() + 1..].trim())
}

fn setup(s: &TestServers, user: &str) -> Env {
    let env = Env::with_config(&config(
        s,
        "starttls",
        s.smtp_port(),
        "password_command = \"echo me-secret\"",
    ));
    env.add_contact(&s.account(user).address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env
}

#[test]
fn request_approve_send_arrives_exactly_once_with_the_approved_bytes() {
    let s = TestServers::start();
    let env = setup(&s, "bob");
    let d = env.draft(1);
    let approved = d["message"].as_str().unwrap().to_string();
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Sent 1"), "{out}");

    let mails = inbox(&s, "bob");
    assert_eq!(mails.len(), 1, "exactly one copy");
    let got = String::from_utf8_lossy(&mails[0]).into_owned();
    assert_eq!(
        header(&got, "Subject"),
        Some(d["subject"].as_str().unwrap())
    );
    assert_eq!(
        header(&got, "Message-ID"),
        Some(format!("<{}>", d["message_id"].as_str().unwrap()).as_str())
    );
    // The approved bytes arrive whole (the server only prepends trace headers, and
    // rapport only the Date).
    assert!(
        got.replace("\r\n", "\n")
            .contains(&approved.replace("\r\n", "\n")),
        "{got}"
    );
    assert!(got.contains("25-minute conversation"), "{got}");

    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Nothing to send"), "{out}");
    assert_eq!(inbox(&s, "bob").len(), 1, "a second send sends nothing");
    assert_eq!(s.smtp_events("data").len(), 1, "{:?}", s.smtp_log());
    assert_eq!(env.draft(1)["status"], "sent");
}

#[test]
fn implicit_tls_works_too() {
    let s = TestServers::start();
    let mut env = Env::with_config(&config(
        &s,
        "tls",
        s.smtps_port(),
        "password_env = \"RAPPORT_TEST_PW\"",
    ));
    env.extra_env
        .push(("RAPPORT_TEST_PW".into(), "me-secret".into()));
    env.add_contact("carol@example.test", "Carol");
    env.rapport(&["request", "carol"]).ok();
    env.rapport(&["queue"]).ok(); // `--all` approves what the listing showed
    env.rapport(&["queue", "approve", "--all"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(inbox(&s, "carol").len(), 1);
}

#[test]
fn permanent_refusal_fails_and_temporary_refusal_retries() {
    let s = TestServers::start();
    let mut env = setup(&s, "bob");
    env.add_contact("carol@example.test", "Carol");
    env.rapport(&["request", "carol"]).ok();
    s.set_faults(r#"{"data:bob@example.test": [554], "rcpt:carol@example.test": [451]}"#);
    env.rapport(&["queue"]).ok(); // `--all` approves what the listing showed
    env.rapport(&["queue", "approve", "--all"]).ok();

    let r = env.rapport(&["send"]);
    assert_eq!(r.code, 1, "a failed draft makes send fail: {}", r.stdout);
    assert!(r.stdout.contains("Failed 1"), "{}", r.stdout);
    assert!(
        r.stdout.contains("Not sent 2 yet, will retry"),
        "{}",
        r.stdout
    );
    let bob = env.draft(1);
    assert_eq!(bob["status"], "failed");
    assert!(bob["last_error"].as_str().unwrap().contains("554"), "{bob}");
    let carol = env.draft(2);
    assert_eq!(carol["status"], "approved");
    assert_eq!(carol["attempts"], 1);
    assert!(
        carol["last_error"].as_str().unwrap().contains("451"),
        "{carol}"
    );

    // Before the backoff has passed nothing is tried again.
    env.rapport(&["send"]).ok();
    assert_eq!(s.smtp_events("rcpt").len(), 2, "{:?}", s.smtp_log());
    // After it, the retry goes through, once.
    env.now = "2026-11-23T10:02:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(2)["status"], "sent");
    assert_eq!(inbox(&s, "carol").len(), 1);
    assert!(
        inbox(&s, "bob").is_empty(),
        "the refused message never arrived"
    );
    env.rapport(&["send"]).ok();
    assert_eq!(inbox(&s, "carol").len(), 1);
}

#[test]
fn killed_after_sending_was_committed_leaves_unknown_and_sends_nothing() {
    let s = TestServers::start();
    let env = setup(&s, "bob");
    env.rapport(&["queue", "approve", "1"]).ok();
    // The server sits on the message data: rapport is mid-send, the draft committed as
    // `sending` and the bytes on the wire.
    s.set_faults(r#"{"data:*": [{"delay": 60}]}"#);
    let mut child = env.command(&["send"]).spawn().unwrap();
    let start = Instant::now();
    while s.smtp_events("fault").is_empty() {
        assert!(
            start.elapsed() < Duration::from_secs(20),
            "{:?}",
            s.smtp_log()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(env.draft(1)["status"], "sending");
    child.kill().unwrap();
    child.wait().unwrap();

    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("interrupted while sending"), "{out}");
    let d = env.draft(1);
    assert_eq!(d["status"], "unknown");
    assert!(
        d["todo"]
            .as_str()
            .unwrap()
            .contains("resolve 1 sent|not-sent"),
        "{d}"
    );
    let q = env.rapport(&["queue"]).ok().stdout;
    assert!(q.contains("check your Sent folder"), "{q}");
    env.rapport(&["send"]).ok();
    assert_eq!(s.smtp_events("mail").len(), 1, "{:?}", s.smtp_log());
    assert!(inbox(&s, "bob").is_empty());
    let r = env.rapport(&["queue", "approve", "1"]).fails();
    assert!(r.stderr.contains("unknown"), "{}", r.stderr);
}

/// Issue 11 item 8: the password is fetched before the draft is claimed, so a password
/// command that hangs (a pinentry, a locked keyring) and is killed leaves the draft
/// approved — not a false `unknown` — and one that never answers times out clearly.
#[test]
fn a_hanging_password_command_never_makes_a_false_unknown() {
    let s = TestServers::start();
    let marker_dir = tempfile::tempdir().unwrap();
    let marker = marker_dir.path().join("password-asked");
    let slow = format!(
        "password_command = \"touch {}; sleep 60; echo me-secret\"",
        marker.display()
    );
    let env = Env::with_config(&config(&s, "starttls", s.smtp_port(), &slow));
    env.add_contact("bob@example.test", "Bob");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let mut child = env.command(&["send"]).spawn().unwrap();
    wait_for(&marker, Duration::from_secs(20));
    assert_eq!(env.draft(1)["status"], "approved", "not claimed yet");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(env.draft(1)["status"], "approved");

    // A command that never answers is stopped after secret_timeout_seconds.
    env.edit_config(|t| {
        t.replacen(
            "timeout_seconds = 10",
            "timeout_seconds = 10\nsecret_timeout_seconds = 1",
            1,
        )
    });
    // A login that could not be made exits non-zero (the draft waits, approved).
    let out = env.rapport(&["send", "--json"]).fails().json();
    assert!(
        out["recovered_unknown"].as_array().unwrap().is_empty(),
        "nothing was in flight: {out}"
    );
    let held = out["held"].as_str().unwrap_or_default();
    assert!(held.contains("gave no answer within 1 s"), "{out}");
    assert!(held.contains("secret_timeout_seconds"), "{out}");
    assert!(
        !held.contains("sleep"),
        "the command is not repeated: {out}"
    );
    let d = env.draft(1);
    assert_eq!(d["status"], "approved", "{d}");
    assert!(s.smtp_events("mail").is_empty(), "{:?}", s.smtp_log());
    assert!(inbox(&s, "bob").is_empty());

    // With a working command it goes out, once, after the retry wait.
    env.edit_config(|t| t.replace(&slow, "password_command = \"echo me-secret\""));
    let mut env = env;
    env.now = "2026-11-23T10:05:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    assert_eq!(inbox(&s, "bob").len(), 1);
}

#[test]
fn a_server_without_starttls_gets_no_password() {
    let s = TestServers::start_plaintext_smtp();
    let marker_dir = tempfile::tempdir().unwrap();
    let marker = marker_dir.path().join("asked");
    let pw = format!(
        "password_command = \"touch {}; echo me-secret\"",
        marker.display()
    );
    let text = format!(
        r#"[identity]
name = "Me"
email = "me@example.test"
[smtp]
host = "{}"
port = {}
security = "starttls"
{pw}
"#,
        s.host(),
        s.smtp_port()
    );
    let env = Env::with_config(&text);
    env.rapport(&["contacts", "add", "bob@example.test"]).ok();
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env.rapport(&["send"]).stdout;
    assert!(out.contains("does not offer STARTTLS"), "{out}");
    assert!(s.auth_attempts().is_empty(), "{:?}", s.auth_attempts());
    assert!(!marker.exists(), "the password was not even looked up");
    assert_eq!(
        env.draft(1)["status"],
        "approved",
        "nothing left: it stays approved"
    );

    // Plaintext to a host that is not loopback is refused before any connection.
    let remote = text
        .replace(
            &format!("host = \"{}\"", s.host()),
            "host = \"mail.plaintext.test\"",
        )
        .replace("security = \"starttls\"", "security = \"none\"");
    env.write_config(&remote);
    let r = env.rapport(&["send"]).fails();
    assert!(r.stderr.contains("smtp.security"), "{}", r.stderr);
    assert!(!marker.exists());
    assert!(s.auth_attempts().is_empty());
}

fn wait_for(path: &Path, limit: Duration) {
    let start = Instant::now();
    while !path.exists() {
        assert!(start.elapsed() < limit, "{} never appeared", path.display());
        std::thread::sleep(Duration::from_millis(20));
    }
}

#[test]
fn an_approved_nudge_is_withdrawn_when_they_wrote_meanwhile() {
    let s = TestServers::start();
    let mut env = Env::with_config(&config(
        &s,
        "starttls",
        s.smtp_port(),
        "password_command = \"echo me-secret\"",
    ));
    env.now = "2026-11-02T10:00:00Z".into();
    env.add_contact("bob@example.test", "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let request = env.draft(1)["message_id"].as_str().unwrap().to_string();
    // A week later the nudge is drafted and approved ...
    env.now = "2026-11-09T10:00:00Z".into();
    env.rapport(&["sync"]).ok();
    env.rapport(&["plan"]).ok();
    let nudge = env.draft(2);
    assert_eq!(nudge["kind"], "nudge");
    env.rapport(&["queue", "approve", "2"]).ok();
    // ... and then Bob answers, before rapport sends it.
    s.deliver(
        "me",
        format!(
            "From: Bob Example <bob@example.test>\r\nTo: me@example.test\r\nSubject: Re: hi\r\nDate: Mon, 09 Nov 2026 10:30:00 +0000\r\nMessage-ID: <bob-late-reply@example.test>\r\nIn-Reply-To: <{request}>\r\n\r\nSorry for the delay - yes, let's talk!\r\n"
        )
        .as_bytes(),
    );
    env.now = "2026-11-09T11:00:00Z".into();
    let out = env.rapport(&["send"]).ok().stdout;
    assert!(out.contains("Withdrew 2"), "{out}");
    assert_eq!(env.draft(2)["status"], "superseded");
    assert_eq!(
        inbox(&s, "bob").len(),
        1,
        "only the request, never the nudge"
    );
}

#[test]
fn an_unknown_draft_found_in_the_sent_folder_is_recorded_as_sent() {
    let s = TestServers::start();
    let env = setup(&s, "bob");
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    // As if rapport had died after the server took the message but before it
    // recorded that: the draft is unknown, and the provider filed a copy in Sent.
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    conn.execute(
        "UPDATE drafts SET status = 'unknown', sent_at = NULL WHERE id = 1",
        [],
    )
    .unwrap();
    conn.execute("DELETE FROM interactions", []).unwrap();
    drop(conn);
    let copy = inbox(&s, "bob").remove(0);
    s.seed_messages(
        "me",
        "Sent",
        &[crate::support::SeedMessage::new(copy).flags("\\Seen")],
    );
    assert_eq!(env.draft(1)["status"], "unknown");
    env.rapport(&["sync"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    let show = env
        .rapport(&["contacts", "show", "bob", "--json"])
        .ok()
        .json();
    let kinds: Vec<&str> = show["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, vec!["request-sent"], "recorded once, as the request");
    env.rapport(&["send"]).ok();
    assert_eq!(inbox(&s, "bob").len(), 1, "never resent");
}
