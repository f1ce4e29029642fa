//! The first day a contact may be written to again, from the date a deferral names:
//! a day written after a word of "after" or "until" ("after the 15th", "busy until
//! the 20th of January", "bis einschließlich 8. Januar", "jusqu'au 4", "until 15
//! January") is the writer's last busy day, so the first free one is the day after.
//! A day after "from" ("from the 11th", "ab dem 11.") is itself the first day, and a
//! wait ("can we wait until the 20th?") names the day to write on. Only a day of the
//! month moves: a month ("until January"), a weekday or a relative time is the
//! first day as it stands.

use super::{Found, Specificity};

/// Words that make the day after them a last busy day, by language ("after the 15th",
/// "bis einschließlich 8. Januar", "till och med den 31"); several words are matched
/// as the words right before the date (articles between are allowed).
const LAST_BUSY: &[&str] = &[
    // en
    "after",
    "through",
    "thru",
    // de
    "nach",
    "nach dem",
    "bis einschließlich",
    "bis inklusive",
    "bis und mit",
    // fr
    "après",
    "après le",
    // es
    "después del",
    "después de",
    "tras el",
    // it
    "dopo",
    "dopo il",
    // pt
    "depois de",
    "depois do",
    "depois dia",
    "após",
    "após o",
    // nl ("na" is left out: Polish and Portuguese "na" is "on", "in the")
    "tot en met",
    "t/m",
    // sv, da, no
    "efter",
    "etter",
    "till och med",
    "t.o.m.",
    "til og med",
    // pl
    "po",
    "dopiero po",
];

/// "Until" words: the day after them is the first free day only when the text goes
/// on to say "after that" ("busy until the 20th. My diary opens up after that");
/// alone, "until January 11" is read as the day itself, as most readers do.
pub(crate) const UNTIL: &[&str] = &[
    "until",
    "till",
    "til",
    "through",
    "bis",
    "bis zum",
    "bis zur",
    "jusqu'au",
    "jusqu'à",
    "jusqu’au",
    "jusqu’à",
    "hasta",
    "hasta el",
    "fino al",
    "fino a",
    "fino",
    "até",
    "até ao",
    "até o",
    "tot",
    "frem til",
    "indtil",
];

/// Words that point back to a last busy day as the start of what follows ("… after
/// that", "danach", "depois disso").
pub(crate) const AFTER_THAT: &[&str] = &[
    "after that",
    "afterwards",
    "after then",
    "danach",
    "après ça",
    "après cela",
    "después de eso",
    "dopo di che",
    "depois disso",
    "daarna",
    "efter det",
    "efter dette",
    "etter det",
    "potem",
    "później",
    "pozniej",
    "po tym",
    "bu tarihten sonra",
    "ondan sonra",
    "sonrasında",
];

/// Words right before an "until" that make it a wait: the date is the day to write.
const WAIT: &[&str] = &[
    "wait",
    "hold",
    "off",
    "warten",
    "attendre",
    "esperar",
    "aspettare",
    "aguardar",
    "wachten",
    "vänta",
    "vente",
    "czekać",
    "poczekać",
    "poczekajmy",
];

/// Articles and fillers that may stand between the word and the date.
const FILLER: &[&str] = &[
    "the", "dem", "den", "le", "el", "il", "lo", "o", "a", "de", "di", "del", "dia", "day",
];

/// `found` moved to the day after when the words before it in `text` make it a last
/// busy day (see the module doc); unchanged otherwise.
pub(crate) fn first_day_after(found: Found, text: &str) -> Found {
    if found.specificity != Specificity::Exact {
        return found;
    }
    let lower = text.to_lowercase();
    let written = found.text.to_lowercase();
    let Some(at) = lower.find(written.trim()) else {
        return found;
    };
    let before: Vec<&str> = lower
        .get(..at)
        .unwrap_or("")
        .split_whitespace()
        .rev()
        .take(5)
        .map(|w| w.trim_matches(|c: char| c == ',' || c == '(' || c == '"'))
        .collect();
    // The words before the date, nearest first, fillers skipped.
    let mut words: Vec<&str> = before
        .iter()
        .copied()
        .skip_while(|w| FILLER.contains(w))
        .collect();
    words.truncate(3);
    let rest = lower.get(at + written.trim().len()..).unwrap_or("");
    // An inclusive word after the date was read by `after_inclusive_end`.
    if rest.split_whitespace().take(2).any(|w| {
        super::return_date::INCLUSIVE.contains(&w.trim_matches(|c: char| !c.is_alphanumeric()))
    }) {
        return found;
    }
    let said = |list: &[&str]| {
        (1..=words.len()).rev().find_map(|n| {
            let phrase: Vec<&str> = words.iter().take(n).rev().copied().collect();
            list.contains(&phrase.join(" ").as_str())
                .then(|| words.get(n).copied())
        })
    };
    let not_a_wait = |prev: Option<&str>| !prev.is_some_and(|p| WAIT.contains(&p));
    // What follows the date in its sentence and the next: "… after that".
    let near: String = rest.chars().take(120).collect();
    let after_that = AFTER_THAT.iter().any(|a| near.contains(&format!(" {a}")));
    // Turkish puts its "after" after the day ("18 Ocak'tan sonra", read with it;
    // "18 Ocak 2027'den sonra", a case ending apart between).
    let next_word = rest
        .split_whitespace()
        .find(|w| !w.starts_with(['\'', '\u{2019}']));
    let turkish_after = written
        .split_whitespace()
        .next_back()
        .into_iter()
        .chain(next_word)
        .any(|w| super::pl_tr::TURKISH_AFTER.contains(&w));
    // Turkish puts its "until" after the day too: "25 Ocak'a kadar … bu tarihten sonra".
    let turkish_until = next_word.is_some_and(|w| w == "kadar");
    let last_busy = turkish_after
        || match said(LAST_BUSY) {
            Some(prev) => not_a_wait(prev),
            None => after_that && (said(UNTIL).is_some_and(not_a_wait) || turkish_until),
        };
    if last_busy { next_day(found) } else { found }
}

/// `found` a day later (unchanged at the end of the calendar).
fn next_day(found: Found) -> Found {
    match found.date.tomorrow() {
        Ok(next) => Found {
            date: next,
            ..found
        },
        Err(_) => found,
    }
}
