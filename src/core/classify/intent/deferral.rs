//! Deferrals and their dates: "not X, but Y" with the date offered, the
//! date of a deferral phrase (its own sentence first), and a date proposed
//! with no acceptance or refusal phrase (later, or a yes with a time when it
//! is near). It never looks at headers and never panics.

use std::sync::LazyLock;

use jiff::civil::Date;

use super::{Intent, Judgement, Sentence};
use crate::core::classify::dates::{self, Found};
use crate::core::classify::lexicon::{Cat, PhraseSet, set};

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
        "nie mogę",
        "nie moge",
        "nie dam rady",
        "nie pasuje",
        "nie będę",
        "nie bede",
        "nie jestem",
        "nie uda",
        "nie zdążę",
        "nie mam czasu",
        "nie da się",
        "nie tym razem",
        "zajęty",
        "zajęta",
        "zajety",
        "zajeta",
        "değil",
        "degil",
        "değilim",
        "degilim",
        "yoğunum",
        "yogunum",
        "doluyum",
        "olmaz",
        "olmuyor",
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
        "ale",
        "jednak",
        "za to",
        "może",
        "moze",
        "ama",
        "fakat",
        "ancak",
        "belki",
        "onun yerine",
    ])
});

/// Whether the negation at byte `at` is a condition's ("if not", "falls nicht",
/// "sinon", "si no", "se no", "als niet", "om inte", "hvis ikke", "se não").
fn conditional(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("").trim_end();
    [
        "if",
        "falls",
        "wenn",
        "si",
        "se",
        "als",
        "om",
        "hvis",
        "otherwise",
        "jeśli",
        "jeżeli",
        "jesli",
        "jezeli",
        "gdyby",
    ]
    .iter()
    .any(|w| before.ends_with(&format!(" {w}")) || before == *w)
        || text
            .get(at..)
            .is_some_and(|t| t.trim_start().starts_with("sinon"))
}

