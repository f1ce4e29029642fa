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
        "ok    sent folder: \"Sent\" (marked \\Sent by the server); reading Sent, INBOX",
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

/// Issue 22 item 5: without servers, doctor names a refused connection and a name that
/// does not resolve with the setting to check, and `send` says the same.
#[test]
fn doctor_names_a_refused_port_and_an_unknown_host_with_the_fix() {
    let env = Env::new();
    // A port nothing listens on: bind one, then let it go.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let smtp = |host: &'static str| {
        move |t: String| {
            let start = t.find("transport = \"file\"").unwrap();
            let end = start + t[start..].find('\n').unwrap();
            let end = end + 1 + t[end + 1..].find('\n').unwrap();
            let mut t = format!("{}transport = \"smtp\"{}", &t[..start], &t[end..]);
            t = t.replacen(
                "host = \"smtp.example.org\"",
                &format!("host = \"{host}\"\nport = {port}"),
                1,
            );
            t.replacen(
                "password_command = \"pass show mail/smtp\"",
                "password_command = \"echo x\"",
                1,
            )
        }
    };
    env.edit_config(smtp("127.0.0.1"));
    let r = env.rapport(&["doctor"]);
    assert_eq!(r.code, 1, "{}", r.stdout);
    assert!(r.stdout.contains("FAIL  smtp server"), "{}", r.stdout);
    assert!(r.stdout.contains("refused the connection"), "{}", r.stdout);
    assert!(
        r.stdout.contains("check [smtp] host and port"),
        "{}",
        r.stdout
    );

    let env = Env::new();
    env.edit_config(smtp("no-such-host.invalid"));
    let r = env.rapport(&["doctor"]);
    assert!(
        r.stdout.contains("could not be found (DNS lookup failed)"),
        "{}",
        r.stdout
    );
    assert!(r.stdout.contains("spelling of [smtp] host"), "{}", r.stdout);
}
