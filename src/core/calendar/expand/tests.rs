use jiff::civil::{DateTime, date};
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};

use super::*;

fn berlin(dt: DateTime) -> Option<Timestamp> {
    TimeZone::get("Europe/Berlin").ok()?.to_timestamp(dt).ok()
}

fn run(start: DateTime, rule: &str, horizon: &str) -> Vec<DateTime> {
    let rule = parse_rule(rule).unwrap();
    let horizon: Timestamp = horizon.parse().unwrap();
    let until = rule
        .until
        .as_deref()
        .map(|u| u.parse::<Timestamp>().unwrap());
    expand(start, &rule, until, horizon, &berlin)
}

#[test]
fn weekly_on_its_own_weekday_every_week_until_the_horizon() {
    let got = run(
        date(2026, 12, 1).at(10, 0, 0, 0),
        "FREQ=WEEKLY",
        "2026-12-31T00:00:00Z",
    );
    let days: Vec<i8> = got.iter().map(|d| d.day()).collect();
    assert_eq!(days, [1, 8, 15, 22, 29]);
    assert!(got.iter().all(|d| d.hour() == 10));
}

#[test]
fn weekly_byday_interval_and_count() {
    let got = run(
        date(2026, 12, 1).at(9, 30, 0, 0),
        "FREQ=WEEKLY;INTERVAL=2;BYDAY=TU,TH;COUNT=5",
        "2027-06-01T00:00:00Z",
    );
    let days: Vec<String> = got.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(
        days,
        [
            "2026-12-01",
            "2026-12-03",
            "2026-12-15",
            "2026-12-17",
            "2026-12-29"
        ]
    );
}

#[test]
fn until_stops_the_series_and_counts_the_last_one() {
    let got = run(
        date(2026, 12, 1).at(10, 0, 0, 0),
        "FREQ=DAILY;UNTIL=20261203T090000Z",
        "2027-01-01T00:00:00Z",
    );
    // 10:00 in Berlin is 09:00 UTC: the 3rd is the last.
    assert_eq!(got.len(), 3, "{got:?}");
}

#[test]
fn monthly_by_ordinal_weekday_and_last_day() {
    let got = run(
        date(2026, 12, 7).at(8, 0, 0, 0),
        "FREQ=MONTHLY;BYDAY=1MO",
        "2027-03-31T00:00:00Z",
    );
    let days: Vec<String> = got.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(
        days,
        ["2026-12-07", "2027-01-04", "2027-02-01", "2027-03-01"]
    );
    let got = run(
        date(2027, 1, 31).at(8, 0, 0, 0),
        "FREQ=MONTHLY;BYMONTHDAY=-1",
        "2027-04-15T00:00:00Z",
    );
    let days: Vec<String> = got.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(days, ["2027-01-31", "2027-02-28", "2027-03-31"]);
}

#[test]
fn monthly_on_the_31st_skips_short_months_and_yearly_repeats_the_date() {
    let got = run(
        date(2027, 1, 31).at(8, 0, 0, 0),
        "FREQ=MONTHLY",
        "2027-05-15T00:00:00Z",
    );
    let days: Vec<String> = got.iter().map(|d| d.date().to_string()).collect();
    assert_eq!(days, ["2027-01-31", "2027-03-31"]);
    let got = run(
        date(2026, 12, 24).at(18, 0, 0, 0),
        "FREQ=YEARLY;COUNT=3",
        "2040-01-01T00:00:00Z",
    );
    let years: Vec<i16> = got.iter().map(|d| d.year()).collect();
    assert_eq!(years, [2026, 2027, 2028]);
}

#[test]
fn a_rule_with_a_part_it_does_not_read_gives_the_first_occurrence_only() {
    let rule = parse_rule("FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1").unwrap();
    assert_eq!(rule.unread.as_deref(), Some("BYSETPOS=-1"));
    let got = run(
        date(2026, 12, 1).at(10, 0, 0, 0),
        "FREQ=MONTHLY;BYDAY=MO,TU;BYSETPOS=-1",
        "2027-12-31T00:00:00Z",
    );
    assert_eq!(got, [date(2026, 12, 1).at(10, 0, 0, 0)]);
    assert!(parse_rule("FREQ=HOURLY").unwrap().unread.is_some());
    assert!(parse_rule("INTERVAL=2").is_none());
}

#[test]
fn an_endless_daily_rule_is_bounded() {
    let rule = parse_rule("FREQ=DAILY").unwrap();
    let start = date(2026, 1, 1).at(0, 0, 0, 0);
    let horizon: Timestamp = "2200-01-01T00:00:00Z".parse().unwrap();
    let got = expand(start, &rule, None, horizon, &berlin);
    assert_eq!(got.len(), MAX_OCCURRENCES);
    let far = start.checked_add(5000.days()).unwrap();
    assert!(got.last().is_some_and(|d| *d < far));
}
