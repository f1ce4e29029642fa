//! A small iCalendar (RFC 5545) reader for the subset iTIP/iMIP mail needs
//! (RFC 5546/6047): content lines (unfolding, parameters, quoted-printable
//! and text unescaping come from [`crate::core::contentline`]), components
//! (VCALENDAR, VEVENT, VTIMEZONE with STANDARD and DAYLIGHT, VFREEBUSY), and the conversion of DTSTART/DTEND/DURATION to
//! UTC from `Z` times, IANA or Windows TZIDs, in-file VTIMEZONE rules, dates
//! (all-day) and floating times.
//!
//! It reads, never validates: unknown lines are skipped, nothing panics,
//! component nesting is bounded.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};

use crate::core::contentline;

/// Most lines read from one calendar text.
const MAX_LINES: usize = 200_000;
/// Deepest component nesting followed.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Prop {
    /// Uppercase name.
    pub name: String,
    /// Uppercase parameter names, values without quotes.
    pub params: Vec<(String, String)>,
    /// Raw value (still escaped).
    pub value: String,
}

impl Prop {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Component {
    pub name: String,
    pub props: Vec<Prop>,
    pub children: Vec<Component>,
}

impl Component {
    pub fn prop(&self, name: &str) -> Option<&Prop> {
        self.props.iter().find(|p| p.name == name)
    }
    pub fn props_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Prop> + 'a {
        self.props.iter().filter(move |p| p.name == name)
    }
    pub fn value(&self, name: &str) -> Option<&str> {
        self.prop(name).map(|p| p.value.as_str())
    }
    pub fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Component> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }
}

/// Parses one (unfolded) content line into a property; the value of a
/// vCalendar 1.0 `ENCODING=QUOTED-PRINTABLE` property comes decoded.
pub(crate) fn parse_line(line: &str) -> Option<Prop> {
    let l = contentline::parse(line)?;
    let params: Vec<(String, String)> = l
        .params
        .iter()
        .map(|p| match &p.name {
            Some(n) => (n.clone(), p.text()),
            None => (p.raw.trim().to_ascii_uppercase(), String::new()),
        })
        .collect();
    let qp = params
        .iter()
        .any(|(n, v)| n == "ENCODING" && v.eq_ignore_ascii_case("QUOTED-PRINTABLE"));
    let value = if qp {
        String::from_utf8_lossy(&contentline::decode_quoted_printable(l.value)).into_owned()
    } else {
        l.value.to_owned()
    };
    Some(Prop {
        name: l.name,
        params,
        value,
    })
}

/// Parses a calendar text into its top-level components (normally one or
/// more VCALENDARs). Lines outside any component are ignored.
pub(crate) fn parse(text: &str) -> Vec<Component> {
    let mut roots: Vec<Component> = Vec::new();
    let mut stack: Vec<Component> = Vec::new();
    let mut ignored_depth = 0usize;
    for line in contentline::unfold(text, MAX_LINES) {
        let Some(prop) = parse_line(&line.text) else {
            continue;
        };
        match prop.name.as_str() {
            "BEGIN" => {
                if stack.len() >= MAX_DEPTH || ignored_depth > 0 {
                    ignored_depth += 1;
                    continue;
                }
                stack.push(Component {
                    name: prop.value.trim().to_ascii_uppercase(),
                    ..Component::default()
                });
            }
            "END" => {
                if ignored_depth > 0 {
                    ignored_depth -= 1;
                    continue;
                }
                let name = prop.value.trim().to_ascii_uppercase();
                // Close up to the matching BEGIN (tolerating missing ENDs).
                if !stack.iter().any(|c| c.name == name) {
                    continue;
                }
                while let Some(done) = stack.pop() {
                    let matched = done.name == name;
                    match stack.last_mut() {
                        Some(parent) => parent.children.push(done),
                        None => roots.push(done),
                    }
                    if matched {
                        break;
                    }
                }
            }
            _ => {
                if ignored_depth == 0
                    && let Some(cur) = stack.last_mut()
                {
                    cur.props.push(prop);
                }
            }
        }
    }
    // Unterminated components still count.
    while let Some(done) = stack.pop() {
        match stack.last_mut() {
            Some(parent) => parent.children.push(done),
            None => roots.push(done),
        }
    }
    roots
}

