//! Reading one text with the counts: the naive Bayes scores, a tempered
//! probability, the n-grams that weighed most, and the user's own examples.

#![allow(
    missing_docs,
    reason = "a gap from before the lint: document this file's public items, then drop this line (STYLE.md)"
)]

use super::features::{self, BUCKETS};
use super::weights::Counts;
use super::{Class, N, Reader, USER_WEIGHT};

/// Additive smoothing of the counts.
const ALPHA: f64 = 0.1;
/// How many known features count as one independent piece of evidence: n-grams
/// overlap, so raw naive Bayes scores are far too sure of themselves.
const GRAMS_PER_VOTE: f64 = 6.0;
/// How alike (Jaccard of the feature sets) a text must be to one the user labelled
/// for the user's label to be its reading.
pub const ALIKE: f64 = 0.5;
/// How many n-grams are shown as evidence.
const SHOWN: usize = 4;

/// What the reader makes of a text.
#[derive(Debug, Clone, PartialEq)]
pub struct Prediction {
    pub class: Class,
    /// 0–1, tempered (see [`GRAMS_PER_VOTE`]).
    pub probability: f64,
    /// The n-grams that weighed most for `class`, strongest first.
    pub ngrams: Vec<String>,
    /// A text the user labelled that this one is nearly the same as: its words
    /// and how alike (0–1). When set, `class` is the user's label.
    pub like: Option<(String, f64)>,
}

/// ln(n + smoothing) for the counts a text's features have, from a table for
/// the small ones (nearly all).
fn ln_count(table: &[f64], n: u64) -> f64 {
    usize::try_from(n)
        .ok()
        .and_then(|i| table.get(i).copied())
        .unwrap_or_else(|| (n as f64 + ALPHA).ln())
}

/// The table [`ln_count`] reads: ln(n + smoothing) for every count the shipped
/// table holds (at least the 64 smallest, at most 16,384 entries), so that a
/// shipped feature never computes a logarithm.
pub(super) fn ln_table(shipped: &Counts) -> Vec<f64> {
    let most = shipped
        .counts
        .iter()
        .flatten()
        .copied()
        .max()
        .unwrap_or(0)
        .clamp(63, (1 << 14) - 1);
    (0..=most).map(|n| (f64::from(n) + ALPHA).ln()).collect()
}

/// Per class, ln(total count + smoothing): the shipped counts plus the user's,
/// weighted [`USER_WEIGHT`] times.
pub(super) fn denominators(shipped: &Counts, user: &Counts) -> [f64; N] {
    let (s, u) = (shipped.totals(), user.totals());
    let w = u64::from(USER_WEIGHT);
    let mut denom = [0f64; N];
    for (i, d) in denom.iter_mut().enumerate() {
        let t = s.get(i).copied().unwrap_or(0) + w * u.get(i).copied().unwrap_or(0);
        *d = (t as f64 + ALPHA * f64::from(BUCKETS)).ln();
    }
    denom
}

