//! The checks of the compatibility suite, one function each, run on every server by
//! `servers!` in `compat.rs`.

use std::time::Duration;

use super::*;

/// Doctor passes and names the Sent folder it found; the first sync reads every
/// message and labels them as on the other servers (the raw 8-bit sender and subject
/// too, which Cyrus turns into `X`); the timelines hold the user's requests and the
/// answers; a second sync fetches nothing.
pub fn doctor_and_first_sync(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    seed(&h, h.sent_wire());
    let env = env(&h, "");
    let doctor = env.rapport(&["doctor"]);
    assert_eq!(
        doctor.code,
        0,
        "{}: {}{}\n{}",
        h.name(),
        doctor.stdout,
        doctor.stderr,
        h.diagnostics()
    );
    let how = if kind == Kind::Courier {
        "chosen by its name"
    } else {
        "marked \\Sent by the server"
    };
    let said = format!("ok    sent folder: \"{}\" (", h.sent_wire());
    assert!(
        doctor.stdout.contains(&said) && doctor.stdout.contains(how),
        "{}: {}",
        h.name(),
        doctor.stdout
    );

    let r = sync(&env);
    let inbox = folder(&r, "INBOX");
    assert_eq!(inbox["new"], 4, "{}: {r}", h.name());
    assert_eq!(inbox["error"], serde_json::Value::Null, "{r}");
    assert_eq!(inbox["labels"]["human_reply"], 2, "{}: {r}", h.name());
    assert_eq!(inbox["labels"]["auto_reply"], 1, "{}: {r}", h.name());
    assert_eq!(inbox["labels"]["bulk"], 1, "{}: {r}", h.name());
    assert_eq!(folder(&r, h.sent_wire())["new"], 2, "{}: {r}", h.name());
    for who in ["bob", "alice"] {
        assert_eq!(
            timeline_kinds(&env, &format!("{who}@example.test")),
            ["request-sent", "reply"],
            "{}: {who}",
            h.name()
        );
    }
    if kind == Kind::Cyrus {
        // munge8bit: what Cyrus keeps of the raw UTF-8 sender is `X`s; the reading below
        // must not depend on it.
        let inbox = h.admin().messages("INBOX");
        let alice = inbox
            .iter()
            .map(|m| String::from_utf8_lossy(&m.raw).to_string())
            .find(|t| t.contains("alice-yes@example.test"))
            .expect("Zoë's reply");
        assert!(alice.contains("From: ZoXX XXgren"), "{alice}");
    }
    let why = env
        .rapport(&["why", "<alice-yes@example.test>", "--json"])
        .ok()
        .json();
    assert_eq!(why["label"], "human_reply", "{}: {why}", h.name());
    assert_eq!(why["intent"], "yes", "{}: {why}", h.name());

    let again = sync(&env);
    for f in again["folders"].as_array().expect("folders") {
        assert_eq!(
            f["new"],
            0,
            "{}: a re-sync fetched again: {again}",
            h.name()
        );
    }
}

/// Sent deleted and made anew (a new UIDVALIDITY) with the old messages and one new:
/// the change is seen, only the new one is new, nothing is doubled.
pub fn uidvalidity_change(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    seed(&h, h.sent_wire());
    let env = env(&h, "");
    sync(&env);
    let mut a = h.admin();
    let before = a.uidvalidity(h.sent_wire());
    a.delete(h.sent_wire());
    // Courier's UIDVALIDITY is the second the folder was made.
    std::thread::sleep(Duration::from_millis(1100));
    a.create(h.sent_wire(), (kind == Kind::Cyrus).then_some("\\Sent"));
    a.append(
        h.sent_wire(),
        "\\Seen",
        &request("Bob Example <bob@example.test>", "req-bob@example.test"),
    );
    a.append(
        h.sent_wire(),
        "\\Seen",
        &request("Carol <carol@example.test>", "req-carol@example.test"),
    );
    assert_ne!(a.uidvalidity(h.sent_wire()), before, "{}", h.name());
    let r = sync(&env);
    let sent = folder(&r, h.sent_wire());
    assert_eq!(sent["uidvalidity_changed"], true, "{}: {r}", h.name());
    assert_eq!(
        sent["new"],
        1,
        "{}: only the new request is new: {r}",
        h.name()
    );
    assert_eq!(
        timeline_kinds(&env, "bob@example.test"),
        ["request-sent", "reply"],
        "{}: nothing doubled",
        h.name()
    );
}

