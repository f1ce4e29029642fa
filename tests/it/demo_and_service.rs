//! `rapport demo` tells the whole story, and the systemd unit is valid.

use std::process::Command;

#[test]
fn demo_tells_the_story_and_writes_each_email_once() {
    let dir = tempfile::tempdir().unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .args(["demo", "--dir"])
        .arg(dir.path())
        .env_remove("RAPPORT_NOW")
        .env_remove("RAPPORT_CONFIG")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{text}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    for expected in [
        "human_reply, intent yes",
        "auto_reply, back 2026-11-16",
        ": bounce",
        "intent later until 2026-12-01",
        "meeting_accept, meeting at 2026-11-10T15:00:00Z",
        "drafted nudge 6 to Omar Haddad (due 2026-11-09 10:00 GMT)",
        "drafted thank-you 7 to Jessica Park (due 2026-11-10 17:25 GMT)",
        "drafted nudge 8 to Lena Vogel (due 2026-11-17 00:00 GMT)",
        "Omar Haddad: stage dormant",
        "Sam Doe: stage bounced",
        "drafted check-in 9 to Priya Nair (due 2026-12-01 00:00 GMT)",
        "drafted check-in 10 to Jessica Park",
        // The day before the meeting, the brief; after it, an action item; the goals.
        "    |   meeting   Tue 2026-11-10 15:00–15:25 Europe/London (tomorrow)",
        "    |   2026-11-02  you asked for a meeting: 25 minutes in the next few weeks?",
        "    |   - ten years building payment systems",
        "    |   1. Open: thank Jessica for the time",
        "action item 1 for Jessica Park: send Jessica the fintech intro (due 2026-11-20)",
        "todo 1: send Jessica the fintech intro (Jessica Park) overdue since 2026-11-20",
        "Conversations per week (goal 1), requests sent:",
        // Giving: the intro asks Jessica first and Priya only after her yes; the share
        // skips whoever it would crowd.
        "drafts only the ask to Jessica:",
        "drafted intro-ask 13 to Priya Nair",
        "`rapport intros`: intro 1 is waiting-b",
        "drafted share 11 to Priya Nair",
        "skipped Sam Doe: no address that has not bounced",
        "skipped Jessica Park: in touch 1 day ago",
        // Whoever let a request and its nudge go unanswered gets nothing more.
        "skipped Omar Haddad: dormant since 2026-11-23",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
    // The goals chart: two replies the first week, the meeting the second.
    let week = |day: &str| {
        text.lines()
            .find(|l| l.trim_start().starts_with(day))
            .unwrap_or_else(|| panic!("no chart line for {day}:\n{text}"))
            .to_string()
    };
    for (day, tail) in [("11-02", "req  5"), ("11-09", "req  0")] {
        let line = week(day);
        assert!(line.trim_end().ends_with(tail), "{line}");
    }
    assert!(week("11-02").contains(" 2 "), "{}", week("11-02"));
    assert!(week("11-09").contains(" 1 "), "{}", week("11-09"));
    assert!(week("11-16").contains(" 0 "), "{}", week("11-16"));
    // Never a second nudge, never an email to the bounced address.
    assert_eq!(text.matches("drafted nudge").count(), 2, "{text}");
    assert_eq!(text.matches("sent nudge").count(), 2, "{text}");
    let files: Vec<_> = std::fs::read_dir(dir.path().join("outbox"))
        .unwrap()
        .flatten()
        .map(|e| std::fs::read_to_string(e.path()).unwrap())
        .collect();
    assert_eq!(
        files.len(),
        13,
        "5 requests, 2 nudges, 1 thank-you, 2 check-ins, 2 intro asks, 1 share"
    );
    let ask_b = text.find("drafted intro-ask 13 to Priya").unwrap();
    let yes = text.find("Jessica says yes").unwrap();
    assert!(yes < ask_b, "Priya is asked only after Jessica's yes");
    assert!(
        !files
            .iter()
            .any(|f| f.contains("To: Sam Doe") && !f.contains("Subject: 25 minutes")),
        "only the first request went to Sam"
    );
    let nudges: Vec<_> = files
        .iter()
        .filter(|f| f.contains("bring this back to the top"))
        .collect();
    assert_eq!(nudges.len(), 2);
    for n in nudges {
        assert!(
            n.contains("In-Reply-To: <rapport."),
            "nudges stay in the request's thread:\n{n}"
        );
    }
}

#[test]
fn systemd_unit_verifies() {
    let Ok(analyze) = which("systemd-analyze") else {
        panic!(
            "systemd-analyze is missing: run scripts/setup-test-servers.sh (it installs systemd)"
        );
    };
    let home = tempfile::tempdir().unwrap();
    let bin = home.path().join(".cargo/bin");
    std::fs::create_dir_all(&bin).unwrap();
    std::fs::create_dir_all(home.path().join(".local/share/rapport")).unwrap();
    std::os::unix::fs::symlink(env!("CARGO_BIN_EXE_rapport"), bin.join("rapport")).unwrap();
    let run = home.path().join("run");
    std::fs::create_dir_all(&run).unwrap();
    // The README's install steps for the manual pages: the unit's Documentation= names
    // them, and verify runs `man` on each.
    let man = home.path().join(".local/share/man");
    for (page, section, file) in [
        ("rapport", "man1", "rapport.1"),
        ("rapport.toml", "man5", "rapport.toml.5"),
    ] {
        std::fs::create_dir_all(man.join(section)).unwrap();
        let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args(["man", page])
            .output()
            .unwrap();
        assert!(out.status.success());
        std::fs::write(man.join(section).join(file), &out.stdout).unwrap();
    }
    let unit = concat!(env!("CARGO_MANIFEST_DIR"), "/systemd/rapport.service");
    let out = Command::new(analyze)
        .args(["verify", "--user", unit])
        .env("MANPATH", &man)
        .env("HOME", home.path())
        .env("XDG_RUNTIME_DIR", &run)
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{err}");
    // Warnings (an unknown or misspelt setting) also count as failures.
    let warnings: Vec<&str> = err
        .lines()
        .filter(|l| l.contains("rapport.service"))
        .collect();
    assert!(warnings.is_empty(), "{err}");
    let text = std::fs::read_to_string(unit).unwrap();
    for needed in [
        "ExecStart=%h/.cargo/bin/rapport daemon",
        "Restart=on-failure",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
        "ReadWritePaths=%h/.local/share/rapport",
        "Documentation=man:rapport(1)",
        "PrivateTmp=yes",
        "Type=notify",
    ] {
        assert!(text.contains(needed), "unit lacks {needed}");
    }
}

fn which(name: &str) -> Result<std::path::PathBuf, ()> {
    std::env::var_os("PATH")
        .and_then(|p| {
            std::env::split_paths(&p)
                .map(|d| d.join(name))
                .find(|c| c.is_file())
        })
        .ok_or(())
}

/// Issue 22 item 6: without --dir the demo prints no path into the folder it deletes,
/// and says how to keep it; with --dir it names where the emails are.
#[test]
fn the_demo_prints_no_path_that_will_not_exist() {
    let out = Command::new(env!("CARGO_BIN_EXE_rapport"))
        .arg("demo")
        .env_remove("RAPPORT_NOW")
        .env_remove("RAPPORT_CONFIG")
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8_lossy(&out.stdout);
    let tmp = std::env::temp_dir();
    assert!(!text.contains(tmp.to_str().unwrap()), "{text}");
    assert!(!text.contains("rapport-demo"), "{text}");
    assert!(text.contains("`rapport demo --dir PATH` keeps"), "{text}");
    assert!(
        text.contains(".eml"),
        "the emails are still listed by name: {text}"
    );
}
