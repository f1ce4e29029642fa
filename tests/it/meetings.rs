//! Meetings however they come: a time a reply proposes ("Tuesday at 3pm works for me")
//! confirmed in `review` or with `meeting confirm`; a meeting the user recorded and the
//! invitation for it, read through the real Dovecot, as one meeting with the
//! invitation's link and UID, whose cancellation removes it and its thank-you.

use crate::cli_loop::{Pty, jessica_asked_and_answers};
use crate::support::TestServers;
use crate::util::Env;

/// Jessica asked and answered "Tuesday at 3pm works for me" on Wednesday 25 November:
/// a proposal for Tuesday 1 December, 15:00 in Berlin (14:00 UTC).
fn env_with_proposal() -> Env {
    let mut env = Env::with_maildir();
    env.add_contact("jessica@example.com", "Jessica Park");
    jessica_asked_and_answers(
        &mut env,
        "2026-11-25T09:00:00Z",
        "Wed, 25 Nov 2026 08:30:00 +0000",
        "jp-time",
        "Hi Ada, Tuesday at 3pm works for me!\n\nOn Mon, 23 Nov 2026, Ada Lovelace wrote:\n> Would Friday at 10am suit you?\n",
    );
    env.rapport(&["sync"]).ok();
    env
}

fn meetings(env: &Env, all: bool) -> Vec<serde_json::Value> {
    let mut args = vec!["meeting", "list", "--json"];
    if all {
        args.push("--all");
    }
    let v = env.rapport(&args).ok().json();
    v["meetings"].as_array().cloned().unwrap_or_default()
}

fn proposal_id(env: &Env) -> i64 {
    let listed = meetings(env, false);
    let p = listed
        .iter()
        .find(|m| m["status"] == "proposed")
        .unwrap_or_else(|| panic!("no proposal listed: {listed:?}"));
    assert_eq!(p["start"], "2026-12-01T14:00:00Z", "{p}");
    assert_eq!(p["contact"], "Jessica Park", "{p}");
    p["id"].as_i64().unwrap()
}

fn thank_yous(env: &Env) -> usize {
    env.drafts()
        .iter()
        .filter(|d| d["kind"] == "thank-you")
        .count()
}

#[test]
fn a_time_in_words_is_a_proposal_that_review_confirms_and_the_thank_you_follows() {
    let mut env = env_with_proposal();
    let q = env.rapport(&["queue"]).ok().stdout;
    assert!(
        q.contains("Jessica Park proposed Tue 2026-12-01 15:00"),
        "the queue shows the proposal: {q}"
    );
    assert!(!q.contains("Fri"), "quoted text proposes nothing: {q}");
    proposal_id(&env);
    let list = env.rapport(&["meeting", "list"]).ok().stdout;
    assert!(
        list.contains("Jessica Park proposed Tue 2026-12-01 15:00"),
        "{list}"
    );
    let digest = env.rapport(&["digest"]).ok().stdout;
    assert!(
        digest.contains("Jessica Park: proposed Tue 2026-12-01 15:00"),
        "the digest lists it: {digest}"
    );

    let pty = Pty::start(&env, "review");
    let s = pty.wait_item("Jessica Park proposed Tue 2026-12-01 15:00");
    assert!(
        s.contains("Jessica Park proposed Tue 2026-12-01 15:00 — [c]onfirm / [m]ove / [i]gnore"),
        "{s}"
    );
    assert!(s.contains("They wrote \"tuesday at 3pm\""), "{s}");
    pty.keys("c");
    let s = pty.wait_for("RAPPORT-EXIT=");
    assert!(s.contains("Proposed times: 1 confirmed, 0 ignored."), "{s}");
    assert!(s.contains("RAPPORT-EXIT=0"), "{s}");

    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "one meeting, no proposal left: {listed:?}");
    assert_eq!(listed[0]["status"], "upcoming", "{listed:?}");
    assert_eq!(listed[0]["start"], "2026-12-01T14:00:00Z", "{listed:?}");
    let q = env.rapport(&["queue"]).ok().stdout;
    assert!(!q.contains("proposed Tue"), "asked once: {q}");

    assert_eq!(thank_yous(&env), 0);
    env.now = "2026-12-02T09:00:00Z".into();
    env.rapport(&["plan"]).ok();
    assert_eq!(thank_yous(&env), 1, "{:?}", env.drafts());
}

