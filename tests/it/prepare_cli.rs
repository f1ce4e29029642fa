//! The commands that prepare and grow the network, through the real binary: action
//! items, the agreed next contact, the brief, goals and the map.

use crate::util::Env;

fn env_with_jessica() -> Env {
    let env = Env::new();
    env.rapport(&[
        "contacts",
        "add",
        "jessica@example.com",
        "--name",
        "Jessica Park",
        "--company",
        "Example Corp",
        "--role",
        "Head of Product",
        "--link",
        "https://www.linkedin.com/in/jessica-park",
        "--tier",
        "close",
        "--tag",
        "fintech",
    ])
    .ok();
    env.add_contact("omar@example.org", "Omar Haddad");
    env
}

#[test]
fn action_items_are_listed_overdue_first_and_done_once() {
    let mut env = env_with_jessica();
    let out = env
        .rapport(&[
            "todo",
            "jessica",
            "send the fintech intro",
            "--due",
            "2026-11-25",
        ])
        .ok();
    assert!(
        out.stdout
            .contains("Action item 1 for Jessica Park, due 2026-11-25"),
        "{}",
        out.stdout
    );
    env.rapport(&["todo", "omar", "share the deck"]).ok();
    env.rapport(&["todo", "omar", "book the follow-up", "--due", "2026-11-30"])
        .ok();
    env.now = "2026-11-27T10:00:00Z".into();
    let out = env.rapport(&["todo"]).ok();
    let lines: Vec<&str> = out.stdout.lines().collect();
    assert!(
        lines[1].contains("overdue since 2026-11-25")
            && lines[1].contains("send the fintech intro"),
        "{}",
        out.stdout
    );
    assert!(lines[2].contains("due 2026-11-30"), "{}", out.stdout);
    assert!(lines[3].contains("share the deck"), "{}", out.stdout);
    let json = env.rapport(&["todo", "--json"]).ok().json();
    assert_eq!(json["todos"][0]["overdue"], true);
    assert_eq!(json["todos"][0]["due"], "2026-11-25");

    // On the contact's timeline until done.
    let show = env.rapport(&["contacts", "show", "jessica"]).ok();
    assert!(show.stdout.contains("Action items:"), "{}", show.stdout);
    assert!(
        show.stdout
            .contains("send the fintech intro  (overdue since 2026-11-25)"),
        "{}",
        show.stdout
    );

    let out = env.rapport(&["todo", "done", "1"]).ok();
    assert!(
        out.stdout
            .contains("Done: send the fintech intro (Jessica Park)"),
        "{}",
        out.stdout
    );
    let again = env.rapport(&["todo", "done", "1"]).ok();
    assert!(again.stdout.contains("already done"), "{}", again.stdout);
    let missing = env.rapport(&["todo", "done", "42"]).fails();
    assert!(
        missing.stderr.contains("no action item 42"),
        "{}",
        missing.stderr
    );
    let out = env.rapport(&["todo"]).ok();
    assert!(!out.stdout.contains("fintech"), "{}", out.stdout);
    let show = env.rapport(&["contacts", "show", "jessica"]).ok();
    assert!(!show.stdout.contains("Action items:"), "{}", show.stdout);

    let bad = env
        .rapport(&["todo", "omar", "x", "--due", "next week"])
        .fails();
    assert!(
        bad.stderr
            .contains("--due \"next week\" is not a date; write it as YYYY-MM-DD"),
        "{}",
        bad.stderr
    );
}

#[test]
fn an_agreed_next_contact_sets_the_next_check_in() {
    let env = env_with_jessica();
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-16T15:00"])
        .ok();
    let out = env
        .rapport(&[
            "note",
            "jessica",
            "talk again after the launch",
            "--next-contact",
            "2027-01-15",
        ])
        .ok();
    assert!(
        out.stdout
            .contains("Next check-in with Jessica Park: 2027-01-15, as agreed."),
        "{}",
        out.stdout
    );
    let show = env.rapport(&["contacts", "show", "jessica"]).ok();
    assert!(
        show.stdout.contains("next     check in around 2027-01-15"),
        "{}",
        show.stdout
    );
    assert!(
        show.stdout.contains("agreed to talk again on 2027-01-15"),
        "{}",
        show.stdout
    );

    // `contacts edit` moves it; a past day is refused and changes nothing.
    env.rapport(&[
        "contacts",
        "edit",
        "jessica",
        "--next-contact",
        "2027-02-01",
    ])
    .ok();
    let show = env
        .rapport(&["contacts", "show", "jessica", "--json"])
        .ok()
        .json();
    assert_eq!(
        show["stage"]["next_check_in"], "2027-01-31T23:00:00Z",
        "midnight in Berlin"
    );
    let bad = env
        .rapport(&[
            "contacts",
            "edit",
            "jessica",
            "--next-contact",
            "2026-11-01",
            "--role",
            "CTO",
        ])
        .fails();
    assert!(bad.stderr.contains("not in the future"), "{}", bad.stderr);
    let show = env
        .rapport(&["contacts", "show", "jessica", "--json"])
        .ok()
        .json();
    assert_eq!(show["contact"]["role"], "Head of Product");
}

