use std::path::Path;

use crate::config::{ConfigError, Loaded, parse};

const MINIMAL: &str = r#"
[identity]
name = "Ada Lovelace"
email = "ada@example.com"

[smtp]
transport = "file"
file_dir = "/tmp/out"
"#;

fn with(calendars: &str) -> Result<Loaded, ConfigError> {
    parse(
        Path::new("/home/ada/.config/rapport/config.toml"),
        &format!("{MINIMAL}\n{calendars}"),
    )
}

#[test]
fn a_feed_and_a_caldav_calendar_are_read_with_defaults() {
    let c = with(
        r#"
[[calendars]]
name = "personal"
kind = "ics"
url_command = "pass show feed"

[[calendars]]
name = "work"
kind = "caldav"
url = "https://dav.example.com/calendars/ada/work/"
username = "ada"
password_command = "pass dav"
poll_minutes = 5
"#,
    )
    .unwrap();
    let cals = &c.config.calendars;
    assert_eq!(cals.len(), 2);
    assert_eq!(cals[0].poll_minutes, 15);
    assert_eq!(cals[1].poll_minutes, 5);
    assert_eq!(cals[1].kind, super::CalendarKind::Caldav);
}

#[test]
fn no_calendars_is_an_empty_list() {
    assert!(with("").unwrap().config.calendars.is_empty());
}

fn error_of(calendars: &str) -> String {
    with(calendars).unwrap_err().to_string()
}

#[test]
fn a_caldav_calendar_without_a_password_says_which_keys() {
    let e = error_of(
        "[[calendars]]\nname = \"work\"\nkind = \"caldav\"\nurl = \"https://dav.example.com/\"\nusername = \"ada\"\n",
    );
    assert!(e.contains("calendar 'work'"), "{e}");
    assert!(e.contains("password_command"), "{e}");
}

#[test]
fn plain_http_to_a_remote_host_is_refused_without_quoting_the_address() {
    let e = error_of(
        "[[calendars]]\nname = \"g\"\nkind = \"ics\"\nurl = \"http://calendar.example.com/private-s3cr3t/basic.ics\"\n",
    );
    assert!(e.contains("https://"), "{e}");
    assert!(!e.contains("s3cr3t"), "{e}");
}

#[test]
fn loopback_http_and_files_are_accepted() {
    with("[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"http://127.0.0.1:8080/a.ics\"\n")
        .unwrap();
    with("[[calendars]]\nname = \"b\"\nkind = \"ics\"\nurl = \"file:///tmp/b.ics\"\n").unwrap();
}

#[test]
fn bad_names_kinds_and_intervals_are_refused() {
    let e = error_of("[[calendars]]\nname = \"my cal\"\nkind = \"ics\"\nurl = \"file:///x\"\n");
    assert!(e.contains("not a calendar name"), "{e}");
    let e = error_of("[[calendars]]\nname = \"a\"\nkind = \"webdav\"\nurl = \"file:///x\"\n");
    assert!(e.contains("unknown variant"), "{e}");
    let e = error_of(
        "[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"file:///x\"\npoll_minutes = 0\n",
    );
    assert!(e.contains("between 1 and 1440"), "{e}");
    let e = error_of(
        "[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"file:///x\"\n[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"file:///y\"\n",
    );
    assert!(e.contains("two calendars are named"), "{e}");
}

#[test]
fn a_feed_with_a_login_or_two_addresses_is_refused() {
    let e = error_of(
        "[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"file:///x\"\npassword_command = \"p\"\n",
    );
    assert!(e.contains("read without a login"), "{e}");
    let e = error_of(
        "[[calendars]]\nname = \"a\"\nkind = \"ics\"\nurl = \"file:///x\"\nurl_command = \"p\"\n",
    );
    assert!(e.contains("both url and url_command"), "{e}");
    let e = error_of("[[calendars]]\nname = \"a\"\nkind = \"ics\"\n");
    assert!(e.contains("has no url"), "{e}");
}
