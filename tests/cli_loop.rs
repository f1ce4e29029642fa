//! The user's loop without the daemon: every command that shows the queue, a contact or
//! the status is current (plans first, withdraws what the last sync made moot).

mod util;

use util::Env;

/// An Env with a local Maildir to sync from and Jessica as a contact.
fn env_with_maildir() -> Env {
    let env = Env::new();
    let mail = env.home().join("Mail");
    for sub in ["cur", "new", "tmp"] {
        std::fs::create_dir_all(mail.join(sub)).unwrap();
    }
    // The Maildir instead of the example's IMAP account (which does not exist).
    env.edit_config(|t| {
        let mut out = String::new();
        let mut in_imap = false;
        for line in t.lines() {
            if line.starts_with('[') {
                in_imap = line.trim() == "[imap]";
            }
            if !in_imap {
                out.push_str(line);
                out.push('\n');
            }
        }
        format!("{out}\n[maildir]\npath = \"{}\"\n", mail.display())
    });
    env.rapport(&[
        "contacts",
        "add",
        "jessica@example.com",
        "--name",
        "Jessica Park",
    ])
    .ok();
    env
}

fn deliver(env: &Env, name: &str, text: &str) {
    let path = env.home().join("Mail/new").join(name);
    std::fs::write(path, text.replace('\n', "\r\n")).unwrap();
}

fn drafts(env: &Env) -> Vec<serde_json::Value> {
    env.rapport(&["queue", "--json", "--all"]).ok().json()["drafts"]
        .as_array()
        .unwrap()
        .clone()
}

#[test]
fn the_due_nudge_is_in_the_queue_on_its_day_without_the_daemon() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(env.outbox_files().len(), 1);

    // Six days later: nothing is due yet.
    env.now = "2026-11-29T10:00:00Z".into();
    let q = env.rapport(&["queue", "--json"]).ok().json();
    assert_eq!(q["drafts"].as_array().unwrap().len(), 0, "{q}");

    // The day it is due, a sync then `queue` shows it: no `rapport plan`, no daemon.
    env.now = "2026-11-30T10:05:00Z".into();
    env.rapport(&["sync"]).ok();
    let q = env.rapport(&["queue", "--json"]).ok().json();
    let d = &q["drafts"][0];
    assert_eq!(d["kind"], "nudge", "{q}");
    assert_eq!(d["status"], "pending", "{q}");
    let table = env.rapport(&["queue"]).ok().stdout;
    assert!(table.contains("nudge"), "{table}");
}

#[test]
fn contacts_show_and_status_plan_first() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    env.now = "2026-11-30T10:05:00Z".into();
    let show = env
        .rapport(&["contacts", "show", "jessica", "--json"])
        .ok()
        .json();
    let kinds: Vec<&str> = show["drafts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"nudge"), "{show}");

    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    env.now = "2026-11-30T10:05:00Z".into();
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(drafts(&env).len(), 2, "status drafted the nudge: {status}");
}

#[test]
fn a_message_seen_by_sync_withdraws_the_pending_request_at_once() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.now = "2026-11-23T12:00:00Z".into();
    deliver(
        &env,
        "1764000000.jessica.example:2,",
        "From: Jessica Park <jessica@example.com>\n\
         To: Ada Lovelace <ada@example.org>\n\
         Subject: Great to meet you yesterday\n\
         Date: Mon, 23 Nov 2026 11:30:00 +0000\n\
         Message-ID: <jp-1@mail.example.com>\n\
         \n\
         Hi Ada, it was great to meet you at the meetup. Let's stay in touch!\n\
         Jessica\n",
    );
    env.rapport(&["sync"]).ok();
    let q = env.rapport(&["queue"]).ok();
    assert!(q.stdout.contains("The queue is empty"), "{}", q.stdout);
    assert!(q.stderr.contains("Withdrew draft 1"), "{}", q.stderr);
    let all = drafts(&env);
    assert_eq!(all[0]["status"], "superseded", "{all:?}");
    let r = env.rapport(&["queue", "approve", "1"]);
    assert_ne!(r.code, 0, "a withdrawn draft cannot be approved");
}
