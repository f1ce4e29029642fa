//! Languages as data: the phrase lists that read intent, thanks and requests,
//! one compiled-in file per language, each list compiled once into an
//! Aho-Corasick automaton with word boundaries checked on every match.
//!
//! Every file (`en.txt`, `de.txt`, …) has the same `[section]`s, one lowercase
//! phrase a line, `#` for comments. The phrase sections are the [`Cat`] lists
//! (`[yes]`, `[no]`, `[later]`, `[later_cue]`, `[contrast]`, `[negation]`,
//! `[proposal]`, `[thanks]`, `[thanks_for]`, `[thanks_object]`,
//! `[thanks_gerund]`, `[pleasantry]`, `[thanks_excluded]`, `[receipt]`,
//! `[request_ask]`, `[request_object]`, `[request_bare]`, `[pitch]`, `[ack]`). The calendar sections `[january]` …
//! `[december]` and `[monday]` … `[sunday]` list the language's names and
//! abbreviations of that month or weekday, read by the date reader as whole
//! words ([`month_of`], [`weekday_of`]); a name listed by two languages must
//! mean the same there. `[numbers]` lists count words with their value
//! (`two 2`), read by [`number_of`]. The quote sections ([`Words`]:
//! `[quote_end]`, `[quote_verb]`, `[quote_start]`, `[quote_from]`,
//! `[quote_header]`, `[quote_sent]`, `[quote_separator]`, `[forward_lead]`,
//! `[signature_lead]`) are how replies mark the quoted text below the fresh
//! text, read by position (a line's start or end) by the fresh-text reader.
//! All languages are searched at once: a
//! reply is read in whatever language it is written, and mixed mail (a
//! German greeting on an English answer) reads right.
//!
//! **Adding a language** is adding a file: copy `en.txt` to `xx.txt`, fill
//! in the sections (leave a section empty rather than guess), and add the
//! file to [`LANGUAGES`]. The unit tests check every file for unknown
//! sections and phrases that normalise differently from how they are written.
//!
//! Why hand-written: aho-corasick finds substrings; word boundaries (a
//! phrase "ja" must not match inside "jahr") and scripts without spaces
//! (Japanese phrases match anywhere) are checked here on each match.
//!
//! This module must never allocate per message beyond its hit list, never
//! panic on any text, and never hold anything but the phrase and
//! calendar-word data.

use std::collections::HashMap;
use std::sync::LazyLock;

use aho_corasick::AhoCorasick;
use jiff::civil::Weekday;

use super::text::normalise_for_match;

mod scan;
pub(crate) use scan::Scan;

/// The compiled-in languages: (code, file).
pub(crate) const LANGUAGES: &[(&str, &str)] = &[
    ("en", include_str!("en.txt")),
    ("de", include_str!("de.txt")),
    ("fr", include_str!("fr.txt")),
    ("es", include_str!("es.txt")),
    ("nl", include_str!("nl.txt")),
    ("it", include_str!("it.txt")),
    ("pt", include_str!("pt.txt")),
    ("sv", include_str!("sv.txt")),
    ("da", include_str!("da.txt")),
    ("no", include_str!("no.txt")),
    ("ja", include_str!("ja.txt")),
    ("pl", include_str!("pl.txt")),
    ("tr", include_str!("tr.txt")),
];

