//! `rapport doctor` against real servers: every check passes on a right setup, and a
//! wrong password or a missing CA is named with its fix.

use crate::support::TestServers;
use crate::util::Env;

fn config(s: &TestServers, password: &str, ca: &str) -> String {
    let ca_line = format!("ca_file = \"{}\"", s.ca_pem_path().display());
    s.rapport_config()
        .replace("echo me-secret", &format!("echo {password}"))
        .replace(&ca_line, ca)
        // The test server never answers a failed AUTH; do not wait 10 s for it.
        .replace("timeout_seconds = 10", "timeout_seconds = 5")
}

#[test]
fn doctor_passes_a_right_setup_and_names_what_is_wrong() {
    let s = TestServers::start();
    let ca = format!("ca_file = \"{}\"", s.ca_pem_path().display());
    let env = Env::with_config(&config(&s, "me-secret", &ca));
    let out = env.rapport(&["doctor"]).ok().stdout;
    for line in [
        "ok    config",
        "ok    smtp login",
        "ok    imap login",
        "(IDLE)",
        "Sent [sent]",
        "ok    sent folder: reading Sent, INBOX",
        "ok    template meeting-request",
        "Everything looks right.",
    ] {
        assert!(out.contains(line), "missing {line:?}:\n{out}");
    }

    env.write_config(&config(&s, "wrong", &ca));
    let r = env.rapport(&["doctor"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("FAIL  smtp login"), "{}", r.stdout);
    assert!(r.stdout.contains("FAIL  imap login"), "{}", r.stdout);
    assert!(
        r.stdout.contains("check [imap] username and the password"),
        "{}",
        r.stdout
    );
    assert!(
        !r.stdout.contains("wrong"),
        "the password is never shown: {}",
        r.stdout
    );

    env.write_config(&config(&s, "me-secret", ""));
    let r = env.rapport(&["doctor"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("set [smtp] ca_file"), "{}", r.stdout);
    assert!(r.stdout.contains("set [imap] ca_file"), "{}", r.stdout);
}
