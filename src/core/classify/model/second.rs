//! The learned reader's second opinion on a human reading, and what it does to
//! the reading: agreement is recorded as evidence (with the n-grams); a confident
//! disagreement makes the reading unsure; a text nearly the same as one the user
//! labelled takes the user's label, unsure unless the rules read it alike.
//! Where the rules read no intent phrase at all (their `other` is only the want of
//! one, and already unsure), a confident reader's yes, no or later becomes the
//! reading's best guess, still unsure, with the date a later names.
//! The model alone never makes a reading sure, and never changes a label except
//! to the one the user gave a near-identical text.

use jiff::civil::Date;

use super::{Class, Reader};
use crate::core::classify::intent::NO_PHRASE;
use crate::core::classify::{Certainty, Classification, Intent, Label, dates, ev};

/// The probability from which a disagreeing model makes the reading unsure: on
/// the held-out fifth of the corpus the reader is right about 2 times in 3 from
/// 50% and 4 in 5 from 75% (the eval test prints the bands).
pub const CONFIDENT: f64 = 0.6;

fn shown(p: &super::Prediction) -> String {
    let grams: Vec<String> = p.ngrams.iter().map(|g| format!("\"{g}\"")).collect();
    format!(
        "{} ({:.0}%; n-grams: {})",
        p.class.as_str(),
        p.probability * 100.0,
        if grams.is_empty() {
            "none".to_string()
        } else {
            grams.join(", ")
        }
    )
}

/// Weighs the reader's opinion of `fresh` against the rules' reading `c`.
/// `answers_user`: the message answers one the user sent (only then does a
/// reply's intent change what rapport does); `r` is the day relative dates are
/// read from.
pub(crate) fn weigh(
    reader: Option<&Reader>,
    fresh: &str,
    answers_user: bool,
    r: Date,
    c: &mut Classification,
) {
    let Some(reader) = reader else { return };
    if !matches!(
        c.label,
        Label::HumanReply | Label::ThankYou | Label::MeetingRequest
    ) {
        return;
    }
    let Some(rules) = Class::of_reading(c.label, c.intent) else {
        return;
    };
    let Some(p) = reader.read(fresh) else { return };
    if let Some((text, alike)) = &p.like {
        return learned(c, rules, p.class, text, *alike);
    }
    if p.class == rules {
        c.evidence.push(ev(
            "model",
            format!("the learned reader agrees: {}", shown(&p)),
        ));
        return;
    }
    // A message that answers nothing of the user's cannot accept anything: a "yes"
    // read in a request that offers two slots is the slots, not a doubt.
    let slots_read_as_yes = c.label == Label::MeetingRequest
        && !answers_user
        && p.class == Class::of_reading(Label::HumanReply, Some(Intent::Yes)).unwrap_or(rules);
    // A reply in someone else's thread matters too when the reader reads a request in
    // it (a cold pitch under a fake "Re:").
    let pitch_in_reply = c.label == Label::HumanReply
        && p.probability >= 0.9
        && p.class == Class::of_reading(Label::MeetingRequest, None).unwrap_or(rules);
    let matters =
        (c.label != Label::HumanReply || answers_user || pitch_in_reply) && !slots_read_as_yes;
    if p.probability >= CONFIDENT && answers_user && no_phrase(c) {
        return guess(c, &p, fresh, r);
    }
    if p.probability >= CONFIDENT && matters {
        c.certainty = Certainty::Unsure;
        c.evidence.push(ev(
            "model",
            format!(
                "the learned reader reads {}, the rules {}: unsure",
                shown(&p),
                rules.as_str()
            ),
        ));
    } else {
        c.evidence.push(ev(
            "model",
            format!(
                "the learned reader leans {} (not enough to doubt the rules)",
                shown(&p)
            ),
        ));
    }
}

/// Whether `c` is a reply whose `other` is only the want of an intent phrase.
pub(super) fn no_phrase(c: &Classification) -> bool {
    c.label == Label::HumanReply
        && c.intent == Some(Intent::Other)
        && c.evidence.iter().any(|e| e.detail.starts_with(NO_PHRASE))
}

/// The reader's yes, no or later as the best guess of a reply the rules found no
/// phrase in: unsure (it already is), with the first date the text names after
/// `r` for a later.
pub(super) fn guess(c: &mut Classification, p: &super::Prediction, fresh: &str, r: Date) {
    let intent = match p.class {
        Class::Yes => Intent::Yes,
        Class::No => Intent::No,
        Class::Later => Intent::Later,
        // A thanks or a request inside a reply to the user is not its answer.
        Class::Other | Class::Thanks | Class::Request => {
            c.evidence.push(ev(
                "model",
                format!("the learned reader reads {}", shown(p)),
            ));
            return;
        }
    };
    c.intent = Some(intent);
    c.certainty = Certainty::Unsure;
    if intent == Intent::Later {
        c.later_until = dates::best_date(fresh, r)
            .filter(|f| f.date > r)
            .map(|f| f.date);
    }
    c.evidence.push(ev(
        "model",
        format!(
            "no phrase the rules know; the learned reader's guess: {}: unsure",
            shown(p)
        ),
    ));
}

/// A text nearly the same as one the user labelled reads as the user said.
fn learned(c: &mut Classification, rules: Class, class: Class, text: &str, alike: f64) {
    let said = format!(
        "you marked a message like this one as {} (\"{text}\", {:.0}% alike)",
        class.as_str(),
        alike * 100.0
    );
    if class == rules {
        c.evidence.push(ev("model", said));
        return;
    }
    let (label, intent) = class.reading();
    c.label = label;
    c.intent = match label {
        Label::HumanReply => intent,
        _ => None,
    };
    if c.intent != Some(Intent::Later) {
        c.later_until = None;
    }
    c.certainty = Certainty::Unsure;
    c.evidence.push(ev(
        "model",
        format!(
            "{said}; the rules read {}: unsure until you confirm",
            rules.as_str()
        ),
    ));
}
