//! `rapport sync` against a real Dovecot: a seeded mailbox reaches the timelines, flags
//! stay as they were, a second sync fetches nothing, a recreated mailbox (new
//! UIDVALIDITY) doubles nothing, and new mail is found by the next sync.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

fn config(s: &TestServers) -> String {
    s.rapport_config()
}

fn mail(from: &str, to: &str, subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    // Replies are dated after the request they answer.
    let date = if subject.starts_with("Re:") || subject.starts_with("Thanks") {
        "Tue, 03 Nov 2026 09:00:00 +0000"
    } else {
        "Mon, 02 Nov 2026 10:00:00 +0000"
    };
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn seed(s: &TestServers) {
    let sent = vec![
        SeedMessage::new(mail(
            "Me Tester <me@example.test>",
            "Bob Example <bob@example.test>",
            "25 minutes?",
            "req-1@example.test",
            "",
            "Would you be available in the next 2-3 weeks for a 25-minute conversation?",
        ))
        .flags("\\Seen"),
    ];
    s.seed_messages("me", "Sent", &sent);
    let inbox = vec![
        SeedMessage::new(mail(
            "Bob Example <bob@example.test>",
            "me@example.test",
            "Re: 25 minutes?",
            "bob-reply@example.test",
            "In-Reply-To: <req-1@example.test>\r\nReferences: <req-1@example.test>\r\n",
            "Sure, happy to! Next week works.\r\n\r\nOn Mon, Me wrote:\r\n> Would you be available?",
        )),
        SeedMessage::new(mail(
            "Carol <carol@example.test>",
            "me@example.test",
            "Automatic reply: hello",
            "carol-ooo@example.test",
            "Auto-Submitted: auto-replied\r\n",
            "I am out of the office until November 16.",
        ))
        .flags("\\Seen"),
        SeedMessage::new(mail(
            "News <news@lists.example>",
            "me@example.test",
            "Weekly digest",
            "news-1@lists.example",
            "List-Id: <weekly.lists.example>\r\nList-Unsubscribe: <mailto:u@lists.example>\r\n",
            "This week's links.",
        ))
        .flags("\\Seen \\Flagged"),
        // Garbage the parser cannot make sense of: recorded, never a stall.
        SeedMessage::new(b"\x00\x01\x02 not a message at all \xff\xfe".to_vec()),
    ];
    s.seed_messages("me", "INBOX", &inbox);
}

fn flags(s: &TestServers, folder: &str) -> String {
    s.doveadm(&["fetch", "-u", "me", "uid flags", "mailbox", folder])
}

fn sync(env: &Env) -> serde_json::Value {
    env.rapport(&["sync", "--json"]).ok().json()
}

fn folder<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["folders"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["folder"] == name)
        .unwrap_or_else(|| panic!("no folder {name} in {report}"))
}

