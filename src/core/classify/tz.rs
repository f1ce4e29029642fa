//! Time-zone names as they appear in mail: IANA names, Windows zone names
//! (Outlook/Exchange TZIDs), long English names and abbreviations that
//! scheduling tools print ("Central European Time", "CET"), city lists
//! (Zoom's "Amsterdam, Berlin, Rome, …") and fixed offsets ("UTC+01:00").
//!
//! Only lookups in jiff's time-zone database (the system copy, read by jiff
//! itself) and in the tables below; no clock.

use jiff::tz::{Offset, TimeZone};

/// Windows time-zone names (as used in Outlook/Exchange TZIDs) and the IANA
/// zone of the same rules (the "001" territory of the usual mapping).
/// Written by hand for the zones people are likely to meet in.
pub(crate) const WINDOWS_ZONES: &[(&str, &str)] = &[
    ("Dateline Standard Time", "Etc/GMT+12"),
    ("UTC-11", "Etc/GMT+11"),
    ("Hawaiian Standard Time", "Pacific/Honolulu"),
    ("Alaskan Standard Time", "America/Anchorage"),
    ("Pacific Standard Time (Mexico)", "America/Tijuana"),
    ("Pacific Standard Time", "America/Los_Angeles"),
    ("US Mountain Standard Time", "America/Phoenix"),
    ("Mountain Standard Time (Mexico)", "America/Mazatlan"),
    ("Mountain Standard Time", "America/Denver"),
    ("Central America Standard Time", "America/Guatemala"),
    ("Central Standard Time (Mexico)", "America/Mexico_City"),
    ("Central Standard Time", "America/Chicago"),
    ("Canada Central Standard Time", "America/Regina"),
    ("SA Pacific Standard Time", "America/Bogota"),
    ("Eastern Standard Time (Mexico)", "America/Cancun"),
    ("Eastern Standard Time", "America/New_York"),
    ("US Eastern Standard Time", "America/Indiana/Indianapolis"),
    ("Venezuela Standard Time", "America/Caracas"),
    ("Atlantic Standard Time", "America/Halifax"),
    ("SA Western Standard Time", "America/La_Paz"),
    ("Central Brazilian Standard Time", "America/Cuiaba"),
    ("Pacific SA Standard Time", "America/Santiago"),
    ("Newfoundland Standard Time", "America/St_Johns"),
    ("E. South America Standard Time", "America/Sao_Paulo"),
    ("Argentina Standard Time", "America/Argentina/Buenos_Aires"),
    ("SA Eastern Standard Time", "America/Cayenne"),
    ("Greenland Standard Time", "America/Godthab"),
    ("Montevideo Standard Time", "America/Montevideo"),
    ("UTC-02", "Etc/GMT+2"),
    ("Azores Standard Time", "Atlantic/Azores"),
    ("Cape Verde Standard Time", "Atlantic/Cape_Verde"),
    ("UTC", "Etc/UTC"),
    ("Coordinated Universal Time", "Etc/UTC"),
    ("GMT Standard Time", "Europe/London"),
    ("Greenwich Standard Time", "Atlantic/Reykjavik"),
    ("Morocco Standard Time", "Africa/Casablanca"),
    ("W. Europe Standard Time", "Europe/Berlin"),
    ("Central Europe Standard Time", "Europe/Budapest"),
    ("Romance Standard Time", "Europe/Paris"),
    ("Central European Standard Time", "Europe/Warsaw"),
    ("W. Central Africa Standard Time", "Africa/Lagos"),
    ("Jordan Standard Time", "Asia/Amman"),
    ("GTB Standard Time", "Europe/Bucharest"),
    ("Middle East Standard Time", "Asia/Beirut"),
    ("Egypt Standard Time", "Africa/Cairo"),
    ("E. Europe Standard Time", "Europe/Chisinau"),
    ("Syria Standard Time", "Asia/Damascus"),
    ("South Africa Standard Time", "Africa/Johannesburg"),
    ("FLE Standard Time", "Europe/Kiev"),
    ("Israel Standard Time", "Asia/Jerusalem"),
    ("Turkey Standard Time", "Europe/Istanbul"),
    ("Arabic Standard Time", "Asia/Baghdad"),
    ("Arab Standard Time", "Asia/Riyadh"),
    ("Russian Standard Time", "Europe/Moscow"),
    ("E. Africa Standard Time", "Africa/Nairobi"),
    ("Iran Standard Time", "Asia/Tehran"),
    ("Arabian Standard Time", "Asia/Dubai"),
    ("Azerbaijan Standard Time", "Asia/Baku"),
    ("Georgian Standard Time", "Asia/Tbilisi"),
    ("Afghanistan Standard Time", "Asia/Kabul"),
    ("West Asia Standard Time", "Asia/Tashkent"),
    ("Ekaterinburg Standard Time", "Asia/Yekaterinburg"),
    ("Pakistan Standard Time", "Asia/Karachi"),
    ("India Standard Time", "Asia/Kolkata"),
    ("Sri Lanka Standard Time", "Asia/Colombo"),
    ("Nepal Standard Time", "Asia/Kathmandu"),
    ("Central Asia Standard Time", "Asia/Almaty"),
    ("Bangladesh Standard Time", "Asia/Dhaka"),
    ("Myanmar Standard Time", "Asia/Yangon"),
    ("SE Asia Standard Time", "Asia/Bangkok"),
    ("North Asia Standard Time", "Asia/Krasnoyarsk"),
    ("China Standard Time", "Asia/Shanghai"),
    ("Singapore Standard Time", "Asia/Singapore"),
    ("W. Australia Standard Time", "Australia/Perth"),
    ("Taipei Standard Time", "Asia/Taipei"),
    ("Tokyo Standard Time", "Asia/Tokyo"),
    ("Korea Standard Time", "Asia/Seoul"),
    ("Cen. Australia Standard Time", "Australia/Adelaide"),
    ("AUS Central Standard Time", "Australia/Darwin"),
    ("E. Australia Standard Time", "Australia/Brisbane"),
    ("AUS Eastern Standard Time", "Australia/Sydney"),
    ("Tasmania Standard Time", "Australia/Hobart"),
    ("West Pacific Standard Time", "Pacific/Port_Moresby"),
    ("Vladivostok Standard Time", "Asia/Vladivostok"),
    ("New Zealand Standard Time", "Pacific/Auckland"),
    ("Fiji Standard Time", "Pacific/Fiji"),
    ("Tonga Standard Time", "Pacific/Tongatapu"),
];

