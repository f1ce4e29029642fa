use std::path::Path;

use jiff::ToSpan;
use proptest::prelude::*;

use super::*;
use crate::config::{Loaded, parse};

const BASE: &str = "[identity]\nname = \"Ada\"\nemail = \"ada@example.com\"\ntimezone = \"Europe/London\"\n\n\
[smtp]\ntransport = \"file\"\nfile_dir = \"/tmp/out\"\n\n\
[imap]\nhost = \"127.0.0.1\"\nsecurity = \"none\"\npassword_env = \"P\"\n\n\
[maildir]\npath = \"/tmp/mail\"\n";

/// BASE with `key = value` written into its section (added at the end when the section
/// is not in BASE).
fn with(key: &str, value: &str) -> String {
    let (section, name) = key.split_once('.').unwrap();
    let header = format!("[{section}]\n");
    match BASE.find(&header) {
        Some(at) => {
            let at = at + header.len();
            format!("{}{name} = {value}\n{}", &BASE[..at], &BASE[at..])
        }
        None => format!("{BASE}\n{header}{name} = {value}\n"),
    }
}

fn load(text: &str) -> Result<Loaded, crate::config::ConfigError> {
    parse(Path::new("/home/ada/.config/rapport/config.toml"), text)
}

/// What the code does with the numbers that become spans and durations; none of it may
/// panic for an accepted config.
fn use_the_numbers(cfg: &Loaded) {
    let now: jiff::Timestamp = "2026-11-22T09:00:00Z".parse().unwrap();
    if let Some(imap) = &cfg.config.imap {
        // As the IMAP sync computes its SEARCH SINCE date.
        let since = now
            .to_zoned_datetime(cfg.tz.clone())
            .checked_sub(i64::from(imap.lookback_days).days());
        assert!(since.is_ok(), "lookback_days {}", imap.lookback_days);
        let _ = std::time::Instant::now() + std::time::Duration::from_secs(imap.poll_seconds);
        let _ = std::time::Instant::now() + std::time::Duration::from_secs(imap.timeout_seconds);
    }
    let p = &cfg.config.policy;
    let zoned = now.to_zoned_datetime(cfg.tz.clone());
    for days in [p.nudge_after_days, p.dormant_after_days] {
        assert!(zoned.checked_add(i64::from(days).days()).is_ok());
    }
    assert!(
        now.checked_add(i64::from(p.thank_you_after_hours).hours())
            .is_ok()
    );
    for months in [
        cfg.config.tiers.close_months,
        cfg.config.tiers.regular_months,
        cfg.config.tiers.acquaintance_months,
    ] {
        assert!(zoned.checked_add(i64::from(months).months()).is_ok());
    }
    let _ = std::time::Instant::now() + std::time::Duration::from_secs(p.retry_seconds);
    let planner = crate::followup::policy(cfg);
    assert_eq!(planner.nudge_after_days, p.nudge_after_days);
}

#[test]
fn the_base_is_valid_and_every_key_is_read_from_it() {
    let cfg = load(BASE).unwrap();
    use_the_numbers(&cfg);
    for l in LIMITS {
        let text = with(l.key, &l.max.to_string());
        let cfg = load(&text).unwrap_or_else(|e| panic!("{}: {e}", l.key));
        assert_eq!(
            value(&cfg.config, l.key),
            Some(l.max),
            "{} is not read",
            l.key
        );
        use_the_numbers(&cfg);
    }
}

#[test]
fn a_huge_lookback_is_a_clean_error_naming_the_key_and_its_line() {
    let text = with("imap.lookback_days", "10000000");
    let e = load(&text).unwrap_err();
    assert_eq!(e.key.as_deref(), Some("imap.lookback_days"));
    let line = text
        .lines()
        .position(|l| l.starts_with("lookback_days"))
        .unwrap()
        + 1;
    assert_eq!(e.line, Some(line));
    assert!(e.to_string().contains("from 1 to 36500 days"), "{e}");
}

#[test]
fn invalid_utf8_names_its_line_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    let mut bytes = BASE.as_bytes().to_vec();
    let at = BASE.find("Ada").unwrap() + 1;
    bytes.splice(at..at, [0xe9, b'l']);
    std::fs::write(&path, &bytes).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
    let e = crate::config::load(&path).unwrap_err();
    assert_eq!(e.line, Some(2), "{e}");
    assert!(
        e.to_string().contains(":2: column 10 is not valid UTF-8"),
        "{e}"
    );
}

fn any_value() -> impl Strategy<Value = u64> {
    prop_oneof![
        0u64..100,
        0u64..100_000,
        any::<u32>().prop_map(u64::from),
        // TOML integers are i64.
        0u64..=(i64::MAX as u64),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Every number is either accepted and usable, or refused with the key, its line and
    /// the range; never a panic.
    #[test]
    fn every_number_is_accepted_exactly_in_its_range(i in 0..LIMITS.len(), v in any_value()) {
        let l = &LIMITS[i];
        let text = with(l.key, &v.to_string());
        let fits_type = value_fits_type(l.key, v);
        match load(&text) {
            Ok(cfg) => {
                prop_assert!(v >= l.min && v <= l.max, "{} = {v} accepted", l.key);
                prop_assert_eq!(value(&cfg.config, l.key), Some(v));
                use_the_numbers(&cfg);
            }
            Err(e) => {
                prop_assert!(!(v >= l.min && v <= l.max && fits_type), "{} = {v} refused: {e}", l.key);
                let line = text.lines().position(|t| {
                    t.starts_with(&format!("{} =", l.key.split_once('.').unwrap().1))
                }).unwrap() + 1;
                prop_assert_eq!(e.line, Some(line), "{}", e);
                if fits_type {
                    prop_assert_eq!(e.key.as_deref(), Some(l.key));
                }
            }
        }
    }
}

/// Whether `v` fits the Rust type the key is read into (else TOML refuses it first).
fn value_fits_type(key: &str, v: u64) -> bool {
    match key {
        "smtp.port" | "imap.port" => u16::try_from(v).is_ok(),
        "smtp.timeout_seconds"
        | "imap.timeout_seconds"
        | "imap.poll_seconds"
        | "policy.retry_seconds" => true,
        _ => u32::try_from(v).is_ok(),
    }
}
