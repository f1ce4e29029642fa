//! The user's loop without the daemon: every command that shows the queue, a contact or
//! the status is current (plans first, withdraws what the last sync made moot).

use crate::util::Env;
pub(crate) use answers::jessica_asked_and_answers;

mod answers;
mod digest;
mod review_later;

/// An Env with a local Maildir to sync from and Jessica as a contact.
fn env_with_maildir() -> Env {
    let env = Env::with_maildir();
    env.add_contact("jessica@example.com", "Jessica Park");
    env
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
    assert_eq!(env.drafts().len(), 2, "status drafted the nudge: {status}");
}

#[test]
fn a_message_seen_by_sync_withdraws_the_pending_request_at_once() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.now = "2026-11-23T12:00:00Z".into();
    env.deliver(
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
    let all = env.drafts();
    assert_eq!(all[0]["status"], "superseded", "{all:?}");
    let r = env.rapport(&["queue", "approve", "1"]);
    assert_ne!(r.code, 0, "a withdrawn draft cannot be approved");
}

fn kinds_open(env: &Env) -> Vec<String> {
    env.drafts()
        .iter()
        .filter(|d| ["pending", "approved", "snoozed"].contains(&d["status"].as_str().unwrap()))
        .map(|d| d["kind"].as_str().unwrap().to_string())
        .collect()
}

#[test]
fn meeting_add_without_a_time_is_refused_and_all_day_waits_for_the_evening() {
    let mut env = env_with_maildir();
    let r = env
        .rapport(&["meeting", "add", "jessica", "--at", "2026-12-03"])
        .fails();
    assert!(r.stderr.contains("no time of day"), "{}", r.stderr);
    assert!(r.stderr.contains("--all-day"), "{}", r.stderr);
    let list = env.rapport(&["meeting", "list", "--json"]).ok().json();
    assert_eq!(list["meetings"].as_array().unwrap().len(), 0, "{list}");

    env.rapport(&[
        "meeting",
        "add",
        "jessica",
        "--at",
        "2026-12-03",
        "--all-day",
    ])
    .ok();
    // Thursday 17:00 in Berlin: the day is not over, no thank-you yet.
    env.now = "2026-12-03T16:00:00Z".into();
    assert!(kinds_open(&env).is_empty(), "{:?}", env.drafts());
    // The evening: it is drafted.
    env.now = "2026-12-03T19:30:00Z".into();
    assert_eq!(kinds_open(&env), ["thank-you"]);
    let list = env.rapport(&["meeting", "list"]).ok().stdout;
    assert!(list.contains("all day"), "{list}");
}

#[test]
fn meetings_are_listed_moved_and_removed_and_the_thank_you_follows() {
    let mut env = env_with_maildir();
    env.add_contact("omar@example.com", "Omar Haddad");
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-24T10:00"])
        .ok();
    env.rapport(&["meeting", "add", "omar", "--at", "2026-11-26T10:00"])
        .ok();
    let list = env.rapport(&["meeting", "list", "--json"]).ok().json();
    let meetings = list["meetings"].as_array().unwrap();
    assert_eq!(meetings.len(), 2, "{list}");
    assert_eq!(meetings[0]["contact"], "Jessica Park");
    let jessica = meetings[0]["id"].as_i64().unwrap().to_string();
    let only_omar = env.rapport(&["meeting", "list", "omar"]).ok().stdout;
    assert!(only_omar.contains("Omar Haddad"), "{only_omar}");
    assert!(!only_omar.contains("Jessica"), "{only_omar}");

    // Moved a day later: two hours after the old time nothing is drafted.
    env.rapport(&["meeting", "move", &jessica, "--at", "2026-11-25T10:00"])
        .ok();
    env.now = "2026-11-24T12:00:00Z".into();
    assert!(kinds_open(&env).is_empty(), "{:?}", env.drafts());
    env.now = "2026-11-25T12:00:00Z".into();
    assert_eq!(kinds_open(&env), ["thank-you"]);

    // Removed: the thank-you is withdrawn at once, the list forgets it unless --all.
    let r = env.rapport(&["meeting", "remove", &jessica]).ok();
    assert!(r.stdout.contains("Removed meeting"), "{}", r.stdout);
    assert!(kinds_open(&env).is_empty(), "{:?}", env.drafts());
    let list = env.rapport(&["meeting", "list"]).ok().stdout;
    assert!(!list.contains("Jessica"), "{list}");
    let all = env.rapport(&["meeting", "list", "--all"]).ok().stdout;
    assert!(
        all.contains("Jessica") && all.contains("cancelled"),
        "{all}"
    );
    let r = env.rapport(&["meeting", "remove", "999"]).fails();
    assert!(r.stderr.contains("meeting list"), "{}", r.stderr);
}

