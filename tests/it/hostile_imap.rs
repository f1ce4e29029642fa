//! A refused or cut IMAP answer never loses mail (issue 20), against the project's own
//! scriptable server (`support/hostile.rs`): for each way an answer to UID SEARCH or
//! UID FETCH can be refused or cut (tagged NO, BAD, BYE, a closed connection, a FETCH
//! without its UID, FETCH for UIDs not asked, an endless stream of unsolicited FETCH),
//! the sync says so (non-zero exit, the folder and UID range named), the folder's cursor
//! never passes a message that is not stored, and the next good sync stores every
//! message, read whole. Also: a daemon whose IDLE is refused or cut backs off instead of
//! logging in again and again; a folder name in bytes that are not UTF-8 is skipped with
//! one escaped line; a message without a header/body separator is fetched capped and
//! recorded once as unreadable; the copy in Sent is never appended to the folder held
//! read-only, and a refused APPEND is reported in the server's words, keeps the IDLE
//! session and is not retried in a loop. The ignored long run (a 100 MB message):
//! `cargo test --test it hostile_imap:: -- --ignored`.

use std::time::{Duration, Instant};

use crate::hostile_server::{Fault, HostileImap, On};
use crate::util::Env;
use crate::util::daemon::Daemon;

const TOTAL: usize = 10;

/// Bob's replies, each read whole only when its body is fetched ("Tuesday" is in the
/// body, never in the headers).
fn replies(n: usize) -> Vec<Vec<u8>> {
    (1..=n)
        .map(|i| {
            format!(
                "From: Bob Example <bob@example.test>\r\nTo: Ada Lovelace <ada@example.org>\r\nSubject: Re: coffee {i}\r\nDate: Fri, 20 Nov 2026 10:{i:02}:00 +0000\r\nMessage-ID: <bob-{i}@example.test>\r\nMIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\nYes, Tuesday works for me ({i}).\r\n"
            )
            .into_bytes()
        })
        .collect()
}

/// A HOME whose `[imap]` is the hostile server, with Bob as a contact (so his replies
/// are fetched whole).
fn env_for(server: &HostileImap) -> Env {
    let env = Env::new();
    env.edit_config(|t| format!("{t}\n{}", server.imap_section()));
    env.add_contact("bob@example.test", "Bob Example");
    env
}

fn db(env: &Env) -> rusqlite::Connection {
    rusqlite::Connection::open(env.db_path()).unwrap()
}

