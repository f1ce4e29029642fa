//! Training: the corpus (`data/reader/<lang>.tsv`, `label<TAB>text`), its
//! systematic variants, and the counts they give.
//!
//! Each hand-written line (a *seed*) is read four ways, so the model learns
//! that greetings, sign-offs, lowercase thumb-typing and a slipped key do not
//! change what a reply means: as written; between a greeting and a sign-off of
//! its language (`data/reader/frames.tsv`); lowercased without end punctuation
//! or commas; and with two letters of its longest word swapped (for Japanese,
//! with a sign-off only). Which greeting, sign-off and letters is decided by the
//! seed's line number, so training is deterministic.
//!
//! The held-out split is every fifth seed of each file ([`held_out`]), with all
//! its variants: no variant of a test seed is ever trained on.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use super::Class;
use super::features;
use super::weights::Counts;

/// The languages of the corpus, one file each.
pub const LANGS: [&str; 13] = [
    "en", "de", "fr", "es", "it", "pt", "nl", "sv", "da", "no", "ja", "pl", "tr",
];

/// One hand-written line of the corpus.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seed {
    pub lang: String,
    /// Position among the seeds of its file (0-based, comments not counted).
    pub index: usize,
    pub class: Class,
    pub text: String,
}

/// True for the seeds kept out of training when measuring.
pub fn held_out(seed: &Seed) -> bool {
    seed.index % 5 == 4
}

/// Reads one corpus file; a line that is not `label<TAB>text` is an error naming it.
pub fn parse(lang: &str, contents: &str) -> Result<Vec<Seed>, String> {
    let mut out = Vec::new();
    for (n, line) in contents.lines().enumerate() {
        let line = line.trim_end();
        if line.trim().is_empty() || line.starts_with('#') {
            continue;
        }
        let (label, text) = line.split_once('\t').ok_or_else(|| {
            format!(
                "data/reader/{lang}.tsv line {}: no tab after the label",
                n + 1
            )
        })?;
        let class = Class::from_name(label.trim()).ok_or_else(|| {
            format!(
                "data/reader/{lang}.tsv line {}: {label:?} is not a class (yes, no, later, other, thanks, request)",
                n + 1
            )
        })?;
        out.push(Seed {
            lang: lang.to_string(),
            index: out.len(),
            class,
            text: text.replace("\\n", "\n"),
        });
    }
    Ok(out)
}

/// Greetings and sign-offs per language, from `frames.tsv`
/// (`lang<TAB>greet|sign<TAB>text`).
#[derive(Debug, Clone, Default)]
pub struct Frames {
    pub frames: Vec<(String, bool, String)>,
}

impl Frames {
    pub fn parse(contents: &str) -> Result<Frames, String> {
        let mut frames = Vec::new();
        for (n, line) in contents.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let mut cols = line.splitn(3, '\t');
            let (Some(lang), Some(kind), Some(text)) = (cols.next(), cols.next(), cols.next())
            else {
                return Err(format!(
                    "data/reader/frames.tsv line {}: want lang<TAB>greet|sign<TAB>text",
                    n + 1
                ));
            };
            let greet = match kind {
                "greet" => true,
                "sign" => false,
                _ => {
                    return Err(format!(
                        "data/reader/frames.tsv line {}: {kind:?} is neither greet nor sign",
                        n + 1
                    ));
                }
            };
            frames.push((lang.to_string(), greet, text.replace("\\n", "\n")));
        }
        Ok(Frames { frames })
    }

    fn pick(&self, lang: &str, greet: bool, i: usize) -> &str {
        let of: Vec<&str> = self
            .frames
            .iter()
            .filter(|(l, g, _)| l == lang && *g == greet)
            .map(|(_, _, t)| t.as_str())
            .collect();
        match of.len() {
            0 => "",
            n => of.get(i % n).copied().unwrap_or_default(),
        }
    }
}

/// The four readings of a seed that are trained on (see the module doc).
pub fn variants(seed: &Seed, frames: &Frames) -> Vec<String> {
    let i = seed.index;
    let t = seed.text.as_str();
    let greet = frames.pick(&seed.lang, true, i);
    let sign = frames.pick(&seed.lang, false, i / 2);
    let framed = format!("{greet}\n{t}\n{sign}");
    let mobile: String = t
        .to_lowercase()
        .trim_end_matches(['.', '!', '。'])
        .replace(',', "");
    let last = if seed.lang == "ja" {
        format!("{t}\n{sign}")
    } else {
        typo(t, i)
    };
    vec![t.to_string(), framed, mobile, last]
}

/// Two neighbouring letters of the longest word swapped.
fn typo(text: &str, i: usize) -> String {
    let Some(word) = text.split_whitespace().max_by_key(|w| w.chars().count()) else {
        return text.to_string();
    };
    let chars: Vec<char> = word.chars().collect();
    if chars.len() < 5 {
        return text.to_string();
    }
    let at = 1 + i % (chars.len() - 3);
    let mut swapped = chars.clone();
    swapped.swap(at, at + 1);
    let swapped: String = swapped.into_iter().collect();
    text.replacen(word, &swapped, 1)
}

/// The counts from every variant of the seeds `keep` accepts.
pub fn train(seeds: &[Seed], frames: &Frames, keep: impl Fn(&Seed) -> bool) -> Counts {
    let texts: Vec<(Class, Vec<u32>)> = seeds
        .iter()
        .filter(|s| keep(s))
        .flat_map(|s| {
            variants(s, frames)
                .into_iter()
                .map(|v| (s.class, features::extract(&v).buckets()))
        })
        .collect();
    Counts::from_texts(texts.iter().map(|(c, b)| (*c, b.as_slice())))
}

/// Every seed of the corpus, from (language, file contents) pairs.
pub fn seeds(files: &[(&str, &str)]) -> Result<Vec<Seed>, String> {
    let mut all = Vec::new();
    for (lang, contents) in files {
        all.extend(parse(lang, contents)?);
    }
    Ok(all)
}