#[test]
fn the_brief_the_day_before_and_the_digests_list_of_tomorrow() {
    let env = env_with_jessica();
    env.edit_config(|t| {
        t.replacen(
            "facts = []",
            "facts = [\"ten years of payments infrastructure\", \"moving into product\"]",
            1,
        )
        .replacen(
            "narrative = \"\"",
            "narrative = \"From payment rails to the products on top of them.\"",
            1,
        )
    });
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-24T15:00"])
        .ok();
    env.rapport(&["meeting", "add", "omar", "--at", "2026-11-26T09:00"])
        .ok();
    env.rapport(&["note", "jessica", "met at the fintech meetup"])
        .ok();
    env.rapport(&["todo", "jessica", "bring the market sizing"])
        .ok();
    let out = env.rapport(&["brief", "jessica"]).ok();
    for want in [
        "Brief: Jessica Park — Head of Product at Example Corp",
        "  tier      close (tags: fintech)",
        "  profile   https://www.linkedin.com/in/jessica-park",
        "  meeting   Tue 2026-11-24 15:00–15:25 Europe/Berlin (tomorrow)",
        "Your notes\n  2026-11-23  met at the fintech meetup",
        "    1  bring the market sizing",
        "  - ten years of payments infrastructure",
        "Narrative: From payment rails to the products on top of them.",
        "2. Share your story: From payment rails",
    ] {
        assert!(
            out.stdout.contains(want),
            "missing {want:?} in:\n{}",
            out.stdout
        );
    }
    let json = env.rapport(&["brief", "jessica", "--json"]).ok().json();
    assert_eq!(json["next_meeting"]["start"], "2026-11-24T14:00:00Z");
    assert_eq!(json["facts"][1], "moving into product");

    // What the digest calls: tomorrow's briefs only (Omar meets on the 26th).
    let cfg = rapport::config::load(&env.config_path()).unwrap();
    let store = rapport::store::Store::open(&env.db_path()).unwrap();
    let now: jiff::Timestamp = env.now.parse().unwrap();
    let names: Vec<String> = rapport::briefing::tomorrow(&store, &cfg, now)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["Jessica Park"]);
    let later: jiff::Timestamp = "2026-11-25T10:00:00Z".parse().unwrap();
    let names: Vec<String> = rapport::briefing::tomorrow(&store, &cfg, later)
        .unwrap()
        .into_iter()
        .map(|b| b.name)
        .collect();
    assert_eq!(names, ["Omar Haddad"]);
}

