use super::*;
use jiff::civil::date;

fn unfold(text: &str) -> Vec<String> {
    contentline::unfold(text, MAX_LINES)
        .into_iter()
        .map(|l| l.text)
        .collect()
}

#[test]
fn unfolds_and_parses_params() {
    let lines = unfold(
        "ATTENDEE;CN=\"Doe, Jane\";PARTSTAT=ACCEPTED:mai\r\n lto:jane@x.org\r\nSUMMARY:a\\, b",
    );
    assert_eq!(lines.len(), 2);
    let p = parse_line(lines.first().map_or("", String::as_str)).unwrap();
    assert_eq!(p.name, "ATTENDEE");
    assert_eq!(p.param("CN"), Some("Doe, Jane"));
    assert_eq!(p.param("PARTSTAT"), Some("ACCEPTED"));
    assert_eq!(cal_address(&p.value), "jane@x.org");
    let s = parse_line(lines.get(1).map_or("", String::as_str)).unwrap();
    assert_eq!(unescape(&s.value), "a, b");
}

#[test]
fn vcal_quoted_printable_values() {
    let p = parse_line("SUMMARY;ENCODING=QUOTED-PRINTABLE:caf=C3=A9").unwrap();
    assert_eq!(p.value, "café");
    let lines = unfold("DESCRIPTION;ENCODING=QUOTED-PRINTABLE:a=\nb\nX:1");
    assert_eq!(
        lines.first().map(String::as_str),
        Some("DESCRIPTION;ENCODING=QUOTED-PRINTABLE:ab")
    );
}

#[test]
fn durations() {
    assert_eq!(
        parse_duration("PT1H30M").map(|s| s.get_seconds()),
        Some(5400)
    );
    assert_eq!(
        parse_duration("P1W").map(|s| s.get_seconds()),
        Some(7 * 86400)
    );
    assert_eq!(
        parse_duration("-P1DT1S").map(|s| s.get_seconds()),
        Some(-86401)
    );
    assert!(parse_duration("1H").is_none());
    assert!(parse_duration("P99999999999999999999D").is_none());
}

#[test]
fn nesting_is_bounded_and_unterminated_components_survive() {
    let text = "BEGIN:A\n".repeat(1000) + "X:1\n";
    let roots = parse(&text);
    assert_eq!(roots.len(), 1);
    let cal = parse("BEGIN:VCALENDAR\nMETHOD:REQUEST\nBEGIN:VEVENT\nUID:1\n");
    assert_eq!(cal.first().and_then(|c| c.value("METHOD")), Some("REQUEST"));
    assert_eq!(cal.first().map(|c| c.children.len()), Some(1));
}

const OUTLOOK_TZ: &str = "BEGIN:VTIMEZONE\r\nTZID:(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\r\nBEGIN:STANDARD\r\nDTSTART:16010101T030000\r\nTZOFFSETFROM:+0200\r\nTZOFFSETTO:+0100\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=10\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r\nDTSTART:16010101T020000\r\nTZOFFSETFROM:+0100\r\nTZOFFSETTO:+0200\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r\nEND:DAYLIGHT\r\nEND:VTIMEZONE\r\n";

fn outlook() -> VTimezone {
    let c = parse(OUTLOOK_TZ);
    vtimezone(c.first().unwrap()).unwrap()
}

#[test]
fn vtimezone_rrule_switches_on_last_sundays() {
    let tz = outlook();
    let off = |dt: DateTime| tz.offset_at(dt).map(Offset::seconds);
    // 2026: DST from 29 March 02:00 to 25 October 03:00.
    assert_eq!(off(date(2026, 3, 29).at(1, 59, 0, 0)), Some(3600));
    assert_eq!(off(date(2026, 3, 29).at(3, 0, 0, 0)), Some(7200));
    assert_eq!(off(date(2026, 7, 1).at(12, 0, 0, 0)), Some(7200));
    assert_eq!(off(date(2026, 10, 25).at(3, 0, 0, 0)), Some(3600));
    assert_eq!(off(date(2026, 12, 3).at(10, 0, 0, 0)), Some(3600));
    assert_eq!(off(date(2027, 1, 2).at(10, 0, 0, 0)), Some(3600));
}

#[test]
fn vtimezone_us_second_sunday_and_rdates() {
    let text = "BEGIN:VTIMEZONE\nTZID:Eastern\nBEGIN:STANDARD\nDTSTART:20071104T020000\nTZOFFSETFROM:-0400\nTZOFFSETTO:-0500\nRRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20070311T020000\nTZOFFSETFROM:-0500\nTZOFFSETTO:-0400\nRRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU\nEND:DAYLIGHT\nEND:VTIMEZONE";
    let tz = vtimezone(parse(text).first().unwrap()).unwrap();
    // 2026-03-08 is the second Sunday of March.
    assert_eq!(
        tz.offset_at(date(2026, 3, 7).at(12, 0, 0, 0))
            .map(Offset::seconds),
        Some(-18000)
    );
    assert_eq!(
        tz.offset_at(date(2026, 3, 8).at(12, 0, 0, 0))
            .map(Offset::seconds),
        Some(-14400)
    );
    // Before the first onset (DAYLIGHT from 2007-03-11): that
    // observance's TZOFFSETFROM.
    assert_eq!(
        tz.offset_at(date(2000, 1, 1).at(0, 0, 0, 0))
            .map(Offset::seconds),
        Some(-18000)
    );
    let rd = "BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20260601T000000\nRDATE:20260601T000000,20270601T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0300\nEND:DAYLIGHT\nEND:VTIMEZONE";
    let tz = vtimezone(parse(rd).first().unwrap()).unwrap();
    assert_eq!(
        tz.offset_at(date(2026, 7, 1).at(0, 0, 0, 0))
            .map(Offset::seconds),
        Some(10800)
    );
}

#[test]
fn resolve_time_orders_sources() {
    let tzs = vec![outlook()];
    let berlin = TimeZone::get("Europe/Berlin").unwrap();
    let mk = |line: &str| parse_line(line).unwrap();
    let r = resolve_time(&mk("DTSTART;TZID=\"(UTC+01:00) Amsterdam, Berlin, Bern, Rome, Stockholm, Vienna\":20261203T100000"), &tzs, &TimeZone::UTC).unwrap();
    assert_eq!(r.at.to_string(), "2026-12-03T09:00:00Z");
    let r = resolve_time(
        &mk("DTSTART;TZID=Pacific Standard Time:20260701T090000"),
        &[],
        &berlin,
    )
    .unwrap();
    assert_eq!(r.at.to_string(), "2026-07-01T16:00:00Z");
    let r = resolve_time(
        &mk("DTSTART;TZID=Europe/London:20140130T140000Z"),
        &[],
        &berlin,
    )
    .unwrap();
    assert_eq!(r.at.to_string(), "2014-01-30T14:00:00Z");
    let r = resolve_time(&mk("DTSTART:20261203T100000"), &[], &berlin).unwrap();
    assert_eq!(r.at.to_string(), "2026-12-03T09:00:00Z");
    let r = resolve_time(&mk("DTSTART;VALUE=DATE:20261203"), &[], &berlin).unwrap();
    assert!(r.all_day);
    assert_eq!(r.at.to_string(), "2026-12-02T23:00:00Z");
    let r = resolve_time(&mk("DTSTART;TZID=Nowhere:20261203T100000"), &[], &berlin).unwrap();
    assert!(r.how.contains("unknown TZID"));
    assert!(resolve_time(&mk("DTSTART:2026"), &[], &berlin).is_none());
    assert!(resolve_time(&mk("DTSTART:20261340T100000"), &[], &berlin).is_none());
}
