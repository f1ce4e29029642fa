//! The certainty fixtures (`tests/fixtures/mail/certainty/`): every sure reading right, every certainty the one required.

use super::*;

fn certainty_dir() -> PathBuf {
    fixtures_dir().join("certainty")
}

/// What one certainty fixture should read: the truth, and what the certainty
/// rules must say ("sure", "unsure" or "-" for either).
struct Expected<'a> {
    label: &'a str,
    intent: &'a str,
    later: &'a str,
    certainty: &'a str,
}

/// Whether a reading matches the truth (label, intent, later date).
fn reads_right(c: &Classification, e: &Expected<'_>) -> bool {
    let intent = c.intent.map_or("", rapport::core::classify::Intent::as_str);
    let later = c.later_until.map(|d| d.to_string()).unwrap_or_default();
    c.label.as_str() == e.label && intent == e.intent && later == e.later
}

/// The certainty fixtures (`tests/fixtures/mail/certainty/labels.tsv`): one
/// kind of reading each, in several languages and client formats, with the
/// traps. A sure reading must be right; a row whose certainty column says
/// `sure` or `unsure` must get it. The report gives the sure-reading
/// precision and the unsure rate.
#[test]
fn certainty_fixtures_sure_readings_are_right() {
    let dir = certainty_dir();
    let mut failures = Vec::new();
    let (mut n, mut right, mut sure, mut sure_right, mut unsure) = (0, 0, 0, 0, 0);
    let mut lines = Vec::new();
    let mut listed = Vec::new();
    with_ctx(|ctx| {
        for (cols, reading) in fixture_rows(&dir, ctx) {
            let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
            let file = cell(&cols, 0);
            listed.push(file.to_string());
            let e = Expected {
                label: cell(&cols, 1),
                intent: cell(&cols, 2),
                later: cell(&cols, 3),
                certainty: cell(&cols, 4),
            };
            let c = match reading {
                Ok(c) => c,
                Err(err) => {
                    failures.push(format!("{file}: {err}"));
                    continue;
                }
            };
            n += 1;
            let ok = reads_right(&c, &e);
            let got_certainty = c.certainty.as_str();
            right += usize::from(ok);
            if got_certainty == "sure" {
                sure += 1;
                sure_right += usize::from(ok);
            } else {
                unsure += 1;
            }
            let ev: Vec<&str> = c.evidence.iter().map(|e| e.detail.as_str()).collect();
            let got = format!(
                "{} {} {} {got_certainty}",
                c.label.as_str(),
                c.intent
                    .map_or("-", rapport::core::classify::Intent::as_str),
                c.later_until.map(|d| d.to_string()).unwrap_or_default()
            );
            lines.push(format!(
                "  {} {file}: {got}",
                if ok { "right" } else { "WRONG" }
            ));
            if got_certainty == "sure" && !ok {
                failures.push(format!(
                    "{file}: a sure reading that is wrong: {got}, expected {} {} {} [{}]",
                    e.label,
                    e.intent,
                    e.later,
                    ev.join(" | ")
                ));
            }
            if e.certainty != "-" && e.certainty != got_certainty {
                failures.push(format!(
                    "{file}: certainty {got_certainty}, expected {} ({got}) [{}]",
                    e.certainty,
                    ev.join(" | ")
                ));
            }
        }
    });
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let mut text = format!(
        "\ncertainty fixtures: {n} messages\nright {right}/{n} = {:.1} %; sure readings right {sure_right}/{sure} = {:.1} %; unsure {unsure}/{n} = {:.1} %\n",
        pct(right, n),
        pct(sure_right, sure),
        pct(unsure, n)
    );
    for l in &lines {
        text.push_str(l);
        text.push('\n');
    }
    print!("{text}");
    write_report("4-certainty", &text);
    assert!(n >= 40, "only {n} certainty fixtures");
    // Every fixture file is listed.
    for entry in std::fs::read_dir(&dir).expect("certainty dir").flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(".eml") && !listed.contains(&name) {
            failures.push(format!("{name} is not listed in certainty/labels.tsv"));
        }
    }
    assert!(
        failures.is_empty(),
        "certainty fixture failures:\n{}",
        failures.join("\n")
    );
}