pub(crate) use crate::core::contentline::unescape;

/// The address of a `mailto:` CAL-ADDRESS, lowercased.
pub(crate) fn cal_address(v: &str) -> String {
    let v = v.trim();
    let lower = v.to_ascii_lowercase();
    let stripped = lower.strip_prefix("mailto:").unwrap_or(&lower);
    stripped.trim().to_string()
}

// ---------------------------------------------------------------------------
// Date-times

/// A DATE or DATE-TIME value as written.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum RawTime {
    Date(Date),
    Utc(DateTime),
    Local(DateTime),
}

pub(crate) fn parse_value(v: &str) -> Option<RawTime> {
    let v = v.trim();
    let digits = |s: &str| -> Option<i32> {
        if s.chars().all(|c| c.is_ascii_digit()) && !s.is_empty() {
            s.parse().ok()
        } else {
            None
        }
    };
    let y = digits(v.get(0..4)?)?;
    let mo = digits(v.get(4..6)?)?;
    let d = digits(v.get(6..8)?)?;
    let date = Date::new(
        i16::try_from(y).ok()?,
        i8::try_from(mo).ok()?,
        i8::try_from(d).ok()?,
    )
    .ok()?;
    if v.len() == 8 {
        return Some(RawTime::Date(date));
    }
    if v.get(8..9).map(str::to_ascii_uppercase) != Some("T".into()) {
        return Some(RawTime::Date(date));
    }
    let h = digits(v.get(9..11)?)?;
    let mi = digits(v.get(11..13)?)?;
    let s = v.get(13..15).and_then(digits).unwrap_or(0).min(59);
    let dt = date.at(
        i8::try_from(h.min(23)).ok()?,
        i8::try_from(mi.min(59)).ok()?,
        i8::try_from(s).ok()?,
        0,
    );
    if v.get(15..)
        .is_some_and(|z| z.trim().eq_ignore_ascii_case("z"))
    {
        Some(RawTime::Utc(dt))
    } else {
        Some(RawTime::Local(dt))
    }
}

/// Parses an RFC 5545 DURATION ("PT1H30M", "-P1D", "P2W").
pub(crate) fn parse_duration(v: &str) -> Option<Span> {
    let v = v.trim().to_ascii_uppercase();
    let (neg, rest) = match v.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, v.strip_prefix('+').unwrap_or(&v)),
    };
    let rest = rest.strip_prefix('P')?;
    let mut secs: i64 = 0;
    let mut days: i64 = 0;
    let mut num = String::new();
    let mut in_time = false;
    for c in rest.chars() {
        match c {
            '0'..='9' => num.push(c),
            'T' => in_time = true,
            'W' | 'D' | 'H' | 'M' | 'S' => {
                let n: i64 = num.parse().ok()?;
                num.clear();
                match (c, in_time) {
                    ('W', _) => days = days.checked_add(n.checked_mul(7)?)?,
                    ('D', _) => days = days.checked_add(n)?,
                    ('H', true) => secs = secs.checked_add(n.checked_mul(3600)?)?,
                    ('M', true) => secs = secs.checked_add(n.checked_mul(60)?)?,
                    ('S', true) => secs = secs.checked_add(n)?,
                    _ => return None,
                }
            }
            _ => return None,
        }
    }
    let total = days.checked_mul(86_400)?.checked_add(secs)?;
    if total.abs() > 366 * 86_400 * 10 {
        return None;
    }
    Span::new()
        .try_seconds(if neg { -total } else { total })
        .ok()
}

