//! Which bodies the first sync reads, against a real Dovecot: mail that can reach a
//! timeline (a contact's, a bounce) is read whole; a stranger's is read from its headers,
//! and read again, whole, by the sync after that stranger becomes a contact.

use crate::support::TestServers;
use crate::util::Env;

fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: Me Tester <me@example.test>\r\nSubject: {subject}\r\nDate: Mon, 16 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{id}>\r\n{extra}\r\n{body}\r\n"
    )
    .into_bytes()
}

const ASK: &str =
    "Hi, would you have 20 minutes for a call next week? Tuesday or Wednesday works for me.";

fn bounce(failed: &str) -> Vec<u8> {
    let b = "dsn-boundary";
    mail(
        "Mail Delivery System <mailer-daemon@mx.example.test>",
        "Undelivered Mail Returned to Sender",
        "dsn-1@mx.example.test",
        &format!(
            "MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary=\"{b}\"\r\n"
        ),
        &format!(
            "--{b}\r\nContent-Type: text/plain\r\n\r\nYour message could not be delivered to {failed}.\r\n--{b}\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; {failed}\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 <{failed}>: user unknown\r\n--{b}\r\nContent-Type: text/rfc822-headers\r\n\r\nFrom: me@example.test\r\nTo: {failed}\r\nSubject: hello\r\nMessage-ID: <hello-1@example.test>\r\n--{b}--\r\n"
        ),
    )
}

fn seed(s: &TestServers) {
    let plain = "MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n";
    s.seed_maildir(
        "me",
        "INBOX",
        &[
            mail(
                "Bob Example <bob@example.test>",
                "Hello",
                "bob-ask@example.test",
                plain,
                ASK,
            ),
            mail(
                "Dan Stranger <dan@elsewhere.test>",
                "Hello",
                "dan-ask@elsewhere.test",
                plain,
                ASK,
            ),
            mail(
                "News <news@lists.example.test>",
                "Weekly links",
                "news-1@lists.example.test",
                &format!("List-Id: <weekly.lists.example.test>\r\n{plain}"),
                "Would you have 20 minutes for a call next week? (a newsletter saying so)",
            ),
            bounce("bob@example.test"),
        ],
    );
}

fn inbox(env: &Env) -> serde_json::Value {
    let r = env.rapport(&["sync", "--json"]).ok().json();
    r["folders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["folder"] == "INBOX")
        .cloned()
        .unwrap_or_else(|| panic!("no INBOX in {r}"))
}

fn label(env: &Env, id: &str) -> String {
    env.rapport(&["why", id, "--json"]).ok().json()["label"]
        .as_str()
        .unwrap()
        .to_string()
}

fn kinds(env: &Env, who: &str) -> Vec<String> {
    let shown = env
        .rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json();
    shown["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn a_contacts_mail_and_a_bounce_are_read_whole_and_a_strangers_from_headers() {
    let s = TestServers::start();
    seed(&s);
    let env = Env::with_config(&s.rapport_config());
    env.rapport(&[
        "contacts",
        "add",
        "bob@example.test",
        "--name",
        "Bob Example",
    ])
    .ok();
    let r = inbox(&env);
    assert_eq!(r["new"], 4, "{r}");
    assert_eq!(
        r["bodies"], 2,
        "Bob's mail and the bounce, nothing else: {r}"
    );
    assert_eq!(label(&env, "<bob-ask@example.test>"), "meeting_request");
    assert_eq!(label(&env, "<dsn-1@mx.example.test>"), "bounce");
    assert_eq!(label(&env, "<news-1@lists.example.test>"), "bulk");
    let bob = kinds(&env, "bob@example.test");
    assert!(bob.contains(&"request-received".to_string()), "{bob:?}");
    assert!(bob.contains(&"bounce".to_string()), "{bob:?}");
    // The stranger's request was not read: headers alone do not make it one.
    assert_ne!(label(&env, "<dan-ask@elsewhere.test>"), "meeting_request");
}

#[test]
fn a_contact_added_later_has_their_mail_read_again_by_the_next_sync() {
    let s = TestServers::start();
    seed(&s);
    let env = Env::with_config(&s.rapport_config());
    let first = inbox(&env);
    assert_eq!(first["new"], 4, "{first}");
    let headers_only = label(&env, "<dan-ask@elsewhere.test>");
    assert_ne!(headers_only, "meeting_request");

    env.rapport(&["contacts", "add", "dan@elsewhere.test", "--name", "Dan"])
        .ok();
    let again = inbox(&env);
    assert_eq!(again["new"], 0, "{again}");
    assert_eq!(
        again["bodies"], 1,
        "only Dan's message is fetched again: {again}"
    );
    assert_eq!(label(&env, "<dan-ask@elsewhere.test>"), "meeting_request");
    let dan = kinds(&env, "dan@elsewhere.test");
    assert_eq!(
        dan,
        vec!["request-received".to_string()],
        "read again, entered once"
    );

    let third = inbox(&env);
    assert_eq!(third["bodies"], 0, "read again once: {third}");
    assert_eq!(kinds(&env, "dan@elsewhere.test"), dan);
}

/// The evidence stored with a message (the `classification` column), as JSON.
fn stored_evidence(env: &Env, id: &str) -> serde_json::Value {
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    let text: String = conn
        .query_row(
            "SELECT classification FROM messages WHERE message_id = ?1",
            [id],
            |r| r.get(0),
        )
        .unwrap();
    let c: serde_json::Value = serde_json::from_str(&text).unwrap();
    c["evidence"].clone()
}

#[test]
fn mail_read_from_its_headers_is_stored_without_evidence_and_why_reads_it_again() {
    let s = TestServers::start();
    seed(&s);
    let env = Env::with_config(&s.rapport_config());
    env.add_contact("bob@example.test", "Bob Example");
    assert_eq!(inbox(&env)["new"], 4);
    let news = "news-1@lists.example.test";
    assert_eq!(
        stored_evidence(&env, news),
        serde_json::json!([]),
        "list mail is read from its headers: no evidence stored"
    );
    let whole = stored_evidence(&env, "bob-ask@example.test");
    assert!(
        whole.as_array().is_some_and(|e| !e.is_empty()),
        "mail read whole keeps its evidence: {whole}"
    );

    let text = env.rapport(&["why", news]).ok().stdout;
    assert!(text.contains("Label: bulk"), "{text}");
    assert!(text.contains("read again from the server"), "{text}");
    assert!(
        text.contains("list-id present"),
        "the list header is the evidence: {text}"
    );
    let json = env.rapport(&["why", news, "--json"]).ok().json();
    assert_eq!(json["evidence_read_again"], true, "{json}");
    assert!(
        json["evidence"].to_string().contains("list-id present"),
        "{json}"
    );
    // Read again, never written back.
    assert_eq!(stored_evidence(&env, news), serde_json::json!([]));
}