/// Long names and abbreviations printed by scheduling tools and in text.
/// Ambiguous abbreviations are resolved to the most common meaning in
/// English business mail (CST = US Central, IST = India).
const LONG_NAMES: &[(&str, &str)] = &[
    ("central european summer time", "Europe/Berlin"),
    ("central european standard time", "Europe/Berlin"),
    ("central european time", "Europe/Berlin"),
    ("mitteleuropäische sommerzeit", "Europe/Berlin"),
    ("mitteleuropäische zeit", "Europe/Berlin"),
    ("western european summer time", "Europe/Lisbon"),
    ("western european time", "Europe/Lisbon"),
    ("eastern european summer time", "Europe/Helsinki"),
    ("eastern european time", "Europe/Helsinki"),
    ("british summer time", "Europe/London"),
    ("greenwich mean time", "Europe/London"),
    ("irish standard time", "Europe/Dublin"),
    ("eastern daylight time", "America/New_York"),
    ("eastern standard time", "America/New_York"),
    ("eastern time", "America/New_York"),
    ("central daylight time", "America/Chicago"),
    ("central standard time", "America/Chicago"),
    ("central time", "America/Chicago"),
    ("mountain daylight time", "America/Denver"),
    ("mountain standard time", "America/Denver"),
    ("mountain time", "America/Denver"),
    ("pacific daylight time", "America/Los_Angeles"),
    ("pacific standard time", "America/Los_Angeles"),
    ("pacific time", "America/Los_Angeles"),
    ("india standard time", "Asia/Kolkata"),
    ("japan standard time", "Asia/Tokyo"),
    ("china standard time", "Asia/Shanghai"),
    ("singapore time", "Asia/Singapore"),
    ("australian eastern daylight time", "Australia/Sydney"),
    ("australian eastern standard time", "Australia/Sydney"),
    ("australian eastern time", "Australia/Sydney"),
    ("coordinated universal time", "Etc/UTC"),
    ("cest", "Europe/Berlin"),
    ("cet", "Europe/Berlin"),
    ("mesz", "Europe/Berlin"),
    ("mez", "Europe/Berlin"),
    ("west", "Europe/Lisbon"),
    ("wet", "Europe/Lisbon"),
    ("eest", "Europe/Helsinki"),
    ("eet", "Europe/Helsinki"),
    ("bst", "Europe/London"),
    ("gmt", "Etc/UTC"),
    ("utc", "Etc/UTC"),
    ("edt", "America/New_York"),
    ("est", "America/New_York"),
    ("et", "America/New_York"),
    ("cdt", "America/Chicago"),
    ("cst", "America/Chicago"),
    ("ct", "America/Chicago"),
    ("mdt", "America/Denver"),
    ("mst", "America/Denver"),
    ("pdt", "America/Los_Angeles"),
    ("pst", "America/Los_Angeles"),
    ("pt", "America/Los_Angeles"),
    ("ist", "Asia/Kolkata"),
    ("jst", "Asia/Tokyo"),
    ("aedt", "Australia/Sydney"),
    ("aest", "Australia/Sydney"),
];