/// The phrase lists every language file has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Cat {
    /// Acceptance: "works for me", "gerne", "お待ちしております".
    Yes,
    /// Refusal, however polite.
    No,
    /// A deferral: "not right now", "plus tard".
    Later,
    /// After a contrast, what makes a refusal a deferral ("keep in touch").
    LaterCue,
    /// Contrast: the clause after it governs ("but", "leider", "mais").
    Contrast,
    /// Negation words that cancel a following acceptance.
    Negation,
    /// A proposal of another time ("how about", "wie wäre es").
    Proposal,
    /// Thanks words ("thanks", "danke", "merci").
    Thanks,
    /// What introduces the object of thanks ("for", "für", "pour").
    ThanksFor,
    /// Objects of thanks that are time or a meeting ("your time", "l'échange").
    ThanksObject,
    /// Gerunds after "thanks for" ("meeting", "taking the time").
    ThanksGerund,
    /// Pleasantries that thank by themselves ("great to meet you").
    Pleasantry,
    /// Objects of thanks that are transactions, never a thank-you note.
    ThanksExcluded,
    /// What a receipt thanks for ("your order"): never a thank-you note.
    Receipt,
    /// The ask of a request ("would you be", "hätten Sie").
    RequestAsk,
    /// What a request asks for ("a call", "Kaffee", "minutes").
    RequestObject,
    /// What a short question opens with to ask for time by itself
    /// ("Drinks after the conference?", "Un café la semaine prochaine ?").
    RequestBare,
    /// Sales wording ("we offer", "free trial"): a message with it is no
    /// thank-you for the user's time and no request for it.
    Pitch,
    /// An acknowledgement that promises an answer later ("let me check my
    /// calendar", "ik kom erop terug"): the message is no answer and no
    /// thank-you, whatever thanks it adds.
    Ack,
}

impl Cat {
    const ALL: [Cat; 19] = [
        Cat::Yes,
        Cat::No,
        Cat::Later,
        Cat::LaterCue,
        Cat::Contrast,
        Cat::Negation,
        Cat::Proposal,
        Cat::Thanks,
        Cat::ThanksFor,
        Cat::ThanksObject,
        Cat::ThanksGerund,
        Cat::Pleasantry,
        Cat::ThanksExcluded,
        Cat::Receipt,
        Cat::RequestAsk,
        Cat::RequestObject,
        Cat::RequestBare,
        Cat::Pitch,
        Cat::Ack,
    ];

    fn section(self) -> &'static str {
        match self {
            Cat::Yes => "yes",
            Cat::No => "no",
            Cat::Later => "later",
            Cat::LaterCue => "later_cue",
            Cat::Contrast => "contrast",
            Cat::Negation => "negation",
            Cat::Proposal => "proposal",
            Cat::Thanks => "thanks",
            Cat::ThanksFor => "thanks_for",
            Cat::ThanksObject => "thanks_object",
            Cat::ThanksGerund => "thanks_gerund",
            Cat::Pleasantry => "pleasantry",
            Cat::ThanksExcluded => "thanks_excluded",
            Cat::Receipt => "receipt",
            Cat::RequestAsk => "request_ask",
            Cat::RequestObject => "request_object",
            Cat::RequestBare => "request_bare",
            Cat::Pitch => "pitch",
            Cat::Ack => "ack",
        }
    }

    fn from_section(s: &str) -> Option<Cat> {
        Cat::ALL.into_iter().find(|c| c.section() == s)
    }
}

/// One phrase found in a text (a text from [`normalise_for_match`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Hit<'s> {
    /// Byte range in the searched text.
    pub start: usize,
    pub end: usize,
    pub phrase: &'s str,
    /// The language file it came from.
    pub lang: &'static str,
}

