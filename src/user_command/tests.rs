use std::time::{Duration, Instant};

use super::{RunError, UserCommand, run};

fn cmd<'a>(shell: &'a str, args: &'a [&'a str], stdin: Option<&'a [u8]>) -> UserCommand<'a> {
    UserCommand {
        shell,
        args,
        stdin,
        capture: true,
        env_remove: &[],
        timeout: Duration::from_secs(5),
    }
}

#[test]
fn output_arguments_and_input_reach_the_command() {
    let out = run(&cmd("printf '%s|' \"$1\"; cat", &["a b"], Some(b"body"))).expect("runs");
    assert_eq!(out, b"a b|body");
}

#[test]
fn a_hung_command_is_stopped_at_its_deadline_with_what_it_started() {
    let dir = tempfile::tempdir().expect("tempdir");
    let marker = dir.path().join("late");
    let shell = format!("(sleep 2; touch {}) & sleep 30", marker.display());
    let mut c = cmd(&shell, &[], None);
    c.timeout = Duration::from_millis(300);
    let started = Instant::now();
    assert_eq!(run(&c), Err(RunError::TimedOut));
    let took = started.elapsed();
    assert!(took < Duration::from_secs(20), "took {took:?}");
    std::thread::sleep(Duration::from_millis(2500));
    assert!(!marker.exists(), "the command's child outlived the kill");
}

#[test]
fn a_missing_or_failing_command_says_how_it_ended() {
    match run(&cmd("rapport-no-such-command-here", &[], None)) {
        Err(RunError::Failed { code, .. }) => assert_eq!(code, Some(127)),
        other => panic!("{other:?}"),
    }
    match run(&cmd("exit 3", &[], None)) {
        Err(RunError::Failed { code, status }) => {
            assert_eq!(code, Some(3));
            assert!(status.contains('3'), "{status}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn removed_variables_do_not_reach_the_command() {
    // HOME is set wherever the tests run; it stands for a secret read from the environment.
    assert!(
        std::env::var_os("HOME").is_some(),
        "the test needs HOME set"
    );
    let mut c = cmd("printf '%s' \"${HOME:-gone}\"", &[], None);
    assert_ne!(
        run(&c).expect("runs"),
        b"gone",
        "HOME reaches a command by default"
    );
    c.env_remove = &["HOME"];
    assert_eq!(run(&c).expect("runs"), b"gone");
}
