//! Never failing silently on credentials (issue 23): a token helper that stops working
//! mid-run, against the real Dovecot and SMTP server with OAuth2. The approved draft
//! stays approved ("waiting for a working login", never failed however many tries);
//! `status`, `doctor`, the digest and the daemon's log name the helper and what to run;
//! the daemon retries with a growing wait (not in a loop) and sends the draft exactly
//! once when the helper works again, without a restart.

use std::time::{Duration, Instant};

use crate::support::TestServers;
use crate::util::Env;
use crate::util::daemon::Daemon;

/// The test servers' config with `[smtp]` logging in with XOAUTH2 through `helper`, and
/// `policy` added (a small `max_attempts`: on the old code a failing helper failed the
/// draft after that many tries).
fn config(s: &TestServers, helper: &str, policy: &str) -> String {
    let text = s.rapport_config();
    let (smtp, imap) = text.split_once("[imap]").unwrap();
    let smtp = smtp.replacen(
        "password_command = \"echo me-secret\"",
        &format!("auth = \"xoauth2\"\ntoken_command = \"{helper}\""),
        1,
    );
    format!("{smtp}[imap]{imap}\n[policy]\n{policy}\n")
}

/// A token helper that prints `token` while `HOME/helper-works` exists and fails (exit
/// 1, a word on stderr) otherwise; every run adds a line to `HOME/helper-runs`.
fn helper(env: &Env, token: &str) -> String {
    let home = env.home().display().to_string();
    env.script(
        "token-helper.sh",
        &format!(
            "echo run >> {home}/helper-runs\nif [ -f {home}/helper-works ]; then echo {token}; else echo 'refresh token expired' >&2; exit 1; fi"
        ),
    )
}

fn helper_runs(env: &Env) -> usize {
    std::fs::read_to_string(env.home().join("helper-runs"))
        .unwrap_or_default()
        .lines()
        .count()
}

fn fix_helper(env: &Env) {
    std::fs::write(env.home().join("helper-works"), b"").unwrap();
}

/// One approved request to Bob, made while the helper is broken.
fn approved_draft(env: &Env) {
    env.request("bob@example.test", "Bob Example");
    env.rapport(&["queue", "approve", "1"]).ok();
}

#[test]
fn a_failing_token_helper_keeps_the_draft_approved_says_so_everywhere_and_sends_once_fixed() {
    let s = TestServers::start_oauth2();
    s.set_tokens(&[("smtp-tok-9", "me@example.test")]);
    let mut env = Env::with_config("");
    let helper = helper(&env, "smtp-tok-9");
    env.write_config(&config(&s, &helper, "max_attempts = 2\nretry_seconds = 60"));
    approved_draft(&env);

    // Three sends, 20 minutes apart (past every backoff): more than max_attempts.
    for (i, at) in ["10:00", "10:20", "10:40"].iter().enumerate() {
        env.now = format!("2026-11-23T{at}:00Z");
        let run = env.rapport(&["send"]);
        let said = format!("{}{}", run.stdout, run.stderr);
        assert_ne!(
            run.code, 0,
            "a send that could not log in is no success: {said}"
        );
        assert!(
            said.contains("waiting for a working login"),
            "try {i}: {said}"
        );
        let d = env.draft(1);
        assert_eq!(d["status"], "approved", "try {i}: {said}\n{d}");
        let err = d["last_error"].as_str().unwrap_or_default();
        assert!(err.starts_with("waiting for a working login"), "{d}");
        assert!(err.contains("[smtp] token_command failed"), "{d}");
        assert!(
            !said.contains("refresh token expired"),
            "the helper's words leaked: {said}"
        );
    }
    assert_eq!(helper_runs(&env), 3, "one helper run per try");
    assert!(s.sent_messages().is_empty());

    let status = env.rapport(&["status"]).ok().stdout;
    let line = status
        .lines()
        .find(|l| l.starts_with("LOGIN FAILING"))
        .unwrap_or_else(|| panic!("status says nothing of the login:\n{status}"));
    assert!(line.contains("[smtp] token_command failed"), "{line}");
    assert!(line.contains("run it yourself in a terminal"), "{line}");
    assert!(
        status.contains("waiting for a working login: 1"),
        "{status}"
    );
    let json = env.rapport(&["status", "--json"]).ok().json();
    assert_eq!(json["login_problems"][0]["section"], "smtp", "{json}");
    assert_eq!(json["login_problems"][0]["failures"], 3, "{json}");
    assert_eq!(json["waiting_for_login"], 1, "{json}");

    let doctor = env.rapport(&["doctor"]);
    assert_ne!(doctor.code, 0);
    let recorded = doctor
        .stdout
        .lines()
        .find(|l| l.contains("smtp login (recorded)"))
        .unwrap_or_else(|| panic!("doctor says nothing of the record:\n{}", doctor.stdout));
    assert!(
        recorded.starts_with("FAIL") && recorded.contains("1 approved"),
        "{recorded}"
    );

    let digest = env.rapport(&["digest"]).ok().stdout;
    assert!(digest.contains("1 login needs you"), "{digest}");
    assert!(digest.contains("[smtp] token_command failed"), "{digest}");

    // Fixed: the next try (after the backoff) sends it, once.
    fix_helper(&env);
    env.now = "2026-11-23T11:00:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    assert_eq!(s.sent_messages().len(), 1);
    env.now = "2026-11-23T11:30:00Z".into();
    env.rapport(&["send"]).ok();
    assert_eq!(s.sent_messages().len(), 1, "sent exactly once");
    let status = env.rapport(&["status"]).ok().stdout;
    assert!(!status.contains("LOGIN FAILING"), "{status}");
}

