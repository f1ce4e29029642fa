//! The certainty rules: when a reading of a reply cannot be vouched for.
//!
//! A reading is sure only on unambiguous evidence. It is unsure when the
//! signals conflict (an acceptance and a refusal, an acceptance and a
//! deferral, a contrast after the yes, a refusal that names a date), when it
//! rests on one weak word ("make *sure*"), or when an acceptance sits under a
//! negation. Each doubt is one evidence line that says why. It also reads the
//! two kinds of reply that hold no intent phrase of their own: a refusal made
//! of a thanks, a contrast and a negation ("obrigado pelo convite, mas não vou
//! conseguir": a no, never a thank-you) and an acknowledgement ("Received,
//! thanks — let me check my calendar": other, not a yes).
//!
//! It never decides a yes, never looks at headers and never panics.

use jiff::civil::Date;

use super::cues::{Cue, cue};
use super::{Judgement, Reading, Sentence, answering_part, negated, within_not_acceptance};
use crate::core::classify::Intent;
use crate::core::classify::dates;
use crate::core::classify::lexicon::{Cat, Hit, set};

/// Words of deferral that only say "now" ("right now", "im Moment", "just nu"): beside
/// a refusal they defer nothing.
const MOMENTARY: &[&str] = &[
    "right now",
    "for now",
    "at the moment",
    "currently",
    "at present",
    "derzeit",
    "momentan",
    "im moment",
    "zurzeit",
    "en ce moment",
    "actuellement",
    "pour le moment",
    "por ahora",
    "de momento",
    "en este momento",
    "ahora mismo",
    "al momento",
    "in questo momento",
    "per ora",
    "neste momento",
    "no momento",
    "por agora",
    "op dit moment",
    "momenteel",
    "just nu",
    "för tillfället",
    "lige nu",
    "for øjeblikket",
    "akkurat nå",
    "for øyeblikket",
];

/// Whether a word of deferral only says "now" ([`MOMENTARY`]).
pub(super) fn momentary(phrase: &str) -> bool {
    MOMENTARY.contains(&phrase.trim())
}

/// Adds the doubts the whole text casts on a reading.
pub(super) fn review(j: &mut Judgement, text: &Reading, r: Date) {
    let sents = &text.sents;
    match j.intent {
        Intent::Yes => review_yes(j, sents),
        Intent::No => {
            if let Some(d) = dates::best_date(&text.unwrapped, r) {
                j.add_doubt(format!(
                    "a refusal that names a date (\"{}\"): perhaps a later",
                    d.text
                ));
            }
            // "I'll have to pass for now", "niet op dit moment": a refusal says when
            // it holds; only a bounded time ("this year", "until March") may defer.
            if let Some(c) = sents.iter().find_map(|s| {
                s.scan
                    .hits(Cat::LaterCue)
                    .find(|h| !MOMENTARY.contains(&h.phrase.trim()))
            }) {
                j.add_doubt(format!(
                    "a refusal with a word of deferral (\"{}\"): perhaps a later",
                    c.phrase
                ));
            }
        }
        Intent::Later => {
            let weak = sents.iter().find_map(|s| {
                let h = s
                    .scan
                    .hits(Cat::Later)
                    .find(|h| Some(h.phrase) == j.phrase.as_deref())?;
                (!strong(&s.text, &h)).then(|| h.phrase.to_string())
            });
            if let Some(w) = weak {
                j.add_doubt(format!(
                    "the deferral rests on one word (\"{w}\") inside a sentence"
                ));
            }
            // "On leave until January 11 - can we pick this up when I'm back? Happy
            // to do it that week.": a yes after a dated deferral accepts the later time.
            // "N'hésitez pas à me recontacter à partir du 5, je serai ravie d'échanger":
            // the yes in the invitation's own sentence accepts the later time too.
            let deferral_first = j.later_until.is_some()
                && sents
                    .iter()
                    .position(|s| {
                        s.scan.first(Cat::Later).is_some()
                            || cue(Cue::ContactMe).first(&s.text).is_some()
                    })
                    .zip(plain_yes_at(sents))
                    .is_some_and(|(later, yes)| later <= yes);
            // The acceptance the later was read from ("happy to - from the 20th")
            // is no second reading.
            let own = |y: &String| {
                j.phrase
                    .as_deref()
                    .is_some_and(|p| p.starts_with(y.as_str()))
            };
            if let Some(y) = plain_yes(sents).filter(|y| !deferral_first && !own(y)) {
                j.add_doubt(format!(
                    "both an acceptance (\"{y}\") and a deferral: which one governs is unclear"
                ));
            }
            if let Some(a) = acknowledgement(sents) {
                j.add_doubt(format!("an acknowledgement (\"{a}\") beside the deferral"));
            }
            if let Some(p) = undated_named_time(j, sents) {
                j.add_doubt(format!(
                    "a deferral to a named time (\"{p}\") no date was read from"
                ));
            }
        }
        Intent::Other => {}
    }
    if let Some(n) = negated_yes(sents)
        && j.intent != Intent::No
    {
        j.add_doubt(format!("an acceptance under a negation (\"… {n}\")"));
    }
}

