use super::*;
use crate::config::{ConfigError, Loaded, parse};

fn parse_str(text: &str) -> Result<Loaded, ConfigError> {
    parse(
        std::path::Path::new("/home/a/.config/rapport/config.toml"),
        text,
    )
}

#[test]
fn login_keys_are_checked_and_unknown_ones_refused() {
    let base = r#"
[identity]
name = "A"
email = "a@example.com"
[smtp]
host = "smtp.example.com"
"#;
    let e = parse_str(&format!(
        "{base}password_env = \"P\"\npasword_command = \"x\"\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("unknown field"), "{e}");
    let ok = parse_str(&format!(
        "{base}auth = \"xoauth2\"\ntoken_command = \"pizauth show smtp\"\n"
    ))
    .unwrap();
    assert_eq!(ok.config.smtp.login.auth, AuthMethod::Xoauth2);
    assert_eq!(
        ok.config.smtp.login.token_command.as_deref(),
        Some("pizauth show smtp")
    );
    let e = parse_str(&format!("{base}auth = \"xoauth2\"\n")).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.token_command"), "{e}");
    let e = parse_str(&format!(
        "{base}auth = \"oauthbearer\"\ntoken_command = \"t\"\npassword_env = \"P\"\n"
    ))
    .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.password_env"), "{e}");
    let e = parse_str(&format!(
        "{base}password_env = \"P\"\ntoken_command = \"t\"\n"
    ))
    .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.token_command"), "{e}");
    let e = parse_str(&format!(
        "{base}password_env = \"P\"\nsecret_timeout_seconds = 0\n"
    ))
    .unwrap_err();
    assert_eq!(e.key.as_deref(), Some("smtp.secret_timeout_seconds"), "{e}");
    let e = parse_str(&format!(
        "{base}auth = \"kerberos\"\npassword_env = \"P\"\n"
    ))
    .unwrap_err();
    assert!(e.to_string().contains("kerberos"), "{e}");
}