/// The daemon, its clock running: the broken helper is tried again after a growing
/// wait (a handful of runs, not a loop), the draft stays approved all along, the log
/// says what failed, and the fixed helper is picked up without a restart.
#[test]
fn the_daemon_backs_off_while_the_helper_fails_and_sends_once_it_works() {
    let s = TestServers::start_oauth2();
    s.set_tokens(&[("smtp-tok-5", "me@example.test")]);
    let mut env = Env::with_config("");
    let helper = helper(&env, "smtp-tok-5");
    env.write_config(&config(&s, &helper, "max_attempts = 2\nretry_seconds = 1"));
    approved_draft(&env);
    env.extra_env.push(("RAPPORT_NOW_RUNS".into(), "1".into()));
    let daemon = Daemon::start(&env, "rapport=info", &[]);
    let began = Instant::now();
    daemon.wait_until(
        "three failed runs of the helper",
        Duration::from_secs(60),
        || helper_runs(&env) >= 3,
    );
    let log = daemon.log();
    assert!(
        log.contains("login failed") && log.contains("[smtp] token_command failed"),
        "{log}"
    );
    assert_eq!(env.draft(1)["status"], "approved", "{log}");
    // Hold on a while longer: the backoff doubles (1, 2, 4, 8 s...), so few runs.
    std::thread::sleep(Duration::from_secs(6));
    let runs = helper_runs(&env);
    let elapsed = began.elapsed();
    eprintln!("helper runs while failing: {runs} in {elapsed:?}");
    assert!(
        runs <= 6,
        "the helper ran {runs} times in {elapsed:?}: no backoff\n{}",
        daemon.log()
    );
    assert_eq!(env.draft(1)["status"], "approved");

    fix_helper(&env);
    let fixed = Instant::now();
    daemon.wait_until("the draft sent", Duration::from_secs(60), || {
        env.draft(1)["status"] == "sent"
    });
    eprintln!("sent {:?} after the fix", fixed.elapsed());
    assert_eq!(s.sent_messages().len(), 1);
    assert!(
        daemon.log().contains("the login works again"),
        "{}",
        daemon.log()
    );
    daemon.stop_within_ten_seconds();
    assert_eq!(s.sent_messages().len(), 1, "sent exactly once");
}