/// A phrase list compiled once.
pub(crate) struct PhraseSet {
    automaton: Option<AhoCorasick>,
    phrases: Vec<(String, &'static str)>,
    /// For each phrase, the position of the item it came from.
    origin: Vec<usize>,
}

/// Scripts written without spaces between words: no boundary check there.
fn unspaced(c: char) -> bool {
    matches!(c,
        '\u{3040}'..='\u{30ff}'
        | '\u{3400}'..='\u{4dbf}'
        | '\u{4e00}'..='\u{9fff}'
        | '\u{f900}'..='\u{faff}'
        | '\u{ff66}'..='\u{ff9f}')
}

fn joins(a: char, b: char) -> bool {
    a.is_alphanumeric() && b.is_alphanumeric() && !unspaced(a) && !unspaced(b)
}

/// Whether `phrase`, found at `start..end` of `hay`, stands on word
/// boundaries there: the letters around it do not go on into a longer word.
fn on_boundaries(hay: &str, start: usize, end: usize, phrase: &str) -> bool {
    let (Some(first), Some(last)) = (phrase.chars().next(), phrase.chars().next_back()) else {
        return false;
    };
    let (Some(before), Some(after)) = (hay.get(..start), hay.get(end..)) else {
        return false;
    };
    before.chars().next_back().is_none_or(|b| !joins(b, first))
        && after.chars().next().is_none_or(|a| !joins(last, a))
}

/// Every match of `automaton` in `hay` that stands on word boundaries, overlapping
/// ones included, in the order their ends appear, each with its pattern's index;
/// `phrase(i)` is pattern `i`'s phrase and language.
fn matches<'s, 'p: 's>(
    automaton: Option<&'s AhoCorasick>,
    hay: &'s str,
    phrase: impl Fn(usize) -> Option<(&'p str, &'static str)> + 's,
) -> impl Iterator<Item = (usize, Hit<'p>)> + 's {
    automaton
        .into_iter()
        .flat_map(move |a| a.find_overlapping_iter(hay))
        .filter_map(move |m| {
            let i = m.pattern().as_usize();
            let (phrase, lang) = phrase(i)?;
            on_boundaries(hay, m.start(), m.end(), phrase).then_some((
                i,
                Hit {
                    start: m.start(),
                    end: m.end(),
                    phrase,
                    lang,
                },
            ))
        })
}

impl PhraseSet {
    /// Compiles `(phrase, language)` pairs; phrases are normalised like the
    /// texts they are searched in, empty and repeated ones dropped.
    pub(crate) fn new<'p>(items: impl IntoIterator<Item = (&'p str, &'static str)>) -> PhraseSet {
        let mut phrases: Vec<(String, &'static str)> = Vec::new();
        let mut origin = Vec::new();
        for (i, (p, lang)) in items.into_iter().enumerate() {
            let n = normalise_for_match(p).trim().to_string();
            if !n.is_empty() && !phrases.iter().any(|(q, _)| *q == n) {
                phrases.push((n, lang));
                origin.push(i);
            }
        }
        let automaton = AhoCorasick::new(phrases.iter().map(|(p, _)| p.as_str())).ok();
        PhraseSet {
            automaton,
            phrases,
            origin,
        }
    }

    /// A set from a plain list (the detectors' header and body lists).
    pub(crate) fn from_list(list: &[&str]) -> PhraseSet {
        PhraseSet::new(list.iter().map(|p| (*p, "")))
    }

    /// Every occurrence on word boundaries, overlapping ones included, in the
    /// order their ends appear.
    pub(crate) fn hits<'s>(&'s self, hay: &'s str) -> impl Iterator<Item = Hit<'s>> + 's {
        self.indexed_hits(hay).map(|(_, h)| h)
    }

    /// [`PhraseSet::hits`], each with the index of its phrase in `phrases`.
    fn indexed_hits<'s>(&'s self, hay: &'s str) -> impl Iterator<Item = (usize, Hit<'s>)> + 's {
        matches(self.automaton.as_ref(), hay, |i| {
            self.phrases.get(i).map(|(p, lang)| (p.as_str(), *lang))
        })
    }

    /// The leftmost occurrence (the longest of those starting there).
    pub(crate) fn first<'s>(&'s self, hay: &'s str) -> Option<Hit<'s>> {
        self.hits(hay)
            .min_by_key(|h| (h.start, std::cmp::Reverse(h.end)))
    }

    /// The position in the input list of the earliest-listed phrase that
    /// occurs (list order, not text order: the detectors' lists are ranked).
    pub(crate) fn first_listed(&self, hay: &str) -> Option<usize> {
        self.indexed_hits(hay)
            .filter_map(|(i, _)| self.origin.get(i).copied())
            .min()
    }

    /// Whether any phrase occurs.
    pub(crate) fn any(&self, hay: &str) -> bool {
        self.hits(hay).next().is_some()
    }
}