/// INBOX's cursor (0 when there is none yet).
fn cursor(env: &Env) -> i64 {
    db(env)
        .query_row(
            "SELECT next_uid FROM sync_cursors WHERE folder = 'INBOX'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0)
}

/// Messages stored, and of them those read whole (their body's words are in the
/// snippet).
fn stored(env: &Env) -> (i64, i64) {
    let c = db(env);
    let all = c
        .query_row("SELECT count(*) FROM messages", [], |r| r.get(0))
        .unwrap_or(0);
    let whole = c
        .query_row(
            "SELECT count(*) FROM messages WHERE snippet LIKE '%Tuesday%'",
            [],
            |r| r.get(0),
        )
        .unwrap_or(0);
    (all, whole)
}

/// The cursor never passes a message that is not stored: every UID below it is in the
/// message table (as a location in INBOX).
fn assert_cursor_covers_only_stored(env: &Env, why: &str) {
    let next = cursor(env);
    let c = db(env);
    let below: i64 = c
        .query_row(
            "SELECT count(*) FROM message_locations WHERE folder = 'INBOX' AND uid < ?1",
            [next],
            |r| r.get(0),
        )
        .unwrap();
    let expected = (next - 1).max(0);
    assert_eq!(
        below, expected,
        "{why}: the cursor is at {next} but only {below} of the {expected} UIDs below it are stored"
    );
}

/// One refused or cut answer: the sync fails naming the folder, the cursor stays, and
/// the next good sync stores all ten messages, read whole.
fn refused_then_recovered(on: On, fault: Fault) {
    let server = HostileImap::start();
    server.add("INBOX", &replies(TOTAL));
    let env = env_for(&server);
    server.fault(on, fault.clone(), 1);
    let bad = env.rapport(&["sync"]);
    let why = format!("{on:?} {fault:?}");
    assert_ne!(bad.code, 0, "{why}: the sync must fail\n{}", bad.stdout);
    let said = format!("{}{}", bad.stdout, bad.stderr);
    assert!(said.contains("INBOX"), "{why}: the folder is named\n{said}");
    assert!(
        !said.contains("Some(") && !said.contains("code: None"),
        "{why}: no debug dump\n{said}"
    );
    assert_cursor_covers_only_stored(&env, &why);
    let (_, whole) = stored(&env);
    let (all, _) = stored(&env);
    assert_eq!(all, whole, "{why}: nothing stored from its headers alone");

    let good = env.rapport(&["sync"]);
    assert_eq!(
        good.code, 0,
        "{why}: the next sync\n{}\n{}",
        good.stdout, good.stderr
    );
    assert_eq!(
        stored(&env),
        (TOTAL as i64, TOTAL as i64),
        "{why}: every message stored and read whole after the good sync"
    );
    assert_cursor_covers_only_stored(&env, &why);
    assert_eq!(cursor(&env), TOTAL as i64 + 1, "{why}");
}

#[test]
fn an_unreadable_bodystructure_has_texts_fetched_whole_from_then_on() {
    let server = HostileImap::start();
    server.add("INBOX", &replies(TOTAL));
    let env = env_for(&server);
    // Twice: a second sync that asked again would fail again.
    server.fault(On::FetchStructure, Fault::Unreadable, 2);
    let bad = env.rapport(&["sync"]);
    assert_ne!(bad.code, 0, "the sync fails\n{}", bad.stdout);
    let said = format!("{}{}", bad.stdout, bad.stderr);
    assert!(said.contains("INBOX"), "the folder is named\n{said}");
    assert_cursor_covers_only_stored(&env, "unreadable structure");

    let good = env.rapport(&["sync"]);
    assert_eq!(good.code, 0, "{}\n{}", good.stdout, good.stderr);
    assert_eq!(
        stored(&env),
        (TOTAL as i64, TOTAL as i64),
        "every message stored and read whole, without asking for its structure"
    );
    assert_eq!(cursor(&env), TOTAL as i64 + 1);
}

#[test]
fn search_answered_no_moves_no_cursor() {
    refused_then_recovered(On::Search, Fault::No);
}

#[test]
fn search_answered_bad_moves_no_cursor() {
    refused_then_recovered(On::Search, Fault::Bad);
}

#[test]
fn search_cut_by_bye_moves_no_cursor() {
    refused_then_recovered(On::Search, Fault::Bye);
}

#[test]
fn search_cut_by_eof_moves_no_cursor() {
    refused_then_recovered(On::Search, Fault::Eof);
}

#[test]
fn header_fetch_answered_no_moves_no_cursor() {
    refused_then_recovered(On::FetchHeaders, Fault::No);
}

#[test]
fn header_fetch_answered_bad_moves_no_cursor() {
    refused_then_recovered(On::FetchHeaders, Fault::Bad);
}

#[test]
fn header_fetch_cut_by_bye_moves_no_cursor() {
    refused_then_recovered(On::FetchHeaders, Fault::Bye);
}

#[test]
fn header_fetch_cut_by_eof_moves_no_cursor() {
    refused_then_recovered(On::FetchHeaders, Fault::Eof);
}

#[test]
fn text_fetch_answered_no_stores_nothing_from_headers_alone() {
    refused_then_recovered(On::FetchTexts, Fault::No);
}

#[test]
fn text_fetch_answered_bad_stores_nothing_from_headers_alone() {
    refused_then_recovered(On::FetchTexts, Fault::Bad);
}

#[test]
fn text_fetch_cut_by_bye_stores_nothing_from_headers_alone() {
    refused_then_recovered(On::FetchTexts, Fault::Bye);
}

#[test]
fn text_fetch_cut_by_eof_stores_nothing_from_headers_alone() {
    refused_then_recovered(On::FetchTexts, Fault::Eof);
}

#[test]
fn header_fetch_answered_ok_without_some_messages_moves_no_cursor_past_them() {
    refused_then_recovered(On::FetchHeaders, Fault::FetchOmits);
}

#[test]
fn text_fetch_answered_ok_without_some_texts_stores_nothing_from_headers_alone() {
    refused_then_recovered(On::FetchTexts, Fault::FetchOmits);
}

#[test]
fn a_fetch_without_its_uid_is_an_error() {
    refused_then_recovered(On::FetchHeaders, Fault::FetchWithoutUid);
}

#[test]
fn an_endless_stream_of_unsolicited_fetch_ends_the_batch() {
    let start = Instant::now();
    refused_then_recovered(On::FetchHeaders, Fault::EndlessUnsolicited);
    assert!(
        start.elapsed() < Duration::from_secs(60),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn a_fetch_for_a_uid_not_asked_is_ignored() {
    let server = HostileImap::start();
    server.add("INBOX", &replies(TOTAL));
    let env = env_for(&server);
    server.fault(On::FetchHeaders, Fault::FetchUnasked, 1);
    env.rapport(&["sync"]).ok();
    assert_eq!(stored(&env), (TOTAL as i64, TOTAL as i64));
    let unasked: i64 = db(&env)
        .query_row(
            "SELECT count(*) FROM messages WHERE message_id = 'unasked@example.test'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(unasked, 0, "a message nobody asked for is not stored");
}

/// The persistent refusal is reported by folder and UID range, every sync, and the
/// cursor stays.
#[test]
fn a_persistent_refusal_names_the_folder_and_uid_range() {
    let server = HostileImap::start();
    server.add("INBOX", &replies(TOTAL));
    let env = env_for(&server);
    server.fault(On::FetchHeaders, Fault::No, usize::MAX);
    for _ in 0..2 {
        let run = env.rapport(&["sync"]);
        assert_ne!(run.code, 0);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert!(said.contains("UIDs 1-10 of INBOX"), "{said}");
        assert!(
            said.contains("Internal error occurred"),
            "the server's words: {said}"
        );
        assert_eq!(stored(&env).0, 0);
    }
    let status = env.rapport(&["status"]).ok();
    assert!(status.stdout.contains("UIDs 1-10"), "{}", status.stdout);
}

/// A header block without its end (no blank line) is fetched capped and recorded once,
/// as unreadable, never fetched again.
#[test]
fn a_message_without_a_header_end_is_fetched_capped_and_skipped_once() {
    let server = HostileImap::start();
    let mut huge = b"From: Bob Example <bob@example.test>\r\nTo: ada@example.org\r\nSubject: endless\r\nMessage-ID: <endless@example.test>\r\n".to_vec();
    while huge.len() < 3 * 1024 * 1024 {
        huge.extend_from_slice(
            b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n",
        );
    }
    let mut mail = replies(2);
    mail.insert(1, huge);
    server.add("INBOX", &mail);
    let env = env_for(&server);
    env.rapport(&["sync"]).ok();
    let fetches: Vec<String> = server
        .state
        .lock()
        .unwrap()
        .commands
        .iter()
        .filter(|c| c.contains("FETCH") && c.contains("HEADER"))
        .cloned()
        .collect();
    assert!(
        fetches.iter().all(|c| c.contains("BODY.PEEK[HEADER]<0.")),
        "{fetches:?}"
    );
    let reason: String = db(&env)
        .query_row(
            "SELECT parse_error FROM messages WHERE message_id = 'endless@example.test'",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert!(reason.contains("header block is larger than"), "{reason:?}");
    assert_eq!(stored(&env), (3, 2));
    let again = env.rapport(&["sync", "--json"]).ok().json();
    assert_eq!(again["folders"][0]["read"], 0, "not fetched again: {again}");
}

/// A folder whose name is not UTF-8 is skipped with one short escaped line; the other
/// folders sync and an approved draft is sent.
#[test]
fn an_unreadable_folder_name_is_skipped_and_sending_goes_on() {
    let server = HostileImap::start();
    let mut name = b"Caf\xe9 \xff\xfe ".to_vec();
    name.extend(std::iter::repeat_n(b'\xfa', 3000));
    server
        .state
        .lock()
        .unwrap()
        .list
        .insert(1, ("\\HasNoChildren".into(), name));
    let stranger = b"From: Someone <someone@example.net>\r\nTo: ada@example.org\r\nSubject: hello\r\nMessage-ID: <s-1@example.net>\r\nDate: Fri, 20 Nov 2026 10:00:00 +0000\r\n\r\nhello\r\n".to_vec();
    server.add("INBOX", &[stranger]);
    let env = env_for(&server);
    let run = env.rapport(&["sync"]);
    assert_eq!(run.code, 0, "{}\n{}", run.stdout, run.stderr);
    assert_eq!(stored(&env).0, 1);
    let lines: Vec<&str> = run.stderr.lines().filter(|l| l.contains("Caf")).collect();
    assert_eq!(lines.len(), 1, "one line names it:\n{}", run.stderr);
    assert!(lines[0].contains("Caf\\xe9 \\xff\\xfe"), "{}", lines[0]);
    assert!(run.stderr.len() < 1500, "no byte dump:\n{}", run.stderr);

    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let send = env.rapport(&["send"]);
    assert_eq!(send.code, 0, "{}\n{}", send.stdout, send.stderr);
    assert_eq!(
        env.outbox_files().len(),
        1,
        "{}\n{}",
        send.stdout,
        send.stderr
    );
}

/// A daemon whose IDLE is refused (or whose connection closes as IDLE starts) waits
/// longer each time instead of logging in again at once.
fn idle_fault_does_not_storm(fault: Fault) {
    let server = HostileImap::start();
    server.set_capabilities("IMAP4rev1 IDLE UNSELECT");
    server.fault(On::Idle, fault, usize::MAX);
    let env = env_for(&server);
    let daemon = Daemon::start(&env, "warn,rapport=info", &[]);
    daemon.wait_until("a first login", Duration::from_secs(20), || {
        server.logins() >= 1
    });
    std::thread::sleep(Duration::from_secs(12));
    let logins = server.logins();
    eprintln!("{logins} logins in the 12 s after the first");
    assert!(daemon.alive(), "{}", daemon.log());
    assert!(
        logins <= 5,
        "{logins} logins in about 12 s (a storm):\n{}",
        daemon.log()
    );
    assert!(daemon.log().contains("after a pause"), "{}", daemon.log());
    assert!(
        daemon.log().contains("polling instead"),
        "after three failures in a row the daemon polls:\n{}",
        daemon.log()
    );
}

#[test]
fn idle_answered_bad_backs_off() {
    idle_fault_does_not_storm(Fault::Bad);
}

#[test]
fn a_connection_closed_as_idle_starts_backs_off() {
    idle_fault_does_not_storm(Fault::Eof);
}

/// Past the cap on logins per minute (lowered for the test), the daemon holds the next
/// login back, says so in its log, and `rapport status` shows the warning.
#[test]
fn logins_past_the_cap_are_held_back_with_a_log_line_and_a_status_warning() {
    let server = HostileImap::start();
    server.fault(On::Idle, Fault::Bad, usize::MAX);
    let env = env_for(&server);
    let extra = [("RAPPORT_TEST_LOGINS_PER_MINUTE", "2")];
    let daemon = Daemon::start(&env, "warn,rapport=info", &extra);
    let said = "logins to 127.0.0.1 in the last minute";
    daemon.wait_until("the login cap", Duration::from_secs(30), || {
        daemon.log().contains(said)
    });
    let logins = server.logins();
    assert_eq!(logins, 2, "{}", daemon.log());
    std::thread::sleep(Duration::from_secs(4));
    assert_eq!(server.logins(), logins, "held back:\n{}", daemon.log());
    let status = env.rapport(&["status"]).ok();
    assert!(
        status.stdout.contains("Warning") && status.stdout.contains(said),
        "{}",
        status.stdout
    );
    daemon.stop_within_ten_seconds();
}

/// A refused login is reported in the server's words with the fix, never as a debug dump.
#[test]
fn a_refused_login_shows_the_servers_words_and_the_fix() {
    let server = HostileImap::start();
    server.fault(On::Login, Fault::No, usize::MAX);
    let env = env_for(&server);
    let run = env.rapport(&["sync"]).fails();
    let said = format!("{}{}", run.stdout, run.stderr);
    assert!(
        said.contains("[AUTHENTICATIONFAILED] Authentication failed."),
        "{said}"
    );
    assert!(said.contains("password"), "the fix: {said}");
    assert!(!said.contains("Some(") && !said.contains("code:"), "{said}");
}

/// A sent draft whose copy is pending in Sent (`save_sent = "always"`).
fn sent_draft(server: &HostileImap) -> Env {
    let env = env_for(server);
    env.edit_config(|t| {
        t.replace(
            "poll_seconds = 10\n",
            "poll_seconds = 10\nsave_sent = \"always\"\n",
        )
    });
    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env
}

/// Courier refuses an APPEND to the folder the session holds read-only: rapport leaves
/// it (EXAMINE elsewhere, or UNSELECT) before appending.
#[test]
fn the_copy_in_sent_is_never_appended_to_the_folder_held_read_only() {
    for caps in ["IMAP4rev1 IDLE", "IMAP4rev1 IDLE UNSELECT"] {
        let server = HostileImap::start();
        server.set_capabilities(caps);
        server.fault(On::Append, Fault::ReadOnlyAppend, usize::MAX);
        let env = sent_draft(&server);
        let send = env.rapport(&["send"]).ok();
        assert_eq!(
            server.messages("Sent").len(),
            1,
            "{caps}: the copy is filed\n{}",
            send.stderr
        );
        let unselect = server
            .state
            .lock()
            .unwrap()
            .commands
            .iter()
            .any(|c| c.contains("UNSELECT"));
        assert_eq!(unselect, caps.contains("UNSELECT"), "{caps}");
    }
}

/// A refused APPEND is reported in the server's words with what to do, and the daemon
/// keeps its session (one login) and does not retry in a loop.
#[test]
fn a_refused_append_is_reported_in_the_servers_words_and_not_retried_in_a_loop() {
    let server = HostileImap::start();
    server.fault(On::Append, Fault::No, usize::MAX);
    let env = sent_draft(&server);
    let send = env.rapport(&["send"]).ok();
    assert!(
        send.stderr
            .contains("Quota exceeded (mailbox for user is full)"),
        "{}",
        send.stderr
    );
    assert!(send.stderr.contains("save_sent"), "a fix: {}", send.stderr);
    assert!(!send.stderr.contains("Some("), "{}", send.stderr);

    let before = (server.logins(), server.appends());
    let daemon = Daemon::start(&env, "warn,rapport=info", &[]);
    daemon.wait_until("the daemon's APPEND", Duration::from_secs(20), || {
        server.appends() > before.1
    });
    std::thread::sleep(Duration::from_secs(6));
    let log = daemon.log();
    assert_eq!(
        server.appends() - before.1,
        1,
        "one APPEND, then a wait:\n{log}"
    );
    assert_eq!(server.logins() - before.0, 1, "the session is kept:\n{log}");
    assert!(log.contains("Quota exceeded"), "{log}");
    let idles = server
        .state
        .lock()
        .unwrap()
        .commands
        .iter()
        .filter(|c| c.ends_with(" IDLE"))
        .count();
    assert!(idles >= 1, "the daemon waits in IDLE meanwhile:\n{log}");
}

/// A 100 MB message without a header/body separator: the capped header fetch keeps the
/// sync's peak memory near its usual size (it reached 220 MB when the whole message came
/// back as its "header"). Ignored (the test server takes seconds to cut 100 MB in a debug
/// build): `cargo test --test it hostile_imap:: -- --ignored`.
#[test]
#[ignore = "seconds in a debug build, a 100 MB message: cargo test --test it hostile_imap:: -- --ignored"]
fn a_hundred_megabyte_message_without_a_header_end_is_read_in_little_memory() {
    let server = HostileImap::start();
    let mut huge = b"From: Bob Example <bob@example.test>\r\nTo: ada@example.org\r\nSubject: endless\r\nMessage-ID: <endless@example.test>\r\n".to_vec();
    let line =
        b"X-Filler: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n";
    while huge.len() < 100 * 1024 * 1024 {
        huge.extend_from_slice(line);
    }
    server.add("INBOX", &[huge]);
    let env = env_for(&server);
    env.edit_config(|t| t.replace("timeout_seconds = 5", "timeout_seconds = 120"));
    let mut child = env.command(&["sync"]).spawn().unwrap();
    // VmHWM is the peak since exec (the fork's copy of this process is not counted).
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak_kb = 0u64;
    while child.try_wait().unwrap().is_none() {
        if let Ok(text) = std::fs::read_to_string(&status_file)
            && let Some(l) = text.lines().find(|l| l.starts_with("VmHWM"))
        {
            let kb = l.split_whitespace().nth(1).and_then(|n| n.parse().ok());
            peak_kb = peak_kb.max(kb.unwrap_or(0));
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    eprintln!("sync peak memory: {} MiB", peak_kb / 1024);
    assert!(peak_kb > 0, "the peak was read");
    assert!(peak_kb < 64 * 1024, "{} MiB", peak_kb / 1024);
    assert_eq!(stored(&env).0, 1);
}
