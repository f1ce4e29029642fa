use super::*;

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn ok() -> Facts {
    Facts {
        sendable: true,
        ..Facts::default()
    }
}

#[test]
fn each_reason_skips_and_says_so() {
    let now = ts("2026-12-01T10:00:00Z");
    assert_eq!(skip_reason(&ok(), now, 30), None);
    let cases: Vec<(Facts, &str)> = vec![
        (
            Facts {
                do_not_contact: true,
                ..ok()
            },
            "do-not-contact",
        ),
        (
            Facts {
                sendable: false,
                ..ok()
            },
            "bounced",
        ),
        (
            Facts {
                open_request: true,
                ..ok()
            },
            "request",
        ),
        (
            Facts {
                waiting_draft: Some(7),
                ..ok()
            },
            "draft 7",
        ),
        (
            Facts {
                dormant: Some(ts("2026-11-23T10:00:00Z")),
                ..ok()
            },
            "dormant since 2026-11-23",
        ),
        (
            Facts {
                last_touch: Some(ts("2026-11-20T10:00:00Z")),
                ..ok()
            },
            "11 days ago",
        ),
    ];
    for (f, want) in cases {
        let why = skip_reason(&f, now, 30).unwrap_or_default();
        assert!(why.contains(want), "{f:?}: {why:?}");
    }
}

#[test]
fn a_touch_just_outside_the_window_does_not_skip() {
    let now = ts("2026-12-01T10:00:00Z");
    let f = Facts {
        last_touch: Some(ts("2026-11-01T10:00:00Z")),
        ..ok()
    };
    assert_eq!(skip_reason(&f, now, 30), None);
    assert!(skip_reason(&f, now, 31).is_some());
    assert_eq!(
        skip_reason(&f, now, 0),
        None,
        "0 days: never skipped for a touch"
    );
}

#[test]
fn a_page_title_is_read_decoded_and_trimmed() {
    let page = "<html><head><meta charset=utf-8>\n<TITLE lang=en>\n  Search ranking &amp; you:\n a talk &#8212; &#x41;da&apos;s pick </title></head>";
    assert_eq!(
        title_of(page).as_deref(),
        Some("Search ranking & you: a talk — Ada's pick")
    );
    assert_eq!(
        title_of("<title>AT&T &bogus; 5 &lt 6</title>").as_deref(),
        Some("AT&T &bogus; 5 &lt 6")
    );
    for none in [
        "",
        "<title></title>",
        "<title>   </title>",
        "<title>no end",
        "no title at all",
        "<title",
        "&#99999999;",
    ] {
        assert_eq!(title_of(none), None, "{none:?}");
    }
    let long = format!("<title>{}</title>", "x".repeat(500));
    assert_eq!(title_of(&long).map(|t| t.chars().count()), Some(200));
    assert_eq!(
        title_of("<title>a\u{7}b\u{1b}[31m</title>").as_deref(),
        Some("ab[31m")
    );
}
