//! The proposal reader's language data: one compiled-in file per language
//! (`en.txt`, `de.txt`, …) with the words around a meeting time. Read once;
//! it must never hold anything but those words.

use std::collections::HashMap;
use std::sync::LazyLock;

use jiff::civil::Weekday;

use crate::core::classify::lexicon::PhraseSet;

/// The compiled-in files: (language, text).
const FILES: &[(&str, &str)] = &[
    ("en", include_str!("en.txt")),
    ("de", include_str!("de.txt")),
    ("fr", include_str!("fr.txt")),
    ("es", include_str!("es.txt")),
    ("it", include_str!("it.txt")),
    ("pt", include_str!("pt.txt")),
    ("nl", include_str!("nl.txt")),
    ("sv", include_str!("sv.txt")),
    ("da", include_str!("da.txt")),
    ("no", include_str!("no.txt")),
    ("ja", include_str!("ja.txt")),
    ("pl", include_str!("pl.txt")),
    ("tr", include_str!("tr.txt")),
];

/// The sections every file has.
pub(crate) const SECTIONS: &[&str] = &[
    "at", "oclock", "next", "today", "tomorrow", "past", "refuse", "contrast", "until", "weekday",
];

/// Every language's words, by section.
pub(crate) struct ProposalWords {
    /// Word sequences before a bare hour ("at", "a las", "kl").
    pub at: Vec<Vec<String>>,
    /// Word sequences after an hour ("o'clock", "uhr", "h").
    pub oclock: Vec<Vec<String>>,
    pub next: Vec<Vec<String>>,
    pub today: Vec<Vec<String>>,
    pub tomorrow: Vec<Vec<String>>,
    /// Word sequences before a time that make it a deadline or the end of a window.
    pub until: Vec<Vec<String>>,
    /// Phrases (searched on word boundaries) that put a clause in the past.
    pub past: PhraseSet,
    /// Phrases that turn the time down.
    pub refuse: PhraseSet,
    /// Phrases that start a new clause.
    pub contrast: PhraseSet,
    /// Weekday names the lexicon may lack, lowercase.
    pub weekdays: HashMap<String, Weekday>,
    /// Every listed phrase of the unspaced script (Japanese), by section.
    pub unspaced: HashMap<&'static str, Vec<String>>,
}

/// The lines of each section of one file: (section, line).
pub(crate) fn entries(file: &str) -> impl Iterator<Item = (&str, &str)> {
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

fn weekday_number(n: &str) -> Option<Weekday> {
    let n: i8 = n.trim().parse().ok()?;
    Weekday::from_monday_one_offset(n).ok()
}

fn compile() -> ProposalWords {
    let mut seqs: HashMap<&str, Vec<Vec<String>>> = HashMap::new();
    let mut phrases: HashMap<&str, Vec<(&str, &'static str)>> = HashMap::new();
    let mut weekdays = HashMap::new();
    let mut unspaced: HashMap<&'static str, Vec<String>> = HashMap::new();
    for (lang, file) in FILES {
        for (section, line) in entries(file) {
            let Some(section) = SECTIONS.iter().copied().find(|s| *s == section) else {
                continue;
            };
            if *lang == "ja" {
                let word = line.split(' ').next().unwrap_or(line).to_string();
                unspaced.entry(section).or_default().push(word);
            }
            if section == "weekday" {
                if let Some((name, n)) = line.rsplit_once(' ')
                    && let Some(wd) = weekday_number(n)
                {
                    weekdays.insert(name.trim().to_lowercase(), wd);
                }
                continue;
            }
            phrases.entry(section).or_default().push((line, *lang));
            let words: Vec<String> = line.split_whitespace().map(str::to_lowercase).collect();
            seqs.entry(section).or_default().push(words);
        }
    }
    let mut take = |s: &str| seqs.remove(s).unwrap_or_default();
    let set = |s: &str| PhraseSet::new(phrases.get(s).cloned().unwrap_or_default());
    ProposalWords {
        at: take("at"),
        oclock: take("oclock"),
        next: take("next"),
        today: take("today"),
        tomorrow: take("tomorrow"),
        until: take("until"),
        past: set("past"),
        refuse: set("refuse"),
        contrast: set("contrast"),
        weekdays,
        unspaced,
    }
}

static WORDS: LazyLock<ProposalWords> = LazyLock::new(compile);

/// The words, compiled on first use.
pub(crate) fn words() -> &'static ProposalWords {
    &WORDS
}

#[cfg(test)]
mod tests;
