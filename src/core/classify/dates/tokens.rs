//! The tokeniser under the date reader: words, numbers, ordinals and
//! punctuation with their byte offsets, the month and weekday names (read
//! from the language files), the number words, and a cursor to read tokens with. It must never read
//! more than [`MAX_CHARS`] characters of a message.

use super::*;
use crate::core::classify::lexicon;

#[derive(Debug, Clone, PartialEq)]
pub(super) enum Tok {
    Word(String),
    Num { value: u32, digits: usize },
    Ord(u32),
    Punct(char),
    Newline,
}

#[derive(Debug, Clone)]
pub(super) struct Token {
    pub(super) tok: Tok,
    pub(super) start: usize,
    pub(super) end: usize,
}

/// Most characters tokenised.
pub(super) const MAX_CHARS: usize = 64 * 1024;

pub(super) fn tokenize(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut it = text.char_indices().peekable();
    let mut count = 0usize;
    while let Some((i, c)) = it.next() {
        count += 1;
        if count > MAX_CHARS {
            break;
        }
        if c == '\n' {
            out.push(Token {
                tok: Tok::Newline,
                start: i,
                end: i + 1,
            });
            continue;
        }
        if c.is_whitespace() {
            continue;
        }
        if c.is_ascii_digit() {
            out.push(number_token(i, c, &mut it));
            continue;
        }
        if c.is_alphabetic() {
            out.push(word_token(i, c, &mut it));
            continue;
        }
        let c = match c {
            '\u{2013}' | '\u{2014}' | '\u{2212}' => '-',
            c => c,
        };
        out.push(Token {
            tok: Tok::Punct(c),
            start: i,
            end: i + c.len_utf8(),
        });
    }
    out
}

type Chars<'a> = std::iter::Peekable<std::str::CharIndices<'a>>;

/// A number starting with digit `c` at byte `i` (at most nine digits), an
/// ordinal when a suffix is attached ("3rd", "1er", "5º").
fn number_token(i: usize, c: char, it: &mut Chars<'_>) -> Token {
    let mut end = i + c.len_utf8();
    let mut s = String::from(c);
    while let Some(&(j, d)) = it.peek() {
        if d.is_ascii_digit() && s.len() < 9 {
            s.push(d);
            end = j + d.len_utf8();
            it.next();
        } else {
            break;
        }
    }
    let value: u32 = s.parse().unwrap_or(u32::MAX);
    // Ordinal suffix directly attached: 3rd, 1st, 22nd, 5th.
    let mut suffix = String::new();
    let mut probe = it.clone();
    while let Some(&(_, d)) = probe.peek() {
        if d.is_alphabetic() && suffix.len() < 3 {
            suffix.push(d.to_ascii_lowercase());
            probe.next();
        } else {
            break;
        }
    }
    let next_is_alpha = probe.peek().is_some_and(|&(_, d)| d.is_alphabetic());
    if matches!(
        suffix.as_str(),
        "st" | "nd" | "rd" | "th" | "er" | "º" | "o"
    ) && !next_is_alpha
    {
        for _ in 0..2 {
            if let Some((j, d)) = it.next() {
                end = j + d.len_utf8();
            }
        }
        Token {
            tok: Tok::Ord(value),
            start: i,
            end,
        }
    } else {
        Token {
            tok: Tok::Num {
                value,
                digits: s.len(),
            },
            start: i,
            end,
        }
    }
}

/// A word starting with letter `c` at byte `i`, lower-cased, apostrophes
/// kept ("o'clock").
fn word_token(i: usize, c: char, it: &mut Chars<'_>) -> Token {
    let mut end = i + c.len_utf8();
    let mut s: String = c.to_lowercase().collect();
    while let Some(&(j, d)) = it.peek() {
        if d.is_alphabetic() || d == '\'' || d == '\u{2019}' {
            s.extend(d.to_lowercase());
            end = j + d.len_utf8();
            it.next();
        } else {
            break;
        }
    }
    Token {
        tok: Tok::Word(s),
        start: i,
        end,
    }
}

/// A month name or abbreviation of any language (the `[january]` …
/// sections of the language files), a trailing dot allowed.
pub(super) fn month_of(w: &str) -> Option<i8> {
    lexicon::month_of(w.trim_end_matches('.'))
}

/// A weekday name or abbreviation of any language (`[monday]` … sections), a
/// Turkish case ending after an apostrophe allowed ("Cuma'ya", "Salı'dan").
pub(super) fn weekday_of(w: &str) -> Option<Weekday> {
    lexicon::weekday_of(w).or_else(|| {
        let (stem, _) = w.split_once(['\'', '\u{2019}'])?;
        (stem.chars().count() >= 3)
            .then(|| lexicon::weekday_of(stem))
            .flatten()
    })
}

/// A count word of any language (the `[numbers]` sections): "two", "few".
pub(super) fn number_word(w: &str) -> Option<i64> {
    lexicon::number_of(w)
}

pub(super) struct Cursor<'a> {
    pub(super) toks: &'a [Token],
}

impl<'a> Cursor<'a> {
    pub(super) fn word(&self, i: usize) -> Option<&'a str> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Word(w)) => Some(w.as_str()),
            _ => None,
        }
    }
    pub(super) fn num(&self, i: usize) -> Option<(u32, usize)> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Num { value, digits }) => Some((*value, *digits)),
            _ => None,
        }
    }
    pub(super) fn day_number(&self, i: usize) -> Option<u32> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Num { value, digits }) if *digits <= 2 && (1..=31).contains(value) => {
                Some(*value)
            }
            Some(Tok::Ord(v)) if (1..=31).contains(v) => Some(*v),
            _ => None,
        }
    }
    pub(super) fn punct(&self, i: usize) -> Option<char> {
        match self.toks.get(i).map(|t| &t.tok) {
            Some(Tok::Punct(c)) => Some(*c),
            _ => None,
        }
    }
    pub(super) fn is_word(&self, i: usize, w: &str) -> bool {
        self.word(i) == Some(w)
    }
    pub(super) fn year(&self, i: usize) -> Option<i16> {
        match self.num(i) {
            Some((v, 4)) if (1900..=2200).contains(&v) => i16::try_from(v).ok(),
            _ => None,
        }
    }
}
