//! `lang`: which language the fresh text of a message is written in, and
//! whether rapport has word lists for it.
//!
//! Three kinds of evidence, strongest first: the script (Hangul, Cyrillic,
//! Han without kana, Arabic … are languages without a word list; kana is
//! Japanese), letters only one language of the mail uses (Polish "ł ą ę ś ź ż
//! ć" and Turkish "ğ ş ı", which have word lists; Czech "ř ě ů" …, which have
//! none), and the statistical guess of the
//! `whatlang` crate, trusted only when it calls itself reliable on a text of
//! five words or more and no phrase of several words from a word list
//! contradicts it. Short texts ("Sure.", "Ja, gerne.") are never given to an
//! unlisted language on statistics alone: they fall back to the lists.
//!
//! It never panics, never allocates beyond one pass over the text, and never
//! decides an intent: it only says "no list for this language".

use super::lexicon::{Cat, Scan};

pub(crate) mod provisional;

/// The language of a text, as far as it can be told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Language {
    /// The lexicon's code ("en", "de") for a listed language, else the
    /// ISO 639-1 code where one is known ("ru", "zh"), else whatlang's
    /// ISO 639-3 code.
    pub code: &'static str,
    /// Its English name ("Russian").
    pub name: &'static str,
    /// rapport has word lists for it (`lexicon::LANGUAGES`).
    pub listed: bool,
    /// What told it: "script", "letters", "statistics" or "word list" (a
    /// phrase of several words from a list: the language is not named then).
    pub how: &'static str,
}

/// whatlang's languages that the lexicon lists, with the lexicon's code.
const LISTED: &[(whatlang::Lang, &str)] = &[
    (whatlang::Lang::Eng, "en"),
    (whatlang::Lang::Deu, "de"),
    (whatlang::Lang::Fra, "fr"),
    (whatlang::Lang::Spa, "es"),
    (whatlang::Lang::Ita, "it"),
    (whatlang::Lang::Por, "pt"),
    (whatlang::Lang::Nld, "nl"),
    (whatlang::Lang::Swe, "sv"),
    (whatlang::Lang::Dan, "da"),
    (whatlang::Lang::Nob, "no"),
    (whatlang::Lang::Jpn, "ja"),
    (whatlang::Lang::Pol, "pl"),
    (whatlang::Lang::Tur, "tr"),
];

/// Short codes of unlisted languages rapport names often.
const SHORT: &[(whatlang::Lang, &str)] = &[
    (whatlang::Lang::Rus, "ru"),
    (whatlang::Lang::Ukr, "uk"),
    (whatlang::Lang::Cmn, "zh"),
    (whatlang::Lang::Kor, "ko"),
    (whatlang::Lang::Ces, "cs"),
    (whatlang::Lang::Hun, "hu"),
    (whatlang::Lang::Fin, "fi"),
    (whatlang::Lang::Ron, "ro"),
    (whatlang::Lang::Ell, "el"),
    (whatlang::Lang::Ara, "ar"),
    (whatlang::Lang::Heb, "he"),
];

/// Letters that, among the languages mail to rapport is written in, only
/// one language uses: (letters, language).
const TELLING_LETTERS: &[(&str, whatlang::Lang)] = &[
    ("łąęśźżńć", whatlang::Lang::Pol),
    ("ğşı", whatlang::Lang::Tur),
    ("řěů", whatlang::Lang::Ces),
    ("őű", whatlang::Lang::Hun),
    ("țșă", whatlang::Lang::Ron),
];

fn describe(l: whatlang::Lang, how: &'static str) -> Language {
    let listed = LISTED.iter().find(|(w, _)| *w == l).map(|(_, c)| *c);
    let short = SHORT.iter().find(|(w, _)| *w == l).map(|(_, c)| *c);
    Language {
        code: listed.or(short).unwrap_or_else(|| l.code()),
        name: l.eng_name(),
        listed: listed.is_some(),
        how,
    }
}

/// Letter counts by script.
#[derive(Default)]
struct Scripts {
    letters: usize,
    latin: usize,
    kana: usize,
    han: usize,
    hangul: usize,
    cyrillic: usize,
    other: usize,
}

