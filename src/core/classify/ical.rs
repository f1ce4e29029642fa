//! A small iCalendar (RFC 5545) reader for the subset iTIP/iMIP mail needs
//! (RFC 5546/6047): line unfolding, property parameters (quoted values),
//! text unescaping, components (VCALENDAR, VEVENT, VTIMEZONE with STANDARD
//! and DAYLIGHT, VFREEBUSY), and the conversion of DTSTART/DTEND/DURATION to
//! UTC from `Z` times, IANA or Windows TZIDs, in-file VTIMEZONE rules, dates
//! (all-day) and floating times.
//!
//! It reads, never validates: unknown lines are skipped, nothing panics,
//! component nesting is bounded.

use jiff::civil::{Date, DateTime, Weekday};
use jiff::tz::{Offset, TimeZone};
use jiff::{Span, Timestamp};

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

/// Unfolds content lines: a line break followed by a space or tab continues
/// the previous line. Accepts CRLF, LF and CR. vCalendar 1.0 style
/// quoted-printable values (`ENCODING=QUOTED-PRINTABLE`) whose line ends with
/// a soft break `=` are joined with the next line too.
pub(crate) fn unfold(text: &str) -> Vec<String> {
    let normalised = text.replace("\r\n", "\n").replace('\r', "\n");
    let mut out: Vec<String> = Vec::new();
    let mut qp_continues = false;
    for line in normalised.split('\n') {
        if out.len() >= MAX_LINES {
            break;
        }
        if let Some(rest) = line.strip_prefix([' ', '\t'])
            && let Some(last) = out.last_mut()
        {
            last.push_str(rest);
            continue;
        }
        if qp_continues && let Some(last) = out.last_mut() {
            last.pop(); // the soft break '='
            last.push_str(line);
            qp_continues = is_qp_soft_break(last);
            continue;
        }
        out.push(line.to_string());
        qp_continues = out.last().is_some_and(|l| is_qp_soft_break(l));
    }
    out
}

fn is_qp_soft_break(line: &str) -> bool {
    line.ends_with('=') && {
        let head = line.split(':').next().unwrap_or("").to_ascii_uppercase();
        head.contains("ENCODING=QUOTED-PRINTABLE")
    }
}

/// Parses one content line into a property.
pub(crate) fn parse_line(line: &str) -> Option<Prop> {
    let mut chars = line.char_indices().peekable();
    // Name
    let mut name_end = line.len();
    for (i, c) in chars.by_ref() {
        if c == ';' || c == ':' {
            name_end = i;
            break;
        }
    }
    let name = line.get(..name_end)?.trim().to_ascii_uppercase();
    if name.is_empty() || name_end >= line.len() {
        return None;
    }
    let mut params = Vec::new();
    let mut pos = name_end;
    // Parameters: ;NAME=value[,value] with quoted values.
    while line.get(pos..pos + 1) == Some(";") {
        pos += 1;
        let rest = line.get(pos..)?;
        let eq = rest.find(['=', ':', ';'])?;
        let pname = rest.get(..eq)?.trim().to_ascii_uppercase();
        pos += eq;
        if line.get(pos..pos + 1) != Some("=") {
            params.push((pname, String::new()));
            continue;
        }
        pos += 1;
        let mut value = String::new();
        let mut in_quote = false;
        let rest = line.get(pos..)?;
        let mut consumed = rest.len();
        for (i, c) in rest.char_indices() {
            if c == '"' {
                in_quote = !in_quote;
                continue;
            }
            if !in_quote && (c == ';' || c == ':') {
                consumed = i;
                break;
            }
            value.push(c);
        }
        pos += consumed;
        params.push((pname, value.trim().to_string()));
    }
    if line.get(pos..pos + 1) != Some(":") {
        return None;
    }
    let mut value = line.get(pos + 1..)?.to_string();
    if params
        .iter()
        .any(|(n, v)| n == "ENCODING" && v.eq_ignore_ascii_case("QUOTED-PRINTABLE"))
    {
        value = decode_qp(&value);
    }
    Some(Prop {
        name,
        params,
        value,
    })
}