/// Word lists read at a line's start or end rather than searched as phrases:
/// the marks of quoted text in replies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Words {
    /// What ends an attribution line: "wrote:", "a écrit :".
    QuoteEnd,
    /// An attribution verb the line goes on after ("X schrieb am … :").
    QuoteVerb,
    /// The first word of an attribution that may wrap: "on", "am", "le".
    QuoteStart,
    /// A header that opens a quoted header block: "from:", "von:".
    QuoteFrom,
    /// The other headers of such a block: "sent:", "betreff:".
    QuoteHeader,
    /// The date headers some clients put before From: "gesendet:".
    QuoteSent,
    /// A separator line's words: "original message".
    QuoteSeparator,
    /// How a forwarded message is introduced: "begin forwarded message".
    ForwardLead,
    /// A device or client signature that ends the fresh text: "sent from my".
    SignatureLead,
}

impl Words {
    const ALL: [Words; 9] = [
        Words::QuoteEnd,
        Words::QuoteVerb,
        Words::QuoteStart,
        Words::QuoteFrom,
        Words::QuoteHeader,
        Words::QuoteSent,
        Words::QuoteSeparator,
        Words::ForwardLead,
        Words::SignatureLead,
    ];

    fn section(self) -> &'static str {
        match self {
            Words::QuoteEnd => "quote_end",
            Words::QuoteVerb => "quote_verb",
            Words::QuoteStart => "quote_start",
            Words::QuoteFrom => "quote_from",
            Words::QuoteHeader => "quote_header",
            Words::QuoteSent => "quote_sent",
            Words::QuoteSeparator => "quote_separator",
            Words::ForwardLead => "forward_lead",
            Words::SignatureLead => "signature_lead",
        }
    }
}

/// A section of a language file: a phrase list, a word list, the names of
/// one month or one weekday, or the count words.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Phrases(Cat),
    Words(Words),
    Numbers,
    /// Month 1–12: `[january]` … `[december]`.
    Month(i8),
    Weekday(Weekday),
}

const MONTH_SECTIONS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

const WEEKDAY_SECTIONS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Monday),
    ("tuesday", Weekday::Tuesday),
    ("wednesday", Weekday::Wednesday),
    ("thursday", Weekday::Thursday),
    ("friday", Weekday::Friday),
    ("saturday", Weekday::Saturday),
    ("sunday", Weekday::Sunday),
];

impl Section {
    fn from_name(s: &str) -> Option<Section> {
        if let Some(c) = Cat::from_section(s) {
            return Some(Section::Phrases(c));
        }
        if let Some(w) = Words::ALL.into_iter().find(|w| w.section() == s) {
            return Some(Section::Words(w));
        }
        if s == "numbers" {
            return Some(Section::Numbers);
        }
        if let Some(i) = MONTH_SECTIONS.iter().position(|m| *m == s) {
            return i8::try_from(i + 1).ok().map(Section::Month);
        }
        WEEKDAY_SECTIONS
            .iter()
            .find(|(n, _)| *n == s)
            .map(|(_, w)| Section::Weekday(*w))
    }
}

/// Reads the language files into one set per list.
fn compile() -> Vec<PhraseSet> {
    Cat::ALL
        .into_iter()
        .map(|cat| {
            PhraseSet::new(LANGUAGES.iter().flat_map(move |(lang, file)| {
                entries(file)
                    .filter(move |(c, _)| *c == Some(Section::Phrases(cat)))
                    .map(move |(_, p)| (p, *lang))
            }))
        })
        .collect()
}

/// `(section, entry)` for every entry line of a file.
fn entries(file: &str) -> impl Iterator<Item = (Option<Section>, &str)> {
    let mut section = None;
    file.lines().filter_map(move |line| {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = Section::from_name(name.trim());
            return None;
        }
        (!line.is_empty()).then_some((section, line))
    })
}

