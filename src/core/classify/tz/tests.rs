use super::*;

#[test]
fn every_windows_zone_resolves_in_the_database() {
    assert!(WINDOWS_ZONES.len() >= 40);
    for (w, i) in WINDOWS_ZONES {
        assert!(TimeZone::get(i).is_ok(), "{w} -> {i} does not resolve");
    }
}

#[test]
fn windows_names_map_case_insensitively() {
    assert_eq!(
        windows_to_iana("W. Europe Standard Time"),
        Some("Europe/Berlin")
    );
    assert_eq!(
        windows_to_iana("pacific standard time"),
        Some("America/Los_Angeles")
    );
    assert_eq!(
        windows_to_iana("\"GMT Standard Time\""),
        Some("Europe/London")
    );
    assert_eq!(
        windows_to_iana("Pacific Standard Time (Mexico)"),
        Some("America/Tijuana")
    );
    assert_eq!(windows_to_iana("Atlantis Standard Time"), None);
    assert_eq!(windows_to_iana("FLE"), Some("Europe/Kiev"));
    assert_eq!(windows_to_iana(""), None);
}

#[test]
fn iana_with_vendor_prefix() {
    let tz = iana("/mozilla.org/20050126_1/Europe/Berlin");
    assert_eq!(
        tz.and_then(|t| t.iana_name().map(String::from)).as_deref(),
        Some("Europe/Berlin")
    );
    assert!(iana("Not/AZone").is_none());
}

fn name_of(label: &str) -> Option<String> {
    resolve_label(label).and_then(|(tz, _)| tz.iana_name().map(String::from))
}

#[test]
fn labels_from_scheduling_tools() {
    assert_eq!(name_of("(Europe/Berlin)").as_deref(), Some("Europe/Berlin"));
    assert_eq!(
        name_of("Central European Time").as_deref(),
        Some("Europe/Berlin")
    );
    assert_eq!(
        name_of("Eastern Time (US and Canada)").as_deref(),
        Some("America/New_York")
    );
    assert_eq!(
        name_of("Amsterdam, Berlin, Rome, Stockholm, Vienna").as_deref(),
        Some("Europe/Amsterdam")
    );
    assert_eq!(
        name_of("(UTC+01:00) Amsterdam, Berlin, Bern").as_deref(),
        Some("Europe/Amsterdam")
    );
    assert_eq!(name_of("CET").as_deref(), Some("Europe/Berlin"));
    assert_eq!(name_of("New York").as_deref(), Some("America/New_York"));
    let (tz, _) = resolve_label("GMT+05:30").unwrap_or((TimeZone::UTC, String::new()));
    let off = tz.to_offset(jiff::Timestamp::UNIX_EPOCH);
    assert_eq!(off.seconds(), 5 * 3600 + 1800);
    assert!(resolve_label("Narnia Time").is_none());
}
