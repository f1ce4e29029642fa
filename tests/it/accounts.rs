//! Several accounts in one rapport (issue 25), against two real Dovecot servers and
//! their two test SMTP servers: `personal` is `me@example.test` on the first pair,
//! `work` is `work@example.test` on the second. Mail in both lands on one timeline; a
//! follow-up goes out from the account of the conversation, through that account's
//! SMTP server (envelope and From: checked at the server), its copy in that account's
//! Sent; a reply in the other account withdraws it; one account's server down leaves
//! the other syncing and sending, by `rapport sync`/`send` and by the daemon.

use std::time::Duration;

use crate::support::TestServers;
use crate::util::Env;
use crate::util::daemon::Daemon;

/// The two servers and the rapport using both.
pub(crate) struct Two {
    pub(crate) home: TestServers,
    pub(crate) work: TestServers,
    pub(crate) env: Env,
}

/// `[[accounts]]` for `me` on `home` and `work` on `work` (whose SMTP server takes
/// only its `me` login: the account's `username`, as a provider's submission login).
fn config(home: &TestServers, work: &TestServers) -> String {
    format!(
        r#"[identity]
name = "Ada Lovelace"
timezone = "Europe/London"

[[accounts]]
name = "personal"
email = "me@example.test"
[accounts.imap]
host = "{host}"
port = {h_imaps}
security = "tls"
username = "me@example.test"
password_command = "echo me-secret"
ca_file = "{h_ca}"
poll_seconds = 10
timeout_seconds = 5
save_sent = "always"
[accounts.smtp]
host = "{host}"
port = {h_smtp}
security = "starttls"
username = "me@example.test"
password_command = "echo me-secret"
ca_file = "{h_ca}"
timeout_seconds = 5

[[accounts]]
name = "work"
email = "work@example.test"
[accounts.imap]
host = "{host}"
port = {w_imaps}
security = "tls"
username = "work@example.test"
password_command = "echo work-secret"
ca_file = "{w_ca}"
poll_seconds = 10
timeout_seconds = 5
save_sent = "always"
[accounts.smtp]
host = "{host}"
port = {w_smtp}
security = "starttls"
username = "me@example.test"
password_command = "echo me-secret"
ca_file = "{w_ca}"
timeout_seconds = 5
"#,
        host = home.host(),
        h_imaps = home.imaps_port(),
        h_smtp = home.smtp_port(),
        h_ca = home.ca_pem_path().display(),
        w_imaps = work.imaps_port(),
        w_smtp = work.smtp_port(),
        w_ca = work.ca_pem_path().display(),
    )
}

/// Both servers up, Grace a contact who wrote to the personal address on the 16th and
/// to the work address on the 20th; synced.
pub(crate) fn two() -> Two {
    let home = TestServers::start();
    let work = TestServers::start();
    work.add_user("work", "work-secret");
    // The test SMTP servers take mail only for their own users.
    home.add_user("grace", "grace-secret");
    work.add_user("grace", "grace-secret");
    let env = Env::with_config(&config(&home, &work));
    // The servers' CAs outlive them (a test stops a server): copies in HOME.
    let mut text = config(&home, &work);
    for (name, s) in [("home", &home), ("work", &work)] {
        let ca = env.home().join(format!("{name}-ca.pem"));
        std::fs::write(&ca, s.ca_pem()).unwrap();
        text = text.replace(
            &s.ca_pem_path().display().to_string(),
            &ca.display().to_string(),
        );
    }
    env.write_config(&text);
    home.deliver(
        "me",
        b"From: Grace Hopper <grace@example.test>\nTo: me@example.test\nSubject: Lovely to meet you\nDate: Mon, 16 Nov 2026 09:00:00 +0000\nMessage-ID: <grace-home-1@example.com>\n\nIt was lovely to meet you at the meetup.\n",
    );
    work.deliver(
        "work",
        b"From: Grace Hopper <grace@example.test>\nTo: work@example.test\nSubject: The compiler project\nDate: Fri, 20 Nov 2026 09:00:00 +0000\nMessage-ID: <grace-work-1@example.com>\n\nHere are the notes on the compiler project.\n",
    );
    env.add_contact("grace@example.test", "Grace Hopper");
    Two { home, work, env }
}