const CITY_PREFIXES: &[&str] = &[
    "Europe/",
    "America/",
    "Asia/",
    "Africa/",
    "Australia/",
    "Pacific/",
    "Atlantic/",
    "America/Argentina/",
    "America/Indiana/",
];

/// A zone from a name in the IANA database, with a fallback for prefixed
/// TZIDs such as `/mozilla.org/20050126_1/Europe/Berlin` (the longest
/// suffix of at most three path segments that names a zone).
pub(crate) fn iana(name: &str) -> Option<TimeZone> {
    let name = name.trim().trim_matches('"');
    if name.is_empty() || name.len() > 100 {
        return None;
    }
    if (name.contains('/') || name.eq_ignore_ascii_case("utc") || name.eq_ignore_ascii_case("gmt"))
        && let Ok(tz) = TimeZone::get(name)
    {
        return Some(tz);
    }
    if name.contains('/') {
        let segs: Vec<&str> = name.split('/').filter(|s| !s.is_empty()).collect();
        for take in (2..=3).rev() {
            if segs.len() > take {
                let cand = segs.get(segs.len() - take..).unwrap_or_default().join("/");
                if let Ok(tz) = TimeZone::get(&cand) {
                    return Some(tz);
                }
            }
        }
    }
    None
}

/// The IANA name for a Windows zone name (case-insensitive; the " Standard
/// Time" suffix may be missing, as in Lotus Notes' `TZID="FLE"`).
pub(crate) fn windows_to_iana(name: &str) -> Option<&'static str> {
    let name = name.trim().trim_matches('"').trim();
    if name.is_empty() {
        return None;
    }
    let long = format!("{name} Standard Time");
    WINDOWS_ZONES
        .iter()
        .find(|(w, _)| w.eq_ignore_ascii_case(name))
        .or_else(|| {
            WINDOWS_ZONES
                .iter()
                .find(|(w, _)| w.eq_ignore_ascii_case(&long))
        })
        .map(|(_, i)| *i)
}

/// A zone from a Windows zone name.
pub(crate) fn windows(name: &str) -> Option<TimeZone> {
    windows_to_iana(name).and_then(|i| TimeZone::get(i).ok())
}

