//! Japanese out-of-office dates, written without spaces: "12月8日より順次対応"
//! (the first day back) and "12月7日まで不在" (the last day away). The
//! tokeniser reads words between spaces, so these are read here, by
//! characters. It must never read a date that is not `M月D日`.

use super::*;

/// What, after a date and "より"/"から", says work resumes that day.
const RESUME: &[&str] = &[
    "対応",
    "出社",
    "復帰",
    "戻り",
    "戻ります",
    "通常",
    "営業",
    "再開",
    "返信",
];

/// What, right after a Chinese date, says the person is back that day
/// ("1月4日返回办公室", "1月4日回到公司", "1月4日起恢复办公").
const ZH_RESUME: &[&str] = &[
    "返回",
    "回到",
    "回来",
    "回公司",
    "上班",
    "复工",
    "起恢复",
    "起正常",
    "恢复办公",
];

/// `M月D日` (with an optional `YYYY年` before it) at each place in the text:
/// (date, byte start, byte end).
pub(super) fn dates_ja(text: &str, r: Date) -> Vec<(Date, usize, usize)> {
    let mut out = Vec::new();
    let mut rest = text;
    let mut base = 0;
    while let Some(m) = rest.find('月') {
        let before = rest.get(..m).unwrap_or("");
        let month_digits: String = before
            .chars()
            .rev()
            .take_while(char::is_ascii_digit)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        let after = rest.get(m + '月'.len_utf8()..).unwrap_or("");
        let day_digits: String = after.chars().take_while(char::is_ascii_digit).collect();
        let day_end = day_digits.len();
        let next = base + m + '月'.len_utf8();
        if !month_digits.is_empty()
            && !day_digits.is_empty()
            && after.get(day_end..).is_some_and(|a| a.starts_with('日'))
            && let (Ok(mo), Ok(d)) = (month_digits.parse::<i8>(), day_digits.parse::<i8>())
        {
            let start = base + m - month_digits.len();
            let end = next + day_end + '日'.len_utf8();
            let year = text
                .get(..start)
                .and_then(|b| b.strip_suffix('年'))
                .map(|b| {
                    b.chars()
                        .rev()
                        .take_while(char::is_ascii_digit)
                        .collect::<String>()
                })
                .and_then(|y| y.chars().rev().collect::<String>().parse::<i16>().ok());
            let date = match year {
                Some(y) => Date::new(y, mo, d).ok(),
                None => next_month_day(r, mo, d),
            };
            if let Some(date) = date {
                out.push((date, start, end));
            }
        }
        rest = text.get(next..).unwrap_or("");
        base = next;
        if out.len() > 16 {
            break;
        }
    }
    out
}

/// The text after a date without a weekday in brackets: "（月）まで" → "まで".
fn skip_weekday(after: &str) -> &str {
    let t = after.trim_start();
    let Some(open) = t.strip_prefix(['(', '（']) else {
        return t;
    };
    match open.find([')', '）']) {
        Some(i) if i <= 12 => open
            .get(i..)
            .map_or(t, |r| r.trim_start_matches([')', '）']).trim_start()),
        _ => t,
    }
}

fn found(text: &str, date: Date, start: usize, end: usize) -> Found {
    Found {
        date,
        specificity: Specificity::Exact,
        text: text.get(start..end).unwrap_or_default().to_string(),
        offset: start,
    }
}

/// "12月8日より順次対応いたします": the first day back.
pub(super) fn named_return(text: &str, r: Date) -> Option<Found> {
    dates_ja(text, r)
        .into_iter()
        .find_map(|(date, start, end)| {
            let after = skip_weekday(text.get(end..)?);
            let from =
                after.starts_with("より") || after.starts_with("から") || after.starts_with("以降");
            let sentence = after.split(['。', '\n']).next().unwrap_or("");
            // Chinese says it straight after the date: "将于1月4日返回办公室".
            let zh = ZH_RESUME.iter().any(|w| after.starts_with(w));
            ((from && RESUME.iter().any(|w| sentence.contains(w))) || zh)
                .then(|| found(text, date, start, end))
        })
}

/// "12月7日まで不在": the last day away, so back the day after.
pub(super) fn last_day_away(text: &str, r: Date) -> Option<Found> {
    dates_ja(text, r)
        .into_iter()
        .find_map(|(date, start, end)| {
            let after = skip_weekday(text.get(end..)?);
            // "1月3日まで", Chinese "休假至1月3日" is read by its "至" before the date.
            let zh_until = text
                .get(..start)
                .is_some_and(|b| b.ends_with('至') || b.ends_with("直到"));
            if !after.starts_with("まで") && !zh_until {
                return None;
            }
            Some(found(text, date.tomorrow().ok()?, start, end))
        })
}
