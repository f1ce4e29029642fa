//! The compatibility suite (issue 23): THE SAME checks on Dovecot, Cyrus IMAP 3.6 and
//! Courier-IMAP 5.0 (`support::compat`), each server on loopback in its own directory:
//! doctor, first sync, re-sync, a UIDVALIDITY change, IDLE and a reconnect after the
//! server cut the connection, the copy in Sent (exactly one, byte-identical to what the
//! SMTP server received, `\Seen`), non-ASCII folder names, a server without SPECIAL-USE
//! and one without IDLE. Each check is one function taking the server's [`Kind`]; the
//! `servers!` macro makes one test per check and server (`compat::cyrus::sent_copy`).
//!
//! Cyrus and Courier come from `scripts/setup-test-servers.sh`; where they cannot be had
//! their tests say so in one line (`compat: Cyrus NOT TESTED: …`) and return.

use std::time::Duration;

use crate::support::compat::{Kind, Mailhost, Quirks};
use crate::util::Env;
use crate::util::daemon::Daemon;

mod checks;

/// One message, as the user's mail client or a contact's would write it.
fn mail(from: &str, to: &str, subject: &str, id: &str, extra: &str, body: &str) -> Vec<u8> {
    let date = if subject.starts_with("Re:") {
        "Tue, 03 Nov 2026 09:00:00 +0000"
    } else {
        "Mon, 02 Nov 2026 10:00:00 +0000"
    };
    format!(
        "From: {from}\r\nTo: {to}\r\nSubject: {subject}\r\nDate: {date}\r\nMessage-ID: <{id}>\r\n{extra}MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\r\n{body}\r\n"
    )
    .into_bytes()
}

fn request(to: &str, id: &str) -> Vec<u8> {
    mail(
        "Ada Lovelace <me@example.test>",
        to,
        "25 minutes?",
        id,
        "",
        "Would you be available in the next 2-3 weeks for a 25-minute conversation?",
    )
}

fn reply(from: &str, id: &str, to_id: &str, body: &str) -> Vec<u8> {
    mail(
        from,
        "me@example.test",
        "Re: 25 minutes?",
        id,
        &format!("In-Reply-To: <{to_id}>\r\nReferences: <{to_id}>\r\n"),
        body,
    )
}

/// The mailbox every server gets: two requests in Sent, and in INBOX a yes, a yes
/// whose sender's name and subject are raw 8-bit UTF-8 (Cyrus turns those bytes into
/// `X`), an auto-reply and a newsletter.
fn seed(h: &Mailhost, sent_wire: &str) {
    let mut a = h.admin();
    a.append(
        sent_wire,
        "\\Seen",
        &request("Bob Example <bob@example.test>", "req-bob@example.test"),
    );
    a.append(
        sent_wire,
        "\\Seen",
        &request("Zoë Ågren <alice@example.test>", "req-alice@example.test"),
    );
    a.append("INBOX", "", &reply(
        "Bob Example <bob@example.test>",
        "bob-yes@example.test",
        "req-bob@example.test",
        "Sure, happy to! Next week works.\r\n\r\nOn Mon, Ada wrote:\r\n> Would you be available?",
    ));
    a.append(
        "INBOX",
        "",
        &reply(
            "Zoë Ågren <alice@example.test>",
            "alice-yes@example.test",
            "req-alice@example.test",
            "Yes, gladly. Tuesday afternoon works for me — café on the corner?",
        ),
    );
    a.append(
        "INBOX",
        "\\Seen",
        &mail(
            "Carol <carol@example.test>",
            "me@example.test",
            "Automatic reply: hello",
            "carol-ooo@example.test",
            "Auto-Submitted: auto-replied\r\n",
            "I am out of the office until November 16.",
        ),
    );
    a.append(
        "INBOX",
        "\\Seen",
        &mail(
            "News <news@lists.example>",
            "me@example.test",
            "Weekly digest",
            "news-1@lists.example",
            "List-Id: <weekly.lists.example>\r\nList-Unsubscribe: <mailto:u@lists.example>\r\n",
            "This week's links.",
        ),
    );
}

/// A rapport home for `me` on this server, with `imap_keys` added to `[imap]` and the
/// contacts known.
fn env(h: &Mailhost, imap_keys: &str) -> Env {
    let config = h.rapport_config().replacen(
        "poll_seconds = 10\n",
        &format!("poll_seconds = 300\ntimeout_seconds = 10\n{imap_keys}\n"),
        1,
    );
    let env = Env::with_config(&config);
    env.add_contact("bob@example.test", "Bob Example");
    env.add_contact("alice@example.test", "Zoë Ågren");
    env
}

fn sync(env: &Env) -> serde_json::Value {
    env.rapport(&["sync", "--json"]).ok().json()
}

/// A folder's report in `sync --json`.
fn folder<'a>(report: &'a serde_json::Value, name: &str) -> &'a serde_json::Value {
    report["folders"]
        .as_array()
        .expect("folders")
        .iter()
        .find(|f| f["folder"] == name)
        .unwrap_or_else(|| panic!("no folder {name} in {report}"))
}

fn timeline_kinds(env: &Env, who: &str) -> Vec<String> {
    env.rapport(&["contacts", "show", who, "--json"])
        .ok()
        .json()["timeline"]
        .as_array()
        .expect("a timeline")
        .iter()
        .map(|i| i["kind"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// A running daemon for `env`, logging at info.
fn daemon(env: &Env) -> Daemon {
    Daemon::start(env, "info", &[])
}

/// How long a daemon may take to see new mail by IDLE (its poll is 300 s: only IDLE,
/// or the 2 s poll of the checks without IDLE, can be this quick).
const SEEN_WITHIN: Duration = Duration::from_secs(60);

/// One test per check and server: `compat::dovecot::first_sync`, `compat::cyrus::…`.
macro_rules! servers {
    ($($check:ident),* $(,)?) => {
        mod dovecot {
            $(#[test] fn $check() { super::checks::$check(super::Kind::Dovecot); })*
        }
        mod cyrus {
            $(#[test] fn $check() { super::checks::$check(super::Kind::Cyrus); })*
        }
        mod courier {
            $(#[test] fn $check() { super::checks::$check(super::Kind::Courier); })*
        }
    };
}

servers!(
    doctor_and_first_sync,
    uidvalidity_change,
    idle_and_reconnect,
    sent_copy,
    refused_copy_keeps_idle,
    non_ascii_folder_names,
    without_special_use,
    without_idle,
    doctor_matches_sync_on_a_missing_folder,
    password_login_without_auth_capabilities,
);

/// The server of `kind` with `quirks`, or `None` (said once) when it cannot be had.
fn start(kind: Kind, quirks: Quirks) -> Option<Mailhost> {
    Mailhost::start(kind, quirks)
}
