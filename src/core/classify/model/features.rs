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

/// FNV-1a's offset basis and prime.
const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;

/// FNV-1a state `h` after `bytes` more.
fn fnv(mut h: u64, bytes: &[u8]) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(FNV_PRIME);
    }
    h
}

/// An FNV-1a state folded into a bucket.
fn fold(h: u64) -> u32 {
    let folded = (h >> 32) ^ (h & 0xffff_ffff);
    u32::try_from(folded & u64::from(BUCKETS - 1)).unwrap_or_default()
}

/// FNV-1a over a kind tag and the gram's bytes, folded into a bucket.
fn bucket(kind: u8, gram: &str) -> u32 {
    fold(fnv(fnv(FNV_OFFSET, &[kind]), gram.as_bytes()))
}

/// The features of a text.
pub fn extract(text: &str) -> Features {
    let text = normalise(text);
    // Byte offsets of the char boundaries, the end included.
    let bounds: Vec<usize> = text
        .char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(text.len()))
        .collect();
    let words: Vec<(usize, usize)> = word_spans(&text);
    let grams = Grams::new(bounds.len().saturating_sub(1), words.len());
    // Every gram's bucket, in the order ties between buckets are settled in:
    // the character n-grams of 2, 3 and 4 characters, then the words and the
    // word pairs.
    let mut keys = vec![0u32; grams.total()];
    // The grams starting at one character share their first bytes: one hash
    // runs on from the 2-gram to the 3- and the 4-gram.
    let seed = fnv(FNV_OFFSET, b"c");
    for i in 0..grams.of(2) {
        let mut h = seed;
        for n in 1..=4usize {
            let (Some(&from), Some(&to)) = (bounds.get(i + n - 1), bounds.get(i + n)) else {
                break;
            };
            h = fnv(h, text.as_bytes().get(from..to).unwrap_or_default());
            if n >= 2
                && i < grams.of(n)
                && let Some(k) = keys.get_mut(grams.char_gram(n, i))
            {
                *k = fold(h);
            }
        }
    }
    let gram = |s: usize, e: usize| text.get(s..e).unwrap_or_default();
    for (j, &(s, e)) in words.iter().enumerate() {
        if let Some(k) = keys.get_mut(grams.word(j)) {
            *k = bucket(b'w', gram(s, e));
        }
    }
    for (j, pair) in words.windows(2).enumerate() {
        if let (Some(&(s, _)), Some(&(_, e)), Some(k)) =
            (pair.first(), pair.last(), keys.get_mut(grams.pair(j)))
        {
            *k = bucket(b'b', gram(s, e));
        }
    }
    // Of equal buckets the first in that order stays.
    let list = sorted_first(&keys)
        .into_iter()
        .filter_map(|i| {
            let (start, end, word) = grams.span(i, &bounds, &words)?;
            Some(Feature {
                bucket: *keys.get(i)?,
                start,
                end,
                word,
            })
        })
        .collect();
    Features { text, list }
}

/// Where each gram of a text sits in the order of its features: the character
/// 2-, 3- and 4-grams (by their first character), the words, the word pairs.
struct Grams {
    chars: usize,
    words: usize,
}

impl Grams {
    fn new(chars: usize, words: usize) -> Grams {
        Grams { chars, words }
    }

    /// How many character n-grams there are.
    fn of(&self, n: usize) -> usize {
        self.chars.saturating_sub(n - 1)
    }

    fn char_gram(&self, n: usize, i: usize) -> usize {
        (2..n).map(|m| self.of(m)).sum::<usize>() + i
    }

    fn word(&self, j: usize) -> usize {
        self.of(2) + self.of(3) + self.of(4) + j
    }

    fn pair(&self, j: usize) -> usize {
        self.word(self.words) + j
    }

    fn total(&self) -> usize {
        self.pair(self.words.saturating_sub(1))
    }

    /// The byte range of gram `i` and whether it is a word or a pair.
    fn span(
        &self,
        i: usize,
        bounds: &[usize],
        words: &[(usize, usize)],
    ) -> Option<(usize, usize, bool)> {
        let mut at = i;
        for n in 2..=4 {
            if at < self.of(n) {
                return Some((*bounds.get(at)?, *bounds.get(at + n)?, false));
            }
            at -= self.of(n);
        }
        if at < self.words {
            let (s, e) = *words.get(at)?;
            return Some((s, e, true));
        }
        at -= self.words;
        Some((words.get(at)?.0, words.get(at + 1)?.1, true))
    }
}

/// The positions of `keys` in the order of their values, of equal values only the
/// first: a stable radix sort on the bucket's bits (a text's ~2,000 features; a
/// comparison sort was a tenth of reading a text).
fn sorted_first(keys: &[u32]) -> Vec<usize> {
    const DIGIT: u32 = BUCKET_BITS.div_ceil(2);
    const RADIX: usize = 1 << DIGIT;
    // Bucket above, position below: sorting these sorts by bucket, stably.
    let shift = usize::BITS - BUCKET_BITS;
    let mut order: Vec<usize> = keys
        .iter()
        .enumerate()
        .map(|(i, &k)| (usize::try_from(k).unwrap_or(0) << shift) | i)
        .collect();
    let mut next = vec![0usize; order.len()];
    for digit in [0, DIGIT] {
        let at = shift + digit;
        let d = |v: usize| (v >> at) & (RADIX - 1);
        let mut start = [0usize; RADIX + 1];
        for &v in &order {
            if let Some(c) = start.get_mut(d(v) + 1) {
                *c += 1;
            }
        }
        for i in 1..=RADIX {
            let before = start.get(i - 1).copied().unwrap_or(0);
            if let Some(c) = start.get_mut(i) {
                *c += before;
            }
        }
        for &v in &order {
            if let Some(pos) = start.get_mut(d(v))
                && let Some(slot) = next.get_mut(*pos)
            {
                *slot = v;
                *pos += 1;
            }
        }
        std::mem::swap(&mut order, &mut next);
    }
    let low = (1usize << shift) - 1;
    let mut out: Vec<usize> = Vec::with_capacity(order.len());
    let mut last = None;
    for v in order {
        if last != Some(v >> shift) {
            out.push(v & low);
            last = Some(v >> shift);
        }
    }
    out
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
