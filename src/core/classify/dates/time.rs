//! Meeting times stated in prose ("Tuesday, December 3, 2026 10:00am -
//! 10:25am (Europe/Berlin)") with their zone. It must never guess a zone
//! when none is written but the default one passed in.

use super::*;

/// A clock time at token `i`: "10:00", "10.30", "10am", "10:00 a.m.".
pub(super) fn time_at(c: &Cursor<'_>, i: usize) -> Option<(u32, u32, Option<bool>, usize)> {
    let (h, hd) = c.num(i)?;
    if hd > 2 || h > 24 {
        return None;
    }
    let mut k = i + 1;
    let mut minute = 0;
    let mut has_minutes = false;
    if matches!(c.punct(k), Some(':' | '.'))
        && let Some((m, 2)) = c.num(k + 1)
        && m < 60
    {
        minute = m;
        has_minutes = true;
        k += 2;
    }
    let mut pm = None;
    match c.word(k) {
        Some("am") => {
            pm = Some(false);
            k += 1;
        }
        Some("pm") => {
            pm = Some(true);
            k += 1;
        }
        Some("a" | "p") if c.punct(k + 1) == Some('.') && c.is_word(k + 2, "m") => {
            pm = Some(c.is_word(k, "p"));
            k += 3;
            if c.punct(k) == Some('.') {
                k += 1;
            }
        }
        Some("uhr" | "h") => k += 1,
        _ => {}
    }
    if !has_minutes && pm.is_none() {
        return None;
    }
    if pm.is_some() && h > 12 {
        return None;
    }
    Some((h, minute, pm, k - i))
}

pub(super) fn to_24h(h: u32, pm: Option<bool>) -> u32 {
    match pm {
        Some(true) if h < 12 => h + 12,
        Some(false) if h == 12 => 0,
        _ => h,
    }
}

/// A meeting time stated in text: a date with a start time, an optional end
/// time and an optional zone in parentheses or after the times.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct StatedTime {
    pub start: Timestamp,
    pub end: Option<Timestamp>,
    pub how: String,
}

pub(crate) fn meeting_time(text: &str, r: Date, default_tz: &TimeZone) -> Option<StatedTime> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    let mut i = 0;
    while i < toks.len() {
        let Some((date, used, Specificity::Exact)) = date_at(&c, i, r) else {
            i += 1;
            continue;
        };
        // Look for a time after the date (same or next lines), else before.
        let after = (i + used..(i + used + 24).min(toks.len()))
            .find_map(|k| time_at(&c, k).map(|t| (k, t)));
        let before = || (i.saturating_sub(24)..i).find_map(|k| time_at(&c, k).map(|t| (k, t)));
        let Some((k, (h, m, pm, tused))) = after.or_else(before) else {
            i += used;
            continue;
        };
        // Range end.
        let mut e = k + tused;
        let mut end_time = None;
        let sep = c.punct(e) == Some('-')
            || c.is_word(e, "to")
            || c.is_word(e, "bis")
            || c.is_word(e, "until");
        if sep && let Some((h2, m2, pm2, used2)) = time_at(&c, e + 1) {
            end_time = Some((h2, m2, pm2));
            e = e + 1 + used2;
        }
        // AM/PM inheritance: "10:00 - 10:25am".
        let mut start_pm = pm;
        if start_pm.is_none()
            && let Some((h2, _, Some(p2))) = end_time
        {
            let cand = to_24h(h, Some(p2));
            start_pm = Some(if cand > to_24h(h2, Some(p2)) {
                false
            } else {
                p2
            });
        }
        let sh = to_24h(h, start_pm);
        // Zone: "(Europe/Berlin)" or the rest of the line.
        let (tz, zone_how) = zone_after(text, &c, e).unwrap_or_else(|| {
            (
                default_tz.clone(),
                "no zone stated, read in the default zone".to_string(),
            )
        });
        let start_time =
            Time::new(i8::try_from(sh.min(23)).ok()?, i8::try_from(m).ok()?, 0, 0).ok()?;
        let start = tz.to_timestamp(date.to_datetime(start_time)).ok()?;
        let end = end_time.and_then(|(h2, m2, p2)| {
            let eh = to_24h(h2, p2.or(start_pm));
            let t = Time::new(i8::try_from(eh.min(23)).ok()?, i8::try_from(m2).ok()?, 0, 0).ok()?;
            let mut end = tz.to_timestamp(date.to_datetime(t)).ok()?;
            if end < start {
                end = end.checked_add(24.hours()).ok()?;
            }
            Some(end)
        });
        return Some(StatedTime {
            start,
            end,
            how: zone_how,
        });
    }
    None
}

pub(super) fn zone_after(text: &str, c: &Cursor<'_>, k: usize) -> Option<(TimeZone, String)> {
    let tok = c.toks.get(k)?;
    if matches!(tok.tok, Tok::Newline) {
        return None;
    }
    let rest = text.get(tok.start..)?;
    if let Some(inner) = rest.strip_prefix('(') {
        let close = inner.find(')')?;
        return super::super::tz::resolve_label(inner.get(..close)?);
    }
    let line = rest.lines().next().unwrap_or("");
    let line: String = line.chars().take(80).collect();
    let line = line.split(['|', '\u{2022}']).next().unwrap_or("");
    super::super::tz::resolve_label(line.trim().trim_end_matches(['.', ',']))
}
