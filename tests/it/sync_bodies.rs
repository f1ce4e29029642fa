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

/// Bob's request with an invitation and a 5 MB PDF attached: multipart/mixed holding a
/// multipart/alternative (text and HTML), a calendar part and the PDF.
fn with_attachment() -> Vec<u8> {
    let pdf = "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\r\n".repeat(80_000);
    let ics = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nMETHOD:REQUEST\r\nPRODID:-//test//EN\r\nBEGIN:VEVENT\r\nUID:att-1@example.test\r\nDTSTART:20261124T150000Z\r\nDTEND:20261124T153000Z\r\nSUMMARY:Call with Bob\r\nORGANIZER:mailto:bob@example.test\r\nATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.test\r\nSEQUENCE:0\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n";
    mail(
        "Bob Example <bob@example.test>",
        "Call next week",
        "bob-att@example.test",
        "MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=\"outer\"\r\n",
        &format!(
            "preamble\r\n--outer\r\nContent-Type: multipart/alternative; boundary=\"alt\"\r\n\r\n--alt\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{ASK}\r\n--alt\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>{ASK}</p>\r\n--alt--\r\n--outer\r\nContent-Type: text/calendar; method=REQUEST; charset=utf-8\r\n\r\n{ics}\r\n--outer\r\nContent-Type: application/pdf; name=\"deck.pdf\"\r\nContent-Disposition: attachment; filename=\"deck.pdf\"\r\nContent-Transfer-Encoding: base64\r\n\r\n{pdf}--outer--\r\n"
        ),
    )
}

#[test]
fn a_large_attachment_is_left_on_the_server_and_the_reading_is_the_same() {
    let s = TestServers::start();
    let raw = with_attachment();
    assert!(raw.len() > 5_000_000, "{}", raw.len());
    s.seed_maildir("me", "INBOX", std::slice::from_ref(&raw));
    // Larger than `max_body_bytes` by default: read from its headers. Allowed here, it
    // was read (before the parts were fetched one by one) as its first 256 KiB of text.
    let config = s
        .rapport_config()
        .replacen("[imap]\n", "[imap]\nmax_body_bytes = 8388608\n", 1);
    assert!(config.contains("max_body_bytes = 8388608"), "{config}");
    let env = Env::with_config(&config);
    env.add_contact("bob@example.test", "Bob Example");
    let before = s.imap_bytes_out().len();
    let r = inbox(&env);
    assert_eq!(
        (r["new"].as_u64(), r["bodies"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    // Dovecot logs the session's end on its own time: wait for the line.
    let start = std::time::Instant::now();
    let sessions = loop {
        let all = s.imap_bytes_out();
        if all.len() > before || start.elapsed() > std::time::Duration::from_secs(10) {
            break all;
        }
        std::thread::sleep(std::time::Duration::from_millis(20));
    };
    assert_eq!(
        sessions.len(),
        before + 1,
        "the sync's one session is logged"
    );
    let sent = sessions[before];
    println!("Dovecot sent {sent} bytes for a {} byte message", raw.len());
    assert!(
        sent < 64 * 1024,
        "the attachment stays on the server (its first 256 KiB were sent before): {sent} bytes sent for {}",
        raw.len()
    );

    // The reading of the whole message, classified here from its bytes.
    let user = vec!["me@example.test".to_string()];
    let never = |_: &str| false;
    let reader = rapport::core::classify::model::Reader::shipped().unwrap();
    let ctx = rapport::core::classify::Context {
        now: "2026-11-20T10:00:00Z".parse().unwrap(),
        user_addresses: &user,
        sent_message_ids: &never,
        default_tz: jiff::tz::TimeZone::UTC,
        reader: Some(&reader),
    };
    let whole = rapport::core::classify::classify(&raw, &ctx);
    let synced = env
        .rapport(&["why", "bob-att@example.test", "--json"])
        .ok()
        .json();
    assert_eq!(synced["label"], whole.label.as_str(), "{synced}");
    assert_eq!(synced["label"], "meeting_invite", "{synced}");
    assert_eq!(synced["certainty"], whole.certainty.as_str(), "{synced}");
    assert_eq!(
        synced["meeting"],
        serde_json::to_value(&whole.meeting).unwrap()
    );
    assert_eq!(
        synced["evidence"],
        serde_json::to_value(&whole.evidence).unwrap()
    );
}
