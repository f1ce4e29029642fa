//! `rapport share` against real Dovecot and the test SMTP server: one personal email per
//! person, never one to many; each reason to leave someone out skips exactly that
//! person, and says why; a share counts as a touch, so the check-in cadence moves on.

use crate::e2e_story::{inbox_count, send_to_me};
use crate::support::TestServers;
use crate::util::Env;

fn tagged(env: &Env, address: &str, name: &str) {
    env.rapport(&[
        "contacts", "add", address, "--name", name, "--tag", "search",
    ])
    .ok();
}

fn open_drafts(env: &Env) -> Vec<(i64, String, String)> {
    env.drafts()
        .into_iter()
        .filter(|d| ["pending", "approved", "snoozed"].contains(&d["status"].as_str().unwrap()))
        .map(|d| {
            (
                d["id"].as_i64().unwrap(),
                d["kind"].as_str().unwrap().to_string(),
                d["to"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn share_to_a_tag_drafts_one_email_each_and_skips_each_reason_once() {
    let s = TestServers::start();
    for user in ["sam", "dave", "erin", "frank"] {
        s.add_user(user, &format!("{user}-secret"));
    }
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-11-02T10:00:00Z".into();
    tagged(&env, "alice@example.test", "Jessica Park");
    tagged(&env, "bob@example.test", "Omar Haddad");
    // An open request: asked and not answered.
    tagged(&env, "carol@example.test", "Lena Vogel");
    env.rapport(&["request", "carol@example.test"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    // Do-not-contact.
    tagged(&env, "sam@example.test", "Sam Doe");
    env.rapport(&["contacts", "edit", "sam@example.test", "--do-not-contact"])
        .ok();
    // A draft waiting in the queue.
    tagged(&env, "dave@example.test", "Priya Nair");
    env.rapport(&["request", "dave@example.test"]).ok();
    // A bounced address.
    tagged(&env, "erin@example.test", "Erin Moss");
    let conn = rusqlite::Connection::open(env.db_path()).unwrap();
    conn.execute(
        "UPDATE contact_emails SET bounced_at = '2026-10-01T10:00:00Z' WHERE address = 'erin@example.test'",
        [],
    )
    .unwrap();
    // In touch ten days ago.
    tagged(&env, "frank@example.test", "Frank Li");
    send_to_me(
        &s,
        "From: Frank Li <frank@example.test>\nTo: me@example.test\nSubject: Hello\nDate: Fri, 23 Oct 2026 09:00:00 +0000\nMessage-ID: <frank-1@example.test>\n\nGood to see you at the meetup, Ada!\n",
    );
    env.now = "2026-11-02T10:30:00Z".into();
    env.rapport(&["sync"]).ok();
    let before = s.smtp_events("data").len();
    let rcpts_before = s.smtp_events("rcpt").len();

    let r = env
        .rapport(&[
            "share",
            "https://example.org/ranking-talk",
            "--tag",
            "search",
            "--title",
            "A talk on search ranking",
            "--why",
            "it made me think of your ranking work",
        ])
        .ok();
    println!("{}", r.stdout);
    assert!(
        r.stdout.contains("Drafted 2 personal emails"),
        "{}",
        r.stdout
    );
    for (name, why) in [
        ("Lena Vogel", "request to them is still open"),
        ("Sam Doe", "do-not-contact"),
        ("Priya Nair", "already waits in the queue"),
        ("Erin Moss", "not bounced"),
        ("Frank Li", "within policy.share_min_days (30)"),
    ] {
        let line = r
            .stdout
            .lines()
            .find(|l| l.trim_start().starts_with(name))
            .unwrap_or_else(|| panic!("{name} not in the summary:\n{}", r.stdout));
        assert!(line.contains(why), "{name}: {line}");
    }
    let shares: Vec<_> = open_drafts(&env)
        .into_iter()
        .filter(|d| d.1 == "share")
        .collect();
    let to: Vec<&str> = shares.iter().map(|d| d.2.as_str()).collect();
    assert_eq!(to, ["alice@example.test", "bob@example.test"], "{shares:?}");
    for (id, ..) in &shares {
        env.rapport(&["queue", "approve", &id.to_string()]).ok();
    }
    env.rapport(&["send"]).ok();
    assert_eq!(
        s.smtp_events("data").len(),
        before + 2,
        "two emails, one each"
    );
    assert_eq!(inbox_count(&s, "alice"), 1);
    assert_eq!(inbox_count(&s, "bob"), 1);
    let rcpts = s.smtp_events("rcpt");
    assert_eq!(
        rcpts.len(),
        rcpts_before + 2,
        "one recipient per email: {rcpts:?}"
    );
    for n in [before + 1, before + 2] {
        let m = String::from_utf8(s.sent_message(n).unwrap()).unwrap();
        // Header names only: a random Message-ID may well spell "bcc" in hex.
        let head = m
            .split("\r\n\r\n")
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        assert!(
            !head
                .lines()
                .any(|l| l.starts_with("cc:") || l.starts_with("bcc:")),
            "{m}"
        );
        assert!(m.contains("https://example.org/ranking-talk"), "{m}");
    }
    // The balance of give and ask: Jessica was given to, Lena only asked of.
    let balance = |who: &str| {
        env.rapport(&["contacts", "show", who, "--json"])
            .ok()
            .json()["balance"]
            .clone()
    };
    assert_eq!(
        balance("alice@example.test"),
        serde_json::json!({"asks": 0, "gives": 1})
    );
    assert_eq!(
        balance("carol@example.test"),
        serde_json::json!({"asks": 1, "gives": 0})
    );
    let brief = env
        .rapport(&["brief", "carol@example.test", "--json"])
        .ok()
        .json();
    assert_eq!(
        brief["balance"],
        serde_json::json!({"asks": 1, "gives": 0}),
        "{brief}"
    );
    let text = env.rapport(&["brief", "alice@example.test"]).ok().stdout;
    assert!(text.contains("balance   0 asks, 1 give"), "{text}");
    let show = env
        .rapport(&["contacts", "show", "alice@example.test"])
        .ok()
        .stdout;
    assert!(
        show.contains("you shared: A talk on search ranking"),
        "{show}"
    );
}

#[test]
fn a_share_is_a_touch_and_the_check_in_cadence_moves_on() {
    let s = TestServers::start();
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-09-15T10:00:00Z".into();
    env.add_contact("alice@example.test", "Jessica Park");
    send_to_me(
        &s,
        "From: Jessica Park <alice@example.test>\nTo: me@example.test\nSubject: Great to meet you\nDate: Tue, 15 Sep 2026 09:00:00 +0000\nMessage-ID: <jp-met@example.test>\n\nGreat to meet you at the meetup, Ada. Let's stay in touch!\n",
    );
    env.rapport(&["sync"]).ok();

    env.now = "2026-11-02T10:00:00Z".into();
    let r = env
        .rapport(&[
            "share",
            "--note",
            "The slides from my talk are up on my site.",
            "--to",
            "jessica",
        ])
        .ok();
    assert!(
        r.stdout.contains("Drafted 1 personal email"),
        "{}",
        r.stdout
    );
    let id = open_drafts(&env)[0].0.to_string();
    env.rapport(&["queue", "approve", &id]).ok();
    env.rapport(&["send"]).ok();
    assert_eq!(inbox_count(&s, "alice"), 1);

    // Three months after September (the regular tier's cadence) nothing is due: the
    // share was the last touch.
    env.now = "2026-12-16T10:00:00Z".into();
    env.rapport(&["sync"]).ok();
    assert!(open_drafts(&env).is_empty(), "{:?}", env.drafts());
    // Three months after the share, the check-in.
    env.now = "2027-02-03T10:00:00Z".into();
    env.rapport(&["sync"]).ok();
    let open = open_drafts(&env);
    assert_eq!(open.len(), 1, "{open:?}");
    assert_eq!(open[0].1, "check-in");
}

/// A page server on loopback that answers every request with `status` and `body` and
/// counts the requests: the other end of `--fetch-title`.
fn page_server(
    status: &'static str,
    body: &'static str,
) -> (String, std::sync::Arc<std::sync::atomic::AtomicUsize>) {
    use std::io::{BufRead, BufReader, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/talk", listener.local_addr().unwrap());
    let hits = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let counted = hits.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            counted.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut line = String::new();
            while reader.read_line(&mut line).is_ok_and(|n| n > 0) && line != "\r\n" {
                line.clear();
            }
            let mut w = stream;
            let _ = write!(
                w,
                "HTTP/1.1 {status}\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    (url, hits)
}

#[test]
fn fetch_title_reads_the_page_only_when_asked_and_a_failure_drafts_nothing() {
    let s = TestServers::start();
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-11-02T10:00:00Z".into();
    tagged(&env, "alice@example.test", "Jessica Park");
    let (url, hits) = page_server(
        "200 OK",
        "<html><head><title>Search ranking &amp; you &#8212; a talk</title></head><body>…</body></html>",
    );
    // Without --fetch-title the page is never read.
    env.rapport(&[
        "share",
        &url,
        "--title",
        "Given",
        "--to",
        "alice@example.test",
    ])
    .ok();
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 0);
    env.rapport(&["queue", "reject", "1"]).ok();
    env.now = "2026-11-02T10:05:00Z".into();
    let r = env
        .rapport(&["share", &url, "--fetch-title", "--to", "alice@example.test"])
        .ok();
    assert_eq!(hits.load(std::sync::atomic::Ordering::SeqCst), 1);
    assert!(
        r.stdout.contains("Search ranking & you — a talk"),
        "{}",
        r.stdout
    );
    let subjects: Vec<String> = env
        .drafts()
        .iter()
        .filter(|d| d["status"] == "pending")
        .map(|d| d["subject"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(subjects.len(), 1, "{subjects:?}");
    assert!(
        subjects[0].contains("Search ranking & you — a talk"),
        "{subjects:?}"
    );

    // A page that is not there: the error names the link and the fix; nothing drafted.
    let (missing, _) = page_server("404 Not Found", "<title>Not found</title>");
    tagged(&env, "bob@example.test", "Omar Haddad");
    let r = env
        .rapport(&[
            "share",
            &missing,
            "--fetch-title",
            "--to",
            "bob@example.test",
        ])
        .fails();
    assert!(
        r.stderr.contains(&missing) && r.stderr.contains("--title"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains("404"), "{}", r.stderr);
    assert_eq!(open_drafts(&env).len(), 1, "{:?}", open_drafts(&env));
    // --fetch-title with --title or --note is refused by the parser.
    env.rapport(&[
        "share",
        &url,
        "--fetch-title",
        "--title",
        "x",
        "--to",
        "bob@example.test",
    ])
    .fails();
}
