//! The learned reader's second opinion on a human reading, and what it does to
//! the reading: agreement is recorded as evidence (with the n-grams); a confident
//! disagreement makes the reading unsure; a text nearly the same as one the user
//! labelled takes the user's label, unsure unless the rules read it alike.
//! The model alone never makes a reading sure, and never changes a label except
//! to the one the user gave a near-identical text.

use super::{Class, Reader};
use crate::core::classify::{Certainty, Classification, Intent, Label, ev};

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
/// reply's intent change what rapport does).
pub(crate) fn weigh(
    reader: Option<&Reader>,
    fresh: &str,
    answers_user: bool,
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
