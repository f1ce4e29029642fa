//! The learned reader's counts and their compact file format.
//!
//! The model is a table of counts: for each hashed feature bucket, in how many
//! training texts of each class it occurs, and how many texts each class has.
//! The file (`weights.bin`, shipped inside the binary) holds only the buckets
//! that occur, sorted, each as a gap from the previous bucket and its six counts,
//! all as LEB128 varints:
//!
//! ```text
//! "RPRD" · version 1 · bucket bits · class count (6)
//! docs per class (6 varints) · number of buckets (varint)
//! then per bucket: gap (varint) · counts per class (6 varints)
//! ```
//!
//! Decoding checks every length and never panics on a damaged file.

use super::Class;
use super::features::BUCKET_BITS;

const MAGIC: &[u8; 4] = b"RPRD";
const VERSION: u8 = 1;
/// The number of classes.
pub const N: usize = Class::ALL.len();

/// Per-class counts of every bucket that occurs.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    /// Texts per class.
    pub docs: [u32; N],
    /// Sorted, distinct buckets.
    pub buckets: Vec<u32>,
    /// The counts of `buckets[i]`.
    pub counts: Vec<[u32; N]>,
}

impl Counts {
    /// Builds the table from (class, distinct buckets) per training text.
    pub fn from_texts<'a>(texts: impl IntoIterator<Item = (Class, &'a [u32])>) -> Counts {
        let mut docs = [0u32; N];
        let mut map: std::collections::BTreeMap<u32, [u32; N]> = Default::default();
        for (class, buckets) in texts {
            let i = class.index();
            if let Some(d) = docs.get_mut(i) {
                *d = d.saturating_add(1);
            }
            for &b in buckets {
                if let Some(c) = map.entry(b).or_insert([0; N]).get_mut(i) {
                    *c = c.saturating_add(1);
                }
            }
        }
        let (buckets, counts) = map.into_iter().unzip();
        Counts {
            docs,
            buckets,
            counts,
        }
    }

    /// The counts of one bucket (zeros when it never occurred).
    pub fn get(&self, bucket: u32) -> [u32; N] {
        match self.buckets.binary_search(&bucket) {
            Ok(i) => self.counts.get(i).copied().unwrap_or([0; N]),
            Err(_) => [0; N],
        }
    }

    /// The sum of all counts per class.
    pub fn totals(&self) -> [u64; N] {
        let mut t = [0u64; N];
        for c in &self.counts {
            for (sum, n) in t.iter_mut().zip(c) {
                *sum += u64::from(*n);
            }
        }
        t
    }

    /// The file form.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.push(VERSION);
        out.push(u8::try_from(BUCKET_BITS).unwrap_or(u8::MAX));
        out.push(u8::try_from(N).unwrap_or(u8::MAX));
        for d in self.docs {
            put(&mut out, u64::from(d));
        }
        put(&mut out, self.buckets.len() as u64);
        let mut prev = 0u32;
        for (b, c) in self.buckets.iter().zip(&self.counts) {
            put(&mut out, u64::from(b.wrapping_sub(prev)));
            prev = *b;
            for n in c {
                put(&mut out, u64::from(*n));
            }
        }
        out
    }

    /// Reads the file form; says what is wrong with a damaged one.
    pub fn decode(bytes: &[u8]) -> Result<Counts, String> {
        let mut r = Cursor { bytes, at: 0 };
        if bytes.get(..4) != Some(MAGIC.as_slice()) {
            return Err("not a rapport reader file (no RPRD header)".into());
        }
        r.at = 4;
        let head = (r.byte()?, r.byte()?, r.byte()?);
        if head != (VERSION, u8::try_from(BUCKET_BITS).unwrap_or(0), N as u8) {
            return Err(format!(
                "reader file version/bits/classes {head:?}, this build reads ({VERSION}, {BUCKET_BITS}, {N})"
            ));
        }
        let mut docs = [0u32; N];
        for d in &mut docs {
            *d = r.u32()?;
        }
        let n = usize::try_from(r.varint()?).map_err(|_| "bucket count too large")?;
        if n > (1usize << BUCKET_BITS) {
            return Err(format!("{n} buckets in a table of {}", 1u32 << BUCKET_BITS));
        }
        let (mut buckets, mut counts) = (Vec::with_capacity(n), Vec::with_capacity(n));
        let mut prev = 0u32;
        for _ in 0..n {
            let b = prev.wrapping_add(r.u32()?);
            if !buckets.is_empty() && b <= prev {
                return Err(format!("buckets out of order at byte {}", r.at));
            }
            prev = b;
            let mut c = [0u32; N];
            for x in &mut c {
                *x = r.u32()?;
            }
            buckets.push(b);
            counts.push(c);
        }
        if r.at != bytes.len() {
            return Err(format!(
                "{} bytes after the last bucket",
                bytes.len() - r.at
            ));
        }
        Ok(Counts {
            docs,
            buckets,
            counts,
        })
    }
}

/// Where each bucket of a sorted bucket list sits, found in constant time: a
/// bit per possible bucket (32 KiB) and, per 64 buckets, how many came before
/// (16 KiB). Built once per reader; never changes after.
#[derive(Debug, Clone, Default)]
pub struct BucketIndex {
    present: Vec<u64>,
    before: Vec<u32>,
}

impl BucketIndex {
    /// The index of a sorted, distinct list (as [`Counts::buckets`]).
    pub fn of(buckets: &[u32]) -> BucketIndex {
        let words = (1usize << BUCKET_BITS).div_ceil(64);
        let mut present = vec![0u64; words];
        for &b in buckets {
            let word = usize::try_from(b / 64)
                .ok()
                .and_then(|w| present.get_mut(w));
            if let Some(w) = word {
                *w |= 1u64 << (b % 64);
            }
        }
        let mut before = Vec::with_capacity(words);
        let mut seen = 0u32;
        for w in &present {
            before.push(seen);
            seen += w.count_ones();
        }
        BucketIndex { present, before }
    }

    /// The position of `bucket` in the list, or `None` when it is not in it.
    pub fn position(&self, bucket: u32) -> Option<usize> {
        let w = usize::try_from(bucket / 64).ok()?;
        let word = *self.present.get(w)?;
        let bit = 1u64 << (bucket % 64);
        if word & bit == 0 {
            return None;
        }
        let below = (word & (bit - 1)).count_ones();
        usize::try_from(self.before.get(w)? + below).ok()
    }
}

fn put(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let low = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

struct Cursor<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Cursor<'_> {
    fn byte(&mut self) -> Result<u8, String> {
        let b = self
            .bytes
            .get(self.at)
            .copied()
            .ok_or_else(|| format!("reader file ends early at byte {}", self.at))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self) -> Result<u64, String> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte()?;
            v |= u64::from(b & 0x7f) << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(format!("varint too long at byte {}", self.at))
    }

    fn u32(&mut self) -> Result<u32, String> {
        let v = self.varint()?;
        u32::try_from(v).map_err(|_| format!("value {v} too large at byte {}", self.at))
    }
}