/// "not X, but Y" with a date in Y's sentence or the next one: later, with the
/// date offered (not the one declined).
pub(super) fn deferral_with_date(sents: &[Sentence], r: Date) -> Option<Judgement> {
    for (i, s) in sents.iter().enumerate() {
        // "If not, I can do the 15th" offers a second slot; it declines nothing.
        let Some(neg) = UNAVAILABLE
            .hits(&s.text)
            .find(|n| !conditional(&s.text, n.start))
        else {
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
        // "… but happy to talk in March, e.g. after the 10th": the 10th of March.
        if let Some(found) =
            dates::best_date(&window, r).map(|f| dates::in_named_month(f, &window, r))
        {
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
///
/// A named time ("depois do Carnaval") followed by a day stated outright, later than
/// it, in the same sentence or the next ("A partir de 15 de fevereiro …") gives way to
/// that day: the writer has said exactly when.
pub(super) fn date_near(sents: &[Sentence], i: usize, at: usize, r: Date) -> Option<Found> {
    let s = sents.get(i)?;
    let near = || {
        sents
            .iter()
            .skip(i)
            .take(2)
            .find_map(|s| dates::best_date(&s.text, r))
    };
    let Some(found) = s.text.get(at..).and_then(|rest| dates::best_date(rest, r)) else {
        return near();
    };
    if found.specificity == dates::Specificity::Exact {
        return Some(found);
    }
    let stated = sents.iter().skip(i).take(2).find_map(|s| {
        dates::find_dates(&s.text, r)
            .into_iter()
            .find(|f| f.specificity == dates::Specificity::Exact && f.date > found.date)
    });
    stated.or(Some(found))
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
    "po",
    "od",
    "dopiero po",
    "dopiero od",
    "sonra",
    "sonrası",
    "itibaren",
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

/// The doubt of a later whose date a contrast gave without saying it is the first day.
pub(super) const GUESSED_FIRST_DAY: &str = "an acceptance taken back by a contrast with a date";

/// Words that put the date after them as the first day the writer can: "gerne, aber
/// erst ab Mitte Januar", "volontiers, mais plutôt en février", "con gusto, pero a
/// partir de marzo", "happy to, but not before the 20th".
const FROM_WORDS: &[&str] = &[
    "only from",
    "only after",
    "not before",
    "not until",
    "no earlier than",
    "at the earliest",
    "from",
    "after",
    "rather in",
    "better in",
    "erst ab",
    "erst im",
    "erst in",
    "erst nach",
    "erst wieder",
    "frühestens",
    "nicht vor",
    "ab",
    "nach",
    "à partir",
    "a partir",
    "après",
    "pas avant",
    "plutôt",
    "plutôt en",
    "plutôt après",
    "plutôt début",
    "plutôt fin",
    "au plus tôt",
    "después",
    "no antes",
    "mejor",
    "mejor en",
    "mejor a",
    "más bien en",
    "dopo",
    "a partire",
    "non prima",
    "piuttosto a",
    "piuttosto in",
    "meglio a",
    "depois",
    "só a partir",
    "não antes",
    "só em",
    "melhor em",
    "pas vanaf",
    "pas in",
    "pas na",
    "vanaf",
    "liever in",
    "niet voor",
    "först i",
    "först efter",
    "tidigast",
    "inte före",
    "från",
    "efter",
    "først i",
    "først efter",
    "tidligst",
    "ikke før",
    "fra",
    "etter",
    "dopiero po",
    "dopiero od",
    "dopiero w",
    "nie wcześniej niż",
    "najwcześniej",
    "po",
    "od",
    "sonra",
    "sonrası",
    "itibaren",
    "en erken",
];

/// An acceptance a contrast took back to a later date ("happy to, but only from the
/// 20th"): a later with that date, sure when a word puts the date as the first day
/// ([`FROM_WORDS`]), else a guess. None when the clause names no date to come, or
/// negates one ("but not in January").
pub(super) fn conceded_until(after: &str, phrase: &str, r: Date) -> Option<Judgement> {
    let found = dates::best_date(after, r).filter(|f| f.date > r)?;
    let before_date = after.get(..found.offset).unwrap_or("");
    let padded = format!(" {before_date} ");
    let through = format!(
        " {} ",
        after.get(..found.offset + found.text.len()).unwrap_or("")
    );
    // The word must stand right before the date (or in it): "pas avant la rentrée
    // de janvier : … jusqu'au 8 janvier" does not make the 8th the first day.
    let from = from_word(after, &found, 2);
    // A negation that is part of a "not before" word negates no date.
    let not_before = FROM_WORDS
        .iter()
        .any(|w| set(Cat::Negation).any(&format!(" {w} ")) && through.contains(&format!(" {w} ")));
    if from.is_none() && !not_before && set(Cat::Negation).any(&padded) {
        return None;
    }
    let mut j = Judgement::new(
        Intent::Later,
        format!(
            "{phrase} … {}",
            from.map_or(found.text.clone(), |w| format!("{w} {}", found.text))
        ),
    );
    if from.is_none() {
        j.add_doubt(format!(
            "{GUESSED_FIRST_DAY} (\"{}\") but no word that it is the first day: a later is a guess",
            found.text
        ));
    }
    j.later_until = Some(found);
    Some(j)
}

/// The first day a text offers, a date right after a word that makes it one ("ab dem
/// 25.", "from the 11th", "à partir du 4"): None without such a word.
pub(super) fn first_day(text: &str, r: Date) -> Option<Found> {
    let found = dates::best_date(text, r).filter(|f| f.date > r)?;
    // Right before the date, or a few words before it ("after our launch on the 14th").
    from_word(text, &found, 4).is_some().then_some(found)
}

/// The word of [`FROM_WORDS`] that makes `found` (a date read in `text`) a first day:
/// at most `gap` words before it, or among the date's own words ("not before March"
/// is read as one date).
fn from_word(text: &str, found: &Found, gap: usize) -> Option<&'static str> {
    // The text up to the end of the date, padded as the word lists match.
    let through = format!(
        " {} ",
        text.get(..found.offset + found.text.len()).unwrap_or("")
    );
    let date_at = found.offset + 1;
    FROM_WORDS.iter().copied().find(|w| {
        let w = format!(" {w} ");
        through.rfind(&w).is_some_and(|at| {
            let end = at + w.len() - 1;
            end >= date_at
                || through
                    .get(end..date_at)
                    .is_some_and(|between| between.split_whitespace().count() <= gap)
        })
    })
}

/// The date a question or a proposal in the next two sentences asks for ("Can we
/// aim for the week of 18 January instead?"), a bare day read in the month they
/// name ("the second half of January? Say after the 15th?").
pub(super) fn asked_date(next: &[Sentence], r: Date) -> Option<Found> {
    let context: String = next
        .iter()
        .take(2)
        .map(|n| n.text.as_str())
        .collect::<Vec<_>>()
        .join(" ");
    // Of the dates asked for, the most specific ("mid-January? Anything after the
    // 11th works." is the 11th).
    next.iter()
        .take(2)
        .filter_map(|n| {
            let found = dates::best_date(&n.text, r).filter(|f| f.date > r)?;
            // "Free from the 11th onward": a first day offered is asked for too.
            let offered = from_word(&n.text, &found, 1).is_some();
            let asks = n.question || n.scan.first(Cat::Proposal).is_some() || offered;
            asks.then(|| dates::in_named_month(found, &context, r))
        })
        .reduce(|best, f| {
            if f.specificity > best.specificity {
                f
            } else {
                best
            }
        })
}

/// An invitation to write again with a future date in its sentence ("Escríbeme en un
/// mes", "Hör av dig om två veckor", "email me after the launch on the 14th"): a
/// later from that date, or from the sentence before when it says "then". Negated
/// invitations ("don't write me before March") are not.
/// A "then" that points an invitation back at the date of the sentence before ("Ich
/// bin bis Januar in Elternzeit. Schreibst du mir dann?").
const THEN: &[&str] = &[
    " then",
    " dann",
    " entonces",
    " allora",
    " alors",
    " dan",
    " da",
    " nessa altura",
    " então",
    " til den tid",
    " till dess",
    " den tiden",
];

pub(super) fn invitation_with_date(sents: &[Sentence], r: Date) -> Option<Judgement> {
    sents.iter().enumerate().find_map(|(i, s)| {
        let h = super::cues::cue(super::cues::Cue::ContactMe).first(&s.text)?;
        if super::negated(&s.scan, &s.text, &h) {
            return None;
        }
        let before = i.checked_sub(1).and_then(|p| sents.get(p));
        let then = THEN
            .iter()
            .any(|t| s.text.contains(&format!("{t} ")) || s.text.contains(&format!("{t}?")));
        let found = dates::best_date(&s.text, r)
            .or_else(|| {
                before
                    .filter(|_| then)
                    .and_then(|b| dates::best_date(&b.text, r))
            })
            .filter(|f| f.date > r)?;
        // "… à partir du 5" after "jusqu'au 4 janvier": the 5th of the month named.
        let all: Vec<&str> = sents.iter().map(|s| s.text.as_str()).collect();
        let found = dates::in_named_month(found, &all.join(" "), r);
        let mut j = Judgement::new(Intent::Later, format!("{} … {}", h.phrase, found.text));
        j.later_until = Some(found);
        Some(j)
    })
}
