//! `review`'s [l]ater asks until when, as `rapport mark … --intent later --until` takes
//! it: a date it cannot read is said and asked again, Enter keeps rapport's reading.

use super::*;

#[test]
fn review_later_asks_until_when_and_records_the_date() {
    let env = env_with_unsure_reply_and_inbound_request();
    let pty = Pty::start(&env, "review");
    pty.wait_item("[1/2] Reply from Jessica Park");
    pty.keys("l");
    pty.wait_for("Until when?");
    pty.keys("in March\n");
    let s = pty.wait_for("is not a date like 2027-03-01");
    assert!(s.contains("\"in March\""), "names what was typed: {s}");
    pty.keys("2027-03-01\n");
    let s = pty.wait_item("[2/2] Omar Haddad");
    assert!(s.contains("later"), "the correction is said: {s}");
    pty.keys("q");
    let s = pty.wait_for("RAPPORT-EXIT=0");
    assert!(s.contains("1 corrected"), "{s}");
    let why = env
        .rapport(&["why", "jp-2@mail.example.com", "--json"])
        .ok()
        .json();
    assert_eq!(why["intent"], "later", "{why}");
    assert_eq!(why["later_until"], "2027-03-01", "{why}");
}

#[test]
fn review_later_with_enter_keeps_rapports_reading_of_the_date() {
    let env = env_with_unsure_reply_and_inbound_request();
    let pty = Pty::start(&env, "review");
    pty.wait_item("[1/2] Reply from Jessica Park");
    pty.keys("l");
    pty.wait_for("Until when?");
    pty.keys("\n");
    pty.wait_item("[2/2] Omar Haddad");
    pty.keys("q");
    pty.wait_for("RAPPORT-EXIT=0");
    let why = env
        .rapport(&["why", "jp-2@mail.example.com", "--json"])
        .ok()
        .json();
    assert_eq!(why["intent"], "later", "{why}");
    assert!(why["later_until"].is_null(), "no date was named: {why}");
}
