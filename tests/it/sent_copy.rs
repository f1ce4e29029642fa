//! A copy of each sent email in the user's Sent folder (issue 9), against real Dovecot
//! and the real test SMTP server: exactly one copy in `auto` (after the wait, when the
//! server files none) and in `always`, the exact bytes sent, flagged \Seen; never a
//! second one when a copy is there already, also when rapport dies between the APPEND
//! and its record. Copies are counted by Message-ID with doveadm.

use crate::support::{SeedMessage, TestServers};
use crate::util::Env;

/// A config for `me` with these `[imap]` keys added.
fn setup(s: &TestServers, imap_keys: &str) -> Env {
    let env = Env::with_config(&format!("{}{imap_keys}\n", s.rapport_config()));
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env
}

/// How many messages in me's Sent folder carry this Message-ID.
fn copies(s: &TestServers, message_id: &str) -> usize {
    s.doveadm(&[
        "search",
        "-u",
        &s.me().address,
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

/// The whole of every message in Sent, with its flags.
fn sent_folder(s: &TestServers) -> String {
    s.doveadm(&[
        "fetch",
        "-u",
        &s.me().address,
        "flags text",
        "mailbox",
        "Sent",
    ])
}

fn assert_copy_is_the_sent_bytes(s: &TestServers, d: &serde_json::Value) {
    let folder = sent_folder(s).replace("\r\n", "\n");
    let sent = d["message"].as_str().unwrap().replace("\r\n", "\n");
    assert!(folder.contains(sent.trim_end()), "{folder}\n---\n{sent}");
    assert!(folder.contains("\\Seen"), "{folder}");
}

#[test]
fn auto_appends_one_copy_once_the_wait_has_passed() {
    let s = TestServers::start();
    let mut env = setup(&s, "save_sent = \"auto\"\nsave_sent_wait = \"10m\"");
    env.rapport(&["send"]).ok();
    let d = env.draft(1);
    assert_eq!(d["status"], "sent", "{d}");
    let id = d["message_id"].as_str().unwrap().to_string();
    assert_eq!(copies(&s, &id), 0, "the server may still file its own");
    env.now = "2026-11-23T10:05:00Z".into();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 0, "still within the wait");
    env.now = "2026-11-23T10:11:00Z".into();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 1, "{}", sent_folder(&s));
    assert_copy_is_the_sent_bytes(&s, &d);
    env.now = "2026-11-23T10:20:00Z".into();
    env.rapport(&["sync"]).ok();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 1, "never a second copy");
}

#[test]
fn always_appends_one_copy_right_after_sending() {
    let s = TestServers::start();
    let env = setup(&s, "save_sent = \"always\"");
    env.rapport(&["send"]).ok();
    let d = env.draft(1);
    let id = d["message_id"].as_str().unwrap().to_string();
    assert_eq!(copies(&s, &id), 1, "{}", sent_folder(&s));
    assert_copy_is_the_sent_bytes(&s, &d);
    // What arrived through the servers is standard mail (issue 9's "done when").
    let delivered = s.sent_messages();
    assert_eq!(delivered.len(), 1);
    let text = String::from_utf8_lossy(&delivered[0]);
    let (head, _) = text.split_once("\r\n\r\n").unwrap();
    assert!(head.contains("MIME-Version: 1.0\r\n"), "{head}");
    assert!(text.split("\r\n").all(|l| l.len() <= 998), "{text}");
    assert!(head.split("\r\n").all(|l| l.len() <= 78), "{head}");
    env.rapport(&["sync"]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(copies(&s, &id), 1, "never a second copy");
}

#[test]
fn never_writes_nothing() {
    let s = TestServers::start();
    let mut env = setup(&s, "save_sent = \"never\"\nsave_sent_wait = 0");
    env.rapport(&["send"]).ok();
    let id = env.draft(1)["message_id"].as_str().unwrap().to_string();
    env.now = "2026-11-24T10:00:00Z".into();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 0);
}

