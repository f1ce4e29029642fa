//! Gmail's habits (issue 23), against Dovecot laid out like Gmail (`[Gmail]/Sent Mail`
//! marked \Sent, `[Gmail]/All Mail` marked \All) with the test harness doing what Gmail
//! does: every message is in All Mail again, and the server files its own copy of what
//! rapport sent in Sent Mail (and All Mail). With All Mail read and `save_sent = "auto"`:
//! no interaction twice (the Message-ID dedupes the copies), archived mail that is only
//! in All Mail is read, and no second copy is appended to Sent Mail.

use crate::support::{Options, SeedMessage, TestServers};
use crate::util::Env;

const SENT: &str = "[Gmail]/Sent Mail";
const ALL: &str = "[Gmail]/All Mail";

fn message(from: &str, id: &str, subject: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: Ada Lovelace <me@example.test>\r\nSubject: {subject}\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

/// How many messages in me's `folder` carry this Message-ID.
fn copies(s: &TestServers, folder: &str, message_id: &str) -> usize {
    s.doveadm(&[
        "search",
        "-u",
        &s.me().address,
        "mailbox",
        folder,
        "header",
        "Message-ID",
        &format!("<{message_id}>"),
    ])
    .lines()
    .filter(|l| !l.trim().is_empty())
    .count()
}

/// Bob's timeline entries, as `contacts show --json` gives them.
fn timeline(env: &Env, who: &str) -> Vec<serde_json::Value> {
    env.rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json()["timeline"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

#[test]
fn gmail_all_mail_doubles_no_interaction_and_its_own_sent_copy_is_not_doubled() {
    let s = TestServers::start_with(Options {
        gmail: true,
        ..Options::default()
    });
    let bob = s.account("bob").address;
    let hello = message(
        &format!("Bob Example <{bob}>"),
        "bob-hello@example.test",
        "Hello",
        "Good to meet you at the meetup.",
    );
    let archived = message(
        &format!("Bob Example <{bob}>"),
        "bob-archived@example.test",
        "Slides",
        "Here are the slides, as promised.",
    );
    s.seed_messages("me", "INBOX", &[SeedMessage::new(hello.clone())]);
    // All Mail holds the inbox again, and a message the user archived out of the inbox.
    s.seed_messages(
        "me",
        ALL,
        &[SeedMessage::new(hello), SeedMessage::new(archived)],
    );
    let config = format!(
        "{}save_sent = \"auto\"\nsave_sent_wait = \"10m\"\nfolders = [\"{SENT}\", \"INBOX\", \"{ALL}\"]\n",
        s.rapport_config()
    );
    let mut env = Env::with_config(&config);
    env.add_contact(&bob, "Bob Example");

    env.rapport(&["sync"]).ok();
    let entries = timeline(&env, &bob);
    let hellos = entries
        .iter()
        .filter(|e| e.to_string().contains("Hello"))
        .count();
    let slides = entries
        .iter()
        .filter(|e| e.to_string().contains("Slides"))
        .count();
    assert_eq!(
        (hellos, slides),
        (1, 1),
        "read once each, archived included: {entries:#?}"
    );

    // rapport sends; Gmail files its own copy in Sent Mail and All Mail a minute later.
    env.rapport(&["request", &bob]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let d = env.draft(1);
    assert_eq!(d["status"], "sent", "{d}");
    let id = d["message_id"].as_str().unwrap().to_string();
    let raw = s
        .sent_messages()
        .pop()
        .expect("the SMTP server received it");
    s.seed_messages("me", SENT, &[SeedMessage::new(raw.clone()).flags("S")]);
    s.seed_messages("me", ALL, &[SeedMessage::new(raw).flags("S")]);

    for at in ["10:02", "10:11", "10:30"] {
        env.now = format!("2026-11-23T{at}:00Z");
        env.rapport(&["sync"]).ok();
    }
    assert_eq!(copies(&s, SENT, &id), 1, "rapport noticed Gmail's own copy");
    let entries = timeline(&env, &bob);
    let sent = entries
        .iter()
        .filter(|e| e["kind"] == "request-sent" || e.to_string().contains(&id))
        .count();
    assert_eq!(
        sent, 1,
        "the sent request once, though it is in two folders: {entries:#?}"
    );
    let total = entries.len();
    env.rapport(&["sync"]).ok();
    assert_eq!(timeline(&env, &bob).len(), total, "a re-sync adds nothing");
}