// ---------------------------------------------------------------------------
// VTIMEZONE

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Observance {
    pub start: DateTime,
    pub offset_from: i32,
    pub offset_to: i32,
    pub rule: Option<YearlyRule>,
    pub rdates: Vec<DateTime>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct YearlyRule {
    pub months: Vec<i8>,
    /// (ordinal, weekday); ordinal 0 means "every".
    pub days: Vec<(i8, Weekday)>,
    pub monthdays: Vec<i8>,
    pub until: Option<DateTime>,
}

#[derive(Debug, Clone, PartialEq, Default)]
pub(crate) struct VTimezone {
    pub tzid: String,
    pub observances: Vec<Observance>,
}

fn parse_offset(v: &str) -> Option<i32> {
    let v = v.trim();
    let (sign, rest) = match v.chars().next()? {
        '+' => (1, v.get(1..)?),
        '-' => (-1, v.get(1..)?),
        _ => (1, v),
    };
    if rest.len() < 4 || !rest.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let h: i32 = rest.get(0..2)?.parse().ok()?;
    let m: i32 = rest.get(2..4)?.parse().ok()?;
    let s: i32 = rest.get(4..6).and_then(|s| s.parse().ok()).unwrap_or(0);
    if h > 18 || m > 59 || s > 59 {
        return None;
    }
    Some(sign * (h * 3600 + m * 60 + s))
}

fn weekday(code: &str) -> Option<Weekday> {
    Some(match code {
        "MO" => Weekday::Monday,
        "TU" => Weekday::Tuesday,
        "WE" => Weekday::Wednesday,
        "TH" => Weekday::Thursday,
        "FR" => Weekday::Friday,
        "SA" => Weekday::Saturday,
        "SU" => Weekday::Sunday,
        _ => return None,
    })
}

fn parse_rrule(v: &str) -> Option<YearlyRule> {
    let mut rule = YearlyRule::default();
    let mut yearly = false;
    for part in v.split(';') {
        let mut kv = part.splitn(2, '=');
        let k = kv.next().unwrap_or("").trim().to_ascii_uppercase();
        let val = kv.next().unwrap_or("").trim().to_ascii_uppercase();
        match k.as_str() {
            "FREQ" => yearly = val == "YEARLY",
            "BYMONTH" => {
                rule.months = val
                    .split(',')
                    .filter_map(|m| m.trim().parse::<i8>().ok())
                    .filter(|m| (1..=12).contains(m))
                    .collect();
            }
            "BYDAY" => {
                for d in val.split(',') {
                    let d = d.trim();
                    let split = d.len().saturating_sub(2);
                    let (ord, code) = (d.get(..split).unwrap_or(""), d.get(split..).unwrap_or(""));
                    let ord: i8 = if ord.is_empty() || ord == "+" {
                        0
                    } else {
                        ord.trim_start_matches('+').parse().unwrap_or(0)
                    };
                    if let Some(wd) = weekday(code) {
                        rule.days.push((ord.clamp(-5, 5), wd));
                    }
                }
            }
            "BYMONTHDAY" => {
                rule.monthdays = val
                    .split(',')
                    .filter_map(|m| m.trim().parse::<i8>().ok())
                    .filter(|m| (-31..=31).contains(m) && *m != 0)
                    .collect();
            }
            "UNTIL" => {
                rule.until = match parse_value(&val) {
                    Some(RawTime::Utc(dt) | RawTime::Local(dt)) => Some(dt),
                    Some(RawTime::Date(d)) => Some(d.at(23, 59, 59, 0)),
                    None => None,
                };
            }
            _ => {}
        }
    }
    yearly.then_some(rule)
}

/// Reads a VTIMEZONE component.
pub(crate) fn vtimezone(c: &Component) -> Option<VTimezone> {
    let tzid = c.value("TZID")?.trim().trim_matches('"').to_string();
    let mut tz = VTimezone {
        tzid,
        observances: Vec::new(),
    };
    for obs in c
        .children
        .iter()
        .filter(|o| o.name == "STANDARD" || o.name == "DAYLIGHT")
    {
        let start = match obs.value("DTSTART").and_then(parse_value) {
            Some(RawTime::Local(dt) | RawTime::Utc(dt)) => dt,
            Some(RawTime::Date(d)) => d.at(0, 0, 0, 0),
            None => continue,
        };
        let Some(offset_to) = obs.value("TZOFFSETTO").and_then(parse_offset) else {
            continue;
        };
        let offset_from = obs
            .value("TZOFFSETFROM")
            .and_then(parse_offset)
            .unwrap_or(offset_to);
        let rule = obs.value("RRULE").and_then(parse_rrule);
        let mut rdates = Vec::new();
        for p in obs.props_named("RDATE") {
            for v in p.value.split(',') {
                match parse_value(v) {
                    Some(RawTime::Local(dt) | RawTime::Utc(dt)) => rdates.push(dt),
                    Some(RawTime::Date(d)) => rdates.push(d.at(start.hour(), start.minute(), 0, 0)),
                    None => {}
                }
                if rdates.len() > 500 {
                    break;
                }
            }
        }
        tz.observances.push(Observance {
            start,
            offset_from,
            offset_to,
            rule,
            rdates,
        });
    }
    (!tz.observances.is_empty()).then_some(tz)
}

/// The days in `year`/`month` selected by a yearly rule.
fn rule_dates(rule: &YearlyRule, year: i16, default_month: i8, default_day: i8) -> Vec<Date> {
    let months: Vec<i8> = if rule.months.is_empty() {
        vec![default_month]
    } else {
        rule.months.clone()
    };
    let mut out = Vec::new();
    for m in months {
        let Ok(first) = Date::new(year, m, 1) else {
            continue;
        };
        let len = first.days_in_month();
        let resolve_md = |md: i8| -> Option<i8> {
            if md > 0 {
                (md <= len).then_some(md)
            } else {
                let d = len + md + 1;
                (d >= 1).then_some(d)
            }
        };
        if rule.days.is_empty() {
            let mds = if rule.monthdays.is_empty() {
                vec![default_day]
            } else {
                rule.monthdays.clone()
            };
            for md in mds {
                if let Some(d) = resolve_md(md).and_then(|d| Date::new(year, m, d).ok()) {
                    out.push(d);
                }
            }
            continue;
        }
        for (ord, wd) in &rule.days {
            if *ord != 0 {
                if let Ok(d) = first.nth_weekday_of_month(*ord, *wd) {
                    out.push(d);
                }
                continue;
            }
            // Every such weekday, optionally filtered by BYMONTHDAY.
            for day in 1..=len {
                if let Ok(d) = Date::new(year, m, day) {
                    let md_ok = rule.monthdays.is_empty()
                        || rule.monthdays.iter().any(|md| resolve_md(*md) == Some(day));
                    if d.weekday() == *wd && md_ok {
                        out.push(d);
                    }
                }
            }
        }
    }
    out
}

impl VTimezone {
    /// The UTC offset that applies at local wall time `local`.
    pub fn offset_at(&self, local: DateTime) -> Option<Offset> {
        let mut best: Option<(DateTime, i32)> = None;
        let mut consider = |onset: DateTime, to: i32| {
            if onset <= local && best.is_none_or(|(b, _)| onset > b) {
                best = Some((onset, to));
            }
        };
        let year = local.year();
        for obs in &self.observances {
            consider(obs.start, obs.offset_to);
            for rd in &obs.rdates {
                consider(*rd, obs.offset_to);
            }
            if let Some(rule) = &obs.rule {
                for y in [year.saturating_sub(1), year] {
                    if y < obs.start.year() {
                        continue;
                    }
                    for d in rule_dates(rule, y, obs.start.month(), obs.start.day()) {
                        let onset = d.to_datetime(obs.start.time());
                        if onset < obs.start || rule.until.is_some_and(|u| onset > u) {
                            continue;
                        }
                        consider(onset, obs.offset_to);
                    }
                }
            }
        }
        let secs = match best {
            Some((_, to)) => to,
            // Before every onset: the offset in force before the earliest one.
            None => self
                .observances
                .iter()
                .min_by_key(|o| o.start)
                .map(|o| o.offset_from)?,
        };
        Offset::from_seconds(secs).ok()
    }
}

// ---------------------------------------------------------------------------
// Converting event times

/// How a time was turned into UTC, for the evidence.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Resolved {
    pub at: Timestamp,
    pub all_day: bool,
    pub how: String,
}