#[test]
fn review_moves_a_proposed_time_to_the_one_typed() {
    let env = env_with_proposal();
    let pty = Pty::start(&env, "review");
    pty.wait_item("Jessica Park proposed Tue 2026-12-01 15:00");
    pty.keys("m");
    pty.wait_for("New time");
    pty.keys("2026-12-02T11:00\n");
    let s = pty.wait_for("RAPPORT-EXIT=");
    assert!(
        s.contains("moved from a time proposed by Jessica Park"),
        "{s}"
    );
    assert!(s.contains("RAPPORT-EXIT=0"), "{s}");
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["start"], "2026-12-02T10:00:00Z", "{listed:?}");
}

#[test]
fn meeting_confirm_records_the_proposal_at_its_time_or_another() {
    let env = env_with_proposal();
    let id = proposal_id(&env).to_string();
    let show = env.rapport(&["contacts", "show", "jessica"]).ok().stdout;
    assert!(
        show.contains(&format!("rapport meeting confirm {id}")),
        "the next step names the proposal, not a fixed date: {show}"
    );
    assert!(!show.contains("2026-12-03T15:00"), "{show}");
    let r = env
        .rapport(&["meeting", "confirm", &id, "--at", "2026-12-01T16:00"])
        .ok();
    assert!(
        r.stdout
            .contains("Confirmed: meeting scheduled for 2026-12-01 16:00"),
        "{}",
        r.stdout
    );
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["start"], "2026-12-01T15:00:00Z", "{listed:?}");
    let again = env.rapport(&["meeting", "confirm", &id]).fails();
    assert!(
        again.stderr.contains("confirmed already"),
        "{}",
        again.stderr
    );
    let all = meetings(&env, true);
    assert!(
        all.iter()
            .any(|m| m["status"] == "confirmed" && m["id"].as_i64() == id.parse().ok()),
        "{all:?}"
    );
}

#[test]
fn meeting_ignore_sets_a_proposal_aside() {
    let env = env_with_proposal();
    let id = proposal_id(&env).to_string();
    env.rapport(&["meeting", "ignore", &id]).ok();
    assert!(meetings(&env, false).is_empty());
    let q = env.rapport(&["queue", "--json"]).ok().json();
    assert_eq!(q["proposed"], serde_json::json!([]), "{q}");
}

/// Jessica's invitation for the slot she proposed (Tue 1 Dec, 14:00 UTC), into the Maildir.
fn jessica_invites(env: &Env) {
    let invite = INVITE
        .replace("bob@example.test", "jessica@example.com")
        .replace("Bob Stone", "Jessica Park")
        .replace("me@example.test", "ada@example.org")
        .replace("20261208T150000Z", "20261201T140000Z")
        .replace("20261208T153000Z", "20261201T143000Z")
        .replace("METHOD", "REQUEST")
        .replace("SEQ", "0");
    env.deliver("1764100100.jessica.example:2,", &invite);
    env.rapport(&["sync"]).ok();
}

#[test]
fn an_invitation_for_a_proposed_time_settles_the_proposal_and_merges_a_confirmed_one() {
    // Not confirmed yet: the invitation covers the proposal, which asks no more.
    let env = env_with_proposal();
    proposal_id(&env);
    jessica_invites(&env);
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(listed[0]["uid"], "bob-slot-1@example.test", "{listed:?}");
    let all = meetings(&env, true);
    assert!(all.iter().any(|m| m["status"] == "scheduled"), "{all:?}");

    // Confirmed first: the invitation is the same meeting, with its UID and time.
    let env = env_with_proposal();
    let id = proposal_id(&env).to_string();
    env.rapport(&["meeting", "confirm", &id]).ok();
    jessica_invites(&env);
    let listed = meetings(&env, false);
    assert_eq!(listed.len(), 1, "one meeting: {listed:?}");
    assert_eq!(listed[0]["uid"], "bob-slot-1@example.test", "{listed:?}");
    assert_eq!(
        listed[0]["end"], "2026-12-01T14:30:00Z",
        "the invitation's time"
    );
}