/// The daemon waits in IDLE, sees new mail without polling, and after the server cut
/// its connection connects again and sees the next message too.
pub fn idle_and_reconnect(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    seed(&h, h.sent_wire());
    let env = env(&h, "");
    let d = daemon(&env);
    d.wait_until("IDLE", SEEN_WITHIN, || d.log().contains("wait=\"IDLE\""));
    let synced = |d: &Daemon| d.log().matches("synced folder=INBOX new=1").count();
    let first = reply(
        "Carol <carol@example.test>",
        "carol-1@example.test",
        "x@example.test",
        "Thanks!",
    );
    h.admin().append("INBOX", "", &first);
    d.wait_until("the first new message", SEEN_WITHIN, || synced(&d) == 1);
    h.drop_connections();
    let second = reply(
        "Carol <carol@example.test>",
        "carol-2@example.test",
        "x@example.test",
        "Again!",
    );
    h.admin().append("INBOX", "", &second);
    d.wait_until("the message after the reconnect", SEEN_WITHIN, || {
        synced(&d) == 2
    });
    let log = d.log();
    assert!(
        log.matches("watching the mailbox").count() >= 2,
        "{}: connected again: {log}",
        h.name()
    );
    d.stop_within_ten_seconds();
}

/// `save_sent = "always"`: exactly one copy in Sent, the very bytes the SMTP server
/// received (its `Date:` included), flagged `\Seen`; never a second one. On Courier
/// the APPEND must not go to the folder the session holds read-only.
pub fn sent_copy(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    let env = env(&h, "save_sent = \"always\"");
    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let out = env.rapport(&["send"]).ok();
    let d = env.draft(1);
    assert_eq!(d["status"], "sent", "{}: {d}", h.name());
    let id = format!("<{}>", d["message_id"].as_str().expect("a Message-ID"));
    let copies = |h: &Mailhost| {
        h.admin()
            .messages(h.sent_wire())
            .into_iter()
            .filter(|m| String::from_utf8_lossy(&m.raw).contains(&id))
            .collect::<Vec<_>>()
    };
    let found = copies(&h);
    assert_eq!(found.len(), 1, "{}: {}{}", h.name(), out.stdout, out.stderr);
    let received = h.servers.sent_messages();
    assert_eq!(received.len(), 1, "{}", h.name());
    assert!(
        found[0].raw == received[0],
        "{}: the copy differs from what the SMTP server received:\n{}\n---\n{}",
        h.name(),
        String::from_utf8_lossy(&found[0].raw),
        String::from_utf8_lossy(&received[0])
    );
    let text = String::from_utf8_lossy(&found[0].raw).to_string();
    let head = text.split("\r\n\r\n").next().unwrap_or_default();
    assert!(
        head.split("\r\n")
            .any(|l| l.to_ascii_lowercase().starts_with("date: ")),
        "{}: the copy has no Date: {head}",
        h.name()
    );
    assert!(
        found[0].flags.contains("\\Seen"),
        "{}: {:?}",
        h.name(),
        found[0].flags
    );
    sync(&env);
    env.rapport(&["send"]).ok();
    sync(&env);
    assert_eq!(copies(&h).len(), 1, "{}: never a second copy", h.name());
}

