//! One scan of a text for every phrase list at once: the lists of [`Cat`]
//! compiled into a single Aho-Corasick automaton whose patterns carry their
//! list, so a sentence is searched once instead of once per list (about
//! fifteen lists are asked of every sentence of a reply).
//!
//! A [`Scan`] holds exactly the hits [`super::set`]`(cat).hits(text)` would
//! give for each list, in the same order (the unit tests hold the two to
//! each other on every phrase of every language file); the reading rules ask
//! it instead of searching again. Searches of other texts (a window of words
//! after a thanks, a clause after a contrast) still use the per-list sets.
//!
//! It must never hold anything but the hits of one text, and never panic.

use std::ops::Range;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;

use super::{Cat, Hit, LANGUAGES, Section, entries, matches};
use crate::core::classify::text::normalise_for_match;

/// Every list's phrases in one automaton; `phrases[i]` is pattern `i`.
struct Combined {
    automaton: Option<AhoCorasick>,
    phrases: Vec<(String, &'static str, Cat)>,
}

/// The phrases of each list as [`super::PhraseSet::new`] keeps them:
/// normalised, trimmed, empty and repeated ones (within the list) dropped,
/// the first language that lists a phrase kept.
fn compile() -> Combined {
    let mut phrases: Vec<(String, &'static str, Cat)> = Vec::new();
    for cat in Cat::ALL {
        let start = phrases.len();
        for (lang, file) in LANGUAGES {
            for (section, p) in entries(file) {
                if section != Some(Section::Phrases(cat)) {
                    continue;
                }
                let n = normalise_for_match(p).trim().to_string();
                let seen = phrases
                    .get(start..)
                    .is_some_and(|list| list.iter().any(|(q, _, _)| *q == n));
                if !n.is_empty() && !seen {
                    phrases.push((n, lang, cat));
                }
            }
        }
    }
    let automaton = AhoCorasick::new(phrases.iter().map(|(p, _, _)| p.as_str())).ok();
    Combined { automaton, phrases }
}

static COMBINED: LazyLock<Combined> = LazyLock::new(compile);

/// The hits of every phrase list in one text, in the order their ends appear.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Scan {
    hits: Vec<(Cat, Hit<'static>)>,
}

impl Scan {
    /// Searches `hay` once for every list.
    pub(crate) fn of(hay: &str) -> Scan {
        let combined: &'static Combined = &COMBINED;
        let phrase = |i: usize| combined.phrases.get(i);
        let hits = matches(combined.automaton.as_ref(), hay, move |i| {
            phrase(i).map(|(p, lang, _)| (p.as_str(), *lang))
        })
        .filter_map(|(i, hit)| Some((phrase(i)?.2, hit)))
        .collect();
        Scan { hits }
    }

    /// Every hit of one list, overlapping ones included, in the order their
    /// ends appear (as [`super::PhraseSet::hits`]).
    pub(crate) fn hits(&self, cat: Cat) -> impl Iterator<Item = Hit<'static>> + '_ {
        self.hits
            .iter()
            .filter(move |(c, _)| *c == cat)
            .map(|(_, h)| *h)
    }

    /// The hits of one list that lie wholly inside `range` of the text: the
    /// hits a search of that part alone finds, where the part is cut at
    /// word boundaries (a clause before a comma, the words after a hit).
    pub(crate) fn hits_in(
        &self,
        cat: Cat,
        range: Range<usize>,
    ) -> impl Iterator<Item = Hit<'static>> + '_ {
        self.hits(cat)
            .filter(move |h| h.start >= range.start && h.end <= range.end)
    }

    /// The leftmost hit of one list (the longest of those starting there).
    pub(crate) fn first(&self, cat: Cat) -> Option<Hit<'static>> {
        self.hits(cat)
            .min_by_key(|h| (h.start, std::cmp::Reverse(h.end)))
    }

    /// The leftmost hit of one list wholly inside `range` (see [`Scan::hits_in`]).
    pub(crate) fn first_in(&self, cat: Cat, range: Range<usize>) -> Option<Hit<'static>> {
        self.hits_in(cat, range)
            .min_by_key(|h| (h.start, std::cmp::Reverse(h.end)))
    }

    /// Whether one list has a hit.
    pub(crate) fn any(&self, cat: Cat) -> bool {
        self.hits(cat).next().is_some()
    }
}

#[cfg(test)]
mod tests;
