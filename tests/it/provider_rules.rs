//! Replies that the user's server-side rules file away from the INBOX (issue 23),
//! against real Dovecot: with `[imap] folders = ["Sent", "INBOX", "Clients/*"]` the
//! pattern is expanded against LIST, the reply filed in `Clients/Acme` is read onto the
//! contact's timeline, and the look just before an approved nudge goes out reads that
//! folder too, so the nudge is withdrawn, never sent.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

#[test]
fn a_reply_filed_by_a_rule_into_clients_acme_stops_the_approved_nudge() {
    let s = TestServers::start();
    let bob = s.account("bob").address;
    let config = format!(
        "{}folders = [\"Sent\", \"INBOX\", \"Clients/*\"]\n",
        s.rapport_config()
    );
    let mut env = Env::with_config(&config);
    // A folder the pattern must not pick: it is not below Clients.
    s.seed_messages("me", "Archive", &[]);
    env.add_contact(&bob, "Bob Example");
    env.rapport(&["request", &bob]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(s.sent_messages().len(), 1, "the request went out");
    let request_id = env.draft(1)["message_id"].as_str().unwrap().to_string();

    // A week on, the nudge is drafted and approved.
    env.now = "2026-11-30T10:00:00Z".into();
    let queue = env.rapport(&["queue", "--json"]).ok().json();
    let nudge = queue["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["kind"] == "nudge")
        .unwrap_or_else(|| panic!("no nudge drafted: {queue}"))["id"]
        .as_i64()
        .unwrap();
    env.rapport(&["queue", "approve", &nudge.to_string()]).ok();

    // Bob answers; the server's rule files his reply in Clients/Acme.
    let reply = format!(
        "From: Bob Example <{bob}>\r\nTo: Ada Lovelace <me@example.test>\r\nSubject: Re: 25 minutes?\r\nDate: Mon, 30 Nov 2026 09:30:00 +0000\r\nMessage-ID: <bob-reply@example.test>\r\nIn-Reply-To: <{request_id}>\r\nReferences: <{request_id}>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nSorry for the silence. Yes, happy to talk; Thursday works.\r\n"
    );
    s.seed_messages(
        "me",
        "Clients/Acme",
        &[SeedMessage::new(reply.into_bytes())],
    );

    let send = env.rapport(&["send"]);
    let d = env.draft(nudge);
    assert_eq!(
        d["status"], "superseded",
        "{}{}\n{d}",
        send.stdout, send.stderr
    );
    assert_eq!(s.sent_messages().len(), 1, "the nudge never went out");

    let sync = env.rapport(&["sync", "--json"]).ok().json();
    let folders: Vec<&str> = sync["folders"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["folder"].as_str())
        .collect();
    assert_eq!(folders, ["Sent", "INBOX", "Clients/Acme"], "{sync}");
    let show = env
        .rapport(&["contacts", "show", &bob, "--json"])
        .ok()
        .json();
    assert!(
        show["timeline"].to_string().contains("Thursday works")
            || show["timeline"].to_string().contains("bob-reply"),
        "the reply is on Bob's timeline: {show}"
    );
}