#[test]
fn contacts_remove_says_what_goes_and_needs_yes_off_a_terminal() {
    let env = env_with_maildir();
    env.rapport(&["note", "jessica", "met at the meetup"]).ok();
    env.rapport(&["request", "jessica"]).ok();
    let r = env.rapport(&["contacts", "remove", "jessica"]).fails();
    assert!(r.stderr.contains("--yes"), "{}", r.stderr);
    assert!(
        r.stderr
            .contains("Jessica Park with 1 timeline entry and 1 draft (1 still open)"),
        "{}",
        r.stderr
    );
    assert_eq!(
        env.rapport(&["contacts", "list", "--json"]).ok().json()["contacts"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "nothing removed without --yes"
    );
    let r = env
        .rapport(&["contacts", "remove", "jessica", "--yes"])
        .ok();
    assert!(
        r.stdout
            .contains("Removed #1 Jessica Park with 1 timeline entry"),
        "{}",
        r.stdout
    );
    let list = env.rapport(&["contacts", "list", "--json"]).ok().json();
    assert_eq!(list["contacts"].as_array().unwrap().len(), 0);
}

#[test]
fn edits_that_leave_no_name_or_no_address_are_refused() {
    let env = env_with_maildir();
    let r = env
        .rapport(&["contacts", "edit", "jessica", "--name", ""])
        .fails();
    assert!(r.stderr.contains("--name is empty"), "{}", r.stderr);
    let r = env
        .rapport(&["contacts", "edit", "jessica", "--name", "   "])
        .fails();
    assert!(r.stderr.contains("--name is empty"), "{}", r.stderr);
    let r = env
        .rapport(&[
            "contacts",
            "edit",
            "jessica",
            "--remove-email",
            "jessica@example.com",
        ])
        .fails();
    assert!(
        r.stderr.contains("without an email address"),
        "{}",
        r.stderr
    );
    let r = env
        .rapport(&[
            "contacts",
            "edit",
            "jessica",
            "--remove-email",
            "nope@example.com",
        ])
        .fails();
    assert!(r.stderr.contains("is not one of"), "{}", r.stderr);
    let show = env
        .rapport(&["contacts", "show", "1", "--json"])
        .ok()
        .json();
    assert_eq!(show["contact"]["name"], "Jessica Park");
    assert_eq!(
        show["contact"]["emails"][0]["address"],
        "jessica@example.com"
    );

    // Swapping the only address in one command is fine.
    env.rapport(&[
        "contacts",
        "edit",
        "jessica",
        "--email",
        "jp@example.net",
        "--remove-email",
        "jessica@example.com",
    ])
    .ok();
    let show = env
        .rapport(&["contacts", "show", "1", "--json"])
        .ok()
        .json();
    assert_eq!(show["contact"]["emails"][0]["address"], "jp@example.net");
}

#[test]
fn contacts_are_found_by_accented_names_in_any_case() {
    let env = env_with_maildir();
    for (name, email) in [
        ("Zoë Ångström-Müller", "zoe@example.se"),
        ("Łukasz Nowak", "lukasz@example.pl"),
    ] {
        env.add_contact(email, name);
    }
    for (query, want) in [
        ("Ångström", "Zoë Ångström-Müller"),
        ("angstrom", "Zoë Ångström-Müller"),
        ("MÜLLER", "Zoë Ångström-Müller"),
        ("lukasz", "Łukasz Nowak"),
    ] {
        let show = env
            .rapport(&["contacts", "show", query, "--json"])
            .ok()
            .json();
        assert_eq!(show["contact"]["name"], want, "{query}");
    }
}

#[test]
fn a_failed_edit_keeps_the_text_and_the_next_edit_reopens_it() {
    let mut env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    let broken = env.script(
        "broken.sh",
        "printf 'no subject line here\\nmy precious words\\n' > \"$1\"",
    );
    env.extra_env = vec![("EDITOR".into(), broken)];
    let r = env.rapport(&["queue", "edit", "1"]).fails();
    assert!(r.stderr.contains("your text is kept in"), "{}", r.stderr);
    let kept = env.home().join(".local/share/rapport/edits/draft-1.txt");
    assert!(
        std::fs::read_to_string(&kept)
            .unwrap()
            .contains("my precious words"),
        "{}",
        r.stderr
    );
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&kept).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
    }
    let shown = env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(
        !shown.contains("precious"),
        "the draft is unchanged: {shown}"
    );

    // The next edit starts from the kept words, not from the draft.
    let fix = env.script(
        "fix.sh",
        "grep -q 'my precious words' \"$1\" || exit 1\n\
         printf 'Subject: Fixed\\n\\nmy precious words\\n' > \"$1\"",
    );
    env.extra_env = vec![("EDITOR".into(), fix)];
    let r = env.rapport(&["queue", "edit", "1"]).ok();
    assert!(r.stdout.contains("Saved draft 1"), "{}", r.stdout);
    assert!(
        r.stderr.contains("Starting from your unsaved edit"),
        "{}",
        r.stderr
    );
    let shown = env.rapport(&["queue", "show", "1"]).ok().stdout;
    assert!(
        shown.contains("Subject: Fixed") && shown.contains("my precious words"),
        "{shown}"
    );
    assert!(!kept.exists(), "the kept text goes once saved");
}