#[test]
fn goals_count_progress_and_chart_it_in_ascii_when_asked() {
    let mut env = env_with_jessica();
    // A meeting held on Monday the 23rd counts as this week's conversation.
    env.rapport(&["meeting", "add", "jessica", "--at", "2026-11-23T09:00"])
        .ok();
    env.now = "2026-11-26T10:00:00Z".into();
    let json = env
        .rapport(&["goals", "--weeks", "3", "--json"])
        .ok()
        .json();
    assert_eq!(json["new_contacts_this_month"], 2);
    assert_eq!(json["meetings_held_this_week"], 1);
    assert_eq!(json["conversations_this_week"], 1);
    assert_eq!(json["weeks"].as_array().unwrap().len(), 3);
    assert_eq!(json["weeks"][2]["start"], "2026-11-23");

    env.extra_env.push(("NO_COLOR".into(), "1".into()));
    let out = env.rapport(&["goals", "--weeks", "3"]).ok();
    assert!(
        out.stdout.contains("New contacts this month:  2 (goal 4)"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("Conversations this week:  1 (goal 1): 1 meeting held"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout.contains(&format!(
            "  11-23  {}  1 ok  req  0  (this week)",
            "#".repeat(20)
        )),
        "{}",
        out.stdout
    );
    assert!(out.stdout.is_ascii(), "{}", out.stdout);
    assert!(
        out.stdout
            .trim_end()
            .ends_with("Behind on new people: 2 of 4 new people this month (1 of 1 conversation this week); add the people you meet (`rapport contacts add`)."),
        "{}",
        out.stdout
    );
    env.extra_env.clear();
    let out = env.rapport(&["goals", "--weeks", "3"]).ok();
    assert!(out.stdout.contains(&"█".repeat(20)), "{}", out.stdout);
    let bad = env.rapport(&["goals", "--weeks", "0"]).fails();
    assert!(bad.stderr.contains("0 is not in 1..=104"), "{}", bad.stderr);
}

/// Debian's `chromium`, installed by `scripts/setup-test-servers.sh`.
fn chromium() -> std::path::PathBuf {
    std::env::var_os("PATH")
        .iter()
        .flat_map(std::env::split_paths)
        .map(|d| d.join("chromium"))
        .find(|p| p.is_file())
        .expect("chromium is not installed; run `scripts/setup-test-servers.sh` as root")
}

/// Runs headless Chromium on `url` with a fresh profile and no network features.
fn headless(profile: &std::path::Path, extra: &[&str], url: &str) -> std::process::Output {
    let out = std::process::Command::new(chromium())
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .args(extra)
        .arg(url)
        .output()
        .expect("running chromium");
    assert!(
        out.status.success(),
        "chromium: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

#[test]
fn the_map_of_the_demo_renders_in_headless_chromium() {
    let dir = tempfile::tempdir().unwrap();
    let demo = dir.path().join("demo");
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_rapport"))
            .args(args)
            .env_remove("RAPPORT_CONFIG")
            .env("RAPPORT_NOW", "2027-02-15T10:00:00Z")
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).unwrap()
    };
    run(&["demo", "--dir", demo.to_str().unwrap()]);
    let config = demo.join("config.toml");
    let page = demo.join("network.html");
    let said = run(&[
        "--config",
        config.to_str().unwrap(),
        "map",
        "--out",
        page.to_str().unwrap(),
    ]);
    assert!(said.contains("Wrote a map of 5 contacts"), "{said}");

    let profile = dir.path().join("chromium-profile");
    let url = format!("file://{}", page.display());
    let dom = String::from_utf8(headless(&profile, &["--dump-dom"], &url).stdout).unwrap();
    // The count is written by the page's script: present only if it ran.
    assert!(dom.contains("data-shown=\"5\">5 people shown<"), "{dom}");
    assert_eq!(dom.matches("<g class=\"person\"").count(), 5);
    for name in [
        "Jessica Park",
        "Omar Haddad",
        "Lena Vogel",
        "Sam Doe",
        "Priya Nair",
    ] {
        assert!(dom.contains(&format!(">{name}</text>")), "{name} missing");
    }
    assert!(dom.contains("Example Corp (1)"));
    // The filter: nobody is close in the demo, everyone is regular.
    let dom =
        String::from_utf8(headless(&profile, &["--dump-dom"], &format!("{url}?tier=close")).stdout)
            .unwrap();
    assert!(dom.contains("data-shown=\"0\">0 people shown<"), "{dom}");
    let dom = String::from_utf8(
        headless(&profile, &["--dump-dom"], &format!("{url}?tier=regular")).stdout,
    )
    .unwrap();
    assert!(dom.contains("data-shown=\"5\""), "{dom}");

    // The screenshot is kept as a test artifact.
    let shot = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("map-demo.png");
    let _ = std::fs::remove_file(&shot);
    headless(
        &profile,
        &[
            "--window-size=1250,1050",
            &format!("--screenshot={}", shot.display()),
        ],
        &url,
    );
    let png = std::fs::read(&shot).expect("the screenshot");
    assert!(
        png.starts_with(b"\x89PNG") && png.len() > 10_000,
        "{} bytes",
        png.len()
    );

    let svg = run(&[
        "--config",
        config.to_str().unwrap(),
        "map",
        "--format",
        "svg",
    ]);
    assert!(svg.starts_with("<?xml") && svg.contains("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert_eq!(svg.matches("<g class=\"person\"").count(), 5);
    assert!(!svg.contains("<script"));
}
