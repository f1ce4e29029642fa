use std::path::Path;

use super::*;

const MINIMAL: &str = r#"
[identity]
name = "Ada Lovelace"
email = "ada@example.com"
timezone = "Europe/London"

[smtp]
transport = "file"
file_dir = "/tmp/out"
"#;

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(Path::new("/home/ada/.config/rapport/config.toml"), text)
}

#[test]
fn minimal_config_gets_the_documented_defaults() {
    let c = parse_str(MINIMAL).unwrap();
    assert_eq!(c.config.policy.daily_send_cap, 20);
    assert_eq!(c.window.days.len(), 5);
    assert_eq!(c.window.start, Time::new(9, 0, 0, 0).unwrap());
    assert_eq!(c.window.end, Time::new(17, 0, 0, 0).unwrap());
    assert_eq!(c.config.tiers.regular_months, 3);
    assert_eq!(c.tz.iana_name(), Some("Europe/London"));
}

#[test]
fn unknown_key_names_key_and_line() {
    let text = format!("{MINIMAL}\n[policy]\ndaily_send_cop = 3\n");
    let e = parse_str(&text).unwrap_err();
    let s = e.to_string();
    assert_eq!(e.line, Some(12), "{s}");
    assert_eq!(e.key.as_deref(), Some("policy.daily_send_cop"), "{s}");
    assert!(s.contains("config.toml:12"), "{s}");
    assert!(s.contains("unknown field"), "{s}");
}

#[test]
fn literal_password_is_refused_with_the_fix() {
    let text = r#"
[identity]
name = "A"
email = "a@example.com"

[smtp]
host = "smtp.example.com"
password = "hunter2"
"#;
    let e = parse_str(text).unwrap_err();
    let s = e.to_string();
    assert_eq!(e.line, Some(8));
    assert!(s.contains("password_command"), "{s}");
    assert!(!s.contains("hunter2"), "the secret must not be echoed: {s}");
}

#[test]
fn plaintext_is_refused_for_remote_hosts_only() {
    let remote = r#"
[identity]
name = "A"
email = "a@example.com"
[smtp]
host = "smtp.example.com"
security = "none"
password_env = "P"
"#;
    let e = parse_str(remote).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.security"));
    assert_eq!(e.line, Some(7));
    let local = remote.replace("smtp.example.com", "127.0.0.1");
    assert!(parse_str(&local).is_ok());
    let ip6 = remote.replace("smtp.example.com", "::1");
    assert!(parse_str(&ip6).is_ok());
    let lan = remote.replace("smtp.example.com", "192.168.1.5");
    assert!(parse_str(&lan).is_err());
}

#[test]
fn bad_timezone_and_window_name_the_key() {
    let tz = MINIMAL.replace("Europe/London", "Mars/Olympus");
    let e = parse_str(&tz).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("identity.timezone"));
    assert_eq!(e.line, Some(5));

    let w = format!("{MINIMAL}[send_window]\ndays = [\"mon\", \"funday\"]\n");
    let e = parse_str(&w).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("send_window.days"));
    assert!(e.to_string().contains("funday"));

    let w = format!("{MINIMAL}[send_window]\nstart = \"18:00\"\nend = \"09:00\"\n");
    assert_eq!(
        parse_str(&w).unwrap_err().key.as_deref(),
        Some("send_window.end")
    );
    let w = format!("{MINIMAL}[send_window]\nstart = \"9am\"\n");
    assert_eq!(
        parse_str(&w).unwrap_err().key.as_deref(),
        Some("send_window.start")
    );
}

#[test]
fn smtp_needs_a_password_source() {
    let text = r#"
[identity]
name = "A"
email = "a@example.com"
[smtp]
host = "smtp.example.com"
"#;
    let e = parse_str(text).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.password_command"));
    assert!(e.to_string().contains("password_env"));
}

#[test]
fn syntax_error_has_a_line() {
    let e = parse_str("[identity\nname = 1").unwrap_err();
    assert_eq!(e.line, Some(1), "{e}");
}

#[test]
fn loopback_hosts() {
    for h in ["127.0.0.1", "127.0.0.2", "localhost", "::1", "[::1]"] {
        assert!(is_loopback_host(h), "{h}");
    }
    for h in ["10.0.0.1", "example.com", "", "127.0.0.1.example.com"] {
        assert!(!is_loopback_host(h), "{h}");
    }
}

