//! Deferrals and their dates: "not X, but Y" with the date offered, the
//! date of a deferral phrase (its own sentence first), and a date proposed
//! with no acceptance or refusal phrase (later, or a yes with a time when it
//! is near). It never looks at headers and never panics.

use std::sync::LazyLock;

use jiff::civil::Date;

use super::{Intent, Judgement, Sentence};
use crate::core::classify::dates::{self, Found};
use crate::core::classify::lexicon::PhraseSet;

/// Words that mark unavailability, for "not X, but Y" deferrals.
static UNAVAILABLE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::from_list(&[
        "not",
        "can't",
        "cannot",
        "unable",
        "busy",
        "swamped",
        "slammed",
        "booked",
        "traveling",
        "travelling",
        "away",
        "out of the office",
        "won't",
        "impossible",
        "difficult",
        "imposible",
        "difícil",
        "impossibile",
        "difficile",
        "impossível",
        "unmöglich",
        "schwierig",
        "onmogelijk",
        "moeilijk",
        "omöjligt",
        "svårt",
        "umuligt",
        "umulig",
        "svært",
        "vanskelig",
        "nicht",
        "pas",
        "no puedo",
        "niet",
        "non",
        "não",
        "inte",
        "ikke",
    ])
});
/// What offers the alternative in "not X, but Y".
static ALTERNATIVE: LazyLock<PhraseSet> = LazyLock::new(|| {
    PhraseSet::from_list(&[
        "but",
        "however",
        "how about",
        "what about",
        "maybe",
        "perhaps",
        "could we",
        "can we",
        "would",
        "i can do",
        "i could do",
        "instead",
        "aber",
        "sondern",
        "mais",
        "plutôt",
        "pero",
        "sino",
        "maar",
        "ma",
        "mas",
        "men",
    ])
});

/// "not X, but Y" with a date in Y's sentence or the next one: later, with the
/// date offered (not the one declined).
pub(super) fn deferral_with_date(sents: &[Sentence], r: Date) -> Option<Judgement> {
    for (i, s) in sents.iter().enumerate() {
        let Some(neg) = UNAVAILABLE.first(&s.text) else {
            continue;
        };
        let next = sents.get(i + 1);
        let this_alt = ALTERNATIVE.hits(&s.text).find(|a| a.start > neg.start);
        let next_alt = next.and_then(|n| ALTERNATIVE.first(&n.text));
        let Some(alt) = this_alt.or(next_alt) else {
            continue;
        };
        // The date is read after the alternative word: "not the 2nd but the 4th".
        let window = match this_alt {
            Some(a) => format!(
                "{} {}",
                s.text.get(a.start..).unwrap_or(""),
                next.map_or("", |n| n.text.as_str())
            ),
            None => next.map_or(String::new(), |n| n.text.clone()),
        };
        if let Some(found) = dates::best_date(&window, r) {
            let mut j = Judgement::new(
                Intent::Later,
                format!("{} … {} {}", neg.phrase, alt.phrase, found.text),
            );
            j.later_until = Some(found);
            return Some(j);
        }
    }
    None
}

/// The date of a deferral whose phrase starts at byte `at` of sentence `i`:
/// the one from the phrase on ("Busy in January - ping me in March" is March),
/// else elsewhere in its sentence, else in the next ("Ping me again. Maybe in
/// March?"), before any elsewhere in the text ("I'm on leave until the end of
/// January. Write to me in February?" is February).
pub(super) fn date_near(sents: &[Sentence], i: usize, at: usize, r: Date) -> Option<Found> {
    let s = sents.get(i)?;
    s.text
        .get(at..)
        .and_then(|rest| dates::best_date(rest, r))
        .or_else(|| {
            sents
                .iter()
                .skip(i)
                .take(2)
                .find_map(|s| dates::best_date(&s.text, r))
        })
}

/// Proposal words that mean "after" or "from": the date they name is one to
/// come back after, a deferral however near.
const AFTER_PROPOSALS: &[&str] = &[
    "after",
    "free after",
    "nach",
    "ab",
    "après",
    "a partir",
    "después",
    "dopo",
    "a partire",
    "depois",
    "na",
    "vanaf",
    "efter",
    "etter",
];

/// Whether a proposal phrase means "after" or "from" ([`AFTER_PROPOSALS`]).
pub(super) fn after_word(phrase: &str) -> bool {
    AFTER_PROPOSALS.iter().any(|a| {
        phrase == *a
            || phrase
                .strip_prefix(a)
                .is_some_and(|rest| rest.starts_with(' '))
    })
}

/// A proposal of a date with no acceptance or refusal phrase: later, with
/// that date; but a day named within three weeks, not after an "after" ("How about Wednesday the
/// 13th at 4pm?" in answer to "the next 2-3 weeks") is more likely an
/// acceptance with a time: a yes, never vouched for.
pub(super) fn proposed_date(phrase: &str, found: Found, after: bool, r: Date) -> Judgement {
    let soon = r
        .checked_add(jiff::ToSpan::days(21))
        .is_ok_and(|limit| found.date <= limit);
    if soon && !after && found.specificity >= dates::Specificity::Weekday {
        return Judgement::new(Intent::Yes, format!("{phrase} {}", found.text)).doubt(format!(
            "a day proposed within three weeks (\"{}\") and no acceptance phrase: read as a yes with a time",
            found.text
        ));
    }
    let mut j = Judgement::new(Intent::Later, format!("{phrase} {}", found.text));
    j.later_until = Some(found);
    j
}
