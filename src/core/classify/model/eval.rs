//! The accuracy of the rules, the learned reader and both together on the
//! held-out fifth of the corpus (every fifth seed of each file, with its
//! variants; the reader is trained on the rest). Prints the figures:
//! `cargo test --lib classify::model::eval -- --nocapture`.
//!
//! "Both" takes the rules' reading and calls it unsure where the reader
//! disagrees with at least `second::CONFIDENT`; its sure accuracy is over the
//! readings left sure.

use super::tests::corpus;
use super::train::{self, held_out};
use super::{Class, Reader};
use crate::core::classify::{Context, classify};

/// A reply as a mail client sends it, in a thread that is not the user's (so
/// a request in it is read as one).
fn mail(text: &str) -> Vec<u8> {
    format!(
        "From: Ana Ruiz <ana@example.net>\r\nTo: Sam <me@example.com>\r\n\
         Subject: Re: catching up\r\nDate: Mon, 23 Nov 2026 10:00:00 +0000\r\n\
         Message-ID: <r1@example.net>\r\nIn-Reply-To: <t0@example.net>\r\n\
         MIME-Version: 1.0\r\nContent-Type: text/plain; charset=utf-8\r\n\
         Content-Transfer-Encoding: 8bit\r\n\r\n{}\r\n",
        text.replace('\n', "\r\n")
    )
    .into_bytes()
}

/// The reading of `text`, as a reply to a message the user sent when `answers` (an
/// answer's classes), else as a message of its own (a thank-you, a request): its
/// class and whether it is sure.
fn reading(text: &str, reader: Option<&Reader>, answers: bool) -> (Option<Class>, bool) {
    let users = vec!["me@example.com".to_string()];
    let sent = |id: &str| answers && id == "t0@example.net";
    let ctx = Context {
        now: "2026-11-24T12:00:00Z".parse().unwrap(),
        user_addresses: &users,
        sent_message_ids: &sent,
        default_tz: jiff::tz::TimeZone::UTC,
        reader,
    };
    let c = classify(&mail(text), &ctx);
    (
        Class::of_reading(c.label, c.intent),
        c.certainty == crate::core::classify::Certainty::Sure,
    )
}

fn rules_class(text: &str, reader: Option<&Reader>, answers: bool) -> Option<Class> {
    reading(text, reader, answers).0
}

/// Whether a seed of `class` is read as an answer to the user's message.
fn answers(class: Class) -> bool {
    matches!(class, Class::Yes | Class::No | Class::Later | Class::Other)
}

/// Lower bounds of the probability bands the calibration is printed for.
const BANDS: [f64; 4] = [0.0, 0.5, 0.75, 0.9];

#[derive(Default)]
struct Tally {
    n: usize,
    rules: usize,
    model: usize,
    sure: usize,
    sure_right: usize,
}

#[test]
fn held_out_figures() {
    let (seeds, frames) = corpus();
    let reader = Reader::from_counts(train::train(&seeds, &frames, |s| !held_out(s)));
    let mut all = Tally::default();
    let mut by_lang: std::collections::BTreeMap<&str, Tally> = Default::default();
    // (texts, right) of the reader per probability band: is its confidence honest?
    let mut bands = [(0usize, 0usize); 4];
    let mut sure_wrong = Vec::new();
    for s in seeds.iter().filter(|s| held_out(s)) {
        for text in train::variants(s, &frames) {
            let rules = rules_class(&text, None, answers(s.class));
            let model = reader.read(&text);
            if let Some(m) = &model {
                let band = BANDS.iter().rposition(|b| m.probability >= *b).unwrap_or(0);
                if let Some((n, right)) = bands.get_mut(band) {
                    *n += 1;
                    *right += usize::from(m.class == s.class);
                }
            }
            // Both: the whole reading with the reader beside the rules, sure or not.
            let (both, sure) = reading(&text, Some(&reader), answers(s.class));
            if sure && both != Some(s.class) && sure_wrong.len() < 40 {
                sure_wrong.push(format!("{} {:?} read {both:?}: {text:?}", s.lang, s.class));
            }
            for t in [&mut all, by_lang.entry(s.lang.as_str()).or_default()] {
                t.n += 1;
                t.rules += usize::from(rules == Some(s.class));
                t.model += usize::from(model.as_ref().map(|m| m.class) == Some(s.class));
                if sure {
                    t.sure += 1;
                    t.sure_right += usize::from(both == Some(s.class));
                }
            }
        }
    }
    let pct = |a: usize, b: usize| 100.0 * a as f64 / b.max(1) as f64;
    let line = |name: &str, t: &Tally| {
        println!(
            "{name:<4} {:>4} texts  rules {:5.1}%  model {:5.1}%  both: sure {:5.1}% right, unsure {:5.1}%",
            t.n,
            pct(t.rules, t.n),
            pct(t.model, t.n),
            pct(t.sure_right, t.sure),
            pct(t.n - t.sure, t.n)
        );
    };
    println!("held-out fifth of data/reader (trained on the other four fifths):");
    for (lang, t) in &by_lang {
        line(lang, t);
    }
    line("all", &all);
    println!("sure and wrong (the first 40):");
    for w in &sure_wrong {
        println!("  {w}");
    }
    for (b, (n, right)) in BANDS.iter().zip(bands) {
        println!(
            "reader probability ≥ {b:.2}: {n:>4} texts, {:5.1}% right",
            pct(right, n)
        );
    }
    assert!(all.n >= 600, "{} held-out texts", all.n);
    assert!(pct(all.model, all.n) >= 70.0, "the reader fell below 70%");
    assert!(
        pct(all.sure_right, all.sure) >= pct(all.rules, all.n),
        "the sure readings with the reader beside the rules are worse than the rules alone"
    );
}

#[test]
fn time_per_message_with_and_without_the_reader() {
    let (seeds, _) = corpus();
    let reader = Reader::shipped().unwrap();
    let mails: Vec<String> = seeds.iter().map(|s| s.text.clone()).collect();
    let time = |r: Option<&Reader>| {
        let start = std::time::Instant::now();
        for m in &mails {
            std::hint::black_box(rules_class(m, r, true));
        }
        start.elapsed().as_secs_f64() * 1e6 / mails.len() as f64
    };
    let (bare, with) = (time(None), time(Some(&reader)));
    let load = std::time::Instant::now();
    std::hint::black_box(Reader::shipped().unwrap());
    println!(
        "classify per message: {bare:.0} µs rules alone, {with:.0} µs with the reader; loading the reader {:.1} ms",
        load.elapsed().as_secs_f64() * 1e3
    );
    assert!(with > 0.0 && bare > 0.0);
}
