use clap::CommandFactory;

fn walk(cmd: &clap::Command, path: &str, missing: &mut Vec<String>) {
    for a in cmd.get_arguments() {
        let id = a.get_id().as_str();
        if matches!(id, "help" | "version") {
            continue;
        }
        match a.get_help().map(ToString::to_string) {
            None => missing.push(format!("{path} {id}")),
            // A doc comment written twice reads twice in --help.
            Some(h) if said_twice(&h) => missing.push(format!("{path} {id} (said twice)")),
            Some(_) => {}
        }
    }
    for sub in cmd.get_subcommands() {
        if sub.get_about().is_none() {
            missing.push(format!("{path} {} (about)", sub.get_name()));
        }
        walk(sub, &format!("{path} {}", sub.get_name()), missing);
    }
}

/// "X. X." : the same words, twice in a row.
fn said_twice(help: &str) -> bool {
    let words: Vec<&str> = help.split_whitespace().collect();
    let half = words.len() / 2;
    words.len().is_multiple_of(2) && half > 0 && words[..half] == words[half..]
}

#[test]
fn every_argument_and_flag_has_help() {
    let mut missing = Vec::new();
    walk(&super::Cli::command(), "rapport", &mut missing);
    assert!(missing.is_empty(), "no help for:\n{}", missing.join("\n"));
}

#[test]
fn tier_lists_its_values() {
    let cmd = super::Cli::command();
    let add = cmd
        .find_subcommand("contacts")
        .and_then(|c| c.find_subcommand("add"))
        .unwrap();
    let tier = add.get_arguments().find(|a| a.get_id() == "tier").unwrap();
    let values: Vec<String> = tier
        .get_possible_values()
        .iter()
        .map(|v| v.get_name().to_string())
        .collect();
    assert_eq!(values, ["close", "regular", "acquaintance"]);
}

#[test]
fn the_man_page_and_completions_come_from_the_clap_definitions() {
    let mut man = Vec::new();
    super::man::render_man(&mut man).unwrap();
    let man = String::from_utf8(man).unwrap();
    assert!(man.contains(".TH rapport"), "{man}");
    assert!(man.contains("review"), "{man}");
    // The completion script calls back into rapport, which completes from the same
    // definitions (and the database): tests/it/completions.rs runs it in a real bash.
    for shell in [
        clap_complete::Shell::Bash,
        clap_complete::Shell::Zsh,
        clap_complete::Shell::Fish,
    ] {
        let mut script = Vec::new();
        super::completions::render_completions(shell, &mut script).unwrap();
        let script = String::from_utf8(script).unwrap();
        assert!(
            script.contains("RAPPORT_COMPLETE") && script.contains("rapport"),
            "{shell}: {script}"
        );
    }
}

/// Issue 22 item 5: a date the user typed that does not parse says which forms are read,
/// not the parser's internals.
#[test]
fn a_date_that_does_not_parse_says_which_forms_are_read() {
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    for typed in [
        "Tuesday 3pm",
        "next week",
        "12/01/2026 15:00",
        "2026-13-01T15:00",
    ] {
        let e = format!("{:#}", super::meeting::parse_local(typed, &tz).unwrap_err());
        assert!(e.contains("2026-12-01T15:00"), "{typed}: {e}");
        assert!(e.contains("Europe/Berlin"), "{typed}: {e}");
        for internal in ["failed to parse", "four digit", "integer"] {
            assert!(!e.contains(internal), "{typed}: {e}");
        }
    }
    assert!(super::meeting::parse_local("2026-12-01 15:00", &tz).is_ok());
}

#[test]
fn status_json_splits_the_wake_up_into_a_timestamp_and_its_reason() {
    let (at, why) = super::status::split_wakeup(Some(
        "2026-11-23T10:29:00Z (the 29-minute safety net; sooner on new mail)",
    ));
    assert_eq!(at.as_deref(), Some("2026-11-23T10:29:00Z"));
    assert!(at.unwrap().parse::<jiff::Timestamp>().is_ok());
    assert_eq!(
        why.as_deref(),
        Some("the 29-minute safety net; sooner on new mail")
    );
    assert_eq!(super::status::split_wakeup(None), (None, None));
}

/// Issue 22 item 8: columns are measured in display width, so CJK and accented names
/// keep the table aligned.
#[test]
fn cells_pad_and_cut_by_display_width() {
    let names = [
        "李小龍",
        "Zoë Ångström",
        "Jessica Park",
        "Łukasz Żółć",
        "Ｘ全角Ｙ",
        "e\u{301}lodie",
    ];
    for name in names {
        let row = format!("|{:<14}|", super::cell(name, 14));
        assert_eq!(super::display_width(&row), 16, "{row:?}");
    }
    // Cut: never more columns than asked, a wide character is not split.
    let long = super::cell("王小明王小明王小明王小明", 9);
    assert!(super::display_width(&long.0) <= 9, "{long:?}");
    assert!(long.0.ends_with('…'));
    assert_eq!(format!("{:>6}|", super::cell("李", 6)), "    李|");
    assert_eq!(format!("{}", super::cell("a\tb", 5)), "a b");
}

#[test]
fn human_listings_show_local_time_with_the_zone() {
    let tz = jiff::tz::TimeZone::get("Europe/Berlin").unwrap();
    assert_eq!(
        super::status::local("2026-11-23T10:29:00Z", &tz),
        "Mon 2026-11-23 11:29 CET"
    );
    assert_eq!(super::status::local("not a time", &tz), "not a time");
}

/// Issue 22 item 8: names sort by the Unicode collation, not by bytes.
#[test]
fn names_sort_by_unicode_collation_not_bytes() {
    let mut names: Vec<(String, i64)> = [
        "Zoe Adams",
        "李小龍",
        "Élodie Martin",
        "adam Smith",
        "Łukasz Nowak",
        "Хуан Петров",
        "Emil Berg",
        "Lena Vogel",
        "Ömer Kaya",
        "Oscar Wilde",
    ]
    .iter()
    .enumerate()
    .map(|(i, n)| (n.to_string(), i as i64))
    .collect();
    super::contacts::sort_by_name(&mut names, |n| &n.0, |n| n.1);
    let order: Vec<&str> = names.iter().map(|n| n.0.as_str()).collect();
    assert_eq!(
        order,
        [
            "adam Smith",
            "Élodie Martin",
            "Emil Berg",
            "Lena Vogel",
            "Łukasz Nowak",
            "Ömer Kaya",
            "Oscar Wilde",
            "Zoe Adams",
            "Хуан Петров",
            "李小龍",
        ]
    );
    // 10,000 names in the store's index order (lower-case bytes): measured, the sort
    // is a small part of `contacts list`.
    let mut many: Vec<(String, i64)> = (0..10_000)
        .map(|i| {
            (
                format!("{} Person {i:05}", ["Ana", "Émile", "Łucja", "Zed"][i % 4]),
                i as i64,
            )
        })
        .collect();
    many.sort_by_key(|n| n.0.to_lowercase());
    let started = std::time::Instant::now();
    super::contacts::sort_by_name(&mut many, |n| &n.0, |n| n.1);
    eprintln!("collating 10,000 names took {:?}", started.elapsed());
    assert!(many.windows(2).all(|w| w[0].0 != w[1].0));
}
