use super::*;
use std::process::{Command, Stdio};

fn login(auth: AuthMethod, password_command: Option<&str>, token: Option<&str>) -> Login {
    Login {
        auth,
        password_command: password_command.map(str::to_string),
        token_command: token.map(str::to_string),
        secret_timeout_seconds: 2,
        ..Login::default()
    }
}

#[test]
fn first_line_of_command_output() {
    let l = login(
        AuthMethod::Password,
        Some("printf 'pw one\\nsecond\\n'"),
        None,
    );
    let s = fetch_for("smtp", &l).unwrap();
    assert_eq!(s.expose(), "pw one");
    assert_eq!(format!("{s:?}"), "Secret(..)");
}

#[test]
fn the_token_comes_from_token_command_for_oauth2() {
    let l = login(AuthMethod::Xoauth2, Some("echo pw"), Some("echo tok-123"));
    assert_eq!(fetch_for("smtp", &l).unwrap().expose(), "tok-123");
    let l = login(AuthMethod::Password, Some("echo pw"), Some("echo tok-123"));
    assert_eq!(fetch_for("smtp", &l).unwrap().expose(), "pw");
    let l = login(AuthMethod::Oauthbearer, Some("echo pw"), None);
    assert!(matches!(
        fetch_for("imap", &l),
        Err(SecretError::NotConfigured {
            key: "token_command",
            ..
        })
    ));
}

/// Issue 11 item 10: a failing command's words (its output, its error text, and the
/// command line itself, which may carry a passphrase) never reach the error.
#[test]
fn failures_report_the_exit_status_not_the_words() {
    let cmd = "echo stdout-hunter2; echo stderr-hunter3 >&2; gpg --passphrase=hunter4 >/dev/null 2>&1; exit 3";
    let l = login(AuthMethod::Password, Some(cmd), None);
    let e = fetch_for("imap", &l).unwrap_err();
    let text = e.to_string();
    for word in ["hunter2", "hunter3", "hunter4", "passphrase="] {
        assert!(!text.contains(word), "{word} leaked: {text}");
    }
    assert!(text.contains("[imap] password_command failed"), "{text}");
    assert!(text.contains("exit status: 3"), "{text}");

    let l = login(AuthMethod::Password, Some("true"), None);
    let e = fetch_for("imap", &l).unwrap_err().to_string();
    assert!(e.contains("printed nothing"), "{e}");
    let l = Login {
        password_env: Some("RAPPORT_TEST_SURELY_UNSET_VAR".into()),
        ..Login::default()
    };
    let e = fetch_for("smtp", &l).unwrap_err().to_string();
    assert!(e.contains("RAPPORT_TEST_SURELY_UNSET_VAR"), "{e}");
}

/// Issue 11 item 8: a command that waits (a pinentry, a locked keyring) is stopped
/// after the configured time, with everything it started.
#[test]
fn a_command_that_waits_is_stopped_with_its_children() {
    let dir = tempfile::tempdir().unwrap();
    let pidfile = dir.path().join("pid");
    let cmd = format!("sleep 300 & echo $! > {}; wait", pidfile.display());
    let mut l = login(AuthMethod::Password, Some(&cmd), None);
    l.secret_timeout_seconds = 1;
    let e = fetch_for("smtp", &l).unwrap_err();
    assert!(matches!(e, SecretError::TimedOut { seconds: 1, .. }), "{e}");
    let text = e.to_string();
    assert!(text.contains("secret_timeout_seconds"), "{text}");
    assert!(!text.contains("sleep"), "{text}");
    let pid = std::fs::read_to_string(&pidfile).unwrap();
    // The grandchild is gone too (kill -0 fails for a process that does not exist).
    let mut gone = false;
    for _ in 0..200 {
        let alive = Command::new("kill")
            .args(["-0", pid.trim()])
            .stderr(Stdio::null())
            .status()
            .unwrap()
            .success();
        if !alive {
            gone = true;
            break;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(gone, "the command's child {pid} is still running");
}

/// Issue 22 item 5: a command that is not installed, or cannot be run, says so and names
/// the key, instead of "exit status: 127".
#[test]
fn a_missing_or_unrunnable_command_says_so_and_names_the_key() {
    let l = login(
        AuthMethod::Password,
        Some("surely-not-installed-rapport-helper show mail/imap --passphrase=hunter5"),
        None,
    );
    let e = fetch_for("imap", &l).unwrap_err().to_string();
    assert!(e.contains("[imap] password_command"), "{e}");
    assert!(
        e.contains("`surely-not-installed-rapport-helper`, which was not found"),
        "{e}"
    );
    assert!(e.contains("install it"), "{e}");
    assert!(!e.contains("hunter5"), "{e}");

    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("pw.sh");
    std::fs::write(&script, "#!/bin/sh\necho pw\n").unwrap();
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(&script, std::fs::Permissions::from_mode(0o600)).unwrap();
    let l = login(AuthMethod::Xoauth2, None, Some(script.to_str().unwrap()));
    let e = fetch_for("smtp", &l).unwrap_err().to_string();
    assert!(e.contains("[smtp] token_command"), "{e}");
    assert!(e.contains("cannot be run"), "{e}");
    assert!(e.contains("chmod +x"), "{e}");
}
