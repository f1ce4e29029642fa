//! Output safe to pipe: a listing whose reader has gone (`rapport queue | head -1`) ends
//! quietly with success; a full disk is an error that says so, never a panic.

use std::process::Stdio;

use crate::util::Env;

/// An Env whose demo left a config, a database with contacts, messages and drafts.
fn demo_env() -> (Env, String) {
    let env = Env::new();
    let dir = env.home().join("demo");
    env.rapport(&["demo", "--dir", dir.to_str().unwrap()]).ok();
    let config = dir.join("config.toml").to_str().unwrap().to_string();
    (env, config)
}

/// Runs rapport with stdout a pipe whose read end is already closed: its first write
/// fails with EPIPE, whatever the scheduling.
fn run_into_closed_pipe(env: &Env, args: &[&str]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let out = env
        .command(args)
        .env("RUST_BACKTRACE", "1")
        .stdout(writer)
        .stderr(Stdio::piped())
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

const LISTINGS: &[&[&str]] = &[
    &["queue", "--all"],
    &["queue", "--json", "--all"],
    &["queue", "show", "1"],
    &["contacts", "list"],
    &["contacts", "list", "--json"],
    &["contacts", "show", "jessica"],
    &["why", "1"],
    &["status"],
    &["doctor"],
    &["templates", "check"],
    &["--help"],
];

#[test]
fn listings_into_a_closed_pipe_exit_quietly_with_success() {
    let (env, config) = demo_env();
    for args in LISTINGS {
        let mut full = vec!["--config", config.as_str()];
        full.extend_from_slice(args);
        // Each of them does print something, so the closed pipe is really hit.
        let normal = env.rapport(&full);
        assert!(!normal.stdout.is_empty(), "{args:?} printed nothing");
        let (code, stderr) = run_into_closed_pipe(&env, &full);
        assert_eq!(code, 0, "{args:?} exited {code}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(!stderr.contains("Broken pipe"), "{args:?}: {stderr}");
    }
}

#[test]
fn demo_into_a_closed_pipe_exits_quietly() {
    let env = Env::new();
    let (code, stderr) = run_into_closed_pipe(&env, &["demo"]);
    assert_eq!(code, 0, "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}

#[test]
fn a_full_disk_is_a_clear_error_not_a_panic() {
    let (env, config) = demo_env();
    for args in [
        &["queue", "--all"][..],
        &["contacts", "show", "jessica"],
        &["doctor"],
    ] {
        let mut full = vec!["--config", config.as_str()];
        full.extend_from_slice(args);
        let out = env
            .command(&full)
            .stdout(std::fs::File::create("/dev/full").unwrap())
            .stderr(Stdio::piped())
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert!(
            stderr.contains("could not write to standard output") && stderr.contains("full"),
            "{args:?}: {stderr}"
        );
    }
}
