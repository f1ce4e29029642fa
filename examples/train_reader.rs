//! Retrains the learned reader from its corpus and rewrites the shipped weights:
//!
//! ```sh
//! cargo run --example train_reader
//! ```
//!
//! Reads `data/reader/<lang>.tsv` (one file per language of
//! `rapport::core::classify::model::train::LANGS`) and `data/reader/frames.tsv`,
//! trains on every seed and its variants, and writes
//! `src/core/classify/model/weights.bin`. Training is counting, so the same corpus
//! always gives the same bytes; the test `shipped_weights_are_the_corpus` holds the
//! shipped file to that.
#![allow(
    clippy::print_stdout,
    reason = "a developer tool that reports what it wrote"
)]

use std::path::PathBuf;

use anyhow::{Context, Result};
use rapport::core::classify::model::train;

fn main() -> Result<()> {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let dir = root.join("data/reader");
    let mut files = Vec::new();
    for lang in train::LANGS {
        let path = dir.join(format!("{lang}.tsv"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("reading {} (run from the repository)", path.display()))?;
        files.push((lang, text));
    }
    let frames_path = dir.join("frames.tsv");
    let frames = std::fs::read_to_string(&frames_path)
        .with_context(|| format!("reading {}", frames_path.display()))?;
    let pairs: Vec<(&str, &str)> = files.iter().map(|(l, t)| (*l, t.as_str())).collect();
    let seeds = train::seeds(&pairs).map_err(anyhow::Error::msg)?;
    let frames = train::Frames::parse(&frames).map_err(anyhow::Error::msg)?;
    let counts = train::train(&seeds, &frames, |_| true);
    let bytes = counts.encode();
    let out = root.join("src/core/classify/model/weights.bin");
    std::fs::write(&out, &bytes).with_context(|| format!("writing {}", out.display()))?;
    println!(
        "{} seeds ({} texts with variants), {} buckets used: wrote {} ({} bytes)",
        seeds.len(),
        seeds.len() * 4,
        counts.buckets.len(),
        out.display(),
        bytes.len()
    );
    Ok(())
}