#[test]
fn a_copy_the_server_filed_is_never_doubled() {
    for mode in ["auto", "always"] {
        let s = TestServers::start();
        let mut env = setup(&s, "save_sent = \"never\"\nsave_sent_wait = 0");
        env.rapport(&["send"]).ok();
        let d = env.draft(1);
        let id = d["message_id"].as_str().unwrap().to_string();
        // The server files its own copy (as Gmail does), after rapport sent.
        let raw = d["message"].as_str().unwrap().as_bytes().to_vec();
        s.seed_messages("me", "Sent", &[SeedMessage::new(raw).flags("S")]);
        env.edit_config(|t| t.replace("save_sent = \"never\"", &format!("save_sent = \"{mode}\"")));
        env.now = "2026-11-23T11:00:00Z".into();
        env.rapport(&["sync"]).ok();
        env.rapport(&["sync"]).ok();
        assert_eq!(copies(&s, &id), 1, "{mode}: {}", sent_folder(&s));
    }
}

#[test]
fn killed_between_the_append_and_its_record_never_appends_twice() {
    // Sync reads Sent by default and sees the copy; with only the INBOX read, the search
    // of Sent before the APPEND is what finds it.
    for folders in ["", "folders = [\"INBOX\"]"] {
        killed_after_append(folders);
    }
}

fn killed_after_append(folders: &str) {
    let s = TestServers::start();
    let env = setup(&s, &format!("save_sent = \"always\"\n{folders}"));
    // rapport dies right after the APPEND, before the store knows of it.
    let out = env
        .command(&["send"])
        .env("RAPPORT_TEST_EXIT_AT_APPEND", "after")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(86), "{out:?}");
    let d = env.draft(1);
    assert_eq!(d["status"], "sent", "{d}");
    let id = d["message_id"].as_str().unwrap().to_string();
    assert_eq!(copies(&s, &id), 1);
    // On restart it looks in Sent first, finds its own copy and records it.
    env.rapport(&["sync"]).ok();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 1, "{folders}: {}", sent_folder(&s));
}

#[test]
fn killed_between_the_send_and_the_append_appends_once_on_restart() {
    let s = TestServers::start();
    // The process that sent dies just before its APPEND.
    let env = setup(&s, "save_sent = \"always\"");
    let out = env
        .command(&["send"])
        .env("RAPPORT_TEST_EXIT_AT_APPEND", "before")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(87), "{out:?}");
    let d = env.draft(1);
    assert_eq!(d["status"], "sent", "{d}");
    let id = d["message_id"].as_str().unwrap().to_string();
    assert_eq!(copies(&s, &id), 0);
    env.rapport(&["sync"]).ok();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 1, "{}", sent_folder(&s));
    assert_copy_is_the_sent_bytes(&s, &d);
}

