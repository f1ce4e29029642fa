//! Nothing secret in any log at any level (issue 20, item 7): a sync at
//! `RAPPORT_LOG=trace` against the real Dovecot, with a password and with an XOAUTH2
//! token, writes neither (nor the token's base64 login string) to stderr, while the
//! trace itself is on (rapport's own trace lines are there).

use base64::Engine as _;

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

fn seed(s: &TestServers) {
    let raw = "From: Bob Example <bob@example.test>\r\nTo: me@example.test\r\nSubject: Hello\r\nDate: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <bob-1@example.test>\r\n\r\nHello.\r\n";
    s.seed_messages("me", "INBOX", &[SeedMessage::new(raw.as_bytes().to_vec())]);
}

fn sync_at_trace(env: &Env) -> String {
    let out = env
        .command(&["sync"])
        .env("RAPPORT_LOG", "trace")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stderr).into_owned()
}

#[test]
fn a_trace_level_sync_logs_no_password() {
    let s = TestServers::start();
    seed(&s);
    let env = Env::with_config(&s.rapport_config());
    let log = sync_at_trace(&env);
    assert!(log.contains("TRACE"), "the trace is on:\n{log}");
    assert!(!log.contains("me-secret"), "the password leaked:\n{log}");
    assert!(
        !log.contains("LOGIN"),
        "the LOGIN command was logged:\n{log}"
    );
}

#[test]
fn a_trace_level_sync_logs_no_xoauth2_token() {
    let s = TestServers::start_oauth2();
    seed(&s);
    s.set_tokens(&[("imap-tok-secret-9", "me")]);
    let text = s.rapport_config();
    let (smtp, imap) = text.split_once("[imap]").unwrap();
    let imap = imap.replacen(
        "password_command = \"echo me-secret\"",
        "auth = \"xoauth2\"\ntoken_command = \"echo imap-tok-secret-9\"",
        1,
    );
    let env = Env::with_config(&format!("{smtp}[imap]{imap}"));
    let log = sync_at_trace(&env);
    assert!(log.contains("TRACE"), "the trace is on:\n{log}");
    let sasl = base64::engine::general_purpose::STANDARD
        .encode("user=me@example.test\x01auth=Bearer imap-tok-secret-9\x01\x01");
    for secret in ["imap-tok-secret-9", sasl.as_str(), &sasl[..24]] {
        assert!(!log.contains(secret), "{secret} leaked:\n{log}");
    }
}