/// Converts a DTSTART/DTEND property to UTC.
///
/// Order for a TZID: the IANA database (also for vendor-prefixed names),
/// then the Windows-name table, then the VTIMEZONE in the same calendar,
/// then `default_tz` (recorded in `how`). Well-known names go to the
/// database first because it knows historical rule changes that Outlook's
/// single-rule VTIMEZONEs do not carry.
pub(crate) fn resolve_time(
    prop: &Prop,
    timezones: &[VTimezone],
    default_tz: &TimeZone,
) -> Option<Resolved> {
    let mut raw = parse_value(&prop.value)?;
    // VALUE=DATE wins over a stray time part.
    if prop
        .param("VALUE")
        .is_some_and(|v| v.eq_ignore_ascii_case("DATE"))
        && let RawTime::Utc(dt) | RawTime::Local(dt) = raw
    {
        raw = RawTime::Date(dt.date());
    }
    match raw {
        RawTime::Date(d) => {
            let at = default_tz
                .to_timestamp(d.to_datetime(jiff::civil::Time::midnight()))
                .ok()?;
            Some(Resolved {
                at,
                all_day: true,
                how: "all-day date at midnight in the default zone".into(),
            })
        }
        RawTime::Utc(dt) => {
            let at = Offset::UTC.to_timestamp(dt).ok()?;
            Some(Resolved {
                at,
                all_day: false,
                how: "UTC".into(),
            })
        }
        RawTime::Local(dt) => match prop.param("TZID") {
            Some(tzid) => resolve_local(dt, tzid.trim().trim_matches('"'), timezones, default_tz),
            None => Some(Resolved {
                at: default_tz.to_timestamp(dt).ok()?,
                all_day: false,
                how: "floating time in the default zone".into(),
            }),
        },
    }
}

