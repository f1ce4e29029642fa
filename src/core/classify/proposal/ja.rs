//! Proposals in a script written without spaces (Japanese): "火曜日の15時",
//! "来週の水曜日14時半", "明日の午後3時". It must never read a clock.

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};

use super::words::ProposalWords;

fn listed<'a>(w: &'a ProposalWords, section: &str) -> &'a [String] {
    w.unspaced.get(section).map_or(&[], Vec::as_slice)
}

/// The longest listed word `s` starts with.
fn starts<'a>(s: &str, list: &'a [String]) -> Option<&'a str> {
    list.iter()
        .filter(|p| !p.is_empty() && s.starts_with(p.as_str()))
        .max_by_key(|p| p.len())
        .map(String::as_str)
}

fn weekday_of(word: &str) -> Option<Weekday> {
    let n = super::words::entries(include_str!("ja.txt"))
        .filter(|(s, _)| *s == "weekday")
        .find_map(|(_, line)| {
            let (name, n) = line.rsplit_once(' ')?;
            (name == word).then_some(n)
        })?;
    Weekday::from_monday_one_offset(n.trim().parse::<i8>().ok()?).ok()
}

/// A number of ASCII or full-width digits at the start of `s`: (value, bytes).
fn number(s: &str) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut bytes = 0;
    for ch in s.chars().take(2) {
        let d = match ch {
            '0'..='9' | '\u{ff10}'..='\u{ff19}' => {
                ch.to_digit(10).unwrap_or_else(|| u32::from(ch) - 0xff10)
            }
            _ => break,
        };
        value = value * 10 + d;
        bytes += ch.len_utf8();
    }
    (bytes > 0).then_some((value, bytes))
}

/// "15時", "15時半", "15時30分", "午後3時", "15:00" at the start of `s`.
fn time(s: &str, oclock: &[String]) -> Option<(u32, u32, usize)> {
    let (pm, rest) = match s.strip_prefix("午後") {
        Some(r) => (true, r),
        None => (false, s.strip_prefix("午前").unwrap_or(s)),
    };
    let mut used = s.len() - rest.len();
    let (h, n) = number(rest)?;
    used += n;
    let rest = rest.get(n..)?;
    let (minute, tail) = if let Some(after) = rest.strip_prefix([':', '：']) {
        let (m, mn) = number(after)?;
        (m, rest.len() - after.len() + mn)
    } else {
        let o = starts(rest, oclock)?;
        let after = rest.get(o.len()..)?;
        if after.starts_with('半') {
            (30, o.len() + '半'.len_utf8())
        } else if let Some((m, mn)) = number(after).filter(|_| after.contains('分')) {
            (m, o.len() + mn + '分'.len_utf8())
        } else {
            (0, o.len())
        }
    };
    let hour = if pm && h < 12 { h + 12 } else { h };
    (hour <= 23 && minute < 60).then_some((hour, minute, used + tail))
}

/// The first day and time in an unspaced sentence: (date, hour, minute, words).
pub(super) fn slot(text: &str, r: Date, w: &ProposalWords) -> Option<(Date, u32, u32, String)> {
    let next = listed(w, "next");
    let names = listed(w, "weekday");
    let oclock = listed(w, "oclock");
    for (i, _) in text.char_indices() {
        let s = text.get(i..)?;
        let mut rest = s;
        let next_week = starts(rest, next);
        if let Some(n) = next_week {
            rest = rest.get(n.len()..).unwrap_or("");
            rest = rest.strip_prefix('の').unwrap_or(rest);
        }
        let date = if let Some(name) = starts(rest, names) {
            rest = rest.get(name.len()..)?;
            let wd = weekday_of(name)?;
            let base = if next_week.is_some() {
                r.checked_add((7 - i64::from(r.weekday().to_monday_zero_offset())).days())
                    .ok()?
                    .yesterday()
                    .ok()?
            } else {
                r
            };
            super::next_after(base, wd)?
        } else if let Some(t) = starts(rest, listed(w, "tomorrow")) {
            rest = rest.get(t.len()..)?;
            r.tomorrow().ok()?
        } else if let Some(t) = starts(rest, listed(w, "today")) {
            rest = rest.get(t.len()..)?;
            r
        } else {
            continue;
        };
        let rest = rest.trim_start_matches(['の', '、', ' ', 'は']);
        let Some((h, m, used)) = time(rest, oclock) else {
            continue;
        };
        // "15時まで": until three, not at three.
        let after = rest.get(used..).unwrap_or("");
        if starts(after, listed(w, "until")).is_some() {
            continue;
        }
        let end = text.len() - rest.len() + used;
        let words = text.get(i..end.min(text.len())).unwrap_or("").to_string();
        return Some((date, h, m, words));
    }
    None
}
