//! Referrals: a reply that hands the conversation to someone else ("talk to Ana, cc'd",
//! "my colleague Ana is better placed"). It ends the request to the contact (it is their
//! answer) and names a new person the user may add as a contact.
//!
//! A referral needs both a handing-over phrase (per language, `referral/*.txt`) in the
//! fresh text and a person in To/Cc, new to the message's sender, whose name or address
//! the fresh text mentions. A phrase alone ("I'll talk to my team") is no referral.
//! Pure; it must never decide anything about drafts.

use serde::{Deserialize, Serialize};

use crate::core::classify::Address;

/// The phrase lists, one file per language.
const LISTS: &[&str] = &[
    include_str!("referral/en.txt"),
    include_str!("referral/de.txt"),
    include_str!("referral/fr.txt"),
    include_str!("referral/es.txt"),
    include_str!("referral/pt.txt"),
    include_str!("referral/it.txt"),
    include_str!("referral/nl.txt"),
];

/// Someone the contact handed the conversation to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Referral {
    /// The handing-over phrase found.
    pub phrase: String,
    /// Their name (from To/Cc, else made from the address).
    pub name: String,
    /// Lowercased.
    pub address: String,
}

fn phrases() -> impl Iterator<Item = &'static str> {
    LISTS
        .iter()
        .flat_map(|l| l.lines())
        .map(str::trim)
        .filter(|l| !l.is_empty() && !l.starts_with('#'))
}

/// Lowercase, curly apostrophes straight, whitespace collapsed, padded with spaces so
/// that a phrase can be matched as whole words.
fn normalise(text: &str) -> String {
    let mut out = String::from(" ");
    for w in text.split_whitespace() {
        out.push_str(&w.to_lowercase().replace(['\u{2019}', '\u{2018}', '`'], "'"));
        out.push(' ');
    }
    out
}

/// Whether `phrase` occurs in `hay` (normalised) as whole words.
fn has_words(hay: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = hay.get(from..).and_then(|h| h.find(phrase)) {
        let start = from + i;
        let end = start + phrase.len();
        let before = hay.get(..start).and_then(|s| s.chars().next_back());
        let after = hay.get(end..).and_then(|s| s.chars().next());
        let edge = |c: Option<char>| c.is_none_or(|c| !c.is_alphanumeric());
        if edge(before) && edge(after) {
            return true;
        }
        from = end;
        if from >= hay.len() {
            break;
        }
    }
    false
}

/// "ana.lima@x" → "Ana Lima".
fn name_from_address(address: &str) -> String {
    let local = address.split('@').next().unwrap_or("");
    local
        .split(['.', '_', '-', '+'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect::<String>())
                .unwrap_or_default()
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// Whether the fresh text mentions `a`: its address, or the first word of its name (or of
/// the name its address makes), of at least two letters.
fn mentioned(hay: &str, a: &Address) -> bool {
    if hay.contains(&a.address) {
        return true;
    }
    let name = a
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| name_from_address(&a.address));
    name.split_whitespace()
        .next()
        .map(|w| {
            w.trim_matches(|c: char| !c.is_alphanumeric())
                .to_lowercase()
        })
        .is_some_and(|first| first.chars().count() >= 2 && has_words(hay, &first))
}

/// The referral in a message, if any: `fresh` is the start of its fresh text, `named`
/// the people in To/Cc, `not_new` the addresses that cannot be the new person (the
/// sender's, the user's, the contact's own).
pub fn find_referral(fresh: &str, named: &[Address], not_new: &[String]) -> Option<Referral> {
    let hay = normalise(fresh);
    // The person first: a few names against the text, where the phrases are hundreds
    // (most mail names nobody new, and then no phrase is looked for). Each search is
    // the first of its own list, so the order of the two changes nothing.
    let person = named
        .iter()
        .filter(|a| !not_new.contains(&a.address))
        .find(|a| mentioned(&hay, a))?;
    let phrase = phrases().find(|p| has_words(&hay, p))?;
    let name = person
        .name
        .clone()
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| name_from_address(&person.address));
    Some(Referral {
        phrase: phrase.to_string(),
        name,
        address: person.address.clone(),
    })
}
