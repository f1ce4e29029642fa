//! Challenge-response notices ("verify you are a human to deliver your
//! message"). It must never take a rejection for a challenge: that is a
//! bounce.

use super::super::mime::Mail;
use std::sync::LazyLock;

use super::super::lexicon::PhraseSet;
use super::super::text::normalise_for_match;
use super::super::{Evidence, ev};

/// Wording that asks the *sender* to act so that a held message is
/// delivered. Rejection wording ("not in whitelist") is deliberately absent:
/// that is a bounce.
const CHALLENGE: &[&str] = &[
    "to have your address added",
    "add yourself to",
    "guest list",
    "waitlisted",
    "click the link below to be added",
    "click here to deliver your message",
    "verify that you are a human",
    "verify you are a human",
    "prove you are human",
    "confirm that you are a human",
    "approve your message",
    "challenge-response",
];

/// [`CHALLENGE`] compiled once: one pass over the text finds them all.
static CHALLENGE_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::from_list(CHALLENGE));

pub(crate) fn detect_challenge(mail: &Mail) -> Option<Vec<Evidence>> {
    let mut hay = normalise_for_match(&mail.body_text.chars().take(16_000).collect::<String>());
    for p in &mail.parts {
        if p.ctype == "message"
            && p.subtype == "delivery-status"
            && let Some(t) = p.text()
        {
            hay.push_str(&normalise_for_match(
                &t.chars().take(4000).collect::<String>(),
            ));
        }
    }
    let found: Vec<&str> = CHALLENGE_SET.hits(&hay).map(|h| h.phrase).collect();
    let hits: Vec<&str> = CHALLENGE
        .iter()
        .copied()
        .filter(|p| found.contains(p))
        .collect();
    let header = mail.headers.iter().find(|(n, _)| {
        n.starts_with("x-bluebottle") || n.starts_with("x-boxbe") || n == "x-challenge"
    });
    if hits.is_empty() && header.is_none() {
        return None;
    }
    let mut evidence = Vec::new();
    if let Some((n, _)) = header {
        evidence.push(ev("header", format!("{n} (challenge-response system)")));
    }
    for h in hits.iter().take(3) {
        evidence.push(ev("phrase", format!("challenge-response wording \"{h}\"")));
    }
    // One wording alone is weak ("allowed list" may appear elsewhere): need
    // two, or one with the header, or one in a machine report.
    let machine = mail.root_type.1 == "report" || mail.header("auto-submitted").is_some();
    (hits.len() >= 2 || header.is_some() || (machine && !hits.is_empty())).then_some(evidence)
}