/// Resolves a free-form zone label as printed in mail text: IANA name,
/// Windows name, long name or abbreviation, a city list, or a fixed offset
/// like "UTC+01:00"/"GMT-5". Returns the zone and a description of how.
pub(crate) fn resolve_label(label: &str) -> Option<(TimeZone, String)> {
    let label = label.trim().trim_matches(|c| c == '(' || c == ')').trim();
    if label.is_empty() || label.len() > 120 {
        return None;
    }
    if let Some(tz) = iana(label) {
        return Some((tz, format!("IANA zone {label}")));
    }
    if let Some(tz) = windows(label) {
        return Some((tz, format!("Windows zone {label}")));
    }
    let lower = label.to_lowercase();
    let cleaned = lower
        .replace("(us & canada)", "")
        .replace("(us and canada)", "")
        .replace("us and canada", "");
    let cleaned = cleaned.trim();
    for (name, zone) in LONG_NAMES {
        let hit = if name.len() <= 4 {
            cleaned == *name
                || cleaned.starts_with(&format!("{name} "))
                || cleaned.starts_with(&format!("{name},"))
        } else {
            cleaned.starts_with(name) || cleaned.ends_with(name)
        };
        if hit && let Ok(tz) = TimeZone::get(zone) {
            return Some((tz, format!("zone name \"{name}\" as {zone}")));
        }
    }
    // "(UTC+01:00) Amsterdam, Berlin" / "GMT+1" / "UTC-05:00"
    let after_offset = strip_offset_prefix(label);
    // City lists: try each city under the usual prefixes.
    for city in after_offset.1.split([',', ';', '/']) {
        let city = city.trim();
        if city.is_empty()
            || city.len() > 40
            || !city
                .chars()
                .all(|c| c.is_alphabetic() || c == ' ' || c == '-' || c == '.')
        {
            continue;
        }
        let under = city
            .split_whitespace()
            .map(capitalise)
            .collect::<Vec<_>>()
            .join("_");
        for p in CITY_PREFIXES {
            let cand = format!("{p}{under}");
            if let Ok(tz) = TimeZone::get(&cand) {
                return Some((tz, format!("city \"{city}\" as {cand}")));
            }
        }
    }
    if let Some(off) = after_offset.0 {
        return Some((off.to_time_zone(), format!("fixed offset {off}")));
    }
    None
}

fn capitalise(w: &str) -> String {
    let mut out = String::new();
    for (i, c) in w.chars().enumerate() {
        if i == 0 {
            out.extend(c.to_uppercase());
        } else {
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// Splits a leading "(UTC+01:00)", "GMT+1", "UTC -5" from a label.
fn strip_offset_prefix(label: &str) -> (Option<Offset>, &str) {
    let t = label.trim().trim_start_matches('(');
    let lower = t.to_ascii_lowercase();
    let rest = if lower.starts_with("utc") || lower.starts_with("gmt") {
        t.get(3..).unwrap_or("")
    } else {
        return (None, label);
    };
    let rest = rest.trim_start();
    let (sign, rest) = match rest.chars().next() {
        Some('+') => (1, rest.get(1..).unwrap_or("")),
        Some('-' | '−') => (
            -1,
            rest.get(rest.chars().next().map_or(1, char::len_utf8)..)
                .unwrap_or(""),
        ),
        _ => {
            let tail = rest.trim_start_matches(')').trim();
            return (Offset::from_seconds(0).ok(), tail);
        }
    };
    let rest = rest.trim_start();
    let digits: String = rest.chars().take_while(char::is_ascii_digit).collect();
    let mut used = digits.len();
    let (hours, minutes) = if digits.len() == 4 {
        (
            digits.get(..2).and_then(|h| h.parse::<i32>().ok()),
            digits.get(2..).and_then(|m| m.parse::<i32>().ok()),
        )
    } else {
        let h = digits.parse::<i32>().ok();
        let mut m = Some(0);
        if rest.get(used..used + 1) == Some(":") {
            let md: String = rest
                .get(used + 1..)
                .unwrap_or("")
                .chars()
                .take_while(char::is_ascii_digit)
                .collect();
            used += 1 + md.len();
            m = md.parse::<i32>().ok();
        }
        (h, m)
    };
    let tail = rest
        .get(used..)
        .unwrap_or("")
        .trim_start_matches(')')
        .trim();
    match (hours, minutes) {
        (Some(h), Some(m)) if h <= 14 && m < 60 => {
            (Offset::from_seconds(sign * (h * 3600 + m * 60)).ok(), tail)
        }
        _ => (None, tail),
    }
}

#[cfg(test)]
mod tests;
