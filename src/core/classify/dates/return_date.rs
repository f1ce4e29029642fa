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
    "volta",
    "volto",
    "rientrerò",
    "nuovo",
    "vuelvo",
    "regresaré",
    "volveré",
    "reincorporo",
    "reincorporaré",
    "tornerò",
    "torno",
    "rentre",
    "rentrerai",
    "reprendrai",
    "åter",
    "weer",
    "regressando",
    "regressarei",
    "voltarei",
    "retorno",
    "retornarei",
    "retornando",
    "wracam",
    "wrócę",
    "wroce",
    "powrócę",
    "powroce",
    "powrót",
    "powrot",
    "powrotem",
    "ponownie",
    "вернусь",
    "возвращаюсь",
    "выхожу",
    "выйду",
];

/// Words that come after the day back, in languages that put the verb last
/// (Turkish "6 Ocak Çarşamba günü ofise döneceğim").
pub(super) const BACK_LAST: &[&str] = &[
    "döneceğim",
    "dönüyorum",
    "döneceğiz",
    "dönerim",
    "olacağım",
    "donecegim",
    "olacagim",
    "ofisteyim",
];

/// "Until" words that follow their date (Turkish "4 Ocak'a kadar"): by the
/// convention of "until", the date is the day back.
pub(super) const UNTIL_LAST: &[&str] = &["kadar"];

/// "Until" words of Polish and Russian, read only right before their date (Polish
/// "do" is English "do" too).
pub(super) const UNTIL_BEFORE_DATE: &[&str] = &["do", "до"];

/// Words that open the first day back when a back word follows the date in
/// the same sentence ("Ab Dienstag, 22. Dezember bin ich wieder da",
/// "Vanaf maandag 7 december ben ik weer bereikbaar").
pub(super) const FROM_STARTS: &[&str] = &[
    "ab", "vanaf", "from", "starting", "dès", "partir", "desde", "partire", "från", "fra", "fom",
    "od",
];
/// What says, after such a date, that the person is back then.
pub(super) const BACK_AFTER: &[&str] = &[
    "back",
    "return",
    "wieder",
    "zurück",
    "erreichbar",
    "weer",
    "terug",
    "bereikbaar",
    "retour",
    "disponible",
    "disponibile",
    "raggiungibile",
    "tillbaka",
    "tilbage",
    "tilbake",
    "vuelta",
    "volta",
    "regreso",
    "rientro",
    "ponownie",
    "dostępny",
    "dostępna",
    "dostepny",
    "dostepna",
    "powrotem",
];