/// Contact `n` of a soak: a user on both servers (their SMTP servers take mail only for
/// their own users), a contact, and a first message from them to `user` on `server`
/// (the account they write to). Returns their address.
pub(crate) fn a_contact_writes(
    home: &TestServers,
    work: &TestServers,
    env: &Env,
    n: usize,
    (server, user): (&TestServers, &str),
) -> String {
    let who = format!("c{n}");
    home.add_user(&who, "c-secret");
    work.add_user(&who, "c-secret");
    let address = format!("{who}@example.test");
    env.add_contact(&address, &format!("Contact {n}"));
    server.deliver(
        user,
        format!(
            "From: Contact {n} <{address}>\nTo: {user}@example.test\nSubject: Hello {n}\nDate: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <soak-{n}@example.test>\n\nGood to meet you.\n"
        )
        .as_bytes(),
    );
    address
}

/// The envelope senders of what an SMTP server accepted.
pub(crate) fn mail_from(s: &TestServers) -> Vec<String> {
    s.smtp_events("data")
        .iter()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).unwrap()["mail_from"].to_string())
        .collect()
}

/// How many messages in `user`'s Sent folder carry this Message-ID.
pub(crate) fn copies(s: &TestServers, user: &str, message_id: &str) -> usize {
    s.doveadm(&[
        "search",
        "-u",
        user,
        "mailbox",
        "Sent",
        "header",
        "Message-ID",
        &format!("<{message_id}>"),
    ])
    .lines()
    .filter(|l| !l.trim().is_empty())
    .count()
}

/// The subjects on Grace's timeline.
fn timeline(env: &Env) -> Vec<String> {
    env.rapport(&["contacts", "show", "grace", "--json"])
        .ok()
        .json()["timeline"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["summary"].as_str().unwrap_or_default().to_string())
        .collect()
}