const INVITE: &str = "From: Bob Stone <bob@example.test>\n\
To: me@example.test\n\
Subject: Invitation: Ada / Bob @ Tue Dec 8, 2026 3pm\n\
Date: Tue, 01 Dec 2026 09:00:00 +0000\n\
Message-ID: <bob-invite@example.test>\n\
MIME-Version: 1.0\n\
Content-Type: multipart/alternative; boundary=\"b1\"\n\
\n\
--b1\n\
Content-Type: text/plain; charset=UTF-8\n\
\n\
Join Zoom Meeting https://zoom.us/j/5551234567\n\
--b1\n\
Content-Type: text/calendar; charset=UTF-8; method=METHOD\n\
\n\
BEGIN:VCALENDAR\n\
METHOD:METHOD\n\
VERSION:2.0\n\
PRODID:-//Example//Calendar//EN\n\
BEGIN:VEVENT\n\
DTSTART:20261208T150000Z\n\
DTEND:20261208T153000Z\n\
UID:bob-slot-1@example.test\n\
SEQUENCE:SEQ\n\
ORGANIZER:mailto:bob@example.test\n\
ATTENDEE;PARTSTAT=NEEDS-ACTION:mailto:me@example.test\n\
SUMMARY:Ada / Bob\n\
DESCRIPTION:Join Zoom Meeting https://zoom.us/j/5551234567\n\
END:VEVENT\n\
END:VCALENDAR\n\
--b1--\n";

#[test]
fn a_meeting_recorded_by_hand_and_its_invitation_are_one_meeting_until_cancelled() {
    let s = TestServers::start();
    let mut env = Env::with_config(&s.rapport_config());
    env.now = "2026-12-01T08:00:00Z".into();
    env.add_contact("bob@example.test", "Bob Stone");
    env.rapport(&["meeting", "add", "bob", "--at", "2026-12-08T15:00"])
        .ok();

    env.now = "2026-12-01T10:00:00Z".into();
    let invite = INVITE.replace("METHOD", "REQUEST").replace("SEQ", "0");
    s.deliver("me", invite.as_bytes());
    env.rapport(&["sync"]).ok();
    let listed = meetings(&env, true);
    assert_eq!(listed.len(), 1, "one meeting, not two: {listed:?}");
    assert_eq!(listed[0]["uid"], "bob-slot-1@example.test", "{listed:?}");
    assert_eq!(listed[0]["start"], "2026-12-08T15:00:00Z", "{listed:?}");
    assert_eq!(
        listed[0]["end"], "2026-12-08T15:30:00Z",
        "the invitation's time"
    );
    let brief = env.rapport(&["brief", "bob"]).ok().stdout;
    assert!(
        brief.contains("https://zoom.us/j/5551234567"),
        "the brief has the invitation's link: {brief}"
    );

    env.now = "2026-12-02T10:00:00Z".into();
    let cancel = INVITE
        .replace("METHOD", "CANCEL")
        .replace("SEQ", "1")
        .replace("<bob-invite@", "<bob-cancel@")
        .replace("Invitation:", "Canceled:");
    s.deliver("me", cancel.as_bytes());
    env.rapport(&["sync"]).ok();
    assert!(
        meetings(&env, false).is_empty(),
        "{:?}",
        meetings(&env, true)
    );
    let show = env.rapport(&["contacts", "show", "bob"]).ok().stdout;
    assert!(
        show.contains("meeting cancelled"),
        "the timeline says so: {show}"
    );

    env.now = "2026-12-09T10:00:00Z".into();
    env.rapport(&["plan"]).ok();
    assert_eq!(thank_yous(&env), 0, "no thank-you for a cancelled meeting");
}