fn decode_qp(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes.get(i).copied().unwrap_or(b' ');
        if b == b'=' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok());
            if let Some(v) = hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses a calendar text into its top-level components (normally one or
/// more VCALENDARs). Lines outside any component are ignored.
pub(crate) fn parse(text: &str) -> Vec<Component> {
    let mut roots: Vec<Component> = Vec::new();
    let mut stack: Vec<Component> = Vec::new();
    let mut ignored_depth = 0usize;
    for line in unfold(text) {
        let Some(prop) = parse_line(&line) else {
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

/// Unescapes a TEXT value (`\,` `\;` `\n` `\\`).
pub(crate) fn unescape(v: &str) -> String {
    let mut out = String::with_capacity(v.len());
    let mut chars = v.chars();
    while let Some(c) = chars.next() {
        if c == '\\' {
            match chars.next() {
                Some('n') | Some('N') => out.push('\n'),
                Some(o) => out.push(o),
                None => {}
            }
        } else {
            out.push(c);
        }
    }
    out
}

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
    if v.get(8..9).map(|s| s.to_ascii_uppercase()) != Some("T".into()) {
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
                    Some(RawTime::Utc(dt)) | Some(RawTime::Local(dt)) => Some(dt),
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
            Some(RawTime::Local(dt)) | Some(RawTime::Utc(dt)) => dt,
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
                    Some(RawTime::Local(dt)) | Some(RawTime::Utc(dt)) => rdates.push(dt),
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
        RawTime::Local(dt) => {
            let Some(tzid) = prop
                .param("TZID")
                .map(|t| t.trim().trim_matches('"').to_string())
            else {
                let at = default_tz.to_timestamp(dt).ok()?;
                return Some(Resolved {
                    at,
                    all_day: false,
                    how: "floating time in the default zone".into(),
                });
            };
            if let Some(tz) = super::tz::iana(&tzid) {
                let at = tz.to_timestamp(dt).ok()?;
                return Some(Resolved {
                    at,
                    all_day: false,
                    how: format!("TZID {tzid} (IANA)"),
                });
            }
            if let Some(iana) = super::tz::windows_to_iana(&tzid)
                && let Ok(tz) = TimeZone::get(iana)
            {
                let at = tz.to_timestamp(dt).ok()?;
                return Some(Resolved {
                    at,
                    all_day: false,
                    how: format!("TZID {tzid} (Windows zone, as {iana})"),
                });
            }
            if let Some(vtz) = timezones
                .iter()
                .find(|t| t.tzid.eq_ignore_ascii_case(&tzid))
                && let Some(off) = vtz.offset_at(dt)
            {
                let at = off.to_timestamp(dt).ok()?;
                return Some(Resolved {
                    at,
                    all_day: false,
                    how: format!("TZID {tzid} (VTIMEZONE in the file, offset {off})"),
                });
            }
            let at = default_tz.to_timestamp(dt).ok()?;
            Some(Resolved {
                at,
                all_day: false,
                how: format!("unknown TZID {tzid}, read in the default zone"),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn unfolds_and_parses_params() {
        let lines = unfold(
            "ATTENDEE;CN=\"Doe, Jane\";PARTSTAT=ACCEPTED:mai\r\n lto:jane@x.org\r\nSUMMARY:a\\, b",
        );
        assert_eq!(lines.len(), 2);
        let p = parse_line(lines.first().map(String::as_str).unwrap_or("")).unwrap();
        assert_eq!(p.name, "ATTENDEE");
        assert_eq!(p.param("CN"), Some("Doe, Jane"));
        assert_eq!(p.param("PARTSTAT"), Some("ACCEPTED"));
        assert_eq!(cal_address(&p.value), "jane@x.org");
        let s = parse_line(lines.get(1).map(String::as_str).unwrap_or("")).unwrap();
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
        let off = |dt: DateTime| tz.offset_at(dt).map(|o| o.seconds());
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
                .map(|o| o.seconds()),
            Some(-18000)
        );
        assert_eq!(
            tz.offset_at(date(2026, 3, 8).at(12, 0, 0, 0))
                .map(|o| o.seconds()),
            Some(-14400)
        );
        // Before the first onset (DAYLIGHT from 2007-03-11): that
        // observance's TZOFFSETFROM.
        assert_eq!(
            tz.offset_at(date(2000, 1, 1).at(0, 0, 0, 0))
                .map(|o| o.seconds()),
            Some(-18000)
        );
        let rd = "BEGIN:VTIMEZONE\nTZID:X\nBEGIN:STANDARD\nDTSTART:19700101T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0100\nEND:STANDARD\nBEGIN:DAYLIGHT\nDTSTART:20260601T000000\nRDATE:20260601T000000,20270601T000000\nTZOFFSETFROM:+0100\nTZOFFSETTO:+0300\nEND:DAYLIGHT\nEND:VTIMEZONE";
        let tz = vtimezone(parse(rd).first().unwrap()).unwrap();
        assert_eq!(
            tz.offset_at(date(2026, 7, 1).at(0, 0, 0, 0))
                .map(|o| o.seconds()),
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
}