fn review_yes(j: &mut Judgement, sents: &[Sentence]) {
    let yes: Vec<(usize, &Sentence, Hit<'_>)> = sents
        .iter()
        .enumerate()
        .flat_map(|(i, s)| {
            let part = answering_part(s);
            s.scan
                .hits_in(Cat::Yes, 0..part.len())
                .filter(move |h| !negated(&s.scan, part, h) && !within_not_acceptance(part, h))
                .map(move |h| (i, s, h))
        })
        .collect();
    if !yes.iter().any(|(_, s, h)| strong(answering_part(s), h)) {
        j.add_doubt(format!(
            "the acceptance rests on one weak word (\"{}\") inside a sentence",
            j.phrase.as_deref().unwrap_or("")
        ));
    }
    let first = yes.first().map_or(0, |(i, _, _)| *i);
    // Any contrast after the yes's sentence: "Happy to chat! I'm out next
    // week though, so maybe the week after?"
    let contrast = sents.iter().skip(first + 1).find_map(|s| {
        // A contrast word with nothing after it is a name ("Ciao, Ale"), not a "but".
        s.scan
            .hits(Cat::Contrast)
            .find(|c| !s.text.get(c.end..).unwrap_or("").trim().is_empty())
    });
    if let Some(c) = contrast {
        j.add_doubt(format!(
            "a contrast (\"{}\") follows the acceptance",
            c.phrase
        ));
    }
    if let Some(a) = acknowledgement(sents) {
        j.add_doubt(format!(
            "an acknowledgement (\"{a}\") beside the acceptance: perhaps the answer is still to come"
        ));
    }
}

/// Words that open a deferral to a named time: "nach den Feiertagen", "dopo
/// le feste", "efter jul", "after the summer", "till hösten".
const NAMED_TIME: &[&str] = &[
    "after", "nach", "après", "después", "tras", "dopo", "depois", "após", "na", "efter", "etter",
    "till", "til", "until", "bis", "hasta", "fino", "tot", "até", "po",
];

/// Words that close a deferral to a named time in languages that put them last:
/// Turkish "tatilden sonra" (after the holidays), "yaza kadar" (until summer).
const NAMED_TIME_LAST: &[&str] = &["sonra", "kadar"];

/// The deferral to a named time ("after the summer") in a reading from which
/// no date was read: the date the reply gives is missing.
fn undated_named_time(j: &Judgement, sents: &[Sentence]) -> Option<String> {
    if j.later_until.is_some() {
        return None;
    }
    sents.iter().find_map(|s| {
        s.scan
            .hits(Cat::Later)
            .find(|h| {
                let mut words = h.phrase.split_whitespace();
                words.next().is_some_and(|w| NAMED_TIME.contains(&w))
                    || words
                        .next_back()
                        .is_some_and(|w| NAMED_TIME_LAST.contains(&w))
            })
            .map(|h| h.phrase.to_string())
    })
}

/// A yes phrase that can carry a reading alone: several words, a script
/// without spaces, or a word that opens its clause ("Sure.", "Ja, gerne"),
/// never one word inside a sentence ("please make sure").
fn strong(s: &str, h: &Hit<'_>) -> bool {
    // Japanese and Chinese phrases are whole expressions, never one loose word.
    if h.phrase.contains(' ') || h.phrase.chars().any(|c| u32::from(c) >= 0x3040) {
        return true;
    }
    // First in its clause, or after one word and a comma ("Oh, sure", "Ok, gerne").
    let before = s.get(..h.start).unwrap_or("").trim();
    match before.split_whitespace().count() {
        0 => true,
        1 => before.ends_with(','),
        _ => false,
    }
}

/// Whether a hit opens its sentence (at most one word before it).
fn opens(s: &str, h: &Hit<'_>) -> bool {
    s.get(..h.start).unwrap_or("").split_whitespace().count() <= 1
}

/// An acceptance phrase a negation cancels ("I don't think that works for me").
fn negated_yes(sents: &[Sentence]) -> Option<String> {
    sents.iter().find_map(|s| {
        let part = answering_part(s);
        s.scan
            .hits_in(Cat::Yes, 0..part.len())
            .find(|h| negated(&s.scan, part, h) && !within_not_acceptance(part, h))
            .map(|h| h.phrase.to_string())
    })
}

/// A yes phrase, not negated, in a sentence that holds no deferral and no contrast.
fn plain_yes(sents: &[Sentence]) -> Option<String> {
    plain_yes_in(sents).map(|(_, p)| p)
}

/// The index of the sentence [`plain_yes`] finds its acceptance in.
fn plain_yes_at(sents: &[Sentence]) -> Option<usize> {
    plain_yes_in(sents).map(|(i, _)| i)
}

fn plain_yes_in(sents: &[Sentence]) -> Option<(usize, String)> {
    sents.iter().enumerate().find_map(|(i, s)| {
        let part = answering_part(s);
        let whole = 0..part.len();
        if s.scan.hits_in(Cat::Later, whole.clone()).next().is_some()
            || s.scan
                .hits_in(Cat::Contrast, whole.clone())
                .next()
                .is_some()
        {
            return None;
        }
        s.scan
            .hits_in(Cat::Yes, whole)
            .find(|h| {
                !negated(&s.scan, part, h) && !within_not_acceptance(part, h) && strong(part, h)
            })
            .map(|h| (i, h.phrase.to_string()))
    })
}

/// The acknowledgement phrase of a reply, if it has one.
pub(super) fn acknowledgement(sents: &[Sentence]) -> Option<String> {
    sents
        .iter()
        .find_map(|s| cue(Cue::Acknowledgement).first(&s.text))
        .map(|h| h.phrase.to_string())
}

/// A refusal idiom that holds a thanks word ("nein danke", "takke nej"):
/// a no, whatever else the sentence seems to accept.
pub(super) fn refusal_idiom(sents: &[Sentence]) -> Option<Judgement> {
    sents
        .iter()
        .find_map(|s| cue(Cue::ThanksRefusal).first(&s.text))
        .map(|h| Judgement::new(Intent::No, h.phrase))
}

/// A refusal made of thanks: a thanks followed by a contrast and then a
/// negation or a bare no, in the same sentence or the next ("Merci pour
/// l'invitation, mais non", "obrigado pelo convite, mas não vou
/// conseguir"). Read as a no, unsure: no refusal phrase says it.
pub(super) fn polite_refusal(sents: &[Sentence]) -> Option<Judgement> {
    for (i, s) in sents.iter().enumerate() {
        let Some(t) = s.scan.first(Cat::Thanks) else {
            continue;
        };
        let rest = format!(
            "{} {}",
            s.text.get(t.end..).unwrap_or(""),
            sents.get(i + 1).map_or("", |n| n.text.as_str())
        );
        let Some(c) = set(Cat::Contrast).first(&rest) else {
            continue;
        };
        let after = rest.get(c.end..).unwrap_or("");
        let neg = set(Cat::Negation)
            .first(after)
            .or_else(|| cue(Cue::RefusalWord).first(after));
        if let Some(n) = neg {
            let phrase = format!("{} … {} … {}", t.phrase, c.phrase, n.phrase);
            return Some(Judgement::new(Intent::No, phrase).doubt(
                "a thanks followed by a contrast and a negation: read as a polite no, no refusal phrase",
            ));
        }
    }
    None
}

/// A refusal no phrase says: a contrast and then a negation in one sentence
/// ("Leider kann ich am 14. nicht", "Unfortunately that is not going to
/// work"). Read as a no, unsure.
pub(super) fn contrast_then_negation(sents: &[Sentence]) -> Option<Judgement> {
    sents.iter().find_map(|s| {
        let c = s.scan.first(Cat::Contrast)?;
        // "… but could do the week after, if that's not too late": a condition's
        // negation refuses nothing.
        let n = s
            .scan
            .hits_in(Cat::Negation, c.end..s.text.len())
            .find(|n| !in_a_condition(&s.text, n.start))?;
        let phrase = format!("{} … {}", c.phrase, n.phrase);
        Some(
            Judgement::new(Intent::No, phrase)
                .doubt("a contrast and a negation read as a refusal, no refusal phrase"),
        )
    })
}

/// Whether the word at byte `at` stands in a condition: "if", "unless", "wenn", "si",
/// "se", "als", "om", "hvis" at most three words before it.
fn in_a_condition(text: &str, at: usize) -> bool {
    let before = text.get(..at).unwrap_or("");
    before.split_whitespace().rev().take(3).any(|w| {
        matches!(
            w.trim_matches(|c: char| !c.is_alphanumeric()),
            "if" | "unless" | "wenn" | "falls" | "si" | "se" | "als" | "om" | "hvis"
        )
    })
}

/// Sales or bulk wording in the text ("unsubscribe", "our services"), a
/// percentage, or three links or more: a thanks or a request in it is not
/// vouched for.
pub(crate) fn sales_like(text: &Reading) -> Option<String> {
    if let Some(h) = text
        .sents
        .iter()
        .find_map(|s| cue(Cue::Sales).first(&s.text))
    {
        return Some(format!("sales wording (\"{}\")", h.phrase));
    }
    if let Some(p) = percentage(&text.unwrapped) {
        return Some(format!("a figure claimed (\"{p}\")"));
    }
    let links =
        text.unwrapped.matches("http://").count() + text.unwrapped.matches("https://").count();
    (links >= 3).then(|| format!("{links} links"))
}

/// How many signs of a pitch the text gives: each distinct sales phrase, a percentage
/// claimed, three links or more. One ("pricing" in workshop notes) proves nothing.
pub(crate) fn pitch_signs(text: &Reading) -> usize {
    let mut phrases: Vec<&str> = text
        .sents
        .iter()
        .flat_map(|s| {
            cue(Cue::Sales)
                .hits(&s.text)
                .map(|h| h.phrase)
                .collect::<Vec<_>>()
        })
        .collect();
    phrases.sort_unstable();
    phrases.dedup();
    let links =
        text.unwrapped.matches("http://").count() + text.unwrapped.matches("https://").count();
    phrases.len() + usize::from(percentage(&text.unwrapped).is_some()) + usize::from(links >= 3)
}

/// A percentage in the text ("by 40%", "30 %"): what pitches promise.
fn percentage(text: &str) -> Option<String> {
    let i = text.find('%')?;
    let before = text.get(..i)?.trim_end();
    let digits: String = before
        .chars()
        .rev()
        .take_while(char::is_ascii_digit)
        .collect();
    (!digits.is_empty()).then(|| format!("{}%", digits.chars().rev().collect::<String>()))
}

/// Whether the object of a thanks phrase is one any form letter names ("your time").
pub(crate) fn generic_object(object: &str) -> bool {
    let o = format!(" {} ", object.trim());
    cue(Cue::GenericObject)
        .hits(&o)
        .any(|h| h.start <= 1 && h.end + 1 >= o.len())
}

/// A contrast after a thanks, in its sentence or opening the next ("Thanks
/// for the invite, but …"): the thanks is not the whole message.
pub(crate) fn contrast_after_thanks(text: &Reading) -> Option<String> {
    let sents = &text.sents;
    sents.iter().enumerate().find_map(|(i, s)| {
        let t = s.scan.first(Cat::Thanks)?;
        if let Some(c) = s.scan.first_in(Cat::Contrast, t.end..s.text.len()) {
            return Some(c.phrase.to_string());
        }
        let next = sents.get(i + 1)?;
        next.scan
            .first(Cat::Contrast)
            .filter(|c| opens(&next.text, c))
            .map(|c| c.phrase.to_string())
    })
}

/// Words of meeting again ("let's do it again", "à refaire", "gerne wieder"): after a
/// thanks for a meeting they wish for another, they put nothing off.
const AGAIN: &[&str] = &[
    " do it again ",
    " do this again ",
    " do that again ",
    " meet again ",
    " catch up again ",
    " again soon ",
    " again sometime ",
    " again some time ",
    " next time you're in ",
    " gerne wieder ",
    " bald wieder ",
    " wiederholen ",
    " à refaire ",
    " a refaire ",
    " à renouveler ",
    " repetirlo ",
    " da rifare ",
    " rifarlo ",
    " repetir a dose ",
    " voor herhaling vatbaar ",
    " göra om det ",
    " gøre det igen ",
    " gjøre det igjen ",
    " powtórzyć ",
    " powtórzmy ",
    " do powtórki ",
    " znowu się spotkać ",
    " spotkajmy się znowu ",
    " tekrar görüşelim ",
    " tekrar görüşmek ",
    " yine görüşelim ",
    " yine görüşmek ",
    " tekrarlayalım ",
];

/// Whether a text wishes to meet again ([`AGAIN`]).
pub(crate) fn wishes_to_meet_again(sents: &[Sentence]) -> bool {
    sents
        .iter()
        .any(|s| AGAIN.iter().any(|a| s.text.contains(a)))
}