pub(super) fn read(reader: &Reader, text: &str) -> Option<Prediction> {
    let f = features::extract(text);
    let taught = !reader.learned.is_empty();
    if taught && let Some(p) = like_a_learned(reader, &f.buckets()) {
        return Some(p);
    }
    let w = u64::from(USER_WEIGHT);
    let denom = reader.denom;
    let mut scores = [0f64; N];
    // (feature index, log p per class) of the features the model knows.
    let mut known: Vec<(usize, [f64; N])> = Vec::new();
    // The shipped counts of every feature first, in a loop of loads only: the
    // table is far larger than a cache, and loads that wait on nothing else
    // are fetched side by side.
    let shipped: Vec<[u32; N]> = f
        .list
        .iter()
        .map(|feat| {
            reader
                .shipped_at
                .position(feat.bucket)
                .and_then(|i| reader.shipped.counts.get(i).copied())
                .unwrap_or([0; N])
        })
        .collect();
    for ((k, feat), s) in f.list.iter().enumerate().zip(shipped) {
        let u = if taught {
            reader.user.get(feat.bucket)
        } else {
            [0; N]
        };
        if s == [0; N] && u == [0; N] {
            continue;
        }
        let mut logp = [0f64; N];
        for ((l, (a, b)), d) in logp.iter_mut().zip(s.iter().zip(&u)).zip(&denom) {
            *l = ln_count(&reader.ln, u64::from(*a) + w * u64::from(*b)) - d;
        }
        for (sc, l) in scores.iter_mut().zip(logp) {
            *sc += l;
        }
        known.push((k, logp));
    }
    if known.is_empty() {
        return None;
    }
    let best = (0..N)
        .max_by(|a, b| {
            let sa = scores.get(*a).copied().unwrap_or(f64::MIN);
            let sb = scores.get(*b).copied().unwrap_or(f64::MIN);
            sa.total_cmp(&sb).then(b.cmp(a))
        })
        .unwrap_or(0);
    let temper = (known.len() as f64 / GRAMS_PER_VOTE).max(1.0);
    let top = scores.get(best).copied().unwrap_or(0.0);
    let sum: f64 = scores.iter().map(|s| ((s - top) / temper).exp()).sum();
    let class = Class::ALL.get(best).copied().unwrap_or(Class::Other);
    Some(Prediction {
        class,
        probability: 1.0 / sum.max(1.0),
        ngrams: strongest(&f, &known, best),
        like: None,
    })
}

/// The n-grams with the largest log-ratio for class `best` against the best
/// other class, words and word pairs before character n-grams (they read
/// better); a gram inside one already shown is skipped.
fn strongest(f: &features::Features, known: &[(usize, [f64; N])], best: usize) -> Vec<String> {
    let mut ranked: Vec<(bool, f64, &str)> = known
        .iter()
        .filter_map(|(k, logp)| {
            let mine = logp.get(best).copied()?;
            let other = logp
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != best)
                .map(|(_, l)| *l)
                .fold(f64::MIN, f64::max);
            // Only grams that weigh clearly are worth sorting.
            if mine - other <= 0.2 {
                return None;
            }
            let feature = f.list.get(*k)?;
            let gram = f.gram(feature);
            (!gram.is_empty()).then_some((feature.word && mine - other >= 0.5, mine - other, gram))
        })
        .collect();
    // Unstable: entries equal in all three are the same gram, whichever comes first.
    ranked.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(b.1.total_cmp(&a.1)).then(a.2.cmp(b.2)));
    let mut shown: Vec<String> = Vec::new();
    for (_, _, gram) in ranked {
        if shown.len() >= SHOWN {
            break;
        }
        if shown
            .iter()
            .any(|s| s.contains(gram) || gram.contains(s.as_str()))
        {
            continue;
        }
        shown.push(gram.to_string());
    }
    shown
}

/// The user's own label for a text nearly the same as one they labelled.
fn like_a_learned(reader: &Reader, buckets: &[u32]) -> Option<Prediction> {
    let (score, l) = reader
        .learned
        .iter()
        .map(|l| (jaccard(buckets, &l.buckets), l))
        .filter(|(s, _)| *s >= ALIKE)
        .max_by(|a, b| a.0.total_cmp(&b.0))?;
    Some(Prediction {
        class: l.class,
        probability: score,
        ngrams: Vec::new(),
        like: Some((l.text.chars().take(80).collect(), score)),
    })
}

/// |a ∩ b| / |a ∪ b| of two sorted, distinct lists.
fn jaccard(a: &[u32], b: &[u32]) -> f64 {
    let (mut i, mut j, mut both) = (0, 0, 0usize);
    while let (Some(x), Some(y)) = (a.get(i), b.get(j)) {
        match x.cmp(y) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                both += 1;
                i += 1;
                j += 1;
            }
        }
    }
    let union = a.len() + b.len() - both;
    if union == 0 {
        0.0
    } else {
        both as f64 / union as f64
    }
}
