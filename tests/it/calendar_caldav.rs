//! A CalDAV calendar against a real Radicale on loopback (`support::radicale`): an event
//! put there is a meeting; an unchanged collection costs one PROPFIND and nothing is
//! written (counted in Radicale's log); a moved event moves the meeting and a deleted
//! one cancels it; a wrong password is a doctor FAIL naming the calendar and the fix.

use crate::calendar_feed::{event, ics, meetings, read_calendar};
use crate::support::radicale::Radicale;
use crate::util::Env;

fn env_with(dav: &Radicale, password: &str) -> Env {
    let env = Env::with_maildir();
    env.add_contact("priya@example.com", "Priya Nair");
    let url = dav.calendar_url();
    env.edit_config(|t| {
        format!(
            "{t}\n[[calendars]]\nname = \"work\"\nkind = \"caldav\"\nurl = \"{url}\"\nusername = \"ada\"\npassword_command = \"echo {password}\"\n"
        )
    });
    env
}

#[test]
fn a_caldav_event_is_a_meeting_and_an_unchanged_collection_costs_one_request() {
    let dav = Radicale::start();
    dav.put(
        "coffee.ics",
        &ics(&event(
            "dav-1@cal.example",
            "20261125T130000Z",
            "20261125T133000Z",
            "",
        )),
    );
    let env = env_with(&dav, Radicale::PASSWORD);
    let before = dav.all_requests();
    let r = read_calendar(&env, "work");
    assert_eq!(r["error"], serde_json::Value::Null, "{r}\n{}", dav.log());
    assert_eq!(r["written"], 1, "{r}");
    assert_eq!(
        dav.all_requests() - before,
        2,
        "PROPFIND and REPORT:\n{}",
        dav.log()
    );
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["uid"], "dav-1@cal.example");
    assert_eq!(listed[0]["source"], "calendar:work");
    assert_eq!(listed[0]["start"], "2026-11-25T13:00:00Z");

    let timeline = env
        .rapport(&["contacts", "show", "priya", "--json"])
        .ok()
        .stdout;
    let (propfinds, reports) = (dav.requests("PROPFIND"), dav.requests("REPORT"));
    let r = read_calendar(&env, "work");
    println!(
        "unchanged read: {r}; PROPFIND {propfinds} -> {}, REPORT {reports} -> {}",
        dav.requests("PROPFIND"),
        dav.requests("REPORT")
    );
    assert_eq!(r["unchanged"], true, "{r}");
    assert_eq!(r["requests"], 1, "{r}");
    assert_eq!(dav.requests("PROPFIND"), propfinds + 1);
    assert_eq!(
        dav.requests("REPORT"),
        reports,
        "no REPORT when nothing changed"
    );
    let after = env
        .rapport(&["contacts", "show", "priya", "--json"])
        .ok()
        .stdout;
    assert_eq!(timeline, after, "nothing written");
    let status = env.rapport(&["status", "--json"]).ok().json();
    let cal = &status["calendars"][0];
    assert_eq!(cal["name"], "work", "{status}");
    assert_eq!(cal["last_read"], "2026-11-23T10:00:00Z", "{status}");
    assert_eq!(cal["last_error"], serde_json::Value::Null, "{status}");
    let text = env.rapport(&["status"]).ok().stdout;
    assert!(
        text.contains("calendar 'work' (caldav): last read Mon 2026-11-23 11:00 CET"),
        "{text}"
    );
}

#[test]
fn a_moved_caldav_event_moves_the_meeting_and_a_deleted_one_cancels_it() {
    let dav = Radicale::start();
    dav.put(
        "a.ics",
        &ics(&event(
            "dav-a@cal.example",
            "20261125T130000Z",
            "20261125T133000Z",
            "",
        )),
    );
    dav.put(
        "b.ics",
        &ics(&event(
            "dav-b@cal.example",
            "20261126T130000Z",
            "20261126T133000Z",
            "",
        )),
    );
    let mut env = env_with(&dav, Radicale::PASSWORD);
    read_calendar(&env, "work");
    assert_eq!(meetings(&env, false).len(), 2);

    env.now = "2026-11-23T11:00:00Z".into();
    dav.put(
        "a.ics",
        &ics(&event(
            "dav-a@cal.example",
            "20261125T150000Z",
            "20261125T153000Z",
            "SEQUENCE:1\r\n",
        )),
    );
    dav.delete("b.ics");
    let r = read_calendar(&env, "work");
    assert_eq!(r["written"], 2, "{r}\n{}", dav.log());
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["uid"], "dav-a@cal.example");
    assert_eq!(listed[0]["start"], "2026-11-25T15:00:00Z");
    let show = env.rapport(&["contacts", "show", "priya"]).ok().stdout;
    assert!(
        show.contains("meeting removed from calendar 'work'"),
        "{show}"
    );
}

#[test]
fn a_wrong_caldav_password_is_a_doctor_fail_naming_the_calendar_and_the_fix() {
    let dav = Radicale::start();
    let env = env_with(&dav, "not-the-password");
    let d = env.rapport(&["doctor"]);
    assert_ne!(d.code, 0, "{}", d.stdout);
    let line = d
        .stdout
        .lines()
        .find(|l| l.contains("calendar 'work'"))
        .unwrap_or_else(|| panic!("no calendar line:\n{}", d.stdout));
    assert!(line.starts_with("FAIL"), "{line}");
    assert!(line.contains("401"), "the server's answer: {line}");
    assert!(line.contains("password_command"), "the fix: {line}");
    assert!(!line.contains("not-the-password"), "{line}");
    let r = env.rapport(&["sync", "--calendar", "work"]);
    assert_ne!(r.code, 0);
    let status = env.rapport(&["status", "--json"]).ok().json();
    assert!(
        status["calendars"][0]["last_error"]
            .as_str()
            .is_some_and(|e| e.contains("401")),
        "{status}"
    );

    let good = env_with(&dav, Radicale::PASSWORD);
    let d = good.rapport(&["doctor"]);
    assert!(
        d.stdout
            .lines()
            .any(|l| l.starts_with("ok") && l.contains("calendar 'work'")),
        "{}",
        d.stdout
    );
}

#[test]
fn a_server_with_its_own_ca_is_refused_with_the_fix_and_read_with_ca_file() {
    let coffee = ics(&event(
        "tls-1@cal.example",
        "20261125T130000Z",
        "20261125T133000Z",
        "",
    ));
    let dav = Radicale::start_tls(&[("coffee.ics", &coffee)]);
    let env = env_with(&dav, Radicale::PASSWORD);
    let d = env.rapport(&["doctor"]);
    let line = d
        .stdout
        .lines()
        .find(|l| l.contains("calendar 'work'"))
        .unwrap_or_else(|| panic!("no calendar line:\n{}", d.stdout));
    println!("{line}");
    assert!(line.starts_with("FAIL"), "{line}");
    assert!(line.contains("certificate"), "what failed: {line}");
    assert!(line.contains("ca_file"), "the fix: {line}");

    let ca = dav.ca_file();
    env.edit_config(|t| format!("{t}ca_file = \"{}\"\n", ca.display()));
    let r = read_calendar(&env, "work");
    assert_eq!(r["error"], serde_json::Value::Null, "{r}\n{}", dav.log());
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["uid"], "tls-1@cal.example");
}
