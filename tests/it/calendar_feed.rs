//! Calendars as a source of meetings, read from an iCalendar feed served on loopback
//! (`support::feed`): an event with a contact is a meeting (source `calendar:NAME`) and
//! a thank-you follows it; moved, cancelled and removed events move and cancel it (the
//! thank-you withdrawn); the same UID as an invitation mail is one meeting; a weekly
//! 1:1 is one meeting per occurrence; an unchanged feed costs one request and writes
//! nothing; the secret feed address is never in the output, the log or the database.

use crate::support::feed::Feed;
use crate::util::Env;

/// An iCalendar text of `events`.
pub fn ics(events: &str) -> String {
    format!(
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//rapport tests//EN\r\n{events}END:VCALENDAR\r\n"
    )
}

/// One event with Priya Nair as attendee, organised by Ada.
pub fn event(uid: &str, start: &str, end: &str, extra: &str) -> String {
    format!(
        "BEGIN:VEVENT\r\nUID:{uid}\r\nDTSTAMP:20261120T000000Z\r\nDTSTART:{start}\r\nDTEND:{end}\r\n\
         SUMMARY:Coffee\r\nORGANIZER:mailto:ada@example.org\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:ada@example.org\r\n\
         ATTENDEE;PARTSTAT=ACCEPTED:mailto:priya@example.com\r\n\
         LOCATION:https://meet.google.com/abc-defg-hij\r\n{extra}END:VEVENT\r\n"
    )
}

/// A HOME with Priya Nair as a contact and the calendar "personal" reading `feed`.
fn env_with(feed: &Feed) -> Env {
    let env = Env::with_maildir();
    env.add_contact("priya@example.com", "Priya Nair");
    let url = feed.url();
    env.edit_config(|t| {
        format!("{t}\n[[calendars]]\nname = \"personal\"\nkind = \"ics\"\nurl = \"{url}\"\n")
    });
    env
}

pub fn meetings(env: &Env, all: bool) -> Vec<serde_json::Value> {
    let mut args = vec!["meeting", "list", "--json"];
    if all {
        args.push("--all");
    }
    let v = env.rapport(&args).ok().json();
    v["meetings"].as_array().cloned().unwrap_or_default()
}

/// `sync --calendar NAME --json`'s one report.
pub fn read_calendar(env: &Env, name: &str) -> serde_json::Value {
    let v = env
        .rapport(&["sync", "--calendar", name, "--json"])
        .ok()
        .json();
    v["calendars"][0].clone()
}

pub fn thank_yous(env: &Env, status: &str) -> usize {
    env.drafts()
        .iter()
        .filter(|d| d["kind"] == "thank-you" && d["status"] == status)
        .count()
}