/// Month and weekday names and count words of every language, by lowercase word.
struct CalendarWords {
    months: HashMap<&'static str, i8>,
    weekdays: HashMap<&'static str, Weekday>,
    numbers: HashMap<&'static str, i64>,
}

fn compile_calendar() -> CalendarWords {
    let mut words = CalendarWords {
        months: HashMap::new(),
        weekdays: HashMap::new(),
        numbers: HashMap::new(),
    };
    let extra = include_str!("calendar_extra.txt");
    for file in LANGUAGES.iter().map(|(_, f)| *f).chain([extra]) {
        for (section, name) in entries(file) {
            match section {
                Some(Section::Month(m)) => {
                    words.months.entry(name).or_insert(m);
                }
                Some(Section::Weekday(w)) => {
                    words.weekdays.entry(name).or_insert(w);
                }
                Some(Section::Numbers) => {
                    if let Some((word, n)) = number_entry(name) {
                        words.numbers.entry(word).or_insert(n);
                    }
                }
                _ => {}
            }
        }
    }
    words
}

static CALENDAR: LazyLock<CalendarWords> = LazyLock::new(compile_calendar);

/// The month (1–12) a lowercase word names in any language ("juillet" → 7).
pub(crate) fn month_of(word: &str) -> Option<i8> {
    CALENDAR.months.get(word).copied().or_else(|| {
        // A Turkish case ending after an apostrophe: "Ocak'a", "Şubat'ta".
        let (stem, _) = word.split_once(['\'', '\u{2019}'])?;
        (stem.chars().count() >= 3)
            .then(|| CALENDAR.months.get(stem).copied())
            .flatten()
    })
}

/// The weekday a lowercase word names in any language ("mardi").
pub(crate) fn weekday_of(word: &str) -> Option<Weekday> {
    CALENDAR.weekdays.get(word).copied()
}

/// A `[numbers]` line: a word and its value (`two 2`).
fn number_entry(line: &str) -> Option<(&str, i64)> {
    let (word, n) = line.rsplit_once(' ')?;
    Some((word.trim(), n.trim().parse().ok()?))
}

/// The count a lowercase word stands for in any language: "two", "zwei",
/// "trois" (and the English file's "few 3", "couple 2").
pub(crate) fn number_of(word: &str) -> Option<i64> {
    CALENDAR.numbers.get(word).copied()
}

/// Every language's entries of a word list, in file order (English first).
fn compile_words() -> Vec<Vec<&'static str>> {
    Words::ALL
        .into_iter()
        .map(|w| {
            LANGUAGES
                .iter()
                .flat_map(|(_, file)| entries(file))
                .filter(|(s, _)| *s == Some(Section::Words(w)))
                .map(|(_, e)| e)
                .collect()
        })
        .collect()
}

static WORDS: LazyLock<Vec<Vec<&'static str>>> = LazyLock::new(compile_words);

/// The entries of a word list, all languages together.
pub(crate) fn words(list: Words) -> &'static [&'static str] {
    let i = Words::ALL
        .iter()
        .position(|w| *w == list)
        .unwrap_or(usize::MAX);
    WORDS.get(i).map_or(&[], Vec::as_slice)
}

static SETS: LazyLock<Vec<PhraseSet>> = LazyLock::new(compile);
static EMPTY: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new([]));

/// The compiled list of `cat`, all languages together.
pub(crate) fn set(cat: Cat) -> &'static PhraseSet {
    let i = Cat::ALL
        .iter()
        .position(|c| *c == cat)
        .unwrap_or(usize::MAX);
    SETS.get(i).unwrap_or(&EMPTY)
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod offer_wording_tests;
#[cfg(test)]
mod wording_tests;

#[cfg(test)]
mod wording_pl_tr_tests;