/// A copy the server refuses (APPEND answered NO, the folder still readable): the
/// daemon says so in the server's own words with the fix, keeps its IDLE session (new
/// mail is still seen at once, the log never claims a wait it does not do), and tries
/// again after a pause, never in a tight loop.
pub fn refused_copy_keeps_idle(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    h.refuse_appends_to_sent();
    let env = env(&h, "save_sent = \"always\"");
    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    let sent = env.rapport(&["send"]).ok();
    let status = &env.draft(1)["status"];
    assert_eq!(
        status,
        "sent",
        "{}: {}{}",
        h.name(),
        sent.stdout,
        sent.stderr
    );
    let d = daemon(&env);
    d.wait_until("the refused copy", SEEN_WITHIN, || {
        d.log().contains("could not file a copy in Sent")
    });
    d.wait_until("IDLE", SEEN_WITHIN, || d.log().contains("wait=\"IDLE\""));
    let news = reply(
        "Carol <carol@example.test>",
        "carol-3@example.test",
        "x@example.test",
        "Hi!",
    );
    h.admin().append("INBOX", "", &news);
    d.wait_until("new mail while a copy waits", SEEN_WITHIN, || {
        d.log().contains("synced folder=INBOX new=1")
    });
    let log = d.log();
    let refusal = log
        .lines()
        .find(|l| l.contains("could not file a copy in Sent"))
        .unwrap_or_default();
    assert!(
        refusal.contains("the server answered NO"),
        "{}: {refusal}",
        h.name()
    );
    assert!(refusal.contains("retry_in"), "{}: {refusal}", h.name());
    assert!(
        !refusal.contains("code: None") && !refusal.contains("Some("),
        "{refusal}"
    );
    assert!(
        log.matches("could not file a copy in Sent").count() <= 2,
        "{}: tried again at once: {log}",
        h.name()
    );
    assert!(
        !log.contains("polling every") && !log.contains("turn failed"),
        "{}: the refusal cost the IDLE session: {log}",
        h.name()
    );
    d.stop_within_ten_seconds();
}

