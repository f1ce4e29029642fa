//! The features the learned reader counts: hashed character n-grams (2 to 4
//! characters, across word boundaries, so "n't" and "vielleicht" and 来週 all
//! give evidence) and word uni- and bigrams, over a normalised text.
//!
//! Normalisation: lowercase; every digit becomes `0` (so "the 14th" and "the 3rd"
//! share grams); letters, `'` and `?` are kept (a question is a signal); every other
//! character is a word gap. Only the first [`MAX_CHARS`] characters are read:
//! the words of a reply are at its start. Pure; never panics.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

/// log2 of the number of buckets the features are hashed into.
pub const BUCKET_BITS: u32 = 18;
/// How many buckets the features are hashed into (262,144).
pub const BUCKETS: u32 = 1 << BUCKET_BITS;
/// The characters of the fresh text that are read.
pub const MAX_CHARS: usize = 600;

/// One feature of a text: its bucket and where its n-gram sits in the
/// normalised text (for the explanation).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Feature {
    pub bucket: u32,
    /// Byte range in [`Features::text`].
    pub start: usize,
    pub end: usize,
    /// A word or a pair of words (not a character n-gram): what the user is
    /// shown first.
    pub word: bool,
}

/// The normalised text and its distinct features (each bucket once, sorted by
/// bucket; of grams sharing a bucket, the first in the text is kept).
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub text: String,
    pub list: Vec<Feature>,
}

impl Features {
    /// The n-gram a feature stands for, as shown to the user.
    pub fn gram(&self, f: &Feature) -> &str {
        self.text.get(f.start..f.end).unwrap_or_default().trim()
    }

    /// The buckets, sorted and distinct.
    pub fn buckets(&self) -> Vec<u32> {
        self.list.iter().map(|f| f.bucket).collect()
    }
}

/// Lowercase, digits to `0`, word gaps to one space, padded with one space on
/// each side.
pub fn normalise(text: &str) -> String {
    let mut out = String::from(" ");
    for c in text.chars().take(MAX_CHARS) {
        let c = match c {
            '’' | '‘' | '`' | '´' => '\'',
            '？' => '?',
            _ => c,
        };
        if c.is_numeric() {
            out.push('0');
        } else if c.is_alphabetic() || c == '\'' || c == '?' {
            out.extend(c.to_lowercase());
        } else if !out.ends_with(' ') {
            out.push(' ');
        }
    }
    if !out.ends_with(' ') {
        out.push(' ');
    }
    out
}

/// FNV-1a over a kind tag and the gram's bytes, folded into a bucket.
fn bucket(kind: u8, gram: &str) -> u32 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in std::iter::once(kind).chain(gram.bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    let folded = (h >> 32) ^ (h & 0xffff_ffff);
    u32::try_from(folded & u64::from(BUCKETS - 1)).unwrap_or_default()
}

/// The features of a text.
pub fn extract(text: &str) -> Features {
    let text = normalise(text);
    let mut list = Vec::new();
    let push = |kind: u8, start: usize, end: usize, list: &mut Vec<Feature>| {
        let gram = text.get(start..end).unwrap_or_default();
        list.push(Feature {
            bucket: bucket(kind, gram),
            start,
            end,
            word: kind != b'c',
        });
    };
    // Character n-grams (byte offsets of char boundaries).
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    for n in 2..=4usize {
        for w in bounds.windows(n + 1) {
            if let (Some(&s), Some(&e)) = (w.first(), w.last()) {
                push(b'c', s, e, &mut list);
            }
        }
    }
    // Words and word pairs.
    let words: Vec<(usize, usize)> = word_spans(&text);
    for &(s, e) in &words {
        push(b'w', s, e, &mut list);
    }
    for pair in words.windows(2) {
        if let (Some(&(s, _)), Some(&(_, e))) = (pair.first(), pair.last()) {
            push(b'b', s, e, &mut list);
        }
    }
    // Stable: of equal buckets the first in the text stays.
    list.sort_by_key(|f| f.bucket);
    list.dedup_by_key(|f| f.bucket);
    Features { text, list }
}

/// Byte spans of the space-separated words.
fn word_spans(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (c == ' ', start) {
            (true, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            (false, None) => start = Some(i),
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}