fn count_scripts(text: &str) -> Scripts {
    let mut s = Scripts::default();
    for c in text.chars().filter(|c| c.is_alphabetic()) {
        s.letters += 1;
        match u32::from(c) {
            0..=0x024f | 0x1e00..=0x1eff => s.latin += 1,
            0x3040..=0x30ff | 0xff66..=0xff9f => s.kana += 1,
            0x3400..=0x4dbf | 0x4e00..=0x9fff | 0xf900..=0xfaff => s.han += 1,
            0x1100..=0x11ff | 0x3130..=0x318f | 0xac00..=0xd7af => s.hangul += 1,
            0x0400..=0x052f => s.cyrillic += 1,
            _ => s.other += 1,
        }
    }
    s
}

/// How many characters of a text are read to tell its language.
const SAMPLE_CHARS: usize = 240;

/// The language of `text` (a message's fresh text), or `None` when it cannot
/// be told (too short, no letters, a guess not reliable).
pub(crate) fn identify(text: &str) -> Option<Language> {
    // The opening of a text tells its language as well as the whole does, at
    // a bounded cost: a long letter is read only this far.
    let end = text
        .char_indices()
        .nth(SAMPLE_CHARS)
        .map_or(text.len(), |(i, _)| i);
    let text = text.get(..end).unwrap_or(text);
    let s = count_scripts(text);
    if s.letters < 2 {
        return None;
    }
    // Kana is Japanese only; any amount of it with CJK is Japanese.
    if s.kana > 0 && (s.kana + s.han) * 3 >= s.letters {
        return Some(describe(whatlang::Lang::Jpn, "script"));
    }
    let non_latin = s.letters - s.latin;
    if non_latin * 2 > s.letters {
        let by_script = if s.hangul * 2 > non_latin {
            Some(whatlang::Lang::Kor)
        } else if s.han * 2 > non_latin {
            Some(whatlang::Lang::Cmn)
        } else {
            None
        };
        // Cyrillic without a reliable guess is read as Russian, the most
        // common; either way it has no word list.
        let l = by_script
            .or_else(|| {
                whatlang::detect(text)
                    .filter(whatlang::Info::is_reliable)
                    .map(|i| i.lang())
            })
            .unwrap_or(whatlang::Lang::Rus);
        let mut d = describe(l, "script");
        if d.listed && s.cyrillic > 0 {
            d = describe(whatlang::Lang::Rus, "script");
        }
        return Some(d);
    }
    let lower = text.to_lowercase();
    // A phrase of several words from a list settles it without statistics.
    if listed_phrase(&lower) {
        return Some(Language {
            code: "listed",
            name: "a language with word lists",
            listed: true,
            how: "word list",
        });
    }
    let words = lower.split_whitespace().count();
    let telling = TELLING_LETTERS
        .iter()
        .map(|(letters, l)| (lower.chars().filter(|c| letters.contains(*c)).count(), *l))
        .find(|(n, _)| *n > 0);
    // The statistics are read only when they can decide something: a text of
    // five words or more, or one with a telling letter to confirm.
    if words < 5 && telling.is_none() {
        return None;
    }
    let guess = whatlang::detect(text);
    if let Some((n, l)) = telling
        && (n >= 3 || guess.as_ref().is_some_and(|g| g.lang() == l))
    {
        return Some(describe(l, "letters"));
    }
    let g = guess?;
    let d = describe(g.lang(), "statistics");
    if d.listed {
        return Some(d);
    }
    (g.is_reliable() && words >= 5).then_some(d)
}

/// A phrase of several words from a word list (an acceptance, a refusal, a
/// deferral, a thanks): a sign the text is in a listed language whatever the
/// statistics say. Single words are no sign ("tak" is Polish and Danish).
fn listed_phrase(lower: &str) -> bool {
    let scan = Scan::of(&super::text::normalise_for_match(lower));
    [
        Cat::Yes,
        Cat::No,
        Cat::Later,
        Cat::Pleasantry,
        Cat::RequestAsk,
    ]
    .into_iter()
    .any(|c| scan.hits(c).any(|h| h.phrase.contains(' ')))
}

#[cfg(test)]
mod tests;
