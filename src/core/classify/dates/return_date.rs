//! The return date of an out-of-office: a named day back wins over the
//! last day away, which is followed by the day after. It must never take the
//! start of an absence for the return.

use super::*;

/// Words after which an out-of-office names the day the person is back; such
/// a day wins over an "until" ("until Friday 1 January, back on Monday 4").
pub(super) const BACK_TRIGGERS: &[&str] = &[
    "back",
    "return",
    "returning",
    "returns",
    "zurück",
    "wieder",
    "retour",
    "vuelta",
    "regreso",
    "terug",
    "rientro",
    "regresso",
    "tillbaka",
    "tilbage",
    "tilbake",
];

/// Words after which an out-of-office states until when the person is away.
/// By the convention of the fixtures, "until X" names X as the day back.
pub(super) const UNTIL_TRIGGERS: &[&str] = &[
    "until", "till", "til", "untill", "through", "thru", "bis", "jusqu'au", "hasta", "fino", "tot",
    "até", "t/m",
];

/// The last word of a range "from X to Y" in many languages: the person is
/// away through Y and back the day after.
pub(super) const RANGE_ENDS: &[&str] = &[
    "to", "au", "al", "bis", "tot", "till", "til", "até", "-", "–",
];
pub(super) const RANGE_STARTS: &[&str] = &[
    "from", "du", "del", "vom", "van", "dal", "de", "från", "fra", "desde",
];

/// The date at token `t + 1 ..` (same line), as a `Found`.
pub(super) fn date_after(text: &str, c: &Cursor<'_>, t: usize, r: Date) -> Option<Found> {
    for i in t + 1..(t + 8).min(c.toks.len()) {
        if matches!(c.toks.get(i).map(|t| &t.tok), Some(Tok::Newline)) {
            break;
        }
        if let Some((date, used, specificity)) = date_at(c, i, r).or_else(|| relative_at(c, i, r)) {
            let start = c.toks.get(i).map_or(0, |t| t.start);
            let end = c.toks.get(i + used.max(1) - 1).map_or(start, |t| t.end);
            return Some(Found {
                date,
                specificity,
                text: text.get(start..end).unwrap_or_default().to_string(),
                offset: start,
            });
        }
    }
    None
}

/// Whether token `t` ends a range that a start word and a date open just before.
pub(super) fn ends_range(c: &Cursor<'_>, t: usize, r: Date) -> bool {
    (t.saturating_sub(6)..t).any(|p| {
        p > 0
            && c.word(p - 1).is_some_and(|w| RANGE_STARTS.contains(&w))
            && date_at(c, p, r).is_some_and(|(_, used, _)| p + used == t)
    })
}

/// The return date stated in an out-of-office text ("back on Monday,
/// December 1", "until 5 May", "du 1er juillet au 31 août" → 1 September):
/// a named return day wins, then the end of a range (the day after it), then
/// an "until".
pub(crate) fn return_date(text: &str, r: Date) -> Option<Found> {
    let toks = tokenize(text);
    let c = Cursor { toks: &toks };
    let word = |t: usize| -> Option<&str> {
        match &toks.get(t)?.tok {
            Tok::Word(w) => Some(w.as_str()),
            _ => None,
        }
    };
    let trigger_at = |t: usize, list: &[&str]| {
        word(t).is_some_and(|w| list.contains(&w))
            || c.punct(t)
                .is_some_and(|p| list.iter().any(|l| l.chars().eq([p])))
    };
    let back = (0..toks.len())
        .filter(|t| trigger_at(*t, BACK_TRIGGERS))
        .find_map(|t| date_after(text, &c, t, r));
    if back.is_some() {
        return back;
    }
    for t in 0..toks.len() {
        if trigger_at(t, RANGE_ENDS)
            && ends_range(&c, t, r)
            && let Some(mut f) = date_after(text, &c, t, r)
        {
            f.date = f.date.tomorrow().ok()?;
            return Some(f);
        }
        if trigger_at(t, UNTIL_TRIGGERS)
            && let Some(f) = date_after(text, &c, t, r)
        {
            return Some(f);
        }
    }
    None
}
