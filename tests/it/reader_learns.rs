//! The learned reader learns from the user, against a real Dovecot: a reply whose
//! wording the rules read wrong is marked once with `rapport mark`; the next sync reads
//! a similar reply from someone else as the user said (and says why); `rapport mark
//! --forget` unteaches it, so a third such reply reads as before.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

fn mail(from: &str, subject: &str, id: &str, extra: &str, body: &str, day: u8) -> Vec<u8> {
    format!(
        "From: {from}\r\nTo: me@example.test\r\nSubject: {subject}\r\n\
         Date: Tue, {day:02} Nov 2026 09:00:00 +0000\r\nMessage-ID: <{id}>\r\n{extra}\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn request(to: &str, id: &str) -> SeedMessage {
    let m = format!(
        "From: Me Tester <me@example.test>\r\nTo: {to}\r\nSubject: 25 minutes?\r\n\
         Date: Mon, 02 Nov 2026 10:00:00 +0000\r\nMessage-ID: <{id}>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n\
         Would you be open to a 25-minute call in the next few weeks?\r\n"
    );
    SeedMessage::new(m.into_bytes()).flags("\\Seen")
}

/// A reply in the thread of the request `req`.
fn reply(from: &str, id: &str, req: &str, body: &str, day: u8) -> SeedMessage {
    let thread = format!("In-Reply-To: <{req}>\r\nReferences: <{req}>\r\n");
    SeedMessage::new(mail(from, "Re: 25 minutes?", id, &thread, body, day))
}

fn why(env: &Env, id: &str) -> serde_json::Value {
    env.rapport(&["why", id, "--json"]).ok().json()
}

fn evidence(w: &serde_json::Value) -> String {
    w["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["detail"].as_str().unwrap_or_default().to_string())
        .collect::<Vec<_>>()
        .join(" | ")
}

#[test]
fn a_phrasing_corrected_once_is_read_right_in_the_next_sync() {
    let s = TestServers::start();
    s.seed_messages(
        "me",
        "Sent",
        &[
            request("Bob <bob@example.test>", "req-bob@example.test"),
            request("Dana <dana@example.test>", "req-dana@example.test"),
            request("Eve <eve@example.test>", "req-eve@example.test"),
        ],
    );
    let phrasing = "Grand so, bells on.";
    s.seed_messages(
        "me",
        "INBOX",
        &[reply(
            "Bob <bob@example.test>",
            "bob-r@example.test",
            "req-bob@example.test",
            phrasing,
            3,
        )],
    );
    let env = Env::with_config(&s.rapport_config());
    for (a, n) in [("bob", "Bob"), ("dana", "Dana"), ("eve", "Eve")] {
        env.add_contact(&format!("{a}@example.test"), n);
    }
    env.rapport(&["sync", "--json"]).ok();
    let first = why(&env, "<bob-r@example.test>");
    assert_ne!(
        first["intent"], "yes",
        "the rules must misread it for this test: {first}"
    );

    env.rapport(&[
        "mark",
        "bob-r@example.test",
        "human_reply",
        "--intent",
        "yes",
    ])
    .ok();

    // A similar reply from someone else, in the next sync.
    s.seed_messages(
        "me",
        "INBOX",
        &[reply(
            "Dana <dana@example.test>",
            "dana-r@example.test",
            "req-dana@example.test",
            "grand so - bells on!",
            4,
        )],
    );
    env.rapport(&["sync", "--json"]).ok();
    let dana = why(&env, "<dana-r@example.test>");
    assert_eq!(dana["label"], "human_reply", "{dana}");
    assert_eq!(dana["intent"], "yes", "{dana}");
    let ev = evidence(&dana);
    assert!(
        ev.contains("you marked a message like this one as yes"),
        "{ev}"
    );
    // The rules disagree, so the user confirms it: not sure on the model's word alone.
    let tl = env
        .rapport(&["contacts", "show", "dana", "--json"])
        .ok()
        .json();
    let entry = tl["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["kind"] == "reply")
        .cloned()
        .unwrap_or_else(|| panic!("no reply on Dana's timeline: {tl}"));
    assert_eq!(entry["detail"]["intent"], "yes", "{entry}");
    assert_eq!(entry["detail"]["unsure"], true, "{entry}");

    // Forgetting the lesson: the next such reply reads as the rules read it.
    let out = env
        .rapport(&["mark", "--forget", "bob-r@example.test"])
        .ok()
        .stdout;
    assert!(out.contains("forgot"), "{out}");
    let again = env
        .rapport(&["mark", "--forget", "bob-r@example.test"])
        .ok()
        .stdout;
    assert!(again.contains("nothing to forget"), "{again}");
    s.seed_messages(
        "me",
        "INBOX",
        &[reply(
            "Eve <eve@example.test>",
            "eve-r@example.test",
            "req-eve@example.test",
            "Grand so, bells on, Sam.",
            5,
        )],
    );
    env.rapport(&["sync", "--json"]).ok();
    let eve = why(&env, "<eve-r@example.test>");
    assert_eq!(eve["intent"], first["intent"], "{eve}");
    assert!(!evidence(&eve).contains("you marked"), "{eve}");
}