/// The daemon files the copy in the turn that sent (`auto` with no wait: the server
/// filed none), and later turns file no second one.
#[test]
fn the_daemon_files_one_copy_in_the_turn_that_sent() {
    let s = TestServers::start();
    let env = Env::with_config(&format!(
        "{}save_sent = \"auto\"\nsave_sent_wait = 0\n",
        s.rapport_config()
    ));
    env.add_contact(&s.account("bob").address, "Bob Example");
    env.rapport(&["request", "bob"]).ok();
    let log = env.home().join("daemon.log");
    let mut child = env
        .command(&["daemon"])
        .env("RAPPORT_LOG", "warn,rapport=debug")
        .stdout(std::process::Stdio::null())
        .stderr(std::fs::File::create(&log).unwrap())
        .spawn()
        .unwrap();
    let read_log = || std::fs::read_to_string(&log).unwrap_or_default();
    let wait_for = |what: &str, f: &dyn Fn() -> bool| {
        let start = std::time::Instant::now();
        while !f() {
            assert!(
                start.elapsed() < std::time::Duration::from_secs(30),
                "waiting for {what}:\n{}",
                read_log()
            );
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
    };
    wait_for("the daemon to watch", &|| {
        read_log().contains("watching the mailbox")
    });
    env.rapport(&["queue", "approve", "1"]).ok();
    wait_for("the copy in Sent", &|| {
        read_log().contains("saved a copy in Sent")
    });
    let id = env.draft(1)["message_id"].as_str().unwrap().to_string();
    assert_eq!(copies(&s, &id), 1);
    // Another turn (a kick) and a CLI sync file no second copy.
    env.add_contact("carol@example.test", "Carol");
    env.rapport(&["request", "carol"]).ok();
    env.rapport(&["queue", "approve", "2"]).ok();
    wait_for("the second copy", &|| {
        read_log().matches("saved a copy in Sent").count() >= 2
    });
    let _ = child.kill();
    let _ = child.wait();
    env.rapport(&["sync"]).ok();
    assert_eq!(copies(&s, &id), 1, "{}", read_log());
    assert_eq!(read_log().matches("saved a copy in Sent").count(), 2);
}

/// The copy in Sent, read back over IMAP (`BODY.PEEK[]`, by Message-ID) with Python's
/// imaplib: an independent client, so rapport's own reader cannot hide a difference.
fn copy_over_imap(s: &TestServers, message_id: &str) -> Vec<u8> {
    let script = r#"
import imaplib, ssl, sys
host, port, ca, mid = sys.argv[1:5]
ctx = ssl.create_default_context(cafile=ca)
m = imaplib.IMAP4_SSL(host, int(port), ssl_context=ctx)
m.login("me@example.test", "me-secret")
m.select("Sent", readonly=True)
typ, data = m.uid("SEARCH", None, "HEADER", "Message-ID", mid)
uids = data[0].split()
if len(uids) != 1:
    sys.exit(f"{len(uids)} copies of {mid} in Sent")
typ, data = m.uid("FETCH", uids[0], "(BODY.PEEK[])")
sys.stdout.buffer.write(data[0][1])
m.logout()
"#;
    let out = std::process::Command::new("/usr/bin/python3")
        .args(["-I", "-c", script])
        .arg(s.host())
        .arg(s.imaps_port().to_string())
        .arg(s.ca_pem_path())
        .arg(format!("<{message_id}>"))
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// Issue 22.1: the copy filed in Sent is byte for byte what the SMTP server received,
/// its `Date:` (stamped at sending, long after approval) and Message-ID included — in
/// `always` (right after `rapport send`) and in `auto` (at a later sync).
#[test]
fn the_copy_in_sent_is_the_bytes_that_went_out_date_included() {
    for mode in [
        "save_sent = \"always\"",
        "save_sent = \"auto\"\nsave_sent_wait = 0",
    ] {
        let s = TestServers::start();
        let mut env = setup(&s, mode);
        // Approved at 10:00, sent two days later: the Date must say the later day.
        env.now = "2026-11-25T14:30:00Z".into();
        env.rapport(&["send"]).ok();
        env.rapport(&["sync"]).ok();
        let d = env.draft(1);
        assert_eq!(d["status"], "sent", "{d}");
        let id = d["message_id"].as_str().unwrap().to_string();
        let delivered = s.sent_messages();
        assert_eq!(delivered.len(), 1, "{mode}");
        let copy = copy_over_imap(&s, &id);
        assert_eq!(
            String::from_utf8_lossy(&copy),
            String::from_utf8_lossy(&delivered[0]),
            "{mode}: the copy differs from what went out"
        );
        assert_eq!(copy, delivered[0], "{mode}");
        let text = String::from_utf8_lossy(&copy);
        assert!(
            text.starts_with("Date: Wed, 25 Nov 2026 14:30:00 +0000\r\n"),
            "{mode}: {text}"
        );
        assert!(text.contains(&format!("Message-ID: <{id}>\r\n")), "{text}");
        // `queue show --json` and `--raw` give the same bytes.
        assert_eq!(d["sent_message"].as_str().unwrap().as_bytes(), &copy[..]);
        let raw = env
            .command(&["queue", "show", "1", "--raw"])
            .output()
            .unwrap();
        assert_eq!(raw.stdout, copy, "{mode}");
    }
}