/// An IMAP password helper that fails: `sync` fails naming it, `status` and `doctor`
/// say so, and the next sync after the fix clears it.
#[test]
fn a_failing_imap_password_helper_is_said_in_status_and_cleared_by_a_working_login() {
    let s = TestServers::start();
    let env = Env::with_config("");
    let home = env.home().display().to_string();
    let helper = env.script(
        "imap-pass.sh",
        &format!("if [ -f {home}/helper-works ]; then echo me-secret; else exit 3; fi"),
    );
    let text = s.rapport_config();
    let (smtp, imap) = text.split_once("[imap]").unwrap();
    let imap = imap.replacen("echo me-secret", &helper, 1);
    env.write_config(&format!("{smtp}[imap]{imap}"));
    approved_draft(&env);
    let run = env.rapport(&["sync"]).fails();
    assert!(
        run.stderr.contains("[imap] password_command failed"),
        "{}",
        run.stderr
    );
    let status = env.rapport(&["status"]).ok().stdout;
    let line = status
        .lines()
        .find(|l| l.starts_with("LOGIN FAILING"))
        .unwrap_or_else(|| panic!("{status}"));
    assert!(
        line.contains("[imap] login") && line.contains("password_command"),
        "{line}"
    );
    // The email cannot go without a look at the mailbox: it waits, said so.
    assert!(
        status.contains("waiting for a working login: 1"),
        "{status}"
    );
    let send = env.rapport(&["send"]);
    assert_eq!(
        env.draft(1)["status"],
        "approved",
        "{}{}",
        send.stdout,
        send.stderr
    );
    assert!(s.sent_messages().is_empty());
    let doctor = env.rapport(&["doctor"]).stdout;
    assert!(doctor.contains("imap login (recorded)"), "{doctor}");

    fix_helper(&env);
    env.rapport(&["sync"]).ok();
    let status = env.rapport(&["status"]).ok().stdout;
    assert!(!status.contains("LOGIN FAILING"), "{status}");
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    assert_eq!(s.sent_messages().len(), 1);
}

/// A token helper that prints JSON with `expires_at`: two days ahead it is warned about
/// in `status` and `doctor`; once past, the token is not even offered and the draft
/// waits, approved, for a sign-in.
#[test]
fn a_token_helper_reporting_its_sign_in_end_is_warned_about_ahead_and_refused_after() {
    let s = TestServers::start_oauth2();
    s.set_tokens(&[("smtp-tok-4", "me@example.test")]);
    let env = Env::with_config("");
    let json = r#"{"access_token": "smtp-tok-4", "expires_at": "2026-11-25T09:00:00Z"}"#;
    let helper = env.script("json-helper.sh", &format!("echo '{json}'"));
    env.write_config(&config(&s, &helper, "retry_seconds = 60"));
    approved_draft(&env);
    env.rapport(&["send"]).ok();
    assert_eq!(env.draft(1)["status"], "sent");
    let status = env.rapport(&["status"]).ok().stdout;
    assert!(
        status.contains("Warning: the [smtp] token helper says its sign-in ends Wed 2026-11-25"),
        "{status}"
    );
    let doctor = env.rapport(&["doctor"]).stdout;
    assert!(
        doctor
            .lines()
            .any(|l| l.starts_with("FAIL") && l.contains("sign-in ends soon")),
        "{doctor}"
    );

    // Two days on the sign-in has ended: the next email waits, nothing is offered.
    let mut env = env;
    env.now = "2026-11-25T10:00:00Z".into();
    env.add_contact("carol@example.test", "Carol");
    env.rapport(&["request", "carol@example.test"]).ok();
    env.rapport(&["queue", "approve", "2"]).ok();
    env.rapport(&["send"]).fails();
    let d = env.draft(2);
    assert_eq!(d["status"], "approved", "{d}");
    assert!(
        d["last_error"]
            .as_str()
            .unwrap()
            .contains("sign-in expired"),
        "{d}"
    );
    assert_eq!(s.sent_messages().len(), 1);
}