/// "Éléments envoyés", as the server sends it (`&AMk-l&AOk-ments envoy&AOk-s`): doctor
/// and sync show it as text, `sent_folder` written in plain Unicode works, and the
/// copy goes there.
pub fn non_ascii_folder_names(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    let wire = h.folder("&AMk-l&AOk-ments envoy&AOk-s");
    let text = h.folder("Éléments envoyés");
    h.admin().create(&wire, None);
    seed(&h, &wire);
    let env = env(
        &h,
        &format!("sent_folder = \"{text}\"\nsave_sent = \"always\""),
    );
    let doctor = env.rapport(&["doctor"]);
    assert_eq!(doctor.code, 0, "{}: {}", h.name(), doctor.stdout);
    assert!(
        doctor.stdout.contains(&text),
        "{}: {}",
        h.name(),
        doctor.stdout
    );
    assert!(
        !doctor.stdout.contains("&AMk-"),
        "{}: {}",
        h.name(),
        doctor.stdout
    );
    let r = sync(&env);
    assert_eq!(folder(&r, &text)["new"], 2, "{}: {r}", h.name());
    env.rapport(&["request", "bob@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let id = env.draft(1)["message_id"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    let filed = h.admin().messages(&wire);
    assert_eq!(
        filed
            .iter()
            .filter(|m| String::from_utf8_lossy(&m.raw).contains(&id))
            .count(),
        1,
        "{}: the copy in {wire}",
        h.name()
    );
}

/// No folder marked `\Sent` and no `sent_folder`: the Sent folder is found by its
/// name, doctor and the first sync say so, and the user's requests are read. With no
/// such folder at all, doctor fails and `status` warns.
pub fn without_special_use(kind: Kind) {
    let quirks = Quirks {
        special_use: false,
        ..Quirks::default()
    };
    let Some(h) = start(kind, quirks) else {
        return;
    };
    seed(&h, h.sent_wire());
    let env = env(&h, "");
    let doctor = env.rapport(&["doctor"]).ok();
    assert!(
        doctor.stdout.contains("chosen by its name"),
        "{}: {}",
        h.name(),
        doctor.stdout
    );
    let r = sync(&env);
    assert_eq!(folder(&r, h.sent_wire())["new"], 2, "{}: {r}", h.name());
    assert_eq!(
        timeline_kinds(&env, "bob@example.test"),
        ["request-sent", "reply"],
        "{}",
        h.name()
    );
    h.admin().delete(h.sent_wire());
    let doctor = env.rapport(&["doctor"]).fails();
    assert!(
        doctor.stdout.contains("FAIL  sent folder: none found"),
        "{}: {}",
        h.name(),
        doctor.stdout
    );
    sync(&env);
    let status = env.rapport(&["status"]).ok();
    assert!(
        status.stdout.contains("WARNING: no Sent folder is read"),
        "{}: {}",
        h.name(),
        status.stdout
    );
    let digest = env.rapport(&["digest"]).ok().stdout;
    assert!(
        digest.contains("Setup problems") && digest.contains("no Sent folder is read"),
        "{}: {digest}",
        h.name()
    );
}

/// A server without IDLE: the daemon says it polls (every 10 s, the least allowed), and
/// polling finds new mail.
pub fn without_idle(kind: Kind) {
    let quirks = Quirks {
        idle: false,
        ..Quirks::default()
    };
    let Some(h) = start(kind, quirks) else {
        return;
    };
    let env = env(&h, "");
    env.edit_config(|c| c.replacen("poll_seconds = 300", "poll_seconds = 10", 1));
    let d = daemon(&env);
    d.wait_until("the wait mode", SEEN_WITHIN, || {
        d.log().contains("polling every 10s")
    });
    let log = d.log();
    assert!(
        !log.contains("wait=\"IDLE\"") && !log.contains("wait=IDLE"),
        "{}: {log}",
        h.name()
    );
    let news = reply(
        "Carol <carol@example.test>",
        "carol-4@example.test",
        "x@example.test",
        "Hi!",
    );
    h.admin().append("INBOX", "", &news);
    d.wait_until("polled mail", SEEN_WITHIN, || {
        d.log().contains("synced folder=INBOX new=1")
    });
    d.stop_within_ten_seconds();
}

/// A `sent_folder` that does not exist: doctor FAILs, naming the folders that do, and
/// sync fails that folder too (doctor's verdict is sync's).
pub fn doctor_matches_sync_on_a_missing_folder(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    let env = env(&h, &format!("sent_folder = \"{}\"", h.folder("Nowhere")));
    let doctor = env.rapport(&["doctor"]).fails();
    let line = doctor
        .stdout
        .lines()
        .find(|l| l.starts_with("FAIL  imap folder:"))
        .unwrap_or_else(|| panic!("{}: no FAIL line: {}", h.name(), doctor.stdout));
    assert!(
        line.contains(&format!("\"{}\"", h.sent_wire())),
        "{}: {line}",
        h.name()
    );
    let r = env.rapport(&["sync", "--json"]).fails().json();
    let error = folder(&r, &h.folder("Nowhere"))["error"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(
        !error.is_empty(),
        "{}: sync must fail it too: {r}",
        h.name()
    );
    assert!(
        !error.contains("code: None") && !error.contains("Some("),
        "{error}"
    );
    assert!(
        error.contains("the server answered NO"),
        "{}: {error}",
        h.name()
    );
}

/// rapport logs in with a password by the LOGIN command; on a connection where the
/// server lists no `AUTH=PLAIN`/`AUTH=LOGIN` (Courier before STARTTLS) doctor must not
/// fail what sync then does.
pub fn password_login_without_auth_capabilities(kind: Kind) {
    let Some(h) = start(kind, Quirks::default()) else {
        return;
    };
    let env = env(&h, "");
    let tls = format!("port = {}\nsecurity = \"tls\"", h.imaps_port());
    env.edit_config(|c| {
        c.replacen(
            &tls,
            &format!("port = {}\nsecurity = \"none\"", h.imap_port()),
            1,
        )
    });
    let doctor = env.rapport(&["doctor"]);
    let sync = env.rapport(&["sync", "--json"]);
    assert_eq!(
        doctor.code == 0,
        sync.code == 0,
        "{}: doctor and sync disagree:\n{}\n---\n{}{}",
        h.name(),
        doctor.stdout,
        sync.stdout,
        sync.stderr
    );
    assert_eq!(sync.code, 0, "{}: {}", h.name(), sync.stderr);
    assert!(
        doctor.stdout.contains("ok    imap auth:"),
        "{}: {}",
        h.name(),
        doctor.stdout
    );
}