fn timeline(env: &Env, who: &str) -> Vec<serde_json::Value> {
    env.rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json()["timeline"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn sync_reads_classifies_links_and_never_touches_flags() {
    let s = TestServers::start();
    seed(&s);
    let before_inbox = flags(&s, "INBOX");
    let before_sent = flags(&s, "Sent");
    let env = Env::with_config(&config(&s));
    env.add_contact("bob@example.test", "Bob Example");

    let r = sync(&env);
    let inbox = folder(&r, "INBOX");
    assert_eq!(inbox["read"], 4, "{r}");
    assert_eq!(inbox["new"], 4, "{r}");
    assert_eq!(inbox["error"], serde_json::Value::Null);
    assert_eq!(inbox["labels"]["human_reply"], 1, "{r}");
    assert_eq!(inbox["labels"]["auto_reply"], 1, "{r}");
    assert_eq!(inbox["labels"]["bulk"], 1, "{r}");
    assert_eq!(
        folder(&r, "Sent")["new"],
        1,
        "the \\Sent folder is found by its attribute"
    );
    assert_eq!(
        flags(&s, "INBOX"),
        before_inbox,
        "EXAMINE and BODY.PEEK leave flags alone"
    );
    assert_eq!(flags(&s, "Sent"), before_sent);
    assert_eq!(s.mailbox_status("me", "INBOX").unseen, 2);

    let tl = timeline(&env, "bob");
    let kinds: Vec<&str> = tl.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    // The request written in the user's own client starts the request lifecycle.
    assert_eq!(kinds, vec!["request-sent", "reply"], "{tl:?}");
    assert!(
        tl[0]["summary"]
            .as_str()
            .unwrap()
            .starts_with("you asked (written by you)"),
        "{tl:?}"
    );
    assert_eq!(tl[1]["detail"]["intent"], "yes");

    // `why` explains it with evidence; `mark` corrects it and survives syncs.
    let why = env
        .rapport(&["why", "<bob-reply@example.test>", "--json"])
        .ok()
        .json();
    assert_eq!(why["label"], "human_reply");
    assert_eq!(why["intent"], "yes");
    assert!(why["evidence"].as_array().unwrap().len() >= 2, "{why}");
    env.rapport(&[
        "mark",
        "bob-reply@example.test",
        "human_reply",
        "--intent",
        "later",
        "--until",
        "2027-01-15",
    ])
    .ok();
    let tl = timeline(&env, "bob");
    assert_eq!(tl[1]["detail"]["intent"], "later");
    assert_eq!(tl[1]["detail"]["later_until"], "2027-01-15");
    // Marking it yes clears the until-date and says what changed (issue 10).
    let out = env
        .rapport(&[
            "mark",
            "bob-reply@example.test",
            "human_reply",
            "--intent",
            "yes",
        ])
        .ok()
        .stdout;
    assert!(out.contains("intent later → yes"), "{out}");
    assert!(out.contains("until 2027-01-15 cleared"), "{out}");
    let tl = timeline(&env, "bob");
    assert_eq!(tl[1]["detail"]["later_until"], serde_json::Value::Null);
    assert_eq!(tl[1]["summary"], "replied (yes): Re: 25 minutes?");
    env.rapport(&[
        "mark",
        "bob-reply@example.test",
        "human_reply",
        "--intent",
        "later",
        "--until",
        "2027-01-15",
    ])
    .ok();

    // The garbage message is recorded with the reason, and did not stall the folder.
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(status["messages"], 5, "{status}");
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    let reasons: Vec<String> = conn
        .prepare("SELECT parse_error FROM messages WHERE parse_error != ''")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(reasons.len(), 1, "{reasons:?}");
    assert!(reasons[0].contains("no readable headers"), "{reasons:?}");

    // Carol becomes a contact later, first under another address: her history shows as
    // soon as the address her mail came from is hers (issue 22 item 8).
    let out = env
        .rapport(&["contacts", "add", "carol@other.example", "--name", "Carol"])
        .ok()
        .stdout;
    assert!(!out.contains("earlier interaction"), "{out}");
    let out = env
        .rapport(&["contacts", "edit", "carol", "--email", "carol@example.test"])
        .ok()
        .stdout;
    assert!(out.contains("1 earlier interaction"), "{out}");
    let tl = timeline(&env, "carol");
    assert_eq!(tl[0]["kind"], "auto-reply");
    assert_eq!(tl[0]["summary"], "auto-reply, back 2026-11-16");

    // A second sync fetches nothing.
    let r = sync(&env);
    assert_eq!(folder(&r, "INBOX")["read"], 0, "{r}");
    assert_eq!(folder(&r, "Sent")["read"], 0, "{r}");

    // New mail between syncs is found by the next one.
    s.deliver(
        "me",
        &mail(
            "Bob Example <bob@example.test>",
            "me@example.test",
            "Thanks!",
            "bob-thanks@example.test",
            "",
            "Thank you for taking the time to talk today, it was great chatting.",
        ),
    );
    let r = sync(&env);
    assert_eq!(folder(&r, "INBOX")["new"], 1, "{r}");
    assert_eq!(folder(&r, "INBOX")["labels"]["thank_you"], 1, "{r}");

    // A recreated mailbox (new UIDVALIDITY) is rescanned and doubles nothing.
    let old = s.mailbox_status("me", "INBOX").uidvalidity;
    let new = s.recreate_mailbox("me", "INBOX");
    assert_ne!(old, new);
    let before = timeline(&env, "bob").len();
    let r = sync(&env);
    let inbox = folder(&r, "INBOX");
    assert_eq!(inbox["uidvalidity_changed"], true, "{r}");
    assert_eq!(inbox["read"], 5, "{r}");
    assert_eq!(inbox["new"], 0, "{r}");
    assert_eq!(timeline(&env, "bob").len(), before, "nothing doubled");
    let why = env
        .rapport(&["why", "bob-reply@example.test", "--json"])
        .ok()
        .json();
    assert_eq!(why["label"], "human_reply");
    assert_eq!(why["intent"], "later", "the user's correction survives");
    assert_eq!(why["marked_by_user"], true);
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(status["messages"], 6, "{status}");
}

#[test]
fn sync_reports_a_bad_password_with_the_fix() {
    let s = TestServers::start();
    let env = Env::with_config(&config(&s).replace("echo me-secret", "echo wrong"));
    let r = env.rapport(&["sync"]).fails();
    assert!(r.stderr.contains("login to"), "{}", r.stderr);
    assert!(r.stderr.contains("password"), "{}", r.stderr);
    assert!(
        !r.stderr.contains("wrong"),
        "the password is not echoed: {}",
        r.stderr
    );
}

#[test]
fn sync_over_required_starttls() {
    let s = TestServers::start();
    seed(&s);
    let text = config(&s)
        .replace(
            &format!("port = {}", s.imaps_port()),
            &format!("port = {}", s.imap_port()),
        )
        .replace("security = \"tls\"", "security = \"starttls\"");
    let env = Env::with_config(&text);
    let r = sync(&env);
    assert_eq!(folder(&r, "INBOX")["new"], 4, "{r}");
}

/// Issue 8: `contacts show` tells the right story for a request written by hand, a
/// "works for me", a "not the 2nd but the 4th" and a German holiday reply, and
/// `queue` lists a request from someone else under "To answer".
#[test]
fn contacts_show_tells_the_story_of_hand_written_requests() {
    let s = TestServers::start();
    let me = "Me Tester <me@example.test>";
    let people = [
        ("ana", "Ana Ruiz <ana@example.test>"),
        ("ben", "Ben Ode <ben@example.test>"),
        ("jan", "Jan Weiss <jan@example.test>"),
    ];
    let sent: Vec<SeedMessage> = people
        .iter()
        .map(|(k, who)| {
            SeedMessage::new(mail(
                me,
                who,
                "Great to meet you",
                &format!("req-{k}@example.test"),
                "",
                "Great to meet you at the meetup! Would you have 20 minutes for a call in the next weeks?",
            ))
            .flags("\\Seen")
        })
        .collect();
    s.seed_messages("me", "Sent", &sent);
    let reply = |k: &str, who: &str, subject: &str, extra: &str, body: &str| {
        SeedMessage::new(mail(
            who,
            "me@example.test",
            subject,
            &format!("{k}-answer@example.test"),
            &format!("In-Reply-To: <req-{k}@example.test>\r\n{extra}"),
            body,
        ))
    };
    let inbox = vec![
        reply(
            "ana",
            people[0].1,
            "Re: Great to meet you",
            "",
            "Tuesday at 10 works for me.",
        ),
        reply(
            "ben",
            people[1].1,
            "Re: Great to meet you",
            "",
            "Not the 2nd, but the 4th of December would work.",
        ),
        reply(
            "jan",
            people[2].1,
            "Abwesenheitsnotiz: Great to meet you",
            "Auto-Submitted: auto-replied\r\n",
            "Vielen Dank für Ihre Nachricht. Ich bin bis 30.11. nicht im Büro.",
        ),
        SeedMessage::new(mail(
            "Dora Lim <dora@example.test>",
            "me@example.test",
            "Coffee?",
            "dora-ask@example.test",
            "",
            "Hi! Would you have time for a coffee next week?",
        )),
    ];
    s.seed_messages("me", "INBOX", &inbox);
    let env = Env::with_config(&config(&s));
    for (k, who) in people
        .iter()
        .copied()
        .chain([("dora", "Dora Lim <dora@example.test>")])
    {
        let addr = who.split(['<', '>']).nth(1).unwrap();
        env.add_contact(addr, k);
    }
    sync(&env);
    let summaries = |who: &str| -> Vec<String> {
        timeline(&env, who)
            .iter()
            .map(|i| i["summary"].as_str().unwrap().to_string())
            .collect()
    };
    let ana = summaries("ana");
    assert!(ana[0].starts_with("you asked (written by you)"), "{ana:?}");
    assert!(ana[1].starts_with("replied (yes)"), "{ana:?}");
    let ben = summaries("ben");
    assert!(
        ben[1].starts_with("replied (later, until 2026-12-04)"),
        "{ben:?}"
    );
    let jan = summaries("jan");
    assert!(
        jan.iter().any(|s| s == "auto-reply, back 2026-11-30"),
        "{jan:?}"
    );
    let show = env.rapport(&["contacts", "show", "jan"]).ok().stdout;
    assert!(
        show.contains("2026-12-01"),
        "the nudge waits for the return: {show}"
    );
    let dora = summaries("dora");
    assert_eq!(dora, vec!["they asked you: Coffee?".to_string()]);
    let show = env.rapport(&["contacts", "show", "dora"]).ok().stdout;
    assert!(
        show.contains("they asked you for a meeting on") && show.contains("answer them"),
        "the next step says to answer: {show}"
    );
    let q = env.rapport(&["queue"]).ok().stdout;
    assert!(q.contains("To answer"), "{q}");
    assert!(q.contains("dora-ask@example.test"), "{q}");
}
