//! The cue lists of the certainty rules, as data: one compiled-in file per
//! language (`cues/en.txt`, …) with the sections `[acknowledgement]` (a reply
//! that says it got the message and will answer later), `[sales]` (what
//! sales and bulk mail say), `[generic_object]` (what any form letter
//! thanks for: "your time", "Ihre Zeit"), `[refusal_word]` (a bare no:
//! "nein", "non") and `[thanks_refusal]` (refusals that hold a thanks word:
//! "nein danke", "takke nej"), `[contact_me]` (an invitation to write again:
//! "email me", "escríbeme"), `[question_back]` (a question about the request: "what
//! would you like to discuss?") and `[not_acceptance]` (words that hold another
//! language's acceptance and accept nothing: "prima di"). They decide no acceptance; they make a reading
//! unsure, read a refusal made of thanks as a no, or keep an acknowledgement
//! from being read as an answer. Adding a language is adding a file here and
//! a line to `FILES`; a test checks every file for unknown sections.
//!
//! This module holds data only: it never looks at headers and never panics.

use std::sync::LazyLock;

use super::super::lexicon::PhraseSet;

/// The compiled-in cue files: (language, file).
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("cues/en.txt")),
    ("de", include_str!("cues/de.txt")),
    ("fr", include_str!("cues/fr.txt")),
    ("es", include_str!("cues/es.txt")),
    ("it", include_str!("cues/it.txt")),
    ("pt", include_str!("cues/pt.txt")),
    ("nl", include_str!("cues/nl.txt")),
    ("sv", include_str!("cues/sv.txt")),
    ("da", include_str!("cues/da.txt")),
    ("no", include_str!("cues/no.txt")),
    ("ja", include_str!("cues/ja.txt")),
    ("pl", include_str!("cues/pl.txt")),
    ("tr", include_str!("cues/tr.txt")),
];

/// A cue list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cue {
    /// "Received, thanks — let me check my calendar": an acknowledgement.
    Acknowledgement,
    /// "unsubscribe", "our services": sales or bulk wording.
    Sales,
    /// "your time", "votre aide": an object of thanks any form letter names.
    GenericObject,
    /// A bare "no" ("nein", "non", "nej").
    RefusalWord,
    /// A refusal that holds a thanks word ("nein danke", "takke nej").
    ThanksRefusal,
    /// Words of one language that hold another's acceptance and accept
    /// nothing: Italian "prima di" (before) holds Dutch "prima" (fine).
    NotAcceptance,
    /// An invitation to write again ("email me", "escríbeme", "hör av dig"): a
    /// deferral beside a future date in its sentence.
    ContactMe,
    /// A question back about the request ("what would you like to discuss?"): no
    /// answer yet, where no intent phrase was read.
    QuestionBack,
}

const ALL: [Cue; 8] = [
    Cue::Acknowledgement,
    Cue::Sales,
    Cue::GenericObject,
    Cue::RefusalWord,
    Cue::ThanksRefusal,
    Cue::NotAcceptance,
    Cue::ContactMe,
    Cue::QuestionBack,
];

impl Cue {
    fn section(self) -> &'static str {
        match self {
            Cue::Acknowledgement => "acknowledgement",
            Cue::Sales => "sales",
            Cue::GenericObject => "generic_object",
            Cue::RefusalWord => "refusal_word",
            Cue::ThanksRefusal => "thanks_refusal",
            Cue::NotAcceptance => "not_acceptance",
            Cue::ContactMe => "contact_me",
            Cue::QuestionBack => "question_back",
        }
    }
}

/// `(section, entry)` for every entry line of a file.
fn entries(file: &'static str) -> impl Iterator<Item = (&'static str, &'static str)> {
    let mut section = "";
    file.lines().filter_map(move |line| {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim();
            return None;
        }
        (!line.is_empty()).then_some((section, line))
    })
}

fn compile(cue: Cue) -> PhraseSet {
    PhraseSet::new(FILES.iter().flat_map(move |(lang, file)| {
        entries(file)
            .filter(move |(s, _)| *s == cue.section())
            .map(move |(_, p)| (p, *lang))
    }))
}

static SETS: LazyLock<Vec<PhraseSet>> = LazyLock::new(|| ALL.into_iter().map(compile).collect());
static EMPTY: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new([]));

/// The compiled list of `cue`, all languages together.
pub(crate) fn cue(c: Cue) -> &'static PhraseSet {
    let i = ALL.iter().position(|x| *x == c).unwrap_or(usize::MAX);
    SETS.get(i).unwrap_or(&EMPTY)
}

/// The sections of the cue files that no [`Cue`] reads (a typo), for the tests.
#[cfg(test)]
pub(crate) fn unknown_sections() -> Vec<String> {
    FILES
        .iter()
        .flat_map(|(lang, file)| entries(file).map(move |(s, _)| (lang, s)))
        .filter(|(_, s)| !ALL.iter().any(|c| c.section() == *s))
        .map(|(lang, s)| format!("{lang}: [{s}]"))
        .collect()
}
