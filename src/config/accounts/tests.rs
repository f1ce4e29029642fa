use std::path::Path;

use super::super::{ConfigError, Loaded, parse};
use super::DEFAULT_ACCOUNT;

const TWO: &str = r#"
[identity]
name = "Ada Lovelace"
timezone = "Europe/London"

[policy]
daily_send_cap = 20

[[accounts]]
name = "personal"
email = "ada@home.example"
aliases = ["a@home.example"]
[accounts.imap]
host = "127.0.0.1"
security = "none"
password_env = "P1"
[accounts.smtp]
transport = "file"
file_dir = "/tmp/out1"

[[accounts]]
name = "work"
email = "ada@work.example"
daily_send_cap = 3
[accounts.imap]
host = "127.0.0.1"
security = "none"
password_env = "P2"
[accounts.smtp]
transport = "file"
file_dir = "/tmp/out2"
[accounts.send_window]
days = ["sat"]
start = "10:00"
end = "11:00"
"#;

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(Path::new("/home/ada/.config/rapport/config.toml"), text)
}

#[test]
fn two_accounts_give_two_views_each_with_its_own_server_cap_and_window() {
    let c = parse_str(TWO).unwrap();
    assert_eq!(c.account_names(), ["personal", "work"]);
    assert!(c.several_accounts());
    // `load` answers with the first account's view.
    assert_eq!(c.account, "personal");
    assert_eq!(c.config.identity.email, "ada@home.example");
    let work = c.for_account("work").unwrap();
    assert_eq!(work.config.identity.email, "ada@work.example");
    assert_eq!(work.config.policy.daily_send_cap, 3);
    assert_eq!(work.window.days, [jiff::civil::Weekday::Saturday]);
    assert_eq!(
        work.config.imap.unwrap().login.password_env.as_deref(),
        Some("P2")
    );
    let personal = c.for_account("personal").unwrap();
    assert_eq!(personal.config.policy.daily_send_cap, 20);
    assert_eq!(personal.window.days.len(), 5);
    assert!(c.for_account("nobody").is_none());
    assert_eq!(c.for_account_or_first("default").account, "personal");
}

#[test]
fn every_view_counts_every_accounts_addresses_as_the_users() {
    let c = parse_str(TWO).unwrap();
    for view in c.account_views() {
        let mine = crate::mail::sync::user_addresses(&view);
        for a in ["ada@home.example", "a@home.example", "ada@work.example"] {
            assert!(mine.contains(&a.to_string()), "{}: {mine:?}", view.account);
        }
    }
    assert_eq!(
        c.account_of_address("A@Home.example").as_deref(),
        Some("personal")
    );
    assert_eq!(
        c.account_of_address("ada@work.example").as_deref(),
        Some("work")
    );
    assert_eq!(c.account_of_address("bob@example.com"), None);
}

#[test]
fn the_single_account_form_is_one_account_named_default() {
    let text = r#"
[identity]
name = "Ada"
email = "ada@example.com"
[smtp]
transport = "file"
file_dir = "/tmp/out"
"#;
    let c = parse_str(text).unwrap();
    assert_eq!(c.account, DEFAULT_ACCOUNT);
    assert_eq!(c.account_names(), [DEFAULT_ACCOUNT]);
    assert!(!c.several_accounts());
    assert_eq!(c.state_key("imap"), "imap");
    assert_eq!(
        c.account_of_address("ada@example.com").as_deref(),
        Some("default")
    );
}

#[test]
fn state_keys_of_later_accounts_carry_their_name() {
    let c = parse_str(TWO).unwrap();
    assert_eq!(c.state_key("imap"), "imap");
    assert_eq!(
        c.for_account("work").unwrap().state_key("imap"),
        "imap:work"
    );
}

#[test]
fn both_forms_at_once_are_refused_with_the_fix() {
    for (extra, named) in [
        (
            "[imap]\nhost = \"imap.example\"\npassword_env = \"X\"\n",
            "[imap]",
        ),
        (
            "[smtp]\ntransport = \"file\"\nfile_dir = \"/tmp\"\n",
            "[smtp]",
        ),
    ] {
        let text = format!("{extra}\n{TWO}");
        let e = parse_str(&text).unwrap_err().to_string();
        assert!(e.contains("both [[accounts]]") && e.contains(named), "{e}");
        assert!(e.contains("move"), "{e}");
    }
    let text = TWO.replace("timezone = \"Europe/London\"", "email = \"ada@x.example\"");
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("[identity] email"), "{e}");
}

#[test]
fn a_name_or_address_used_twice_is_refused() {
    let text = TWO.replace("name = \"work\"", "name = \"personal\"");
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("two accounts are named \"personal\""), "{e}");
    let text = TWO.replace("email = \"ada@work.example\"", "email = \"a@home.example\"");
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("belongs to both account"), "{e}");
    let text = TWO.replace("name = \"work\"", "name = \"my work\"");
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("letters, digits"), "{e}");
}

#[test]
fn an_account_without_a_mailbox_or_with_a_bad_number_is_refused() {
    let text = TWO.replace(
        "[accounts.imap]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\npassword_env = \"P2\"\n",
        "",
    );
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(e.contains("account \"work\" has no mailbox"), "{e}");
    let text = TWO.replace("daily_send_cap = 3", "daily_send_cap = 100000");
    let e = parse_str(&text).unwrap_err().to_string();
    assert!(
        e.contains("account \"work\"") && e.contains("out of range"),
        "{e}"
    );
}