#[test]
fn templates_preview_uses_the_data_drafting_uses() {
    let env = env_with_maildir();
    env.add_contact("omar@example.com", "Omar Haddad");
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["queue", "approve", "1"]).ok();
    env.rapport(&["send"]).ok();
    let r = env
        .rapport(&["templates", "preview", "nudge", "jessica"])
        .ok();
    assert!(
        r.stdout
            .contains("Subject: Re: 25 minutes in the next few weeks?"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("Hi Jessica,"), "{}", r.stdout);
    assert!(!r.stderr.contains("sample"), "{}", r.stderr);
    // Without a request on the timeline it still previews, and says what is a sample.
    let r = env.rapport(&["templates", "preview", "nudge", "omar"]).ok();
    assert!(r.stdout.contains("Subject: Re: "), "{}", r.stdout);
    assert!(r.stderr.contains("the subject is a sample"), "{}", r.stderr);
}

#[test]
fn template_errors_name_the_file_the_line_and_the_closest_variable() {
    let env = env_with_maildir();
    let dir = env.home().join(".config/rapport/templates");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("check-in.hbs"),
        "Subject: Hello\n\nHi {{contact.frist_name}},\n",
    )
    .unwrap();
    let r = env.rapport(&["templates", "check"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    let file = dir.join("check-in.hbs");
    for want in [
        file.to_str().unwrap(),
        "line 3",
        "unknown variable `contact.frist_name`",
        "did you mean `contact.first_name`?",
    ] {
        assert!(r.stdout.contains(want), "{want}: {}", r.stdout);
    }
    let r = env
        .rapport(&["templates", "preview", "check-in", "jessica"])
        .fails();
    assert!(
        r.stderr.contains("did you mean `contact.first_name`?"),
        "{}",
        r.stderr
    );
    assert!(r.stderr.contains(file.to_str().unwrap()), "{}", r.stderr);
}

/// The Message-ID of the one request sent so far (from the outbox).
pub(crate) fn sent_message_id(env: &Env) -> String {
    let files = env.outbox_files();
    let text = std::fs::read_to_string(&files[0]).unwrap();
    let line = text
        .lines()
        .find(|l| l.to_ascii_lowercase().starts_with("message-id:"))
        .unwrap();
    line.split(['<', '>']).nth(1).unwrap().to_string()
}

/// Jessica's request sent and answered with a reading rapport is unsure of, Omar asking
/// the user for a coffee: one reply to confirm, one request to answer.
fn env_with_unsure_reply_and_inbound_request() -> Env {
    let mut env = env_with_maildir();
    env.add_contact("omar@example.com", "Omar Haddad");
    jessica_asked_and_answers(
        &mut env,
        "2026-11-24T09:00:00Z",
        "Tue, 24 Nov 2026 08:30:00 +0000",
        "jp-2",
        "Thanks!\n",
    );
    env.deliver(
        "1764100001.omar.example:2,",
        "From: Omar Haddad <omar@example.com>\n\
         To: Ada Lovelace <ada@example.org>\n\
         Subject: Coffee?\n\
         Date: Tue, 24 Nov 2026 08:40:00 +0000\n\
         Message-ID: <oh-1@mail.example.com>\n\
         \n\
         Hi Ada! Would you have time for a coffee next week?\n",
    );
    env.rapport(&["sync"]).ok();
    env
}

/// rapport running under a real pseudo-terminal (a detached tmux session on a private
/// socket): keys are sent, the screen is read.
pub(crate) struct Pty {
    socket: String,
}

impl Pty {
    pub(crate) fn start(env: &Env, args: &str) -> Pty {
        let socket = format!("rapport-test-{}-{}", std::process::id(), fastrand_name(env));
        let cmd = format!(
            "env -i PATH=\"$PATH\" HOME='{}' RAPPORT_NOW='{}' RAPPORT_LOG=warn TERM=xterm '{}' {args}; echo RAPPORT-EXIT=$?; sleep 600",
            env.home().display(),
            env.now,
            env!("CARGO_BIN_EXE_rapport"),
        );
        let ok = std::process::Command::new("tmux")
            .args([
                "-L",
                &socket,
                "new-session",
                "-d",
                "-x",
                "120",
                "-y",
                "60",
                &cmd,
            ])
            .status()
            .expect("tmux (scripts/setup-test-servers.sh installs it)");
        assert!(ok.success());
        Pty { socket }
    }

    fn screen(&self) -> String {
        let out = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "capture-pane", "-p", "-S", "-200"])
            .output()
            .unwrap();
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Waits (generously: the machine is shared) until the screen shows `text`.
    pub(crate) fn wait_for(&self, text: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let s = self.screen();
            if s.contains(text) {
                return s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "never showed {text:?}:\n{s}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    /// Waits until the item that starts with `header` is on screen whole: its prompt
    /// (every item's ends in "[q]uit >") shown after it. The screen can be read between
    /// two lines, and a key sent before the prompt reaches a terminal not yet in
    /// one-key mode.
    pub(crate) fn wait_item(&self, header: &str) -> String {
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
        loop {
            let s = self.screen();
            if s.rsplit_once(header)
                .is_some_and(|(_, after)| after.contains("[q]uit >"))
            {
                return s;
            }
            assert!(
                std::time::Instant::now() < deadline,
                "never showed {header:?} with its prompt:\n{s}"
            );
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }

    pub(crate) fn keys(&self, keys: &str) {
        std::process::Command::new("tmux")
            .args(["-L", &self.socket, "send-keys", "-l", keys])
            .status()
            .unwrap();
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = std::process::Command::new("tmux")
            .args(["-L", &self.socket, "kill-server"])
            .stderr(std::process::Stdio::null())
            .status();
    }
}

fn fastrand_name(env: &Env) -> String {
    env.home()
        .file_name()
        .unwrap()
        .to_string_lossy()
        .replace(|c: char| !c.is_ascii_alphanumeric(), "")
}

#[test]
fn review_walks_the_drafts_oldest_first_with_single_keys() {
    let mut env = env_with_maildir();
    env.add_contact("omar@example.com", "Omar Haddad");
    env.add_contact("lena@example.com", "Lena Vogel");
    env.rapport(&["request", "jessica"]).ok();
    env.now = "2026-11-23T10:05:00Z".into();
    env.rapport(&["request", "omar"]).ok();
    env.now = "2026-11-23T10:10:00Z".into();
    env.rapport(&["request", "lena"]).ok();

    let pty = Pty::start(&env, "review");
    let s = pty.wait_for("[q]uit >");
    assert!(s.contains("[1/3] Draft 1"), "{s}");
    assert!(s.contains("To: Jessica Park <jessica@example.com>"), "{s}");
    assert!(s.contains("Subject: 25 minutes"), "{s}");
    assert!(s.contains("Why: you asked on 2026-11-23"), "{s}");
    assert!(s.contains("Would you be available"), "the body, whole: {s}");
    pty.keys("a");
    let s = pty.wait_item("[2/3] Draft 2");
    assert!(s.contains("Approved 1"), "{s}");
    assert!(s.contains("To: Omar Haddad"), "{s}");
    pty.keys("r");
    pty.wait_item("[3/3] Draft 3");
    pty.keys("k");
    let s = pty.wait_for("RAPPORT-EXIT=");
    assert!(
        s.contains("Reviewed 3 of 3: 1 approved, 0 edited, 0 snoozed, 1 rejected, 1 skipped."),
        "{s}"
    );
    assert!(s.contains("RAPPORT-EXIT=0"), "{s}");
    let statuses: Vec<String> = env
        .drafts()
        .iter()
        .map(|d| format!("{}:{}", d["id"], d["status"].as_str().unwrap()))
        .collect();
    for want in ["1:approved", "2:rejected", "3:pending"] {
        assert!(statuses.contains(&want.to_string()), "{statuses:?}");
    }
}

#[test]
fn review_refuses_without_a_terminal_and_says_what_to_run() {
    let env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    let r = env.rapport(&["review"]).fails();
    assert!(r.stderr.contains("needs a terminal"), "{}", r.stderr);
    assert!(r.stderr.contains("rapport queue approve"), "{}", r.stderr);
}

#[test]
fn contacts_remove_asks_on_a_terminal() {
    let env = env_with_maildir();
    let pty = Pty::start(&env, "contacts remove jessica");
    let s = pty.wait_for("[y/N]");
    assert!(
        s.contains("Remove #1 Jessica Park with 0 timeline entries"),
        "{s}"
    );
    pty.keys("n\n");
    let s = pty.wait_for("RAPPORT-EXIT=0");
    assert!(s.contains("Kept Jessica Park."), "{s}");
    let pty = Pty::start(&env, "contacts remove jessica");
    pty.wait_for("[y/N]");
    pty.keys("y\n");
    let s = pty.wait_for("RAPPORT-EXIT=0");
    assert!(s.contains("Removed #1 Jessica Park"), "{s}");
}

/// The field names the README lists after `marker`, up to the full stop.
fn readme_fields(marker: &str) -> Vec<String> {
    let readme = include_str!("../../README.md");
    let start = readme.find(marker).unwrap() + marker.len();
    let rest = &readme[start..];
    let end = rest.find(".\n").unwrap();
    // Drop the parenthesised asides (the values a field takes).
    let mut text = String::new();
    let mut depth = 0;
    for c in rest[..end].chars() {
        match c {
            '(' => depth += 1,
            ')' => depth -= 1,
            _ if depth == 0 => text.push(c),
            _ => {}
        }
    }
    text.split('`')
        .skip(1)
        .step_by(2)
        .filter(|f| f.chars().all(|c| c.is_ascii_lowercase() || c == '_'))
        .map(str::to_string)
        .collect()
}

fn keys(v: &serde_json::Value) -> Vec<String> {
    let mut k: Vec<String> = v.as_object().unwrap().keys().cloned().collect();
    k.sort();
    k
}

#[test]
fn json_outputs_use_the_readme_field_names() {
    let env = env_with_maildir();
    env.rapport(&["request", "jessica"]).ok();
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-30T10:00"])
        .ok();
    let mut d_fields = readme_fields("D has ");
    d_fields.sort();
    assert!(d_fields.contains(&"due".to_string()), "{d_fields:?}");
    let q = env.rapport(&["queue", "--json"]).ok().json();
    assert_eq!(keys(&q["drafts"][0]), d_fields);
    let show = env
        .rapport(&["contacts", "show", "jessica", "--json"])
        .ok()
        .json();
    assert_eq!(
        keys(&show["drafts"][0]),
        d_fields,
        "contacts show uses D too"
    );
    let mut top = keys(&show);
    top.sort();
    assert_eq!(
        top,
        [
            "balance", "contact", "drafts", "intros", "next", "stage", "timeline", "todos"
        ]
    );
    let mut m_fields = readme_fields("with M = ");
    m_fields.sort();
    let m = env.rapport(&["meeting", "list", "--json"]).ok().json();
    assert_eq!(keys(&m["meetings"][0]), m_fields);
    let mut send_fields = readme_fields("`rapport send --json`: ");
    send_fields.sort();
    let sent = env.rapport(&["send", "--json"]).ok().json();
    assert_eq!(keys(&sent), send_fields, "send --json as the README says");
}

#[test]
fn review_walks_an_unsure_reply_a_request_and_a_draft_oldest_first() {
    let env = env_with_unsure_reply_and_inbound_request();
    env.add_contact("lena@example.com", "Lena Vogel");
    env.rapport(&["request", "lena"]).ok();
    let lena = env
        .drafts()
        .iter()
        .find(|d| d["status"] == "pending")
        .unwrap()["id"]
        .clone();

    let pty = Pty::start(&env, "review");
    let s = pty.wait_for("[q]uit >");
    assert!(s.contains("[1/3] Reply from Jessica Park"), "{s}");
    assert!(s.contains("Thanks!"), "the fresh text: {s}");
    assert!(s.contains("rapport's guess: thanked you"), "{s}");
    pty.keys("c");
    let s = pty.wait_item("[2/3] Omar Haddad asked you for a meeting");
    assert!(s.contains("(confirmed)"), "{s}");
    assert!(s.contains("Would you have time for a coffee"), "{s}");
    pty.keys("a");
    let s = pty.wait_item(&format!("[3/3] Draft {lena}"));
    assert!(s.contains("Recorded that you answered Omar Haddad."), "{s}");
    assert!(s.contains("To: Lena Vogel <lena@example.com>"), "{s}");
    pty.keys("a");
    let s = pty.wait_for("RAPPORT-EXIT=");
    assert!(
        s.contains("Reviewed 3 of 3: 1 approved, 0 edited, 0 snoozed, 0 rejected, 0 skipped."),
        "{s}"
    );
    assert!(
        s.contains("Readings: 1 confirmed, 0 corrected; requests: 1 answered."),
        "{s}"
    );
    assert!(s.contains("RAPPORT-EXIT=0"), "{s}");

    let approved = env
        .drafts()
        .iter()
        .any(|d| d["id"] == lena && d["status"] == "approved");
    assert!(approved, "{:?}", env.drafts());
    let why = env
        .rapport(&["why", "jp-2@mail.example.com", "--json"])
        .ok()
        .json();
    assert_eq!(why["marked_by_user"], true, "{why}");
    assert_eq!(
        why["certainty"], "sure",
        "a confirmed reading is sure: {why}"
    );
    let q = env.rapport(&["queue"]).ok().stdout;
    assert!(!q.contains("To confirm"), "the reading is sure now: {q}");
    assert!(!q.contains("To answer"), "the request is answered: {q}");
}

#[test]
fn review_corrects_an_unsure_reading_the_way_mark_does() {
    let env = env_with_unsure_reply_and_inbound_request();
    let why = env
        .rapport(&["why", "jp-2@mail.example.com", "--json"])
        .ok()
        .json();
    assert_eq!(why["certainty"], "unsure", "{why}");
    let text = env.rapport(&["why", "jp-2@mail.example.com"]).ok().stdout;
    assert!(text.contains("Certainty: unsure"), "{text}");
    assert!(
        text.contains("a short thanks with nothing else: unsure"),
        "{text}"
    );
    let pty = Pty::start(&env, "review");
    pty.wait_item("[1/2] Reply from Jessica Park");
    pty.keys("n");
    let s = pty.wait_item("[2/2] Omar Haddad");
    assert!(
        s.contains("label thank_you → human_reply, intent none → no"),
        "mark's own wording: {s}"
    );
    pty.keys("q");
    let s = pty.wait_for("RAPPORT-EXIT=0");
    assert!(s.contains("Readings: 0 confirmed, 1 corrected"), "{s}");
    let why = env
        .rapport(&["why", "jp-2@mail.example.com", "--json"])
        .ok()
        .json();
    assert_eq!(why["intent"], "no", "{why}");
    assert_eq!(why["marked_by_user"], true, "{why}");
    // Issue 22 item 8: the human forms speak local time with the zone (UTC stays in --json).
    let text = env.rapport(&["why", "jp-2@mail.example.com"]).ok().stdout;
    assert!(text.contains(" CET ·"), "{text}");
    let show = env.rapport(&["contacts", "show", "jessica"]).ok().stdout;
    assert!(
        show.contains("Timeline (times in Europe/Berlin):"),
        "{show}"
    );
    assert!(
        show.contains("replied (no"),
        "the timeline reads the correction: {show}"
    );
}