/// A local time with a TZID, in the order [`resolve_time`] documents.
fn resolve_local(
    dt: DateTime,
    tzid: &str,
    timezones: &[VTimezone],
    default_tz: &TimeZone,
) -> Option<Resolved> {
    let local = |at: Timestamp, how: String| Resolved {
        at,
        all_day: false,
        how,
    };
    if let Some(tz) = super::tz::iana(tzid) {
        return Some(local(
            tz.to_timestamp(dt).ok()?,
            format!("TZID {tzid} (IANA)"),
        ));
    }
    if let Some(iana) = super::tz::windows_to_iana(tzid)
        && let Ok(tz) = TimeZone::get(iana)
    {
        let how = format!("TZID {tzid} (Windows zone, as {iana})");
        return Some(local(tz.to_timestamp(dt).ok()?, how));
    }
    if let Some(vtz) = timezones.iter().find(|t| t.tzid.eq_ignore_ascii_case(tzid))
        && let Some(off) = vtz.offset_at(dt)
    {
        let how = format!("TZID {tzid} (VTIMEZONE in the file, offset {off})");
        return Some(local(off.to_timestamp(dt).ok()?, how));
    }
    let how = format!("unknown TZID {tzid}, read in the default zone");
    Some(local(default_tz.to_timestamp(dt).ok()?, how))
}

#[cfg(test)]
mod tests;
