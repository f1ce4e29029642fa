//! Double opt-in introductions against real Dovecot and the test SMTP server: A is asked
//! first, B only after A's yes, the introduction goes to both only after both said yes;
//! a no, a silence, a forged or stale draft never gets anything to B it should not.

use crate::e2e_story::{inbox_count, send_to_me};
use crate::support::TestServers;
use crate::util::Env;

/// Jessica (alice, A) and Omar (bob, B) as contacts, the intro started at `now`.
fn started(s: &TestServers) -> Env {
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-11-02T10:00:00Z".into(); // a Monday
    env.add_contact("alice@example.test", "Jessica Park");
    env.add_contact("bob@example.test", "Omar Haddad");
    let r = env
        .rapport(&[
            "intro",
            "jessica",
            "omar",
            "--why",
            "you both work on search ranking",
        ])
        .ok();
    assert!(r.stdout.contains("Started intro 1"), "{}", r.stdout);
    env
}

/// The open drafts: (id, kind, to, cc).
fn open(env: &Env) -> Vec<(i64, String, String, String)> {
    env.drafts()
        .into_iter()
        .filter(|d| ["pending", "approved", "snoozed"].contains(&d["status"].as_str().unwrap()))
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["kind"].as_str().unwrap().to_string(),
                d["to"].as_str().unwrap().to_string(),
                d["cc"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

/// sync, then approve every open draft and send.
fn approve_all_and_send(env: &mut Env, now: &str) -> Vec<(i64, String, String, String)> {
    env.now = now.into();
    env.rapport(&["sync"]).ok();
    let drafted = open(env);
    for (id, ..) in &drafted {
        env.rapport(&["queue", "approve", &id.to_string()]).ok();
    }
    env.rapport(&["send"]).ok();
    drafted
}

fn message_id_of(env: &Env, id: i64) -> String {
    env.draft(id)["message_id"].as_str().unwrap().to_string()
}

fn intro_json(env: &Env) -> serde_json::Value {
    let all = env.rapport(&["intros", "--all", "--json"]).ok().json();
    all["intros"][0].clone()
}

/// `who` answers the email with Message-ID `to` through SMTP, in its thread.
fn answer(s: &TestServers, who: (&str, &str), to: &str, date: &str, id: &str, body: &str) {
    send_to_me(
        s,
        &format!(
            "From: {} <{}@example.test>\nTo: me@example.test\nSubject: Re: An introduction\nDate: {date}\nMessage-ID: <{id}@example.test>\nIn-Reply-To: <{to}>\nReferences: <{to}>\n\n{body}\n",
            who.0, who.1
        ),
    );
}

const JESSICA: (&str, &str) = ("Jessica Park", "alice");
const OMAR: (&str, &str) = ("Omar Haddad", "bob");

/// Jessica (A) answers the ask `ask_a` with a yes on 3 November.
fn jessica_says_yes(s: &TestServers, ask_a: &str, body: &str) {
    answer(
        s,
        JESSICA,
        ask_a,
        "Tue, 03 Nov 2026 09:00:00 +0000",
        "jp-yes",
        body,
    );
}

/// Omar (B) answers the ask `ask_b` on 4 November.
fn omar_answers(s: &TestServers, ask_b: &str, id: &str, body: &str) {
    answer(s, OMAR, ask_b, "Wed, 04 Nov 2026 09:00:00 +0000", id, body);
}

fn timeline(env: &Env, who: &str) -> Vec<String> {
    let show = env
        .rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json();
    show["timeline"]
        .as_array()
        .unwrap_or_else(|| panic!("no timeline in {show}"))
        .iter()
        .map(|i| format!("{} {} {}", i["at"], i["kind"], i["summary"]))
        .collect()
}

#[test]
fn both_say_yes_three_drafts_in_order_and_the_introduction_reaches_both() {
    let s = TestServers::start();
    let mut env = started(&s);
    // 1. Only the ask to A exists; B has heard nothing.
    let first = approve_all_and_send(&mut env, "2026-11-02T10:00:00Z");
    assert_eq!(first.len(), 1, "{first:?}");
    assert_eq!(
        (first[0].1.as_str(), first[0].2.as_str()),
        ("intro-ask", "alice@example.test")
    );
    assert_eq!(inbox_count(&s, "alice"), 1);
    assert_eq!(inbox_count(&s, "bob"), 0, "B hears nothing before A's yes");
    assert_eq!(intro_json(&env)["stage"], "waiting-a");
    let ask_a = message_id_of(&env, first[0].0);
    let sent = String::from_utf8(s.sent_message(1).unwrap()).unwrap();
    assert!(sent.contains("Omar Haddad"), "the ask names B: {sent}");
    assert!(
        sent.contains("search ranking"),
        "the ask gives the reason: {sent}"
    );

    // 2. A's yes: the ask to B, and nothing else.
    jessica_says_yes(&s, &ask_a, "Yes, happy to! Please introduce us.");
    let second = approve_all_and_send(&mut env, "2026-11-03T10:00:00Z");
    assert_eq!(second.len(), 1, "{second:?}");
    assert_eq!(
        (second[0].1.as_str(), second[0].2.as_str()),
        ("intro-ask", "bob@example.test")
    );
    assert_eq!(inbox_count(&s, "bob"), 1);
    assert_eq!(intro_json(&env)["stage"], "waiting-b");
    let ask_b = message_id_of(&env, second[0].0);

    // 3. B's yes: the introduction, to A with B in Cc, one email.
    omar_answers(&s, &ask_b, "oh-yes", "Yes, happy to! Sounds great.");
    let third = approve_all_and_send(&mut env, "2026-11-04T10:00:00Z");
    assert_eq!(third.len(), 1, "{third:?}");
    assert_eq!(third[0].1, "intro");
    assert_eq!(
        (third[0].2.as_str(), third[0].3.as_str()),
        ("alice@example.test", "bob@example.test")
    );
    assert_eq!(inbox_count(&s, "alice"), 2, "A got the introduction");
    assert_eq!(inbox_count(&s, "bob"), 2, "B got the same introduction");
    let intro = intro_json(&env);
    assert_eq!(intro["stage"], "introduced", "{intro}");
    assert!(
        intro["a_yes_at"].is_string() && intro["b_yes_at"].is_string(),
        "{intro}"
    );
    let rapport_sent = 3;
    assert_eq!(
        s.smtp_events("data").len(),
        rapport_sent + 2,
        "three from rapport, two answers"
    );
    let introduction = String::from_utf8(s.sent_message(5).unwrap()).unwrap();
    println!("--- the introduction as the SMTP server received it\n{introduction}");
    assert!(
        introduction.contains("Cc: \"Omar Haddad\" <bob@example.test>"),
        "{introduction}"
    );
    let rcpts = s.smtp_events("rcpt");
    println!("--- RCPT commands: {rcpts:?}");

    // Both timelines tell the story; printed for the record.
    for who in ["alice@example.test", "bob@example.test"] {
        let lines = timeline(&env, who);
        let shown = env.rapport(&["contacts", "show", who]).ok().stdout;
        println!("--- rapport contacts show {who}\n{shown}");
        assert!(
            lines
                .iter()
                .any(|l| l.contains("intro-step") && l.contains("introduced")),
            "{lines:?}"
        );
    }
    // `why` on A's answer says which intro it answered.
    let why = env.rapport(&["why", "jp-yes@example.test"]).ok().stdout;
    assert!(why.contains("Answers intro 1's ask-a email"), "{why}");
    // An introduction made for them is a give, for both.
    for who in ["alice@example.test", "bob@example.test"] {
        let show = env
            .rapport(&["contacts", "show", who, "--json"])
            .ok()
            .json();
        assert_eq!(
            show["balance"],
            serde_json::json!({"asks": 0, "gives": 1}),
            "{who}"
        );
    }
    let a_lines = timeline(&env, "alice@example.test").join("\n");
    assert!(
        a_lines.contains("intro-ask-sent") && a_lines.contains("intro-sent"),
        "{a_lines}"
    );
    // Nothing more comes of it later: no nudge to either.
    let later = approve_all_and_send(&mut env, "2026-12-01T10:00:00Z");
    assert!(later.iter().all(|d| !d.1.starts_with("intro")), "{later:?}");
}

#[test]
fn a_says_no_and_nothing_ever_goes_to_b() {
    let s = TestServers::start();
    let mut env = started(&s);
    let first = approve_all_and_send(&mut env, "2026-11-02T10:00:00Z");
    let ask_a = message_id_of(&env, first[0].0);
    answer(
        &s,
        JESSICA,
        &ask_a,
        "Tue, 03 Nov 2026 09:00:00 +0000",
        "jp-no",
        "No thanks, I'll pass on this one.",
    );
    for now in [
        "2026-11-03T10:00:00Z",
        "2026-11-10T10:00:00Z",
        "2027-01-11T10:00:00Z",
    ] {
        let drafted = approve_all_and_send(&mut env, now);
        assert!(
            drafted
                .iter()
                .all(|d| d.2 != "bob@example.test" && d.1 != "intro-ask"),
            "{now}: {drafted:?}"
        );
    }
    assert_eq!(inbox_count(&s, "bob"), 0, "B never hears of it");
    assert_eq!(intro_json(&env)["stage"], "declined-by-a");
    let lines = timeline(&env, "bob@example.test").join("\n");
    assert!(lines.contains("closed before you were asked"), "{lines}");
    // The "no" is to the intro, not to the user: Jessica is not marked as declined.
    let show = env
        .rapport(&["contacts", "show", "alice@example.test", "--json"])
        .ok()
        .json();
    assert_ne!(show["stage"]["stage"], "declined", "{show}");
}

#[test]
fn b_says_no_and_a_gets_the_short_note() {
    let s = TestServers::start();
    let mut env = started(&s);
    let first = approve_all_and_send(&mut env, "2026-11-02T10:00:00Z");
    let ask_a = message_id_of(&env, first[0].0);
    jessica_says_yes(&s, &ask_a, "Yes, happy to!");
    let second = approve_all_and_send(&mut env, "2026-11-03T10:00:00Z");
    let ask_b = message_id_of(&env, second[0].0);
    omar_answers(&s, &ask_b, "oh-no", "No thanks, I'll pass this time.");
    let third = approve_all_and_send(&mut env, "2026-11-04T10:00:00Z");
    assert_eq!(third.len(), 1, "{third:?}");
    assert_eq!(
        (
            third[0].1.as_str(),
            third[0].2.as_str(),
            third[0].3.as_str()
        ),
        ("intro-declined", "alice@example.test", "")
    );
    let note = env.draft(third[0].0);
    assert_eq!(
        note["in_reply_to"], ask_a,
        "in the thread of the first ask: {note}"
    );
    assert_eq!(inbox_count(&s, "alice"), 2);
    assert_eq!(inbox_count(&s, "bob"), 1, "only the ask");
    assert_eq!(intro_json(&env)["stage"], "declined-by-b");
}

#[test]
fn nobody_answers_one_reminder_then_closed() {
    let s = TestServers::start();
    let mut env = started(&s);
    approve_all_and_send(&mut env, "2026-11-02T10:00:00Z");
    let early = approve_all_and_send(&mut env, "2026-11-06T10:00:00Z");
    assert!(early.is_empty(), "{early:?}");
    let nudge = approve_all_and_send(&mut env, "2026-11-09T10:00:00Z");
    assert_eq!(nudge.len(), 1, "{nudge:?}");
    assert_eq!(
        (nudge[0].1.as_str(), nudge[0].2.as_str()),
        ("intro-ask", "alice@example.test")
    );
    assert!(
        env.draft(nudge[0].0)["in_reply_to"].as_str().unwrap().len() > 3,
        "in the thread"
    );
    assert_eq!(inbox_count(&s, "alice"), 2);
    for now in [
        "2026-11-16T10:00:00Z",
        "2026-11-24T10:00:00Z",
        "2027-02-01T10:00:00Z",
    ] {
        let drafted = approve_all_and_send(&mut env, now);
        assert!(
            drafted.iter().all(|d| !d.1.starts_with("intro")),
            "{now}: {drafted:?}"
        );
    }
    assert_eq!(inbox_count(&s, "alice"), 2, "one reminder, never two");
    assert_eq!(inbox_count(&s, "bob"), 0);
    let intro = intro_json(&env);
    assert_eq!(intro["stage"], "no-answer", "{intro}");
    assert!(intro["closed_at"].is_string(), "{intro}");
}

/// A draft put straight into the database, as a bug or a hand might: `kind` to `to`
/// (contact `contact`), with `cc` as a second recipient; pending, for `queue approve`.
fn forge(env: &Env, contact: i64, kind: &str, to: &str, cc: &str, key: &str) -> i64 {
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    let message = format!(
        "From: Ada Lovelace <me@example.test>\r\nTo: <{to}>\r\nSubject: Forged\r\nMessage-ID: <{key}@example.test>\r\n\r\nHello\r\n"
    );
    conn.execute(
        "INSERT INTO drafts (contact_id, kind, template, reason, reason_key, due_at, to_addr,
            to_name, subject, body, message_id, message, created_at, updated_at, cc_addr)
         VALUES (?1, ?2, ?2, 'forged', ?3, '2026-11-02T10:00:00Z', ?4, '', 'Forged', 'Hello',
            ?5, ?6, '2026-11-02T10:00:00Z', '2026-11-02T10:00:00Z', ?7)",
        rusqlite::params![
            contact,
            kind,
            key,
            to,
            format!("{key}@example.test"),
            message.into_bytes(),
            cc
        ],
    )
    .unwrap();
    conn.last_insert_rowid()
}

/// Records draft `id` as the intro's email in `column`, as a corrupted row would.
fn register(env: &Env, column: &str, id: i64) {
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    conn.execute(
        &format!("UPDATE intros SET {column} = ?1 WHERE id = 1"),
        [id],
    )
    .unwrap();
}

/// Approves (if it still can be) and sends; the draft must not have gone out.
fn never_goes(env: &mut Env, s: &TestServers, id: i64, why: &str) {
    let before = s.smtp_events("data").len();
    let _ = env.rapport(&["queue", "approve", &id.to_string()]);
    env.rapport(&["send"]).ok();
    let d = env.draft(id);
    assert_ne!(d["status"], "sent", "{d}");
    assert_eq!(
        s.smtp_events("data").len(),
        before,
        "nothing went out for draft {id}"
    );
    let note = d["note"].as_str().unwrap_or("");
    assert!(
        note.contains(why),
        "draft {id}: {note:?} should say {why:?}: {d}"
    );
}

#[test]
fn forged_and_stale_drafts_never_go_out_in_a_wrong_state() {
    let s = TestServers::start();
    let mut env = started(&s);
    let first = approve_all_and_send(&mut env, "2026-11-02T10:00:00Z");
    let ask_a = message_id_of(&env, first[0].0);
    env.now = "2026-11-02T11:00:00Z".into();

    // Waiting for A: an intro-ask to B no intro made; the same recorded as the intro's
    // ask to B; the introduction itself recorded before any yes; a request with a Cc.
    let orphan = forge(&env, 2, "intro-ask", "bob@example.test", "", "f1");
    never_goes(&mut env, &s, orphan, "no intro made");
    let early_b = forge(&env, 2, "intro-ask", "bob@example.test", "", "f2");
    env.rapport(&["queue", "approve", &early_b.to_string()])
        .ok();
    register(&env, "ask_b_draft", early_b);
    never_goes(&mut env, &s, early_b, "A's yes is not recorded");
    let early_intro = forge(
        &env,
        1,
        "intro",
        "alice@example.test",
        "bob@example.test",
        "f3",
    );
    env.rapport(&["queue", "approve", &early_intro.to_string()])
        .ok();
    register(&env, "intro_draft", early_intro);
    never_goes(&mut env, &s, early_intro, "both yeses");
    let cc_request = forge(
        &env,
        1,
        "meeting-request",
        "alice@example.test",
        "bob@example.test",
        "f4",
    );
    never_goes(&mut env, &s, cc_request, "only an introduction may have");
    assert_eq!(inbox_count(&s, "bob"), 0);

    // Stale: A's yes drafts the ask to B, approved; then the user corrects A's answer
    // to a no before it goes. It never goes.
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    conn.execute(
        "UPDATE intros SET ask_b_draft = NULL, intro_draft = NULL WHERE id = 1",
        [],
    )
    .unwrap();
    jessica_says_yes(&s, &ask_a, "Yes, happy to!");
    env.now = "2026-11-03T10:00:00Z".into();
    env.rapport(&["sync"]).ok();
    let ask_b = open(&env)
        .into_iter()
        .find(|d| d.1 == "intro-ask" && d.2 == "bob@example.test")
        .expect("A's yes drafted the ask to B");
    env.rapport(&["queue", "approve", &ask_b.0.to_string()])
        .ok();
    env.rapport(&[
        "mark",
        "jp-yes@example.test",
        "human_reply",
        "--intent",
        "no",
    ])
    .ok();
    never_goes(&mut env, &s, ask_b.0, "intro 1");
    assert_eq!(inbox_count(&s, "bob"), 0, "B never got anything");
    assert_eq!(intro_json(&env)["stage"], "declined-by-a");
}

#[test]
fn a_referral_becomes_an_intro_in_one_command_and_bad_intros_are_refused() {
    let s = TestServers::start();
    let env = started(&s);
    let r = env.rapport(&["intro", "jessica", "jessica"]).fails();
    assert!(r.stderr.contains("themselves"), "{}", r.stderr);
    let r = env.rapport(&["intro", "omar", "jessica"]).fails();
    assert!(
        r.stderr.contains("already have an open intro"),
        "{}",
        r.stderr
    );
    let r = env
        .rapport(&[
            "contacts",
            "add",
            "carol@example.test",
            "--name",
            "Lena Vogel",
            "--met",
            "introduced by Omar Haddad",
            "--intro-to",
            "jessica",
        ])
        .ok();
    assert!(r.stdout.contains("Started intro 2"), "{}", r.stdout);
    let list = env.rapport(&["intros", "--json"]).ok().json();
    let intros = list["intros"].as_array().unwrap();
    assert_eq!(intros.len(), 2, "{list}");
    assert_eq!(intros[1]["a"]["email"], "carol@example.test");
    assert_eq!(intros[1]["b"]["email"], "alice@example.test");
    assert_eq!(intros[1]["stage"], "asking-a");
    let table = env.rapport(&["intros"]).ok().stdout;
    assert!(
        table.contains("Lena Vogel") && table.contains("asking-a"),
        "{table}"
    );
}
