//! Issue 20.6: no escape sequence, bell, OSC (title, OSC 52 clipboard) or bidi control
//! that came in a Subject or a From — raw or RFC 2047-encoded — reaches the terminal
//! through any command: each is shown visibly (`^[`, `^G`, `\u202e`) by the one
//! sanitiser every CLI write goes through. Checked through `why`, `queue`, `digest`,
//! `contacts show`, `contacts list`, `brief`, `status`, `todo` and, on a real
//! pseudo-terminal, `review`.

use crate::util::Env;

/// OSC 52: put "pwned" in the clipboard.
const OSC52: &str = "\u{1b}]52;c;cHduZWQ=\u{7}";

fn env_with_hostile_mail() -> Env {
    let env = Env::with_maildir();
    env.add_contact("omar@example.com", "Omar Haddad");
    env.add_contact("lena@example.com", "Lena Vogel");
    env.deliver(
        "1764100001.omar.example:2,",
        &format!(
            "From: Omar \u{1b}]0;pwned\u{7}Haddad <omar@example.com>\n\
             To: Ada Lovelace <ada@example.org>\n\
             Subject: Coffee? {OSC52}\u{1b}[2J\u{202e}gnp.exe\n\
             Date: Mon, 23 Nov 2026 08:40:00 +0000\n\
             Message-ID: <oh-1@mail.example.com>\n\
             \n\
             Hi Ada! Would you have time for a coffee next week?\n"
        ),
    );
    env.deliver(
        "1764100002.lena.example:2,",
        "From: =?UTF-8?Q?Lena_=1B[31mVogel=07?= <lena@example.com>\n\
         To: Ada Lovelace <ada@example.org>\n\
         Subject: =?UTF-8?Q?Lunch=3F_=1B]52;c;cHduZWQ=3D=07_=E2=80=AEtxt.exe?=\n\
         Date: Mon, 23 Nov 2026 08:50:00 +0000\n\
         Message-ID: <lv-1@mail.example.com>\n\
         \n\
         Hi Ada, could we meet for lunch one day next week?\n",
    );
    env.rapport(&["sync"]).ok();
    env
}

/// Fails if `text` carries a raw control character or bidi control.
fn assert_safe(what: &str, text: &str) {
    let bad: Vec<char> = text
        .chars()
        .filter(|&c| {
            (c.is_control() && c != '\n' && c != '\t')
                || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
        })
        .collect();
    assert!(bad.is_empty(), "{what} printed raw {bad:?}:\n{text:?}");
}

#[test]
fn mail_text_is_shown_visibly_by_every_command() {
    let env = env_with_hostile_mail();
    let mut shown = 0;
    for args in [
        vec!["why", "oh-1@mail.example.com"],
        vec!["why", "lv-1@mail.example.com"],
        vec!["why", "oh-1@mail.example.com", "--json"],
        vec!["queue"],
        vec!["queue", "--json"],
        vec!["digest"],
        vec!["contacts", "show", "omar"],
        vec!["contacts", "show", "lena"],
        vec!["contacts", "list"],
        vec!["brief", "omar"],
        vec!["status"],
        vec!["todo"],
    ] {
        let r = env.rapport(&args);
        let what = args.join(" ");
        assert_safe(&what, &r.stdout);
        assert_safe(&what, &r.stderr);
        if r.stdout.contains("^[]52;c;cHduZWQ=^G") {
            shown += 1;
        }
        if args.last() == Some(&"--json") {
            // Still JSON, and the same characters once parsed.
            let v: serde_json::Value = serde_json::from_str(&r.stdout)
                .unwrap_or_else(|e| panic!("{what}: {e}\n{}", r.stdout));
            assert!(v.to_string().contains("\\u001b]52;c;"), "{what}: {v}");
        }
    }
    let why = env.rapport(&["why", "oh-1@mail.example.com"]).ok().stdout;
    assert!(
        why.contains("Coffee? ^[]52;c;cHduZWQ=^G^[[2J\\u202egnp.exe"),
        "{why}"
    );
    let why = env.rapport(&["why", "lv-1@mail.example.com"]).ok().stdout;
    assert!(
        why.contains("^[]52;c;cHduZWQ=^G"),
        "RFC 2047 decoded, then shown: {why}"
    );
    let queue = env.rapport(&["queue"]).ok().stdout;
    assert!(queue.contains("^[]52;c;"), "{queue}");
    let digest = env.rapport(&["digest"]).ok().stdout;
    assert!(digest.contains("^[]52;c;"), "{digest}");
    assert!(
        shown >= 4,
        "the subject shown visibly by only {shown} commands"
    );
}

/// `review` on a real pseudo-terminal (tmux): the escapes would be eaten by the
/// terminal if they reached it; shown visibly, they are on the screen as text.
#[test]
fn review_shows_mail_text_visibly_on_a_terminal() {
    let env = env_with_hostile_mail();
    let socket = format!(
        "rapport-esc-{}-{}",
        std::process::id(),
        env.home()
            .file_name()
            .unwrap()
            .to_string_lossy()
            .replace(|c: char| !c.is_ascii_alphanumeric(), "")
    );
    let cmd = format!(
        "env -i PATH=\"$PATH\" HOME='{}' RAPPORT_NOW='{}' RAPPORT_LOG=warn TERM=xterm '{}' review; sleep 600",
        env.home().display(),
        env.now,
        env!("CARGO_BIN_EXE_rapport"),
    );
    let tmux = |args: &[&str]| {
        std::process::Command::new("tmux")
            .args(["-L", &socket])
            .args(args)
            .output()
            .unwrap()
    };
    assert!(
        tmux(&["new-session", "-d", "-x", "160", "-y", "60", &cmd])
            .status
            .success()
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
    let screen = loop {
        let s = String::from_utf8_lossy(&tmux(&["capture-pane", "-p", "-S", "-200"]).stdout)
            .into_owned();
        if s.contains("[q]uit >") || std::time::Instant::now() > deadline {
            break s;
        }
        std::thread::sleep(std::time::Duration::from_millis(100));
    };
    let _ = tmux(&["kill-server"]);
    assert!(screen.contains("[q]uit >"), "{screen}");
    assert!(screen.contains("^[]52;c;cHduZWQ=^G"), "{screen}");
}