/// Words after a last day away that make it inclusive: the day back is
/// the one after ("jusqu'au 15 mai inclus").
pub(crate) const INCLUSIVE: &[&str] = &[
    "inclus",
    "incluse",
    "inclusive",
    "included",
    "einschließlich",
    "inklusive",
    "inkl",
    "incluso",
    "incluida",
    "incluido",
    "compreso",
    "compresa",
    "incluído",
    "inclusief",
    "inklusive",
    "inklusiv",
    "medräknad",
    "włącznie",
    "wlacznie",
    "включительно",
    "dahil",
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
    "to", "au", "al", "bis", "tot", "till", "til", "até", "-", "–", "do",
];
pub(super) const RANGE_STARTS: &[&str] = &[
    "from", "du", "del", "vom", "van", "dal", "de", "från", "fra", "desde", "od",
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

/// Whether token `t` ends a range that a start word and a date open just
/// before; the first date may be a bare day whose month comes at the end
/// ("from 3 to 6 March", "vom 3. bis 6. März", "del 2 al 9 de abril").
pub(super) fn ends_range(c: &Cursor<'_>, t: usize, r: Date) -> bool {
    (t.saturating_sub(6)..t).any(|p| {
        let opened = p > 0 && c.word(p - 1).is_some_and(|w| RANGE_STARTS.contains(&w));
        let bare_day = c.day_number(p).is_some()
            && (p + 1 == t || (p + 2 == t && c.punct(p + 1) == Some('.')));
        opened && (bare_day || date_at(c, p, r).is_some_and(|(_, used, _)| p + used == t))
    })
}

/// The token index just after a found date (its end byte).
fn token_after(c: &Cursor<'_>, f: &Found) -> usize {
    let end = f.offset + f.text.len();
    c.toks
        .iter()
        .position(|t| t.start >= end)
        .unwrap_or(c.toks.len())
}

/// Whether a last day away is inclusive: an "inclusive" word right after
/// the date, or an until written "tot en met", "till och med", "til og med".
fn inclusive(c: &Cursor<'_>, t: usize, f: &Found) -> bool {
    let mut after = token_after(c, f);
    // A year's abbreviation after the date ("8 stycznia 2027 r. włącznie", "10 января
    // 2027 г. включительно").
    if c.word(after)
        .is_some_and(|w| matches!(w, "r" | "roku" | "г" | "года"))
    {
        after += 1;
    }
    let word_after = (after..after + 3).any(|i| c.word(i).is_some_and(|w| INCLUSIVE.contains(&w)));
    let and_with = matches!(
        (c.word(t + 1), c.word(t + 2)),
        (Some("en"), Some("met")) | (Some("och" | "og"), Some("med"))
    );
    // "through Friday 5 February": the 5th is the last day away.
    let through = c.word(t).is_some_and(|w| matches!(w, "through" | "thru"));
    word_after || and_with || through
}

/// A date opened by a "from" word and followed, in the same sentence, by a
/// word that says the person is back: the first day back.
fn from_date_back(text: &str, c: &Cursor<'_>, r: Date) -> Option<Found> {
    (0..c.toks.len())
        .filter(|t| c.word(*t).is_some_and(|w| FROM_STARTS.contains(&w)))
        .filter_map(|t| {
            // The date opens right after the word ("ab Dienstag", "from the 7th"),
            // not further on ("from 3 to 6 December").
            let f = date_after(text, c, t, r)?;
            let near = [t + 1, t + 2].map(|i| c.toks.get(i).map(|x| x.start));
            near.contains(&Some(f.offset)).then_some(f)
        })
        .find(|f| {
            // Within the sentence and a few words; a range ("from 3 to 6
            // December … on my return") is not a return day.
            let first = token_after(c, f);
            for tok in c.toks.iter().skip(first).take(8) {
                match &tok.tok {
                    Tok::Newline | Tok::Punct('.' | '!' | ';' | '-') => return false,
                    Tok::Word(w) if RANGE_ENDS.contains(&w.as_str()) => return false,
                    Tok::Word(w) if UNTIL_TRIGGERS.contains(&w.as_str()) => return false,
                    Tok::Word(w) if BACK_AFTER.contains(&w.as_str()) => return true,
                    _ => {}
                }
            }
            false
        })
}

/// A date followed, in its sentence and within a few words, by one of `words`: a
/// verb of coming back that its language puts last ([`BACK_LAST`]), or an "until"
/// that follows its date ([`UNTIL_LAST`]).
fn date_before_back(text: &str, c: &Cursor<'_>, r: Date, words: &[&str]) -> Option<Found> {
    let t = (0..c.toks.len()).find(|t| c.word(*t).is_some_and(|w| words.contains(&w)))?;
    let at = c.toks.get(t)?.start;
    let from = (0..t)
        .rev()
        .take(8)
        .take_while(|i| {
            !matches!(
                c.toks.get(*i).map(|x| &x.tok),
                Some(Tok::Newline | Tok::Punct('.' | '!' | ';'))
            )
        })
        .last()?;
    let start = c.toks.get(from)?.start;
    let window = text.get(start..at)?;
    let mut f = find_dates(window, r).into_iter().next()?;
    f.offset += start;
    Some(f)
}

/// The return date stated in an out-of-office text ("back on Monday,
/// December 1", "until 5 May", "du 1er juillet au 31 août" → 1 September):
/// a named return day wins, then the end of a range (the day after it), then
/// an "until".
pub(crate) fn return_date(text: &str, r: Date) -> Option<Found> {
    // Dutch "t/m" is "tot en met" (through): the tokeniser reads words, not slashes.
    let spelled;
    let text = if text.contains("t/m") || text.contains("T/m") {
        spelled = text
            .replace("t/m", "tot en met")
            .replace("T/m", "tot en met");
        spelled.as_str()
    } else {
        text
    };
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
        .find_map(|t| date_after(text, &c, t, r))
        .or_else(|| from_date_back(text, &c, r))
        .or_else(|| date_before_back(text, &c, r, BACK_LAST))
        .or_else(|| return_ja::named_return(text, r));
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
        let right_after = || {
            date_after(text, &c, t, r)
                .filter(|f| c.toks.get(t + 1).is_some_and(|n| n.start == f.offset))
        };
        let until = if trigger_at(t, UNTIL_BEFORE_DATE) {
            right_after()
        } else if trigger_at(t, UNTIL_TRIGGERS) {
            date_after(text, &c, t, r)
        } else {
            None
        };
        if let Some(mut f) = until {
            if inclusive(&c, t, &f) {
                f.date = f.date.tomorrow().ok()?;
            }
            return Some(f);
        }
    }
    // Turkish puts "until" after its date: "4 Ocak 2027 tarihine kadar".
    date_before_back(text, &c, r, UNTIL_LAST).or_else(|| return_ja::last_day_away(text, r))
}