#[test]
fn mail_in_both_accounts_lands_on_one_timeline_and_the_request_goes_from_the_work_account() {
    let t = two();
    let sync = t.env.rapport(&["sync", "--json"]).ok().json();
    let accounts = sync["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2, "{sync}");
    assert!(accounts.iter().all(|a| a["error"].is_null()), "{sync}");
    let line = timeline(&t.env).join(" | ");
    assert!(
        line.contains("Lovely to meet you") && line.contains("compiler project"),
        "both accounts' mail on Grace's one timeline: {line}"
    );

    // Her last mail came to the work address: the request goes from work, and says so.
    t.env.rapport(&["request", "grace"]).ok();
    let d = t.env.draft(1);
    assert_eq!(d["account"], "work", "{d}");
    let shown = t.env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("From: Ada Lovelace <work@example.test>"),
        "{shown}"
    );
    assert!(
        shown.contains("Account: from work <work@example.test>"),
        "{shown}"
    );
    t.env.rapport(&["queue", "approve", "1"]).ok();
    t.env.rapport(&["send"]).ok();
    let d = t.env.draft(1);
    assert_eq!(d["status"], "sent", "{d}");

    // Through the work account's server only, from the work address.
    assert_eq!(mail_from(&t.work), ["\"work@example.test\""]);
    assert!(mail_from(&t.home).is_empty(), "{:?}", mail_from(&t.home));
    let sent = String::from_utf8(t.work.sent_messages()[0].clone()).unwrap();
    let from = sent
        .lines()
        .find(|l| l.starts_with("From: "))
        .unwrap_or_default();
    assert!(from.ends_with("<work@example.test>"), "{sent}");
    // Its copy in the work account's Sent, none in the personal one.
    let id = d["message_id"].as_str().unwrap();
    assert_eq!(copies(&t.work, "work@example.test", id), 1);
    assert_eq!(copies(&t.home, "me@example.test", id), 0);

    let status = t.env.rapport(&["status", "--json"]).ok().json();
    let names: Vec<&str> = status["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["name"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["personal", "work"], "{status}");
    assert!(status["accounts"][1]["last_read"].is_string(), "{status}");
}

#[test]
fn the_nudge_goes_from_the_account_of_the_request_and_a_reply_to_the_other_withdraws_it() {
    let mut t = two();
    t.env.rapport(&["sync"]).ok();
    t.env.rapport(&["request", "grace"]).ok();
    t.env.rapport(&["queue", "approve", "1"]).ok();
    t.env.rapport(&["send"]).ok();
    assert_eq!(t.env.draft(1)["status"], "sent");

    // A week and a day later, no answer: the nudge, from the account of the request.
    t.env.now = "2026-12-01T10:00:00Z".into();
    t.env.rapport(&["sync"]).ok();
    let nudge = t
        .env
        .drafts()
        .into_iter()
        .find(|d| d["kind"] == "nudge")
        .expect("a nudge after a week");
    assert_eq!(nudge["account"], "work", "{nudge}");
    let id = nudge["id"].to_string();
    t.env.rapport(&["queue", "approve", &id]).ok();

    // Grace answers at the personal address; the next send reads both accounts.
    t.home.deliver(
        "me",
        b"From: Grace Hopper <grace@example.test>\nTo: me@example.test\nSubject: Sorry for the silence\nDate: Tue, 01 Dec 2026 09:30:00 +0000\nMessage-ID: <grace-home-2@example.com>\n\nSorry, busy weeks. Thursday works.\n",
    );
    t.env.rapport(&["send"]).ok();
    let nudge = t.env.draft(id.parse().unwrap());
    assert_eq!(nudge["status"], "superseded", "{nudge}");
    assert_eq!(mail_from(&t.work).len(), 1, "only the request went out");
    assert!(mail_from(&t.home).is_empty());
}

#[test]
fn one_account_down_leaves_the_other_syncing_and_sending() {
    let Two { home, work, env } = two();
    env.rapport(&["sync"]).ok();
    drop(work);
    home.deliver(
        "me",
        b"From: Grace Hopper <grace@example.test>\nTo: me@example.test\nSubject: A new idea\nDate: Mon, 23 Nov 2026 09:00:00 +0000\nMessage-ID: <grace-home-3@example.com>\n\nI had a new idea about the talk.\n",
    );
    let r = env.rapport(&["sync"]).fails();
    assert!(
        r.stdout.contains("account work <work@example.test>:"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("error:"), "{}", r.stdout);
    assert!(timeline(&env).iter().any(|s| s.contains("A new idea")));
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert!(status["accounts"][1]["error"].is_string(), "{status}");
    assert!(status["accounts"][0]["error"].is_null(), "{status}");

    // Her last mail came to the personal address: the request goes from it, and out.
    env.rapport(&["request", "grace"]).ok();
    assert_eq!(env.draft(1)["account"], "personal");
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent", "{}", env.draft(1));
    assert_eq!(mail_from(&home), ["\"me@example.test\""]);
}

#[test]
fn a_contacts_chosen_account_is_refused_when_unknown_and_used_when_known() {
    let t = two();
    let r = t
        .env
        .rapport(&["contacts", "edit", "grace", "--account", "nope"])
        .fails();
    assert!(
        r.stderr.contains("no account named \"nope\""),
        "{}",
        r.stderr
    );
    let r = t
        .env
        .rapport(&["contacts", "edit", "grace", "--account", "personal"])
        .ok();
    assert!(
        r.stdout.contains("from personal <me@example.test>"),
        "{}",
        r.stdout
    );
    t.env.rapport(&["sync"]).ok();
    t.env.rapport(&["request", "grace"]).ok();
    assert_eq!(t.env.draft(1)["account"], "personal");
}

#[test]
fn the_daemon_watches_both_accounts_and_one_down_never_stalls_the_other() {
    let Two { home, work, env } = two();
    let daemon = Daemon::start(&env, "info,rapport::daemon::accounts=debug", &[]);
    daemon.wait_until("both accounts read", Duration::from_secs(30), || {
        let line = timeline(&env).join(" | ");
        line.contains("Lovely to meet you") && line.contains("compiler project")
    });
    daemon.wait_until("the work inbox watched", Duration::from_secs(20), || {
        daemon.log().contains("watching the account's inbox")
    });
    // New work mail wakes the daemon through the work account's own IDLE.
    work.deliver(
        "work",
        b"From: Grace Hopper <grace@example.test>\nTo: work@example.test\nSubject: Slides attached\nDate: Mon, 23 Nov 2026 09:10:00 +0000\nMessage-ID: <grace-work-2@example.com>\n\nThe slides for Thursday.\n",
    );
    let delivered = std::time::Instant::now();
    daemon.wait_until(
        "the work mail on the timeline",
        Duration::from_secs(20),
        || timeline(&env).iter().any(|s| s.contains("Slides attached")),
    );
    eprintln!(
        "work mail on the timeline {:?} after delivery",
        delivered.elapsed()
    );
    assert!(
        daemon.log().contains("new mail; waking the loop"),
        "the work account's own IDLE woke the loop:\n{}",
        daemon.log()
    );

    // The work server goes away; the personal account still reads and sends.
    drop(work);
    home.deliver(
        "me",
        b"From: Grace Hopper <grace@example.test>\nTo: me@example.test\nSubject: Dinner next week?\nDate: Mon, 23 Nov 2026 09:20:00 +0000\nMessage-ID: <grace-home-4@example.com>\n\nShall we have dinner next week?\n",
    );
    daemon.wait_until(
        "the personal mail on the timeline",
        Duration::from_secs(30),
        || {
            timeline(&env)
                .iter()
                .any(|s| s.contains("Dinner next week"))
        },
    );
    env.rapport(&["request", "grace"]).ok();
    assert_eq!(env.draft(1)["account"], "personal");
    env.rapport(&["queue", "approve", "1"]).ok();
    daemon.wait_until("the personal draft sent", Duration::from_secs(30), || {
        env.draft(1)["status"] == "sent"
    });
    assert_eq!(mail_from(&home), ["\"me@example.test\""]);
    daemon.wait_until(
        "the work account's failure said",
        Duration::from_secs(30),
        || {
            let log = daemon.log();
            log.contains("account=work") && log.contains("the other accounts go on")
        },
    );
    for line in daemon.log().lines().filter(|l| l.contains("account")) {
        eprintln!("daemon: {line}");
    }
    daemon.stop_within_ten_seconds();
}

#[test]
fn sync_account_reads_the_one_named_and_doctor_checks_each_under_its_name() {
    let t = two();
    let r = t
        .env
        .rapport(&["sync", "--account", "work", "--json"])
        .ok()
        .json();
    let accounts = r["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 1, "{r}");
    assert_eq!(accounts[0]["name"], "work", "{r}");
    let line = timeline(&t.env).join(" | ");
    assert!(line.contains("compiler project"), "{line}");
    assert!(
        !line.contains("Lovely to meet you"),
        "personal not read: {line}"
    );
    let r = t.env.rapport(&["sync", "--account", "nope"]).fails();
    assert!(
        r.stderr.contains("no account named \"nope\"") && r.stderr.contains("personal, work"),
        "{}",
        r.stderr
    );

    let doctor = t.env.rapport(&["doctor"]).stdout;
    let personal = doctor
        .find("account personal <me@example.test>:")
        .expect(&doctor);
    let work = doctor
        .find("account work <work@example.test>:")
        .expect(&doctor);
    assert!(personal < work, "{doctor}");
    let (home_part, work_part) = doctor.split_at(work);
    assert!(
        home_part.contains("ok    imap login: me@example.test"),
        "{doctor}"
    );
    assert!(
        work_part.contains("ok    imap login: work@example.test"),
        "{doctor}"
    );
}

#[test]
fn a_work_server_that_stops_answering_never_holds_the_personal_account() {
    let Two { home, work, env } = two();
    let daemon = Daemon::start(&env, "info", &[]);
    daemon.wait_until("both accounts read", Duration::from_secs(30), || {
        let line = timeline(&env).join(" | ");
        line.contains("Lovely to meet you") && line.contains("compiler project")
    });
    // The work server hangs (every Dovecot process stopped): connections are taken by
    // the kernel and never answered, so only the account's timeout (5 s) ends a read of
    // it, made when it has news or its poll interval (10 s) has passed.
    work.pause_dovecot();
    env.rapport(&["contacts", "edit", "grace", "--account", "personal"])
        .ok();
    env.rapport(&["request", "grace"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let approved = std::time::Instant::now();
    daemon.wait_until("the personal draft sent", Duration::from_secs(60), || {
        env.draft(1)["status"] == "sent"
    });
    eprintln!(
        "personal draft sent {:?} after approval, the work server hanging",
        approved.elapsed()
    );
    assert_eq!(mail_from(&home), ["\"me@example.test\""]);
    assert!(mail_from(&work).is_empty());
    // Once the work account is due a read, a turn reads it, waits out its timeout, says
    // so, and the personal mail of that turn is on the timeline all the same.
    std::thread::sleep(Duration::from_secs(11));
    home.deliver(
        "me",
        b"From: Grace Hopper <grace@example.test>\nTo: me@example.test\nSubject: Dinner next week?\nDate: Mon, 23 Nov 2026 09:20:00 +0000\nMessage-ID: <grace-home-5@example.com>\n\nShall we have dinner next week?\n",
    );
    daemon.wait_until(
        "the personal mail on the timeline",
        Duration::from_secs(30),
        || {
            timeline(&env)
                .iter()
                .any(|s| s.contains("Dinner next week"))
        },
    );
    daemon.wait_until(
        "the work account's failure said",
        Duration::from_secs(30),
        || {
            let log = daemon.log();
            log.contains("account=work") && log.contains("could not read the account")
        },
    );
    work.resume_dovecot();
    daemon.stop_within_ten_seconds();
}

#[test]
fn the_first_account_down_leaves_the_daemon_sending_from_the_second() {
    let Two { home, work, env } = two();
    let daemon = Daemon::start(&env, "info", &[]);
    daemon.wait_until("both accounts read", Duration::from_secs(30), || {
        let line = timeline(&env).join(" | ");
        line.contains("Lovely to meet you") && line.contains("compiler project")
    });
    drop(home);
    env.rapport(&["request", "grace"]).ok();
    assert_eq!(env.draft(1)["account"], "work");
    env.rapport(&["queue", "approve", "1"]).ok();
    daemon.wait_until("the work draft sent", Duration::from_secs(60), || {
        env.draft(1)["status"] == "sent"
    });
    assert_eq!(mail_from(&work), ["\"work@example.test\""]);
    daemon.wait_until(
        "the personal account's failure said",
        Duration::from_secs(30),
        || {
            let log = daemon.log();
            log.contains("account=personal") && log.contains("the other accounts go on")
        },
    );
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert!(status["accounts"][0]["error"].is_string(), "{status}");
    daemon.stop_within_ten_seconds();
}

/// Two Maildir accounts writing `.eml` files, each into its own outbox: no servers.
fn two_file_accounts(env: &Env, work_extra: &str) -> String {
    let root = env.home();
    for name in ["home", "work"] {
        for sub in ["cur", "new", "tmp"] {
            std::fs::create_dir_all(root.join(format!("Mail/{name}/{sub}"))).unwrap();
        }
    }
    format!(
        r#"[identity]
name = "Ada Lovelace"
timezone = "Europe/Berlin"

[policy]
daily_send_cap = 1

[[accounts]]
name = "personal"
email = "ada@home.example"
[accounts.maildir]
path = "{root}/Mail/home"
[accounts.smtp]
transport = "file"
file_dir = "{root}/out-home"

[[accounts]]
name = "work"
email = "ada@work.example"
{work_extra}
[accounts.maildir]
path = "{root}/Mail/work"
[accounts.smtp]
transport = "file"
file_dir = "{root}/out-work"
"#,
        root = root.display()
    )
}

fn files_in(dir: &std::path::Path) -> Vec<String> {
    std::fs::read_dir(dir)
        .map(|d| {
            d.flatten()
                .map(|e| std::fs::read_to_string(e.path()).unwrap())
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn each_account_keeps_its_own_cap_and_window() {
    let env = Env::with_config("");
    env.write_config(&two_file_accounts(&env, "daily_send_cap = 2"));
    for (who, account) in [
        ("ann", "personal"),
        ("bea", "personal"),
        ("cid", "work"),
        ("dan", "work"),
        ("eve", "work"),
    ] {
        env.add_contact(&format!("{who}@example.com"), who);
        env.rapport(&["contacts", "edit", who, "--account", account])
            .ok();
        env.rapport(&["request", who]).ok();
    }
    env.rapport(&["queue"]).ok();
    env.rapport(&["queue", "approve", "--all"]).ok();
    let r = env.rapport(&["send", "--json"]).ok().json();
    // personal: the policy's cap of 1; work: its own cap of 2.
    assert_eq!(r["sent"].as_array().unwrap().len(), 3, "{r}");
    let held = r["held"].as_str().unwrap_or_default();
    assert!(held.contains("account personal: the daily cap of 1"), "{r}");
    assert!(held.contains("account work: the daily cap of 2"), "{r}");
    let home = files_in(&env.home().join("out-home"));
    let work = files_in(&env.home().join("out-work"));
    assert_eq!((home.len(), work.len()), (1, 2));
    assert!(home.iter().all(|m| m.contains("<ada@home.example>")));
    assert!(work.iter().all(|m| m.contains("<ada@work.example>")));

    // The work account's own window (Saturdays) holds its drafts on this Monday.
    let env = Env::with_config("");
    let window = "[accounts.send_window]\ndays = [\"sat\"]\nstart = \"09:00\"\nend = \"17:00\"";
    // [accounts.send_window] of the work account, after its [accounts.smtp].
    let text = two_file_accounts(&env, "").replacen(
        &format!("file_dir = \"{}/out-work\"\n", env.home().display()),
        &format!(
            "file_dir = \"{}/out-work\"\n{window}\n",
            env.home().display()
        ),
        1,
    );
    env.write_config(&text);
    for (who, account) in [("ann", "personal"), ("cid", "work")] {
        env.add_contact(&format!("{who}@example.com"), who);
        env.rapport(&["contacts", "edit", who, "--account", account])
            .ok();
        env.rapport(&["request", who]).ok();
    }
    env.rapport(&["queue"]).ok();
    env.rapport(&["queue", "approve", "--all"]).ok();
    let r = env.rapport(&["send", "--json"]).ok().json();
    assert_eq!(r["sent"].as_array().unwrap().len(), 1, "{r}");
    let held = r["held"].as_str().unwrap_or_default();
    assert!(
        held.contains("account work: outside the send window"),
        "{r}"
    );
}

/// A daemon run of `RAPPORT_SOAK_MINUTES` (default 2) with both accounts: a new contact
/// writes to each account in turn, is asked for a meeting, and the request must go out
/// from the account they wrote to, through its server. Prints what it did.
#[test]
#[ignore = "a daemon run of minutes: RAPPORT_SOAK_MINUTES=5 cargo test --test it -- --ignored accounts::soak"]
fn soak_every_follow_up_goes_from_the_account_written_to() {
    let minutes: u64 = std::env::var("RAPPORT_SOAK_MINUTES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2);
    let Two { home, work, env } = two();
    // More than a day's cap of 20 goes out (the clock is fixed): the cap would hold them.
    env.edit_config(|t| {
        t.replacen(
            "timezone = \"Europe/London\"\n",
            "timezone = \"Europe/London\"\n\n[policy]\ndaily_send_cap = 10000\n",
            1,
        )
        .replace("poll_seconds = 10", "poll_seconds = 300")
    });
    let daemon = Daemon::start(&env, "info", &[]);
    let end = std::time::Instant::now() + Duration::from_secs(minutes * 60);
    let mut sent = [0usize; 2];
    let mut n = 0;
    while std::time::Instant::now() < end {
        n += 1;
        let (server, user, account, i) = if n % 2 == 0 {
            (&home, "me", "personal", 0)
        } else {
            (&work, "work", "work", 1)
        };
        let address = a_contact_writes(&home, &work, &env, n, (server, user));
        daemon.wait_until("the mail on the timeline", Duration::from_secs(60), || {
            env.rapport(&["contacts", "show", &address, "--json"])
                .json()["timeline"]
                .as_array()
                .is_some_and(|t| !t.is_empty())
        });
        env.rapport(&["request", &address]).ok();
        let d = env
            .drafts()
            .into_iter()
            .find(|d| d["to"] == address.as_str())
            .unwrap();
        assert_eq!(d["account"], account, "{d}");
        let id = d["id"].to_string();
        env.rapport(&["queue", "approve", &id]).ok();
        daemon.wait_until("the request sent", Duration::from_secs(60), || {
            env.draft(id.parse().unwrap())["status"] == "sent"
        });
        sent[i] += 1;
        assert_eq!(
            mail_from(server).last().map(String::as_str),
            Some(format!("\"{user}@example.test\"").as_str())
        );
        std::thread::sleep(Duration::from_secs(5));
    }
    assert!(n >= 2, "the run did both accounts");
    assert_eq!(mail_from(&home).len(), sent[0]);
    assert_eq!(mail_from(&work).len(), sent[1]);
    eprintln!(
        "{minutes} min: {n} contacts; sent from personal {}, from work {}; every one from the account written to",
        sent[0], sent[1]
    );
    for line in daemon
        .log()
        .lines()
        .filter(|l| l.contains("account") || l.contains("turn"))
        .take(40)
    {
        eprintln!("daemon: {line}");
    }
    daemon.stop_within_ten_seconds();
}
