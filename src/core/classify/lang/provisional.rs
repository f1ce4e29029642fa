//! A best guess for a text in a language rapport has no full word lists for
//! (Russian, Chinese, Korean): a short list of each language's plainest yes, no,
//! later, thanks and request phrases (`provisional.txt`).
//!
//! A guess from here is never vouched for: the caller keeps the reading unsure,
//! so the user confirms it. What it buys is a named guess (a Russian "не смогу"
//! waits as a likely no, with the follow-up held) instead of "other". A phrase
//! inside a refusal ("не подходит" holds "подходит", "不方便" holds "方便") counts
//! as the refusal. Pure: it never panics and reads nothing but its text.

use std::collections::HashMap;
use std::sync::LazyLock;

/// What a provisional phrase says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Kind {
    Yes,
    No,
    Later,
    Thanks,
    Request,
}

impl Kind {
    fn from_name(s: &str) -> Option<Kind> {
        Some(match s {
            "yes" => Kind::Yes,
            "no" => Kind::No,
            "later" => Kind::Later,
            "thanks" => Kind::Thanks,
            "request" => Kind::Request,
            _ => return None,
        })
    }
}

/// The phrases found in a text, by kind (the first of each kind).
#[derive(Debug, Default, Clone, PartialEq)]
pub(crate) struct Guess {
    pub yes: Option<&'static str>,
    pub no: Option<&'static str>,
    pub later: Option<&'static str>,
    pub thanks: Option<&'static str>,
    pub request: Option<&'static str>,
}

type Lists = HashMap<(&'static str, Kind), Vec<&'static str>>;

static LISTS: LazyLock<Lists> = LazyLock::new(|| {
    let mut lists: Lists = HashMap::new();
    let mut section = None;
    for line in include_str!("provisional.txt").lines() {
        let line = line.split('#').next().unwrap_or("").trim();
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name
                .split_once('.')
                .and_then(|(code, kind)| Some((code, Kind::from_name(kind)?)));
            continue;
        }
        if let (Some(key), false) = (section, line.is_empty()) {
            lists.entry(key).or_default().push(line);
        }
    }
    lists
});

/// Scripts written without spaces between words, where a phrase is found anywhere.
fn spaceless(code: &str) -> bool {
    matches!(code, "zh" | "ko" | "ja")
}

/// Byte ranges where `phrase` stands in `text` (lowercase): between non-letters,
/// or anywhere in a spaceless script.
fn spans(text: &str, phrase: &str, code: &str) -> Vec<(usize, usize)> {
    let letter_before = |i: usize| {
        text.get(..i)
            .and_then(|b| b.chars().next_back())
            .is_some_and(char::is_alphanumeric)
    };
    let letter_at = |i: usize| {
        text.get(i..)
            .and_then(|a| a.chars().next())
            .is_some_and(char::is_alphanumeric)
    };
    text.match_indices(phrase)
        .map(|(i, p)| (i, i + p.len()))
        .filter(|(s, e)| spaceless(code) || (!letter_before(*s) && !letter_at(*e)))
        .collect()
}

/// The provisional phrases of language `code` in `text`. A yes inside a refusal,
/// or right after a negation word ("не"), is no yes.
pub(crate) fn guess(code: &str, text: &str) -> Guess {
    let lower = text.to_lowercase();
    let find = |kind: Kind| -> Vec<(&'static str, usize, usize)> {
        LISTS
            .get(&(code, kind))
            .into_iter()
            .flatten()
            .flat_map(|p| {
                spans(&lower, p, code)
                    .into_iter()
                    .map(move |(s, e)| (*p, s, e))
            })
            .collect()
    };
    let no = find(Kind::No);
    let negated = |s: usize| {
        let before = lower.get(..s).unwrap_or("");
        ["не ", "不", "못 ", "안 "]
            .iter()
            .any(|n| before.ends_with(n))
    };
    let yes = find(Kind::Yes)
        .into_iter()
        .filter(|(_, s, e)| !no.iter().any(|(_, ns, ne)| ns <= s && e <= ne) && !negated(*s))
        .min_by_key(|(_, s, _)| *s)
        .map(|(p, _, _)| p);
    let first = |v: Vec<(&'static str, usize, usize)>| {
        v.into_iter().min_by_key(|(_, s, _)| *s).map(|(p, _, _)| p)
    };
    Guess {
        yes,
        no: first(no),
        later: first(find(Kind::Later)),
        thanks: first(find(Kind::Thanks)),
        request: first(find(Kind::Request)),
    }
}
