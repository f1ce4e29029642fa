//! Order does not matter: one mailbox (requests in Sent; a reply in the thread, an
//! assistant's answer with the contact in Cc, a booking tool's confirmation and an
//! unanswered request) synced INBOX-first, Sent-first, and message by message with each
//! answer arriving before the request it answers, against the real Dovecot. The three
//! timelines and the three queues must be the same, and only the unanswered request may
//! have a nudge.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

const PEOPLE: [(&str, &str); 4] = [
    ("bob@example.test", "Bob Example"),
    ("carol@example.test", "Carol Nguyen"),
    ("dan@example.test", "Dan Ito"),
    ("erin@example.test", "Erin Falk"),
];

fn mail(head: &str, date: &str, body: &str) -> Vec<u8> {
    format!(
        "{head}Date: {date}\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn request(to: &str, name: &str, id: &str) -> Vec<u8> {
    mail(
        &format!(
            "From: Ada Lovelace <me@example.test>\r\nTo: {name} <{to}>\r\nSubject: 25 minutes?\r\nMessage-ID: <{id}>\r\n"
        ),
        "Mon, 02 Nov 2026 10:00:00 +0000",
        "Would you be available in the next 2-3 weeks for a 25-minute conversation?",
    )
}

/// (folder, message) in the order a slow mailbox might deliver them: each answer before
/// the request it answers.
fn messages() -> Vec<(&'static str, Vec<u8>)> {
    vec![
        (
            "INBOX",
            mail(
                "From: Bob Example <bob@example.test>\r\nTo: me@example.test\r\nSubject: Re: 25 minutes?\r\nMessage-ID: <bob-1@example.test>\r\nIn-Reply-To: <req-bob@example.test>\r\nReferences: <req-bob@example.test>\r\n",
                "Tue, 03 Nov 2026 09:00:00 +0000",
                "Sure, happy to! Next week works.",
            ),
        ),
        (
            "Sent",
            request("bob@example.test", "Bob Example", "req-bob@example.test"),
        ),
        (
            "INBOX",
            mail(
                "From: Sam Ortiz <sam@example.test>\r\nTo: me@example.test\r\nCc: Carol Nguyen <carol@example.test>\r\nSubject: Re: 25 minutes?\r\nMessage-ID: <sam-1@example.test>\r\nIn-Reply-To: <req-carol@example.test>\r\nReferences: <req-carol@example.test>\r\n",
                "Tue, 03 Nov 2026 11:00:00 +0000",
                "Hi Ada, I look after Carol's diary. She is glad to meet; I will send an invitation.",
            ),
        ),
        (
            "Sent",
            request(
                "carol@example.test",
                "Carol Nguyen",
                "req-carol@example.test",
            ),
        ),
        (
            "Sent",
            request("dan@example.test", "Dan Ito", "req-dan@example.test"),
        ),
        (
            "INBOX",
            mail(
                "From: Calendly <notifications@calendly.com>\r\nReply-To: Dan Ito <dan@example.test>\r\nTo: me@example.test\r\nSubject: New Event: Dan Ito - 30 Minute Meeting\r\nMessage-ID: <cal-1@calendly.com>\r\n",
                "Wed, 04 Nov 2026 08:00:00 +0000",
                "A new event has been scheduled.\r\nInvitee: Dan Ito\r\nInvitee Email: dan@example.test\r\nEvent Date/Time: 15:00 - Thursday, 12 November 2026",
            ),
        ),
        (
            "Sent",
            request("erin@example.test", "Erin Falk", "req-erin@example.test"),
        ),
    ]
}

fn env(s: &TestServers, folders: &str) -> Env {
    let config = format!("{}folders = {folders}\n", s.rapport_config());
    let env = Env::with_config(&config);
    for (address, name) in PEOPLE {
        env.add_contact(address, name);
    }
    env
}

fn sync(env: &Env) {
    let r = env.rapport(&["sync", "--json"]).ok().json();
    for f in r["folders"].as_array().unwrap() {
        assert_eq!(f["error"], serde_json::Value::Null, "{r}");
    }
}

/// Everyone's timeline, without what only says where a row landed (ids, row numbers).
fn state(env: &Env) -> (Vec<String>, Vec<String>) {
    let mut timelines = Vec::new();
    for (address, _) in PEOPLE {
        let show = env
            .rapport(&["contacts", "show", address, "--json"])
            .ok()
            .json();
        for mut e in show["timeline"].as_array().unwrap().clone() {
            let o = e.as_object_mut().unwrap();
            o.remove("id");
            o.remove("contact_id");
            if let Some(d) = o.get_mut("detail").and_then(|d| d.as_object_mut()) {
                d.remove("message");
            }
            timelines.push(format!("{address} {e}"));
        }
    }
    // How each answer was read: the label, the intent and the evidence (which says
    // whether it was read as an answer to the user's own message).
    for id in [
        "bob-1@example.test",
        "sam-1@example.test",
        "cal-1@calendly.com",
    ] {
        let why = env.rapport(&["why", id, "--json"]).ok().json();
        timelines.push(format!(
            "{id} {} {} {}",
            why["label"], why["intent"], why["evidence"]
        ));
    }
    timelines.sort();
    let mut queue: Vec<String> = env
        .drafts()
        .iter()
        .map(|d| format!("{} {} {} {}", d["to"], d["kind"], d["status"], d["why"]))
        .collect();
    queue.sort();
    (timelines, queue)
}

#[test]
fn the_timeline_and_the_queue_do_not_depend_on_the_order_mail_was_read_in() {
    let s = TestServers::start();
    // Message by message, INBOX read before Sent, each answer before its request.
    let one_by_one = env(&s, r#"["INBOX", "Sent"]"#);
    for (folder, raw) in messages() {
        s.seed_messages("me", folder, &[SeedMessage::new(raw)]);
        sync(&one_by_one);
    }
    let inbox_first = env(&s, r#"["INBOX", "Sent"]"#);
    sync(&inbox_first);
    let sent_first = env(&s, r#"["Sent", "INBOX"]"#);
    sync(&sent_first);

    // `why` says how Sam's answer reached Carol, and how to keep Sam.
    let why = sent_first
        .rapport(&["why", "sam-1@example.test"])
        .ok()
        .stdout;
    for part in [
        "Carol Nguyen",
        "answered by their assistant Sam Ortiz <sam@example.test>",
        "--email sam@example.test",
        "rapport contacts add sam@example.test",
    ] {
        assert!(why.contains(part), "missing {part:?}:\n{why}");
    }
    let reference = state(&sent_first);
    assert_eq!(state(&inbox_first), reference, "INBOX first");
    assert_eq!(state(&one_by_one), reference, "message by message");

    // And the state is the right one: everyone answered but Erin.
    let (timeline, queue) = reference;
    let open: Vec<&String> = queue
        .iter()
        .filter(|d| d.contains("\"nudge\"") && d.contains("\"pending\""))
        .collect();
    assert_eq!(open.len(), 1, "{queue:#?}");
    assert!(open[0].contains("erin@example.test"), "{queue:#?}");
    assert!(
        timeline
            .iter()
            .any(|e| e.starts_with("carol@") && e.contains("answered by their assistant Sam Ortiz")),
        "{timeline:#?}"
    );
    assert!(
        timeline
            .iter()
            .any(|e| e.starts_with("dan@") && e.contains("Calendly")),
        "{timeline:#?}"
    );
    assert!(
        timeline
            .iter()
            .any(|e| e.starts_with("bob@") && e.contains("replied (yes)")),
        "{timeline:#?}"
    );
}

/// A shell-quoted command line as its words (single quotes, `'\''` inside).
fn words(cmd: &str) -> Vec<String> {
    let mut out = Vec::new();
    let (mut cur, mut quoted, mut any) = (String::new(), false, false);
    let mut chars = cmd.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\'' => {
                quoted = !quoted;
                any = true;
            }
            '\\' if !quoted => {
                if let Some(n) = chars.next() {
                    cur.push(n);
                }
            }
            ' ' if !quoted => {
                if any || !cur.is_empty() {
                    out.push(std::mem::take(&mut cur));
                }
                any = false;
            }
            c => cur.push(c),
        }
    }
    if any || !cur.is_empty() {
        out.push(cur);
    }
    out
}

#[test]
fn a_referral_is_listed_to_answer_with_the_command_that_adds_the_new_person() {
    let env = Env::with_maildir();
    env.add_contact("carol@example.test", "Carol Nguyen");
    env.deliver(
        "1.referral",
        "From: Carol Nguyen <carol@example.test>\nTo: ada@example.org\nCc: Ana Lima <ana.lima@example.test>\nSubject: Re: 25 minutes?\nMessage-ID: <ref-1@example.test>\nDate: Fri, 20 Nov 2026 10:00:00 +0000\n\nThanks Ada! My colleague Ana is better placed to talk about hiring, cc'd.\n",
    );
    env.rapport(&["sync"]).ok();
    let queue = env.rapport(&["queue"]).ok().stdout;
    let line = queue
        .lines()
        .find(|l| l.contains("introduced ana.lima@example.test"))
        .unwrap_or_else(|| panic!("{queue}"));
    let (_, cmd) = line.split_once(": ").unwrap_or_else(|| panic!("{line}"));
    let cmd = cmd.trim();
    assert!(cmd.starts_with("rapport contacts add "), "{cmd}");
    let args = words(cmd);
    let args: Vec<&str> = args.iter().skip(1).map(String::as_str).collect();
    env.rapport(&args).ok();
    let show = env
        .rapport(&["contacts", "show", "ana.lima@example.test", "--json"])
        .ok()
        .json();
    assert_eq!(show["contact"]["name"], "Ana Lima", "{show}");
    assert!(
        show.to_string()
            .contains("how you met: introduced by Carol Nguyen"),
        "{show}"
    );
    // The one command also drafted the request to her (issue 24: a referral in one step).
    assert!(
        env.drafts()
            .iter()
            .any(|d| d["kind"] == "meeting-request" && d["to"] == "ana.lima@example.test"),
        "{:?}",
        env.drafts()
    );
    // Added, she is no longer suggested; `why` says how the message was read.
    let queue = env.rapport(&["queue"]).ok().stdout;
    assert!(!queue.contains("introduced ana.lima"), "{queue}");
    let why = env.rapport(&["why", "ref-1@example.test"]).ok().stdout;
    assert!(why.contains("hands the conversation to Ana Lima"), "{why}");
}