#[test]
fn addresses() {
    let identity = |email: &str| MINIMAL.replace("ada@example.com", email);
    assert!(parse_str(&identity("a.b@example.co.uk")).is_ok());
    for bad in [
        "a",
        "a@b",
        "@b.c",
        "a@.c",
        "a b@c.d",
        "a@b.c\\r\\nBcc: x@y.z",
    ] {
        let e = parse_str(&identity(bad)).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("identity.email"), "{bad}");
    }
}

/// The example with every commented-out `key = value` line switched on.
fn example_with_everything_on() -> String {
    include_str!("../../config.example.toml")
        .lines()
        .map(|l| {
            let t = l.trim_start_matches("# ");
            let is_setting = t.starts_with('[')
                || t.split_once(" = ").is_some_and(|(k, _)| {
                    !k.is_empty() && k.chars().all(|c| c.is_ascii_lowercase() || c == '_')
                });
            if l.starts_with("# ") && is_setting {
                t
            } else {
                l
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn the_example_documents_exactly_the_keys_that_exist() {
    // Every key it shows exists (unknown keys would be refused) ...
    let text = example_with_everything_on();
    let config: Config = toml::from_str(&text).unwrap_or_else(|e| panic!("{e}\n{text}"));
    // ... and every key that exists with a value (all but unset optional ones) is shown.
    let table = toml::Table::try_from(&config).unwrap();
    for (section, value) in &table {
        let Some(keys) = value.as_table() else {
            continue;
        };
        assert!(
            text.contains(&format!("[{section}]")),
            "section [{section}] undocumented"
        );
        for key in keys.keys() {
            assert!(
                text.lines()
                    .any(|l| l.trim_start().starts_with(&format!("{key} ="))),
                "{section}.{key} is not in config.example.toml"
            );
        }
    }
    // The plain example (as `rapport init` writes it) is valid as it stands.
    parse(
        Path::new("example.toml"),
        include_str!("../../config.example.toml"),
    )
    .unwrap();
}

/// Issue 20.13: a digest time that is no time of day is refused when the config is read.
#[test]
fn digest_at_must_be_a_time_of_day() {
    for bad in ["25:00", "24:00", "8am", "", "12:60"] {
        let text = format!("{MINIMAL}[digest]\nat = \"{bad}\"\n");
        let e = parse_str(&text).unwrap_err();
        assert_eq!(e.key.as_deref(), Some("digest.at"), "{bad}: {e}");
        assert!(e.to_string().contains("time of day"), "{e}");
    }
    for good in ["08:00", "23:59", "00:00"] {
        let text = format!("{MINIMAL}[digest]\nat = \"{good}\"\n");
        assert!(parse_str(&text).is_ok(), "{good}");
    }
}

#[test]
fn a_secret_in_the_text_is_found_and_commands_alone_are_not_secrets() {
    use super::load::secret_in;
    assert_eq!(
        secret_in("password_command = \"pass show mail/imap\"\n"),
        None
    );
    assert_eq!(
        secret_in("url = \"https://cal.example.com/feed.ics\"\n"),
        None
    );
    assert_eq!(secret_in("url = \"https://me@cal.example.com/x\"\n"), None);
    assert!(secret_in("url = \"https://me:hunter2@cal.example.com/x\"\n").is_some());
    assert!(secret_in("password_command = \"gpg --passphrase hunter2 -d pw.gpg\"\n").is_some());
    assert_eq!(
        secret_in("# url = \"https://me:hunter2@cal.example.com/x\"\n"),
        None,
        "a comment is not in force"
    );
}

#[cfg(unix)]
#[test]
fn mode_640_is_accepted_and_a_file_others_can_change_is_not() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let text = "[identity]\nname = \"A\"\n";
    std::fs::write(&path, text).unwrap();
    for (mode, ok) in [
        (0o600, true),
        (0o640, true),
        (0o644, true),
        (0o620, false),
        (0o666, false),
    ] {
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(mode)).unwrap();
        assert_eq!(check_permissions(&path, text).is_ok(), ok, "{mode:o}");
    }
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
    let secret = "url = \"https://me:pw@x.example/\"\n";
    let e = check_permissions(&path, secret).unwrap_err();
    assert!(
        e.contains("holds a secret") && e.contains("chmod 600"),
        "{e}"
    );
}
