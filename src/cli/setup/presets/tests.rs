use super::*;

#[test]
fn every_preset_makes_a_valid_config_with_its_servers() {
    use clap::ValueEnum;
    for p in Provider::value_variants() {
        let (text, todo) = apply(*p, super::super::EXAMPLE_CONFIG);
        let loaded = crate::config::parse(std::path::Path::new("x.toml"), &text)
            .unwrap_or_else(|e| panic!("{p:?}: {e}\n{text}"));
        let want = preset(*p);
        let smtp = &loaded.config.smtp;
        assert_eq!(smtp.host, want.smtp.host, "{p:?}");
        assert_eq!(smtp.port, Some(want.smtp.port), "{p:?}");
        assert_eq!(smtp.security, want.smtp.security, "{p:?}");
        assert_eq!(smtp.login.auth, want.auth, "{p:?}");
        let imap = loaded.config.imap.as_ref().unwrap();
        assert_eq!(imap.host, want.imap.host, "{p:?}");
        assert_eq!(imap.port, Some(want.imap.port), "{p:?}");
        assert_eq!(imap.login.auth, want.auth, "{p:?}");
        assert_eq!(imap.login.token_command.is_some(), want.auth.is_oauth2());
        assert!(todo.contains("password") || todo.contains("token"), "{p:?}");
    }
}