#[test]
fn an_event_with_a_contact_is_a_meeting_and_a_thank_you_follows_it() {
    let feed = Feed::start(&ics(&event(
        "coffee-1@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let mut env = env_with(&feed);
    let r = read_calendar(&env, "personal");
    assert_eq!(r["error"], serde_json::Value::Null, "{r}");
    assert_eq!(
        (r["occurrences"].as_u64(), r["written"].as_u64()),
        (Some(1), Some(1)),
        "{r}"
    );
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    let m = &listed[0];
    assert_eq!(m["uid"], "coffee-1@cal.example", "{m}");
    assert_eq!(m["source"], "calendar:personal", "{m}");
    assert_eq!(m["start"], "2026-11-25T13:00:00Z", "{m}");
    assert_eq!(m["end"], "2026-11-25T13:30:00Z", "{m}");
    let brief = env.rapport(&["brief", "priya"]).ok().stdout;
    assert!(
        brief.contains("https://meet.google.com/abc-defg-hij"),
        "{brief}"
    );

    assert_eq!(thank_yous(&env, "pending"), 0);
    env.now = "2026-11-24T09:00:00Z".into();
    let digest = env.rapport(&["digest"]).ok().stdout;
    assert!(
        digest.contains("tomorrow 14:00: Priya Nair"),
        "the digest's meetings of tomorrow: {digest}"
    );
    env.now = "2026-11-26T09:00:00Z".into();
    env.rapport(&["plan"]).ok();
    assert_eq!(thank_yous(&env, "pending"), 1, "{:?}", env.drafts());
}

#[test]
fn an_unchanged_feed_costs_one_request_and_writes_nothing() {
    let feed = Feed::start(&ics(&event(
        "a@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let env = env_with(&feed);
    read_calendar(&env, "personal");
    let before = std::fs::read(env.db_path()).unwrap();
    let timeline = env
        .rapport(&["contacts", "show", "priya", "--json"])
        .ok()
        .stdout;
    let served = feed.requests();
    let r = read_calendar(&env, "personal");
    println!(
        "second read: {r}; requests served {} -> {}",
        served,
        feed.requests()
    );
    assert_eq!(feed.requests(), served + 1, "one request");
    assert_eq!(feed.not_modified(), 1, "answered 304");
    assert_eq!(r["unchanged"], true, "{r}");
    assert_eq!(r["written"], 0, "{r}");
    let after = env
        .rapport(&["contacts", "show", "priya", "--json"])
        .ok()
        .stdout;
    assert_eq!(timeline, after, "the timeline is as it was");
    assert!(!before.is_empty());
    // A day on, the whole feed is read again (the window's new days), unasked.
    let mut env = env;
    env.now = "2026-11-24T10:30:00Z".into();
    let r = read_calendar(&env, "personal");
    assert_eq!(r["unchanged"], false, "{r}");
    assert_eq!(feed.not_modified(), 1, "no If-None-Match this time");
    assert_eq!(r["written"], 0, "nothing changed on the timeline: {r}");
}

#[test]
fn a_moved_event_moves_the_meeting_and_a_cancelled_one_withdraws_its_thank_you() {
    let first = event("m@cal.example", "20261125T130000Z", "20261125T133000Z", "");
    let other = event(
        "gone@cal.example",
        "20261201T090000Z",
        "20261201T093000Z",
        "",
    );
    let feed = Feed::start(&ics(&format!("{first}{other}")));
    let mut env = env_with(&feed);
    read_calendar(&env, "personal");
    assert_eq!(meetings(&env, false).len(), 2);

    // Moved an hour later; the other one deleted from the calendar.
    env.now = "2026-11-24T10:00:00Z".into();
    feed.set(&ics(&event(
        "m@cal.example",
        "20261125T140000Z",
        "20261125T143000Z",
        "SEQUENCE:1\r\n",
    )));
    let r = read_calendar(&env, "personal");
    assert_eq!(r["written"], 2, "a move and a removal: {r}");
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["start"], "2026-11-25T14:00:00Z", "{listed:?}");
    let all = meetings(&env, true);
    assert!(
        all.iter()
            .any(|m| m["uid"] == "gone@cal.example" && m["status"] == "cancelled"),
        "{all:?}"
    );

    // Held; its thank-you drafted; then cancelled in the calendar after all.
    env.now = "2026-11-26T09:00:00Z".into();
    env.rapport(&["plan"]).ok();
    assert_eq!(thank_yous(&env, "pending"), 1, "{:?}", env.drafts());
    feed.set(&ics(&event(
        "m@cal.example",
        "20261125T140000Z",
        "20261125T143000Z",
        "SEQUENCE:2\r\nSTATUS:CANCELLED\r\n",
    )));
    read_calendar(&env, "personal");
    assert!(
        meetings(&env, false).is_empty(),
        "{:?}",
        meetings(&env, true)
    );
    env.rapport(&["plan"]).ok();
    assert_eq!(
        thank_yous(&env, "pending"),
        0,
        "withdrawn: {:?}",
        env.drafts()
    );
    let show = env.rapport(&["contacts", "show", "priya"]).ok().stdout;
    assert!(
        show.contains("meeting cancelled in calendar 'personal'"),
        "{show}"
    );
}

const INVITE: &str = "From: Priya Nair <priya@example.com>\n\
To: ada@example.org\n\
Subject: Invitation: Coffee @ Wed Nov 25, 2026 2pm\n\
Date: Mon, 23 Nov 2026 08:00:00 +0000\n\
Message-ID: <priya-invite@example.com>\n\
MIME-Version: 1.0\n\
Content-Type: text/calendar; charset=UTF-8; method=REQUEST\n\
\n\
BEGIN:VCALENDAR\n\
METHOD:REQUEST\n\
VERSION:2.0\n\
PRODID:-//Example//Calendar//EN\n\
BEGIN:VEVENT\n\
DTSTART:20261125T130000Z\n\
DTEND:20261125T133000Z\n\
UID:same@cal.example\n\
SEQUENCE:0\n\
ORGANIZER:mailto:priya@example.com\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:ada@example.org\n\
SUMMARY:Coffee\n\
END:VEVENT\n\
END:VCALENDAR\n";

#[test]
fn the_same_uid_as_an_invitation_mail_is_one_meeting() {
    let feed = Feed::start(&ics(&event(
        "same@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let env = env_with(&feed);
    env.deliver("1763900000.priya.example:2,", INVITE);
    env.rapport(&["sync"]).ok();
    let listed = meetings(&env, true);
    assert_eq!(listed.len(), 1, "the invitation: {listed:?}");
    let r = read_calendar(&env, "personal");
    assert_eq!(r["written"], 0, "already on the timeline: {r}");
    let listed = meetings(&env, true);
    assert_eq!(listed.len(), 1, "one meeting, not two: {listed:?}");
    assert_eq!(listed[0]["uid"], "same@cal.example");
}

#[test]
fn a_weekly_one_on_one_is_one_meeting_per_occurrence_in_the_window() {
    // Tuesdays 10:00 Berlin from 24 Nov, six times, the 8 Dec one skipped and the
    // 15 Dec one moved to 14:00; the window runs 30 days back and 60 ahead.
    let series = "BEGIN:VEVENT\r\nUID:weekly@cal.example\r\nDTSTART;TZID=Europe/Berlin:20261124T100000\r\n\
        DTEND;TZID=Europe/Berlin:20261124T103000\r\nRRULE:FREQ=WEEKLY;BYDAY=TU;COUNT=6\r\n\
        EXDATE;TZID=Europe/Berlin:20261208T100000\r\nSUMMARY:1:1\r\nORGANIZER:mailto:ada@example.org\r\n\
        ATTENDEE:mailto:priya@example.com\r\nEND:VEVENT\r\n\
        BEGIN:VEVENT\r\nUID:weekly@cal.example\r\nRECURRENCE-ID;TZID=Europe/Berlin:20261215T100000\r\n\
        DTSTART;TZID=Europe/Berlin:20261215T140000\r\nDTEND;TZID=Europe/Berlin:20261215T143000\r\n\
        SUMMARY:1:1 (afternoon)\r\nORGANIZER:mailto:ada@example.org\r\nATTENDEE:mailto:priya@example.com\r\nEND:VEVENT\r\n";
    let feed = Feed::start(&ics(series));
    let env = env_with(&feed);
    let r = read_calendar(&env, "personal");
    assert_eq!(r["occurrences"], 5, "{r}");
    let listed = meetings(&env, false);
    let starts: Vec<&str> = listed
        .iter()
        .map(|m| m["start"].as_str().unwrap())
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-24T09:00:00Z",
            "2026-12-01T09:00:00Z",
            "2026-12-15T13:00:00Z",
            "2026-12-22T09:00:00Z",
            "2026-12-29T09:00:00Z"
        ],
        "{listed:?}"
    );
    let uids: std::collections::BTreeSet<&str> =
        listed.iter().map(|m| m["uid"].as_str().unwrap()).collect();
    assert_eq!(uids.len(), 5, "each occurrence its own meeting: {uids:?}");
    assert!(
        uids.contains("weekly@cal.example/2026-12-15T09:00:00Z"),
        "{uids:?}"
    );
}

#[test]
fn the_secret_feed_address_is_never_in_the_output_the_log_or_the_database() {
    let feed = Feed::start(&ics(&event(
        "s@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let mut env = env_with(&feed);
    env.extra_env.push(("RAPPORT_LOG".into(), "trace".into()));
    let secret = feed
        .path
        .trim_start_matches('/')
        .split('/')
        .next()
        .unwrap()
        .to_string();
    let mut seen = String::new();
    for args in [
        &["sync", "--calendar", "personal"][..],
        &["sync", "--calendar", "personal", "--json"],
        &["status", "--json"],
        &["status"],
        &["meeting", "list", "--json", "--all"],
    ] {
        let r = env.rapport(args);
        seen.push_str(&r.stdout);
        seen.push_str(&r.stderr);
    }
    // A wrong address (the secret reset): the error names the calendar, not the address.
    env.edit_config(|t| t.replace("/basic.ics", "/old.ics"));
    let r = env.rapport(&["sync", "--calendar", "personal"]);
    assert_ne!(r.code, 0);
    assert!(
        r.stdout.contains("calendar 'personal'") && r.stdout.contains("404"),
        "{}",
        r.stdout
    );
    seen.push_str(&r.stdout);
    seen.push_str(&r.stderr);
    let doctor = env.rapport(&["doctor"]);
    seen.push_str(&doctor.stdout);
    seen.push_str(&doctor.stderr);
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert!(
        status["calendars"][0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("404")),
        "{status}"
    );
    seen.push_str(&status.to_string());
    assert!(seen.contains("calendar 'personal'"), "{seen}");
    assert!(!seen.contains(&secret), "the secret is out:\n{seen}");
    for file in ["rapport.db", "rapport.db-wal"] {
        let path = env.db_path().with_file_name(file);
        if let Ok(bytes) = std::fs::read(&path) {
            let found = bytes.windows(secret.len()).any(|w| w == secret.as_bytes());
            assert!(!found, "the secret is in {}", path.display());
        }
    }
}

#[test]
fn a_feed_file_is_read_and_an_unchanged_one_writes_nothing() {
    let env = Env::with_maildir();
    env.add_contact("priya@example.com", "Priya Nair");
    let file = env.home().join("calendar.ics");
    std::fs::write(
        &file,
        ics(&event(
            "f-1@cal.example",
            "20261125T130000Z",
            "20261125T133000Z",
            "",
        )),
    )
    .unwrap();
    env.edit_config(|t| {
        format!(
            "{t}\n[[calendars]]\nname = \"file\"\nkind = \"ics\"\nurl = \"file://{}\"\n",
            file.display()
        )
    });
    let r = read_calendar(&env, "file");
    assert_eq!(
        (r["written"].as_u64(), r["requests"].as_u64()),
        (Some(1), Some(0)),
        "{r}"
    );
    let r = read_calendar(&env, "file");
    assert_eq!(r["unchanged"], true, "the same content: {r}");
    std::fs::write(
        &file,
        ics(&event(
            "f-1@cal.example",
            "20261125T140000Z",
            "20261125T143000Z",
            "",
        )),
    )
    .unwrap();
    let r = read_calendar(&env, "file");
    assert_eq!(r["written"], 1, "moved: {r}");
    assert_eq!(meetings(&env, false)[0]["start"], "2026-11-25T14:00:00Z");
}

#[test]
fn a_feed_too_large_to_read_whole_is_an_error_and_cancels_nothing() {
    let coffee = event(
        "big@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    );
    let feed = Feed::start(&ics(&coffee));
    let env = env_with(&feed);
    read_calendar(&env, "personal");
    assert_eq!(meetings(&env, false).len(), 1);
    // 21 MiB of other events after it: cut at 20 MiB, the reading would miss events.
    let padding = "X-PADDING:".to_string() + &"x".repeat(70) + "\r\n";
    let filler = padding.repeat(21 * 1024 * 1024 / padding.len());
    feed.set(&ics(&format!(
        "{coffee}BEGIN:VEVENT\r\nUID:pad@cal.example\r\n{filler}END:VEVENT\r\n"
    )));
    let run = env.rapport(&["sync", "--calendar", "personal", "--json"]);
    assert_ne!(run.code, 0, "a failed read fails the command");
    let r = run.json()["calendars"][0].clone();
    let error = r["error"].as_str().unwrap_or_default();
    assert!(error.contains("larger than 20 MiB"), "{r}");
    assert_eq!(meetings(&env, false).len(), 1, "nothing cancelled");
}

#[test]
fn a_meeting_recorded_by_hand_and_the_calendar_event_are_one_meeting() {
    let feed = Feed::start(&ics(&event(
        "hand@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let env = env_with(&feed);
    env.rapport(&["meeting", "add", "priya", "--at", "2026-11-25T14:00"])
        .ok();
    read_calendar(&env, "personal");
    let listed = meetings(&env, true);
    assert_eq!(listed.len(), 1, "one meeting, not two: {listed:?}");
    assert_eq!(
        listed[0]["uid"], "hand@cal.example",
        "the calendar's: {listed:?}"
    );
    assert_eq!(
        listed[0]["end"], "2026-11-25T13:30:00Z",
        "the calendar's time"
    );
}

#[test]
fn a_feed_address_from_url_command_is_read_and_a_failing_command_is_named() {
    let feed = Feed::start(&ics(&event(
        "cmd@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    )));
    let env = Env::with_maildir();
    env.add_contact("priya@example.com", "Priya Nair");
    let cmd = env.script("feed-url", &format!("echo '{}'", feed.url()));
    env.edit_config(|t| {
        format!("{t}\n[[calendars]]\nname = \"secret\"\nkind = \"ics\"\nurl_command = \"{cmd}\"\n")
    });
    let r = read_calendar(&env, "secret");
    assert_eq!(r["written"], 1, "{r}");
    assert_eq!(meetings(&env, false).len(), 1);

    env.edit_config(|t| t.replace(&cmd, "false"));
    let run = env.rapport(&["sync", "--calendar", "secret"]);
    assert_ne!(run.code, 0);
    assert!(
        run.stdout.contains("url_command failed"),
        "names the key: {}",
        run.stdout
    );
}
