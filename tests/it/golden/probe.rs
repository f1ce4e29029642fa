//! The probe sets (`tests/fixtures/mail/probe/`, `probe2/`): messages written blind,
//! before the classifier was read (the second by someone who never read it), to see
//! how its sure readings hold up on mail that did not shape the rules. Every sure
//! reading must be right.

use super::*;

/// The golden sets' context read on 1 March 2027: the probe mail is dated December 2026
/// to February 2027, and rapport reads mail after it arrives (a Date header after `now`
/// is not trusted as the reference for relative dates).
fn with_probe_ctx<T>(f: impl FnOnce(&Context<'_>) -> T) -> T {
    with_ctx_at("2027-03-01T12:00:00Z", f)
}

/// Whether `got` is one of the `|`-separated answers a careful human accepts. The
/// second set's writer named some labels in the past tense ("meeting_accepted"); they
/// are rapport's present-tense labels.
fn accepts(expected: &str, got: &str) -> bool {
    expected.split('|').any(|e| {
        let e = match e {
            "meeting_accepted" => "meeting_accept",
            "meeting_declined" => "meeting_decline",
            "meeting_cancelled" => "meeting_cancel",
            "booking_confirmation" => "meeting_confirmation",
            e => e,
        };
        e == got
    })
}

/// What is wrong with a reading of one probe row (empty when right): label,
/// intent, later date and the row's checks.
fn probe_errors(cols: &[&str], c: &Classification) -> Vec<String> {
    let mut errs = Vec::new();
    let label = cell(cols, 1);
    if !accepts(label, c.label.as_str()) {
        errs.push(format!("label: expected {label}, got {}", c.label.as_str()));
    }
    let intent = cell(cols, 2);
    let got_intent = c.intent.map_or("", rapport::core::classify::Intent::as_str);
    if !accepts(intent, got_intent) {
        errs.push(format!("intent: expected {intent:?}, got {got_intent:?}"));
    }
    let later = cell(cols, 3);
    let got_later = c.later_until.map(|d| d.to_string()).unwrap_or_default();
    if !accepts(later, &got_later) {
        errs.push(format!("later: expected {later:?}, got {got_later:?}"));
    }
    for kv in cell(cols, 5)
        .split(';')
        .map(str::trim)
        .filter(|s| !s.is_empty())
    {
        match kv.split_once('=') {
            Some((k, v)) => {
                if let Err(e) = check(c, k.trim(), v.trim()) {
                    errs.push(e);
                }
            }
            None => errs.push(format!("bad check {kv}")),
        }
    }
    errs
}

/// The probe set: prints the share right, the sure-reading precision, the
/// unsure rate and every wrong reading; fails on a sure reading that is wrong.
/// A row's certainty column (what a careful human would also hesitate over)
/// is reported where the reading differs, not enforced.
#[test]
fn probe_set_sure_readings_are_right() {
    probe_set("probe", "5-probe", 80);
}

/// The second blind set: 130 messages by a writer who never read the classifier.
#[test]
fn second_probe_set_sure_readings_are_right() {
    probe_set("probe2", "6-probe2", 130);
}

/// The third blind set: 120 messages by another writer who never read the classifier.
#[test]
fn third_probe_set_sure_readings_are_right() {
    probe_set("probe3", "7-probe3", 120);
}

/// The fourth blind set: 120 messages, 70 replies and 50 of an ordinary inbox (lists,
/// spam, notifications, auto-replies), by a third writer who never read the classifier.
#[test]
fn fourth_probe_set_sure_readings_are_right() {
    probe_set("probe4", "8-probe4", 120);
}

/// The fifth blind set: 100 messages (65 replies in 11 languages and registers, 35 of
/// an ordinary inbox), by a fourth writer who never read the classifier.
#[test]
fn fifth_probe_set_sure_readings_are_right() {
    probe_set("probe5", "9-probe5", 100);
}

/// The sixth blind set, the final measure (read once, never fitted): 100 messages in
/// the proportions of a networking inbox, by a fifth writer who never read the
/// classifier. Its report is the figure to quote; it fails only on a panic or a
/// missing file, never on a wrong reading, so that it is never fitted.
#[test]
fn sixth_probe_set_is_read() {
    probe_report_only("probe6", "10-probe6", 100);
}

/// The seventh blind set: 130 messages by a sixth writer who never read the classifier,
/// read once blind (83 % right, 93 % of sure readings right, 41 % unsure) and then
/// used to find kinds of mistake; its sure readings must now be right.
#[test]
fn seventh_probe_set_sure_readings_are_right() {
    probe_set("probe7", "11-probe7", 130);
}

/// The eighth blind set: 130 messages by a seventh writer who never read the classifier,
/// read once blind (83.8 % right, 93.5 % of sure readings right, 28.5 % unsure) and
/// then used to find kinds of mistake; reported, not yet held to every sure reading.
#[test]
fn eighth_probe_set_is_read() {
    probe_report_only("probe8", "12-probe8", 130);
}

/// The ninth blind set, this stage's final measure (read once, never fitted): 120
/// messages by an eighth writer who never read the classifier. Fails only on a panic
/// or a missing file, never on a wrong reading, so that it is never fitted.
#[test]
fn ninth_probe_set_is_read() {
    probe_report_only("probe9", "13-probe9", 120);
}

/// Reads the probe set in `name`, writes its report, and fails on a sure wrong reading
/// or fewer than `at_least` messages.
fn probe_set(name: &str, report: &str, at_least: usize) {
    read_probe_set(name, report, at_least, true);
}

/// [`probe_set`] without failing on wrong sure readings: the report only.
fn probe_report_only(name: &str, report: &str, at_least: usize) {
    read_probe_set(name, report, at_least, false);
}

fn read_probe_set(name: &str, report: &str, at_least: usize, strict: bool) {
    let dir = fixtures_dir().join(name);
    let mut failures = Vec::new();
    let (mut n, mut right, mut sure, mut sure_right, mut unsure) = (0, 0, 0, 0, 0);
    let (mut wrong, mut notes) = (Vec::new(), Vec::new());
    let mut listed = Vec::new();
    with_probe_ctx(|ctx| {
        for (cols, reading) in fixture_rows(&dir, ctx) {
            let cols: Vec<&str> = cols.iter().map(String::as_str).collect();
            let file = cell(&cols, 0);
            listed.push(file.to_string());
            let c = match reading {
                Ok(c) => c,
                Err(e) => {
                    failures.push(format!("{file}: {e}"));
                    continue;
                }
            };
            n += 1;
            let errs = probe_errors(&cols, &c);
            let certainty = c.certainty.as_str();
            right += usize::from(errs.is_empty());
            if certainty == "sure" {
                sure += 1;
                sure_right += usize::from(errs.is_empty());
            } else {
                unsure += 1;
            }
            let ev: Vec<&str> = c.evidence.iter().map(|e| e.detail.as_str()).collect();
            if !errs.is_empty() {
                let line = format!(
                    "  WRONG ({certainty}) {file}: {} [{}]",
                    errs.join("; "),
                    ev.join(" | ")
                );
                if certainty == "sure" && strict {
                    failures.push(line.clone());
                }
                wrong.push(line);
            }
            let want = cell(&cols, 4);
            if want != "-" && !want.is_empty() && want != certainty {
                notes.push(format!(
                    "  note {file}: {certainty}, a careful human: {want}"
                ));
            }
        }
    });
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let mut text = format!(
        "\n{name} set: {n} messages\nright {right}/{n} = {:.1} %; sure readings right {sure_right}/{sure} = {:.1} %; unsure {unsure}/{n} = {:.1} %\n",
        pct(right, n),
        pct(sure_right, sure),
        pct(unsure, n)
    );
    for l in wrong.iter().chain(&notes) {
        text.push_str(l);
        text.push('\n');
    }
    print!("{text}");
    write_report(report, &text);
    for entry in std::fs::read_dir(&dir).expect("probe dir").flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if file.ends_with(".eml") && !listed.contains(&file) {
            failures.push(format!("{file} is not listed in {name}/labels.tsv"));
        }
    }
    assert!(n >= at_least, "only {n} {name} messages");
    assert!(
        failures.is_empty(),
        "probe failures (sure and wrong):\n{}",
        failures.join("\n")
    );
}
